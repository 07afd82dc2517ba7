import Desk
import TerminalUI

/// Everything a key can ask the inbox to do.
public enum InboxCommand: String, Hashable, Sendable, CaseIterable {
  case moveUp, moveDown, pageUp, pageDown, top, bottom
  case toggleDetail, switchFocus, nextUnclaimed
  case claim, reply, holdingReply, takeBack, recategorise, noReply, reopen, watch, snooze, escalate, note,
    openPost
  case selectMode, toggleMark, markAll
  case filter, search, help, quit, back, supervisor
  // assign (a mention; on the escalation pane, the escalation) and the notices (issue 16)
  case assign, notices
  // the person behind the posts (PersonView.swift)
  case person, linkIdentity, unlinkIdentity
  // on the escalation pane
  case acknowledge, resolve, approve, sendBack
  // in prompts and pickers
  case submit, deleteBackward, complete
  // saved views (Views.swift)
  case openView, allViews, saveView, renameView, deleteView
  case pick1, pick2, pick3, pick4, pick5, pick6, pick7
  // in the reply editor (EditorState.swift)
  case sendReply, confirmSend, pickTemplate, externalEditor, undo, redo, newline
  // the editor's snippets (SnippetPicker.swift): save the reply as one
  case saveSnippet
  case cursorLeft, cursorRight, cursorUp, cursorDown, lineStart, lineEnd, visualLineStart, visualLineEnd
  case wordLeft, wordRight, deleteForward, deleteWordBackward, deleteWordForward, killLineEnd, killLineStart
}

/// The inbox's modes: what the keys mean right now.
public enum InboxMode: Hashable, Sendable {
  case queue
  case help
  case pickCategory
  case prompt(PromptKind)
  /// The supervisor's escalation pane.
  case supervisor
  /// The reply editor: every printable key is text.
  case editor
  /// Sending asked a question: `y` sends, any other key goes back to the editor.
  case confirmSend
  /// The post's link could not be opened: `y` copies it with OSC 52, any other key does not.
  case confirmCopy
  /// The editor's picker (`Ctrl-T`): what is typed searches the templates and the snippets.
  case pickSnippet
  /// The person's notices (issue 16): Enter goes to the mention.
  case notices
  /// The person view: an author's timeline (`p`).
  case person

  public static var all: [InboxMode] {
    [
      .queue, .help, .pickCategory, .supervisor, .editor, .confirmSend, .confirmCopy, .pickSnippet,
      .notices, .person,
    ]
      + PromptKind.allCases.map { .prompt($0) }
  }
}

/// A one-line text prompt at the foot of the screen.
public enum PromptKind: String, Hashable, Sendable, CaseIterable {
  case search, filter, noReply, snooze, escalate, note
  /// Who to assign the mentions to (a supervisor's `A`, issue 16); Tab completes from the roster.
  case assign
  /// In the editor: why the reply goes out against the advice not to reply (S8, S5, S4).
  case overrideReason
  // on the escalation pane
  case resolve, reassign, sendBack, escalationNote
  // saved views (Views.swift)
  case saveView, renameView, deleteView
  /// In the editor: the title a reply is saved as a snippet under (`Ctrl-S`).
  case snippetTitle
  /// On the escalation pane: why a proposed snippet is rejected.
  case rejectSnippet
  // in the person view
  case personNote, personLink
}

/// The default key table: one `KeyMap` per mode, the help screen is generated from it.
public enum InboxKeys {
  public static func table(_ s: Strings) -> ModalKeyMap<InboxMode, InboxCommand> {
    var global = KeyMap<InboxCommand>(title: s[.helpGlobal])
    // The table is written here once; a duplicate is a programming error caught by the tests.
    let bindings: [([String], InboxCommand, UIText)] = [
      (["<Up>", "k"], .moveUp, .cmdUp), (["<Down>", "j"], .moveDown, .cmdDown),
      (["<PgUp>", "<C-b>"], .pageUp, .cmdPageUp), (["<PgDn>", "<C-f>"], .pageDown, .cmdPageDown),
      (["g", "<Home>"], .top, .cmdTop), (["G", "<End>"], .bottom, .cmdBottom),
      (["<Enter>"], .toggleDetail, .cmdDetail), (["<Tab>"], .switchFocus, .cmdFocus),
      (["n"], .nextUnclaimed, .cmdNext), (["c"], .claim, .cmdClaim), (["r"], .reply, .cmdReply),
      (["H"], .holdingReply, .cmdHolding), (["u"], .takeBack, .cmdTakeBack),
      (["t"], .recategorise, .cmdRecategorise),
      (["x"], .noReply, .cmdNoReply), (["o"], .reopen, .cmdReopen), (["w"], .watch, .cmdWatch),
    ]
    // After the author's watch: the author's timeline, its text from the person view's own table.
    let rest: [([String], InboxCommand, UIText)] = [
      (["s"], .snooze, .cmdSnooze), (["e"], .escalate, .cmdEscalate), (["N"], .note, .cmdNote),
      (["O"], .openPost, .cmdOpenPost),
      (["v"], .selectMode, .cmdSelect), (["<Space>"], .toggleMark, .cmdMark),
      (["V"], .markAll, .cmdSelectAll),
      (["f"], .filter, .cmdFilter), (["/"], .search, .cmdSearch), (["?"], .help, .cmdHelp),
      (["E"], .supervisor, .cmdSupervisor), (["A"], .assign, .cmdAssign), (["m"], .notices, .cmdNotices),
      (["<Esc>"], .back, .cmdBack), (["q", "<C-c>"], .quit, .cmdQuit),
    ]
    for (keys, command, text) in bindings { try! global.bind(keys, to: command, s[text]) }
    try! global.bind(["p"], to: .person, s[PersonUIText.personOpen])
    for (keys, command, text) in rest { try! global.bind(keys, to: command, s[text]) }

    var picker = KeyMap<InboxCommand>(title: s[.pickCategory])
    let picks: [InboxCommand] = [.pick1, .pick2, .pick3, .pick4, .pick5, .pick6, .pick7]
    for (index, category) in InboxState.pickOrder.enumerated() {
      try! picker.bind(["\(index + 1)"], to: picks[index], s.category(category))
    }

    var modes: [InboxMode: KeyMap<InboxCommand>] = [
      .pickCategory: picker, .supervisor: SupervisorKeys.table(s), .queue: ViewKeys.table(s),
    ]
    for kind in PromptKind.allCases {
      var prompt = KeyMap<InboxCommand>(title: s.prompt(kind))
      try! prompt.bind(["<Enter>"], to: .submit, s[.cmdSubmit])
      try! prompt.bind(["<BS>"], to: .deleteBackward, s[.cmdDelete])
      try! prompt.bind(["<Esc>", "<C-c>"], to: .back, s[.cmdBack])
      if kind == .assign { try! prompt.bind(["<Tab>"], to: .complete, s[.cmdComplete]) }
      modes[.prompt(kind)] = prompt
    }
    modes[.editor] = editorKeys(s)
    var confirm = KeyMap<InboxCommand>(title: s[.confirmSend])
    try! confirm.bind(["y"], to: .confirmSend, s[.cmdConfirmSend])
    modes[.confirmSend] = confirm
    modes[.pickSnippet] = SnippetPickerKeys.table(s)
    var person = KeyMap<InboxCommand>(title: PersonText.viewTitle(s))
    try! person.bind(["L"], to: .linkIdentity, s[PersonUIText.personCmdLink])
    try! person.bind(["U"], to: .unlinkIdentity, s[PersonUIText.personCmdUnlink])
    modes[.person] = person
    return ModalKeyMap(
      global: global, modes: modes,
      textInputModes: Set(PromptKind.allCases.map { .prompt($0) } + [.editor, .pickSnippet]))
  }

  /// The reply editor's keys: readline's motions and kills, undo, templates, `$EDITOR`, send.
  static func editorKeys(_ s: Strings) -> KeyMap<InboxCommand> {
    var editor = KeyMap<InboxCommand>(title: s[.helpEditor])
    let bindings: [([String], InboxCommand, UIText)] = [
      (["<C-x>"], .sendReply, .cmdSendReply), (["<Esc>", "<C-c>"], .back, .cmdKeepDraft),
      (["<C-t>"], .pickTemplate, .cmdTemplate), (["<C-o>"], .externalEditor, .cmdExternalEditor),
      (["<C-z>", "<C-_>"], .undo, .cmdUndo), (["<C-y>"], .redo, .cmdRedo),
      (["<Left>", "<C-b>"], .cursorLeft, .cmdCursorLeft),
      (["<Right>", "<C-f>"], .cursorRight, .cmdCursorRight),
      (["<Up>"], .cursorUp, .cmdCursorUp), (["<Down>"], .cursorDown, .cmdCursorDown),
      (["<C-Left>", "<M-b>", "<M-Left>"], .wordLeft, .cmdWordLeft),
      (["<C-Right>", "<M-f>", "<M-Right>"], .wordRight, .cmdWordRight),
      (["<Home>"], .visualLineStart, .cmdVisualLineStart), (["<End>"], .visualLineEnd, .cmdVisualLineEnd),
      (["<C-a>"], .lineStart, .cmdLineStart), (["<C-e>"], .lineEnd, .cmdLineEnd),
      (["<Enter>"], .newline, .cmdNewline), (["<BS>"], .deleteBackward, .cmdDelete),
      (["<Del>", "<C-d>"], .deleteForward, .cmdDeleteForward),
      (["<C-w>", "<M-BS>"], .deleteWordBackward, .cmdDeleteWord),
      (["<M-d>"], .deleteWordForward, .cmdDeleteWordForward),
      (["<C-k>"], .killLineEnd, .cmdKillLineEnd), (["<C-u>"], .killLineStart, .cmdKillLineStart),
      (["<F1>"], .help, .cmdHelp),
    ]
    for (keys, command, text) in bindings { try! editor.bind(keys, to: command, s[text]) }
    try! editor.bind(["<C-s>"], to: .saveSnippet, s[SnippetText.cmdSave])
    return editor
  }
}

extension Strings {
  func prompt(_ kind: PromptKind) -> String {
    switch kind {
    case .search: return self[.promptSearch]
    case .filter: return self[.promptFilter]
    case .noReply: return self[.promptNoReply]
    case .snooze: return self[.promptSnooze]
    case .escalate: return self[.promptEscalate]
    case .note: return self[.promptNote]
    case .assign: return self[.promptAssign]
    case .overrideReason: return self[.promptOverride]
    case .resolve: return self[SupervisorText.promptResolve]
    case .reassign: return self[SupervisorText.promptReassign]
    case .sendBack: return self[SupervisorText.promptSendBack]
    case .escalationNote: return self[SupervisorText.promptEscalationNote]
    case .saveView: return self[ViewText.viewPromptSave]
    case .renameView: return self[ViewText.viewPromptRename]
    case .deleteView: return self[ViewText.viewPromptDelete]
    case .snippetTitle: return self[SnippetText.promptTitle]
    case .rejectSnippet: return self[SnippetText.promptReject]
    case .personNote: return self[PersonUIText.personPromptNote]
    case .personLink: return self[PersonUIText.personPromptLink]
    }
  }
}

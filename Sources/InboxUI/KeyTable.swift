import TerminalUI

/// Everything a key can ask the inbox to do.
public enum InboxCommand: String, Hashable, Sendable, CaseIterable {
  case moveUp, moveDown, pageUp, pageDown, top, bottom
  case toggleDetail, switchFocus, nextUnclaimed
  case claim, reply, holdingReply, recategorise, noReply, reopen, watch, snooze, escalate, note
  case selectMode, toggleMark, markAll
  case filter, search, help, quit, back, supervisor
  // on the escalation pane
  case acknowledge, resolve, reassign, approve, sendBack
  // in prompts and pickers
  case submit, deleteBackward
  case pick1, pick2, pick3, pick4, pick5, pick6, pick7
}

/// The inbox's modes: what the keys mean right now.
public enum InboxMode: Hashable, Sendable {
  case queue
  case help
  case pickCategory
  case prompt(PromptKind)
  /// The supervisor's escalation pane.
  case supervisor

  public static var all: [InboxMode] {
    [.queue, .help, .pickCategory, .supervisor] + PromptKind.allCases.map { .prompt($0) }
  }
}

/// A one-line text prompt at the foot of the screen.
public enum PromptKind: String, Hashable, Sendable, CaseIterable {
  case search, filter, noReply, snooze, escalate, note
  // on the escalation pane
  case resolve, reassign, sendBack, escalationNote
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
      (["H"], .holdingReply, .cmdHolding), (["t"], .recategorise, .cmdRecategorise),
      (["x"], .noReply, .cmdNoReply), (["o"], .reopen, .cmdReopen), (["w"], .watch, .cmdWatch),
      (["s"], .snooze, .cmdSnooze), (["e"], .escalate, .cmdEscalate), (["N"], .note, .cmdNote),
      (["v"], .selectMode, .cmdSelect), (["<Space>"], .toggleMark, .cmdMark),
      (["V"], .markAll, .cmdSelectAll),
      (["f"], .filter, .cmdFilter), (["/"], .search, .cmdSearch), (["?"], .help, .cmdHelp),
      (["E"], .supervisor, .cmdSupervisor), (["<Esc>"], .back, .cmdBack), (["q", "<C-c>"], .quit, .cmdQuit),
    ]
    for (keys, command, text) in bindings { try! global.bind(keys, to: command, s[text]) }

    var picker = KeyMap<InboxCommand>(title: s[.pickCategory])
    let picks: [InboxCommand] = [.pick1, .pick2, .pick3, .pick4, .pick5, .pick6, .pick7]
    for (index, category) in InboxState.pickOrder.enumerated() {
      try! picker.bind(["\(index + 1)"], to: picks[index], s.category(category))
    }

    var modes: [InboxMode: KeyMap<InboxCommand>] = [
      .pickCategory: picker, .supervisor: SupervisorKeys.table(s),
    ]
    for kind in PromptKind.allCases {
      var prompt = KeyMap<InboxCommand>(title: s.prompt(kind))
      try! prompt.bind(["<Enter>"], to: .submit, s[.cmdSubmit])
      try! prompt.bind(["<BS>"], to: .deleteBackward, s[.cmdDelete])
      try! prompt.bind(["<Esc>", "<C-c>"], to: .back, s[.cmdBack])
      modes[.prompt(kind)] = prompt
    }
    return ModalKeyMap(
      global: global, modes: modes, textInputModes: Set(PromptKind.allCases.map { .prompt($0) }))
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
    case .resolve: return self[SupervisorText.promptResolve]
    case .reassign: return self[SupervisorText.promptReassign]
    case .sendBack: return self[SupervisorText.promptSendBack]
    case .escalationNote: return self[SupervisorText.promptEscalationNote]
    }
  }
}

import Desk
import Foundation
import Inbox
import Policy
import TerminalUI

/// The reply being written: the mention it answers, the editor's text, the live findings, and
/// what the send step asked. Lives in `InboxState.reply` while the editor is open.
public struct ReplySession: Sendable {
  public var mention: Mention
  public var advice: Advice?
  /// The rumours the mention repeats, for a correction's `{facts}` and `{sources}`.
  public var rumours: [String]
  /// What the editor was opened for (`r` or `H`).
  public var mode: ReplyMode
  public var editor: TextEditor
  public var policy: PolicyConfig
  public var responder: TeamMember
  /// When the editor opened: a teammate's claim, draft or reply after it is a collision.
  public var openedAt: Date
  public var earlier: [ReplyInfo]
  public var othersDrafting: [DraftInfo]
  /// The language the findings are written in (`nl`, `en`): the responder's UI language. The
  /// checks still read the reply in the mention's language.
  public var messageLanguage: String
  /// The checks as of the last `recheck`; `checksPending` says the text changed since.
  private var checked: ReplyChecks
  /// The text changed since the last `recheck`: the loop rechecks once per pass, before drawing,
  /// so a burst of keys (fast typing, a paste) costs one check, not one per key.
  public private(set) var checksPending = false
  /// How many times the checks ran on this session (for the tests that a burst is checked once).
  public private(set) var checkCount = 0
  /// Edits not yet saved as a draft; the loop saves them within a second.
  public var unsaved = false
  /// A draft of this text is in the store (restored, or saved since).
  public var hasDraft = false
  /// Who had claimed the mention when the editor opened.
  public var claimedBy: String?
  /// The team's approved snippets, offered with the templates by Ctrl-T.
  public var snippets: [Snippet]
  /// The picker Ctrl-T opened (SnippetPicker.swift), while it is open.
  public var picker: SnippetPicker?
  /// What sending asked the responder to confirm (shown while `mode == .confirmSend`).
  public var pendingAsks: [ReplyAsk] = []
  /// The rule a reply would go against (S8, S5, S4), while the override's reason is asked.
  public var pendingOverride: String?
  /// Why the responder replies against the advice; sent with every request from then on.
  public var overrideReason: String?

  public init(
    mention: Mention, advice: Advice?, rumours: [String], mode: ReplyMode, text: String,
    opening: ReplyOpening,
    openedAt: Date, messageLanguage: String? = nil
  ) {
    self.mention = mention
    self.advice = advice
    self.rumours = rumours
    self.mode = mode
    editor = TextEditor(text: text)
    policy = opening.policy
    responder = opening.responder
    self.openedAt = openedAt
    earlier = opening.earlier
    othersDrafting = opening.othersDrafting
    snippets = opening.snippets
    self.messageLanguage = messageLanguage ?? ReplyRules.language(of: mention)
    checked = ReplyRules.checks(
      body: text, mention: mention, responder: opening.responder, policy: opening.policy,
      messages: self.messageLanguage, mode: mode)
    checkCount = 1
  }

  /// The signature in the policy's format, from the responder's roster name (S16).
  public var signature: String { Signature.text(for: responder, policy: policy) }
  /// The checks on the text as it is now: those of the last `recheck`, or, when the text changed
  /// since and nobody rechecked yet, computed afresh (so what is drawn or sent is never stale).
  public var checks: ReplyChecks { checksPending ? computeChecks() : checked }
  public var findings: [Finding] { checks.findings }
  /// True when the responder typed the signature already: it is not added a second time.
  public var signatureTyped: Bool { checks.signatureTyped }
  /// Exactly what would be posted now.
  public var signedText: String { checks.signedText }
  /// The length the platform counts, signature included, and its limit.
  public var length: (count: Int, limit: Int?) { (checks.length, checks.limit) }
  public var isFollowUp: Bool { ReplyRules.isFollowUp(mode: mode, mention: mention, earlier: earlier) }
  public var blocking: [Finding] { findings.filter { $0.severity == .blocking } }

  /// Notes that the text changed: the checks run again at the end of the loop pass.
  mutating func textChanged() {
    unsaved = true
    checksPending = true
  }

  /// Runs the policy's reply checks on the text as it is now.
  public mutating func recheck() {
    checked = computeChecks()
    checksPending = false
    checkCount += 1
  }

  /// Runs the checks when the text changed since they last ran: once per loop pass.
  public mutating func recheckIfPending() {
    if checksPending { recheck() }
  }

  private func computeChecks() -> ReplyChecks {
    ReplyRules.checks(
      body: editor.text, mention: mention, responder: responder, policy: policy, messages: messageLanguage,
      mode: mode)
  }

  public var templates: [Template] { ReplyRules.templates(for: mode, mention: mention, policy: policy) }

  /// The text to start from when there is no draft: the template for this use in the mention's
  /// language, filled in; nothing for a follow-up or when the policy has no such template.
  public static func startingText(
    mode: ReplyMode, mention: Mention, rumours: [String], policy: PolicyConfig, earlier: [ReplyInfo]
  ) -> String {
    if ReplyRules.isFollowUp(mode: mode, mention: mention, earlier: earlier) { return "" }
    let kind: TemplateKind = mode == .holding ? .holding : .category(mention.category ?? .neutral)
    guard let first = ReplyRules.templates(for: mode, mention: mention, policy: policy).first,
      first.kind == kind
    else { return "" }
    return ReplyRules.fill(first, mention: mention, rumours: rumours, policy: policy)
  }
}

/// Where the editor pane puts its parts for a screen size.
public struct EditorLayout: Hashable, Sendable {
  public var body: Rect
  /// The columns the text wraps to (one kept free for the cursor after the last character).
  public var textWidth: Int

  public init(size: Size) {
    body = Rect(row: 1, column: 0, width: size.width, height: max(0, size.height - 2))
    textWidth = max(1, size.width - 3)
  }
}

extension InboxState {
  /// Opens the editor on a mention with what the store knows (draft, earlier replies, policy).
  public mutating func openEditor(
    _ detail: MentionDetail, mode replyMode: ReplyMode, opening: ReplyOpening, now: Date
  ) {
    let m = detail.row.mention
    let restored = opening.draft.flatMap { $0.isEmpty ? nil : $0 }
    defer {
      reply?.hasDraft = restored != nil
      reply?.claimedBy = detail.row.claimedBy
    }
    let text =
      restored
      ?? ReplySession.startingText(
        mode: replyMode, mention: m, rumours: detail.rumours, policy: opening.policy, earlier: opening.earlier
      )
    reply = ReplySession(
      mention: m, advice: detail.advice, rumours: detail.rumours, mode: replyMode, text: text,
      opening: opening,
      openedAt: now, messageLanguage: strings.language.rawValue)
    mode = .editor
    if restored != nil {
      let at = opening.draftSavedAt.map { " (\(Format.clock($0, timeZone: timeZone)))" } ?? ""
      message = StatusMessage(strings[.draftRestored] + at)
    } else {
      message = nil
    }
  }

  /// The request the editor's reply makes, for assessing or sending.
  public func replyRequest(confirmed: Bool) -> ReplyRequest? {
    guard let r = reply else { return nil }
    return ReplyRequest(
      mentionID: r.mention.id, mode: r.mode, body: r.editor.text, actor: actor, openedAt: r.openedAt,
      confirmed: confirmed, confirmedAsks: confirmed ? r.pendingAsks : nil, overrideReason: r.overrideReason)
  }

  /// Takes the backend's verdict; returns true when the reply may go out without asking.
  public mutating func takeAssessment(_ assessment: ReplyAssessment) -> Bool {
    guard reply != nil else { return false }
    if let first = assessment.blocking.first {
      mode = .editor
      message = StatusMessage("\(strings[.notSent]): \(first.rule) \(first.message)", isError: true)
      return false
    }
    if let o = assessment.override, o.reason == nil {
      // The advice is not to reply at all (S8, S5, S4): ask why, naming the rule; `y` won't do.
      reply?.pendingOverride = o.rule
      reply?.overrideReason = nil
      input = ""
      mode = .prompt(.overrideReason)
      message = nil
      return false
    }
    if assessment.asks.isEmpty { return true }
    reply?.pendingAsks = assessment.asks
    mode = .confirmSend
    message = nil
    return false
  }

  /// The outbox took the reply: back to the queue.
  public mutating func replySent(_ sent: SentReply) {
    let text = sent.status == "awaiting_approval" ? strings[.replyAwaitsApproval] : strings[.replyQueued]
    message = StatusMessage("\(text): #\(sent.outboxID)")
    reply = nil
    mode = .queue
  }

  /// Replaces the text with what `$EDITOR` gave back (one undo step). Control characters and
  /// bidi overrides the file may hold are dropped: they must reach neither the screen nor the
  /// platform; tabs become spaces and line ends newlines.
  public mutating func takeExternalText(_ text: String) {
    var scalars = String.UnicodeScalarView()
    var previousCR = false
    for scalar in text.unicodeScalars {
      defer { previousCR = scalar == "\r" }
      switch scalar {
      case "\n": if !previousCR { scalars.append("\n") }
      case "\r": scalars.append("\n")
      case "\t": scalars.append(" ")
      default: if !ControlCharacters.isUnsafe(scalar) { scalars.append(scalar) }
      }
    }
    var body = String(scalars)
    while body.last == "\n" { body.removeLast() }
    guard reply != nil, body != reply?.editor.text else { return }
    reply?.editor.setText(body)
    reply?.textChanged()
  }

  /// A key in the editor: a command from its table, or text.
  mutating func handleEditorKey(_ chord: KeyChord, keys: ModalKeyMap<InboxMode, InboxCommand>)
    -> [InboxEffect]
  {
    if pasting {
      switch chord.key {
      case .character(let c) where chord.modifiers.isSubset(of: [.shift]): edit { $0.insert(String(c)) }
      case .enter: edit { $0.insert("\n") }
      case .tab: edit { $0.insert(" ") }
      default: break
      }
      return []
    }
    if let command = keys.command(for: chord, in: .editor) { return handleEditor(command) }
    if case .character(let c) = chord.key, chord.modifiers.isSubset(of: [.shift]) {
      edit { $0.insert(String(c)) }
    }
    return []
  }

  /// A key while sending asks for confirmation: `y` sends, anything else goes back to the text.
  mutating func handleConfirmKey(_ chord: KeyChord, keys: ModalKeyMap<InboxMode, InboxCommand>)
    -> [InboxEffect]
  {
    if keys.command(for: chord, in: .confirmSend) == .confirmSend {
      mode = .editor
      return [.sendReply]
    }
    mode = .editor
    reply?.pendingAsks = []
    message = StatusMessage(strings[.notSentYet])
    return []
  }

  /// The override prompt was answered: a reason assesses the reply again with it, nothing (or
  /// Esc) goes back to the text unsent.
  mutating func submitOverrideReason(_ text: String?) -> [InboxEffect] {
    mode = reply == nil ? baseMode : .editor
    guard let reason = text, !reason.isEmpty else {
      reply?.pendingOverride = nil
      message = StatusMessage(strings[.overrideNeedsReason], isError: text != nil)
      return []
    }
    reply?.overrideReason = reason
    return [.assessReply]
  }

  mutating func edit(_ change: (inout TextEditor) -> Void) {
    guard var r = reply else { return }
    let before = r.editor.characters
    change(&r.editor)
    if r.editor.characters != before { r.textChanged() }
    reply = r
  }

  mutating func handleEditor(_ command: InboxCommand) -> [InboxEffect] {
    guard reply != nil else {
      mode = .queue
      return []
    }
    message = nil
    let width = EditorLayout(size: size).textWidth
    switch command {
    case .cursorLeft: edit { $0.moveLeft() }
    case .cursorRight: edit { $0.moveRight() }
    case .cursorUp, .moveUp: edit { $0.moveUp(width: width) }
    case .cursorDown, .moveDown: edit { $0.moveDown(width: width) }
    case .lineStart: edit { $0.moveToLineStart() }
    case .lineEnd: edit { $0.moveToLineEnd() }
    case .visualLineStart, .top: edit { $0.moveToVisualLineStart(width: width) }
    case .visualLineEnd, .bottom: edit { $0.moveToVisualLineEnd(width: width) }
    case .wordLeft: edit { $0.moveWordLeft() }
    case .wordRight: edit { $0.moveWordRight() }
    case .newline: edit { $0.insert("\n") }
    case .deleteBackward: edit { $0.deleteBackward() }
    case .deleteForward: edit { $0.deleteForward() }
    case .deleteWordBackward: edit { $0.deleteWordBackward() }
    case .deleteWordForward: edit { $0.deleteWordForward() }
    case .killLineEnd: edit { $0.killToLineEnd() }
    case .killLineStart: edit { $0.killToLineStart() }
    case .undo:
      edit { $0.undo() }
    case .redo:
      edit { $0.redo() }
    case .pickTemplate:
      return openSnippetPicker()
    case .saveSnippet:
      return askSnippetTitle()
    case .externalEditor:
      return [.externalEditor]
    case .sendReply:
      // Sending judges the final text: checks still pending from this pass run now.
      reply?.recheckIfPending()
      guard let r = reply else { return [] }
      if let first = r.blocking.first {
        message = StatusMessage("\(strings[.notSent]): \(first.rule) \(first.message)", isError: true)
        return []
      }
      return [.assessReply]
    case .help:
      // Help from the editor opens at the editor's keys.
      helpReturnMode = .editor
      mode = .help
      helpScroll = InboxRenderer.helpScroll(to: .editor, self)
    case .back, .quit:
      return [.closeEditor]
    default:
      break
    }
    return []
  }
}

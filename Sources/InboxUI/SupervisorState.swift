import Desk
import Foundation
import Inbox
import Policy
import TerminalUI

/// Something on the escalation pane the supervisor can select.
public enum SupervisorItem: Hashable, Sendable {
  case escalation(Int64)
  case approval(Int64)
  case delivery(Int64)
  case overdue(Int64)
  case holding(Int64)
  case watched(String)
  case snippet(Int64)
}

/// The escalation pane's own state: shown or not, allowed or not, the board and the selection.
public struct SupervisorViewState: Sendable {
  public var active = false
  /// On a shared store only a supervisor in the roster may open the pane.
  public var allowed = true
  public var board: SupervisorBoard?
  /// Index into `board.items`.
  public var selected = 0
  /// The first line of the main column shown.
  public var scroll = 0

  public init(active: Bool = false, allowed: Bool = true, board: SupervisorBoard? = nil) {
    self.active = active
    self.allowed = allowed
    self.board = board
  }

  public var items: [SupervisorItem] { board?.items ?? [] }

  public var selectedItem: SupervisorItem? {
    let items = self.items
    return items.indices.contains(selected) ? items[selected] : nil
  }

  /// Keeps the selection on the same item after the board was reloaded.
  public mutating func replace(_ board: SupervisorBoard) {
    let keep = selectedItem
    self.board = board
    let items = board.items
    if let keep, let index = items.firstIndex(of: keep) {
      selected = index
    } else {
      selected = min(selected, max(0, items.count - 1))
    }
  }
}

extension SupervisorBoard {
  /// The selectable items, in the order the pane lists them.
  public var items: [SupervisorItem] {
    escalations.map { .escalation($0.id) } + approvals.map { .approval($0.id) }
      + deliveries.map { .delivery($0.id) } + overdue.map { .overdue($0.id) }
      + holding.map { .holding($0.id) }
      + watched.map { .watched($0.platform + "/" + $0.handle) } + snippets.map { .snippet($0.id) }
  }

  public func escalation(_ id: Int64) -> BoardEscalation? { escalations.first { $0.id == id } }
}

extension InboxState {
  /// The mode the inbox returns to after a prompt or help.
  var baseMode: InboxMode { person.active ? .person : supervisor.active ? .supervisor : .queue }

  /// `E`: to the escalation pane and back.
  mutating func toggleSupervisor() -> [InboxEffect] {
    if supervisor.active {
      supervisor.active = false
      mode = .queue
      return [.reload]
    }
    guard supervisor.allowed else {
      message = StatusMessage(strings[SupervisorText.supervisorsOnly], isError: true)
      return []
    }
    supervisor.active = true
    mode = .supervisor
    return [.loadBoard]
  }

  /// The pane's handling of a command; nil when the inbox's usual handling applies (help, quit).
  mutating func handleSupervisor(_ command: InboxCommand) -> [InboxEffect]? {
    guard supervisor.active else { return nil }
    let count = supervisor.items.count
    func move(to index: Int) -> [InboxEffect] {
      supervisor.selected = max(0, min(count - 1, index))
      return []
    }
    let page = max(1, size.height / 3)
    switch command {
    case .moveDown: return move(to: supervisor.selected + 1)
    case .moveUp: return move(to: supervisor.selected - 1)
    case .pageDown: return move(to: supervisor.selected + page)
    case .pageUp: return move(to: supervisor.selected - page)
    case .top: return move(to: 0)
    case .bottom: return move(to: count - 1)
    case .supervisor, .back: return toggleSupervisor()
    case .help, .quit: return nil
    case .acknowledge:
      guard case .escalation(let id)? = supervisor.selectedItem else { return chooseEscalation() }
      return [.supervise(.acknowledge(escalation: id))]
    case .resolve, .assign, .note:
      // `A` assigns: here, the selected escalation to a teammate (the inbox's `A`, issue 16).
      guard case .escalation(let id)? = supervisor.selectedItem else { return chooseEscalation() }
      input = command == .assign ? (supervisor.board?.escalation(id)?.owner ?? "") : ""
      mode = .prompt(command == .resolve ? .resolve : command == .assign ? .reassign : .escalationNote)
      return []
    case .approve:
      if case .snippet(let id)? = supervisor.selectedItem { return [.supervise(.approveSnippet(id))] }
      guard case .approval(let id)? = supervisor.selectedItem else { return chooseApproval() }
      return [.supervise(.approve(reply: id))]
    case .sendBack:
      if case .snippet? = supervisor.selectedItem {
        input = ""
        mode = .prompt(.rejectSnippet)
        return []
      }
      guard case .approval? = supervisor.selectedItem else { return chooseApproval() }
      input = ""
      mode = .prompt(.sendBack)
      return []
    default:
      message = StatusMessage(strings[SupervisorText.inboxKeysInInbox])
      return []
    }
  }

  /// The wheel moves the pane's selection; a click does nothing there (no row under it is a queue row).
  mutating func handleSupervisorMouse(_ mouse: MouseEvent) -> [InboxEffect] {
    let count = supervisor.items.count
    switch mouse.action {
    case .wheelUp: supervisor.selected = max(0, supervisor.selected - 3)
    case .wheelDown: supervisor.selected = max(0, min(count - 1, supervisor.selected + 3))
    default: break
    }
    return []
  }

  private mutating func chooseEscalation() -> [InboxEffect] {
    message = StatusMessage(strings[SupervisorText.chooseEscalation], isError: true)
    return []
  }

  private mutating func chooseApproval() -> [InboxEffect] {
    message = StatusMessage(strings[SupervisorText.chooseApproval], isError: true)
    return []
  }

  /// A prompt of the pane was confirmed with `text`.
  mutating func submitSupervisorPrompt(_ kind: PromptKind, _ text: String) -> [InboxEffect] {
    switch (kind, supervisor.selectedItem) {
    case (.resolve, .escalation(let id)?):
      return [.supervise(.resolve(escalation: id, note: text))]
    case (.reassign, .escalation(let id)?):
      guard !text.isEmpty else { return [] }
      return [.supervise(.reassign(escalation: id, to: text))]
    case (.escalationNote, .escalation(let id)?):
      guard !text.isEmpty else { return [] }
      return [.supervise(.note(escalation: id, text: text))]
    case (.sendBack, .approval(let id)?):
      guard !text.isEmpty else {
        message = StatusMessage(strings[SupervisorText.sendBackNeedsNote], isError: true)
        return []
      }
      return [.supervise(.sendBack(reply: id, note: text))]
    case (.rejectSnippet, .snippet(let id)?):
      guard !text.isEmpty else {
        message = StatusMessage(strings[SnippetText.rejectNeedsNote], isError: true)
        return []
      }
      return [.supervise(.rejectSnippet(id, note: text))]
    default:
      return []
    }
  }
}

/// The escalation pane's own keys: letters the inbox leaves free, so no global key is shadowed.
enum SupervisorKeys {
  static func table(_ s: Strings) -> KeyMap<InboxCommand> {
    var map = KeyMap<InboxCommand>(title: s[SupervisorText.keysTitle])
    try! map.bind(["a"], to: .acknowledge, s[SupervisorText.cmdAcknowledge])
    try! map.bind(["R"], to: .resolve, s[SupervisorText.cmdResolve])
    try! map.bind(["y"], to: .approve, s[SupervisorText.cmdApprove])
    try! map.bind(["b"], to: .sendBack, s[SupervisorText.cmdSendBack])
    return map
  }
}

/// The escalation pane's text, in English and Dutch.
public enum SupervisorText: String, CaseIterable, Sendable {
  case title, escalationsTitle, approvals, deliveriesTitle, overdueTitle, holdingTitle, watchedTitle, figures,
    none, keysTitle,
    paneHint,
    paneHintShort, paneHintSnippets
  case cmdAcknowledge, cmdResolve, cmdReassign, cmdApprove, cmdSendBack
  case promptResolve, promptReassign, promptSendBack, promptEscalationNote
  case supervisorsOnly, inboxKeysInInbox, chooseEscalation, chooseApproval, sendBackNeedsNote
  case stateNew, stateAcknowledged, stateResolved, handledBy, nobody, by, since, reactions, mentions
  case openTitle, withinTarget, today, week, responseTimes, median, p90, volume, max, pending, of
  case followUpLabel, firstResponseLabel, earliest, loading, acknowledged, resolved, reassigned, noted,
    approved
  case sentBack
  case deliveryFailed, deliveryUnverified, nextCheck
  case overridesTitle
  case followUpWithinTarget
}

extension Strings {
  public subscript(_ key: SupervisorText) -> String {
    let pair = Self.supervisorTable[key] ?? (key.rawValue, key.rawValue)
    return language == .nl ? pair.nl : pair.en
  }

  /// A count with its noun in agreement, as `count(_:_:)` for the inbox's strings.
  public func count(_ n: Int, _ key: SupervisorText) -> String {
    guard n == 1, let one = Self.supervisorSingular[key] else { return "\(n) \(self[key])" }
    return "1 \(language == .nl ? one.nl : one.en)"
  }

  static let supervisorSingular: [SupervisorText: (en: String, nl: String)] = [
    .mentions: ("mention", "bericht"), .reactions: ("reaction by others", "reactie van anderen"),
  ]

  public func escalationState(_ raw: String) -> String {
    switch raw {
    case "new": return self[SupervisorText.stateNew]
    case "acknowledged": return self[SupervisorText.stateAcknowledged]
    case "resolved": return self[SupervisorText.stateResolved]
    default: return TerminalSafe.sanitize(raw)
    }
  }

  static let supervisorTable: [SupervisorText: (en: String, nl: String)] = [
    .title: ("Escalation pane", "Escalatiescherm"),
    .escalationsTitle: ("Escalations", "Escalaties"),
    .approvals: ("Replies awaiting approval, four eyes", "Reacties die op goedkeuring wachten, vier ogen"),
    .deliveriesTitle: ("Deliveries that need a person", "Verzendingen die iemand nodig hebben"),
    .deliveryFailed: ("failed", "mislukt"), .deliveryUnverified: ("unverified", "onbevestigd"),
    .nextCheck: ("next check", "volgende controle"),
    .overdueTitle: ("Overdue", "Te laat"),
    .overridesTitle: ("Replied against the advice", "Gereageerd tegen het advies in"),
    .holdingTitle: (
      "Holding replies waiting for their follow-up (S12)", "Wachtberichten die op hun vervolg wachten (S12)"
    ),
    .watchedTitle: ("Watched authors (S8)", "Gevolgde auteurs (S8)"),
    .figures: ("Team figures", "Cijfers van het team"),
    .none: ("none", "geen"),
    .keysTitle: ("Escalation pane (E)", "Escalatiescherm (E)"),
    .paneHint: (
      "a acknowledge · R resolve · A reassign · N note · y approve · b send back · E inbox",
      "a gezien · R afhandelen · A toewijzen · N notitie · y goedkeuren · b terugsturen · E inbox"
    ),
    .paneHintSnippets: (
      "a acknowledge · R resolve · A reassign · N note · y approve · b send back/reject · E inbox",
      "a gezien · R afhandelen · A toewijzen · N notitie · y goedkeuren · b terugsturen/afwijzen · E inbox"
    ),
    .paneHintShort: ("a R A N y b: act · ? keys · E inbox", "a R A N y b: handelen · ? toetsen · E inbox"),
    .cmdAcknowledge: ("acknowledge the escalation", "escalatie als gezien markeren"),
    .cmdResolve: ("resolve the escalation with a note", "escalatie afhandelen met een notitie"),
    .cmdReassign: ("reassign the escalation to a responder", "escalatie toewijzen aan een medewerker"),
    .cmdApprove: ("approve the reply: it may be sent", "reactie goedkeuren: mag verstuurd worden"),
    .cmdSendBack: ("send the reply back with a note", "reactie terugsturen met een notitie"),
    .promptResolve: ("resolve, what was done: ", "afhandelen, wat is er gedaan: "),
    .promptReassign: ("reassign to (login or name): ", "toewijzen aan (login of naam): "),
    .promptSendBack: ("send back, note for the responder: ", "terugsturen, notitie voor de medewerker: "),
    .promptEscalationNote: ("note on the escalation: ", "notitie bij de escalatie: "),
    .supervisorsOnly: (
      "the escalation pane is for supervisors (role in the policy's roster)",
      "het escalatiescherm is voor leidinggevenden (rol in het rooster van het beleid)"
    ),
    .inboxKeysInInbox: (
      "that key works in the inbox: E goes back", "die toets werkt in de inbox: E gaat terug"
    ),
    .chooseEscalation: ("select an escalation first", "kies eerst een escalatie"),
    .chooseApproval: (
      "select a reply awaiting approval first", "kies eerst een reactie die op goedkeuring wacht"
    ),
    .sendBackNeedsNote: ("say why it goes back", "zeg waarom hij terug gaat"),
    .stateNew: ("new", "nieuw"), .stateAcknowledged: ("seen", "gezien"),
    .stateResolved: ("resolved", "afgehandeld"),
    .handledBy: ("handled by", "behandeld door"), .nobody: ("nobody", "niemand"), .by: ("by", "door"),
    .since: ("since", "sinds"), .reactions: ("reactions by others", "reacties van anderen"),
    .mentions: ("mentions", "berichten"),
    .openTitle: ("Open per category", "Open per categorie"),
    .withinTarget: ("First response within target", "Eerste reactie binnen de norm"),
    .today: ("today", "vandaag"), .week: ("7 days", "7 dagen"),
    .followUpWithinTarget: ("Follow-up within target", "Opvolging binnen de norm"),
    .responseTimes: ("First response, 7 days", "Eerste reactie, 7 dagen"),
    .median: ("median", "mediaan"), .p90: ("p90", "p90"),
    .volume: ("Volume per hour, 24h", "Volume per uur, 24 u"),
    .max: ("max", "max"), .pending: ("pending", "lopend"), .of: ("of", "van"),
    .followUpLabel: ("follow-up", "vervolg"), .firstResponseLabel: ("first response", "eerste reactie"),
    .earliest: ("earliest", "vroegst"), .loading: ("loading…", "laden…"),
    .acknowledged: ("acknowledged", "als gezien gemarkeerd"), .resolved: ("resolved", "afgehandeld"),
    .reassigned: ("reassigned", "toegewezen"), .noted: ("note added", "notitie toegevoegd"),
    .approved: ("approved: the reply may go out", "goedgekeurd: de reactie mag de deur uit"),
    .sentBack: ("sent back to the responder", "teruggestuurd naar de medewerker"),
  ]
}

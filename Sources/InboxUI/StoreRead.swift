import Desk
import Inbox

/// What the inbox was reading from its store when the store failed, for the status line.
enum StoreRead {
  case changes, newest, escalationRules, snoozes, search, reply, sourceHealth, counts, queue, detail, views
  case notices, snippets, person

  /// The longest a store's own message may take on the status line.
  static let detailLimit = 80

  /// "Could not load the queue: disk I/O error": what failed, then the store's reason on one line,
  /// made safe for the terminal and cut short.
  func failure(_ error: any Error, _ language: UILanguage) -> String {
    var reason = TerminalSafe.sanitize(String(describing: error))
      .trimmingCharacters(in: .whitespaces)
    if reason.count > Self.detailLimit { reason = String(reason.prefix(Self.detailLimit - 1)) + "…" }
    return "\(language == .nl ? dutch : english): \(reason)"
  }

  var english: String {
    switch self {
    case .changes: return "Could not look for changes in the store"
    case .newest: return "Could not look for new mentions"
    case .escalationRules: return "Could not apply the escalation rules"
    case .snoozes: return "Could not wake snoozed mentions"
    case .search: return "Could not read the search index"
    case .reply: return "Could not load the reply's teammates"
    case .snippets: return "Could not read the team's snippets"
    case .sourceHealth: return "Could not read the sources' health"
    case .counts: return "Could not count the queue"
    case .queue: return "Could not load the queue"
    case .detail: return "Could not load the mention"
    case .views: return "Could not read the views"
    case .notices: return "Could not read your notices"
    case .person: return "Could not load the person"
    }
  }

  var dutch: String {
    switch self {
    case .changes: return "Kon niet kijken of de opslag veranderde"
    case .newest: return "Kon niet kijken naar nieuwe vermeldingen"
    case .escalationRules: return "Kon de escalatieregels niet toepassen"
    case .snoozes: return "Kon gesluimerde vermeldingen niet wekken"
    case .search: return "Kon de zoekindex niet lezen"
    case .reply: return "Kon de collega's bij het antwoord niet laden"
    case .snippets: return "Kon de snippets van het team niet lezen"
    case .sourceHealth: return "Kon de gezondheid van de bronnen niet lezen"
    case .counts: return "Kon de wachtrij niet tellen"
    case .queue: return "Kon de wachtrij niet laden"
    case .detail: return "Kon de vermelding niet laden"
    case .views: return "Kon de weergaven niet lezen"
    case .notices: return "Kon je meldingen niet lezen"
    case .person: return "Kon de persoon niet laden"
    }
  }
}

import Foundation
import Inbox
import Policy

/// The person view's words and lines (issue 16), shared by the inbox's `p` and `repute person`,
/// so both say the same thing the same way.
public enum PersonText {
  /// `Timeline · @handle` (`Tijdlijn · @handle`).
  public static func title(_ summary: PersonSummary, _ l: some Localised) -> String {
    let handle = summary.identities.first.map { "@" + $0.handle } ?? "?"
    return (l.language == .nl ? "Tijdlijn · " : "Timeline · ") + handle
  }

  /// `3d ago` (`3d geleden`); `never` (`nooit`) for no date.
  public static func ago(_ date: Date?, now: Date, _ l: some Localised) -> String {
    guard let date else { return l.language == .nl ? "nooit" : "never" }
    let age = Format.age(now.timeIntervalSince(date))
    return l.language == .nl ? "\(age) geleden" : "\(age) ago"
  }

  /// The header's lines: identities, how often and how recently they complained, watched, note.
  public static func header(_ summary: PersonSummary, now: Date, _ l: some Localised) -> [String] {
    let nl = l.language == .nl
    var lines: [String] = []
    let ids = summary.identities.map { "@\($0.handle) (\($0.platform))" }.joined(separator: " + ")
    let posts =
      summary.posts == 1 ? (nl ? "1 bericht" : "1 post") : "\(summary.posts) " + (nl ? "berichten" : "posts")
    lines.append(ids + " · " + posts)
    let complaints =
      nl
      ? "Klachten: \(summary.complaints30) in 30 dagen, \(summary.complaints90) in 90 dagen, laatste "
      : "Complaints: \(summary.complaints30) in 30 days, \(summary.complaints90) in 90 days, last "
    var watch = ""
    if summary.watched { watch = nl ? " · gevolgd" : " · watched" }
    lines.append(complaints + ago(summary.lastComplaint, now: now, l) + watch)
    if let note = summary.note {
      lines.append((nl ? "Notitie" : "Note") + " (\(note.by)): " + note.text)
    }
    return lines
  }

  /// The glyph and the word of a timeline line's kind.
  public static func kind(_ kind: TimelineItem.Kind, _ l: some Localised) -> String {
    let nl = l.language == .nl
    switch kind {
    case .mention: return nl ? "✉ bericht" : "✉ post"
    case .reply: return nl ? "↩ antwoord" : "↩ reply"
    case .note: return nl ? "✎ notitie" : "✎ note"
    case .escalation: return nl ? "⚑ escalatie" : "⚑ escalated"
    case .watch: return nl ? "◉ gevolgd" : "◉ watched"
    case .unwatch: return nl ? "○ niet meer gevolgd" : "○ unwatched"
    }
  }

  /// One timeline line: `3d ago  ✉ post #12 complaint · open: text` (text on one line).
  public static func line(_ item: TimelineItem, now: Date, _ l: some Localised) -> String {
    let when = ago(item.at, now: now, l)
    let padded = when + String(repeating: " ", count: max(1, 12 - when.count))
    var head = kind(item.kind, l) + " #\(item.mentionID)"
    var text = item.text
    switch item.kind {
    case .mention:
      // The store gives `category · status` in its own words; shown in the view's language.
      let words = item.state.components(separatedBy: " · ").map { word(word: $0, l) }
      head += " " + item.platform + (words.isEmpty ? "" : " · " + words.joined(separator: " · "))
    case .reply:
      head += " " + item.actor + (item.state.isEmpty ? "" : " (\(l.replyStatus(item.state)))")
    case .escalation:
      head += " " + item.actor + (item.state.isEmpty ? "" : " (\(word(word: item.state, l)))")
      text = l.reason(item.text)
    case .note, .watch, .unwatch:
      head += " " + item.actor
    }
    text = TerminalSafe.sanitize(text).split(whereSeparator: \.isNewline).joined(separator: " ")
    return padded + head + (text.isEmpty ? "" : ": " + text)
  }
}

extension PersonText {
  /// A stored word (a category, a mention's status, an escalation's state) in the language.
  static func word(word: String, _ l: some Localised) -> String {
    if let category = Category(rawValue: word) { return l.category(category) }
    let words: [String: (en: String, nl: String)] = [
      "open": ("open", "open"), "holding": ("holding", "wachtbericht"), "replied": ("replied", "beantwoord"),
      "no_reply": ("no reply", "geen reactie"), "snoozed": ("snoozed", "gesluimerd"),
      "new": ("new", "nieuw"), "acknowledged": ("acknowledged", "gezien"),
      "resolved": ("resolved", "opgelost"),
    ]
    guard let pair = words[word] else { return word }
    return l.language == .nl ? pair.nl : pair.en
  }

  /// The person view's name in help: `Person view` (`Persoonsweergave`).
  public static func viewTitle(_ l: some Localised) -> String {
    l.language == .nl ? "Persoonsweergave" : "Person view"
  }
}

extension PersonText {
  /// The detail's heading for the note on the person: `Note on the person` (`Notitie over de persoon`).
  public static func noteHeading(_ l: some Localised) -> String {
    l.language == .nl ? "Notitie over de persoon" : "Note on the person"
  }
}

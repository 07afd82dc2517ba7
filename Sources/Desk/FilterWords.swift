import Foundation
import Inbox
import Policy

/// The filter language of the inbox's `f` prompt and `repute list --filter`: one parser for both,
/// here so the plain commands need not import the inbox. Each word names a category, status,
/// clock or platform (bare, or after `category:`, `status:`, `clock:`, `platform:`), or is one of
/// `mine` (claimed by or assigned to me), `unclaimed`, `claimed:NAME`, `assigned:NAME`, `lang:xx`, `escalated`, `watched`, `since:DATE`,
/// `until:DATE`; English and Dutch words and the stored names are all understood. A NAME is the
/// roster's full name, its login or its first name (case-insensitive), so "Carmen de Wit" is
/// `claimed:carmen` or `claimed:cdewit`; a name not on the roster is compared as typed. Words of
/// one kind are alternatives, kinds combine.
public enum FilterWords {
  /// The words as a hint, for the prompt and `--help`.
  public static func hint(_ language: UILanguage) -> String {
    switch language {
    case .en:
      return
        "mine unclaimed claimed:NAME assigned:NAME (or login, first name) category: status: "
        + "(closed snoozed no-reply) clock: platform: "
        + "lang:xx escalated watched since:/until:YYYY-MM-DD"
    case .nl:
      return
        "mijn vrij geclaimd:NAAM toegewezen:NAAM (of login, voornaam) categorie: status: "
        + "(gesloten gesluimerd geen-reactie) klok: platform: "
        + "taal:xx geëscaleerd gevolgd sinds:/tot:JJJJ-MM-DD"
    }
  }

  static let knownPlatforms: Set<String> = [
    "mastodon", "bluesky", "x", "twitter", "rss", "csv", "facebook", "instagram", "linkedin",
  ]

  /// The names of a status in both languages (the stored name first).
  static func names(_ s: MentionStatus) -> [String] {
    switch s {
    case .open: return ["open"]
    case .holding: return ["holding", "wachtbericht"]
    case .replied: return ["replied", "beantwoord"]
    case .noReply: return ["no_reply", "no-reply", "no reply", "geen reactie", "geen-reactie"]
    case .snoozed: return ["snoozed", "gesluimerd"]
    }
  }

  /// The names of a clock state in both languages (the stored name first).
  static func names(_ c: ClockState) -> [String] {
    switch c {
    case .cooling: return ["cooling", "afkoelen"]
    case .onTime: return [c.rawValue, "on time", "op tijd"]
    case .dueSoon: return [c.rawValue, "due soon", "bijna"]
    case .overdue: return ["overdue", "te laat"]
    case .none: return [c.rawValue, "nothing due", "niets open"]
    }
  }

  /// Statuses a mention is done in: answered, or closed without a reply.
  static let closed: Set<MentionStatus> = [.replied, .noReply]

  /// Reads `text` into a filter. `me` is who `mine` means; dates are days in `timeZone` (the service
  /// hours' zone), `until:` taking in the whole day named; `team` (the policy's roster) turns a
  /// login or first name after `claimed:`/`assigned:` into the stored full name. Returns the words
  /// it did not know.
  public static func parse(_ text: String, me: String?, timeZone: TimeZone, team: [TeamMember] = []) -> (
    filter: QueueFilter, unknown: [String]
  ) {
    var filter = QueueFilter()
    var unknown: [String] = []
    for raw in text.split(whereSeparator: { $0.isWhitespace || $0 == "," }) {
      let original = String(raw)
      let word = original.lowercased()
      let (key, value): (String?, String) = {
        guard let colon = word.firstIndex(of: ":") else { return (nil, word) }
        return (String(word[..<colon]), String(word[word.index(after: colon)...]))
      }()
      let argument =
        key == nil ? "" : String(original[original.index(after: original.firstIndex(of: ":")!)...])
      if !read(
        key: key, value: value, argument: argument, into: &filter, me: me, timeZone: timeZone, team: team)
      {
        unknown.append(original)
      }
    }
    return (filter, unknown)
  }

  /// The `claimed:NAME` and `assigned:NAME` words whose NAME is a first name several people on
  /// the roster share, each with the full names it could mean. `parse` cannot pick one of them, so
  /// the prompt and `repute list --filter` refuse such a filter and name the candidates.
  public static func ambiguous(_ text: String, team: [TeamMember]) -> [(word: String, candidates: [String])] {
    let people: Set<String> = ["claimed", "geclaimd", "assigned", "toegewezen"]
    return text.split(whereSeparator: { $0.isWhitespace || $0 == "," }).compactMap { raw in
      guard let colon = raw.firstIndex(of: ":"), people.contains(raw[..<colon].lowercased()) else {
        return nil
      }
      let name = String(raw[raw.index(after: colon)...])
      guard !name.isEmpty else { return nil }
      do {
        _ = try TeamMember.matching(name, in: team)
      } catch RosterRefusal.ambiguous(_, let matches) {
        return (String(raw), matches)
      } catch {}
      return nil
    }
  }

  private static func read(
    key: String?, value: String, argument: String, into filter: inout QueueFilter, me: String?,
    timeZone: TimeZone, team: [TeamMember]
  ) -> Bool {
    // A person's name as stored: the roster's full name for a login or first name, else as typed.
    func person() -> String { (try? TeamMember.matching(argument, in: team))?.name ?? argument }
    func matches(_ names: [String]) -> Bool {
      names.contains { $0.replacingOccurrences(of: " ", with: "_") == value || $0 == value }
    }
    let wordsets = [Words(.en), Words(.nl)]
    switch key {
    case nil, "category", "categorie":
      let named = Category.allCases.first { c in matches([c.rawValue] + wordsets.map { $0.category(c) }) }
      if let c = named {
        filter.categories.insert(c)
        return true
      }
      if key != nil { return false }
    default: break
    }
    switch key {
    case nil, "status":
      if ["closed", "gesloten"].contains(value) {
        filter.statuses.formUnion(closed)
        return true
      }
      if let s = MentionStatus.allCases.first(where: { matches(names($0)) }) {
        filter.statuses.insert(s)
        return true
      }
      if key != nil { return false }
    default: break
    }
    switch key {
    case nil, "clock", "klok":
      if let k = ClockState.allCases.first(where: { matches(names($0)) }) {
        filter.clocks.insert(k)
        return true
      }
      if key != nil { return false }
    default: break
    }
    switch (key, value) {
    case (nil, "mine"), (nil, "mijn"):
      guard let me else { return false }
      // Mine: what I claimed, and what a supervisor assigned to me.
      filter.claimants.insert(me)
      filter.assignees.insert(me)
    case (nil, "unclaimed"), (nil, "vrij"): filter.unclaimed = true
    case (nil, "escalated"), (nil, "geëscaleerd"), (nil, "geescaleerd"): filter.escalated = true
    case (nil, "watched"), (nil, "gevolgd"): filter.watched = true
    case ("claimed", _), ("geclaimd", _):
      guard !argument.isEmpty else { return false }
      filter.claimants.insert(person())
    case ("assigned", _), ("toegewezen", _):
      guard !argument.isEmpty else { return false }
      filter.assignees.insert(person())
    case ("lang", _), ("taal", _):
      guard value.count >= 2, value.count <= 8, value.allSatisfy({ $0.isLetter || $0 == "-" }) else {
        return false
      }
      filter.languages.insert(value)
    case ("since", _), ("sinds", _), ("until", _), ("tot", _):
      guard let day = day(value, timeZone: timeZone) else { return false }
      let since = key == "since" || key == "sinds"
      filter.spanWords.removeAll { $0.hasPrefix(since ? "since:" : "until:") }
      filter.spanWords.append((since ? "since:" : "until:") + value)
      if since {
        filter.since = day
      } else {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        filter.until = calendar.date(byAdding: .day, value: 1, to: day)
      }
    case (nil, _), ("platform", _):
      if knownPlatforms.contains(value) {
        filter.platforms.insert(value)
      } else if key == nil, value.hasPrefix("@"), value.count > 1 {
        filter.platforms.insert(String(value.dropFirst()))
      } else {
        return false
      }
    default: return false
    }
    return true
  }

  /// Midnight of a `YYYY-MM-DD` day in `timeZone`.
  static func day(_ text: String, timeZone: TimeZone) -> Date? {
    let parts = text.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
    guard parts.count == 3, text.count == 10, let y = parts[0], let m = parts[1], let d = parts[2],
      (1...12).contains(m), (1...31).contains(d)
    else { return nil }
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = timeZone
    let components = DateComponents(year: y, month: m, day: d)
    guard components.isValidDate(in: calendar) else { return nil }
    return calendar.date(from: components)
  }
}

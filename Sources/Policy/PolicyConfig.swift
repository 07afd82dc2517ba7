import Foundation

/// The organisation's policy: everything the rules S1–S16 leave to the organisation (S1).
///
/// One value is in force per store; every process classifies, advises and checks replies with it,
/// so two inboxes never disagree. `PolicyConfig.default` is the article's policy; a policy file
/// (`PolicyFile.parse`) overrides what it names and keeps the defaults for the rest.
public struct PolicyConfig: Sendable, Hashable {
  public var organisation: Organisation
  public var team: [TeamMember]
  /// When the team is at work; nil means the clocks run around the clock.
  public var serviceHours: ServiceHours?
  /// The response window per category; a category without an entry needs no reply.
  public var windows: [Category: ResponseWindow]
  /// Holding reply (S12) → follow-up: how long after a holding reply the real answer is due.
  public var holdingFollowUp: Duration
  /// Whether the holding follow-up counts service hours only.
  public var holdingFollowUpInServiceHours: Bool
  public var rumours: [Rumour]
  /// Accounts of the organisation's own staff (S5: their praise is self-praise), lowercased handles.
  public var staffAccounts: [String]
  public var noise: Noise
  public var tone: Tone
  public var escalation: Escalation
  public var signature: SignatureFormat
  public var templates: [Template]
  /// The reasons a mention may be closed without a reply with, per category.
  public var closing: Closing
  /// How long a sent reply waits in the outbox before a courier may deliver it: the window in
  /// which `u` takes it back into the editor (`[outbox] send_delay_seconds`, default 10).
  public var sendDelay: TimeInterval
  /// The views every inbox starts with (`[[views]]`); the store's saved views win by name.
  public var views: [PolicyView]
  /// The same author posting the same text again within this long is one row in the queue,
  /// answered once (`[queue] repeat_window`, default 2 hours; 0: never folded).
  public var repeatWindow: Duration = .seconds(2 * 3600)

  public init(
    organisation: Organisation = Organisation(),
    team: [TeamMember] = [],
    serviceHours: ServiceHours? = nil,
    windows: [Category: ResponseWindow] = [:],
    holdingFollowUp: Duration = .seconds(24 * 3600),
    holdingFollowUpInServiceHours: Bool = false,
    rumours: [Rumour] = [],
    staffAccounts: [String] = [],
    noise: Noise = Noise(),
    tone: Tone = Tone(),
    escalation: Escalation = Escalation(),
    signature: SignatureFormat = SignatureFormat(),
    templates: [Template] = [],
    closing: Closing = Closing(),
    sendDelay: TimeInterval = 10,
    views: [PolicyView] = []
  ) {
    self.views = views
    self.closing = closing
    self.sendDelay = sendDelay
    self.organisation = organisation
    self.team = team
    self.serviceHours = serviceHours
    self.windows = windows
    self.holdingFollowUp = holdingFollowUp
    self.holdingFollowUpInServiceHours = holdingFollowUpInServiceHours
    self.rumours = rumours
    self.staffAccounts = staffAccounts
    self.noise = noise
    self.tone = tone
    self.escalation = escalation
    self.signature = signature
    self.templates = templates
  }

  /// The team member with this login, if any.
  public func member(login: String) -> TeamMember? {
    team.first { $0.login == login }
  }

  /// The template with this id, if any.
  public func template(id: String) -> Template? {
    templates.first { $0.id == id }
  }

  /// The template for a use in a language, falling back to English, then to any language.
  public func template(for kind: TemplateKind, lang: String) -> Template? {
    templates.first { $0.kind == kind && $0.lang == lang }
      ?? templates.first { $0.kind == kind && $0.lang == "en" }
      ?? templates.first { $0.kind == kind }
  }

  /// True when the handle is one of the organisation's own accounts on any platform.
  public func isOwnAccount(_ handle: String, platform: String? = nil) -> Bool {
    let h = Handle.normalise(handle)
    if let platform {
      return organisation.accounts[platform.lowercased()]?.contains { Handle.normalise($0) == h } ?? false
    }
    return organisation.accounts.values.contains { list in list.contains { Handle.normalise($0) == h } }
  }

  /// True when the handle is on the staff list (S5).
  public func isStaff(_ handle: String) -> Bool {
    let h = Handle.normalise(handle)
    return staffAccounts.contains { Handle.normalise($0) == h }
  }
}

/// Handles compare without a leading `@` and without case: `@Acme` is `acme`.
public enum Handle {
  public static func normalise(_ handle: String) -> String {
    // Most handles are already plain lower-case ASCII: skip Foundation's trimming and case mapping.
    if handle.utf8.allSatisfy({
      ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E || $0 == 0x5F || $0 == 0x2D
    }) {
      return handle
    }
    // ASCII (nearly all handles): fold case and trim by byte; Foundation only for the rest.
    if handle.utf8.allSatisfy({ $0 < 0x80 }) {
      var bytes = Array(handle.utf8)
      while let last = bytes.last, last == 0x20 || last == 0x09 { bytes.removeLast() }
      var start = 0
      while start < bytes.count, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
      while start < bytes.count, bytes[start] == 0x40 { start += 1 }
      for i in start..<bytes.count where bytes[i] >= 0x41 && bytes[i] <= 0x5A { bytes[i] += 0x20 }
      return String(decoding: bytes[start...], as: UTF8.self)
    }
    var s = handle.trimmingCharacters(in: .whitespaces).lowercased()
    while s.hasPrefix("@") { s.removeFirst() }
    return s
  }
}

/// Who the organisation is.
public struct Organisation: Sendable, Hashable {
  /// The names people use for the organisation ("Acme", "Acme Airlines").
  public var names: [String]
  /// Own accounts per platform (`mastodon`, `bluesky`, `x`, …): their posts stay out of the queue and
  /// tell S11 who "the organisation" is in a thread.
  public var accounts: [String: [String]]

  public init(names: [String] = [], accounts: [String: [String]] = [:]) {
    self.names = names
    self.accounts = accounts
  }
}

/// A responder's or supervisor's role on the team (S14).
public enum TeamRole: String, Sendable, Hashable, CaseIterable, Codable {
  case responder
  case supervisor
}

/// One person on the webcare team. Replies are signed with their name (S16).
public struct TeamMember: Sendable, Hashable {
  public var name: String
  public var initials: String
  public var login: String
  public var role: TeamRole

  public init(name: String, initials: String? = nil, login: String, role: TeamRole = .responder) {
    self.name = name
    self.initials = initials ?? TeamMember.initials(of: name)
    self.login = login
    self.role = role
  }

  /// The first word of the name: "Anna" for "Anna de Vries".
  public var firstName: String {
    String(name.split(separator: " ").first ?? Substring(name))
  }

  /// Initials from a name, skipping Dutch tussenvoegsels: "Anna de Vries" → "AV".
  public static func initials(of name: String) -> String {
    let particles: Set<String> = ["de", "den", "der", "van", "het", "ten", "ter", "te", "op", "in", "'t"]
    let parts = name.split(separator: " ").filter { !particles.contains($0.lowercased()) }
    return String(parts.compactMap { $0.first }.map { Character($0.uppercased()) })
  }
}

/// A time of day, minutes after midnight, in the service hours' time zone.
public struct TimeOfDay: Sendable, Hashable, Comparable, CustomStringConvertible {
  public var minutes: Int

  public init(minutes: Int) { self.minutes = minutes }
  public init(hour: Int, minute: Int = 0) { self.minutes = hour * 60 + minute }

  /// Parses `HH:MM` (00:00 … 24:00).
  public init?(_ text: String) {
    let parts = text.split(separator: ":", omittingEmptySubsequences: false)
    guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
      let h = Int(parts[0]), let m = Int(parts[1]), (0...24).contains(h), (0..<60).contains(m),
      h < 24 || m == 0
    else { return nil }
    self.minutes = h * 60 + m
  }

  public var description: String {
    let h = minutes / 60
    let m = minutes % 60
    return (h < 10 ? "0" : "") + String(h) + ":" + (m < 10 ? "0" : "") + String(m)
  }

  public static func < (a: TimeOfDay, b: TimeOfDay) -> Bool { a.minutes < b.minutes }
}

/// One stretch of work in a day, e.g. 08:00–12:30.
public struct Shift: Sendable, Hashable, CustomStringConvertible {
  public var start: TimeOfDay
  public var end: TimeOfDay

  public init(start: TimeOfDay, end: TimeOfDay) {
    self.start = start
    self.end = end
  }

  /// Parses `HH:MM-HH:MM`; the end must come after the start.
  public init?(_ text: String) {
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    guard parts.count == 2,
      let s = TimeOfDay(parts[0].trimmingCharacters(in: .whitespaces)),
      let e = TimeOfDay(parts[1].trimmingCharacters(in: .whitespaces)), s < e
    else { return nil }
    self.start = s
    self.end = e
  }

  public var description: String { "\(start)-\(end)" }
}

/// A calendar date without a time (a holiday), in the service hours' time zone.
public struct LocalDate: Sendable, Hashable, Comparable, CustomStringConvertible {
  public var year: Int
  public var month: Int
  public var day: Int

  public init(year: Int, month: Int, day: Int) {
    self.year = year
    self.month = month
    self.day = day
  }

  public var description: String {
    func pad(_ n: Int, _ w: Int) -> String {
      let s = String(n)
      return String(repeating: "0", count: max(0, w - s.count)) + s
    }
    return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
  }

  public static func < (a: LocalDate, b: LocalDate) -> Bool {
    (a.year, a.month, a.day) < (b.year, b.month, b.day)
  }
}

/// A day of the week, ISO order (Monday first).
public enum Weekday: String, Sendable, Hashable, CaseIterable {
  case monday, tuesday, wednesday, thursday, friday, saturday, sunday

  /// From Foundation's weekday number (1 = Sunday … 7 = Saturday).
  public init(gregorian: Int) {
    self = Weekday.allCases[(gregorian + 5) % 7]
  }
}

/// When the team is at work: a weekly schedule with split shifts, a time zone and holidays.
public struct ServiceHours: Sendable, Hashable {
  public var timeZone: TimeZone
  public var week: [Weekday: [Shift]]
  public var holidays: Set<LocalDate>

  public init(timeZone: TimeZone, week: [Weekday: [Shift]], holidays: Set<LocalDate> = []) {
    self.timeZone = timeZone
    self.week = week
    self.holidays = holidays
  }

  /// The shifts of a weekday, sorted; empty when closed.
  public func shifts(on day: Weekday) -> [Shift] {
    (week[day] ?? []).sorted { $0.start < $1.start }
  }
}

/// How fast a category should be answered (S11 cooling-off, S12 first-response target).
public struct ResponseWindow: Sendable, Hashable {
  /// Earliest sensible reply after arrival: think first, let anger settle (S11).
  public var coolingOff: Duration
  /// The target for the first response (S12).
  public var firstResponse: Duration
  /// Optional target for a follow-up after the first response (S10: follow up personally).
  public var followUp: Duration?
  /// Whether the window counts service hours only.
  public var serviceHours: Bool

  public init(
    coolingOff: Duration, firstResponse: Duration, followUp: Duration? = nil, serviceHours: Bool = true
  ) {
    self.coolingOff = coolingOff
    self.firstResponse = firstResponse
    self.followUp = followUp
    self.serviceHours = serviceHours
  }
}

/// A claim on the organisation's list of known rumours, with the facts that correct it (S9, S4).
///
/// Facts and sources exist per language: a Dutch correction quotes Dutch facts. The key `""`
/// holds what serves every language (a plain string in the policy file).
public struct Rumour: Sendable, Hashable {
  public var id: String
  /// Match patterns: words that must all occur (any order); `"a b"` for a phrase, `x*` for a prefix,
  /// `a|b` for alternatives. See `RumourPattern`.
  public var patterns: [String]
  /// The correct facts, in a sentence or two, per language (`nl`, `en`, or `""` for any).
  public var factsByLanguage: [String: String]
  /// Links to sources that back the facts (S9: correct with sources), per language like the facts.
  public var sourcesByLanguage: [String: [String]]

  public init(id: String, patterns: [String], facts: String, sources: [String]) {
    self.init(id: id, patterns: patterns, facts: ["": facts], sources: ["": sources])
  }

  public init(id: String, patterns: [String], facts: [String: String], sources: [String: [String]]) {
    self.id = id
    self.patterns = patterns
    self.factsByLanguage = facts
    self.sourcesByLanguage = sources
  }

  /// The facts to correct the rumour with in `lang`: that language's, else those for any
  /// language, else English, else the first language's.
  public func facts(in lang: String) -> String {
    Self.pick(factsByLanguage, lang) ?? ""
  }

  /// The sources for a correction in `lang`, chosen as `facts(in:)` chooses.
  public func sources(in lang: String) -> [String] {
    Self.pick(sourcesByLanguage, lang) ?? []
  }

  /// Every language's facts: what a reply that corrects the rumour may quote.
  public var allFacts: [String] { factsByLanguage.sorted { $0.key < $1.key }.map(\.value) }

  static func pick<T>(_ values: [String: T], _ lang: String) -> T? {
    values[lang.lowercased()] ?? values[""] ?? values["en"] ?? values.sorted { $0.key < $1.key }.first?.value
  }
}

/// Noise that never enters the queue.
public struct Noise: Sendable, Hashable {
  /// Words or phrases; a mention containing one is muted.
  public var mutedWords: [String]
  /// Handles whose mentions are muted.
  public var mutedAuthors: [String]

  public init(mutedWords: [String] = [], mutedAuthors: [String] = []) {
    self.mutedWords = mutedWords
    self.mutedAuthors = mutedAuthors
  }
}

/// Phrases the reply checks look for, per language (`nl`, `en`, …).
public struct Tone: Sendable, Hashable {
  /// Reproachful or know-it-all phrasing, unwelcome in a correction (S9).
  public var reproachful: [String: [String]]
  /// Phrases that make a reply an apology (S10).
  public var apologies: [String: [String]]
  /// Flag a row of this many exclamation marks or more (S9); 0 switches the check off.
  public var maxExclamations: Int

  public init(
    reproachful: [String: [String]] = [:], apologies: [String: [String]] = [:], maxExclamations: Int = 2
  ) {
    self.reproachful = reproachful
    self.apologies = apologies
    self.maxExclamations = maxExclamations
  }
}

/// What management must hear about (S8), and which replies a supervisor approves first.
public struct Escalation: Sendable, Hashable {
  /// Legal or press words per language ("advocaat", "journalist", "lawsuit", …).
  public var words: [String: [String]]
  /// An author with at least this many followers is high reach.
  public var highReach: Int
  /// A repeat complainer: this many complaints (the new one included) within `repeatWindow`.
  public var repeatComplaints: Int
  public var repeatWindow: Duration
  /// A mention still unanswered this long past its target is escalated as overdue; nil: never.
  public var overdueAfter: Duration?
  /// A sudden rise in volume: the last hour has at least `volumeFactor` times the usual for that
  /// hour (the mean of the same hour on the previous `volumeDays` days) and at least `volumeMinimum`.
  public var volumeFactor: Double
  public var volumeMinimum: Int
  public var volumeDays: Int
  /// Four eyes: replies to mentions of these categories wait for a supervisor's approval.
  public var approvalCategories: [Category]
  /// Four eyes: replies to mentions escalated for these reasons wait for a supervisor's approval.
  public var approvalReasons: [EscalationReason]

  public init(
    words: [String: [String]] = [:], highReach: Int = 10_000, repeatComplaints: Int = 3,
    repeatWindow: Duration = .seconds(7 * 86_400), overdueAfter: Duration? = .zero, volumeFactor: Double = 3,
    volumeMinimum: Int = 10, volumeDays: Int = 7, approvalCategories: [Category] = [],
    approvalReasons: [EscalationReason] = [.legalOrPress]
  ) {
    self.words = words
    self.highReach = highReach
    self.repeatComplaints = repeatComplaints
    self.repeatWindow = repeatWindow
    self.overdueAfter = overdueAfter
    self.volumeFactor = volumeFactor
    self.volumeMinimum = volumeMinimum
    self.volumeDays = volumeDays
    self.approvalCategories = approvalCategories
    self.approvalReasons = approvalReasons
  }
}

/// How replies are signed (S16): the text, a separator, then the format filled in.
public struct SignatureFormat: Sendable, Hashable {
  /// With placeholders `{first_name}`, `{name}`, `{initials}`: `– {first_name}`, `^{initials}`.
  public var format: String
  /// Between the reply text and the signature.
  public var separator: String

  public init(format: String = "– {first_name}", separator: String = " ") {
    self.format = format
    self.separator = separator
  }
}

/// What a template is for: a category's reply, or the holding reply of S12.
public enum TemplateKind: Sendable, Hashable, CustomStringConvertible {
  case category(Category)
  case holding

  public init?(rawValue: String) {
    if rawValue == "holding" {
      self = .holding
    } else if let c = Category(rawValue: rawValue) {
      self = .category(c)
    } else {
      return nil
    }
  }

  public var rawValue: String {
    switch self {
    case .holding: return "holding"
    case .category(let c): return c.rawValue
    }
  }

  public var description: String { rawValue }
}

/// A reply to start from, per use and language. Placeholders: `{author}` (the mention's author
/// handle), `{name}` (author's display name), `{organisation}`, `{facts}` and `{sources}` (the
/// matched rumour's, for corrections).
public struct Template: Sendable, Hashable {
  public var id: String
  public var kind: TemplateKind
  public var lang: String
  public var text: String

  public init(id: String, kind: TemplateKind, lang: String, text: String) {
    self.id = id
    self.kind = kind
    self.lang = lang
    self.text = text
  }

  /// The text with placeholders filled in; unknown placeholders stay as they are.
  public func fill(_ values: [String: String]) -> String {
    var out = text
    for (k, v) in values {
      out = out.replacingOccurrences(of: "{" + k + "}", with: v)
    }
    return out
  }
}

import Foundation
import TOMLKit

/// One thing wrong in a policy file, at a line a person can go to.
public struct PolicyFileIssue: Sendable, Hashable, CustomStringConvertible {
  public var path: String
  /// 1-based; nil only when the line could not be found.
  public var line: Int?
  public var message: String

  public init(path: String, line: Int?, message: String) {
    self.path = path
    self.line = line
    self.message = message
  }

  public var description: String {
    if let line { return "\(path):\(line): \(message)" }
    return "\(path): \(message)"
  }
}

/// Every issue found in a policy file; `description` has one `FILE:LINE: message` per line.
public struct PolicyFileError: Error, Sendable, Hashable, CustomStringConvertible {
  public var issues: [PolicyFileIssue]

  public init(issues: [PolicyFileIssue]) { self.issues = issues }

  public var description: String { issues.map(\.description).joined(separator: "\n") }
}

/// The policy file: TOML in, TOML out (S1).
///
/// A file names only what it changes: every key left out keeps its default, lists replace the
/// default list, tables keyed by language or platform replace per key, and templates are merged by
/// id. Unknown keys, wrong types and bad values are errors, all reported with their line.
public enum PolicyFile {
  /// The TOML table of a file the way every TOML file of Repute's is read (the policy, the live
  /// sources' config): a syntax error becomes `FILE:LINE: message`.
  public static func tomlTable(text: String, path: String) throws(PolicyFileError) -> TOMLTable {
    do {
      return try TOMLTable(string: text)
    } catch let error as TOMLParseError {
      throw PolicyFileError(issues: [
        PolicyFileIssue(path: path, line: error.source.begin.line, message: error.description)
      ])
    } catch {
      throw PolicyFileError(issues: [PolicyFileIssue(path: path, line: nil, message: "\(error)")])
    }
  }

  /// Parses a policy file; `path` is used in error messages.
  ///
  /// `stored`: the text of a policy a store already holds. A roster name with control characters
  /// is then read (it is made visible wherever shown, and nobody may act as it), not refused: an
  /// older Repute applied it, and refusing it would leave the store without a readable policy.
  public static func parse(text: String, path: String, stored: Bool = false) throws(PolicyFileError)
    -> PolicyConfig
  {
    let table = try tomlTable(text: text, path: path)
    var reader = PolicyReader(file: path, locator: TOMLKeyLocator(text: text))
    reader.refusesControlCharacters = !stored
    let policy = reader.read(table)
    if !reader.issues.isEmpty {
      let sorted = reader.issues.enumerated().sorted {
        ($0.element.line ?? 0, $0.offset) < ($1.element.line ?? 0, $1.offset)
      }.map(\.element)
      throw PolicyFileError(issues: sorted)
    }
    return policy
  }

  /// Reads and parses a policy file from disk.
  public static func load(path: String) throws(PolicyFileError) -> PolicyConfig {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw PolicyFileError(issues: [PolicyFileIssue(path: path, line: nil, message: "cannot read the file")])
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw PolicyFileError(issues: [PolicyFileIssue(path: path, line: nil, message: "not UTF-8 text")])
    }
    return try parse(text: text, path: path)
  }
}

/// Walks the parsed table, building the policy on top of the defaults and collecting issues.
struct PolicyReader {
  let file: String
  let locator: TOMLKeyLocator
  var issues: [PolicyFileIssue] = []
  /// Refuse roster names, logins and initials with control characters (see `PolicyFile.parse`).
  var refusesControlCharacters = true

  init(file: String, locator: TOMLKeyLocator) {
    self.file = file
    self.locator = locator
  }

  mutating func fail(_ path: String, _ message: String) {
    issues.append(PolicyFileIssue(path: file, line: locator.line(of: path), message: message))
  }

  static func join(_ a: String, _ b: String) -> String { a.isEmpty ? b : a + "." + b }

  /// Reports keys that are not in `allowed`, with a hint when one is close.
  mutating func checkKeys(_ t: TOMLTable, _ path: String, _ allowed: [String]) {
    for key in t.keys where !allowed.contains(key) {
      let p = Self.join(path, key)
      var message = "unknown key '\(p)'"
      if let near = allowed.min(by: { editDistance($0, key) < editDistance($1, key) }),
        editDistance(near, key) <= 2
      {
        message += " (did you mean '\(near)'?)"
      } else {
        message += "; expected one of: " + allowed.joined(separator: ", ")
      }
      fail(p, message)
    }
  }

  // MARK: typed getters: each reports a wrong type and returns nil

  mutating func table(_ t: TOMLTable, _ key: String, _ path: String) -> TOMLTable? {
    guard let v = t[key] else { return nil }
    guard let r = v.table else {
      fail(Self.join(path, key), "'\(Self.join(path, key))' must be a table, not \(v.type)")
      return nil
    }
    return r
  }

  mutating func string(_ t: TOMLTable, _ key: String, _ path: String) -> String? {
    guard let v = t[key] else { return nil }
    guard let s = v.string else {
      fail(Self.join(path, key), "'\(Self.join(path, key))' must be a string, not \(v.type)")
      return nil
    }
    return s
  }

  mutating func bool(_ t: TOMLTable, _ key: String, _ path: String) -> Bool? {
    guard let v = t[key] else { return nil }
    guard let b = v.bool else {
      fail(Self.join(path, key), "'\(Self.join(path, key))' must be true or false, not \(v.type)")
      return nil
    }
    return b
  }

  mutating func int(_ t: TOMLTable, _ key: String, _ path: String, min: Int) -> Int? {
    guard let v = t[key] else { return nil }
    guard let n = v.int else {
      fail(Self.join(path, key), "'\(Self.join(path, key))' must be an integer, not \(v.type)")
      return nil
    }
    guard n >= min else {
      fail(Self.join(path, key), "'\(Self.join(path, key))' must be at least \(min), not \(n)")
      return nil
    }
    return n
  }

  mutating func strings(_ t: TOMLTable, _ key: String, _ path: String) -> [String]? {
    guard let v = t[key] else { return nil }
    let p = Self.join(path, key)
    guard let a = v.array else {
      fail(p, "'\(p)' must be a list of strings, not \(v.type)")
      return nil
    }
    var out: [String] = []
    var ok = true
    for (i, e) in a.enumerated() {
      if let s = e.string {
        out.append(s)
      } else {
        fail(p + "[\(i)]", "'\(p)[\(i)]' must be a string, not \(e.type)")
        ok = false
      }
    }
    return ok ? out : nil
  }

  mutating func tables(_ t: TOMLTable, _ key: String, _ path: String) -> [(TOMLTable, String)]? {
    guard let v = t[key] else { return nil }
    let p = Self.join(path, key)
    guard let a = v.array else {
      fail(p, "'\(p)' must be a list of tables ([[\(p)]]), not \(v.type)")
      return nil
    }
    var out: [(TOMLTable, String)] = []
    for (i, e) in a.enumerated() {
      if let tt = e.table {
        out.append((tt, p + "[\(i)]"))
      } else {
        fail(p + "[\(i)]", "'\(p)[\(i)]' must be a table, not \(e.type)")
      }
    }
    return out
  }

  mutating func duration(_ t: TOMLTable, _ key: String, _ path: String, noneAllowed: Bool) -> Duration?? {
    guard let s = string(t, key, path) else { return nil }
    if noneAllowed, s.lowercased() == "none" { return .some(nil) }
    guard let d = DurationText.parse(s) else {
      fail(
        Self.join(path, key),
        "'\(Self.join(path, key))': bad duration \"\(s)\"; write e.g. \"90s\", \"10m\", \"1h30m\", \"2d\""
          + (noneAllowed ? " or \"none\"" : ""))
      return nil
    }
    return .some(d)
  }

  /// A table of string lists keyed by language or platform, merged per key over `base`.
  mutating func listsByKey(
    _ t: TOMLTable, _ key: String, _ path: String, base: [String: [String]],
    validKey: (String) -> Bool = { _ in true }, keyKind: String = "key"
  ) -> [String: [String]] {
    guard let sub = table(t, key, path) else { return base }
    var out = base
    let p = Self.join(path, key)
    for k in sub.keys {
      guard validKey(k) else {
        fail(Self.join(p, k), "'\(Self.join(p, k))': '\(k)' is not a valid \(keyKind)")
        continue
      }
      if let list = strings(sub, k, p) { out[k] = list }
    }
    return out
  }

  // MARK: the policy

  static let topKeys = [
    "organisation", "team", "service_hours", "windows", "holding", "rumours", "staff", "noise", "tone",
    "escalation", "signature", "templates", "closing", "outbox",
  ]

  mutating func read(_ root: TOMLTable) -> PolicyConfig {
    var p = PolicyConfig.default
    checkKeys(root, "", Self.topKeys)

    if let t = table(root, "organisation", "") {
      checkKeys(t, "organisation", ["names", "accounts"])
      if let names = strings(t, "names", "organisation") { p.organisation.names = names }
      p.organisation.accounts = listsByKey(
        t, "accounts", "organisation", base: p.organisation.accounts,
        validKey: { k in !k.isEmpty && k == k.lowercased() }, keyKind: "platform name (lowercase)")
    }

    if let members = tables(root, "team", "") {
      p.team = []
      var logins: Set<String> = []
      for (t, path) in members {
        if let m = readMember(t, path) {
          if !logins.insert(m.login).inserted {
            fail(path + ".login", "login '\(m.login)' is on the team twice")
          }
          p.team.append(m)
        }
      }
    }

    if let t = table(root, "service_hours", "") {
      p.serviceHours = readServiceHours(t, "service_hours", base: p.serviceHours)
    }

    if let t = table(root, "windows", "") {
      for key in t.keys {
        let path = "windows." + key
        guard let category = Category(rawValue: key) else {
          fail(
            path,
            "unknown category '\(key)' in windows; expected one of: "
              + Category.allCases.map(\.rawValue).joined(separator: ", "))
          continue
        }
        guard let wt = table(t, key, "windows") else { continue }
        switch readWindow(wt, path, base: p.windows[category]) {
        case .some(let w): p.windows[category] = w
        case .none: break
        }
      }
    }

    if let t = table(root, "holding", "") {
      checkKeys(t, "holding", ["follow_up", "service_hours"])
      if case .some(.some(let d)) = duration(t, "follow_up", "holding", noneAllowed: false) {
        p.holdingFollowUp = d
      }
      if let b = bool(t, "service_hours", "holding") { p.holdingFollowUpInServiceHours = b }
    }

    if let list = tables(root, "rumours", "") {
      p.rumours = []
      var ids: Set<String> = []
      for (t, path) in list {
        if let r = readRumour(t, path) {
          if !ids.insert(r.id).inserted { fail(path + ".id", "rumour id '\(r.id)' is used twice") }
          p.rumours.append(r)
        }
      }
    }

    if let t = table(root, "staff", "") {
      checkKeys(t, "staff", ["accounts"])
      if let a = strings(t, "accounts", "staff") { p.staffAccounts = a }
    }

    if let t = table(root, "noise", "") {
      checkKeys(t, "noise", ["muted_words", "muted_authors"])
      if let w = strings(t, "muted_words", "noise") {
        for (i, word) in w.enumerated() where Tokenizer.wordHashes(word).isEmpty {
          fail("noise.muted_words[\(i)]", "muted word \"\(word)\" has no letters or digits to match")
        }
        p.noise.mutedWords = w
      }
      if let a = strings(t, "muted_authors", "noise") { p.noise.mutedAuthors = a }
    }

    if let t = table(root, "tone", "") {
      checkKeys(t, "tone", ["reproachful", "apologies", "max_exclamations"])
      p.tone.reproachful = listsByKey(
        t, "reproachful", "tone", base: p.tone.reproachful, validKey: Self.isLanguage,
        keyKind: "language code")
      p.tone.apologies = listsByKey(
        t, "apologies", "tone", base: p.tone.apologies, validKey: Self.isLanguage, keyKind: "language code")
      if let n = int(t, "max_exclamations", "tone", min: 0) { p.tone.maxExclamations = n }
    }

    if let t = table(root, "escalation", "") {
      checkKeys(
        t, "escalation",
        [
          "words", "high_reach", "repeat_complaints", "repeat_within", "overdue_after", "volume_factor",
          "volume_minimum", "volume_days", "approval_categories", "approval_reasons",
        ])
      p.escalation.words = listsByKey(
        t, "words", "escalation", base: p.escalation.words, validKey: Self.isLanguage,
        keyKind: "language code")
      if let n = int(t, "high_reach", "escalation", min: 1) { p.escalation.highReach = n }
      if let n = int(t, "repeat_complaints", "escalation", min: 2) { p.escalation.repeatComplaints = n }
      if case .some(.some(let d)) = duration(t, "repeat_within", "escalation", noneAllowed: false) {
        p.escalation.repeatWindow = d
      }
      if case .some(let d) = duration(t, "overdue_after", "escalation", noneAllowed: true) {
        p.escalation.overdueAfter = d
      }
      if let v = t["volume_factor"] {
        let path = "escalation.volume_factor"
        if let f = v.double ?? v.int.map(Double.init), f >= 1 {
          p.escalation.volumeFactor = f
        } else {
          fail(path, "'\(path)' must be a number of at least 1 (e.g. 3 or 2.5)")
        }
      }
      if let n = int(t, "volume_minimum", "escalation", min: 1) { p.escalation.volumeMinimum = n }
      if let n = int(t, "volume_days", "escalation", min: 1) { p.escalation.volumeDays = n }
      if let list = strings(t, "approval_categories", "escalation") {
        var categories: [Category] = []
        for (i, name) in list.enumerated() {
          if let c = Category(rawValue: name) {
            categories.append(c)
          } else {
            fail(
              "escalation.approval_categories[\(i)]",
              "unknown category '\(name)' in escalation.approval_categories; expected one of: "
                + Category.allCases.map(\.rawValue).joined(separator: ", "))
          }
        }
        p.escalation.approvalCategories = categories
      }
      if let list = strings(t, "approval_reasons", "escalation") {
        var reasons: [EscalationReason] = []
        for (i, name) in list.enumerated() {
          if let r = EscalationReason(rawValue: name) {
            reasons.append(r)
          } else {
            fail(
              "escalation.approval_reasons[\(i)]",
              "unknown escalation reason '\(name)' in escalation.approval_reasons; expected one of: "
                + EscalationReason.allCases.map(\.rawValue).joined(separator: ", "))
          }
        }
        p.escalation.approvalReasons = reasons
      }
    }

    if let t = table(root, "closing", "") {
      p.closing = readClosing(t, base: p.closing)
    }

    if let t = table(root, "outbox", "") {
      checkKeys(t, "outbox", ["send_delay_seconds"])
      if let d = int(t, "send_delay_seconds", "outbox", min: 0) { p.sendDelay = TimeInterval(min(d, 3600)) }
    }

    if let t = table(root, "signature", "") {
      checkKeys(t, "signature", ["format", "separator"])
      if let f = string(t, "format", "signature") {
        if let problem = SignatureFormat.problem(in: f) {
          fail("signature.format", "signature.format: \(problem)")
        } else {
          p.signature.format = f
        }
      }
      if let s = string(t, "separator", "signature") { p.signature.separator = s }
    }

    if let list = tables(root, "templates", "") {
      var ids: Set<String> = []
      for (t, path) in list {
        guard let tpl = readTemplate(t, path) else { continue }
        if !ids.insert(tpl.id).inserted { fail(path + ".id", "template id '\(tpl.id)' is used twice") }
        if let i = p.templates.firstIndex(where: { $0.id == tpl.id }) {
          p.templates[i] = tpl
        } else {
          p.templates.append(tpl)
        }
      }
    }
    return p
  }

  static func isLanguage(_ k: String) -> Bool {
    (2...3).contains(k.count) && k.allSatisfy { $0.isASCII && $0.isLowercase }
  }

  mutating func readMember(_ t: TOMLTable, _ path: String) -> TeamMember? {
    checkKeys(t, path, ["name", "initials", "login", "role"])
    let name = string(t, "name", path)
    let login = string(t, "login", path)
    let initials = string(t, "initials", path)
    var role = TeamRole.responder
    if let r = string(t, "role", path) {
      if let rr = TeamRole(rawValue: r) {
        role = rr
      } else {
        fail(path + ".role", "unknown role '\(r)'; expected responder or supervisor")
        return nil
      }
    }
    guard let name, !name.trimmingCharacters(in: .whitespaces).isEmpty else {
      if name != nil || t["name"] == nil { fail(path, "team member needs a name") }
      return nil
    }
    guard let login, !login.isEmpty, !login.contains(" ") else {
      if login != nil || t["login"] == nil {
        fail(path, "team member '\(name)' needs a login without spaces")
      }
      return nil
    }
    if refusesControlCharacters {
      for (key, value) in [("name", name), ("login", login), ("initials", initials)] {
        if let value, Self.hasControlCharacters(value) {
          // Names go into the log, the report and the signature of every posted reply.
          fail(
            path + "." + key, "\(key) has control characters (escape sequences, bidi overrides): not allowed")
          return nil
        }
      }
    }
    if let initials, initials.isEmpty || initials.contains(" ") {
      fail(path + ".initials", "initials must be letters without spaces")
      return nil
    }
    return TeamMember(name: name, initials: initials, login: login, role: role)
  }

  /// True for C0 and C1 controls, DEL, the line and paragraph separators and the bidi controls:
  /// what `TerminalSafe` (in Inbox) replaces, by Unicode's own properties.
  static func hasControlCharacters(_ text: String) -> Bool {
    text.unicodeScalars.contains {
      switch $0.properties.generalCategory {
      case .control, .lineSeparator, .paragraphSeparator: return true
      default: return $0.properties.isBidiControl
      }
    }
  }

  mutating func readServiceHours(_ t: TOMLTable, _ path: String, base: ServiceHours?) -> ServiceHours? {
    let dayKeys = Weekday.allCases.map(\.rawValue)
    checkKeys(t, path, ["enabled", "time_zone", "holidays"] + dayKeys)
    var hours =
      base ?? ServiceHours(timeZone: TimeZone(identifier: "UTC")!, week: [:], holidays: [])
    if let z = string(t, "time_zone", path) {
      if let tz = TimeZone(identifier: z), z.contains("/") || z == "UTC" {
        hours.timeZone = tz
      } else {
        fail(path + ".time_zone", "unknown time zone '\(z)'; use an IANA name such as \"Europe/Amsterdam\"")
      }
    }
    for day in Weekday.allCases {
      guard let list = strings(t, day.rawValue, path) else { continue }
      var shifts: [Shift] = []
      for (i, s) in list.enumerated() {
        if let shift = Shift(s) {
          if let clash = shifts.first(where: { $0.start < shift.end && shift.start < $0.end }) {
            fail("\(path).\(day.rawValue)[\(i)]", "shift \(shift) overlaps \(clash) on \(day.rawValue)")
          }
          shifts.append(shift)
        } else {
          fail(
            "\(path).\(day.rawValue)[\(i)]",
            "bad shift \"\(s)\" on \(day.rawValue); write \"HH:MM-HH:MM\" with 00:00 ≤ start < end ≤ 24:00")
        }
      }
      hours.week[day] = shifts.sorted { $0.start < $1.start }
    }
    if let v = t["holidays"] {
      let hp = path + ".holidays"
      if let a = v.array {
        var set: Set<LocalDate> = []
        for (i, e) in a.enumerated() {
          if let d = e.date, Self.validDate(d.year, d.month, d.day) {
            set.insert(LocalDate(year: d.year, month: d.month, day: d.day))
          } else if let s = e.string, let d = Self.parseDate(s) {
            set.insert(d)
          } else {
            fail(hp + "[\(i)]", "bad holiday \(e.debugDescriptionText); write a date such as 2026-12-25")
          }
        }
        hours.holidays = set
      } else {
        fail(hp, "'\(hp)' must be a list of dates, not \(v.type)")
      }
    }
    let enabled = bool(t, "enabled", path) ?? true
    if enabled, hours.week.values.allSatisfy(\.isEmpty) {
      fail(path, "service hours have no shift on any day; add shifts or set enabled = false")
    }
    return enabled ? hours : nil
  }

  static func validDate(_ y: Int, _ m: Int, _ d: Int) -> Bool {
    guard (1...9999).contains(y), (1...12).contains(m), d >= 1 else { return false }
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
    let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    return d <= days[m - 1]
  }

  /// `[closing]`: `no_reply_reasons` for every category that takes a listed reason, and
  /// `[closing.CATEGORY]` tables with a category's own `no_reply_reasons` (an empty list lets it
  /// close with any reason).
  mutating func readClosing(_ t: TOMLTable, base: Closing) -> Closing {
    var out = base
    checkKeys(t, "closing", ["no_reply_reasons"] + Category.allCases.map(\.rawValue))
    func checked(_ list: [String], _ path: String) -> [String] {
      var seen: Set<String> = []
      for (i, reason) in list.enumerated() {
        let trimmed = reason.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty {
          fail("\(path)[\(i)]", "'\(path)[\(i)]' is empty: a reason says why")
        } else if !seen.insert(trimmed.lowercased()).inserted {
          fail("\(path)[\(i)]", "'\(path)[\(i)]': '\(trimmed)' is listed twice")
        }
      }
      return list.map { $0.trimmingCharacters(in: .whitespaces) }
    }
    if let list = strings(t, "no_reply_reasons", "closing") {
      let reasons = checked(list, "closing.no_reply_reasons")
      for category in out.noReplyReasons.keys {
        out.noReplyReasons[category] = reasons.isEmpty ? nil : reasons
      }
    }
    for category in Category.allCases {
      let path = "closing." + category.rawValue
      guard let ct = table(t, category.rawValue, "closing") else { continue }
      checkKeys(ct, path, ["no_reply_reasons"])
      if let list = strings(ct, "no_reply_reasons", path) {
        let reasons = checked(list, path + ".no_reply_reasons")
        out.noReplyReasons[category] = reasons.isEmpty ? nil : reasons
      }
    }
    return out
  }

  static func parseDate(_ s: String) -> LocalDate? {
    let parts = s.split(separator: "-", omittingEmptySubsequences: false)
    guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
      let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]), validDate(y, m, d)
    else { return nil }
    return LocalDate(year: y, month: m, day: d)
  }

  /// The window for one category; `.none` when it is switched off (first_response = "none").
  mutating func readWindow(_ t: TOMLTable, _ path: String, base: ResponseWindow?) -> ResponseWindow?? {
    checkKeys(t, path, ["cooling_off", "first_response", "follow_up", "service_hours"])
    var w = base
    var off = false
    let cooling = duration(t, "cooling_off", path, noneAllowed: false)
    let first = duration(t, "first_response", path, noneAllowed: true)
    let follow = duration(t, "follow_up", path, noneAllowed: true)
    let inHours = bool(t, "service_hours", path)
    if case .some(.none) = first { off = true }
    if off { return .some(nil) }
    if w == nil {
      guard case .some(.some(let f)) = first else {
        if first == nil, t["first_response"] == nil {
          fail(path, "'\(path)' needs first_response (a duration, or \"none\" for no window)")
        }
        return nil
      }
      w = ResponseWindow(coolingOff: .zero, firstResponse: f, followUp: nil, serviceHours: true)
    }
    guard var win = w else { return nil }
    if case .some(.some(let c)) = cooling { win.coolingOff = c }
    if case .some(.some(let f)) = first { win.firstResponse = f }
    if case .some(let f) = follow { win.followUp = f }
    if let b = inHours { win.serviceHours = b }
    if win.coolingOff >= win.firstResponse {
      fail(
        path + ".cooling_off",
        "'\(path)': cooling_off (\(DurationText.format(win.coolingOff))) must be shorter than "
          + "first_response (\(DurationText.format(win.firstResponse)))")
      return nil
    }
    if win.firstResponse == .zero {
      fail(path + ".first_response", "'\(path).first_response' must be longer than 0")
      return nil
    }
    return .some(win)
  }

  mutating func readRumour(_ t: TOMLTable, _ path: String) -> Rumour? {
    checkKeys(t, path, ["id", "patterns", "facts", "sources"])
    guard let id = string(t, "id", path), !id.isEmpty else {
      fail(path, "rumour needs an id")
      return nil
    }
    let patterns = strings(t, "patterns", path) ?? []
    if patterns.isEmpty { fail(path + ".patterns", "rumour '\(id)' needs at least one pattern") }
    var ok = !patterns.isEmpty
    for (i, pattern) in patterns.enumerated() {
      if case .failure(let e) = RumourPattern.compile(pattern) {
        fail(path + ".patterns[\(i)]", "rumour '\(id)': bad pattern \"\(pattern)\": \(e.message)")
        ok = false
      }
    }
    // Facts and sources per language (`facts = { nl = "…", en = "…" }`), or one for every language.
    var facts = perLanguage(t, "facts", path, ok: &ok) { $0.string($1, $2, $3) } ?? [:]
    if facts.isEmpty, t["facts"]?.table == nil, let s = string(t, "facts", path) { facts[""] = s }
    if facts.isEmpty || facts.values.contains(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
      fail(path, "rumour '\(id)' needs the correct facts (S9)")
      ok = false
    }
    let sources =
      perLanguage(t, "sources", path, ok: &ok) { $0.strings($1, $2, $3) }
      ?? ["": strings(t, "sources", path) ?? []]
    for (lang, list) in sources.sorted(by: { $0.key < $1.key }) {
      let p = lang.isEmpty ? path + ".sources" : Self.join(path + ".sources", lang)
      for (i, s) in list.enumerated() where !Links.isLink(s) {
        fail(p + "[\(i)]", "rumour '\(id)': source \"\(s)\" is not an http(s) link")
        ok = false
      }
    }
    return ok ? Rumour(id: id, patterns: patterns, facts: facts, sources: sources) : nil
  }

  /// A value given per language (`key = { nl = …, en = … }`), each read by `read`; nil when `key`
  /// is not a table (one value for every language, or none). A key that is no language code fails.
  mutating func perLanguage<Value>(
    _ t: TOMLTable, _ key: String, _ path: String, ok: inout Bool,
    read: (inout Self, TOMLTable, String, String) -> Value?
  ) -> [String: Value]? {
    guard let byLang = t[key]?.table else { return nil }
    var values: [String: Value] = [:]
    for k in byLang.keys.sorted() {
      let p = Self.join(path + "." + key, k)
      guard Self.isLanguage(k) else {
        fail(p, "'\(p)': '\(k)' is not a valid language code")
        ok = false
        continue
      }
      if let value = read(&self, byLang, k, path + "." + key) { values[k] = value }
    }
    return values
  }

  mutating func readTemplate(_ t: TOMLTable, _ path: String) -> Template? {
    checkKeys(t, path, ["id", "kind", "lang", "text"])
    guard let id = string(t, "id", path), !id.isEmpty else {
      fail(path, "template needs an id")
      return nil
    }
    guard let k = string(t, "kind", path) else {
      fail(path, "template '\(id)' needs a kind (a category or \"holding\")")
      return nil
    }
    guard let kind = TemplateKind(rawValue: k) else {
      fail(
        path + ".kind",
        "template '\(id)': unknown kind '\(k)'; expected holding or one of: "
          + Category.allCases.map(\.rawValue).joined(separator: ", "))
      return nil
    }
    guard let lang = string(t, "lang", path), Self.isLanguage(lang) else {
      fail(path + ".lang", "template '\(id)' needs a lang such as \"nl\" or \"en\"")
      return nil
    }
    guard let text = string(t, "text", path), !text.trimmingCharacters(in: .whitespaces).isEmpty else {
      fail(path, "template '\(id)' needs a text")
      return nil
    }
    return Template(id: id, kind: kind, lang: lang, text: text)
  }
}

extension TOMLValueConvertible {
  fileprivate var debugDescriptionText: String {
    if let s = self.string { return "\"\(s)\"" }
    return "(\(self.type))"
  }
}

/// Edit distance for "did you mean" hints on unknown keys.
func editDistance(_ a: String, _ b: String) -> Int {
  let x = Array(a.utf8)
  let y = Array(b.utf8)
  if x.isEmpty { return y.count }
  if y.isEmpty { return x.count }
  var prev = Array(0...y.count)
  var cur = Array(repeating: 0, count: y.count + 1)
  for i in 1...x.count {
    cur[0] = i
    for j in 1...y.count {
      cur[j] = Swift.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
    }
    swap(&prev, &cur)
  }
  return prev[y.count]
}

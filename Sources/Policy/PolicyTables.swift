import Foundation
import TOMLKit

/// One reader per table of the policy file, each building its part of the policy on top of what
/// the defaults (or the tables before it) set.
extension PolicyReader {
  /// `[organisation]`: its names and its accounts per platform.
  mutating func readOrganisation(_ t: TOMLTable, into p: inout PolicyConfig) {
    checkKeys(t, "organisation", ["names", "accounts"])
    if let names = strings(t, "names", "organisation") { p.organisation.names = names }
    p.organisation.accounts = listsByKey(
      t, "accounts", "organisation", base: p.organisation.accounts,
      validKey: { k in !k.isEmpty && k == k.lowercased() }, keyKind: "platform name (lowercase)")
  }

  /// `[[team]]`: the roster, replacing the default one; a login at most once.
  mutating func readTeam(_ members: [(TOMLTable, String)], into p: inout PolicyConfig) {
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

  /// `[windows.CATEGORY]`: each category's response window, merged over its default.
  mutating func readWindows(_ t: TOMLTable, into p: inout PolicyConfig) {
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

  /// `[holding]`: when a holding reply is followed up, and whether in service hours.
  mutating func readHolding(_ t: TOMLTable, into p: inout PolicyConfig) {
    checkKeys(t, "holding", ["follow_up", "service_hours"])
    if case .some(.some(let d)) = duration(t, "follow_up", "holding", noneAllowed: false) {
      p.holdingFollowUp = d
    }
    if let b = bool(t, "service_hours", "holding") { p.holdingFollowUpInServiceHours = b }
  }

  /// `[[rumours]]`: the known rumours, replacing the default list; an id at most once.
  mutating func readRumours(_ list: [(TOMLTable, String)], into p: inout PolicyConfig) {
    p.rumours = []
    var ids: Set<String> = []
    for (t, path) in list {
      if let r = readRumour(t, path) {
        if !ids.insert(r.id).inserted { fail(path + ".id", "rumour id '\(r.id)' is used twice") }
        p.rumours.append(r)
      }
    }
  }

  /// `[noise]`: muted words (each with something to match) and muted authors.
  mutating func readNoise(_ t: TOMLTable, into p: inout PolicyConfig) {
    checkKeys(t, "noise", ["muted_words", "muted_authors"])
    if let w = strings(t, "muted_words", "noise") {
      for (i, word) in w.enumerated() where Tokenizer.wordHashes(word).isEmpty {
        fail("noise.muted_words[\(i)]", "muted word \"\(word)\" has no letters or digits to match")
      }
      p.noise.mutedWords = w
    }
    if let a = strings(t, "muted_authors", "noise") { p.noise.mutedAuthors = a }
  }

  /// `[tone]`: reproachful words and apologies per language, and the most exclamation marks.
  mutating func readTone(_ t: TOMLTable, into p: inout PolicyConfig) {
    checkKeys(t, "tone", ["reproachful", "apologies", "max_exclamations"])
    p.tone.reproachful = listsByKey(
      t, "reproachful", "tone", base: p.tone.reproachful, validKey: Self.isLanguage,
      keyKind: "language code")
    p.tone.apologies = listsByKey(
      t, "apologies", "tone", base: p.tone.apologies, validKey: Self.isLanguage, keyKind: "language code")
    if let n = int(t, "max_exclamations", "tone", min: 0) { p.tone.maxExclamations = n }
  }

  /// `[escalation]`: the words, thresholds and windows that escalate, and what needs approval.
  mutating func readEscalation(_ t: TOMLTable, into e: inout Escalation) {
    checkKeys(
      t, "escalation",
      [
        "words", "high_reach", "repeat_complaints", "repeat_within", "overdue_after", "volume_factor",
        "volume_minimum", "volume_days", "approval_categories", "approval_reasons",
      ])
    e.words = listsByKey(
      t, "words", "escalation", base: e.words, validKey: Self.isLanguage, keyKind: "language code")
    if let n = int(t, "high_reach", "escalation", min: 1) { e.highReach = n }
    if let n = int(t, "repeat_complaints", "escalation", min: 2) { e.repeatComplaints = n }
    if case .some(.some(let d)) = duration(t, "repeat_within", "escalation", noneAllowed: false) {
      e.repeatWindow = d
    }
    if case .some(let d) = duration(t, "overdue_after", "escalation", noneAllowed: true) {
      e.overdueAfter = d
    }
    if let v = t["volume_factor"] {
      let path = "escalation.volume_factor"
      if let f = v.double ?? v.int.map(Double.init), f >= 1 {
        e.volumeFactor = f
      } else {
        fail(path, "'\(path)' must be a number of at least 1 (e.g. 3 or 2.5)")
      }
    }
    if let n = int(t, "volume_minimum", "escalation", min: 1) { e.volumeMinimum = n }
    if let n = int(t, "volume_days", "escalation", min: 1) { e.volumeDays = n }
    if let list = strings(t, "approval_categories", "escalation") {
      e.approvalCategories = names(list, "escalation.approval_categories", kind: "category")
    }
    if let list = strings(t, "approval_reasons", "escalation") {
      e.approvalReasons = names(list, "escalation.approval_reasons", kind: "escalation reason")
    }
  }

  /// The values of a list of names (categories, escalation reasons); each unknown name fails.
  mutating func names<Name: RawRepresentable & CaseIterable>(
    _ list: [String], _ path: String, kind: String
  ) -> [Name] where Name.RawValue == String {
    var out: [Name] = []
    for (i, name) in list.enumerated() {
      if let value = Name(rawValue: name) {
        out.append(value)
      } else {
        fail(
          "\(path)[\(i)]",
          "unknown \(kind) '\(name)' in \(path); expected one of: "
            + Name.allCases.map(\.rawValue).joined(separator: ", "))
      }
    }
    return out
  }

  /// `[outbox]`: the send delay, in whole seconds from 0 to 3600 (the undo window).
  mutating func readOutbox(_ t: TOMLTable, into p: inout PolicyConfig) {
    checkKeys(t, "outbox", ["send_delay_seconds"])
    if let d = int(t, "send_delay_seconds", "outbox", min: 0) { p.sendDelay = TimeInterval(min(d, 3600)) }
  }

  /// `[queue]`: how long a repeat of the same post by the same author is folded into the first.
  mutating func readQueue(_ t: TOMLTable, into p: inout PolicyConfig) {
    checkKeys(t, "queue", ["repeat_window"])
    if case .some(.some(let d)) = duration(t, "repeat_window", "queue", noneAllowed: false) {
      p.repeatWindow = d
    }
  }

  /// `[signature]`: the format of a reply's signature (checked) and its separator.
  mutating func readSignature(_ t: TOMLTable, into p: inout PolicyConfig) {
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

  /// `[[templates]]`: merged by id over the default templates; an id at most once in the file.
  mutating func readTemplates(_ list: [(TOMLTable, String)], into p: inout PolicyConfig) {
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

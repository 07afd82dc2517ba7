import Foundation

extension PolicyFile {
  /// The policy as a complete, commented policy file that `parse` reads back to an equal policy.
  ///
  /// TOMLKit writes no comments, so this is a template filled in with the policy's values. The
  /// output is canonical (sorted where the model has no order), so it also serves as the text
  /// the fingerprint is taken of.
  public static func render(_ p: PolicyConfig) -> String {
    var o = TOMLWriter()
    writePreamble(&o)
    writeNoViews(&o, p)
    writeOrganisation(&o, p)
    writeTeam(&o, p)
    writeServiceHours(&o, p)
    writeWindows(&o, p)
    writeClosing(&o, p)
    writeHolding(&o, p)
    writeRumours(&o, p)
    writeStaff(&o, p)
    writeNoise(&o, p)
    writeTone(&o, p)
    writeEscalation(&o, p)
    writeSignature(&o, p)
    writeOutbox(&o, p)
    writeViews(&o, p)
    writeQueue(&o, p)
    writeTemplates(&o, p)
    return o.text
  }
}

/// The policy file's tables, each written with the comment that explains it.
extension PolicyFile {
  /// What the file is and how it is read.
  static func writePreamble(_ o: inout TOMLWriter) {
    o.comment("Repute policy file: how this organisation answers what is said about it (S1).")
    o.comment("Every key left out keeps its default. `repute policy check FILE` validates a file;")
    o.comment("`repute policy apply FILE` makes it the policy of the store, for the whole team.")
    o.comment("Durations: \"90s\", \"10m\", \"1h30m\", \"2d\". Rules S1–S16 are the article's.")
    o.blank()
  }

  /// `[organisation]`: its names and accounts.
  static func writeOrganisation(_ o: inout TOMLWriter, _ p: PolicyConfig) {
    o.comment("Who the organisation is. Posts from its own accounts stay out of the queue, and tell")
    o.comment("S11 who \"the organisation\" is in a thread.")
    o.header("organisation")
    o.set("names", .strings(p.organisation.names))
    o.blank()
    o.header("organisation.accounts")
    o.comment(
      "One list of handles per platform, e.g. x = [\"acme\"], mastodon = [\"@acme@mastodon.social\"].")
    o.setLists(p.organisation.accounts)
    o.blank()
  }

  /// `[[team]]`: the roster (S14), or an example of an entry.
  static func writeTeam(_ o: inout TOMLWriter, _ p: PolicyConfig) {
    o.comment("The webcare team (S14). Replies are signed with the responder's name (S16).")
    o.comment("role: responder or supervisor. initials are derived from the name when left out.")
    if p.team.isEmpty {
      o.comment("[[team]]")
      o.comment("name = \"Anna de Vries\"")
      o.comment("initials = \"AV\"")
      o.comment("login = \"anna\"")
      o.comment("role = \"responder\"")
    }
    for m in p.team {
      o.arrayHeader("team")
      o.set("name", .string(m.name))
      o.set("initials", .string(m.initials))
      o.set("login", .string(m.login))
      o.set("role", .string(m.role.rawValue))
    }
    o.blank()
  }

  /// `[service_hours]`: when the team is at work.
  static func writeServiceHours(_ o: inout TOMLWriter, _ p: PolicyConfig) {
    o.comment("When the team is at work. Windows with service_hours = true count only these hours; a")
    o.comment("mention that arrives outside them starts its clock at the next opening.")
    o.comment("Shifts are \"HH:MM-HH:MM\"; split shifts are several; [] is closed.")
    o.header("service_hours")
    if let h = p.serviceHours {
      o.set("enabled", .bool(true))
      o.set("time_zone", .string(h.timeZone.identifier))
      for day in Weekday.allCases {
        o.set(day.rawValue, .strings(h.shifts(on: day).map(\.description)))
      }
      o.comment("Closed on these dates, e.g. [2026-12-25, 2026-12-26].")
      o.set("holidays", .raw("[" + h.holidays.sorted().map(\.description).joined(separator: ", ") + "]"))
    } else {
      o.comment("Clocks run around the clock.")
      o.set("enabled", .bool(false))
      o.set("time_zone", .string("UTC"))
      for day in Weekday.allCases where day != .sunday {
        o.set(day.rawValue, .strings(["09:00-17:00"]))
      }
    }
    o.blank()
  }

  /// `[windows.CATEGORY]`: the response windows, and those switched off.
  static func writeWindows(_ o: inout TOMLWriter, _ p: PolicyConfig) {
    o.comment("Response windows per category: cooling_off is the earliest sensible reply (S11: think")
    o.comment("first, let anger settle); first_response the target (S12: don't wait too long); follow_up")
    o.comment("an optional target after the first response. first_response = \"none\" switches a window")
    o.comment("off. Categories without a window need no reply: praise, self_praise, unfounded, neutral")
    o.comment("by default (S3, S5, S8).")
    for c in Category.allCases {
      guard let w = p.windows[c] else { continue }
      o.header("windows." + c.rawValue)
      o.set("cooling_off", .string(DurationText.format(w.coolingOff)))
      o.set("first_response", .string(DurationText.format(w.firstResponse)))
      o.set("follow_up", .string(w.followUp.map(DurationText.format) ?? "none"))
      o.set("service_hours", .bool(w.serviceHours))
      o.blank()
    }
    for c in Category.allCases where p.windows[c] == nil && PolicyConfig.default.windows[c] != nil {
      o.header("windows." + c.rawValue)
      o.set("first_response", .string("none"))
      o.blank()
    }
  }

  /// `[closing.CATEGORY]`: the reasons a category closes without a reply with.
  static func writeClosing(_ o: inout TOMLWriter, _ p: PolicyConfig) {
    o.comment("Closing without a reply (x in the inbox): a category listed here must close with one of")
    o.comment("its reasons, and counts in the figures as closed without reply, never as within target.")
    o.comment("Categories not listed (by default praise, self_praise, unfounded, neutral: S3, S5, S8) take")
    o.comment("a reason in the responder's own words. no_reply_reasons = [] lets a category close freely.")
    o.comment("A [closing] table may also set no_reply_reasons for every listed category at once.")
    for c in Category.allCases {
      let list = p.closing.noReplyReasons[c]
      guard list != nil || PolicyConfig.default.closing.noReplyReasons[c] != nil else { continue }
      o.header("closing." + c.rawValue)
      o.set("no_reply_reasons", .strings(list ?? []))
      o.blank()
    }
  }

  /// `[holding]`: the follow-up after a holding reply (S12).
  static func writeHolding(_ o: inout TOMLWriter, _ p: PolicyConfig) {
    o.comment("After a holding reply (S12) the real answer is due within follow_up.")
    o.header("holding")
    o.set("follow_up", .string(DurationText.format(p.holdingFollowUp)))
    o.set("service_hours", .bool(p.holdingFollowUpInServiceHours))
    o.blank()
  }

  /// `[[rumours]]`: the known rumours (S9, S4), or an example of one.
  static func writeRumours(_ o: inout TOMLWriter, _ p: PolicyConfig) {
    o.comment("Known rumours (S9, S4). A pattern matches when all its words occur, in any order:")
    o.comment("\"a b\" in quotes is a phrase, x* a prefix, a|b alternatives. Corrections quote the facts")
    o.comment("and link the sources. Facts and sources may be one for every language, or one per")
    o.comment("language, which a correction in that language quotes: facts = { nl = \"…\", en = \"…\" }.")
    if p.rumours.isEmpty {
      o.comment("[[rumours]]")
      o.comment("id = \"free-tickets\"")
      o.comment("patterns = [\"gratis ticket*\", \"free ticket*\"]")
      o.comment("facts = \"We are not giving away free tickets; that message is a scam.\"")
      o.comment("sources = [\"https://example.org/news/scam-warning\"]")
    }
    for r in p.rumours {
      o.arrayHeader("rumours")
      o.set("id", .string(r.id))
      o.set("patterns", .strings(r.patterns))
      // One language-free value stays a plain string or list, as most files write it.
      if r.factsByLanguage.keys.sorted() == [""] {
        o.set("facts", .string(r.factsByLanguage[""]!))
      } else {
        o.set("facts", .inline(r.factsByLanguage.mapValues { .string($0) }))
      }
      if r.sourcesByLanguage.keys.sorted() == [""] {
        o.set("sources", .strings(r.sourcesByLanguage[""]!))
      } else {
        o.set("sources", .inline(r.sourcesByLanguage.mapValues { .strings($0) }))
      }
    }
    o.blank()
  }

  /// `[staff]`: the staff accounts (S5).
  static func writeStaff(_ o: inout TOMLWriter, _ p: PolicyConfig) {
    o.comment("Staff accounts: their praise of the organisation is self-praise; don't react (S5).")
    o.header("staff")
    o.set("accounts", .strings(p.staffAccounts))
    o.blank()
  }

  /// `[noise]`: what never enters the queue.
  static func writeNoise(_ o: inout TOMLWriter, _ p: PolicyConfig) {
    o.comment("Noise that never enters the queue.")
    o.header("noise")
    o.set("muted_words", .strings(p.noise.mutedWords))
    o.set("muted_authors", .strings(p.noise.mutedAuthors))
    o.blank()
  }

  /// `[tone]`: the reply checks per language.
  static func writeTone(_ o: inout TOMLWriter, _ p: PolicyConfig) {
    o.comment("Reply checks. reproachful: know-it-all phrasing, unwelcome in a correction (S9);")
    o.comment("apologies: what makes a complaint reply an apology (S10). Per language.")
    o.header("tone")
    o.set("max_exclamations", .int(p.tone.maxExclamations))
    o.blank()
    o.header("tone.reproachful")
    o.setLists(p.tone.reproachful)
    o.blank()
    o.header("tone.apologies")
    o.setLists(p.tone.apologies)
    o.blank()
  }

  /// `[escalation]`: when management must know (S8), and four eyes.
  static func writeEscalation(_ o: inout TOMLWriter, _ p: PolicyConfig) {
    o.comment("Escalation (S8: inform management): legal or press words; authors with at least")
    o.comment("high_reach followers in a negative category; repeat_complaints complaints within")
    o.comment("repeat_within; overdue_after past the target (\"none\": never); the last hour at")
    o.comment("volume_factor times the usual for that hour (over volume_days days) and at least")
    o.comment("volume_minimum mentions. Four eyes: replies for approval_categories or to mentions")
    o.comment("escalated for approval_reasons wait in the outbox for a supervisor's approval.")
    o.comment("Reasons: " + EscalationReason.allCases.map(\.rawValue).joined(separator: ", ") + ".")
    o.header("escalation")
    o.set("high_reach", .int(p.escalation.highReach))
    o.set("repeat_complaints", .int(p.escalation.repeatComplaints))
    o.set("repeat_within", .string(DurationText.format(p.escalation.repeatWindow)))
    o.set("overdue_after", .string(p.escalation.overdueAfter.map(DurationText.format) ?? "none"))
    o.set("volume_factor", .raw(tomlNumber(p.escalation.volumeFactor)))
    o.set("volume_minimum", .int(p.escalation.volumeMinimum))
    o.set("volume_days", .int(p.escalation.volumeDays))
    o.set("approval_categories", .strings(p.escalation.approvalCategories.map(\.rawValue)))
    o.set("approval_reasons", .strings(p.escalation.approvalReasons.map(\.rawValue)))
    o.blank()
    o.header("escalation.words")
    o.setLists(p.escalation.words)
    o.blank()
  }

  /// `[signature]`: how replies are signed (S16).
  static func writeSignature(_ o: inout TOMLWriter, _ p: PolicyConfig) {
    o.comment("Sign as a person, send as the organisation (S16): text + separator + format.")
    o.comment("Placeholders: {first_name}, {name}, {initials}. E.g. \"– {first_name}\", \"^{initials}\".")
    o.header("signature")
    o.set("format", .string(p.signature.format))
    o.set("separator", .string(p.signature.separator))
    o.blank()
  }

  /// `[outbox]`: how long a sent reply waits before delivery (the undo window).
  static func writeOutbox(_ o: inout TOMLWriter, _ p: PolicyConfig) {
    o.comment("A sent reply waits this long before it is delivered: the window in which u takes it")
    o.comment("back into the editor (0 to 3600 seconds). After delivery it can only be followed up.")
    o.header("outbox")
    o.set("send_delay_seconds", .raw(String(Int(p.sendDelay))))
    o.blank()
  }

  /// `[queue]`: repeated posts folded into one row.
  static func writeQueue(_ o: inout TOMLWriter, _ p: PolicyConfig) {
    o.comment("The same author posting the same text again (case, spacing and links aside) within")
    o.comment("repeat_window of their first post, while it waits for an answer, is one row with ×N,")
    o.comment("answered once: a reply or a decision on the row holds for every repeat (S13, S2). 0: never.")
    o.header("queue")
    o.set("repeat_window", .string(DurationText.format(p.repeatWindow)))
    o.blank()
  }

  /// `[[templates]]`: the templates to start from (S13).
  static func writeTemplates(_ o: inout TOMLWriter, _ p: PolicyConfig) {
    o.comment("Templates to start from (S13: make each reply personal). kind: a category or \"holding\"")
    o.comment("(S12). Placeholders: {author}, {name}, {organisation}, {facts}, {sources}.")
    o.comment("Templates are merged with the defaults by id.")
    for t in p.templates {
      o.arrayHeader("templates")
      o.set("id", .string(t.id))
      o.set("kind", .string(t.kind.rawValue))
      o.set("lang", .string(t.lang))
      o.set("text", .string(t.text))
    }
  }
}

extension PolicyConfig {
  /// A stable fingerprint of the policy: SHA-256 of its canonical rendering, in hex.
  ///
  /// Two policies with the same fingerprint classify, time and advise the same way; the store can
  /// use it to version the policy it keeps.
  public var fingerprint: String {
    Fingerprint.sha256Hex(Array(PolicyFile.render(self).utf8))
  }
}

/// A tiny TOML writer: the values a policy needs, with comments.
struct TOMLWriter {
  enum Value {
    case string(String)
    case strings([String])
    case bool(Bool)
    case int(Int)
    case raw(String)
    /// An inline table, keys in order: `{ en = "…", nl = "…" }`.
    indirect case inline([String: Value])
  }

  private(set) var text = ""

  mutating func comment(_ s: String) { text += "# " + s + "\n" }
  mutating func blank() {
    if !text.hasSuffix("\n\n") { text += "\n" }
  }
  mutating func header(_ name: String) { text += "[" + name + "]\n" }
  mutating func arrayHeader(_ name: String) { text += "[[" + name + "]]\n" }

  mutating func set(_ key: String, _ value: Value) {
    text += Self.key(key) + " = " + Self.format(value) + "\n"
  }

  /// A list of strings per key (a platform, a language), in key order: the output is canonical.
  mutating func setLists(_ table: [String: [String]]) {
    for key in table.keys.sorted() { set(key, .strings(table[key]!)) }
  }

  static func key(_ k: String) -> String {
    let bare = !k.isEmpty && k.utf8.allSatisfy { TOMLWriter.isBare($0) }
    return bare ? k : quote(k)
  }

  static func isBare(_ c: UInt8) -> Bool {
    (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F
      || c == 0x2D
  }

  static func format(_ v: Value) -> String {
    switch v {
    case .string(let s): return quote(s)
    case .bool(let b): return b ? "true" : "false"
    case .int(let n): return String(n)
    case .raw(let r): return r
    case .inline(let table):
      let items = table.keys.sorted().map { key($0) + " = " + format(table[$0]!) }
      return "{ " + items.joined(separator: ", ") + " }"
    case .strings(let list):
      if list.isEmpty { return "[]" }
      let one = "[" + list.map(quote).joined(separator: ", ") + "]"
      if one.count <= 80 { return one }
      // Long lists go one item per line, so a diff of a policy file shows what changed.
      return "[\n" + list.map { "  " + quote($0) + ",\n" }.joined() + "]"
    }
  }

  /// A TOML basic string with the escapes TOML requires.
  static func quote(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
      switch u {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\t": out += "\\t"
      case "\r": out += "\\r"
      default:
        if u.value < 0x20 || u.value == 0x7F {
          let hex = String(u.value, radix: 16, uppercase: true)
          out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          out.unicodeScalars.append(u)
        }
      }
    }
    return out + "\""
  }
}

/// A number for a TOML file: `3` when whole, else `2.5`.
func tomlNumber(_ value: Double) -> String {
  value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
}

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
    var reader = PolicyReader(file: path, text: text)
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
  let text: String
  /// The keys' lines, found in the text at the first issue: a policy that reads cleanly (every
  /// command opening a store reads one) does not walk its text a second time (issue 17).
  private var locator: TOMLKeyLocator?
  var issues: [PolicyFileIssue] = []
  /// Refuse roster names, logins and initials with control characters (see `PolicyFile.parse`).
  var refusesControlCharacters = true

  init(file: String, text: String) {
    self.file = file
    self.text = text
  }

  mutating func fail(_ path: String, _ message: String) {
    let located = locator ?? TOMLKeyLocator(text: text)
    locator = located
    issues.append(PolicyFileIssue(path: file, line: located.line(of: path), message: message))
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
    "escalation", "signature", "templates", "closing", "outbox", "views", "queue",
  ]

  mutating func read(_ root: TOMLTable) -> PolicyConfig {
    var p = PolicyConfig.default
    checkKeys(root, "", Self.topKeys)
    if let t = table(root, "organisation", "") { readOrganisation(t, into: &p) }
    if let members = tables(root, "team", "") { readTeam(members, into: &p) }
    if let t = table(root, "service_hours", "") {
      p.serviceHours = readServiceHours(t, "service_hours", base: p.serviceHours)
    }
    if let t = table(root, "windows", "") { readWindows(t, into: &p) }
    if let t = table(root, "holding", "") { readHolding(t, into: &p) }
    if let list = tables(root, "rumours", "") { readRumours(list, into: &p) }
    if let t = table(root, "staff", "") {
      checkKeys(t, "staff", ["accounts"])
      if let a = strings(t, "accounts", "staff") { p.staffAccounts = a }
    }
    if let t = table(root, "noise", "") { readNoise(t, into: &p) }
    if let t = table(root, "tone", "") { readTone(t, into: &p) }
    if let t = table(root, "escalation", "") { readEscalation(t, into: &p.escalation) }
    if let t = table(root, "closing", "") { p.closing = readClosing(t, base: p.closing) }
    if let t = table(root, "signature", "") { readSignature(t, into: &p) }
    if let t = table(root, "outbox", "") { readOutbox(t, into: &p) }
    if let t = table(root, "queue", "") { readQueue(t, into: &p) }
    if let list = tables(root, "templates", "") { readTemplates(list, into: &p) }
    if let list = tables(root, "views", "") { readViews(list, into: &p) }
    return p
  }

  static func isLanguage(_ k: String) -> Bool {
    (2...3).contains(k.count) && k.allSatisfy { $0.isASCII && $0.isLowercase }
  }
}

extension TOMLValueConvertible {
  var debugDescriptionText: String {
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

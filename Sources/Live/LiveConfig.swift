import Foundation
import Inbox
import Policy
import TOMLKit

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A token or password: kept out of every description, log line and error message.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
  /// The value itself; only the code that sends it to the platform reads this.
  public let revealed: String

  public init(_ value: String) { revealed = value }

  public var description: String { "(secret)" }
  public var debugDescription: String { "(secret)" }
}

/// Where a credential comes from: an environment variable or a private file, read when needed.
public enum CredentialSource: Sendable, Hashable {
  case environment(String)
  case file(String)

  /// Reads the credential. A file must be private to its owner (0600 or stricter): anything else
  /// is refused, naming the file, so a token readable by others is never used.
  public func load(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Secret {
    switch self {
    case .environment(let name):
      guard let value = environment[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty
      else {
        throw InboxError.invalidArgument("the environment variable \(name) is not set (it holds the token)")
      }
      return Secret(value)
    case .file(let path):
      var info = stat()
      guard stat(path, &info) == 0 else {
        throw InboxError.notFound("\(path): cannot read the token file: \(String(cString: strerror(errno)))")
      }
      let mode = info.st_mode & 0o777
      guard mode & 0o077 == 0 else {
        throw InboxError.permissionDenied(
          "\(path): the token file must be private to you (chmod 600 \(path)); it is \(String(mode, radix: 8))"
        )
      }
      guard let data = FileManager.default.contents(atPath: path),
        let text = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
        !text.isEmpty
      else { throw InboxError.invalidArgument("\(path): the token file is empty or not text") }
      return Secret(text)
    }
  }
}

/// A Mastodon account: its mention notifications, searches for names and hashtags, replies.
public struct MastodonConfig: SourceSection, Hashable {
  public var name: String
  /// The server's base URL, e.g. `https://mastodon.example`.
  public var server: URL
  public var token: CredentialSource
  public var notifications: Bool
  /// Words searched (`Acme`) and hashtags followed (`#acmefail`).
  public var searches: [String]
  public var interval: TimeInterval?
  /// The widest visibility a reply may have; a reply is never wider than the mention's.
  public var replyVisibility: String
  /// Replies to Mastodon mentions go out through this account.
  public var deliver: Bool
}

/// A Bluesky account: `searchPosts` for the organisation's names, and replies.
public struct BlueskyConfig: SourceSection, Hashable {
  public var name: String
  /// The account's PDS (or entryway), e.g. `https://bsky.social`.
  public var service: URL
  public var identifier: String
  /// An app password.
  public var password: CredentialSource
  public var searches: [String]
  public var interval: TimeInterval?
  public var deliver: Bool
}

/// An RSS or Atom feed, e.g. a Google Alerts or Talkwalker alert.
public struct FeedConfig: SourceSection, Hashable {
  public var name: String
  public var url: URL
  public var interval: TimeInterval?
}

/// A folder that takes dropped files; each is ingested, then moved into `processed/` inside it.
public struct SpoolConfig: SourceSection, Hashable {
  public var name: String
  public var path: String
  public var interval: TimeInterval?
  /// A CSV mapping file, as `repute ingest --csv-config` reads, for the CSV files dropped here.
  public var csvConfig: String?
}

/// `$XDG_CONFIG_HOME/repute/config.toml`: the live sources and how often they are polled.
public struct LiveConfig: Sendable, Hashable {
  /// How often a source is polled unless it says otherwise.
  public var interval: TimeInterval = 300
  /// The longest wait between polls of a failing source (the backoff doubles up to it).
  public var maxBackoff: TimeInterval = 3600
  /// How often the thread of an open mention is fetched again (S8, S11).
  public var threadRefresh: TimeInterval = 900
  /// The most an answer's body may hold ([watch] max_response_mib): a larger one is that
  /// source's failure, and nothing of it is read.
  public var maxResponseBytes: Int = defaultMaxResponseBytes
  public var mastodon: [MastodonConfig] = []
  public var bluesky: [BlueskyConfig] = []
  public var feeds: [FeedConfig] = []
  public var spools: [SpoolConfig] = []

  public init() {}

  /// Every source's name and kind, in the file's order by kind.
  public var sourceNames: [(name: String, kind: String)] {
    mastodon.map { ($0.name, "mastodon") } + bluesky.map { ($0.name, "bluesky") }
      + feeds.map { ($0.name, "feed") } + spools.map { ($0.name, "spool") }
  }

  /// The config file's path: `$XDG_CONFIG_HOME/repute/config.toml`, else `~/.config/repute/config.toml`.
  public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment)
    -> String
  {
    if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") { return xdg + "/repute/config.toml" }
    let home = environment["HOME"] ?? NSHomeDirectory()
    return home + "/.config/repute/config.toml"
  }

  /// Reads the config file; every problem is reported as `FILE:LINE: what is wrong`.
  public static func load(path: String) throws(PolicyFileError) -> LiveConfig {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw PolicyFileError(issues: [
        PolicyFileIssue(
          path: path, line: nil, message: "cannot read the config file (see README: Live sources)")
      ])
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw PolicyFileError(issues: [PolicyFileIssue(path: path, line: nil, message: "not UTF-8 text")])
    }
    return try parse(text: text, path: path)
  }

  /// Parses a config file's text; `path` is used in error messages.
  public static func parse(text: String, path: String, home: String = NSHomeDirectory())
    throws(PolicyFileError)
    -> LiveConfig
  {
    let table = try PolicyFile.tomlTable(text: text, path: path)
    var reader = ConfigReader(file: path, locator: TOMLKeyLocator(text: text), home: home)
    let config = reader.read(table)
    if !reader.issues.isEmpty {
      throw PolicyFileError(issues: reader.issues.sorted { ($0.line ?? 0) < ($1.line ?? 0) })
    }
    return config
  }
}

/// Walks the config table, collecting every issue with its line.
private struct ConfigReader {
  let file: String
  let locator: TOMLKeyLocator
  let home: String
  var issues: [PolicyFileIssue] = []
  var names: Set<String> = []

  init(file: String, locator: TOMLKeyLocator, home: String) {
    self.file = file
    self.locator = locator
    self.home = home
  }

  mutating func fail(_ path: String, _ message: String) {
    issues.append(PolicyFileIssue(path: file, line: locator.line(of: path), message: message))
  }

  mutating func checkKeys(_ t: TOMLTable, _ path: String, _ allowed: [String]) {
    for key in t.keys.sorted() where !allowed.contains(key) {
      let p = path.isEmpty ? key : path + "." + key
      if key == "token" || key == "password" {
        fail(
          p,
          "'\(p)': a secret does not go in the config; name an environment variable (\(key)_env) or a 0600 file (\(key)_file)"
        )
        continue
      }
      fail(p, "unknown key '\(p)'; expected one of: " + allowed.joined(separator: ", "))
    }
  }

  mutating func string(_ t: TOMLTable, _ key: String, _ path: String) -> String? {
    guard let v = t[key] else { return nil }
    guard let s = v.string else {
      fail(path + "." + key, "'\(path).\(key)' must be a string, not \(v.type)")
      return nil
    }
    return s
  }

  mutating func bool(_ t: TOMLTable, _ key: String, _ path: String) -> Bool? {
    guard let v = t[key] else { return nil }
    guard let b = v.bool else {
      fail(path + "." + key, "'\(path).\(key)' must be true or false, not \(v.type)")
      return nil
    }
    return b
  }

  mutating func strings(_ t: TOMLTable, _ key: String, _ path: String) -> [String] {
    guard let v = t[key] else { return [] }
    guard let a = v.array else {
      fail(path + "." + key, "'\(path).\(key)' must be a list of strings, not \(v.type)")
      return []
    }
    var out: [String] = []
    for (i, e) in a.enumerated() {
      if let s = e.string, !s.trimmingCharacters(in: .whitespaces).isEmpty {
        out.append(s)
      } else {
        fail("\(path).\(key)[\(i)]", "'\(path).\(key)[\(i)]' must be a non-empty string")
      }
    }
    return out
  }

  mutating func duration(_ t: TOMLTable, _ key: String, _ path: String, minimum: TimeInterval = 1)
    -> TimeInterval?
  {
    let p = path.isEmpty ? key : path + "." + key
    guard let v = t[key] else { return nil }
    guard let s = v.string, let d = DurationText.parse(s) else {
      fail(p, "'\(p)': bad duration; write e.g. \"90s\", \"10m\", \"1h30m\"")
      return nil
    }
    let seconds = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    guard seconds >= minimum else {
      fail(p, "'\(p)' must be at least \(Int(minimum)) s")
      return nil
    }
    return seconds
  }

  mutating func url(_ t: TOMLTable, _ key: String, _ path: String) -> URL? {
    guard let s = string(t, key, path) else {
      if t[key] == nil { fail(path, "'\(path)' needs '\(key)'") }
      return nil
    }
    guard let u = URL(string: s), let scheme = u.scheme?.lowercased(), scheme == "https" || scheme == "http",
      u.host != nil
    else {
      fail(path + "." + key, "'\(path).\(key)' must be an http(s) URL, not \"\(s)\"")
      return nil
    }
    return u
  }

  mutating func name(_ t: TOMLTable, _ path: String) -> String {
    guard let n = string(t, "name", path) else {
      if t["name"] == nil { fail(path, "'\(path)' needs a 'name' (shown in repute sources)") }
      return path
    }
    // The name is printed by watch and sources: no control characters or escapes in it.
    if n.isEmpty || n.contains(where: { $0.isWhitespace || $0.isNewline }) || TerminalSafe.sanitize(n) != n {
      fail(path + ".name", "'\(path).name' must be one word without spaces or control characters")
    } else if !names.insert(n).inserted {
      fail(path + ".name", "two sources are named '\(n)'")
    }
    return n
  }

  /// `<prefix>_env` or `<prefix>_file`: exactly one of the two.
  mutating func credential(_ t: TOMLTable, _ prefix: String, _ path: String) -> CredentialSource {
    let env = string(t, prefix + "_env", path)
    let file = string(t, prefix + "_file", path)
    switch (env, file) {
    case (let e?, nil): return .environment(e)
    case (nil, let f?): return .file(expand(f))
    case (_?, _?):
      fail(path + "." + prefix + "_file", "'\(path)': give \(prefix)_env or \(prefix)_file, not both")
    case (nil, nil):
      fail(path, "'\(path)' needs \(prefix)_env (an environment variable) or \(prefix)_file (a 0600 file)")
    }
    return .environment("")
  }

  func expand(_ p: String) -> String {
    if p == "~" { return home }
    if p.hasPrefix("~/") { return home + p.dropFirst(1) }
    return p
  }

  mutating func read(_ root: TOMLTable) -> LiveConfig {
    var config = LiveConfig()
    checkKeys(root, "", ["watch", "mastodon", "bluesky", "feed", "spool"])
    if let v = root["watch"] {
      if let w = v.table {
        checkKeys(w, "watch", ["interval", "max_backoff", "thread_refresh", "max_response_mib"])
        if let d = duration(w, "interval", "watch") { config.interval = d }
        if let d = duration(w, "max_backoff", "watch") { config.maxBackoff = d }
        if let d = duration(w, "thread_refresh", "watch", minimum: 60) { config.threadRefresh = d }
        if let v = w["max_response_mib"] {
          if let n = v.int, (1...1024).contains(n) {
            config.maxResponseBytes = n << 20
          } else {
            fail(
              "watch.max_response_mib",
              "'watch.max_response_mib' must be a whole number of MiB from 1 to 1024")
          }
        }
      } else {
        fail("watch", "'watch' must be a table ([watch])")
      }
    }
    for (t, p) in tables(root, "mastodon") {
      checkKeys(
        t, p,
        [
          "name", "server", "token_env", "token_file", "notifications", "searches", "interval",
          "reply_visibility",
          "deliver",
        ])
      let name = name(t, p)
      let server = url(t, "server", p)
      let token = credential(t, "token", p)
      let visibility = string(t, "reply_visibility", p) ?? "public"
      if !MastodonVisibility.order.contains(visibility) {
        fail(
          p + ".reply_visibility", "'\(p).reply_visibility' must be one of: public, unlisted, private, direct"
        )
      }
      if let server {
        config.mastodon.append(
          MastodonConfig(
            name: name, server: server, token: token, notifications: bool(t, "notifications", p) ?? true,
            searches: strings(t, "searches", p), interval: duration(t, "interval", p),
            replyVisibility: visibility, deliver: bool(t, "deliver", p) ?? true))
      }
    }
    for (t, p) in tables(root, "bluesky") {
      checkKeys(
        t, p,
        ["name", "service", "identifier", "password_env", "password_file", "searches", "interval", "deliver"])
      let name = name(t, p)
      let service = t["service"] == nil ? URL(string: "https://bsky.social") : url(t, "service", p)
      let identifier = string(t, "identifier", p)
      if identifier == nil && t["identifier"] == nil {
        fail(p, "'\(p)' needs an 'identifier' (the account's handle)")
      }
      let password = credential(t, "password", p)
      let searches = strings(t, "searches", p)
      if let service, let identifier {
        config.bluesky.append(
          BlueskyConfig(
            name: name, service: service, identifier: identifier, password: password, searches: searches,
            interval: duration(t, "interval", p), deliver: bool(t, "deliver", p) ?? true))
      }
    }
    for (t, p) in tables(root, "feed") {
      checkKeys(t, p, ["name", "url", "interval"])
      let name = name(t, p)
      if let u = url(t, "url", p) {
        config.feeds.append(FeedConfig(name: name, url: u, interval: duration(t, "interval", p)))
      }
    }
    for (t, p) in tables(root, "spool") {
      checkKeys(t, p, ["name", "path", "interval", "csv_config"])
      let name = name(t, p)
      guard let path = string(t, "path", p) else {
        if t["path"] == nil { fail(p, "'\(p)' needs a 'path' (the folder files are dropped in)") }
        continue
      }
      config.spools.append(
        SpoolConfig(
          name: name, path: expand(path), interval: duration(t, "interval", p),
          csvConfig: string(t, "csv_config", p).map(expand)))
    }
    return config
  }

  mutating func tables(_ root: TOMLTable, _ key: String) -> [(TOMLTable, String)] {
    guard let v = root[key] else { return [] }
    guard let a = v.array else {
      fail(key, "'\(key)' must be a list of tables ([[\(key)]]), not \(v.type)")
      return []
    }
    var out: [(TOMLTable, String)] = []
    for (i, e) in a.enumerated() {
      if let t = e.table {
        out.append((t, "\(key)[\(i)]"))
      } else {
        fail("\(key)[\(i)]", "'\(key)[\(i)]' must be a table")
      }
    }
    return out
  }
}

/// Mastodon's visibilities, widest first.
public enum MastodonVisibility {
  public static let order = ["public", "unlisted", "private", "direct"]

  /// The narrower of two visibilities; an unknown one counts as the narrowest (`direct`).
  public static func narrower(_ a: String, _ b: String) -> String {
    let ia = order.firstIndex(of: a) ?? order.count - 1
    let ib = order.firstIndex(of: b) ?? order.count - 1
    return order[max(ia, ib)]
  }
}

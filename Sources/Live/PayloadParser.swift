import Foundation
import Inbox

/// Turns one response body from a platform into mentions.
///
/// The narrow seam between live polling and the formats: the sources here fetch, page and keep
/// cursors; a parser only maps a payload to `IncomingMention`s. The minimal parsers below read
/// just the fields delivery and threads need; the full format parsers (HTML to text, boosts,
/// facets, …) plug in through this same protocol.
public protocol PayloadParser: Sendable {
  /// The mentions in `body`; `origin` (a URL or file) names the payload in errors.
  func mentions(from body: Data, origin: String) throws -> [IncomingMention]
}

/// A payload that could not be read, with where it came from.
public struct PayloadError: Error, Sendable, Hashable, CustomStringConvertible {
  public var origin: String
  public var reason: String

  public init(origin: String, reason: String) {
    self.origin = origin
    self.reason = reason
  }

  public var description: String { "\(origin): \(reason)" }
}

/// JSON as `JSONSerialization` reads it, with typed lookups.
enum JSONValue {
  static func object(_ v: Any?) -> [String: Any]? { v as? [String: Any] }
  static func array(_ v: Any?) -> [Any]? { v as? [Any] }

  static func string(_ v: Any?) -> String? {
    if let s = v as? String { return s }
    if let n = v as? NSNumber, !(v is Bool) { return n.stringValue }
    return nil
  }

  static func int(_ v: Any?) -> Int? {
    if let n = v as? NSNumber, !(v is Bool) { return n.intValue }
    if let s = v as? String { return Int(s) }
    return nil
  }

  static func parse(_ data: Data, origin: String) throws -> Any {
    do {
      return try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
    } catch {
      throw PayloadError(origin: origin, reason: "not JSON (\(data.count) bytes)")
    }
  }

  /// One object as compact JSON text, for the raw record.
  static func text(_ object: Any) -> String {
    guard JSONSerialization.isValidJSONObject(object),
      let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    else { return "{}" }
    return String(decoding: data, as: UTF8.self)
  }
}

/// Mastodon statuses and notifications, read minimally: the post's `uri` is its id (status ids
/// are only unique per server), the author's `acct`, the text with tags removed.
public struct MastodonStatusReader: PayloadParser {
  public init() {}

  public func mentions(from body: Data, origin: String) throws -> [IncomingMention] {
    let json = try JSONValue.parse(body, origin: origin)
    let items: [Any]
    if let a = JSONValue.array(json) {
      items = a
    } else if let o = JSONValue.object(json), let statuses = JSONValue.array(o["statuses"]) {
      items = statuses  // a v2 search answer
    } else if JSONValue.object(json) != nil {
      items = [json]
    } else {
      throw PayloadError(origin: origin, reason: "expected a status, a notification or a list of them")
    }
    return try items.enumerated().compactMap { index, item in
      guard let object = JSONValue.object(item) else {
        throw PayloadError(origin: origin, reason: "item \(index + 1) is not an object")
      }
      return try mention(object, raw: JSONValue.text(object), origin: "\(origin) item \(index + 1)")
    }
  }

  /// The status inside a notification, or the object itself; a boost's boosted post.
  static func status(of object: [String: Any]) -> [String: Any]? {
    var status = object
    if object["type"] is String, object["account"] != nil, object["content"] == nil {
      guard let s = JSONValue.object(object["status"]) else { return nil }
      status = s
    }
    if let boosted = JSONValue.object(status["reblog"]) { status = boosted }
    return status
  }

  func mention(_ object: [String: Any], raw: String, origin: String) throws -> IncomingMention? {
    // A notification without a status (a follow, say) is not a mention.
    guard let status = Self.status(of: object) else { return nil }
    guard let id = JSONValue.string(status["uri"]) ?? JSONValue.string(status["url"]) else {
      throw PayloadError(origin: origin, reason: "the status has no uri")
    }
    guard let account = JSONValue.object(status["account"]), let acct = JSONValue.string(account["acct"])
    else {
      throw PayloadError(origin: origin, reason: "the status has no account.acct")
    }
    guard let createdText = JSONValue.string(status["created_at"]), let created = RFC3339.parse(createdText)
    else {
      throw PayloadError(origin: origin, reason: "the status has no RFC 3339 created_at")
    }
    var text = PlainText.fromHTML(JSONValue.string(status["content"]) ?? "")
    if let warning = JSONValue.string(status["spoiler_text"]), !warning.isEmpty {
      text = "[\(warning)] " + text
    }
    return IncomingMention(
      platform: "mastodon", externalID: id, url: JSONValue.string(status["url"]),
      author: Author(
        handle: acct, name: JSONValue.string(account["display_name"]).flatMap { $0.isEmpty ? nil : $0 },
        followers: JSONValue.int(account["followers_count"])),
      createdAt: created, text: text, lang: JSONValue.string(status["language"]), raw: raw)
  }
}

/// Bluesky post views (`searchPosts`, `getPostThread`), read minimally: the `at://` URI is the
/// id, the reply references give `in_reply_to` and the thread's root.
public struct BlueskyPostReader: PayloadParser {
  public init() {}

  public func mentions(from body: Data, origin: String) throws -> [IncomingMention] {
    let json = try JSONValue.parse(body, origin: origin)
    guard let o = JSONValue.object(json) else {
      throw PayloadError(origin: origin, reason: "expected an object")
    }
    let posts = JSONValue.array(o["posts"]) ?? [o]
    return try posts.enumerated().map { index, item in
      guard let post = JSONValue.object(item) else {
        throw PayloadError(origin: origin, reason: "post \(index + 1) is not an object")
      }
      return try mention(post, origin: "\(origin) post \(index + 1)")
    }
  }

  func mention(_ post: [String: Any], origin: String) throws -> IncomingMention {
    guard let uri = JSONValue.string(post["uri"]), uri.hasPrefix("at://") else {
      throw PayloadError(origin: origin, reason: "the post has no at:// uri")
    }
    guard let author = JSONValue.object(post["author"]), let handle = JSONValue.string(author["handle"])
    else {
      throw PayloadError(origin: origin, reason: "the post has no author.handle")
    }
    let record = JSONValue.object(post["record"]) ?? [:]
    guard let createdText = JSONValue.string(record["createdAt"]) ?? JSONValue.string(post["indexedAt"]),
      let created = RFC3339.parse(createdText)
    else { throw PayloadError(origin: origin, reason: "the post has no RFC 3339 createdAt") }
    let reply = JSONValue.object(record["reply"])
    let parent = JSONValue.object(reply?["parent"]).flatMap { JSONValue.string($0["uri"]) }
    let root = JSONValue.object(reply?["root"]).flatMap { JSONValue.string($0["uri"]) }
    let rkey = uri.split(separator: "/").last.map(String.init) ?? ""
    return IncomingMention(
      platform: "bluesky", externalID: uri, url: "https://bsky.app/profile/\(handle)/post/\(rkey)",
      author: Author(
        handle: handle, name: JSONValue.string(author["displayName"]).flatMap { $0.isEmpty ? nil : $0 },
        followers: JSONValue.int(author["followersCount"])),
      createdAt: created, text: JSONValue.string(record["text"]) ?? "",
      lang: JSONValue.array(record["langs"])?.first.flatMap(JSONValue.string), inReplyTo: parent,
      thread: root ?? (JSONValue.int(post["replyCount"]).map { $0 > 0 } == true ? uri : nil),
      raw: JSONValue.text(post))
  }
}

/// HTML to plain text, minimally: tags dropped (a `<br>` or `</p>` becomes a line break), the
/// common entities decoded.
enum PlainText {
  static func fromHTML(_ html: String) -> String {
    var out = ""
    var tag = ""
    var inTag = false
    for ch in html {
      if inTag {
        if ch == ">" {
          inTag = false
          let t = tag.lowercased()
          if t.hasPrefix("br") || t == "/p" { out += "\n" }
          tag = ""
        } else {
          tag.append(ch)
        }
      } else if ch == "<" {
        inTag = true
      } else {
        out.append(ch)
      }
    }
    let entities = ["&lt;": "<", "&gt;": ">", "&quot;": "\"", "&#39;": "'", "&apos;": "'", "&nbsp;": " "]
    for (k, v) in entities { out = out.replacingOccurrences(of: k, with: v) }
    out = out.replacingOccurrences(of: "&amp;", with: "&")
    return out.trimmingCharacters(in: .whitespacesAndNewlines)
  }
}

import Feeds
import Foundation
import Inbox
import Store

/// A Mastodon account polled for mention notifications, searches and hashtags.
///
/// Each stream pages forward from its cursor with `min_id` (the newest id stored), so a poll
/// stopped anywhere resumes exactly where its last committed page ended. The first poll of a
/// stream starts from the newest page (no backfill).
public struct MastodonSource: ConfiguredSource {
  public let config: MastodonConfig
  public let token: Secret
  public let parser: any PayloadParser
  public var kind: String { "mastodon" }
  /// Items per page (Mastodon allows 40 for statuses, 80 for notifications).
  public var pageSize = 40

  public init(config: MastodonConfig, token: Secret, parser: any PayloadParser = FormatParser(.mastodon)) {
    self.config = config
    self.token = token
    self.parser = parser
  }

  /// The streams this account reads: notifications, then each search or hashtag.
  var streams: [String] {
    (config.notifications ? ["notifications"] : [])
      + config.searches.map { $0.hasPrefix("#") ? "tag:" + $0.dropFirst() : "search:" + $0 }
  }

  func request(_ stream: String, minID: String?) -> HTTPRequest {
    var query: [(String, String)] = [("limit", String(pageSize))]
    if let minID { query.append(("min_id", minID)) }
    let url: URL
    if stream == "notifications" {
      url = config.server.appending(
        path: "/api/v1/notifications", query: [("types[]", "mention"), ("types[]", "update")] + query)
    } else if stream.hasPrefix("tag:") {
      let tag =
        String(stream.dropFirst(4)).addingPercentEncoding(withAllowedCharacters: .queryValueAllowed) ?? ""
      url = config.server.appending(path: "/api/v1/timelines/tag/" + tag, query: query)
    } else {
      url = config.server.appending(
        path: "/api/v2/search", query: [("q", String(stream.dropFirst(7))), ("type", "statuses")] + query)
    }
    return HTTPRequest(url: url, headers: authorization)
  }

  var authorization: [String: String] {
    ["Authorization": "Bearer " + token.revealed, "Accept": "application/json"]
  }

  public func poll(from state: SourceState?, context: PollContext) throws -> PollReport {
    var cursor = CursorMap(state?.cursor)
    var report = PollReport()
    for stream in streams {
      var pages = 0
      while pages < context.maxPages {
        let response = try context.http.send(request(stream, minID: cursor[stream]))
        guard response.isSuccess else {
          throw HTTPFailure("\(stream): \(response.platformMessage())", status: response.status)
        }
        let json = try response.json(from: "\(name) \(stream)")
        let items =
          (JSONValue.array(json) ?? JSONValue.object(json).flatMap { JSONValue.array($0["statuses"]) }) ?? []
        let ids = items.compactMap { JSONValue.object($0).flatMap { JSONValue.string($0["id"]) } }
        guard let newest = ids.max(by: { mastodonIDIsNewer($1, than: $0) }) else { break }
        let first = cursor[stream] == nil
        let parsed = parser.parse(
          response.body, origin: request(stream, minID: cursor[stream]).url.absoluteString)
        cursor[stream] = newest
        try context.commitPage(
          parsed.mentions, refused: parsed.rejections,
          cursor: SourceCursor(source: name, kind: kind, cursor: cursor.text), in: &report)
        pages += 1
        try fetchThreads(items: items, context: context)
        // A first poll reads only the newest page; a short page means we are up to date.
        if first || ids.count < pageSize { break }
      }
    }
    try refreshThreads(context: context)
    return report
  }

  // MARK: Thread context (S8, S11)

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

  /// For each status in the page that answers a post or was answered, fetch its conversation.
  func fetchThreads(items: [Any], context: PollContext) throws {
    for item in items {
      guard let object = JSONValue.object(item), let status = Self.status(of: object),
        let id = JSONValue.string(status["id"])
      else { continue }
      let answers = status["in_reply_to_id"] is String || (JSONValue.int(status["replies_count"]) ?? 0) > 0
      if answers { try fetchThread(statusID: id, focal: status, context: context) }
    }
  }

  /// Open mentions whose conversation may have grown since it was last fetched.
  func refreshThreads(context: PollContext) throws {
    for mention in try context.threadCandidates("mastodon", 10) {
      // The post's id on this server: look its uri up (a mention may have come from elsewhere).
      let url = config.server.appending(
        path: "/api/v2/search",
        query: [("q", mention.externalID), ("type", "statuses"), ("resolve", "true"), ("limit", "1")])
      let response = try context.http.send(HTTPRequest(url: url, headers: authorization))
      guard response.isSuccess,
        let status = JSONValue.object(try response.json(from: name)).flatMap({
          JSONValue.array($0["statuses"])
        })?
        .first.flatMap(JSONValue.object),
        let id = JSONValue.string(status["id"])
      else {
        try context.threadFetched("mastodon", mention.externalID, 0)
        continue
      }
      try fetchThread(statusID: id, focal: status, context: context)
    }
  }

  func fetchThread(statusID: String, focal: [String: Any], context: PollContext) throws {
    let url = config.server.appending(path: "/api/v1/statuses/\(statusID)/context", query: [])
    let response = try context.http.send(HTTPRequest(url: url, headers: authorization))
    guard response.isSuccess, let body = JSONValue.object(try response.json(from: name)) else {
      context.note("thread of status \(statusID): \(response.platformMessage())")
      return
    }
    let ancestors = (JSONValue.array(body["ancestors"]) ?? []).compactMap(JSONValue.object)
    let descendants = (JSONValue.array(body["descendants"]) ?? []).compactMap(JSONValue.object)
    let all = ancestors + [focal] + descendants
    let root = JSONValue.string((ancestors.first ?? focal)["uri"])
    // Read as one document, so a reply to a post of the conversation names that post's uri.
    let parsed = parser.parse(try JSONSerialization.data(withJSONObject: all), origin: url.absoluteString)
    let posts = parsed.mentions.map { mention in
      var m = mention
      if m.thread == nil { m.thread = root }
      return m
    }
    try context.commitContext(posts, refused: parsed.rejections)
    if let focalMention = posts.first(where: { $0.externalID == JSONValue.string(focal["uri"]) }) {
      try context.threadFetched("mastodon", focalMention.externalID, posts.count - 1)
    }
  }
}

import Feeds
import Foundation
import Inbox
import Store

/// A logged-in Bluesky session (`com.atproto.server.createSession` with an app password), shared by
/// the source and the courier and renewed when the service says the token expired.
public final class BlueskySession: Sendable {
  public let service: URL
  let identifier: String
  private let password: Secret
  /// The account's DID and access token once logged in. Held while logging in, so two pollers
  /// sharing the session log in once.
  private let login = Locked<(did: String, access: Secret)?>(nil)

  public init(service: URL, identifier: String, password: Secret) {
    self.service = service
    self.identifier = identifier
    self.password = password
  }

  /// The account's DID and access token, logging in first when needed.
  func credentials(_ http: RateLimitedHTTP, renew: Bool = false) throws -> (did: String, token: Secret) {
    try login.withLock { login in
      if !renew, let login { return (login.did, login.access) }
      let body = try JSONSerialization.data(withJSONObject: [
        "identifier": identifier, "password": password.revealed,
      ])
      let response = try http.send(
        HTTPRequest(
          method: "POST", url: service.appending(path: "/xrpc/com.atproto.server.createSession", query: []),
          headers: ["Content-Type": "application/json"], body: body))
      guard response.isSuccess, let o = JSONValue.object(try response.json(from: "createSession")),
        let jwt = JSONValue.string(o["accessJwt"]), let did = JSONValue.string(o["did"])
      else {
        throw HTTPFailure("login as \(identifier): \(response.platformMessage())", status: response.status)
      }
      login = (did, Secret(jwt))
      return (did, Secret(jwt))
    }
  }

  /// Sends an XRPC request with the session's token, logging in again once if it expired.
  func send(_ http: RateLimitedHTTP, _ make: (Secret) -> HTTPRequest) throws -> HTTPResponse {
    var response = try http.send(make(try credentials(http).token))
    if response.status == 401
      || (response.status == 400 && response.platformMessage().contains("ExpiredToken"))
    {
      response = try http.send(make(try credentials(http, renew: true).token))
    }
    return response
  }
}

/// A Bluesky account polled with `app.bsky.feed.searchPosts` for each of its searches.
///
/// Results come newest first. A run pages back to the newest post of the previous run (`since`,
/// inclusive) and only then moves `since` forward; an interrupted run keeps its page token, so
/// the next poll resumes it: no gap, and the store drops the few repeats at the boundary.
public struct BlueskySource: ConfiguredSource {
  public let config: BlueskyConfig
  public let session: BlueskySession
  public let parser: any PayloadParser
  public var kind: String { "bluesky" }
  public var pageSize = 100

  public init(
    config: BlueskyConfig, session: BlueskySession, parser: any PayloadParser = FormatParser(.bluesky)
  ) {
    self.config = config
    self.session = session
    self.parser = parser
  }

  func xrpcURL(_ method: String, _ query: [(String, String)]) -> URL {
    session.service.appending(path: "/xrpc/" + method, query: query)
  }

  func xrpc(_ method: String, _ query: [(String, String)]) -> (Secret) -> HTTPRequest {
    let url = xrpcURL(method, query)
    return { token in
      HTTPRequest(
        url: url, headers: ["Authorization": "Bearer " + token.revealed, "Accept": "application/json"])
    }
  }

  public func poll(from state: SourceState?, context: PollContext) throws -> PollReport {
    var cursor = CursorMap(state?.cursor)
    var report = PollReport()
    for q in config.searches {
      var pages = 0
      while pages < context.maxPages {
        let since = cursor[q + ".since"]
        var query: [(String, String)] = [("q", q), ("sort", "latest"), ("limit", String(pageSize))]
        if let since { query.append(("since", since)) }
        if let page = cursor[q + ".page"] { query.append(("cursor", page)) }
        let response = try session.send(context.http, xrpc("app.bsky.feed.searchPosts", query))
        guard response.isSuccess else {
          throw HTTPFailure("search \"\(q)\": \(response.platformMessage())", status: response.status)
        }
        let body = JSONValue.object(try response.json(from: "\(name) search")) ?? [:]
        let posts = (JSONValue.array(body["posts"]) ?? []).compactMap(JSONValue.object)
        var high = cursor[q + ".high"].flatMap(RFC3339.parse)
        for post in posts {
          if let t = Self.sortTime(post), high.map({ t > $0 }) ?? true { high = t }
        }
        let next = JSONValue.string(body["cursor"])
        let done = since == nil || next == nil || posts.isEmpty
        if done {
          // The run reached the previous run's newest post (or this is the first run): move on.
          cursor[q + ".since"] = high.map(RFC3339.format) ?? since
          cursor[q + ".page"] = nil
          cursor[q + ".high"] = nil
        } else {
          cursor[q + ".page"] = next
          cursor[q + ".high"] = high.map(RFC3339.format)
        }
        let parsed = parser.parse(
          response.body, origin: xrpcURL("app.bsky.feed.searchPosts", query).absoluteString)
        try context.commitPage(
          Self.threadsOnlyWhereAnswered(parsed.mentions, posts: posts), refused: parsed.rejections,
          cursor: SourceCursor(source: name, kind: kind, cursor: cursor.text), in: &report)
        pages += 1
        for post in posts where Self.answersOrIsAnswered(post) {
          if let uri = JSONValue.string(post["uri"]) { try fetchThread(uri: uri, context: context) }
        }
        if done { break }
      }
    }
    for mention in try context.threadCandidates("bluesky", 10) {
      try fetchThread(uri: mention.externalID, context: context)
    }
    return report
  }

  /// The time search sorts by: the earlier of createdAt and indexedAt (never later than the
  /// service's own `sortAt`, so `since` never skips a post).
  static func sortTime(_ post: [String: Any]) -> Date? {
    let created = JSONValue.object(post["record"]).flatMap { JSONValue.string($0["createdAt"]) }.flatMap(
      RFC3339.parse)
    let indexed = JSONValue.string(post["indexedAt"]).flatMap(RFC3339.parse)
    switch (created, indexed) {
    case (let c?, let i?): return min(c, i)
    default: return created ?? indexed
    }
  }

  static func answersOrIsAnswered(_ post: [String: Any]) -> Bool {
    JSONValue.object(post["record"])?["reply"] != nil || (JSONValue.int(post["replyCount"]) ?? 0) > 0
  }

  /// The format makes every post its own thread's root; here a post that neither answers nor was
  /// answered has no thread yet, so thread fetching (S8, S11) is spent only where there is one.
  static func threadsOnlyWhereAnswered(_ mentions: [IncomingMention], posts: [[String: Any]])
    -> [IncomingMention]
  {
    let answered = Set(
      posts.filter(answersOrIsAnswered).compactMap { JSONValue.string($0["uri"]) })
    return mentions.map { mention in
      var m = mention
      if m.inReplyTo == nil, m.thread == m.externalID, !answered.contains(m.externalID) { m.thread = nil }
      return m
    }
  }

  /// The conversation around a post (`app.bsky.feed.getPostThread`), stored as context.
  func fetchThread(uri: String, context: PollContext) throws {
    let response = try session.send(
      context.http,
      xrpc("app.bsky.feed.getPostThread", [("uri", uri), ("depth", "10"), ("parentHeight", "40")]))
    guard response.isSuccess, let body = JSONValue.object(try response.json(from: "getPostThread")),
      let thread = JSONValue.object(body["thread"])
    else {
      context.note("thread of \(uri): \(response.platformMessage())")
      try context.threadFetched("bluesky", uri, 0)
      return
    }
    var views: [[String: Any]] = []
    var parent = JSONValue.object(thread["parent"])
    while let p = parent {
      if let post = JSONValue.object(p["post"]) { views.append(post) }
      parent = JSONValue.object(p["parent"])
    }
    if let post = JSONValue.object(thread["post"]) { views.append(post) }
    var pending = (JSONValue.array(thread["replies"]) ?? []).compactMap(JSONValue.object)
    while !pending.isEmpty {
      let reply = pending.removeFirst()
      if let post = JSONValue.object(reply["post"]) { views.append(post) }
      pending += (JSONValue.array(reply["replies"]) ?? []).compactMap(JSONValue.object)
      if views.count > 500 { break }
    }
    let data = try JSONSerialization.data(withJSONObject: ["posts": views])
    let parsed = parser.parse(
      data, origin: xrpcURL("app.bsky.feed.getPostThread", [("uri", uri)]).absoluteString)
    try context.commitContext(parsed.mentions, refused: parsed.rejections)
    try context.threadFetched("bluesky", uri, max(0, parsed.mentions.count - 1))
  }
}

import Foundation

/// A Mastodon server as far as Repute uses it: mention notifications paged with `min_id`,
/// status search (with `resolve`), hashtag timelines, thread context, and posting with
/// `Idempotency-Key` (a repeated key answers with the first post, as Mastodon does).
public final class FakeMastodon: @unchecked Sendable {
  public let token: String
  private let lock = NSLock()
  /// Notification ids are 1, 2, 3, …; each wraps a status of the same number.
  private var notificationCount = 0
  private var statuses: [String: [String: Any]] = [:]
  private var context: [String: (ancestors: [String], descendants: [String])] = [:]
  public private(set) var posts: [[String: Any]] = []
  private var byKey: [String: [String: Any]] = [:]
  /// Hold the answer to these requests (the path), once each: the client waits as if the server hung.
  public var holdOnce: Set<String> = []
  /// Answer this many POSTs to /api/v1/statuses with 503 first.
  public var failPosts = 0
  /// Take the next post, then never answer: the sender cannot know it got through.
  public var holdAfterPost = false
  /// Answer the next POSTs to /api/v1/statuses, one each, `200` with this body instead of the
  /// status (a broken proxy, a server that lies); `creates`: the server did make the post (or
  /// found the earlier one by its key) before answering so, else it made nothing.
  public var garbledPosts: [(body: String, creates: Bool)] = []
  /// Headers added to every answer (rate limits, say).
  public var extraHeaders: [String: String] = [:]
  /// The next answer streams on past its body like this (an endless or lying server), once.
  public var streamOnce: ServedResponse.Stream?
  public var server: HTTPTestServer!

  public init(token: String = "mastodon-secret-token-123") throws {
    self.token = token
    server = try HTTPTestServer { [unowned self] in self.handle($0) }
  }

  public var baseURL: String { server.baseURL }

  /// Adds a status (and a mention notification for it when `notify`), returning its id.
  @discardableResult
  public func addStatus(
    text: String, acct: String = "boos@example.social", inReplyTo: String? = nil,
    visibility: String = "public",
    notify: Bool = true, repliesCount: Int = 0, spoilerText: String = ""
  ) -> String {
    lock.lock()
    defer { lock.unlock() }
    notificationCount += 1
    let id = String(1000 + notificationCount)
    var status: [String: Any] = [
      "id": id, "uri": "https://example.social/users/x/statuses/\(id)",
      "url": "https://example.social/@x/\(id)",
      "created_at": "2026-12-01T08:\(String(format: "%02d", notificationCount % 60)):00.000Z",
      "content": "<p>\(text)</p>", "visibility": visibility, "language": "en", "replies_count": repliesCount,
      "account": ["id": "7", "acct": acct, "display_name": "Boos", "followers_count": 12],
    ]
    status["in_reply_to_id"] = inReplyTo ?? NSNull()
    status["spoiler_text"] = spoilerText
    statuses[id] = status
    if notify { statuses["n" + String(notificationCount)] = ["notification": id] }
    return id
  }

  /// Adds `acct`'s boost of status `id` (a status of its own, empty, with the boosted post in
  /// `reblog`, as Mastodon serves it), returning the boost's id.
  @discardableResult
  public func boost(_ id: String, by acct: String) -> String {
    lock.lock()
    defer { lock.unlock() }
    notificationCount += 1
    let boostID = String(1000 + notificationCount)
    statuses[boostID] = [
      "id": boostID, "uri": "https://example.social/users/b/statuses/\(boostID)/activity",
      "url": "https://example.social/@b/\(boostID)", "created_at": "2026-12-01T09:00:00.000Z", "content": "",
      "visibility": "public", "replies_count": 0, "in_reply_to_id": NSNull(), "spoiler_text": "",
      "account": ["id": "8", "acct": acct, "display_name": "", "followers_count": 3],
      "reblog": statuses[id] ?? NSNull(),
    ]
    return boostID
  }

  /// What a search or a hashtag timeline matches: a boost's boosted post.
  static func content(_ status: [String: Any]) -> String {
    let shown = (status["reblog"] as? [String: Any]) ?? status
    return (shown["content"] as? String)?.lowercased() ?? ""
  }

  public func setContext(of id: String, ancestors: [String], descendants: [String]) {
    lock.lock()
    context[id] = (ancestors, descendants)
    lock.unlock()
  }

  public var notificationIDs: [String] {
    lock.lock()
    defer { lock.unlock() }
    return (1...max(1, notificationCount)).compactMap { statuses["n\($0)"] != nil ? String($0) : nil }
  }

  func notification(_ n: Int) -> [String: Any]? {
    guard let link = statuses["n\(n)"]?["notification"] as? String, let status = statuses[link] else {
      return nil
    }
    return [
      "id": String(n), "type": "mention", "created_at": status["created_at"]!, "account": status["account"]!,
      "status": status,
    ]
  }

  func handle(_ r: ServedRequest) -> ServedResponse {
    lock.lock()
    defer { lock.unlock() }
    if holdOnce.remove(r.path) != nil { return ServedResponse(hold: true) }
    guard r.headers["authorization"] == "Bearer \(token)" else {
      return .json(["error": "The access token is invalid"], status: 401)
    }
    var response = route(r)
    for (k, v) in extraHeaders { response.headers[k] = v }
    if let stream = streamOnce {
      streamOnce = nil
      response.stream = stream
    }
    return response
  }

  private func route(_ r: ServedRequest) -> ServedResponse {
    let limit = Int(r.query("limit") ?? "40") ?? 40
    switch (r.method, r.path) {
    case ("GET", "/api/v1/notifications"):
      let all = (1...max(1, notificationCount)).compactMap { n in notification(n).map { (n, $0) } }
      var page: [(Int, [String: Any])]
      if let min = r.query("min_id").flatMap(Int.init) {
        page = Array(all.filter { $0.0 > min }.prefix(limit))
      } else {
        page = Array(all.suffix(limit))
      }
      page.reverse()  // newest first, as Mastodon answers
      return .json(page.map(\.1))
    case ("GET", "/api/v2/search"):
      let q = r.query("q") ?? ""
      if r.query("resolve") == "true",
        let s = statuses.values.first(where: { ($0["uri"] as? String) == q || ($0["url"] as? String) == q })
      {
        return .json(["statuses": [s], "accounts": [], "hashtags": []])
      }
      let min = r.query("min_id").flatMap(Int.init) ?? 0
      let found = statuses.values.filter {
        Self.content($0).contains(q.lowercased())
          && Int($0["id"] as? String ?? "") ?? 0 > min
      }.sorted { ($0["id"] as! String) > ($1["id"] as! String) }
      return .json(["statuses": Array(found.prefix(limit)), "accounts": [], "hashtags": []])
    case ("POST", "/api/v1/statuses"):
      if !garbledPosts.isEmpty {
        let garbled = garbledPosts.removeFirst()
        if garbled.creates { _ = post(r) }
        return ServedResponse(
          status: 200, headers: ["Content-Type": "application/json"], body: Data(garbled.body.utf8))
      }
      return post(r)
    default:
      return other(r, limit: limit)
    }
  }

  /// How many posts the server made with this `Idempotency-Key` (Mastodon makes one at most).
  public func postCount(key: String) -> Int {
    lock.lock()
    defer { lock.unlock() }
    return posts.filter { $0["idempotency_key"] as? String == key }.count
  }

  private func post(_ r: ServedRequest) -> ServedResponse {
    if let key = r.headers["idempotency-key"], let earlier = byKey[key] { return .json(earlier) }
    if failPosts > 0 {
      failPosts -= 1
      return .json(["error": "Service unavailable"], status: 503)
    }
    guard let body = r.json, let text = body["status"] as? String else {
      return .json(["error": "Validation failed: Text can't be blank"], status: 422)
    }
    let id = String(9000 + posts.count)
    let post: [String: Any] = [
      "id": id, "url": "\(baseURL)/@shop/\(id)", "content": text,
      "in_reply_to_id": body["in_reply_to_id"] ?? NSNull(),
      "visibility": body["visibility"] ?? "public", "idempotency_key": r.headers["idempotency-key"] ?? "",
    ]
    posts.append(post)
    if let key = r.headers["idempotency-key"] { byKey[key] = post }
    if holdAfterPost {
      holdAfterPost = false
      return ServedResponse(hold: true)
    }
    return .json(post)
  }

  private func other(_ r: ServedRequest, limit: Int) -> ServedResponse {
    if r.method == "GET", r.path.hasPrefix("/api/v1/timelines/tag/") {
      let tag = String(r.path.dropFirst("/api/v1/timelines/tag/".count)).lowercased()
      let min = r.query("min_id").flatMap(Int.init) ?? 0
      let found = statuses.values.filter {
        Self.content($0).contains("#" + tag)
          && Int($0["id"] as? String ?? "") ?? 0 > min
      }.sorted { ($0["id"] as! String) > ($1["id"] as! String) }
      return .json(Array(found.prefix(limit)))
    }
    if r.path == "/redirect" {
      return ServedResponse(status: 302, headers: ["Location": "\(baseURL)/api/v1/notifications"])
    }
    if r.method == "GET", r.path.hasPrefix("/api/v1/statuses/"), r.path.hasSuffix("/context") {
      let id = r.path.split(separator: "/")[3]
      let c = context[String(id)] ?? ([], [])
      return .json([
        "ancestors": c.ancestors.compactMap { statuses[$0] },
        "descendants": c.descendants.compactMap { statuses[$0] },
      ])
    }
    return .json(["error": "Record not found"], status: 404)
  }
}

/// A Bluesky PDS as far as Repute uses it: sessions, `searchPosts` newest first with `since` and
/// page cursors, `getPostThread`, and `createRecord` that refuses a record key used before.
public final class FakeBluesky: @unchecked Sendable {
  public let password: String
  public let did = "did:plc:shop"
  private let lock = NSLock()
  private var searchable: [[String: Any]] = []
  private var records: [String: [String: Any]] = [:]
  public private(set) var createAttempts = 0
  public var holdOnce: Set<String> = []
  /// Store the next record, then never answer.
  public var holdAfterCreate = false
  /// Answer the next createRecord calls, one each, `200` with this body instead of the record's
  /// uri; `creates`: the record was written before answering so, else nothing was.
  public var garbledCreates: [(body: String, creates: Bool)] = []
  public var server: HTTPTestServer!

  public init(password: String = "bsky-app-password-xyz") throws {
    self.password = password
    server = try HTTPTestServer { [unowned self] in self.handle($0) }
  }

  public var baseURL: String { server.baseURL }
  public var posts: [[String: Any]] {
    lock.lock()
    defer { lock.unlock() }
    return records.keys.sorted().map { records[$0]! }
  }

  /// Adds a post that search finds; `minute` orders them (later is newer).
  @discardableResult
  public func addPost(
    _ text: String, minute: Int, handle: String = "anna.bsky.social", replyTo: String? = nil
  ) -> String {
    lock.lock()
    defer { lock.unlock() }
    let uri = "at://did:plc:\(handle.prefix(4))/app.bsky.feed.post/3k\(String(format: "%04d", minute))"
    var record: [String: Any] = [
      "$type": "app.bsky.feed.post", "text": text,
      "createdAt": "2026-12-01T07:\(String(format: "%02d", minute % 60)):00.000Z",
      "langs": ["en"],
    ]
    if let replyTo {
      record["reply"] = [
        "root": ["uri": replyTo, "cid": "bafyroot"], "parent": ["uri": replyTo, "cid": "bafyroot"],
      ]
    }
    searchable.append([
      "uri": uri, "cid": "bafy\(minute)", "author": ["did": "did:plc:\(handle.prefix(4))", "handle": handle],
      "record": record, "indexedAt": record["createdAt"]!, "replyCount": 0,
    ])
    return uri
  }

  func handle(_ r: ServedRequest) -> ServedResponse {
    lock.lock()
    defer { lock.unlock() }
    if holdOnce.remove(r.path) != nil { return ServedResponse(hold: true) }
    if r.path == "/xrpc/com.atproto.server.createSession" {
      guard r.json?["password"] as? String == password else {
        return .json(
          ["error": "AuthenticationRequired", "message": "Invalid identifier or password"], status: 401)
      }
      return .json([
        "accessJwt": "jwt-access", "refreshJwt": "jwt-refresh", "did": did, "handle": "shop.bsky.social",
      ])
    }
    guard r.headers["authorization"] == "Bearer jwt-access" else {
      return .json(["error": "AuthenticationRequired"], status: 401)
    }
    switch r.path {
    case "/xrpc/app.bsky.feed.searchPosts":
      let q = (r.query("q") ?? "").lowercased()
      let limit = Int(r.query("limit") ?? "25") ?? 25
      let since = r.query("since") ?? ""
      let matching = searchable.filter {
        (($0["record"] as! [String: Any])["text"] as! String).lowercased().contains(q)
          && ($0["indexedAt"] as! String) >= since
      }.sorted { ($0["indexedAt"] as! String) > ($1["indexedAt"] as! String) }
      let offset = Int(r.query("cursor") ?? "0") ?? 0
      let page = Array(matching.dropFirst(offset).prefix(limit))
      var body: [String: Any] = ["posts": page]
      if offset + page.count < matching.count { body["cursor"] = String(offset + page.count) }
      return .json(body)
    case "/xrpc/app.bsky.feed.getPostThread":
      guard let post = searchable.first(where: { $0["uri"] as? String == r.query("uri") }) else {
        return .json(["error": "NotFound", "message": "Post not found"], status: 400)
      }
      let replies = searchable.filter {
        (($0["record"] as! [String: Any])["reply"] as? [String: Any]).flatMap {
          ($0["parent"] as? [String: Any])?["uri"] as? String
        }
          == post["uri"] as? String
      }
      var view: [String: Any] = ["post": post, "replies": replies.map { ["post": $0, "replies": []] }]
      // The chain of parents up to the root, as getPostThread gives it.
      func parent(of p: [String: Any]) -> [String: Any]? {
        guard
          let uri = ((p["record"] as? [String: Any])?["reply"] as? [String: Any]).flatMap({
            ($0["parent"] as? [String: Any])?["uri"] as? String
          }),
          let up = searchable.first(where: { $0["uri"] as? String == uri })
        else { return nil }
        var v: [String: Any] = ["post": up]
        if let more = parent(of: up) { v["parent"] = more }
        return v
      }
      if let p = parent(of: post) { view["parent"] = p }
      return .json(["thread": view])
    case "/xrpc/com.atproto.repo.createRecord":
      createAttempts += 1
      guard let body = r.json, let rkey = body["rkey"] as? String,
        let record = body["record"] as? [String: Any]
      else {
        return .json(
          ["error": "InvalidRequest", "message": "Input must have the property \"record\""], status: 400)
      }
      if records[rkey] != nil {
        return .json(["error": "InternalServerError", "message": "Internal Server Error"], status: 500)
      }
      if !garbledCreates.isEmpty {
        let garbled = garbledCreates.removeFirst()
        if garbled.creates { records[rkey] = record }
        return ServedResponse(
          status: 200, headers: ["Content-Type": "application/json"], body: Data(garbled.body.utf8))
      }
      records[rkey] = record
      if holdAfterCreate {
        holdAfterCreate = false
        return ServedResponse(hold: true)
      }
      return .json(["uri": "at://\(did)/app.bsky.feed.post/\(rkey)", "cid": "bafyreply"])
    case "/xrpc/com.atproto.repo.getRecord":
      guard let rkey = r.query("rkey"), let record = records[rkey] else {
        return .json(["error": "RecordNotFound", "message": "Could not locate record"], status: 400)
      }
      return .json(["uri": "at://\(did)/app.bsky.feed.post/\(rkey)", "cid": "bafyreply", "value": record])
    default:
      return .json(["error": "MethodNotImplemented"], status: 501)
    }
  }
}

/// An RSS feed that honours `If-None-Match`.
public final class FakeFeed: @unchecked Sendable {
  private let lock = NSLock()
  private var items: [(id: String, title: String, link: String?)] = []
  /// The next answer streams on past its body like this (an endless or lying server), once.
  public var streamOnce: ServedResponse.Stream?
  public var server: HTTPTestServer!

  public init() throws {
    server = try HTTPTestServer { [unowned self] in self.handle($0) }
  }

  public var url: String { server.baseURL + "/alerts.xml" }

  /// Adds an item; `link` is put in the feed as given (already XML-escaped), else a plain one.
  public func add(id: String, title: String, link: String? = nil) {
    lock.lock()
    items.append((id, title, link))
    lock.unlock()
  }

  var etag: String { "\"v\(items.count)\"" }

  func handle(_ r: ServedRequest) -> ServedResponse {
    lock.lock()
    defer { lock.unlock() }
    if r.headers["if-none-match"] == etag { return ServedResponse(status: 304, headers: ["ETag": etag]) }
    var xml = #"<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Alerts</title>"#
    for item in items {
      xml +=
        "<item><guid>\(item.id)</guid><link>\(item.link ?? "https://news.example/" + item.id)</link><title>\(item.title)</title>"
      xml += "<pubDate>Tue, 01 Dec 2026 07:00:00 +0000</pubDate></item>"
    }
    xml += "</channel></rss>"
    let stream = streamOnce
    streamOnce = nil
    return ServedResponse(
      status: 200, headers: ["ETag": etag, "Content-Type": "application/rss+xml"], body: Data(xml.utf8),
      stream: stream)
  }
}

import Foundation
import Inbox
import Policy
import Store

/// The accounts replies go out through.
public struct DeliveryAccounts: Sendable {
  public var mastodon: (config: MastodonConfig, token: Secret)?
  public var bluesky: (config: BlueskyConfig, session: BlueskySession)?
  /// Where replies for platforms without an open API (X) are written for sending by hand.
  public var exportFolder: String

  public init(
    mastodon: (config: MastodonConfig, token: Secret)? = nil,
    bluesky: (config: BlueskyConfig, session: BlueskySession)? = nil, exportFolder: String
  ) {
    self.mastodon = mastodon
    self.bluesky = bluesky
    self.exportFolder = exportFolder
  }
}

/// What happened to one reply.
public struct DeliveryOutcome: Sendable, Hashable {
  public enum Result: Sendable, Hashable {
    /// The platform named the post it made.
    case sent(postID: String, url: String?)
    /// Another attempt is due at this time.
    case retry(at: Date, reason: String)
    /// The platform answered 2xx but named no post: it is checked again at this time, in a way
    /// that never posts twice (same `Idempotency-Key`; Bluesky's record key looked up first).
    case unverified(checkAt: Date, reason: String)
    case failed(String)
    /// Written out for sending by hand.
    case exported(String)
    /// Not sent: the mention needs a supervisor's approval now (four eyes), and nobody reviewed it.
    case heldForApproval
    /// Not sent: taken back by its responder (or a supervisor) before any delivery attempt.
    case withdrawn
  }

  public var outboxID: Int64
  public var result: Result
}

/// A delivery answer to act on: sent, try again later, or give up with the platform's message.
enum DeliveryError: Error {
  case transient(String, retryAt: Date?)
  case permanent(String)
}

/// What a platform said to a reply it accepted (2xx).
enum Posted: Equatable {
  /// It named the post it made.
  case post(id: String, url: String?)
  /// It named none: maybe posted, maybe not. `what` says so in words, for the outbox.
  case unconfirmed(what: String)
}

/// Sends queued replies from the outbox to their platforms, each exactly once.
///
/// The attempt is recorded before the platform is called. A retry after a crash carries the same
/// promise: Mastodon gets the reply's `Idempotency-Key` (it answers a repeat with the first post);
/// Bluesky gets a record key derived from the reply (`rkey`), so a repeat is a conflict, and the
/// courier first looks for that record before writing again. A failure the platform may get over
/// (unreachable, 5xx, 429) is retried with a doubling wait; anything else fails with the
/// platform's message, shown in the outbox and the inbox.
///
/// A reply is `sent` only when the platform's answer names the post it made. A 2xx answer that
/// names none (a garbage body, `{}`) leaves it `unverified`, checked again the same safe way at
/// growing intervals until `verifyWindow` after that answer, then `failed` with a message that
/// asks a person to look at the account's posts.
public final class Courier: Sendable {
  let store: any OutboxStore & PolicyStore & QueueStore
  let accounts: DeliveryAccounts
  let http: RateLimitedHTTP
  let clock: @Sendable () -> Date
  let actor: String
  /// Attempts before a reply that keeps failing transiently is given up.
  public let maxAttempts: Int
  /// How long after the first answer that named no post the reply is checked again. Mastodon
  /// keeps an `Idempotency-Key` for an hour after the post it made: a check later than that could
  /// post a second time, so the checks stop well inside it.
  public static let verifyWindow: TimeInterval = 45 * 60
  /// `host:pid`: this courier, for the store's delivery lease.
  public let holder: String
  /// How long the lease is taken for, renewed before each reply: longer than one reply's calls
  /// (a few requests of at most a minute each).
  static let leaseDuration: TimeInterval = 600

  public init(
    store: any OutboxStore & PolicyStore & QueueStore, accounts: DeliveryAccounts,
    transport: any HTTPTransport,
    clock: @escaping @Sendable () -> Date, actor: String = "repute",
    holder: String = "\(SystemLogin.hostName()):\(ProcessInfo.processInfo.processIdentifier)",
    maxAttempts: Int = 10
  ) {
    self.store = store
    self.accounts = accounts
    self.http = RateLimitedHTTP(transport: transport, now: clock)
    self.clock = clock
    self.actor = actor
    self.holder = holder
    self.maxAttempts = maxAttempts
  }

  /// Delivers every reply whose attempt is due; nothing while another live courier on the store
  /// holds the delivery lease (it sends them).
  public func deliverDue(limit: Int = 100) throws -> [DeliveryOutcome] {
    // A read first: most passes find nothing due and then write nothing (no lease to take).
    guard try !store.dueForDelivery(now: clock(), limit: 1).isEmpty,
      try store.claimDelivery(holder: holder, for: Self.leaseDuration)
    else { return [] }
    defer { try? store.releaseDelivery(holder: holder) }
    var outcomes: [DeliveryOutcome] = []
    // Read again under the lease: another courier may have sent them meanwhile.
    for record in try store.dueForDelivery(now: clock(), limit: limit) {
      // Renewed per reply, so a long queue never outlives the lease.
      guard try store.claimDelivery(holder: holder, for: Self.leaseDuration) else { break }
      do {
        outcomes.append(try deliver(record))
      } catch is OutboxError {
        // Another sender on the store took this reply meanwhile (its key keeps it to one post).
        continue
      }
    }
    return outcomes
  }

  /// Delivers one queued reply and records the outcome in the outbox.
  public func deliver(_ record: OutboxRecord) throws -> DeliveryOutcome {
    // Taken back (undo, withdraw) since it was found due: never delivered. The attempt below is
    // recorded expecting `queued`, so one withdrawn after this check is refused there too.
    if let now = try store.outboxRecord(id: record.id), now.status == .withdrawn {
      return DeliveryOutcome(outboxID: record.id, result: .withdrawn)
    }
    guard let mention = try store.mention(id: record.mentionID) else {
      try store.markDeliveryFailed(id: record.id, error: "the mention is gone", retryAt: nil, actor: actor)
      return DeliveryOutcome(outboxID: record.id, result: .failed("the mention is gone"))
    }
    // Four eyes at delivery: an escalation raised after the reply was queued still stops it. Not
    // for an unverified reply: it may be out already, and its check posts nothing new.
    if record.status == .queued,
      try store.holdForApprovalIfNeeded(id: record.id, policy: try policyInForce(), actor: actor)
    {
      return DeliveryOutcome(outboxID: record.id, result: .heldForApproval)
    }
    let raw = try store.rawRecord(mentionID: mention.id) ?? "{}"
    switch mention.platform {
    case "x", "twitter":
      return try export(record, mention: mention)
    case "mastodon", "bluesky":
      break
    default:
      let message =
        "\(mention.platform) has no reply API: answer where the post is\(mention.url.map { " (\($0))" } ?? "")"
      try store.markDeliveryFailed(id: record.id, error: message, retryAt: nil, actor: actor)
      return DeliveryOutcome(outboxID: record.id, result: .failed(message))
    }
    let previousAttempts = record.attempts
    do {
      let sent: Posted
      if mention.platform == "mastodon" {
        guard let account = accounts.mastodon else {
          throw DeliveryError.permanent("no Mastodon account in the config delivers replies")
        }
        try store.recordDeliveryAttempt(id: record.id)
        sent = try sendMastodon(record, mention: mention, account: account)
      } else {
        guard let account = accounts.bluesky else {
          throw DeliveryError.permanent("no Bluesky account in the config delivers replies")
        }
        try store.recordDeliveryAttempt(id: record.id)
        sent = try sendBluesky(
          record, mention: mention, raw: raw, account: account, retrying: previousAttempts > 0)
      }
      switch sent {
      case .post(let id, let url):
        try store.markSent(id: record.id, postID: id, url: url, actor: actor)
        return DeliveryOutcome(outboxID: record.id, result: .sent(postID: id, url: url))
      case .unconfirmed(let what):
        return try unconfirmed(record, what: TerminalSafe.sanitize(what), platform: mention.platform)
      }
    } catch OutboxError.wrongState(let id, .withdrawn, _) {
      // Withdrawn between the check above and the attempt: nothing was sent.
      return DeliveryOutcome(outboxID: id, result: .withdrawn)
    } catch let error {
      var message: String
      var retryAt: Date?
      switch error {
      case DeliveryError.permanent(let m): message = m
      case DeliveryError.transient(let m, let at):
        message = m
        retryAt = at ?? backoff(attempts: previousAttempts + 1)
      case let e as HTTPFailure:
        message = e.message
        retryAt = e.retryAt ?? backoff(attempts: previousAttempts + 1)
      default: message = "\(error)"
      }
      message = TerminalSafe.sanitize(message)
      if previousAttempts + 1 >= maxAttempts { retryAt = nil }
      if record.status == .unverified {
        // The earlier answer may have posted it: the check's own trouble must not hide that, and
        // it keeps to the same deadline.
        let deadline = (record.unverifiedAt ?? clock()).addingTimeInterval(Self.verifyWindow)
        if let at = retryAt { retryAt = clock() < deadline ? min(at, deadline) : nil }
        message =
          retryAt == nil
          ? "an earlier answer named no post; \(Self.checkByHand) (then: \(message))"
          : "an earlier answer named no post; checking it failed: \(message)"
      }
      try store.markDeliveryFailed(id: record.id, error: message, retryAt: retryAt, actor: actor)
      if let retryAt {
        return DeliveryOutcome(outboxID: record.id, result: .retry(at: retryAt, reason: message))
      }
      return DeliveryOutcome(outboxID: record.id, result: .failed(message))
    }
  }

  static let checkByHand = "check the account's posts before retrying"

  /// A 2xx answer that named no post: `unverified`, checked again after as long as it has been
  /// unverified (at least a minute: 1, 2, 4, 8, 16, 32 minutes after the answer) and last at the
  /// window's end; `failed` after that, or when the attempts ran out.
  func unconfirmed(_ record: OutboxRecord, what: String, platform: String) throws -> DeliveryOutcome {
    let now = clock()
    let since = record.unverifiedAt ?? now
    let deadline = since.addingTimeInterval(Self.verifyWindow)
    guard now < deadline, record.attempts + 1 < maxAttempts else {
      let message = "\(what); \(Self.checkByHand)"
      try store.markDeliveryFailed(id: record.id, error: message, retryAt: nil, actor: actor)
      return DeliveryOutcome(outboxID: record.id, result: .failed(message))
    }
    let checkAt = min(now.addingTimeInterval(max(60, now.timeIntervalSince(since))), deadline)
    let how =
      platform == "mastodon"
      ? "checking again with the same Idempotency-Key" : "checking for the record again before writing"
    let message = "\(what); \(how)"
    try store.markUnverified(id: record.id, error: message, retryAt: checkAt, at: since, actor: actor)
    return DeliveryOutcome(outboxID: record.id, result: .unverified(checkAt: checkAt, reason: message))
  }

  /// The policy the store holds now, read for every reply, so a change applied while the courier
  /// runs counts; the default policy when the store has none or this build cannot read it.
  func policyInForce() throws -> PolicyConfig {
    guard let stored = try store.currentPolicy(),
      let policy = try? PolicyFile.parse(text: stored.source, path: "policy v\(stored.version)", stored: true)
    else { return .default }
    return policy
  }

  /// 30 s after the first failure, doubling to at most an hour.
  func backoff(attempts: Int) -> Date {
    clock().addingTimeInterval(min(30 * pow(2, Double(max(0, attempts - 1))), 3600))
  }

  /// Classifies an answer that is not a success.
  static func failure(_ response: HTTPResponse, _ what: String) -> DeliveryError {
    let message = "\(what): \(response.platformMessage())"
    if response.status >= 500 || response.status == 429 || response.status == 408 {
      return .transient(message, retryAt: nil)
    }
    return .permanent(message)
  }

  // MARK: Mastodon

  func sendMastodon(
    _ record: OutboxRecord, mention: Mention, account: (config: MastodonConfig, token: Secret)
  )
    throws -> Posted
  {
    let server = account.config.server
    let headers = ["Authorization": "Bearer " + account.token.revealed, "Accept": "application/json"]
    // The post's id on our server, its visibility and author as our server sees them.
    let lookup = server.appending(
      path: "/api/v2/search",
      query: [
        (
          "q", mention.externalID.hasPrefix("http") ? mention.externalID : (mention.url ?? mention.externalID)
        ),
        ("type", "statuses"), ("resolve", "true"), ("limit", "1"),
      ])
    let found = try http.send(HTTPRequest(url: lookup, headers: headers))
    guard found.isSuccess else { throw Self.failure(found, "looking the post up on \(server.host ?? "")") }
    guard
      let status = JSONValue.object(try found.json(from: "search"))
        .flatMap({ JSONValue.array($0["statuses"]) })?.first.flatMap(JSONValue.object),
      let statusID = JSONValue.string(status["id"])
    else {
      throw DeliveryError.permanent("the post is not on \(server.host ?? "the server") any more (deleted?)")
    }
    let visibility = MastodonVisibility.narrower(
      JSONValue.string(status["visibility"]) ?? "direct", account.config.replyVisibility)
    var text = record.text
    if let acct = JSONValue.object(status["account"]).flatMap({ JSONValue.string($0["acct"]) }),
      !text.lowercased().contains("@" + acct.lowercased())
    {
      // Mastodon reaches the author only through a mention; the web app adds it the same way.
      text = "@\(acct) " + text
    }
    var body: [String: Any] = ["status": text, "in_reply_to_id": statusID, "visibility": visibility]
    if let lang = mention.language { body["language"] = lang }
    let response = try http.send(
      HTTPRequest(
        method: "POST", url: server.appending(path: "/api/v1/statuses", query: []),
        headers: headers.merging(
          ["Content-Type": "application/json", "Idempotency-Key": record.idempotencyKey],
          uniquingKeysWith: { $1 }),
        body: try JSONSerialization.data(withJSONObject: body)))
    guard response.isSuccess else { throw Self.failure(response, "Mastodon refused the reply") }
    // The status it made, by its id; anything else (a proxy's page, `{}`) proves nothing.
    let posted = JSONValue.object(try? response.json(from: "statuses"))
    guard let id = posted.flatMap({ JSONValue.string($0["id"]) }), !id.isEmpty else {
      return .unconfirmed(what: "Mastodon answered \(response.status) but named no post")
    }
    return .post(id: id, url: posted.flatMap { JSONValue.string($0["url"]) })
  }

  // MARK: Bluesky

  static let postCollection = "app.bsky.feed.post"

  func sendBluesky(
    _ record: OutboxRecord, mention: Mention, raw: String,
    account: (config: BlueskyConfig, session: BlueskySession), retrying: Bool
  ) throws -> Posted {
    let session = account.session
    let rkey = RecordKey.tid(for: record)
    let (did, _) = try session.credentials(http)
    let link = "https://bsky.app/profile/\(account.config.identifier)/post/\(rkey)"
    if retrying, let uri = try existingRecord(session: session, did: did, rkey: rkey) {
      return .post(id: uri, url: link)
    }
    guard record.text.count <= 300 else {
      throw DeliveryError.permanent("the reply is \(record.text.count) characters; Bluesky takes 300")
    }
    let post = JSONValue.object(try? JSONSerialization.jsonObject(with: Data(raw.utf8))) ?? [:]
    guard let cid = JSONValue.string(post["cid"]) else {
      throw DeliveryError.permanent("the mention's record has no cid to reply to (ingested without it)")
    }
    let parent: [String: Any] = ["uri": mention.externalID, "cid": cid]
    let root =
      JSONValue.object(post["record"]).flatMap { JSONValue.object($0["reply"]) }.flatMap {
        JSONValue.object($0["root"])
      }
      ?? parent
    var postRecord: [String: Any] = [
      "$type": Self.postCollection, "text": record.text, "createdAt": RFC3339.format(clock()),
      "reply": ["root": root, "parent": parent],
    ]
    if let lang = mention.language { postRecord["langs"] = [lang] }
    let body: [String: Any] = [
      "repo": did, "collection": Self.postCollection, "rkey": rkey, "record": postRecord,
    ]
    let data = try JSONSerialization.data(withJSONObject: body)
    let response = try session.send(http) { token in
      HTTPRequest(
        method: "POST",
        url: session.service.appending(path: "/xrpc/com.atproto.repo.createRecord", query: []),
        headers: ["Authorization": "Bearer " + token.revealed, "Content-Type": "application/json"], body: data
      )
    }
    if response.isSuccess {
      let answer = JSONValue.object(try? response.json(from: "createRecord"))
      if let uri = answer.flatMap({ JSONValue.string($0["uri"]) }), !uri.isEmpty {
        return .post(id: uri, url: link)
      }
      // An answer that names no record proves nothing: the record is looked up by its key.
      if let uri = try existingRecord(session: session, did: did, rkey: rkey) {
        return .post(id: uri, url: link)
      }
      return .unconfirmed(
        what: "Bluesky answered \(response.status) but named no record, and getRecord did not find it")
    }
    // A conflict on our key means an earlier attempt got through: that post is the reply.
    if let uri = try existingRecord(session: session, did: did, rkey: rkey) {
      return .post(id: uri, url: link)
    }
    throw Self.failure(response, "Bluesky refused the reply")
  }

  /// The reply's record if it exists already (`com.atproto.repo.getRecord`): its uri, or the one
  /// its key gives when the answer holds the record (`value`) but no uri. An answer that holds
  /// neither finds nothing.
  func existingRecord(session: BlueskySession, did: String, rkey: String) throws -> String? {
    let response = try session.send(http) { token in
      HTTPRequest(
        url: session.service.appending(
          path: "/xrpc/com.atproto.repo.getRecord",
          query: [("repo", did), ("collection", Self.postCollection), ("rkey", rkey)]),
        headers: ["Authorization": "Bearer " + token.revealed])
    }
    guard response.isSuccess, let answer = JSONValue.object(try? response.json(from: "getRecord")) else {
      return nil
    }
    if let uri = JSONValue.string(answer["uri"]), !uri.isEmpty { return uri }
    return JSONValue.object(answer["value"]) != nil ? "at://\(did)/\(Self.postCollection)/\(rkey)" : nil
  }

  // MARK: By hand

  /// X has no open API for replies: the reply is written to a file, with a link that opens X's
  /// composer on the right post, and the outbox says so.
  func export(_ record: OutboxRecord, mention: Mention) throws -> DeliveryOutcome {
    let fm = FileManager.default
    // Private like the store: the replies quote what people wrote.
    try fm.createDirectory(
      atPath: accounts.exportFolder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700]
    )
    let path = accounts.exportFolder + "/reply-\(record.id)-x.txt"
    let tweetID = mention.externalID.filter(\.isNumber)
    let intent =
      "https://x.com/intent/post?in_reply_to=\(tweetID)&text="
      + (record.text.addingPercentEncoding(withAllowedCharacters: .queryValueAllowed) ?? "")
    let content = """
      Reply to \(mention.url ?? "the post \(mention.externalID)") by @\(mention.author.handle), by hand:

      \(record.text)

      Open X's composer on that post: \(intent)

      """
    guard fm.createFile(atPath: path, contents: Data(content.utf8), attributes: [.posixPermissions: 0o600])
    else {
      throw InboxError.permissionDenied("cannot write \(path)")
    }
    let message = "X has no open API: send it by hand (written to \(path))"
    try store.markDeliveryFailed(id: record.id, error: message, retryAt: nil, actor: actor)
    return DeliveryOutcome(outboxID: record.id, result: .exported(path))
  }
}

/// Record keys for Bluesky posts.
public enum RecordKey {
  static let alphabet = Array("234567abcdefghijklmnopqrstuvwxyz")

  /// A TID-shaped record key derived from the reply alone (its time in the outbox and its id),
  /// so every attempt at the same reply writes the same key.
  public static func tid(for record: OutboxRecord) -> String {
    let micros = UInt64(max(0, record.createdAt.epochMilliseconds)) * 1000 + UInt64(record.id % 1000)
    let clockID = UInt64(record.id) & 0x3FF
    return tid(microseconds: micros, clockID: clockID)
  }

  /// The 13-character base32-sortable form of a TID: 53 bits of microseconds, 10 of clock id.
  public static func tid(microseconds: UInt64, clockID: UInt64) -> String {
    var value = ((microseconds & ((1 << 53) - 1)) << 10) | (clockID & 0x3FF)
    var chars = [Character](repeating: "2", count: 13)
    for i in stride(from: 12, through: 0, by: -1) {
      chars[i] = alphabet[Int(value & 31)]
      value >>= 5
    }
    return String(chars)
  }
}

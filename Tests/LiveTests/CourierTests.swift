import Foundation
import Inbox
import Policy
import Store
import TestHTTPServer
import Testing

@testable import Live

@Suite(.serialized) struct CourierTests {
  /// A store holding one Mastodon mention polled from the fake, and the mention's id.
  func mastodonMention(
    _ kind: LiveStoreKind, _ dir: TempDir, _ fake: FakeMastodon, visibility: String = "public"
  ) throws -> (any ReputeStore, Int64) {
    let status = fake.addStatus(text: "@shop my parcel is lost, third week", visibility: visibility)
    let store = try LiveStores.make(kind, dir, clock: .fixed(testNow))
    let source = MastodonSource(config: mastodonConfig(fake), token: Secret(fake.token))
    _ = makePoller(store, [source], clock: TestClock()).pollDue()
    let id = try #require(
      try store.mentionID(
        platform: "mastodon", externalID: "https://example.social/users/x/statuses/\(status)"))
    return (store, id)
  }

  @Test(arguments: LiveStores.kinds) func aMastodonReplyAnswersThePostWithTheKeyAndNoWiderVisibility(
    kind: LiveStoreKind
  ) throws {
    let dir = TempDir()
    let fake = try FakeMastodon()
    let (store, id) = try mastodonMention(kind, dir, fake, visibility: "unlisted")
    let record = try store.enqueueReply(
      mentionID: id, responder: "anna", kind: .reply, text: "So sorry! We're on it. – Anna",
      policy: wallClockPolicy)
    let courier = Courier(
      store: store,
      accounts: DeliveryAccounts(
        mastodon: (mastodonConfig(fake), Secret(fake.token)), exportFolder: dir.path),
      transport: URLSessionTransport(timeout: 10), clock: { testNow })
    let outcomes = try courier.deliverDue()
    #expect(outcomes.map(\.result) == [.sent(postID: "9000", url: "\(fake.baseURL)/@shop/9000")])
    let post = try #require(fake.posts.first)
    #expect(post["content"] as? String == "@boos@example.social So sorry! We're on it. – Anna")
    #expect(post["visibility"] as? String == "unlisted")
    #expect(post["in_reply_to_id"] as? String == "1001")
    #expect(post["idempotency_key"] as? String == record.idempotencyKey)
    let sent = try #require(try store.outboxRecord(id: record.id))
    #expect(sent.status == .sent)
    #expect(sent.platformPostID == "9000")
    #expect(sent.attempts == 1)
  }

  @Test(arguments: LiveStores.kinds) func aReplyQueuedBeforeALegalEscalationWaitsForApprovalInsteadOfGoingOut(
    kind: LiveStoreKind
  ) throws {
    // Four eyes at delivery: the reply entered the outbox unreviewed, then the mention was
    // escalated for legal or press words; the courier must not send it unseen.
    let dir = TempDir()
    let fake = try FakeMastodon()
    let (store, id) = try mastodonMention(kind, dir, fake)
    let record = try store.enqueueReply(
      mentionID: id, responder: "anna", kind: .reply, text: "Sorry. – Anna", policy: wallClockPolicy)
    #expect(record.status == .queued)
    try store.escalate(
      mentionID: id, reason: EscalationReason.legalOrPress.rawValue, note: "a lawyer wrote", actor: "sam")
    let courier = Courier(
      store: store,
      accounts: DeliveryAccounts(
        mastodon: (mastodonConfig(fake), Secret(fake.token)), exportFolder: dir.path),
      transport: URLSessionTransport(timeout: 10), clock: { testNow })
    #expect(try courier.deliverDue().map(\.result) == [.heldForApproval])
    #expect(fake.posts.isEmpty)
    let held = try #require(try store.outboxRecord(id: record.id))
    #expect(held.status == .awaitingApproval)
    #expect(held.attempts == 0)
    #expect(try store.events(mentionID: id).map(\.action).contains("held_for_approval"))
    #expect(try courier.deliverDue().isEmpty)  // nothing queued any more
    // Once a supervisor approved it, the same check lets it through.
    try store.approveReply(id: record.id, actor: "sam", policy: wallClockPolicy)
    #expect(
      try courier.deliverDue().map(\.result) == [.sent(postID: "9000", url: "\(fake.baseURL)/@shop/9000")])
    #expect(fake.posts.count == 1)
  }

  @Test(arguments: LiveStores.kinds) func aSupervisorsOwnReplyAndAnUnescalatedOneAreNotHeldAtDelivery(
    kind: LiveStoreKind
  ) throws {
    let dir = TempDir()
    let fake = try FakeMastodon()
    let (store, id) = try mastodonMention(kind, dir, fake)
    var policy = wallClockPolicy
    policy.team = [TeamMember(name: "Sam Boss", login: "sam", role: .supervisor)]
    let plain = try store.enqueueReply(
      mentionID: id, responder: "anna", kind: .reply, text: "Sorry. – Anna", policy: policy)
    #expect(try !store.holdForApprovalIfNeeded(id: plain.id, policy: policy))
    try store.escalate(
      mentionID: id, reason: EscalationReason.legalOrPress.rawValue, note: "press asked", actor: "sam")
    let own = try store.enqueueReply(
      mentionID: id, responder: "sam", kind: .followUp, text: "More. – Sam", policy: policy)
    #expect(try !store.holdForApprovalIfNeeded(id: own.id, policy: policy))
    #expect(try store.holdForApprovalIfNeeded(id: plain.id, policy: policy))
    #expect(try store.outboxRecord(id: own.id)?.status == .queued)
  }

  @Test(arguments: LiveStores.kinds) func aFailedAttemptIsRetriedLaterWithTheSameKeyAndPostsOnce(
    kind: LiveStoreKind
  ) throws {
    let dir = TempDir()
    let fake = try FakeMastodon()
    let (store, id) = try mastodonMention(kind, dir, fake)
    let record = try store.enqueueReply(
      mentionID: id, responder: "anna", kind: .reply, text: "Sorry. – Anna", policy: wallClockPolicy)
    let clock = TestClock()
    fake.failPosts = 1
    let courier = Courier(
      store: store,
      accounts: DeliveryAccounts(
        mastodon: (mastodonConfig(fake), Secret(fake.token)), exportFolder: dir.path),
      transport: URLSessionTransport(timeout: 10), clock: { clock.now() })
    let first = try courier.deliverDue()
    guard case .retry(let at, let reason) = first.first?.result else {
      Issue.record("expected a retry, got \(first)")
      return
    }
    #expect(at == clock.now().addingTimeInterval(30))
    #expect(reason == "Mastodon refused the reply: HTTP 503: Service unavailable")
    #expect(try store.outboxRecord(id: record.id)?.error == reason)
    #expect(try courier.deliverDue().isEmpty)  // not due yet
    clock.advance(31)
    #expect(try courier.deliverDue().first.map { if case .sent = $0.result { true } else { false } } == true)
    #expect(fake.posts.count == 1)
    let posts = fake.server.requests.filter { $0.path == "/api/v1/statuses" }
    #expect(posts.count == 2)
    #expect(Set(posts.map { $0.headers["idempotency-key"] }) == [record.idempotencyKey])
  }

  @Test(arguments: LiveStores.kinds) func aSecondCourierSendsNothingWhileALiveOneHoldsTheDeliveryLease(
    kind: LiveStoreKind
  ) throws {
    let dir = TempDir()
    let fake = try FakeMastodon()
    let (store, id) = try mastodonMention(kind, dir, fake)
    let record = try store.enqueueReply(
      mentionID: id, responder: "anna", kind: .reply, text: "Sorry. – Anna", policy: wallClockPolicy)
    // Another process on this host is sending (pid 1 is always alive): its reply is in flight.
    #expect(try store.claimDelivery(holder: "\(LiveStores.hostName(kind)):1", for: 600))
    let courier = Courier(
      store: store,
      accounts: DeliveryAccounts(
        mastodon: (mastodonConfig(fake), Secret(fake.token)), exportFolder: dir.path),
      transport: URLSessionTransport(timeout: 10), clock: { testNow })
    #expect(try courier.deliverDue().isEmpty)
    #expect(fake.server.requests.filter { $0.path == "/api/v1/statuses" }.isEmpty)
    #expect(try store.outboxRecord(id: record.id)?.attempts == 0)
    #expect(try store.deliveryHolder() == "\(LiveStores.hostName(kind)):1")

    // A holder killed with -9 (no such pid) does not hold the outbox up.
    try store.releaseDelivery(holder: "\(LiveStores.hostName(kind)):1")
    #expect(try store.claimDelivery(holder: "\(LiveStores.hostName(kind)):2147483646", for: 600))
    #expect(try courier.deliverDue().map(\.outboxID) == [record.id])
    #expect(fake.posts.count == 1)
    #expect(try store.deliveryHolder() == nil)  // given back after the pass
  }

  @Test(arguments: LiveStores.kinds) func aRefusedReplyFailsWithThePlatformsMessage(kind: LiveStoreKind)
    throws
  {
    let dir = TempDir()
    let fake = try FakeMastodon()
    let (store, id) = try mastodonMention(kind, dir, fake)
    let record = try store.enqueueReply(
      mentionID: id, responder: "anna", kind: .reply, text: "Sorry. – Anna", policy: wallClockPolicy)
    let courier = Courier(
      store: store,
      accounts: DeliveryAccounts(mastodon: (mastodonConfig(fake), Secret("revoked")), exportFolder: dir.path),
      transport: URLSessionTransport(timeout: 10), clock: { testNow })
    let outcome = try courier.deliverDue()
    #expect(
      outcome.map(\.result) == [
        .failed("looking the post up on 127.0.0.1: HTTP 401: The access token is invalid")
      ])
    let failed = try #require(try store.outboxRecord(id: record.id))
    #expect(failed.status == .failed)
    #expect(failed.error?.contains("revoked") == false)
  }

  @Test(arguments: LiveStores.kinds) func aBlueskyRetryAfterACrashFindsItsRecordInsteadOfPostingTwice(
    kind: LiveStoreKind
  ) throws {
    let dir = TempDir()
    let fake = try FakeBluesky()
    fake.addPost("shop lost my parcel", minute: 5)
    let store = try LiveStores.make(kind, dir, clock: .fixed(testNow))
    let config = BlueskyConfig(
      name: "bsky", service: URL(string: fake.baseURL)!, identifier: "shop.bsky.social",
      password: .environment("P"),
      searches: ["shop"], interval: 60, deliver: true)
    let session = BlueskySession(
      service: config.service, identifier: config.identifier, password: Secret(fake.password))
    _ = makePoller(store, [BlueskySource(config: config, session: session)], clock: TestClock()).pollDue()
    let id = try #require(
      try store.mentionID(platform: "bluesky", externalID: "at://did:plc:anna/app.bsky.feed.post/3k0005"))
    let record = try store.enqueueReply(
      mentionID: id, responder: "anna", kind: .reply, text: "So sorry. – Anna", policy: wallClockPolicy)
    // The first attempt reached Bluesky, but its answer was lost (the sender died).
    fake.holdAfterCreate = true
    let hung = Courier(
      store: store, accounts: DeliveryAccounts(bluesky: (config, session), exportFolder: dir.path),
      transport: URLSessionTransport(timeout: 1), clock: { testNow })
    let lost = try hung.deliverDue()
    guard case .retry = lost.first?.result else {
      Issue.record("expected a retry, got \(lost)")
      return
    }
    #expect(fake.posts.count == 1)
    let courier = Courier(
      store: store, accounts: DeliveryAccounts(bluesky: (config, session), exportFolder: dir.path),
      transport: URLSessionTransport(timeout: 10), clock: { testNow.addingTimeInterval(3600) })
    let outcome = try courier.deliverDue()
    let rkey = RecordKey.tid(for: record)
    #expect(
      outcome.map(\.result) == [
        .sent(
          postID: "at://did:plc:shop/app.bsky.feed.post/\(rkey)",
          url: "https://bsky.app/profile/shop.bsky.social/post/\(rkey)")
      ])
    #expect(fake.posts.count == 1)
    #expect(fake.createAttempts == 1)
    let reply = try #require(fake.posts.first?["reply"] as? [String: Any])
    #expect((reply["parent"] as? [String: Any])?["cid"] as? String == "bafy5")
  }

  @Test(arguments: LiveStores.kinds) func anXReplyIsWrittenOutForSendingByHand(kind: LiveStoreKind) throws {
    let dir = TempDir()
    let store = try LiveStores.make(kind, dir, clock: .fixed(testNow))
    let mention = IncomingMention(
      platform: "x", externalID: "1862", url: "https://x.com/lotte/status/1862",
      author: Author(handle: "lotte"),
      createdAt: testNow, text: "@shop where is my order?", raw: "{}")
    _ = try store.ingest([mention], actor: "t", annotator: PolicyAnnotator(policy: wallClockPolicy))
    let id = try #require(try store.mentionID(platform: "x", externalID: "1862"))
    let record = try store.enqueueReply(
      mentionID: id, responder: "anna", kind: .reply, text: "We're checking. – Anna", policy: wallClockPolicy)
    let courier = Courier(
      store: store, accounts: DeliveryAccounts(exportFolder: dir.path + "/export"),
      transport: URLSessionTransport(),
      clock: { testNow })
    let outcome = try courier.deliverDue()
    let path = dir.path + "/export/reply-\(record.id)-x.txt"
    #expect(outcome.map(\.result) == [.exported(path)])
    let text = try String(contentsOfFile: path, encoding: .utf8)
    #expect(text.contains("We're checking. – Anna"))
    #expect(text.contains("https://x.com/intent/post?in_reply_to=1862&text=We%27re"))
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    let folder = try FileManager.default.attributesOfItem(atPath: dir.path + "/export")
    #expect((folder[.posixPermissions] as? NSNumber)?.intValue == 0o700)
    let failed = try #require(try store.outboxRecord(id: record.id))
    #expect(failed.status == .failed)
    #expect(failed.error == "X has no open API: send it by hand (written to \(path))")
  }

  /// On a file only: the written-out replies live beside the store file (`exportFolder`).
  @Test func forgetTakesTheAuthorOutOfTheRepliesWrittenOutForX() throws {
    let dir = TempDir()
    let store = try SQLiteStore(path: dir.path + "/s.sqlite", clock: .fixed(testNow))
    let posts = [
      IncomingMention(
        platform: "x", externalID: "1862", url: "https://x.com/geheimzinnig/status/1862",
        author: Author(handle: "geheimzinnig"), createdAt: testNow, text: "@shop Kwartelkoning, dossier 4711",
        raw: "{}"),
      IncomingMention(
        platform: "x", externalID: "1863", url: "https://x.com/buurman/status/1863",
        author: Author(handle: "buurman"), createdAt: testNow, text: "@shop same here", raw: "{}"),
    ]
    _ = try store.ingest(posts, actor: "t", annotator: PolicyAnnotator(policy: wallClockPolicy))
    let theirs = try #require(try store.mentionID(platform: "x", externalID: "1862"))
    let neighbours = try #require(try store.mentionID(platform: "x", externalID: "1863"))
    let erased = try store.enqueueReply(
      mentionID: theirs, responder: "anna", kind: .reply, text: "About dossier 4711: we're checking. – Anna",
      policy: wallClockPolicy)
    let kept = try store.enqueueReply(
      mentionID: neighbours, responder: "anna", kind: .reply,
      text: "Like @geheimzinnig, we're checking, geheimzinnighilde. – Anna", policy: wallClockPolicy)
    let courier = Courier(
      store: store, accounts: DeliveryAccounts(exportFolder: store.exportFolder),
      transport: URLSessionTransport(), clock: { testNow })
    #expect(try courier.deliverDue().count == 2)
    let erasedFile = store.exportFolder + "/reply-\(erased.id)-x.txt"
    let keptFile = store.exportFolder + "/reply-\(kept.id)-x.txt"
    #expect(FileManager.default.fileExists(atPath: erasedFile))
    // An old file: the erasure must not make it look new to retention by age.
    let old = Date(timeIntervalSince1970: 1_600_000_000)
    try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: keptFile)

    _ = try store.forget(author: "@geheimzinnig", actor: "sam")
    #expect(!FileManager.default.fileExists(atPath: erasedFile))
    let text = try String(contentsOfFile: keptFile, encoding: .utf8)
    #expect(!text.contains("@geheimzinnig"))
    #expect(text.contains("Like @[forgotten], we're checking, geheimzinnighilde."))
    // In the composer link too, and a longer name that starts the same keeps its letters.
    #expect(text.contains("text=Like%20%40%5Bforgotten%5D%2C"))
    #expect(text.contains("geheimzinnighilde.%20"))
    let modified = try FileManager.default.attributesOfItem(atPath: keptFile)[.modificationDate] as? Date
    #expect(modified == old)
    let attributes = try FileManager.default.attributesOfItem(atPath: keptFile)
    #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
  }

  @Test(arguments: LiveStores.kinds) func recordKeysAreTIDShapedAndTheSameForEveryAttempt(kind: LiveStoreKind)
    throws
  {
    let dir = TempDir()
    let store = try LiveStores.make(kind, dir, clock: .fixed(testNow))
    let mention = IncomingMention(
      platform: "bluesky", externalID: "at://x/app.bsky.feed.post/1", author: Author(handle: "a"),
      createdAt: testNow,
      text: "hi", raw: "{}")
    _ = try store.ingest([mention], actor: "t", annotator: nil)
    let id = try #require(try store.mentionID(platform: "bluesky", externalID: "at://x/app.bsky.feed.post/1"))
    let a = try store.enqueueReply(
      mentionID: id, responder: "anna", kind: .reply, text: "one", policy: wallClockPolicy)
    let b = try store.enqueueReply(
      mentionID: id, responder: "anna", kind: .followUp, text: "two", policy: wallClockPolicy)
    let key = RecordKey.tid(for: a)
    #expect(key.count == 13)
    #expect(key.allSatisfy { "234567abcdefghijklmnopqrstuvwxyz".contains($0) })
    #expect("234567abcdefghij".contains(key.first!))
    #expect(RecordKey.tid(for: try #require(try store.outboxRecord(id: a.id))) == key)
    #expect(RecordKey.tid(for: b) != key)
    #expect(RecordKey.tid(microseconds: 0, clockID: 0) == "2222222222222")
  }
}

/// Issue 13, nothing marked done that was not: a reply is `sent` only when the platform's answer
/// names the post it made; any other 2xx leaves it `unverified`, checked again without posting
/// twice, and `failed` with a message for a person when the checks run out.
@Suite(.serialized) struct UnverifiedDeliveryTests {
  let unverifiedMastodon =
    "Mastodon answered 200 but named no post; checking again with the same Idempotency-Key"

  func mastodonCourier(_ dir: TempDir, _ fake: FakeMastodon, _ store: any ReputeStore, _ clock: TestClock)
    -> Courier
  {
    Courier(
      store: store,
      accounts: DeliveryAccounts(
        mastodon: (mastodonConfig(fake), Secret(fake.token)), exportFolder: dir.path),
      transport: URLSessionTransport(timeout: 10), clock: { clock.now() })
  }

  @Test(
    "a 200 that names no post is unverified; the check with the same key gets the one post",
    arguments: [
      ("<html><body>OK</body></html>", true), ("{}", true), ("<html><body>OK</body></html>", false),
      ("", false), (#"{"id":""}"#, false),
    ])
  func mastodonGarbageThenTheCheck(body: String, created: Bool) throws {
    let dir = TempDir()
    let fake = try FakeMastodon()
    let (store, id) = try CourierTests().mastodonMention(.sqlite, dir, fake)
    let record = try store.enqueueReply(
      mentionID: id, responder: "anna", kind: .reply, text: "Sorry. – Anna", policy: wallClockPolicy)
    let clock = TestClock()
    let courier = mastodonCourier(dir, fake, store, clock)
    fake.garbledPosts = [(body, created)]

    let first = try courier.deliverDue()
    #expect(
      first.map(\.result) == [
        .unverified(checkAt: testNow.addingTimeInterval(60), reason: unverifiedMastodon)
      ])
    let unverified = try #require(try store.outboxRecord(id: record.id))
    #expect(unverified.status == .unverified)
    #expect(unverified.platformPostID == nil)
    #expect(unverified.error == unverifiedMastodon)
    #expect(unverified.unverifiedAt == testNow)
    #expect(unverified.nextAttemptAt == testNow.addingTimeInterval(60))
    let actions = try store.events(mentionID: id).map(\.action)
    #expect(actions.contains("delivery_unverified") && !actions.contains("delivered"))
    #expect(fake.posts.count == (created ? 1 : 0))
    #expect(try courier.deliverDue().isEmpty)  // the check is not due yet

    clock.advance(60)
    #expect(
      try courier.deliverDue().map(\.result) == [.sent(postID: "9000", url: "\(fake.baseURL)/@shop/9000")])
    let sent = try #require(try store.outboxRecord(id: record.id))
    #expect(sent.status == .sent && sent.platformPostID == "9000" && sent.error == nil)
    // One post, whatever the first answer said: both requests carried the reply's key.
    #expect(fake.posts.count == 1)
    #expect(fake.postCount(key: record.idempotencyKey) == 1)
    let requests = fake.server.requests.filter { $0.path == "/api/v1/statuses" }
    #expect(requests.map { $0.headers["idempotency-key"] } == [record.idempotencyKey, record.idempotencyKey])
  }

  @Test(arguments: LiveStores.kinds)
  func anAnswerThatNeverNamesThePostFailsAfterTheChecksWithAMessageAndAnEvent(kind: LiveStoreKind) throws {
    let dir = TempDir()
    let fake = try FakeMastodon()
    let (store, id) = try CourierTests().mastodonMention(kind, dir, fake)
    let record = try store.enqueueReply(
      mentionID: id, responder: "anna", kind: .reply, text: "Sorry. – Anna", policy: wallClockPolicy)
    let clock = TestClock()
    let courier = mastodonCourier(dir, fake, store, clock)
    fake.garbledPosts = Array(repeating: ("{}", true), count: 20)

    // Checked after as long again as it has been unverified, last at the window's end (45 min,
    // inside Mastodon's hour of idempotency), then given up.
    var checks: [TimeInterval] = []
    var last: [DeliveryOutcome] = []
    for _ in 0..<20 {
      checks.append(clock.now().timeIntervalSince(testNow) / 60)
      last = try courier.deliverDue()
      guard case .unverified(let at, _)? = last.first?.result else { break }
      clock.advance(at.timeIntervalSince(clock.now()))
    }
    #expect(checks == [0, 1, 2, 4, 8, 16, 32, 45])
    let message = "Mastodon answered 200 but named no post; check the account's posts before retrying"
    #expect(last.map(\.result) == [.failed(message)])
    let failed = try #require(try store.outboxRecord(id: record.id))
    #expect(failed.status == .failed && failed.error == message && failed.platformPostID == nil)
    #expect(failed.nextAttemptAt == nil)
    #expect(try courier.deliverDue().isEmpty)
    let events = try store.events(mentionID: id)
    #expect(events.filter { $0.action == "delivery_unverified" }.count == 1)
    #expect(
      events.last { $0.action == "delivery_failed" }?.detail
        == #"{"outbox_id":\#(record.id),"unverified":true}"#)
    // Eight requests, one post: the key kept every check from posting again.
    #expect(fake.server.requests.filter { $0.path == "/api/v1/statuses" }.count == 8)
    #expect(fake.postCount(key: record.idempotencyKey) == 1)
    #expect(fake.posts.count == 1)
  }

  @Test(arguments: LiveStores.kinds) func aCheckThatCannotReachTheServerKeepsTheReplyUnverified(
    kind: LiveStoreKind
  ) throws {
    let dir = TempDir()
    let fake = try FakeMastodon()
    let (store, id) = try CourierTests().mastodonMention(kind, dir, fake)
    let record = try store.enqueueReply(
      mentionID: id, responder: "anna", kind: .reply, text: "Sorry. – Anna", policy: wallClockPolicy)
    let clock = TestClock()
    let courier = mastodonCourier(dir, fake, store, clock)
    fake.garbledPosts = [("{}", false)]
    _ = try courier.deliverDue()
    fake.failPosts = 1
    clock.advance(60)
    let outcome = try courier.deliverDue()
    let reason =
      "an earlier answer named no post; checking it failed: Mastodon refused the reply: HTTP 503: Service unavailable"
    #expect(outcome.map(\.result) == [.retry(at: clock.now().addingTimeInterval(60), reason: reason)])
    let still = try #require(try store.outboxRecord(id: record.id))
    #expect(still.status == .unverified && still.error == reason && still.unverifiedAt == testNow)
    clock.advance(60)
    #expect(
      try courier.deliverDue().map(\.result) == [.sent(postID: "9000", url: "\(fake.baseURL)/@shop/9000")])
    #expect(fake.posts.count == 1)
  }

  /// A store with one Bluesky mention polled from the fake, and what delivery needs.
  func blueskyMention(_ kind: LiveStoreKind, _ dir: TempDir, _ fake: FakeBluesky) throws -> (
    any ReputeStore, Int64, Courier, TestClock
  ) {
    fake.addPost("shop lost my parcel", minute: 5)
    let store = try LiveStores.make(kind, dir, clock: .fixed(testNow))
    let config = BlueskyConfig(
      name: "bsky", service: URL(string: fake.baseURL)!, identifier: "shop.bsky.social",
      password: .environment("P"), searches: ["shop"], interval: 60, deliver: true)
    let session = BlueskySession(
      service: config.service, identifier: config.identifier, password: Secret(fake.password))
    _ = makePoller(store, [BlueskySource(config: config, session: session)], clock: TestClock()).pollDue()
    let id = try #require(
      try store.mentionID(platform: "bluesky", externalID: "at://did:plc:anna/app.bsky.feed.post/3k0005"))
    let clock = TestClock()
    let courier = Courier(
      store: store, accounts: DeliveryAccounts(bluesky: (config, session), exportFolder: dir.path),
      transport: URLSessionTransport(timeout: 10), clock: { clock.now() })
    return (store, id, courier, clock)
  }

  @Test(arguments: LiveStores.kinds) func aBlueskyCreateAnsweredWithAnEmptyBodyIsSentOnlyWhenGetRecordFindsIt(
    kind: LiveStoreKind
  ) throws {
    let dir = TempDir()
    let fake = try FakeBluesky()
    let (store, id, courier, _) = try blueskyMention(kind, dir, fake)
    let record = try store.enqueueReply(
      mentionID: id, responder: "anna", kind: .reply, text: "So sorry. – Anna", policy: wallClockPolicy)
    fake.garbledCreates = [("", true)]
    let rkey = RecordKey.tid(for: record)
    #expect(
      try courier.deliverDue().map(\.result) == [
        .sent(
          postID: "at://did:plc:shop/app.bsky.feed.post/\(rkey)",
          url: "https://bsky.app/profile/shop.bsky.social/post/\(rkey)")
      ])
    #expect(
      fake.server.requests.map(\.path).suffix(2) == [
        "/xrpc/com.atproto.repo.createRecord", "/xrpc/com.atproto.repo.getRecord",
      ])
    #expect(fake.createAttempts == 1 && fake.posts.count == 1)
    #expect(
      try store.outboxRecord(id: record.id)?.platformPostID == "at://did:plc:shop/app.bsky.feed.post/\(rkey)")
  }

  @Test(arguments: LiveStores.kinds)
  func aBlueskyCreateAnsweredWithAnEmptyBodyAndNoRecordIsUnverifiedThenLookedUpBeforeWriting(
    kind: LiveStoreKind
  ) throws {
    let dir = TempDir()
    let fake = try FakeBluesky()
    let (store, id, courier, clock) = try blueskyMention(kind, dir, fake)
    let record = try store.enqueueReply(
      mentionID: id, responder: "anna", kind: .reply, text: "So sorry. – Anna", policy: wallClockPolicy)
    fake.garbledCreates = [("", false)]
    let reason =
      "Bluesky answered 200 but named no record, and getRecord did not find it; checking for the record again before writing"
    #expect(
      try courier.deliverDue().map(\.result) == [
        .unverified(checkAt: testNow.addingTimeInterval(60), reason: reason)
      ])
    #expect(try store.outboxRecord(id: record.id)?.status == .unverified)
    #expect(fake.posts.isEmpty)

    clock.advance(60)
    let before = fake.server.requests.count
    guard case .sent(let uri, _)? = try courier.deliverDue().first?.result else {
      Issue.record("expected the check to send it")
      return
    }
    #expect(uri == "at://did:plc:shop/app.bsky.feed.post/\(RecordKey.tid(for: record))")
    // Looked up first, then written once, under the same key.
    #expect(
      fake.server.requests.dropFirst(before).map(\.path).filter { $0.hasPrefix("/xrpc/com.atproto.repo.") }
        == [
          "/xrpc/com.atproto.repo.getRecord", "/xrpc/com.atproto.repo.createRecord",
        ])
    #expect(fake.posts.count == 1 && fake.createAttempts == 2)
  }
}

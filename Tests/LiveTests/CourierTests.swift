import Foundation
import Inbox
import Policy
import Store
import TestHTTPServer
import Testing

@testable import Live

@Suite(.serialized) struct CourierTests {
  /// A store holding one Mastodon mention polled from the fake, and the mention's id.
  func mastodonMention(_ dir: TempDir, _ fake: FakeMastodon, visibility: String = "public") throws -> (
    SQLiteStore, Int64
  ) {
    let status = fake.addStatus(text: "@shop my parcel is lost, third week", visibility: visibility)
    let store = try SQLiteStore(path: dir.path + "/s.sqlite", clock: .fixed(testNow))
    let source = MastodonSource(config: mastodonConfig(fake), token: Secret(fake.token))
    _ = makePoller(store, [source], clock: TestClock()).pollDue()
    let id = try #require(
      try store.mentionID(
        platform: "mastodon", externalID: "https://example.social/users/x/statuses/\(status)"))
    return (store, id)
  }

  @Test func aMastodonReplyAnswersThePostWithTheKeyAndNoWiderVisibility() throws {
    let dir = TempDir()
    let fake = try FakeMastodon()
    let (store, id) = try mastodonMention(dir, fake, visibility: "unlisted")
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

  @Test func aReplyQueuedBeforeALegalEscalationWaitsForApprovalInsteadOfGoingOut() throws {
    // Four eyes at delivery: the reply entered the outbox unreviewed, then the mention was
    // escalated for legal or press words; the courier must not send it unseen.
    let dir = TempDir()
    let fake = try FakeMastodon()
    let (store, id) = try mastodonMention(dir, fake)
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

  @Test func aSupervisorsOwnReplyAndAnUnescalatedOneAreNotHeldAtDelivery() throws {
    let dir = TempDir()
    let fake = try FakeMastodon()
    let (store, id) = try mastodonMention(dir, fake)
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

  @Test func aFailedAttemptIsRetriedLaterWithTheSameKeyAndPostsOnce() throws {
    let dir = TempDir()
    let fake = try FakeMastodon()
    let (store, id) = try mastodonMention(dir, fake)
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

  @Test func aSecondCourierSendsNothingWhileALiveOneHoldsTheDeliveryLease() throws {
    let dir = TempDir()
    let fake = try FakeMastodon()
    let (store, id) = try mastodonMention(dir, fake)
    let record = try store.enqueueReply(
      mentionID: id, responder: "anna", kind: .reply, text: "Sorry. – Anna", policy: wallClockPolicy)
    // Another process on this host is sending (pid 1 is always alive): its reply is in flight.
    #expect(try store.claimDelivery(holder: "\(SQLiteStore.hostName):1", for: 600))
    let courier = Courier(
      store: store,
      accounts: DeliveryAccounts(
        mastodon: (mastodonConfig(fake), Secret(fake.token)), exportFolder: dir.path),
      transport: URLSessionTransport(timeout: 10), clock: { testNow })
    #expect(try courier.deliverDue().isEmpty)
    #expect(fake.server.requests.filter { $0.path == "/api/v1/statuses" }.isEmpty)
    #expect(try store.outboxRecord(id: record.id)?.attempts == 0)
    #expect(try store.deliveryHolder() == "\(SQLiteStore.hostName):1")

    // A holder killed with -9 (no such pid) does not hold the outbox up.
    try store.releaseDelivery(holder: "\(SQLiteStore.hostName):1")
    #expect(try store.claimDelivery(holder: "\(SQLiteStore.hostName):2147483646", for: 600))
    #expect(try courier.deliverDue().map(\.outboxID) == [record.id])
    #expect(fake.posts.count == 1)
    #expect(try store.deliveryHolder() == nil)  // given back after the pass
  }

  @Test func aRefusedReplyFailsWithThePlatformsMessage() throws {
    let dir = TempDir()
    let fake = try FakeMastodon()
    let (store, id) = try mastodonMention(dir, fake)
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

  @Test func aBlueskyRetryAfterACrashFindsItsRecordInsteadOfPostingTwice() throws {
    let dir = TempDir()
    let fake = try FakeBluesky()
    fake.addPost("shop lost my parcel", minute: 5)
    let store = try SQLiteStore(path: dir.path + "/s.sqlite", clock: .fixed(testNow))
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

  @Test func anXReplyIsWrittenOutForSendingByHand() throws {
    let dir = TempDir()
    let store = try SQLiteStore(path: dir.path + "/s.sqlite", clock: .fixed(testNow))
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

  @Test func recordKeysAreTIDShapedAndTheSameForEveryAttempt() throws {
    let dir = TempDir()
    let store = try SQLiteStore(path: dir.path + "/s.sqlite", clock: .fixed(testNow))
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

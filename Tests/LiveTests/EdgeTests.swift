import Foundation
import Inbox
import Policy
import Store
import TestHTTPServer
import Testing

@testable import Live

@Suite(.serialized) struct EdgeTests {
  @Test func rateLimitHeadersOfEachPlatformGiveTheTimeToComeBack() {
    let now = testNow
    #expect(
      HTTPResponse(status: 429, headers: ["Retry-After": "120"]).rateLimitedUntil(now: now) == now + 120)
    #expect(
      HTTPResponse(status: 503, headers: ["retry-after": "Tue, 01 Dec 2026 08:05:00 GMT"]).rateLimitedUntil(
        now: now)
        == now + 300)
    // Mastodon: RFC 3339; only an exhausted limit counts.
    let mastodon = ["X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "2026-12-01T08:10:00.000Z"]
    #expect(HTTPResponse(status: 200, headers: mastodon).rateLimitedUntil(now: now) == now + 600)
    #expect(
      HTTPResponse(
        status: 200, headers: ["X-RateLimit-Remaining": "12", "X-RateLimit-Reset": "2026-12-01T08:10:00Z"]
      )
      .rateLimitedUntil(now: now) == nil)
    // Bluesky: epoch seconds.
    let bluesky = [
      "ratelimit-remaining": "0", "ratelimit-reset": String(Int(now.timeIntervalSince1970) + 60),
    ]
    #expect(HTTPResponse(status: 429, headers: bluesky).rateLimitedUntil(now: now) == now + 60)
    #expect(HTTPResponse(status: 429).rateLimitedUntil(now: now) == now + 60)
    #expect(HTTPResponse(status: 200).rateLimitedUntil(now: now) == nil)
  }

  @Test(arguments: LiveStores.kinds) func aReplyThatKeepsFailingIsGivenUpAfterItsAttempts(kind: LiveStoreKind)
    throws
  {
    let dir = TempDir()
    let fake = try FakeMastodon()
    fake.addStatus(text: "@shop hello")
    let store = try LiveStores.make(kind, dir, clock: .fixed(testNow))
    _ = makePoller(
      store, [MastodonSource(config: mastodonConfig(fake), token: Secret(fake.token))], clock: TestClock()
    )
    .pollDue()
    let mention = try #require(try store.mentions(order: .newest, limit: 1, offset: 0).first)
    let record = try store.enqueueReply(
      mentionID: mention.id, responder: "anna", kind: .reply, text: "Hi. – Anna", policy: wallClockPolicy)
    fake.failPosts = 5
    let clock = TestClock()
    let courier = Courier(
      store: store,
      accounts: DeliveryAccounts(
        mastodon: (mastodonConfig(fake), Secret(fake.token)), exportFolder: dir.path),
      transport: URLSessionTransport(timeout: 10), clock: { clock.now() }, maxAttempts: 3)
    var waits: [TimeInterval] = []
    for _ in 0..<3 {
      let outcome = try #require(try courier.deliverDue().first)
      if case .retry(let at, _) = outcome.result { waits.append(at.timeIntervalSince(clock.now())) }
      clock.advance(3600)
    }
    #expect(waits == [30, 60])
    let failed = try #require(try store.outboxRecord(id: record.id))
    #expect(failed.status == .failed)
    #expect(failed.attempts == 3)
    #expect(failed.error == "Mastodon refused the reply: HTTP 503: Service unavailable")
    #expect(fake.posts.isEmpty)
  }

  @Test(arguments: LiveStores.kinds) func aBlueskyReplyFetchesTheThreadAndAnOverlongReplyIsRefused(
    kind: LiveStoreKind
  ) throws {
    let dir = TempDir()
    let fake = try FakeBluesky()
    let question = fake.addPost("does the shop deliver on Sunday?", minute: 1, handle: "vraag.bsky.social")
    let mentionURI = fake.addPost(
      "@shop.bsky.social still waiting for an answer from the shop", minute: 2, handle: "vraag.bsky.social",
      replyTo: question)
    fake.addPost(
      "yes they do, got mine on a Sunday", minute: 3, handle: "helper.bsky.social", replyTo: mentionURI)
    let store = try LiveStores.make(kind, dir, clock: .fixed(testNow))
    let config = BlueskyConfig(
      name: "bsky", service: URL(string: fake.baseURL)!, identifier: "shop.bsky.social",
      password: .environment("P"),
      searches: ["@shop.bsky.social"], interval: 60, deliver: true)
    let session = BlueskySession(
      service: config.service, identifier: config.identifier, password: Secret(fake.password))
    let outcome = makePoller(store, [BlueskySource(config: config, session: session)], clock: TestClock())
      .pollDue()
    #expect(outcome.first?.report?.new == 1)
    let mention = try #require(try store.mentions(order: .newest, limit: 1, offset: 0).first)
    #expect(mention.inReplyTo == question)
    let thread = try store.thread(of: mention)
    #expect(thread.map(\.mention.author.handle) == ["vraag.bsky.social", "helper.bsky.social"])
    #expect(try thread.allSatisfy { try store.isContextOnly(mentionID: $0.mention.id) })

    let long = String(repeating: "x", count: 290) + " – Anna the responder"
    let record = try store.enqueueReply(
      mentionID: mention.id, responder: "anna", kind: .reply, text: long, policy: wallClockPolicy)
    let courier = Courier(
      store: store, accounts: DeliveryAccounts(bluesky: (config, session), exportFolder: dir.path),
      transport: URLSessionTransport(timeout: 10), clock: { testNow })
    #expect(
      try courier.deliverDue().map(\.result) == [.failed("the reply is 311 characters; Bluesky takes 300")])
    #expect(try store.outboxRecord(id: record.id)?.status == .failed)
    #expect(fake.posts.isEmpty)
  }
}

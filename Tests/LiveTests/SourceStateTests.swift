import Foundation
import Inbox
import Policy
import Store
import TestHTTPServer
import Testing

@testable import Live

@Suite struct SourceStateTests {
  @Test(arguments: LiveStores.kinds) func twoWatchersOnOneStoreDoNotPollTheSameSourceAtOnce(
    kind: LiveStoreKind
  ) throws {
    let dir = TempDir()
    let fake = try FakeMastodon()
    fake.addStatus(text: "hello")
    let store = try LiveStores.make(kind, dir, clock: .fixed(testNow))
    let host = LiveStores.hostName(kind)
    // Another live watcher on this host (pid 1 always runs) holds the source.
    #expect(try store.claimSource(name: "shop-social", kind: "mastodon", holder: "\(host):1", for: 600))
    let source = MastodonSource(config: mastodonConfig(fake), token: Secret(fake.token))
    let outcome = makePoller(store, [source], clock: TestClock()).pollDue()
    #expect(outcome.first?.skipped == true)
    #expect(fake.server.requests.isEmpty)
    // That watcher finishes; another one takes the source and dies (kill -9) holding it.
    try store.recordPoll(
      name: "shop-social", kind: "mastodon", error: nil, newMentions: 0, nextPollAt: testNow,
      holder: "\(host):1")
    let gone = Process()
    gone.executableURL = URL(fileURLWithPath: "/bin/true")
    try gone.run()
    gone.waitUntilExit()
    #expect(
      try store.claimSource(
        name: "shop-social", kind: "mastodon", holder: "\(host):\(gone.processIdentifier)", for: 600))
    // The lease of a dead watcher does not hold the next one back.
    let again = makePoller(store, [source], clock: TestClock()).pollDue(all: true)
    #expect(again.first?.skipped == false)
    #expect(again.first?.report?.new == 1)
  }

  @Test(arguments: LiveStores.kinds) func aPostStoredAsContextJoinsTheQueueWhenItArrivesAsAMention(
    kind: LiveStoreKind
  ) throws {
    let dir = TempDir()
    let store = try LiveStores.make(kind, dir, clock: .fixed(testNow))
    let annotator = PolicyAnnotator(policy: wallClockPolicy)
    let post = IncomingMention(
      platform: "bluesky", externalID: "at://a/app.bsky.feed.post/1", author: Author(handle: "a.bsky.social"),
      createdAt: testNow, text: "Is the shop open on Sunday?", thread: "at://root", raw: "{}")
    try store.ingest(
      [post], annotations: [annotator.annotate(post)], actor: "t", cursor: nil, contextOnly: true, rules: nil)
    let id = try #require(try store.mentionID(platform: "bluesky", externalID: post.externalID))
    #expect(try store.isContextOnly(mentionID: id))
    #expect(try store.queue(QueueFilter(), limit: 5, offset: 0, now: testNow).isEmpty)
    let counts = try store.ingest(
      [post], annotations: [annotator.annotate(post)], actor: "t",
      cursor: SourceCursor(source: "bsky", kind: "bluesky", cursor: "c1"), contextOnly: false, rules: nil)
    #expect(counts.duplicate == 1)
    #expect(try !store.isContextOnly(mentionID: id))
    #expect(try store.queue(QueueFilter(), limit: 5, offset: 0, now: testNow).map(\.mention.id) == [id])
    #expect(try store.sourceState(name: "bsky")?.cursor == "c1")
  }
}

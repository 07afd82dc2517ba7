import Foundation
import Inbox
import Policy
import Store
import TestHTTPServer
import Testing

@testable import Live

@Suite(.serialized) struct PollerTests {
  @Test(arguments: LiveStores.kinds) func mentionNotificationsArePagedFromTheCursorAndStoredOnce(
    kind: LiveStoreKind
  ) throws {
    let dir = TempDir()
    let fake = try FakeMastodon()
    for i in 1...3 { fake.addStatus(text: "@shop question \(i)?") }
    let store = try LiveStores.make(kind, dir, clock: .fixed(testNow))
    let clock = TestClock()
    var source = MastodonSource(config: mastodonConfig(fake), token: Secret(fake.token))
    source.pageSize = 2
    let poller = makePoller(store, [source], clock: clock)

    // The first poll reads the newest page only (no backfill) and sets the cursor.
    let first = poller.pollDue()
    #expect(first.map(\.error) == [nil])
    #expect(first.first?.report?.new == 2)
    #expect(try store.sourceState(name: "shop-social")?.cursor == #"{"notifications":"3"}"#)

    for i in 4...8 { fake.addStatus(text: "@shop complaint \(i), still broken") }
    // Not due yet: nothing is asked.
    let asked = fake.server.requests.count
    #expect(poller.pollDue().isEmpty)
    #expect(fake.server.requests.count == asked)
    clock.advance(61)
    let second = poller.pollDue()
    #expect(second.first?.report?.new == 5)
    #expect(second.first?.report?.pages == 3)
    let minIDs = fake.server.requests.filter { $0.path == "/api/v1/notifications" }.map { $0.query("min_id") }
    #expect(minIDs == [nil, "3", "5", "7"])
    #expect(try store.mentionCount() == 7)
    let state = try #require(try store.sourceState(name: "shop-social"))
    #expect(state.cursor == #"{"notifications":"8"}"#)
    #expect(state.lastError == nil)
    #expect(state.lastNew == 5)
    #expect(state.nextPollAt == clock.now().addingTimeInterval(60))
  }

  @Test(arguments: LiveStores.kinds) func aPollCutOffMidwayResumesFromTheLastCommittedPageWithNoGap(
    kind: LiveStoreKind
  ) throws {
    let dir = TempDir()
    let fake = try FakeMastodon()
    fake.addStatus(text: "first")
    let store = try LiveStores.make(kind, dir, clock: .fixed(testNow))
    let clock = TestClock()
    var source = MastodonSource(config: mastodonConfig(fake), token: Secret(fake.token))
    source.pageSize = 2
    _ = makePoller(store, [source], clock: clock).pollDue()
    for i in 2...9 { fake.addStatus(text: "mention \(i)") }
    // The connection dies after two pages of the second poll.
    let cut = makePoller(store, [source], clock: clock, transport: CutTransport(after: 2))
    let broken = cut.pollDue(all: true)
    #expect(broken.first?.error == "connection cut by the test")
    #expect(try store.mentionCount() == 5)
    #expect(try store.sourceState(name: "shop-social")?.cursor == #"{"notifications":"5"}"#)
    #expect(try store.sourceState(name: "shop-social")?.lastNew == 4)
    // A new watcher resumes where the committed cursor is: no page asked twice, none skipped.
    let before = fake.server.requests.count
    let again = makePoller(store, [source], clock: clock).pollDue(all: true)
    #expect(again.first?.error == nil)
    #expect(try store.mentionCount() == 9)
    let resumed = fake.server.requests.dropFirst(before).filter { $0.path == "/api/v1/notifications" }
    #expect(resumed.map { $0.query("min_id") } == ["5", "7", "9"])
    let texts = try store.mentions(order: .newest, limit: 20, offset: 0).map(\.text)
    #expect(Set(texts).count == 9)
  }

  @Test(arguments: LiveStores.kinds) func aFailingSourceBacksOffAndARateLimitIsRespected(kind: LiveStoreKind)
    throws
  {
    let dir = TempDir()
    let fake = try FakeMastodon()
    fake.addStatus(text: "hello")
    let store = try LiveStores.make(kind, dir, clock: .fixed(testNow))
    let clock = TestClock()
    // A wrong token: 401, a failure the source keeps until it is fixed.
    let wrong = MastodonSource(config: mastodonConfig(fake), token: Secret("not-the-token"))
    let poller = makePoller(store, [wrong], clock: clock)
    let one = poller.pollDue()
    #expect(one.first?.error?.contains("HTTP 401") == true)
    #expect(try store.sourceState(name: "shop-social")?.failures == 1)
    #expect(one.first?.nextPollAt == clock.now().addingTimeInterval(120))
    clock.advance(121)
    let two = poller.pollDue()
    #expect(two.first?.nextPollAt == clock.now().addingTimeInterval(240))
    #expect(try store.sourceState(name: "shop-social")?.failures == 2)
    // The token never shows in what is kept or said.
    #expect(!(try store.sourceState(name: "shop-social")?.lastError ?? "").contains(fake.token))

    // An exhausted rate limit: the next poll waits for its reset.
    let reset = clock.now().addingTimeInterval(900)
    fake.extraHeaders = ["X-RateLimit-Remaining": "0", "X-RateLimit-Reset": RFC3339.format(reset)]
    let good = MastodonSource(config: mastodonConfig(fake), token: Secret(fake.token))
    let limited = makePoller(store, [good], clock: clock).pollDue(all: true)
    #expect(limited.first?.error == nil)
    #expect(limited.first?.nextPollAt == reset)
    #expect(try store.sourceState(name: "shop-social")?.failures == 0)
  }

  @Test(arguments: LiveStores.kinds) func aFeedIsAskedConditionallyAndAnUnchangedOneCostsNothing(
    kind: LiveStoreKind
  ) throws {
    let dir = TempDir()
    let feed = try FakeFeed()
    feed.add(id: "alert-1", title: "Shop &amp; Co. in the news")
    let store = try LiveStores.make(kind, dir, clock: .fixed(testNow))
    let clock = TestClock()
    let source = FeedSource(config: FeedConfig(name: "alerts", url: URL(string: feed.url)!, interval: 60))
    let poller = makePoller(store, [source], clock: clock)
    #expect(poller.pollDue().first?.report?.new == 1)
    #expect(try store.sourceState(name: "alerts")?.etag == "\"v1\"")
    #expect(poller.pollDue(all: true).first?.report?.new == 0)
    #expect(feed.server.requests.last?.headers["if-none-match"] == "\"v1\"")
    feed.add(id: "alert-2", title: "Another")
    #expect(poller.pollDue(all: true).first?.report?.new == 1)
    let texts = try store.mentions(order: .newest, limit: 5, offset: 0).map(\.text).sorted()
    #expect(texts == ["Another", "Shop & Co. in the news"])
  }

  @Test(arguments: LiveStores.kinds) func filesDroppedInTheSpoolAreIngestedThenMovedAside(kind: LiveStoreKind)
    throws
  {
    let dir = TempDir()
    let spool = dir.path + "/drop"
    try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
    let line =
      #"{"platform":"x","id":"1","author":{"handle":"a"},"created_at":"2026-12-01T07:00:00Z","text":"hi"}"#
    _ = FileManager.default.createFile(
      atPath: spool + "/a.jsonl", contents: Data((line + "\n{broken\n").utf8))
    _ = FileManager.default.createFile(atPath: spool + "/b.pdf", contents: Data("%PDF".utf8))
    _ = FileManager.default.createFile(atPath: spool + "/.c.jsonl", contents: Data(line.utf8))
    let store = try LiveStores.make(kind, dir, clock: .fixed(testNow))
    let notes = NoteLog()
    let source = SpoolSource(config: SpoolConfig(name: "drop", path: spool, interval: 60))
    let outcome = makePoller(store, [source], clock: TestClock(), notes: notes).pollDue()
    #expect(outcome.first?.report?.new == 1)
    #expect(outcome.first?.report?.rejected == 2)
    #expect(notes.lines.contains { $0.hasPrefix("drop: \(spool)/a.jsonl:2: broken JSON") })
    #expect(FileManager.default.fileExists(atPath: spool + "/processed/a.jsonl"))
    #expect(FileManager.default.fileExists(atPath: spool + "/failed/b.pdf"))
    for folder in ["processed", "failed"] {
      let attributes = try FileManager.default.attributesOfItem(atPath: spool + "/" + folder)
      #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o700)
    }
    // A file still being written (a dot name) is left alone.
    #expect(FileManager.default.fileExists(atPath: spool + "/.c.jsonl"))
    // The same file dropped again stores nothing twice.
    _ = FileManager.default.createFile(atPath: spool + "/a.jsonl", contents: Data(line.utf8))
    _ = makePoller(store, [source], clock: TestClock()).pollDue(all: true)
    #expect(try store.mentionCount() == 1)
    #expect(FileManager.default.fileExists(atPath: spool + "/processed/a.jsonl.2"))
  }

  @Test(arguments: LiveStores.kinds) func theSpoolReadsEveryFormatAndItsCSVMapping(kind: LiveStoreKind) throws
  {
    let dir = TempDir()
    let spool = dir.path + "/drop"
    try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
    let mapping = dir.write(
      "tool.toml",
      "platform = \"forum\"\n[columns]\nid = \"Ref\"\ntext = \"Snippet Text\"\nauthor = \"Who\"\n")
    dir.write("drop/a.csv", "Ref,Snippet Text,Who,Date\nr1,\"the shop, again\",erin,2026-12-01T07:30:00Z\n")
    dir.write(
      "drop/b.json",
      #"{"posts":[{"uri":"at://did:plc:a/app.bsky.feed.post/1","cid":"c","author":{"handle":"a.bsky.social"},"record":{"text":"shop","createdAt":"2026-12-01T07:00:00Z"}}]}"#
    )
    dir.write("drop/c.json", #"{"hello":"world"}"#)
    let store = try LiveStores.make(kind, dir, clock: .fixed(testNow))
    let notes = NoteLog()
    let source = SpoolSource(
      config: SpoolConfig(name: "drop", path: spool, interval: 60, csvConfig: mapping))
    let outcome = makePoller(store, [source], clock: TestClock(), notes: notes).pollDue()
    #expect(outcome.first?.report?.new == 2)
    let stored = try store.mentions(order: .newest, limit: 5, offset: 0)
    #expect(Set(stored.map(\.platform)) == ["forum", "bluesky"])
    #expect(stored.first { $0.platform == "forum" }?.text == "the shop, again")
    #expect(FileManager.default.fileExists(atPath: spool + "/processed/a.csv"))
    #expect(FileManager.default.fileExists(atPath: spool + "/processed/b.json"))
    #expect(FileManager.default.fileExists(atPath: spool + "/failed/c.json"))
    #expect(notes.lines == ["drop: \(spool)/c.json:1: cannot tell the format; name it with --format"])

    // A broken mapping is the source's error, with its line, and no file is moved.
    dir.write("tool.toml", "[columns]\ntext = \"A\"\nbogus = \"B\"\n")
    dir.write("drop/d.csv", "A\nx\n")
    let failed = makePoller(store, [source], clock: TestClock()).pollDue(all: true)
    #expect(failed.first?.error?.hasPrefix("\(mapping):") == true)
    #expect(FileManager.default.fileExists(atPath: spool + "/d.csv"))
  }

  @Test(arguments: LiveStores.kinds) func blueskySearchPagesBackToThePreviousRunsNewestPost(
    kind: LiveStoreKind
  ) throws {
    let dir = TempDir()
    let fake = try FakeBluesky()
    for m in 1...3 { fake.addPost("shop is great \(m)", minute: m) }
    let store = try LiveStores.make(kind, dir, clock: .fixed(testNow))
    let clock = TestClock()
    let config = BlueskyConfig(
      name: "bsky", service: URL(string: fake.baseURL)!, identifier: "shop.bsky.social",
      password: .environment("P"), searches: ["shop"], interval: 60, deliver: true)
    var source = BlueskySource(
      config: config,
      session: BlueskySession(
        service: config.service, identifier: "shop.bsky.social", password: Secret(fake.password)))
    source.pageSize = 2
    let poller = makePoller(store, [source], clock: clock)
    #expect(poller.pollDue().first?.report?.new == 2)
    for m in 4...8 { fake.addPost("shop again \(m)", minute: m) }
    let second = poller.pollDue(all: true)
    #expect(second.first?.error == nil)
    // 4…8 are new, 3 is a repeat at the boundary (since is inclusive); 1 is older than the first
    // run, which reads only the newest page.
    #expect(try store.mentionCount() == 7)
    let cursor = CursorMap(try store.sourceState(name: "bsky")?.cursor)
    #expect(cursor["shop.since"] == "2026-12-01T07:08:00.000Z")
    #expect(cursor["shop.page"] == nil)
    let searches = fake.server.requests.filter { $0.path == "/xrpc/app.bsky.feed.searchPosts" }
    #expect(searches.dropFirst().allSatisfy { $0.query("since") == "2026-12-01T07:03:00.000Z" })
  }

  @Test(arguments: LiveStores.kinds) func aReplyFetchesItsThreadSoOthersAnswersAreSeen(kind: LiveStoreKind)
    throws
  {
    let dir = TempDir()
    let fake = try FakeMastodon()
    let original = fake.addStatus(text: "Shop's new opening hours are out", acct: "shop", notify: false)
    let mention = fake.addStatus(
      text: "@shop are you open on Sunday?", acct: "vraag@example.social", inReplyTo: original)
    let answer = fake.addStatus(
      text: "Yes, 12 to 5, I was there last week", acct: "helper@example.social", inReplyTo: mention,
      notify: false)
    fake.setContext(of: mention, ancestors: [original], descendants: [answer])
    let store = try LiveStores.make(kind, dir, clock: .fixed(testNow))
    let source = MastodonSource(config: mastodonConfig(fake), token: Secret(fake.token))
    let outcome = makePoller(store, [source], clock: TestClock()).pollDue()
    #expect(outcome.first?.report?.new == 1)
    #expect(fake.server.requests.contains { $0.path == "/api/v1/statuses/\(mention)/context" })
    let id = try #require(
      try store.mentionID(
        platform: "mastodon", externalID: "https://example.social/users/x/statuses/\(mention)"))
    let stored = try #require(try store.mention(id: id))
    #expect(stored.thread == "https://example.social/users/x/statuses/\(original)")
    let thread = try store.thread(of: stored)
    // Handles are made whole by the format, as `repute ingest` stores them.
    #expect(thread.map(\.mention.author.handle) == ["shop@example.social", "helper@example.social"])
    // The posts around it are context only: in the thread (S11 sees the answer), not in the queue.
    #expect(try store.isContextOnly(mentionID: thread[0].mention.id))
    #expect(thread[1].mention.muted)
    #expect(thread[1].mention.inReplyTo == stored.externalID)
    #expect(try store.queue(QueueFilter(), limit: 10, offset: 0, now: testNow).map(\.mention.id) == [id])
  }
}

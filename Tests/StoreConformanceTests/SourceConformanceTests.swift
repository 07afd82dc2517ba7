import Foundation
import Inbox
import Store
import Testing

/// `SourceStore` on both stores: cursors, each poll's outcome, and the lease that lets several
/// watchers (on several machines) poll each source once.
@Suite struct SourceConformanceTests {
  static let host = SQLiteStore.hostName

  @Test("a cursor is kept with its validators; sources are listed by name", arguments: TestStores.kinds)
  func cursors(kind: StoreKind) throws {
    let store = try TestStore(kind)
    let sources = try store.as((any SourceStore).self)
    #expect(try sources.sourceState(name: "shop") == nil)
    try sources.saveCursor(
      SourceCursor(source: "shop", kind: "feed", cursor: "c1", etag: "\"e1\"", lastModified: "Mon"))
    try sources.saveCursor(SourceCursor(source: "Bsky", kind: "bluesky", cursor: nil))
    try sources.saveCursor(SourceCursor(source: "shop", kind: "feed", cursor: "c2", etag: nil))
    let shop = try #require(try sources.sourceState(name: "shop"))
    #expect(shop == SourceState(name: "shop", kind: "feed", cursor: "c2"))
    #expect(shop.health == .neverPolled)
    #expect(try sources.sourceStates().map(\.name) == ["Bsky", "shop"])
  }

  @Test(
    "a poll's outcome: a failure counts and backs off, a warning is healthy, success resets",
    arguments: TestStores.kinds)
  func polls(kind: StoreKind) throws {
    let store = try TestStore(kind)
    let sources = try store.as((any SourceStore).self)
    let next = TestStores.now.addingTimeInterval(300)
    try sources.recordPoll(
      name: "shop", kind: "mastodon", error: "HTTP 503", newMentions: 0, nextPollAt: next, holder: "h:1")
    try sources.recordPoll(
      name: "shop", kind: "mastodon", error: "HTTP 503", newMentions: 0, nextPollAt: next, holder: "h:1")
    var state = try #require(try sources.sourceState(name: "shop"))
    #expect(state.health == .failing && state.failures == 2 && state.lastError == "HTTP 503")
    #expect(state.lastPollAt == TestStores.now && state.lastSuccessAt == nil && state.nextPollAt == next)
    let warning = SourceState.refusalWarning(count: 3, first: "feed.xml:4: no id")
    try sources.recordPoll(
      name: "shop", kind: "mastodon", error: nil, warning: warning, newMentions: 7, nextPollAt: next,
      holder: "h:1")
    state = try #require(try sources.sourceState(name: "shop"))
    #expect(state.health == .warning && state.failures == 0 && state.lastError == nil)
    #expect(state.warning == warning && state.refusedRecords == 3 && state.lastNew == 7)
    #expect(state.lastSuccessAt == TestStores.now)
    try sources.recordPoll(
      name: "shop", kind: "mastodon", error: nil, newMentions: 1, nextPollAt: next, holder: "h:1")
    state = try #require(try sources.sourceState(name: "shop"))
    #expect(state.health == .ok && state.warning == nil && state.lastNew == 1)
  }

  @Test(
    "a lease: one holder at a time, renewed by its holder, given back by its poll, taken when it ran out",
    arguments: TestStores.kinds)
  func leases(kind: StoreKind) throws {
    let store = try TestStore(kind)
    let sources = try store.as((any SourceStore).self)
    // Holders on another host are alive until their lease runs out.
    #expect(try sources.claimSource(name: "shop", kind: "feed", holder: "elsewhere:10", for: 600))
    #expect(try !sources.claimSource(name: "shop", kind: "feed", holder: "elsewhere:11", for: 600))
    #expect(try sources.claimSource(name: "shop", kind: "feed", holder: "elsewhere:10", for: 600))
    try sources.recordPoll(
      name: "shop", kind: "feed", error: nil, newMentions: 0, nextPollAt: TestStores.now,
      holder: "elsewhere:10")
    #expect(try sources.claimSource(name: "shop", kind: "feed", holder: "elsewhere:11", for: 0))
    // A lease of no time has run out at once: the next watcher takes it.
    #expect(try sources.claimSource(name: "shop", kind: "feed", holder: "elsewhere:12", for: 600))
    #expect(try sources.sourceState(name: "shop")?.kind == "feed")
  }

  @Test("a lease held by a process on this host that died is taken over", arguments: TestStores.kinds)
  func deadHolder(kind: StoreKind) throws {
    let store = try TestStore(kind)
    let sources = try store.as((any SourceStore).self)
    // pid 1 always runs.
    #expect(try sources.claimSource(name: "shop", kind: "mastodon", holder: "\(Self.host):1", for: 600))
    #expect(try !sources.claimSource(name: "shop", kind: "mastodon", holder: "\(Self.host):2", for: 600))
    let gone = Process()
    gone.executableURL = URL(fileURLWithPath: "/bin/true")
    try gone.run()
    gone.waitUntilExit()
    #expect(
      try sources.claimSource(
        name: "bsky", kind: "bluesky", holder: "\(Self.host):\(gone.processIdentifier)", for: 600))
    #expect(try sources.claimSource(name: "bsky", kind: "bluesky", holder: "\(Self.host):1", for: 600))
  }

  @Test("two watchers claiming one source at once on two handles: one polls it", arguments: TestStores.kinds)
  func claimRace(kind: StoreKind) throws {
    let store = try TestStore(kind)
    let sources = try store.as((any SourceStore).self)
    let other = try secondHandle(store) as! any SourceStore
    for round in 0..<3 {
      let name = "source-\(round)"
      let outcomes = try raceHeldBack(
        store,
        { try sources.claimSource(name: name, kind: "feed", holder: "one:1", for: 600) },
        { try other.claimSource(name: name, kind: "feed", holder: "two:2", for: 600) })
      #expect(try outcomes.map { try $0.get() }.filter { $0 }.count == 1, "round \(round)")
    }
  }

  @Test(
    "a page and its cursor are stored together; an empty page moves the cursor", arguments: TestStores.kinds)
  func ingestWithCursor(kind: StoreKind) throws {
    let store = try TestStore(kind)
    let sources = try store.as((any SourceStore & MentionStore).self)
    let page = [
      incoming("1", text: "Is the shop open on Sunday?"), incoming("2", text: "Where is my parcel?"),
    ]
    let counts = try sources.ingest(
      page, annotations: page.map(defaultAnnotator.annotate), actor: "watch",
      cursor: SourceCursor(source: "shop", kind: "mastodon", cursor: "c1"), contextOnly: false, rules: nil)
    #expect(counts.new == 2)
    #expect(try sources.mentionCount() == 2)
    #expect(try sources.sourceState(name: "shop")?.cursor == "c1")
    let none = try sources.ingest(
      [], annotations: [], actor: "watch",
      cursor: SourceCursor(source: "shop", kind: "mastodon", cursor: "c2"),
      contextOnly: false, rules: nil)
    #expect(none == IngestCounts())
    #expect(try sources.sourceState(name: "shop")?.cursor == "c2")
  }

  @Test(
    "a post stored as thread context is muted and marked so, until it arrives as a mention",
    arguments: TestStores.kinds)
  func contextOnly(kind: StoreKind) throws {
    let store = try TestStore(kind)
    let sources = try store.as((any SourceStore & MentionStore).self)
    let post = IncomingMention(
      platform: "bluesky", externalID: "at://a/app.bsky.feed.post/1", author: Author(handle: "a.bsky.social"),
      createdAt: TestStores.now.addingTimeInterval(-600), text: "Is the shop open on Sunday?",
      thread: "at://root",
      raw: "{}")
    let first = try sources.ingest(
      [post], annotations: [defaultAnnotator.annotate(post)], actor: "t", cursor: nil, contextOnly: true,
      rules: nil)
    #expect(first.new == 1 && first.muted == 1)
    let id = try #require(try storedID(store, platform: "bluesky", externalID: post.externalID))
    #expect(try sources.isContextOnly(mentionID: id))
    #expect(try sources.mention(id: id)?.muted == true)
    let again = try sources.ingest(
      [post], annotations: [defaultAnnotator.annotate(post)], actor: "t",
      cursor: SourceCursor(source: "bsky", kind: "bluesky", cursor: "c1"), contextOnly: false, rules: nil)
    #expect(again.duplicate == 1)
    #expect(try !sources.isContextOnly(mentionID: id))
    #expect(try sources.mention(id: id)?.muted == false)
    #expect(try sources.sourceState(name: "bsky")?.cursor == "c1")
  }

  @Test(
    "a thread learnt later links posts stored before; the ones whose thread is due are found, once fetched not again",
    arguments: TestStores.kinds)
  func threads(kind: StoreKind) throws {
    let store = try TestStore(kind)
    let sources = try store.as((any SourceStore & MentionStore).self)
    let reply = IncomingMention(
      platform: "bluesky", externalID: "reply", author: Author(handle: "a.bsky.social"),
      createdAt: TestStores.now.addingTimeInterval(-600), text: "Still waiting for my refund.", raw: "{}")
    let alone = IncomingMention(
      platform: "bluesky", externalID: "alone", author: Author(handle: "b.bsky.social"),
      createdAt: TestStores.now.addingTimeInterval(-300), text: "Where is my parcel?", raw: "{}")
    _ = try sources.ingest(
      [reply, alone], annotations: [reply, alone].map(defaultAnnotator.annotate), actor: "t", cursor: nil,
      contextOnly: false, rules: nil)
    #expect(
      try sources.mentionsNeedingThread(
        platform: "bluesky", before: TestStores.now, since: .distantPast, limit: 10
      ).isEmpty)
    // The same post seen again with its place in a thread.
    var threaded = reply
    threaded.thread = "root"
    threaded.inReplyTo = "root"
    _ = try sources.ingest(
      [threaded], annotations: [defaultAnnotator.annotate(threaded)], actor: "t", cursor: nil,
      contextOnly: false,
      rules: nil)
    let ids = try storedIDs(sources)
    let linked = try #require(try sources.mention(id: ids["reply"]!))
    #expect(linked.thread == "root" && linked.inReplyTo == "root")
    let due = try sources.mentionsNeedingThread(
      platform: "bluesky", before: TestStores.now, since: .distantPast, limit: 10)
    #expect(due.map(\.externalID) == ["reply"])
    #expect(due.first == linked)
    try sources.recordThreadFetch(mentionID: ids["reply"]!, posts: 3)
    #expect(
      try sources.mentionsNeedingThread(
        platform: "bluesky", before: TestStores.now, since: .distantPast, limit: 10
      ).isEmpty)
    let later = TestStores.now.addingTimeInterval(60)
    #expect(
      try sources.mentionsNeedingThread(platform: "bluesky", before: later, since: .distantPast, limit: 10)
        .count == 1)
    #expect(
      try sources.mentionsNeedingThread(platform: "mastodon", before: later, since: .distantPast, limit: 10)
        .isEmpty)
    #expect(try !sources.isContextOnly(mentionID: 999))
  }
}

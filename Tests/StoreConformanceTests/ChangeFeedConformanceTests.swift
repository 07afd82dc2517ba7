import Foundation
import Inbox
import Policy
import Testing

/// The change feed on both stores (issue 17): which mentions changed after a mark, whether new ones
/// arrived, and whether a changed or new mention can reach an inbox's window.
@Suite struct ChangeFeedConformanceTests {
  let now = TestStores.now

  typealias Feed = any ChangeFeedStore & QueueStore & ActionStore & OutboxStore & EscalationStore

  func ingest(_ s: Feed, _ ids: Range<Int>, platform: String = "mastodon") throws {
    _ = try s.ingest(
      ids.map { k in
        IncomingMention(
          platform: platform, externalID: "m\(k)", author: Author(handle: "@user\(k)@example.social"),
          createdAt: now, text: "My parcel is still not here (\(k)), and nobody answers my emails.",
          lang: "en", raw: "{}")
      }, actor: "t", annotator: PolicyAnnotator(policy: .default))
  }

  func id(_ s: Feed, _ k: Int) throws -> Int64 {
    try #require(try s.mentionID(platform: "mastodon", externalID: "m\(k)"))
  }

  @Test("the feed names the mentions changed since a mark", arguments: TestStores.kinds)
  func namesTheChangedMentions(kind: StoreKind) throws {
    let store = try TestStore(kind)
    let s = try store.as(Feed.self)
    // An empty store: a mark all the same, and nothing after it.
    let empty = try s.changedMentions(after: nil)
    #expect(empty.ids == nil && !empty.arrived)
    #expect(try s.changedMentions(after: empty.mark).ids == [])
    try ingest(s, 0..<3)
    let start = try s.changedMentions(after: nil)
    #expect(start.ids == nil)
    #expect(try s.changedMentions(after: start.mark).ids == [])
    let id = try id(s, 1)
    _ = try s.toggleClaim(id: id, actor: "anna")
    let claimed = try s.changedMentions(after: start.mark)
    #expect(claimed.ids == [id])
    #expect(!claimed.arrived)
    try s.saveDraft(mentionID: id, author: "anna", kind: .reply, text: "Sorry!")
    #expect(try s.changedMentions(after: claimed.mark).ids == [id])
    let drafted = try s.changedMentions(after: nil).mark
    try s.discardDraft(mentionID: id, author: "anna")
    let discarded = try s.changedMentions(after: drafted)
    #expect(discarded.ids == [id])
    // An event on its own (a note) names its mention; two changes of one mention name it once.
    let other = try self.id(s, 2)
    _ = try s.addNote(mentionID: other, text: "called them", actor: "anna")
    _ = try s.escalate(mentionID: other, reason: "legal", note: "threatens to sue", actor: "anna")
    #expect(try s.changedMentions(after: discarded.mark).ids == [other])
    #expect(try s.changedMentions(after: drafted).ids == [id, other])
    // New mentions are the ids above the newest seen, not entries of the feed.
    let before = try s.changedMentions(after: nil).mark
    try ingest(s, 3..<4)
    let arrived = try s.changedMentions(after: before)
    #expect(arrived.arrived)
    #expect(arrived.ids == [])
    #expect(arrived.mark.newestMention == (try self.id(s, 3)))
    // An index catching up changes nothing an inbox shows.
    _ = try s.indexSearch()
    let indexed = try s.changedMentions(after: arrived.mark)
    #expect(indexed.ids == [])
    #expect(!indexed.arrived)
  }

  @Test(
    "a mark ahead of the feed (a restored copy) means anything may have changed", arguments: TestStores.kinds)
  func aMarkAheadOfTheFeed(kind: StoreKind) throws {
    let store = try TestStore(kind)
    let s = try store.as(Feed.self)
    try ingest(s, 0..<2)
    _ = try s.toggleClaim(id: try id(s, 0), actor: "anna")
    var ahead = try s.changedMentions(after: nil).mark
    ahead.seq += 1_000_000
    let read = try s.changedMentions(after: ahead)
    #expect(read.ids == nil)
    #expect(read.mark.seq < ahead.seq)
  }

  @Test("a change reaches a window only when it sorts into it", arguments: TestStores.kinds)
  func reachesOnlyItsWindow(kind: StoreKind) throws {
    let store = try TestStore(kind)
    let s = try store.as(Feed.self)
    try ingest(s, 0..<30)
    let window = try s.queue(QueueFilter(), limit: 10, offset: 0, now: now)
    let last = try #require(window.last).mention.id
    let below = try s.queue(QueueFilter(), limit: 5, offset: 20, now: now).map(\.mention.id)
    // A row further down that changed, and stays there: the window is not touched.
    #expect(try !s.reachesWindow(ids: Set(below), newAbove: nil, anchor: last, QueueFilter(), now: now))
    #expect(
      try s.reachesWindow(ids: [window[3].mention.id], newAbove: nil, anchor: last, QueueFilter(), now: now))
    // The window's last row itself is in it.
    #expect(try s.reachesWindow(ids: [last], newAbove: nil, anchor: last, QueueFilter(), now: now))
    // Nothing asked about reaches nothing.
    #expect(try !s.reachesWindow(ids: [], newAbove: nil, anchor: last, QueueFilter(), now: now))
    // Under a platform filter, rows of another platform never reach it.
    let rss = QueueFilter(platforms: ["rss"])
    let newest = try s.newestMentionID()
    try ingest(s, 30..<32, platform: "mastodon")
    #expect(try !s.reachesWindow(ids: [], newAbove: newest, anchor: last, rss, now: now))
    // A window that holds the queue's end: only whether the rows match the filter at all.
    #expect(try !s.reachesWindow(ids: [], newAbove: newest, anchor: nil, rss, now: now))
    #expect(try s.reachesWindow(ids: [], newAbove: newest, anchor: nil, QueueFilter(), now: now))
    try ingest(s, 32..<33, platform: "rss")
    #expect(try s.reachesWindow(ids: [], newAbove: newest, anchor: nil, rss, now: now))
    // A search cannot be told from the rows: it always reloads.
    #expect(
      try s.reachesWindow(ids: [], newAbove: newest, anchor: last, QueueFilter(search: "parcel"), now: now))
  }

  @Test("a snoozed row or an anchor gone from the queue", arguments: TestStores.kinds)
  func asleepAndGoneAnchors(kind: StoreKind) throws {
    let store = try TestStore(kind)
    let s = try store.as(Feed.self)
    try ingest(s, 0..<6)
    let window = try s.queue(QueueFilter(), limit: 3, offset: 0, now: now).map(\.mention.id)
    let sleeper = window[1]
    try s.snooze(ids: [sleeper], until: now.addingTimeInterval(600), actor: "anna")
    // Asleep: out of the queue, so its change reaches no window, unless the filter wakes it.
    #expect(try !s.reachesWindow(ids: [sleeper], newAbove: nil, anchor: nil, QueueFilter(), now: now))
    let snoozed = QueueFilter(statuses: [.snoozed])
    #expect(snoozed.wakesSnoozed)
    #expect(try s.reachesWindow(ids: [sleeper], newAbove: nil, anchor: nil, snoozed, now: now))
    // An anchor that left the queue: the store cannot tell where the window ends.
    #expect(try s.reachesWindow(ids: [window[0]], newAbove: nil, anchor: sleeper, QueueFilter(), now: now))
    let gone = try s.newestMentionID() + 100
    #expect(try s.reachesWindow(ids: [window[0]], newAbove: nil, anchor: gone, QueueFilter(), now: now))
  }
}

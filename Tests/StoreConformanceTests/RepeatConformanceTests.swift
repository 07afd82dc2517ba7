import Foundation
import Inbox
import Policy
import Testing

/// Repeated posts folded (issue 16) on both stores: what `QueueStore.repeats(of:)` lists, a
/// repeat of a post already answered, and what the first post's actions do to its repeats. (The
/// folding itself, rows and events, is in `IngestArrivalConformanceTests`.)
@Suite struct RepeatConformanceTests {
  typealias Post = IngestArrivalConformanceTests
  static let complaint =
    "Mijn trein is alweer geannuleerd en niemand weet iets, echt belachelijk slecht geregeld."

  func id(_ store: TestStore, _ external: String) throws -> Int64 {
    try #require(try storedID(store, platform: "mastodon", externalID: external))
  }

  @Test(
    "three identical posts in the window: the first lists its two repeats, oldest first",
    arguments: TestStores.kinds)
  func listed(_ kind: StoreKind) throws {
    let store = try Post.store(kind)
    let s = try store.as((any MentionStore & QueueStore).self)
    let counts = try s.ingest(
      [
        Post.post("1", minutesAgo: 60),
        Post.post(
          "2", minutesAgo: 40,
          "trein 8:12 naar   utrecht staat al 20 minuten stil. niemand zegt iets! https://t.co/abc"),
        Post.post("3", minutesAgo: 20),
        Post.post("other", "iemand", minutesAgo: 10),
      ], actor: "test", annotator: defaultAnnotator)
    #expect(counts.new == 4 && counts.folded == 2)
    let first = try id(store, "1")
    let queue = try s.queue(QueueFilter(), limit: 10, offset: 0, now: TestStores.now)
    #expect(queue.map(\.mention.externalID).sorted() == ["1", "other"])
    #expect(queue.first { $0.mention.id == first }?.mention.repeats == 2)
    #expect(try s.repeats(of: first) == [try id(store, "2"), try id(store, "3")])
    #expect(try s.repeats(of: try id(store, "other")) == [])
    #expect(try s.repeats(of: 999_999) == [])
  }

  @Test("a repeat of a post the team already answered is a new row", arguments: TestStores.kinds)
  func afterAnswer(_ kind: StoreKind) throws {
    let store = try Post.store(kind)
    let s = try store.as((any MentionStore & ActionStore & QueueStore).self)
    _ = try s.ingest([Post.post("1", minutesAgo: 60)], actor: "test", annotator: nil)
    try s.markReplied(ids: [try id(store, "1")], actor: "Anna")
    _ = try s.ingest([Post.post("2", minutesAgo: 30)], actor: "test", annotator: nil)
    #expect(try s.mention(id: try id(store, "2"))?.repeatOf == nil)
    #expect(try s.repeats(of: try id(store, "1")) == [])
  }

  @Test(
    "one reply on the row closes every repeat in the same transaction, each with its own event",
    arguments: TestStores.kinds)
  func answeredOnce(_ kind: StoreKind) throws {
    let store = try Post.store(kind)
    let s = try store.as((any MentionStore & OutboxStore & QueueStore).self)
    _ = try s.ingest(
      [Post.post("1", minutesAgo: 60), Post.post("2", minutesAgo: 40), Post.post("3", minutesAgo: 20)],
      actor: "test", annotator: defaultAnnotator)
    let first = try id(store, "1")
    try s.enqueueReply(
      mentionID: first, responder: "Anna", kind: .reply, text: "Sorry voor het wachten! – Anna",
      policy: .default)
    for external in ["2", "3"] {
      let repeatID = try id(store, external)
      #expect(try s.mention(id: repeatID)?.status == .replied)
      let events = try s.events(mentionID: repeatID).filter { $0.action == "answered_with" }
      #expect(events.count == 1 && events.first?.detail == #"{"with":\#(first)}"#)
    }
    #expect(try s.outbox(mentionID: try id(store, "2")).isEmpty)
    #expect(try s.outbox(mentionID: first).count == 1)
  }

  @Test(
    "closed and reopened with their first post, the repeats stay folded: the queue holds the first",
    arguments: TestStores.kinds)
  func reopenedStayFolded(_ kind: StoreKind) throws {
    let store = try Post.store(kind)
    let s = try store.as((any MentionStore & ActionStore & QueueStore).self)
    _ = try s.ingest(
      [Post.post("1", minutesAgo: 60), Post.post("2", minutesAgo: 40)], actor: "test", annotator: nil)
    let first = try id(store, "1")
    try s.decideNoReply(ids: [first], reason: "vent", policy: .default, actor: "Anna")
    try s.reopen(ids: [first], actor: "Bram")
    #expect(try s.mention(id: try id(store, "2"))?.status == .open)
    let queue = try s.queue(QueueFilter(), limit: 10, offset: 0, now: TestStores.now)
    #expect(queue.map(\.mention.id) == [first])
  }

  @Test(
    "a first post and its folded repeats are one earlier complaint, for the advice and the rule",
    arguments: TestStores.kinds)
  func foldedRepeatsCountOnce(_ kind: StoreKind) throws {
    let store = try Post.store(kind)
    let s = try store.as((any MentionStore & QueueStore).self)
    // One complaint posted three times (folded), then another complaint later the same day.
    _ = try s.ingest(
      [
        Post.post("1", minutesAgo: 300, Self.complaint),
        Post.post("2", minutesAgo: 290, Self.complaint),
        Post.post("3", minutesAgo: 280, Self.complaint),
      ], actor: "test", annotator: defaultAnnotator)
    #expect(try s.repeats(of: try id(store, "1")).count == 2)
    let other = "Weer vertraging, alweer geannuleerd, echt belachelijk slecht. Niemand zegt iets."
    _ = try s.ingest([Post.post("4", minutesAgo: 10, other)], actor: "test", annotator: defaultAnnotator)
    let last = try #require(try s.mention(id: try id(store, "4")))
    #expect(last.category == .complaint && last.repeatOf == nil)
    // The author's record: three earlier posts, one earlier complaint (not three).
    let record = try s.author(of: last)
    #expect(record.earlierCount == 3)
    #expect(record.earlierComplaints == 1)
    // Two distinct complaints: under the default rule's three, no repeat complainer.
    #expect(try !s.escalations(mentionID: last.id).map(\.reason).contains("repeat_complainer"))
    // A third distinct complaint is one.
    _ = try s.ingest(
      [Post.post("5", minutesAgo: 5, "Alweer geannuleerd?! Belachelijk, ik ben het zat.")], actor: "test",
      annotator: defaultAnnotator)
    let third = try #require(try s.mention(id: try id(store, "5")))
    #expect(third.category == .complaint)
    #expect(try s.escalations(mentionID: third.id).map(\.reason).contains("repeat_complainer"))
  }
}

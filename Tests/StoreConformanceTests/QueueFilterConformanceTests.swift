import Foundation
import Inbox
import Policy
import Testing

/// Each of issue 16's filter words narrows the queue and its count alike, on both stores, and
/// `status:snoozed` lists the snoozed mentions still asleep, which the queue otherwise hides.
@Suite struct QueueFilterConformanceTests {
  let now = TestStores.now

  /// Eight mentions an hour apart (`m0` the newest): `m1` claimed by Anna, `m2` by Bob, `m3` in
  /// Dutch, `m4` escalated, `m5` by a watched author, `m6` snoozed for an hour, `m7` replied;
  /// `m0` assigned to Carla.
  func seeded(_ kind: StoreKind) throws -> (TestStore, [String: Int64]) {
    let store = try TestStore(kind)
    var batch: [IncomingMention] = []
    for i in 0..<8 {
      var m = IncomingMention(
        platform: "x", externalID: "m\(i)", author: Author(handle: "u\(i)"),
        createdAt: now.addingTimeInterval(-Double(i) * 3600), text: "tekst \(i)", raw: "{}")
      m.lang = i == 3 ? "nl" : "en"
      batch.append(m)
    }
    _ = try store.as((any QueueStore).self).ingest(batch, actor: "t", annotator: QueueAnnotator(windows: [:]))
    let ids = try store.ids((0..<8).map { "m\($0)" })
    let actions = QueueActions(store: store)
    try actions.claim(ids["m1"]!, by: "Anna")
    try actions.claim(ids["m2"]!, by: "Bob")
    try actions.escalate(ids["m4"]!)
    try actions.watch(ids["m5"]!)
    try actions.snooze(ids["m6"]!, until: now.addingTimeInterval(3600))
    try actions.markReplied(ids["m7"]!)
    try actions.assign(ids["m0"]!, to: "Carla")
    return (store, ids)
  }

  func listed(_ store: TestStore, _ filter: QueueFilter) throws -> Set<Int64> {
    let queue = try store.as((any QueueStore).self)
    let rows = Set(try queue.queue(filter, limit: 100, offset: 0, now: now).map(\.mention.id))
    #expect(try queue.queueCount(filter, now: now) == rows.count)
    return rows
  }

  @Test(arguments: TestStores.kinds)
  func eachWordNarrowsTheQueueAndItsCount(kind: StoreKind) throws {
    let (store, ids) = try seeded(kind)
    func only(_ names: String...) -> Set<Int64> { Set(names.map { ids[$0]! }) }
    var f = QueueFilter()
    f.claimants = ["Anna"]
    #expect(try listed(store, f) == only("m1"))
    f.claimants = ["Anna", "Bob"]
    #expect(try listed(store, f) == only("m1", "m2"))
    f = QueueFilter()
    f.unclaimed = true
    #expect(try listed(store, f) == only("m0", "m3", "m4", "m5", "m7"))
    f.claimants = ["Anna"]
    #expect(try listed(store, f) == only("m0", "m1", "m3", "m4", "m5", "m7"))
    f = QueueFilter()
    f.assignees = ["Carla"]
    #expect(try listed(store, f) == only("m0"))
    f.claimants = ["Bob"]
    #expect(try listed(store, f) == only("m0", "m2"))
    f = QueueFilter()
    f.languages = ["nl"]
    #expect(try listed(store, f) == only("m3"))
    f = QueueFilter()
    f.escalated = true
    #expect(try listed(store, f) == only("m4"))
    f = QueueFilter()
    f.watched = true
    #expect(try listed(store, f) == only("m5"))
    f = QueueFilter()
    f.since = now.addingTimeInterval(-2.5 * 3600)
    #expect(try listed(store, f) == only("m0", "m1", "m2"))
    f.until = now.addingTimeInterval(-0.5 * 3600)
    #expect(try listed(store, f) == only("m1", "m2"))
    #expect(try listed(store, QueueFilter(platforms: ["mastodon"])).isEmpty)
    #expect(try listed(store, QueueFilter(categories: [.praise])).count == 7)
    #expect(try listed(store, QueueFilter(categories: [.complaint])).isEmpty)
    #expect(try listed(store, QueueFilter(clocks: [ClockState.none])).count == 7)
    #expect(try listed(store, QueueFilter(clocks: [.overdue])).isEmpty)
  }

  @Test(arguments: TestStores.kinds)
  func statusWordsListClosedAndSleepingMentions(kind: StoreKind) throws {
    let (store, ids) = try seeded(kind)
    #expect(try !listed(store, QueueFilter()).contains(ids["m6"]!))
    #expect(try listed(store, QueueFilter(statuses: [.snoozed])) == [ids["m6"]!])
    #expect(try listed(store, QueueFilter(statuses: [.replied, .noReply])) == [ids["m7"]!])
    #expect(try listed(store, QueueFilter(statuses: [.open])).count == 6)
  }

  /// Overdue, due soon, on time and cooling on both stores, by the rules of `Deadlines.clock`.
  @Test(arguments: TestStores.kinds)
  func clockWords(kind: StoreKind) throws {
    let store = try TestStore(kind)
    let queue = try store.as((any QueueStore).self)
    let windows: [String: (Double, Double)?] = [
      "overdue": (0, 60),  // written 120 min ago: 60 min over
      "due-soon": (0, 125),  // 5 min left of 125
      "on-time": (0, 240),  // 120 min left of 240
      "cooling": (200, 300),
      "none": nil,
    ]
    _ = try queue.ingest(
      windows.keys.sorted().map {
        IncomingMention(
          platform: "x", externalID: $0, author: Author(handle: "a"),
          createdAt: now.addingTimeInterval(-7200),
          text: "t", raw: "{}")
      }, actor: "t", annotator: QueueAnnotator(windows: windows))
    let ids = try store.ids(windows.keys.sorted())
    for (clock, name) in [
      (ClockState.overdue, "overdue"), (.dueSoon, "due-soon"), (.onTime, "on-time"), (.cooling, "cooling"),
      (.none, "none"),
    ] {
      #expect(try listed(store, QueueFilter(clocks: [clock])) == [ids[name]!], "\(clock)")
    }
    #expect(
      try listed(store, QueueFilter(clocks: [.overdue, .dueSoon])) == [ids["overdue"]!, ids["due-soon"]!])
  }
}

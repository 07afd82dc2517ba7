import Foundation
import Inbox
import Policy
import Testing

/// The queue on both stores: its urgency order, windows by offset and by key, a mention's
/// position, the counts and the tally, the first unclaimed mention, arrivals.
@Suite struct QueueConformanceTests {
  let now = TestStores.now

  func mention(_ id: String, minutesAgo: Double) -> IncomingMention {
    IncomingMention(
      platform: "x", externalID: id, author: Author(handle: "a\(id)"),
      createdAt: now.addingTimeInterval(-minutesAgo * 60), text: "t \(id)", raw: "{}")
  }

  @Test("the queue runs overdue, then due, then cooling, then without a target", arguments: TestStores.kinds)
  func order(kind: StoreKind) throws {
    let store = try TestStore(kind)
    let queue = try store.as((any QueueStore).self)
    let annotator = QueueAnnotator(windows: [
      "overdue-most": (0, 10),  // written 120 min ago, target after 10: 110 min over
      "overdue-less": (0, 60),  // 60 min over
      "due-soon": (0, 65),  // 5 min left
      "on-time": (0, 180),  // 60 min left
      "cooling-long": (200, 300),  // may be answered in 80 min
      "cooling-short": (130, 300),  // may be answered in 10 min
      "praise-old": nil,
      "praise-new": nil,
      "muted": (0, 1),
    ])
    _ = try queue.ingest(
      [
        "praise-old", "on-time", "muted", "cooling-long", "overdue-less", "due-soon", "cooling-short",
        "overdue-most",
      ].map { mention($0, minutesAgo: 120) } + [mention("praise-new", minutesAgo: 5)],
      actor: "t", annotator: annotator)
    let expected = [
      "overdue-most", "overdue-less", "due-soon", "on-time", "cooling-short", "cooling-long", "praise-new",
      "praise-old",
    ]
    #expect(
      try queue.queue(QueueFilter(), limit: 100, offset: 0, now: now).map(\.mention.externalID) == expected)
    // Any window of the queue is the same slice of it, across segment boundaries.
    for offset in 0..<expected.count {
      for limit in 1...4 {
        let window = try queue.queue(QueueFilter(), limit: limit, offset: offset, now: now)
        #expect(
          window.map(\.mention.externalID) == Array(expected.dropFirst(offset).prefix(limit)),
          "offset \(offset) limit \(limit)")
      }
    }
    #expect(try queue.queue(QueueFilter(), limit: 0, offset: 0, now: now).isEmpty)
    #expect(try queue.queueCount(QueueFilter(), now: now) == expected.count)
    // The clock moves rows: two hours on, the cooling ones are answerable and the due ones overdue.
    let later = now.addingTimeInterval(2 * 3600)
    let moved = try queue.queue(QueueFilter(), limit: 100, offset: 0, now: later).map(\.mention.externalID)
    #expect(Array(moved.prefix(4)) == ["overdue-most", "overdue-less", "due-soon", "on-time"])
    #expect(Set(moved.prefix(6)) == Set(expected.prefix(6)))
  }

  /// 60 mentions over all three segments, with ties on the deadline, a muted one and a snoozed one.
  func seeded(_ kind: StoreKind) throws -> TestStore {
    let store = try TestStore(kind)
    var windows: [String: (Double, Double)?] = [:]
    var batch: [IncomingMention] = []
    for i in 0..<60 {
      let id = "m\(i)"
      switch i % 4 {
      case 0: windows[id] = (0, Double(30 + (i % 7) * 10))  // on the clock; deadlines tie
      case 1: windows[id] = (Double(200 + i), 400)  // still cooling
      case 2: windows[id] = nil  // no target
      default: windows[id] = (0, Double(i))  // overdue or soon
      }
      let word = i % 5 == 0 ? "vertraging" : "trein"
      batch.append(
        IncomingMention(
          platform: i % 3 == 0 ? "mastodon" : "x", externalID: id, author: Author(handle: "u\(i % 9)"),
          createdAt: now.addingTimeInterval(-Double(120 + (i % 11)) * 60), text: "\(word) nummer \(i)",
          raw: "{}"))
    }
    windows["muted"] = (0, 1)
    batch.append(
      IncomingMention(
        platform: "x", externalID: "muted", author: Author(handle: "noise"), createdAt: now, text: "trein",
        raw: "{}"))
    _ = try store.as((any QueueStore).self).ingest(
      batch, actor: "t", annotator: QueueAnnotator(windows: windows))
    let sleeper = try #require(try store.ids(["m5"])["m5"])
    try QueueActions(store: store).snooze(sleeper, until: now.addingTimeInterval(3600))
    return store
  }

  static let windowFilters = [
    QueueFilter(), QueueFilter(platforms: ["mastodon"]), QueueFilter(categories: [.complaint]),
    QueueFilter(clocks: [.overdue, .cooling]), QueueFilter(search: "trein"), QueueFilter(search: "vertr"),
  ]

  @Test(
    "walking by key, forwards and backwards, gives the queue by position",
    arguments: TestStores.kinds, windowFilters)
  func keysetMatchesOffsets(kind: StoreKind, query: QueueFilter) throws {
    let store = try seeded(kind)
    let queue = try store.as((any QueueStore).self)
    try queue.indexSearch()
    let expected = try queue.queue(query, limit: 1000, offset: 0, now: now).map(\.mention.id)
    #expect(expected.count > 3)
    #expect(try queue.queueCount(query, now: now) == expected.count)
    for limit in [1, 4, 7] {
      // Forwards from the top, each window after the last row of the one before.
      var walked = try queue.queue(query, limit: limit, offset: 0, now: now).map(\.mention.id)
      while let last = walked.last {
        let next = try #require(try queue.queue(query, anchor: .after(last), limit: limit, now: now))
        if next.isEmpty { break }
        walked += next.map(\.mention.id)
      }
      #expect(walked == expected, "forwards, limit \(limit)")
      // Backwards from the end.
      var back = try #require(try queue.queue(query, anchor: .end, limit: limit, now: now)).map(\.mention.id)
      while let first = back.first {
        let previous = try #require(try queue.queue(query, anchor: .before(first), limit: limit, now: now))
        if previous.isEmpty { break }
        back = previous.map(\.mention.id) + back
      }
      #expect(back == expected, "backwards, limit \(limit)")
    }
    // From any row, the row itself and what follows it; its position is its index.
    for (index, id) in expected.enumerated() {
      let from = try #require(try queue.queue(query, anchor: .from(id), limit: 3, now: now)).map(\.mention.id)
      #expect(from == Array(expected[index...].prefix(3)))
      #expect(try queue.queuePosition(of: id, query, now: now) == index)
    }
    // By offset, any window is the same slice.
    for offset in stride(from: 0, to: expected.count, by: 5) {
      #expect(
        try queue.queue(query, limit: 6, offset: offset, now: now).map(\.mention.id)
          == Array(expected.dropFirst(offset).prefix(6)))
    }
  }

  @Test(
    "an anchor that left the queue still marks its place; a deleted one gives nil",
    arguments: TestStores.kinds)
  func anchors(kind: StoreKind) throws {
    let store = try seeded(kind)
    let queue = try store.as((any QueueStore).self)
    let order = try queue.queue(QueueFilter(), limit: 1000, offset: 0, now: now).map(\.mention.id)
    let gone = order[10]
    try QueueActions(store: store).decideNoReply(gone)
    let after = try queue.queue(QueueFilter(), limit: 1000, offset: 0, now: now).map(\.mention.id)
    // It moved to the no-target segment; the rows after it there follow it.
    let position = try #require(after.firstIndex(of: gone))
    let next = try #require(try queue.queue(QueueFilter(), anchor: .after(gone), limit: 2, now: now))
    #expect(next.map(\.mention.id) == Array(after[(position + 1)...].prefix(2)))
    #expect(try queue.queue(QueueFilter(), anchor: .after(999_999), limit: 2, now: now) == nil)
    #expect(try queue.queue(QueueFilter(), anchor: .after(gone), limit: 0, now: now) == [])
    // Not in the queue: muted, asleep, unknown, outside the filter.
    let ids = try store.ids(["muted", "m5", "m1"])
    #expect(try queue.queuePosition(of: ids["muted"]!, QueueFilter(), now: now) == nil)
    #expect(try queue.queuePosition(of: ids["m5"]!, QueueFilter(), now: now) == nil)
    #expect(try queue.queuePosition(of: 999_999, QueueFilter(), now: now) == nil)
    #expect(try queue.queuePosition(of: ids["m1"]!, QueueFilter(platforms: ["mastodon"]), now: now) == nil)
  }

  @Test("the tally counts statuses and clocks without the muted ones", arguments: TestStores.kinds)
  func tally(kind: StoreKind) throws {
    let store = try seeded(kind)
    let queue = try store.as((any QueueStore).self)
    let tally = try queue.tally(now: now)
    #expect(tally.total == 60)
    #expect(tally.byStatus[.open] == 59)
    #expect(tally.byStatus[.snoozed] == 1)
    #expect(tally.byStatus.values.reduce(0, +) == tally.total)
    // Cooling: every fourth (the snoozed one too); overdue: two in four; the rest has no target.
    #expect(tally.byClock[.cooling] == 15)
    #expect(tally.byClock[.overdue] == 30)
    let later = try queue.tally(now: now.addingTimeInterval(24 * 3600))
    #expect(later.byClock[.cooling] == 0)
    #expect(later.byClock[.overdue] == 45)
    try QueueActions(store: store).markReplied(try #require(try store.ids(["m7"])["m7"]))
    let replied = try queue.tally(now: now)
    #expect(replied.byStatus[.replied] == 1 && replied.byStatus[.open] == 58)
    #expect(replied.byClock[.overdue] == 29)
  }

  @Test("the first unclaimed open mention, its offset, and arrivals after an id", arguments: TestStores.kinds)
  func firstUnclaimedAndArrivals(kind: StoreKind) throws {
    let store = try seeded(kind)
    let queue = try store.as((any QueueStore).self)
    let actions = QueueActions(store: store)
    let order = try queue.queue(QueueFilter(), limit: 1000, offset: 0, now: now).map(\.mention.id)
    #expect(try queue.firstUnclaimed(QueueFilter(), now: now)?.id == order[0])
    try actions.claim(order[0], by: "anna")
    try actions.markReplied(order[1])
    let first = try #require(try queue.firstUnclaimed(QueueFilter(), now: now))
    let reordered = try queue.queue(QueueFilter(), limit: 1000, offset: 0, now: now).map(\.mention.id)
    #expect(first.id == reordered[first.offset])
    #expect(first.id == order[2])
    #expect(try queue.firstUnclaimed(QueueFilter(platforms: ["nowhere"]), now: now) == nil)
    // Arrivals: the newest id, and how many queue mentions (not muted) came after an id.
    let newest = try queue.newestMentionID()
    let onX = try store.ids((0..<60).filter { $0 % 3 != 0 }.map { "m\($0)" } + ["muted"])
    let onMastodon = try store.ids((0..<60).filter { $0 % 3 == 0 }.map { "m\($0)" }, platform: "mastodon")
    #expect(newest == (Array(onX.values) + onMastodon.values).max())
    let mark = try queue.contentMark()
    _ = try queue.ingest(
      [mention("late-1", minutesAgo: 1), mention("late-2", minutesAgo: 1)], actor: "t",
      annotator: QueueAnnotator(windows: [:]))
    #expect(try queue.arrivals(after: newest) == 2)
    #expect(try queue.arrivals(after: try queue.newestMentionID()) == 0)
    #expect(try queue.newestMentionID() > newest)
    let moved = try queue.contentMark()
    #expect(moved != mark && moved.count == mark.count)
    try actions.note(order[3], "kijk even")
    #expect(try queue.contentMark() != moved)
  }
}

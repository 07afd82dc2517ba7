import Foundation
import Inbox
import Policy
import Testing

@testable import ServerStore

/// `report` and the supervisor's figures and boards on both stores (issue 17's rule: read from a
/// summary kept at write time): the figures equal the scan they replace (`FiguresByScan`) at any
/// moment and for any period, after ingest and after the team's actions. Moved from
/// `StoreTests/FigureSummaryTests` and `StoreTests/FiguresForgetTests`; the summary's own rows
/// against a recount stay with each store's internals.
@Suite struct FigureConformanceTests {
  let start = RFC3339.parse("2026-11-20T00:00:00Z")!

  var policy: PolicyConfig {
    var p = PolicyConfig.default
    p.serviceHours = nil
    p.windows[.complaint]?.followUp = .seconds(10 * 60)
    p.holdingFollowUp = .seconds(4 * 3600)
    p.holdingFollowUpInServiceHours = false
    return p
  }

  static let texts = [
    "My parcel is still not here, third week, and nobody answers my emails.",
    "Hoe laat vertrekt de eerste trein naar Utrecht?",
    "Thanks, great service today!",
    "Is the app down? I cannot log in.",
  ]

  /// Mentions 37 minutes apart over ten days, of every kind, several authors, in batches.
  func fill(_ store: TestStore) throws {
    try withFigureHandle(store, at: start.addingTimeInterval(10 * 86_400)) { s in
      for batch in 0..<4 {
        _ = try s.ingest(
          (0..<100).map { i in
            let k = batch * 100 + i
            return IncomingMention(
              platform: k % 5 == 0 ? "rss" : "mastodon", externalID: "m\(k)",
              author: Author(handle: "@user\(k % 13)@example.social"),
              createdAt: start.addingTimeInterval(Double(k) * 37 * 60),
              text: Self.texts[k % Self.texts.count],
              lang: "en", raw: "{}")
          }, actor: "t", annotator: batch == 3 ? nil : PolicyAnnotator(policy: policy))
      }
    }
  }

  func id(_ s: FigureTestStore, _ k: Int) throws -> Int64 {
    try #require(try s.mentionID(platform: k % 5 == 0 ? "rss" : "mastodon", externalID: "m\(k)"))
  }

  /// What the team does, at times through the ten days: replies early and late, holding replies
  /// and the answers after them, no-reply decisions, a reopen, recategorising, snoozes, a mention
  /// marked replied elsewhere. (Erasure's muting and deleting are the summary's own tests.)
  func act(_ store: TestStore) throws {
    for k in stride(from: 0, to: 300, by: 7) {
      let at = start.addingTimeInterval(Double(k) * 37 * 60 + Double(k % 4) * 2400)
      try withFigureHandle(store, at: at) { s in
        let m = try id(s, k)
        switch k % 6 {
        case 0, 1:
          try s.enqueueReply(
            mentionID: m, responder: k % 2 == 0 ? "anna" : "bram", kind: .reply, text: "Sorry!",
            policy: policy)
        case 2:
          try s.enqueueReply(
            mentionID: m, responder: "anna", kind: .holding, text: "Looking into it.", policy: policy)
          if k % 4 == 0 {
            try withFigureHandle(store, at: at.addingTimeInterval(3 * 3600)) { later in
              _ = try later.enqueueReply(
                mentionID: m, responder: "bram", kind: .reply, text: "Found it.", policy: policy)
            }
          }
        case 3: try s.decideNoReply(ids: [m], reason: "duplicate", policy: policy, actor: "anna")
        case 4: try s.recategorise(ids: [m], to: .praise, policy: policy, actor: "anna")
        default: try s.snooze(ids: [m], until: at.addingTimeInterval(3600), actor: "anna")
        }
      }
    }
    try withFigureHandle(store, at: start.addingTimeInterval(10 * 86_400)) { late in
      try late.reopen(ids: [try id(late, 3 * 7 * 6 + 21)], actor: "anna")
      try late.markReplied(ids: [try id(late, 301), try id(late, 302)], actor: "cees")
    }
  }

  /// The figures from the summary against the scan, at moments through and after the ten days,
  /// for periods that start on the hour, within one, and before the first mention.
  /// Returns which parts of the figures were met (not only zeros).
  @discardableResult
  func expectFiguresAreTheScan(_ store: TestStore, _ comment: Comment) throws -> Set<String> {
    let s = try store.as(FigureTestStore.self)
    var seen: Set<String> = []
    for hours in [-30.0, 0.5, 24, 88, 97.25, 241, 260] {
      let now = start.addingTimeInterval(hours * 3600 + 17)
      for since in [
        now.addingTimeInterval(-7 * 86_400), start.addingTimeInterval(-86_400), now.addingTimeInterval(-5400),
      ] {
        let today = now.addingTimeInterval(-(hours.truncatingRemainder(dividingBy: 24)) * 3600)
        let summary = try s.teamFigures(now: now, today: today, since: since)
        let scan = try FiguresByScan.teamFigures(store, now: now, today: today, since: since)
        #expect(summary == scan, "\(comment) at \(hours) h since \(since)")
        let p = scan.period
        let f = scan.followUpPeriod
        let clocks = scan.open.values.reduce(into: [ClockState: Int]()) { $0.merge($1, uniquingKeysWith: +) }
        for (part, n) in [
          ("within", p.within), ("late", p.late), ("pending", p.pending), ("closed", p.closedWithoutReply),
          ("follow-up within", f.within), ("follow-up late", f.late), ("follow-up pending", f.pending),
          ("overdue", clocks[.overdue] ?? 0),
          ("on a clock ahead", (clocks[.onTime] ?? 0) + (clocks[.dueSoon] ?? 0) + (clocks[.cooling] ?? 0)),
          ("off the clock", clocks[ClockState.none] ?? 0),
        ] where n > 0 {
          seen.insert(part)
        }
      }
    }
    return seen
  }

  static let parts: Set = [
    "within", "late", "pending", "closed", "follow-up within", "follow-up late", "follow-up pending",
    "overdue", "on a clock ahead", "off the clock",
  ]

  @Test(arguments: TestStores.kinds)
  func theFiguresAreTheScanAfterIngestAndAMixedSequence(_ kind: StoreKind) throws {
    let store = try TestStore(kind)
    try fill(store)
    try expectFiguresAreTheScan(store, "after ingest")
    try act(store)
    let seen = try expectFiguresAreTheScan(store, "after the team's actions")
    #expect(seen == Self.parts)
  }

  /// Questions (target 1h by default, around the clock here) answered after 10, 20, 30, 40 and
  /// 90 minutes by Anna and Bram; one unanswered past its target, one still within it.
  @Test(arguments: TestStores.kinds)
  func medianAnd90thPercentilePerCategoryAndResponderAndTheShareWithinTarget(_ kind: StoreKind) throws {
    let now = RFC3339.parse("2026-03-02T10:00:00Z")!
    let store = try TestStore(kind, clock: .fixed(now))
    let s = try store.as(FigureTestStore.self)
    var policy = PolicyConfig.default
    policy.serviceHours = nil
    let arrivals = now.addingTimeInterval(-5 * 3600)
    func question(_ id: String, _ handle: String, at: Date) -> IncomingMention {
      IncomingMention(
        platform: "mastodon", externalID: id, author: Author(handle: handle), createdAt: at,
        text: "Hoe laat vertrekt de eerste trein naar Utrecht?", lang: "nl", raw: "{}")
    }
    let batch =
      (0..<5).map { question("q\($0)", "p\($0)", at: arrivals) } + [
        question("late", "x", at: now.addingTimeInterval(-180 * 60)),
        question("fresh", "y", at: now.addingTimeInterval(-5 * 60)),
      ]
    _ = try s.ingest(batch, actor: "test", annotator: PolicyAnnotator(policy: policy))
    for (i, minutes) in [10, 20, 30, 40, 90].enumerated() {
      let id = try #require(try s.mentionID(platform: "mastodon", externalID: "q\(i)"))
      try withFigureHandle(store, at: arrivals.addingTimeInterval(Double(minutes) * 60)) { responder in
        try responder.markReplied(ids: [id], actor: i < 3 ? "Anna" : "Bram")
      }
    }
    let f = try s.teamFigures(
      now: now, today: RFC3339.parse("2026-03-02T00:00:00Z")!, since: now.addingTimeInterval(-7 * 86_400))
    #expect(f.overall == ResponseTimes(count: 5, median: 1800, p90: 5400))
    #expect(f.byCategory[.question] == f.overall)
    #expect(f.byResponder["Anna"] == ResponseTimes(count: 3, median: 1200, p90: 1800))
    #expect(f.byResponder["Bram"] == ResponseTimes(count: 2, median: 3900, p90: 5400))
    #expect(f.shareByResponder["Anna"] == TargetShare(within: 3, late: 0))
    #expect(f.shareByResponder["Bram"] == TargetShare(within: 1, late: 1))
    // Four within the hour, one answered late, one unanswered past its target; one pending.
    #expect(f.today == TargetShare(within: 4, late: 2, pending: 1))
    #expect(f.week.share == 4.0 / 6.0)
    #expect(f.openCount(.question) == 2)
    #expect(f.open[.question]?[.overdue] == 1)
    #expect(f.hourly.count == 24)
    #expect(f.hourly.reduce(0, +) == 7)
    #expect(f.hourly.last == 1)
  }

  /// The overdue board: past their active target, most overdue first; not a mention still cooling
  /// off, not a muted one, not one answered. The holding board: holding replies waiting for their
  /// follow-up, soonest due first.
  @Test(arguments: TestStores.kinds)
  func theOverdueAndHoldingBoards(_ kind: StoreKind) throws {
    let store = try TestStore(kind)
    let s = try store.as(FigureTestStore.self)
    var policy = PolicyConfig.default
    policy.serviceHours = nil
    let now = TestStores.now
    _ = try s.ingest(
      [
        incoming("old", text: "Mijn pakket is al drie weken niet bezorgd!", handle: "a", minutesAgo: 30 * 60),
        incoming(
          "older", text: "Mijn pakket is al vier weken niet bezorgd!", handle: "b", minutesAgo: 40 * 60),
        incoming("new", text: "Mijn pakket is niet bezorgd", handle: "c", minutesAgo: 1),
        incoming("held", text: "Waar blijft mijn pakket?", handle: "d", minutesAgo: 20 * 60),
        incoming("held2", text: "Waar blijft mijn bestelling?", handle: "e", minutesAgo: 21 * 60),
      ], actor: "t", annotator: PolicyAnnotator(policy: policy))
    let ids = try ["old", "older", "new", "held", "held2"].map {
      try #require(try s.mentionID(platform: "x", externalID: $0))
    }
    try withFigureHandle(store, at: now.addingTimeInterval(-3600)) { earlier in
      _ = try earlier.enqueueReply(
        mentionID: ids[3], responder: "anna", kind: .holding, text: "We kijken ernaar", policy: policy)
    }
    _ = try s.enqueueReply(
      mentionID: ids[4], responder: "bram", kind: .holding, text: "We zoeken het uit", policy: policy)
    let overdue = try s.overdueBoard(now: now, limit: 100).map(\.mention.id)
    #expect(overdue == [ids[1], ids[0]])
    #expect(try s.overdueBoard(now: now, limit: 1).map(\.mention.id) == [ids[1]])
    let holding = try s.holdingBoard(limit: 100)
    #expect(holding.map(\.mention.id) == [ids[3], ids[4]])
    #expect(holding.allSatisfy { $0.mention.status == .holding })
    // A day later every one is overdue, the holding replies' follow-ups too, most overdue first.
    let later = try s.overdueBoard(now: now.addingTimeInterval(86_400), limit: 100).map(\.mention.id)
    #expect(Set(later) == Set(ids) && later.count == ids.count)
    #expect(Array(later.prefix(2)) == [ids[1], ids[0]])
  }

  /// The watched authors (S8): most recently active first, each with their latest mentions, how
  /// many they wrote, and how many posts of others react to them.
  @Test(arguments: TestStores.kinds)
  func theWatchedAuthorsWithTheirLatestMentionsAndTheReactions(_ kind: StoreKind) throws {
    let store = try TestStore(kind)
    let s = try store.as(FigureTestStore.self)
    var quiet = incoming("q1", text: "Eerste bericht", handle: "stil", minutesAgo: 50)
    quiet.thread = "t-q"
    var loud = [
      incoming("l1", text: "Ik ga hier een artikel over schrijven", handle: "luid", minutesAgo: 40),
      incoming("l2", text: "En nog een bericht", handle: "luid", minutesAgo: 20),
      incoming("l3", text: "En het derde", handle: "luid", minutesAgo: 10),
    ]
    loud[0].thread = "t-l"
    var reply = incoming("r1", text: "Klopt, bij mij ook", handle: "buur", minutesAgo: 35)
    reply.inReplyTo = "l1"
    var inThread = incoming("r2", text: "Zelfde hier", handle: "buur2", minutesAgo: 30)
    inThread.thread = "t-l"
    _ = try s.ingest([quiet] + loud + [reply, inThread], actor: "t", annotator: defaultAnnotator)
    #expect(try s.watchedAuthors(latest: 2, limit: 50).isEmpty)
    for external in ["q1", "l1"] {
      let id = try #require(try s.mentionID(platform: "x", externalID: external))
      #expect(try s.setWatched(mentionID: id, watching: true, actor: "carmen"))
    }
    let watched = try s.watchedAuthors(latest: 2, limit: 50)
    #expect(watched.map(\.author.handle) == ["luid", "stil"])
    #expect(watched.map(\.mentionCount) == [3, 1])
    #expect(watched.map(\.reactions) == [2, 0])
    #expect(watched[0].latest.map(\.externalID) == ["l3", "l2"])
    #expect(
      watched[0].platform == "x" && watched[0].watchedBy == "carmen" && watched[0].since == TestStores.now)
    #expect(try s.watchedAuthors(latest: 1, limit: 1).map { $0.latest.map(\.externalID) } == [["l3"]])
  }
}

/// What the figure tests ask of a store.
typealias FigureTestStore = any MentionStore & QueueStore & ActionStore & OutboxStore & EscalationStore

/// Runs `body` on another handle on the same store, on a clock pinned at `at` (a person acting at
/// that moment), closed after.
func withFigureHandle<T>(_ store: TestStore, at: Date, _ body: (FigureTestStore) throws -> T) throws -> T {
  let handle = try store.secondHandle(clock: .fixed(at))
  defer { (handle as? ServerStore)?.close() }
  return try body(try #require(handle as? FigureTestStore))
}

import Foundation
import Inbox
import Policy
import Testing

@testable import Store

/// S10: a replied complaint whose personal follow-up is pending is back on the clock, in the
/// urgency order by its follow-up target, until a follow-up reply, a no-reply decision or a reopen.
@Suite struct FollowUpTests {
  let now = Date(timeIntervalSince1970: 1_795_512_600)

  /// Wall-clock windows; a complaint's follow-up is due 10 minutes after the first response.
  var policy: PolicyConfig {
    var p = PolicyConfig.default
    p.serviceHours = nil
    p.windows[.complaint]?.followUp = .seconds(10 * 60)
    return p
  }

  func mention(_ id: String, minutesAgo: Double, _ text: String) -> IncomingMention {
    IncomingMention(
      platform: "mastodon", externalID: id, author: Author(handle: "@a\(id)@example.social"),
      createdAt: now.addingTimeInterval(-minutesAgo * 60), text: text, lang: "en", raw: "{}")
  }

  /// "answered" and "open" are complaints of 30 minutes ago (first response due in 30 minutes),
  /// "fresh" one of 2 minutes ago (still cooling), "praise" needs no reply.
  func store(_ dir: TempFolder) throws -> (SQLiteStore, [String: Int64]) {
    let store = try SQLiteStore(path: dir.path + "/s.sqlite", clock: .fixed(now))
    let complaint = "My parcel is still not here, third week, and nobody answers my emails."
    _ = try store.ingest(
      [
        mention("open", minutesAgo: 30, complaint), mention("answered", minutesAgo: 30, complaint),
        mention("fresh", minutesAgo: 2, complaint),
        mention("praise", minutesAgo: 1, "Thank you for the friendly help at the counter, great service!"),
      ], actor: "t", annotator: PolicyAnnotator(policy: policy))
    var ids: [String: Int64] = [:]
    for name in ["answered", "open", "fresh", "praise"] {
      let id = try #require(try store.mentionID(platform: "mastodon", externalID: name))
      ids[name] = id
    }
    #expect(try store.mention(id: ids["answered"]!)?.category == .complaint)
    #expect(try store.mention(id: ids["praise"]!)?.category == .praise)
    return (store, ids)
  }

  func order(_ store: SQLiteStore, _ query: QueueFilter = QueueFilter(), at time: Date) throws -> [String] {
    try store.queue(query, limit: 50, offset: 0, now: time).map(\.mention.externalID)
  }

  @Test func aRepliedComplaintSitsInTheUrgencyOrderByItsFollowUpTarget() throws {
    let dir = TempFolder()
    let (store, ids) = try store(dir)
    #expect(try order(store, at: now) == ["open", "answered", "fresh", "praise"])
    try store.enqueueReply(
      mentionID: ids["answered"]!, responder: "anna", kind: .reply, text: "So sorry! – Anna", policy: policy)
    let m = try #require(try store.mention(id: ids["answered"]!))
    #expect(m.status == .replied)
    #expect(m.followUpPending)
    #expect(m.nextDeadline == now.addingTimeInterval(600))
    #expect(m.clock(now: now) == .onTime)
    // The follow-up (due in 10 min) comes before the open complaint (due in 30 min).
    #expect(try order(store, at: now) == ["answered", "open", "fresh", "praise"])
    // Keyset windows agree with the offset ones.
    let after = try #require(
      try store.queue(QueueFilter(), anchor: .after(ids["answered"]!), limit: 10, now: now))
    #expect(after.map(\.mention.externalID) == ["open", "fresh", "praise"])
    // Its clock is on time, then due soon, then overdue, in the filters and counts too.
    #expect(try order(store, QueueFilter(clocks: [.onTime]), at: now) == ["answered", "open"])
    let soon = now.addingTimeInterval(9 * 60)
    #expect(m.clock(now: soon) == .dueSoon)
    #expect(try order(store, QueueFilter(clocks: [.dueSoon]), at: soon) == ["answered"])
    let later = now.addingTimeInterval(20 * 60)
    #expect(try order(store, QueueFilter(clocks: [.overdue]), at: later) == ["answered"])
    #expect(try store.queueCount(QueueFilter(statuses: [.replied]), now: later) == 1)
    #expect(try store.tally(now: later).byClock[.overdue] == 1)
    #expect(try store.overdueCount(now: later) == 1)
  }

  @Test func aReplyDuringTheCoolingOffEndsIt() throws {
    let dir = TempFolder()
    let (store, ids) = try store(dir)
    #expect(try order(store, QueueFilter(clocks: [.cooling]), at: now) == ["fresh"])
    try store.enqueueReply(
      mentionID: ids["fresh"]!, responder: "anna", kind: .reply, text: "So sorry! – Anna", policy: policy)
    // On the follow-up's clock, not in the cooling segment (S11 ends with the answer).
    #expect(try order(store, QueueFilter(clocks: [.cooling]), at: now).isEmpty)
    #expect(try order(store, at: now) == ["fresh", "open", "answered", "praise"])
    #expect(try store.tally(now: now).byClock[.cooling] == 0)
  }

  @Test func aFollowUpReplyANoReplyDecisionOrAReopenClearsIt() throws {
    let dir = TempFolder()
    let (store, ids) = try store(dir)
    for name in ["answered", "open", "fresh"] {
      try store.enqueueReply(
        mentionID: ids[name]!, responder: "anna", kind: .reply, text: "So sorry! – Anna", policy: policy)
    }
    // A follow-up reply fulfils it.
    try store.enqueueReply(
      mentionID: ids["answered"]!, responder: "bram", kind: .followUp, text: "Did it arrive? – Bram",
      policy: policy)
    let fulfilled = try #require(try store.mention(id: ids["answered"]!))
    #expect(!fulfilled.followUpPending && fulfilled.nextDeadline == nil)
    // Deciding against a further reply (x) clears it, with the reason.
    try store.decideNoReply(ids: [ids["open"]!], reason: "handled offline", policy: policy, actor: "anna")
    let decided = try #require(try store.mention(id: ids["open"]!))
    #expect(decided.status == .noReply && decided.deadlines.followUp == nil)
    // A reopen puts it back on the first-response clock; the next answer starts a new follow-up.
    try store.reopen(ids: [ids["fresh"]!], actor: "anna")
    let reopened = try #require(try store.mention(id: ids["fresh"]!))
    #expect(reopened.status == .open && reopened.deadlines.followUp == nil)
    #expect(reopened.nextDeadline == reopened.deadlines.firstResponse)
    #expect(try order(store, at: now) == ["fresh", "praise", "answered", "open"])
  }

  @Test func migrationV13PutsAStoredFollowUpOnTheClock() throws {
    let dir = TempFolder()
    let (store, ids) = try store(dir)
    let id = ids["fresh"]!
    try store.enqueueReply(
      mentionID: id, responder: "anna", kind: .reply, text: "So sorry! – Anna", policy: policy)
    // As a store written before v13 left it: replied, the follow-up recorded but off the clock,
    // and the cooling-off still running after the answer.
    try store.pool.write { db in
      try db.execute(
        sql: "UPDATE mentions SET due_at = NULL, earliest_reply_at = ? WHERE id = ?",
        arguments: [now.addingTimeInterval(480).epochMilliseconds, id])
      try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v13-follow-up'")
    }
    #expect(try order(store, at: now).last == "fresh")
    let reopened = try SQLiteStore(path: dir.path + "/s.sqlite", mode: .existing, clock: .fixed(now))
    let m = try #require(try reopened.mention(id: id))
    #expect(m.nextDeadline == now.addingTimeInterval(600))
    #expect(m.deadlines.earliestReply == now)
    #expect(try order(reopened, at: now).first == "fresh")
  }

  @Test func aSnoozedFollowUpWakesOnItsClock() throws {
    let dir = TempFolder()
    let (store, ids) = try store(dir)
    let id = ids["answered"]!
    try store.enqueueReply(
      mentionID: id, responder: "anna", kind: .reply, text: "So sorry! – Anna", policy: policy)
    try store.snooze(ids: [id], until: now.addingTimeInterval(300), actor: "anna")
    #expect(try order(store, at: now) == ["open", "fresh", "praise"])
    #expect(try store.wakeSnoozed(now: now.addingTimeInterval(300)) == 1)
    let woken = try #require(try store.mention(id: id))
    #expect(woken.status == .replied && woken.nextDeadline == now.addingTimeInterval(600))
    #expect(try order(store, at: now.addingTimeInterval(300)).first == "answered")
  }

  @Test func reJudgingKeepsAPendingFollowUpRight() throws {
    let dir = TempFolder()
    let (store, ids) = try store(dir)
    for name in ["answered", "open"] {
      try store.enqueueReply(
        mentionID: ids[name]!, responder: "anna", kind: .reply, text: "So sorry! – Anna", policy: policy)
    }
    try store.enqueueReply(
      mentionID: ids["open"]!, responder: "anna", kind: .followUp, text: "All good now? – Anna",
      policy: policy)
    // A policy with a 2 h follow-up: the pending one is counted again from the answer.
    var longer = policy
    longer.windows[.complaint]?.followUp = .seconds(2 * 3600)
    let result = try store.applyPolicy(
      source: PolicyFile.render(longer), actor: "carmen", annotator: PolicyAnnotator(policy: longer))
    #expect(result.recomputed == 3)  // "fresh" and "praise" are open; "answered" waits for its follow-up
    let rejudged = try #require(try store.mention(id: ids["answered"]!))
    #expect(rejudged.status == .replied && rejudged.nextDeadline == now.addingTimeInterval(7200))
    // The fulfilled one stays fulfilled.
    #expect(try store.mention(id: ids["open"]!)?.deadlines.followUp == nil)
    #expect(try order(store, at: now) == ["answered", "fresh", "praise", "open"])
    // Set by hand to a category without a follow-up window: nothing is due any more.
    try store.recategorise(ids: [ids["answered"]!], to: .question, policy: longer, actor: "anna")
    let question = try #require(try store.mention(id: ids["answered"]!))
    #expect(!question.followUpPending && question.nextDeadline == nil)
    #expect(try order(store, at: now) == ["fresh", "praise", "answered", "open"])
  }
}

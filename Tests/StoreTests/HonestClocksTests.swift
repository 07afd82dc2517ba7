import Foundation
import Inbox
import Policy
import Testing

@testable import Store

/// Issue 14, "honest clocks and figures": a snooze never hides a deadline, closing without a reply
/// is counted as such, deadlines show their outcome, and escalations close and merge themselves.
@Suite struct HonestClocksTests {
  /// Sunday 6 December 2026, 17:20 UTC.
  let now = RFC3339.parse("2026-12-06T17:20:00Z")!

  /// Wall-clock windows: a complaint's first response is due 14 hours after it arrives.
  var policy: PolicyConfig {
    var p = PolicyConfig.default
    p.serviceHours = nil
    p.windows[.complaint]?.firstResponse = .seconds(14 * 3600)
    p.windows[.complaint]?.coolingOff = .seconds(0)
    return p
  }

  static let complaint = "My parcel is still not here, third week, and nobody answers my emails."

  func mention(
    _ id: String, _ text: String = complaint, handle: String? = nil, minutesAgo: Double = 0,
    lang: String = "en"
  ) -> IncomingMention {
    IncomingMention(
      platform: "mastodon", externalID: id, author: Author(handle: handle ?? "@a\(id)@example.social"),
      createdAt: now.addingTimeInterval(-minutesAgo * 60), text: text, lang: lang, raw: "{}")
  }

  func store(_ dir: TempFolder, at time: Date? = nil) throws -> SQLiteStore {
    try SQLiteStore(path: dir.path + "/s.sqlite", clock: .fixed(time ?? now))
  }

  func ingest(_ dir: TempFolder, _ mentions: [IncomingMention], at time: Date? = nil) throws {
    _ = try store(dir, at: time).ingest(mentions, actor: "t", annotator: PolicyAnnotator(policy: policy))
  }

  // MARK: A snooze never hides a deadline

  @Test func aSnoozeThatOutlastsTheTargetComesBackOverdueWhenTheTargetPasses() throws {
    let dir = TempFolder()
    try ingest(dir, [mention("c")])
    let s = try store(dir)
    let id = try #require(try s.mentionID(platform: "mastodon", externalID: "c"))
    #expect(try s.mention(id: id)?.category == .complaint)
    try s.snooze(ids: [id], until: now.addingTimeInterval(2 * 86_400), actor: "anna")

    // An hour later it sleeps: out of the queue, nothing overdue.
    let early = now.addingTimeInterval(3600)
    #expect(try s.queue(QueueFilter(), limit: 10, offset: 0, now: early).isEmpty)
    #expect(try s.queueCount(QueueFilter(), now: early) == 0)

    // Past its target (14 h), still within the snooze: back in the queue, overdue.
    let later = now.addingTimeInterval(20 * 3600)
    let rows = try s.queue(QueueFilter(), limit: 10, offset: 0, now: later)
    #expect(rows.map(\.mention.id) == [id])
    #expect(rows.first?.mention.clock(now: later) == .overdue)
    #expect(try s.queueCount(QueueFilter(), now: later) == 1)
    #expect(try s.queue(QueueFilter(), anchor: .end, limit: 10, now: later)?.map(\.mention.id) == [id])
    #expect(
      try s.queue(QueueFilter(clocks: [.overdue]), limit: 10, offset: 0, now: later).map(\.mention.id) == [id]
    )
    #expect(try s.queueCount(QueueFilter(clocks: [.overdue]), now: later) == 1)
    #expect(try s.overdueBoard(now: later).map(\.mention.id) == [id])
    #expect(try s.overdueCount(now: later) == 1)
    #expect(try s.tally(now: later).byClock[.overdue] == 1)
    let rules = try store(dir, at: later)
    #expect(try rules.evaluateTimedRules(policy.escalation, now: later) == 1)
    #expect(try rules.escalations(mentionID: id).map(\.reason) == ["overdue"])
  }

  @Test func aSnoozeInsideTheTargetStillHidesTheMentionUntilItWakes() throws {
    let dir = TempFolder()
    try ingest(dir, [mention("c")])
    let s = try store(dir)
    let id = try #require(try s.mentionID(platform: "mastodon", externalID: "c"))
    try s.snooze(ids: [id], until: now.addingTimeInterval(2 * 3600), actor: "anna")
    #expect(try s.queue(QueueFilter(), limit: 10, offset: 0, now: now.addingTimeInterval(3600)).isEmpty)
    let woken = now.addingTimeInterval(3 * 3600)
    #expect(try s.wakeSnoozed(now: woken) == 1)
    let m = try #require(try s.mention(id: id))
    #expect(m.status == .open)
    #expect(m.nextDeadline == now.addingTimeInterval(14 * 3600))
    #expect(m.clock(now: woken) == .onTime)
  }

  // MARK: Escalations close and merge themselves

  @Test func anOverdueEscalationClosesItselfOnceTheMentionIsAnswered() throws {
    let dir = TempFolder()
    try ingest(dir, [mention("c")])
    let later = now.addingTimeInterval(20 * 3600)
    let s = try store(dir, at: later)
    let id = try #require(try s.mentionID(platform: "mastodon", externalID: "c"))
    #expect(try s.evaluateTimedRules(policy.escalation, now: later) == 1)
    try s.enqueueReply(
      mentionID: id, responder: "anna", kind: .reply, text: "So sorry, we are on it! – Anna", policy: policy)
    _ = try s.evaluateTimedRules(policy.escalation, now: later.addingTimeInterval(60))
    #expect(try s.openEscalations().isEmpty)
    let escalation = try #require(try s.escalations(mentionID: id).first)
    #expect(escalation.state == "resolved")
    #expect(escalation.notes.contains { $0.author == "policy" })
    #expect(
      try s.events(mentionID: id).contains { $0.action == "escalation_resolve" && $0.actor == "policy" })
  }

  /// The reason goes in the action's own transaction: no pass of the timed rules needed.
  @Test(arguments: ["reply", "no reply", "replied elsewhere", "recategorise"])
  func anOverdueEscalationClosesWithTheActionThatAnswersIt(action: String) throws {
    let dir = TempFolder()
    try ingest(dir, [mention("c")])
    let later = now.addingTimeInterval(20 * 3600)
    let s = try store(dir, at: later)
    let id = try #require(try s.mentionID(platform: "mastodon", externalID: "c"))
    #expect(try s.evaluateTimedRules(policy.escalation, now: later) == 1)
    #expect(try s.openEscalations().count == 1)
    switch action {
    case "reply":
      try s.enqueueReply(
        mentionID: id, responder: "anna", kind: .reply, text: "So sorry, we are on it! – Anna", policy: policy
      )
    case "no reply":
      try s.decideNoReply(ids: [id], reason: "duplicate", policy: policy, actor: "anna")
    case "replied elsewhere":
      try s.markReplied(ids: [id], actor: "anna")
    default:
      // Praise has no target: nothing is overdue any more.
      try s.recategorise(ids: [id], to: .praise, policy: policy, actor: "anna")
    }
    #expect(try s.openEscalations().isEmpty, "\(action)")
    let escalation = try #require(try s.escalations(mentionID: id).first)
    #expect(escalation.state == "resolved")
    #expect(escalation.notes.contains { $0.author == "policy" && $0.text.hasPrefix("closed by itself") })
    let events = try s.events(mentionID: id)
    #expect(events.filter { $0.action == "escalation_resolve" && $0.actor == "policy" }.count == 1)
    // The next pass finds nothing left to close, and raises nothing again.
    #expect(try s.evaluateTimedRules(policy.escalation, now: later.addingTimeInterval(60)) == 0)
    #expect(try s.events(mentionID: id).filter { $0.action == "escalation_resolve" }.count == 1)
  }

  /// A pass asks about the mentions changed since the last pass looked (the change feed), not
  /// every open overdue escalation; all of them again when it cannot trust its mark (issue 17).
  @Test func aPassAsksOnlyTheMentionsChangedSinceTheLastUnlessItsMarkCannotBeTrusted() throws {
    let dir = TempFolder()
    try ingest(dir, [mention("a"), mention("b"), mention("c")])
    let later = now.addingTimeInterval(20 * 3600)
    let s = try store(dir, at: later)
    let a = try #require(try s.mentionID(platform: "mastodon", externalID: "a"))
    let b = try #require(try s.mentionID(platform: "mastodon", externalID: "b"))
    #expect(try s.evaluateTimedRules(policy.escalation, now: later) == 3)
    let mark = try s.pool.read { db in
      try String.fetchOne(db, sql: "SELECT value FROM store_meta WHERE key = 'overdue_settled_upto'")
    }
    #expect(mark != nil)
    // A's target taken away by a change of its row, not by an action that closes its escalation.
    try s.pool.write { db in
      try db.execute(sql: "UPDATE mentions SET due_at = NULL WHERE id = ?", arguments: [a])
    }
    _ = try s.evaluateTimedRules(policy.escalation, now: later.addingTimeInterval(60))
    #expect(try s.openEscalations().count == 2)
    #expect(try s.escalations(mentionID: a).first?.state == "resolved")
    // B's taken away with its trace in the feed wiped: the next pass does not look at B...
    try s.pool.write { db in
      try db.execute(sql: "UPDATE mentions SET due_at = NULL WHERE id = ?", arguments: [b])
      try db.execute(sql: "DELETE FROM changes WHERE mention_id = ?", arguments: [b])
      try db.execute(sql: "INSERT INTO changes (mention_id) VALUES (?)", arguments: [a])
    }
    _ = try s.evaluateTimedRules(policy.escalation, now: later.addingTimeInterval(120))
    #expect(try s.openEscalations().count == 2)
    // ...but a pass with the clock gone back asks every open one, and finds it.
    _ = try s.evaluateTimedRules(policy.escalation, now: later.addingTimeInterval(30))
    #expect(try s.openEscalations().count == 1)
    #expect(try s.escalations(mentionID: b).first?.state == "resolved")
  }

  @Test func anEscalationStaysOpenWhileItsReasonStands() throws {
    let dir = TempFolder()
    try ingest(dir, [mention("c")])
    let later = now.addingTimeInterval(20 * 3600)
    let s = try store(dir, at: later)
    let id = try #require(try s.mentionID(platform: "mastodon", externalID: "c"))
    #expect(try s.evaluateTimedRules(policy.escalation, now: later) == 1)
    // A snooze hides no deadline, and another complaint's window is long past too.
    try s.snooze(ids: [id], until: later.addingTimeInterval(3600), actor: "anna")
    try s.recategorise(ids: [id], to: .question, policy: policy, actor: "anna")
    #expect(try s.openEscalations().count == 1)
  }

  @Test func repeatsOfTheSameAuthorAndTextWithinAnHourAreOneEscalationWithACount() throws {
    let dir = TempFolder()
    let text = "Jullie zijn allemaal oplichters en leugenaars!!!"
    // Two in one batch, two more in later batches a few minutes apart.
    try ingest(
      dir,
      [
        mention("u1", text, handle: "truthseeker99", minutesAgo: 10, lang: "nl"),
        mention("u2", text, handle: "truthseeker99", minutesAgo: 8, lang: "nl"),
      ])
    try ingest(dir, [mention("u3", text, handle: "truthseeker99", minutesAgo: 5, lang: "nl")])
    try ingest(dir, [mention("u4", text, handle: "truthseeker99", minutesAgo: 1, lang: "nl")])
    let s = try store(dir)
    let first = try #require(try s.mentionID(platform: "mastodon", externalID: "u1"))
    #expect(try s.mention(id: first)?.category == .unfounded)
    let open = try s.openEscalations()
    #expect(open.count == 1)
    #expect(open.first?.escalation.mentionID == first)
    #expect(open.first?.escalation.count == 4)
    // Another text by the same author, or the same text over an hour later, is its own.
    try ingest(
      dir, [mention("u5", text, handle: "truthseeker99", minutesAgo: -90, lang: "nl")],
      at: now.addingTimeInterval(5400))
    #expect(try store(dir, at: now.addingTimeInterval(5400)).openEscalations().count == 2)
  }

  // MARK: Closing without a reply

  @Test func closingAComplaintWithoutAReplyTakesAListedReasonAndCountsAsClosedWithoutReply() throws {
    let dir = TempFolder()
    try ingest(
      dir,
      [
        mention("c"), mention("d"),
        mention("p", "Thank you for the friendly help at the counter, great service!"),
      ])
    let s = try store(dir)
    let c = try #require(try s.mentionID(platform: "mastodon", externalID: "c"))
    let d = try #require(try s.mentionID(platform: "mastodon", externalID: "d"))
    let p = try #require(try s.mentionID(platform: "mastodon", externalID: "p"))
    #expect(throws: ActionError.self) {
      try s.decideNoReply(ids: [c], reason: "te druk", policy: policy, actor: "anna")
    }
    #expect(try s.mention(id: c)?.status == .open)
    try s.decideNoReply(ids: [c], reason: "duplicate", policy: policy, actor: "anna")
    // Praise closes with a reason of the responder's own.
    try s.decideNoReply(ids: [p], reason: "thanked nobody (S3)", policy: policy, actor: "anna")
    _ = d
    let later = now.addingTimeInterval(20 * 3600)
    let f = try store(dir, at: later).teamFigures(now: later, today: now, since: now)
    let complaints = try #require(f.periodByCategory[.complaint])
    #expect(complaints.closedWithoutReply == 1)
    #expect(complaints.within == 0)
    #expect(complaints.late == 1)
    #expect(complaints.pending == 0)
    #expect(f.period.closedWithoutReply == 1)
  }
}

import Foundation
import Inbox
import Policy
import Testing

@testable import Store

/// Issue 14, "each deadline shows its outcome", for the follow-up: a reply that answers a pending
/// follow-up (after a holding reply, S12, or a replied complaint's personal follow-up, S10) keeps
/// when it went out and the target it answered; the figures count follow-ups within and past it.
@Suite struct FollowUpOutcomeTests {
  let now = RFC3339.parse("2026-12-07T10:00:00Z")!

  /// Wall-clock windows: a complaint's first response in 2 hours, its follow-up 10 minutes after
  /// it; a holding reply's follow-up in 4 hours.
  var policy: PolicyConfig {
    var p = PolicyConfig.default
    p.serviceHours = nil
    p.windows[.complaint]?.coolingOff = .seconds(0)
    p.windows[.complaint]?.firstResponse = .seconds(2 * 3600)
    p.windows[.complaint]?.followUp = .seconds(10 * 60)
    p.holdingFollowUp = .seconds(4 * 3600)
    p.holdingFollowUpInServiceHours = false
    return p
  }

  func store(_ dir: TempFolder, at time: Date) throws -> SQLiteStore {
    try SQLiteStore(path: dir.path + "/s.sqlite", clock: .fixed(time))
  }

  func complaint(_ dir: TempFolder) throws -> Int64 {
    let s = try store(dir, at: now)
    _ = try s.ingest(
      [
        IncomingMention(
          platform: "mastodon", externalID: "c", author: Author(handle: "@sanne@example.social"),
          createdAt: now, text: "My parcel is still not here, third week, and nobody answers my emails.",
          lang: "en", raw: "{}")
      ], actor: "t", annotator: PolicyAnnotator(policy: policy))
    let id = try #require(try s.mentionID(platform: "mastodon", externalID: "c"))
    #expect(try s.mention(id: id)?.category == .complaint)
    return id
  }

  @Test func aPersonalFollowUpInTimeIsMetAtItsTime() throws {
    let dir = TempFolder()
    let id = try complaint(dir)
    let replied = now.addingTimeInterval(3600)
    try store(dir, at: replied).enqueueReply(
      mentionID: id, responder: "anna", kind: .reply, text: "So sorry, we are on it! – Anna", policy: policy)
    let pending = try #require(try store(dir, at: replied).mention(id: id))
    #expect(pending.followUpPending)
    #expect(pending.followUpOutcome == nil)
    let target = replied.addingTimeInterval(600)
    let followed = replied.addingTimeInterval(8 * 60)
    try store(dir, at: followed).enqueueReply(
      mentionID: id, responder: "anna", kind: .followUp, text: "It is on its way now. – Anna", policy: policy)
    let m = try #require(try store(dir, at: followed).mention(id: id))
    #expect(!m.followUpPending)
    #expect(m.deadlines.followUp == nil)
    #expect(m.deadlines.followUpAt == followed)
    #expect(m.deadlines.followUpAnsweredDue == target)
    #expect(m.followUpOutcome == .met(at: followed))
    // The first response's outcome stays as it was.
    #expect(m.policyDeadlines.firstResponseOutcome == .met(at: replied))
  }

  @Test func theAnswerAfterAHoldingReplyIsLateByHowMuchItMissedTheFollowUp() throws {
    let dir = TempFolder()
    let id = try complaint(dir)
    let held = now.addingTimeInterval(30 * 60)
    try store(dir, at: held).enqueueReply(
      mentionID: id, responder: "anna", kind: .holding, text: "We are looking into it. – Anna", policy: policy
    )
    let target = held.addingTimeInterval(4 * 3600)
    #expect(try store(dir, at: held).mention(id: id)?.deadlines.followUp == target)
    let answered = target.addingTimeInterval(2 * 3600 + 23 * 60)
    try store(dir, at: answered).enqueueReply(
      mentionID: id, responder: "bram", kind: .reply, text: "Found it: it arrives today. – Bram",
      policy: policy)
    let m = try #require(try store(dir, at: answered).mention(id: id))
    #expect(m.followUpOutcome == .late(at: answered, by: 2 * 3600 + 23 * 60))
    #expect(m.deadlines.followUpAnsweredDue == target)
    // A complaint then has its personal follow-up (S10) pending: a new target, on the clock.
    #expect(m.followUpPending)
    #expect(m.deadlines.followUp == answered.addingTimeInterval(600))
  }

  @Test func aReplyWithoutAPendingFollowUpRecordsNone() throws {
    let dir = TempFolder()
    let id = try complaint(dir)
    var p = policy
    p.windows[.complaint]?.followUp = nil
    try store(dir, at: now).enqueueReply(
      mentionID: id, responder: "anna", kind: .reply, text: "So sorry, we are on it! – Anna", policy: p)
    try store(dir, at: now).enqueueReply(
      mentionID: id, responder: "anna", kind: .followUp, text: "And it is fixed now. – Anna", policy: p)
    let m = try #require(try store(dir, at: now).mention(id: id))
    #expect(m.deadlines.followUpAt == nil)
    #expect(m.followUpOutcome == nil)
  }

  @Test func theFiguresCountFollowUpsWithinAndPastTheirTarget() throws {
    let dir = TempFolder()
    let id = try complaint(dir)
    let replied = now.addingTimeInterval(3600)
    try store(dir, at: replied).enqueueReply(
      mentionID: id, responder: "anna", kind: .reply, text: "So sorry, we are on it! – Anna", policy: policy)
    // Pending, then past its target unanswered, then answered late.
    let f1 = try store(dir, at: replied).teamFigures(now: replied, today: now, since: now)
    #expect(f1.followUpWeek == TargetShare(within: 0, late: 0, pending: 1))
    let past = replied.addingTimeInterval(3600)
    let f2 = try store(dir, at: past).teamFigures(now: past, today: now, since: now)
    #expect(f2.followUpWeek == TargetShare(within: 0, late: 1, pending: 0))
    try store(dir, at: past).enqueueReply(
      mentionID: id, responder: "anna", kind: .followUp, text: "It is on its way now. – Anna", policy: policy)
    let f3 = try store(dir, at: past).teamFigures(now: past, today: now, since: now)
    #expect(f3.followUpWeek == TargetShare(within: 0, late: 1, pending: 0))
    #expect(f3.followUpPeriod == f3.followUpWeek)
  }
}

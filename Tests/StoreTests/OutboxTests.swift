import Foundation
import Inbox
import Policy
import Testing

@testable import Store

@Suite struct OutboxTests {
  let now = Date(timeIntervalSince1970: 1_795_512_600)

  /// A store with one complaint (no service hours, so the windows are wall-clock) and its id.
  func complaintStore(_ dir: TempFolder, policy: PolicyConfig) throws -> (SQLiteStore, Int64) {
    let store = try SQLiteStore(path: dir.path + "/s.sqlite", clock: .fixed(now))
    let mention = IncomingMention(
      platform: "mastodon", externalID: "1", author: Author(handle: "@boos@example.social"),
      createdAt: now.addingTimeInterval(-30 * 60), text: "My parcel is still not here, third week.",
      lang: "en", raw: "{}")
    _ = try store.ingest([mention], actor: "t", annotator: PolicyAnnotator(policy: policy))
    let id = try #require(try store.mentionID(platform: "mastodon", externalID: "1"))
    return (store, id)
  }

  var wallClockPolicy: PolicyConfig {
    var policy = PolicyConfig.default
    policy.serviceHours = nil
    // Due at once: the send delay has tests of its own (WithdrawTests).
    policy.sendDelay = 0
    return policy
  }

  @Test func aDraftIsKeptPerResponderAndReplacedAsItIsTyped() throws {
    let dir = TempFolder()
    let (store, id) = try complaintStore(dir, policy: wallClockPolicy)
    try store.saveDraft(mentionID: id, author: "anna", kind: .reply, text: "Sorry")
    try store.saveDraft(mentionID: id, author: "anna", kind: .reply, text: "Sorry to hear that")
    try store.saveDraft(mentionID: id, author: "bram", kind: .holding, text: "We kijken ernaar")
    #expect(try store.draft(mentionID: id, author: "anna")?.text == "Sorry to hear that")
    #expect(try store.drafts(mentionID: id).map(\.author).sorted() == ["anna", "bram"])
    try store.discardDraft(mentionID: id, author: "bram")
    #expect(try store.drafts(mentionID: id).map(\.author) == ["anna"])
  }

  @Test func aReplyGoesToTheOutboxOnceAndClosesTheMentionWithTheS10FollowUp() throws {
    let dir = TempFolder()
    let policy = wallClockPolicy
    let (store, id) = try complaintStore(dir, policy: policy)
    try store.saveDraft(mentionID: id, author: "anna", kind: .reply, text: "draft")
    let record = try store.enqueueReply(
      mentionID: id, responder: "anna", kind: .reply, text: "So sorry! We are on it. – Anna", policy: policy)
    #expect(record.status == .queued)
    #expect(record.text.hasSuffix("– Anna"))
    #expect(try store.draft(mentionID: id, author: "anna") == nil)
    let mention = try #require(try store.mention(id: id))
    #expect(mention.status == .replied)
    #expect(mention.deadlines.firstResponseAt == now)
    // The default complaint window has a 24 h follow-up after the first response (S10).
    #expect(mention.deadlines.followUp == now.addingTimeInterval(24 * 3600))
    let other = try store.enqueueReply(
      mentionID: id, responder: "bram", kind: .followUp, text: "Did it arrive? – Bram", policy: policy)
    #expect(other.idempotencyKey != record.idempotencyKey)
    #expect(try store.outbox(mentionID: id).map(\.responder) == ["anna", "bram"])
    #expect(try store.mention(id: id)?.deadlines.followUp == nil)
  }

  @Test func aHoldingReplyStopsTheFirstResponseClockAndStartsTheFollowUp() throws {
    let dir = TempFolder()
    let policy = wallClockPolicy
    let (store, id) = try complaintStore(dir, policy: policy)
    try store.enqueueReply(
      mentionID: id, responder: "anna", kind: .holding, text: "We're looking into it. – Anna", policy: policy)
    let mention = try #require(try store.mention(id: id))
    #expect(mention.status == .holding)
    #expect(mention.deadlines.holdingSince == now)
    #expect(mention.nextDeadline == now.addingTimeInterval(24 * 3600))
    #expect(mention.clock(now: now) == .onTime)
    #expect(try store.queue(QueueFilter(), limit: 10, offset: 0, now: now).map(\.mention.id) == [id])
  }

  @Test func fourEyesHoldsTheMentionUntilApprovedOrSentBack() throws {
    let dir = TempFolder()
    let policy = wallClockPolicy
    let (store, id) = try complaintStore(dir, policy: policy)
    let first = try store.enqueueReply(
      mentionID: id, responder: "anna", kind: .reply, text: "Sorry. – Anna", policy: policy,
      needsApproval: true)
    #expect(first.status == .awaitingApproval)
    #expect(try store.mention(id: id)?.status == .open)
    #expect(try store.dueForDelivery(now: now).isEmpty)
    try store.returnReply(id: first.id, note: "Offer a call (S7)", actor: "sam")
    #expect(try store.outboxRecord(id: first.id)?.reviewNote == "Offer a call (S7)")
    #expect(try store.draft(mentionID: id, author: "anna")?.text == "Sorry. – Anna")
    #expect(throws: OutboxError.self) { try store.approveReply(id: first.id, actor: "sam", policy: policy) }

    let second = try store.enqueueReply(
      mentionID: id, responder: "anna", kind: .reply, text: "Sorry, may we call you? – Anna", policy: policy,
      needsApproval: true)
    try store.approveReply(id: second.id, actor: "sam", policy: policy)
    #expect(try store.outboxRecord(id: second.id)?.status == .queued)
    #expect(try store.outboxRecord(id: second.id)?.reviewedBy == "sam")
    #expect(try store.mention(id: id)?.status == .replied)
    #expect(try store.dueForDelivery(now: now).map(\.id) == [second.id])
  }

  @Test func deliveryRetriesWithTheSameKeyThenFailsWithThePlatformsMessage() throws {
    let dir = TempFolder()
    let policy = wallClockPolicy
    let (store, id) = try complaintStore(dir, policy: policy)
    let record = try store.enqueueReply(
      mentionID: id, responder: "anna", kind: .reply, text: "Sorry. – Anna", policy: policy)
    try store.recordDeliveryAttempt(id: record.id)
    try store.markDeliveryFailed(id: record.id, error: "HTTP 503", retryAt: now.addingTimeInterval(60))
    #expect(try store.dueForDelivery(now: now).isEmpty)
    #expect(try store.dueForDelivery(now: now.addingTimeInterval(61)).map(\.id) == [record.id])
    try store.recordDeliveryAttempt(id: record.id)
    try store.markDeliveryFailed(id: record.id, error: "HTTP 422: text too long", retryAt: nil)
    let failed = try #require(try store.outboxRecord(id: record.id))
    #expect(failed.status == .failed)
    #expect(failed.attempts == 2)
    #expect(failed.error == "HTTP 422: text too long")
    #expect(failed.idempotencyKey == record.idempotencyKey)
    try store.retryReply(id: record.id, actor: "anna")
    try store.markSent(id: record.id, postID: "109", url: "https://example.social/@shop/109")
    #expect(try store.outboxRecord(id: record.id)?.status == .sent)
    #expect(try store.outbox(statuses: [.sent]).map(\.id) == [record.id])
  }

  @Test func anUnverifiedReplyIsCheckedAgainAndShownUntilAPostIsNamed() throws {
    let dir = TempFolder()
    let (store, id) = try complaintStore(dir, policy: wallClockPolicy)
    let record = try store.enqueueReply(
      mentionID: id, responder: "anna", kind: .reply, text: "Sorry. – Anna", policy: wallClockPolicy)
    try store.recordDeliveryAttempt(id: record.id)
    try store.markUnverified(
      id: record.id, error: "answered 200 but named no post", retryAt: now.addingTimeInterval(60), at: now)
    // A later answer keeps the first time: the checks' deadline counts from it.
    try store.recordDeliveryAttempt(id: record.id)
    try store.markUnverified(
      id: record.id, error: "answered 200 but named no post", retryAt: now.addingTimeInterval(120),
      at: now.addingTimeInterval(60))
    let unverified = try #require(try store.outboxRecord(id: record.id))
    #expect(unverified.status == .unverified && unverified.unverifiedAt == now && unverified.attempts == 2)
    #expect(try store.dueForDelivery(now: now.addingTimeInterval(119)).isEmpty)
    #expect(try store.dueForDelivery(now: now.addingTimeInterval(120)).map(\.id) == [record.id])
    #expect(try store.deliveriesNeedingAPerson(since: now).map(\.id) == [record.id])
    #expect(try store.events(mentionID: id).filter { $0.action == "delivery_unverified" }.count == 1)
    // A check that fails for a while leaves it unverified.
    try store.markDeliveryFailed(id: record.id, error: "HTTP 503", retryAt: now.addingTimeInterval(180))
    #expect(try store.outboxRecord(id: record.id)?.status == .unverified)
    try store.markSent(id: record.id, postID: "109", url: nil)
    #expect(try store.outboxRecord(id: record.id)?.status == .sent)
    #expect(try store.deliveriesNeedingAPerson(since: now).isEmpty)
  }

  @Test func oldFailuresLeaveTheListOfDeliveriesThatNeedAPerson() throws {
    let dir = TempFolder()
    let (store, id) = try complaintStore(dir, policy: wallClockPolicy)
    let record = try store.enqueueReply(
      mentionID: id, responder: "anna", kind: .reply, text: "Sorry. – Anna", policy: wallClockPolicy)
    try store.markUnverified(id: record.id, error: "no post named", retryAt: now, at: now)
    try store.markDeliveryFailed(id: record.id, error: "no post named; check", retryAt: nil)
    #expect(try store.events(mentionID: id).last?.detail == #"{"outbox_id":\#(record.id),"unverified":true}"#)
    #expect(try store.deliveriesNeedingAPerson(since: now).map(\.id) == [record.id])
    #expect(try store.deliveriesNeedingAPerson(since: now.addingTimeInterval(1)).isEmpty)
    // A person retries it: a fresh start, the old answer's deadline no longer counts.
    try store.retryReply(id: record.id, actor: "sam")
    let retried = try #require(try store.outboxRecord(id: record.id))
    #expect(retried.status == .queued && retried.unverifiedAt == nil)
  }

  @Test func migrationV16KeepsEveryReplyAndAcceptsTheNewStatus() throws {
    let dir = TempFolder()
    let (store, id) = try complaintStore(dir, policy: wallClockPolicy)
    let record = try store.enqueueReply(
      mentionID: id, responder: "anna", kind: .reply, text: "Sorry. – Anna", policy: wallClockPolicy)
    try store.markSent(id: record.id, postID: "109", url: "https://example.social/@shop/109")
    let before = try #require(try store.outboxRecord(id: record.id))
    // As a store written before v16 left it: the old table, whose CHECK knows no `unverified`.
    try store.pool.write { db in
      try db.execute(
        sql: """
          CREATE TABLE outbox_old AS SELECT id, mention_id, responder, kind, text, status, created_at,
            updated_at, idempotency_key, attempts, next_attempt_at, platform_post_id, platform_url, error,
            reviewed_by, review_note FROM outbox;
          DROP TABLE outbox;
          ALTER TABLE outbox_old RENAME TO outbox;
          DELETE FROM grdb_migrations WHERE identifier IN ('v16-outbox-unverified', 'v21-outbox-withdrawn');
          """)
    }
    let reopened = try SQLiteStore(path: dir.path + "/s.sqlite", mode: .existing, clock: .fixed(now))
    let kept = try #require(try reopened.outboxRecord(id: record.id))
    #expect(kept == before)
    #expect(
      kept.status == .sent && kept.platformPostID == "109" && kept.idempotencyKey == record.idempotencyKey)
    let next = try reopened.enqueueReply(
      mentionID: id, responder: "anna", kind: .followUp, text: "More. – Anna", policy: wallClockPolicy)
    try reopened.markUnverified(id: next.id, error: "no post named", retryAt: now, at: now)
    #expect(try reopened.outbox(statuses: [.unverified]).map(\.id) == [next.id])
  }

  @Test func anEmptyReplyIsRefused() throws {
    let dir = TempFolder()
    let (store, id) = try complaintStore(dir, policy: wallClockPolicy)
    #expect(throws: OutboxError.emptyReply) {
      try store.enqueueReply(mentionID: id, responder: "anna", kind: .reply, text: " \n", policy: .default)
    }
  }
}

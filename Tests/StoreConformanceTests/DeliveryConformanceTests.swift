import Foundation
import Inbox
import Policy
import Testing

/// Delivery on both stores: attempts, retries, unverified answers, the replies that need a person
/// (moved from `StoreTests/OutboxTests`), and the courier's lease across store handles (several
/// `repute watch` on different machines deliver each reply once).
@Suite struct DeliveryConformanceTests {
  let now = TestStores.now
  let policy = OutboxFixtures.wallClockPolicy

  @Test(arguments: TestStores.kinds)
  func deliveryRetriesWithTheSameKeyThenFailsWithThePlatformsMessage(_ kind: StoreKind) throws {
    let (store, s, id) = try OutboxFixtures.complaintStore(kind)
    _ = store
    let record = try s.enqueueReply(
      mentionID: id, responder: "anna", kind: .reply, text: "Sorry. – Anna", policy: policy)
    try s.recordDeliveryAttempt(id: record.id)
    try s.markDeliveryFailed(id: record.id, error: "HTTP 503", retryAt: now.addingTimeInterval(60))
    #expect(try s.dueForDelivery(now: now).isEmpty)
    #expect(try s.dueForDelivery(now: now.addingTimeInterval(61)).map(\.id) == [record.id])
    try s.recordDeliveryAttempt(id: record.id)
    try s.markDeliveryFailed(id: record.id, error: "HTTP 422: text too long", retryAt: nil)
    let failed = try #require(try s.outboxRecord(id: record.id))
    #expect(failed.status == .failed)
    #expect(failed.attempts == 2)
    #expect(failed.error == "HTTP 422: text too long")
    #expect(failed.idempotencyKey == record.idempotencyKey)
    #expect(try s.failedReplyCount() == 1)
    #expect(throws: OutboxError.wrongState(record.id, .failed, expected: [.queued, .unverified])) {
      try s.recordDeliveryAttempt(id: record.id)
    }
    try s.retryReply(id: record.id, actor: "anna")
    try s.markSent(id: record.id, postID: "109", url: "https://example.social/@shop/109")
    let sent = try #require(try s.outboxRecord(id: record.id))
    #expect(
      sent.status == .sent && sent.platformPostID == "109" && sent.error == nil && sent.nextAttemptAt == nil)
    #expect(try s.outbox(statuses: [.sent]).map(\.id) == [record.id])
    #expect(try s.failedReplyCount() == 0)
    let trail = try s.events(mentionID: id).filter { $0.detail?.contains("outbox_id") == true }
    #expect(trail.map(\.action) == ["reply", "delivery_failed", "retry_reply", "delivered"])
    #expect(trail.map(\.actor) == ["anna", "repute", "anna", "repute"])
  }

  @Test(arguments: TestStores.kinds)
  func anUnverifiedReplyIsCheckedAgainAndShownUntilAPostIsNamed(_ kind: StoreKind) throws {
    let (store, s, id) = try OutboxFixtures.complaintStore(kind)
    _ = store
    let record = try s.enqueueReply(
      mentionID: id, responder: "anna", kind: .reply, text: "Sorry. – Anna", policy: policy)
    try s.recordDeliveryAttempt(id: record.id)
    try s.markUnverified(
      id: record.id, error: "answered 200 but named no post", retryAt: now.addingTimeInterval(60), at: now,
      actor: "repute")
    // A later answer keeps the first time: the checks' deadline counts from it.
    try s.recordDeliveryAttempt(id: record.id)
    try s.markUnverified(
      id: record.id, error: "answered 200 but named no post", retryAt: now.addingTimeInterval(120),
      at: now.addingTimeInterval(60), actor: "repute")
    let unverified = try #require(try s.outboxRecord(id: record.id))
    #expect(unverified.status == .unverified && unverified.unverifiedAt == now && unverified.attempts == 2)
    #expect(try s.dueForDelivery(now: now.addingTimeInterval(119)).isEmpty)
    #expect(try s.dueForDelivery(now: now.addingTimeInterval(120)).map(\.id) == [record.id])
    #expect(try s.deliveriesNeedingAPerson(since: now).map(\.id) == [record.id])
    #expect(try s.events(mentionID: id).filter { $0.action == "delivery_unverified" }.count == 1)
    // A check that fails for a while leaves it unverified.
    try s.markDeliveryFailed(id: record.id, error: "HTTP 503", retryAt: now.addingTimeInterval(180))
    #expect(try s.outboxRecord(id: record.id)?.status == .unverified)
    try s.markSent(id: record.id, postID: "109", url: nil)
    #expect(try s.outboxRecord(id: record.id)?.status == .sent)
    #expect(try s.deliveriesNeedingAPerson(since: now).isEmpty)
  }

  @Test(arguments: TestStores.kinds)
  func oldFailuresLeaveTheListOfDeliveriesThatNeedAPerson(_ kind: StoreKind) throws {
    let (store, s, id) = try OutboxFixtures.complaintStore(kind)
    let record = try s.enqueueReply(
      mentionID: id, responder: "anna", kind: .reply, text: "Sorry. – Anna", policy: policy)
    try s.markUnverified(id: record.id, error: "no post named", retryAt: now, at: now, actor: "repute")
    try s.markDeliveryFailed(id: record.id, error: "no post named; check", retryAt: nil)
    #expect(try s.events(mentionID: id).last?.detail == #"{"outbox_id":\#(record.id),"unverified":true}"#)
    #expect(try s.deliveriesNeedingAPerson(since: now).map(\.id) == [record.id])
    // Seen a second later, from another handle, the failure is older than asked for.
    let later = try OutboxFixtures.second(store, clock: .fixed(now.addingTimeInterval(1)))
    #expect(try later.deliveriesNeedingAPerson(since: now.addingTimeInterval(1)).isEmpty)
    // A person retries it: a fresh start, the old answer's deadline no longer counts.
    try s.retryReply(id: record.id, actor: "sam")
    let retried = try #require(try s.outboxRecord(id: record.id))
    #expect(retried.status == .queued && retried.unverifiedAt == nil)
  }

  @Test(arguments: TestStores.kinds)
  func aReplyToAMentionNowNeedingApprovalIsHeldAtDelivery(_ kind: StoreKind) throws {
    let (store, s, id) = try OutboxFixtures.complaintStore(kind)
    _ = store
    let record = try s.enqueueReply(
      mentionID: id, responder: "anna", kind: .reply, text: "Sorry. – Anna", policy: policy)
    #expect(try !s.holdForApprovalIfNeeded(id: record.id, policy: policy))
    // The policy now wants a supervisor to see every reply to a complaint.
    var strict = policy
    strict.escalation.approvalCategories = [.complaint]
    #expect(try s.holdForApprovalIfNeeded(id: record.id, policy: strict, actor: "courier"))
    let held = try #require(try s.outboxRecord(id: record.id))
    #expect(held.status == .awaitingApproval && held.nextAttemptAt == nil)
    #expect(try s.events(mentionID: id).last?.action == "held_for_approval")
    // Approved, it is queued again; the mention keeps the move its queuing made (S10 follow-up).
    let followUp = try s.mention(id: id)?.deadlines.followUp
    try s.approveReply(id: record.id, actor: "sam", policy: strict)
    #expect(try s.outboxRecord(id: record.id)?.status == .queued)
    #expect(try s.mention(id: id)?.deadlines.followUp == followUp)
    #expect(try !s.holdForApprovalIfNeeded(id: record.id, policy: strict))
  }

  // MARK: - The courier's lease

  @Test(arguments: TestStores.kinds)
  func theLeaseIsHeldByOneHandleAndTakenOverOnceItRunsOut(_ kind: StoreKind) throws {
    let store = try TestStore(kind)
    let a = try store.as(ReplyTestStore.self)
    let b = try OutboxFixtures.second(store)
    #expect(try a.deliveryHolder() == nil)
    #expect(try a.claimDelivery(holder: "machine-a:1", for: 60))
    #expect(try !b.claimDelivery(holder: "machine-b:2", for: 60))
    #expect(try b.deliveryHolder() == "machine-a:1")
    // The holder extends its own lease; another's release gives nothing back.
    #expect(try a.claimDelivery(holder: "machine-a:1", for: 60))
    try b.releaseDelivery(holder: "machine-b:2")
    #expect(try a.deliveryHolder() == "machine-a:1")
    // Machine A vanishes without a word: its lease is respected until it runs out, then taken over.
    let soon = try OutboxFixtures.second(store, clock: .fixed(now.addingTimeInterval(59)))
    #expect(try !soon.claimDelivery(holder: "machine-b:2", for: 60))
    let later = try OutboxFixtures.second(store, clock: .fixed(now.addingTimeInterval(61)))
    #expect(try later.deliveryHolder() == nil)
    #expect(try later.claimDelivery(holder: "machine-b:2", for: 60))
    #expect(try later.deliveryHolder() == "machine-b:2")
    #expect(try !a.claimDelivery(holder: "machine-a:1", for: 60))
    try later.releaseDelivery(holder: "machine-b:2")
    #expect(try a.deliveryHolder() == nil)
    #expect(try a.claimDelivery(holder: "machine-a:1", for: 60))
  }

  @Test(arguments: TestStores.kinds)
  func aRefusedLeaseWritesNothingOtherHandlesWouldNotice(_ kind: StoreKind) throws {
    let (store, a, id) = try OutboxFixtures.complaintStore(kind)
    let b = try OutboxFixtures.second(store)
    #expect(try a.claimDelivery(holder: "machine-a:1", for: 60))
    let token = try a.changeToken()
    // Couriers elsewhere try every few seconds: a refusal, a release of a lease they do not hold
    // and an editor closed without a draft must not make every inbox look again.
    #expect(try !b.claimDelivery(holder: "machine-b:2", for: 60))
    try b.releaseDelivery(holder: "machine-b:2")
    try b.discardDraft(mentionID: id, author: "bram")
    #expect(try a.changeToken() == token)
    try b.saveDraft(mentionID: id, author: "bram", kind: .reply, text: "Hallo")
    #expect(try a.changeToken() != token)
  }

  @Test(arguments: TestStores.kinds)
  func twoCouriersRacingDeliverEachReplyOnce(_ kind: StoreKind) throws {
    let (store, s, id) = try OutboxFixtures.complaintStore(kind)
    var ids: [Int64] = []
    for n in 0..<6 {
      ids.append(
        try s.enqueueReply(
          mentionID: id, responder: "anna", kind: n == 0 ? .reply : .followUp, text: "Reply \(n). – Anna",
          policy: policy
        ).id)
    }
    let couriers = [try OutboxFixtures.second(store), try OutboxFixtures.second(store)]
    let posted = Locked<[Int64]>([])
    let failures = Locked<[String]>([])
    DispatchQueue.concurrentPerform(iterations: 2) { n in
      let courier = couriers[n]
      let holder = "courier-\(n):\(n + 1)"
      do {
        for _ in 0..<20 {
          guard try courier.claimDelivery(holder: holder, for: 60) else { continue }
          for reply in try courier.dueForDelivery(now: TestStores.now, limit: 100) {
            try courier.recordDeliveryAttempt(id: reply.id)
            // The platform is called here: one post per reply.
            posted.withLock { $0.append(reply.id) }
            try courier.markSent(id: reply.id, postID: "p\(reply.id)", url: nil, actor: "repute")
          }
          try courier.releaseDelivery(holder: holder)
        }
      } catch {
        failures.withLock { $0.append("\(error)") }
      }
    }
    #expect(failures.current.isEmpty)
    #expect(posted.current.sorted() == ids)
    #expect(try s.outbox(statuses: [.sent]).map(\.id) == ids)
    #expect(try s.events(mentionID: id).filter { $0.action == "delivered" }.count == ids.count)
  }
}

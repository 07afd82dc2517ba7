import Foundation
import Inbox
import Policy
import Testing

/// Drafts, the outbox and four eyes on both stores (moved from `StoreTests/OutboxTests`).
@Suite struct OutboxConformanceTests {
  let now = TestStores.now
  let policy = OutboxFixtures.wallClockPolicy

  @Test(arguments: TestStores.kinds)
  func aDraftIsKeptPerResponderAndReplacedAsItIsTyped(_ kind: StoreKind) throws {
    let (store, s, id) = try OutboxFixtures.complaintStore(kind)
    _ = store
    let before = try s.draftMark()
    try s.saveDraft(mentionID: id, author: "anna", kind: .reply, text: "Sorry")
    try s.saveDraft(mentionID: id, author: "anna", kind: .reply, text: "Sorry to hear that")
    try s.saveDraft(mentionID: id, author: "bram", kind: .holding, text: "We kijken ernaar")
    #expect(try s.draft(mentionID: id, author: "anna")?.text == "Sorry to hear that")
    #expect(try s.draft(mentionID: id, author: "bram")?.kind == .holding)
    #expect(try s.draft(mentionID: id, author: "anna")?.startedAt == now)
    #expect(try s.drafts(mentionID: id).map(\.author).sorted() == ["anna", "bram"])
    #expect(
      try s.draftAuthors(mentionIDs: [id, id + 100]).mapValues { $0.sorted() } == [id: ["anna", "bram"]])
    #expect(try s.draftAuthors(mentionIDs: []).isEmpty)
    #expect(try s.draftMark() != before)
    try s.discardDraft(mentionID: id, author: "bram")
    #expect(try s.drafts(mentionID: id).map(\.author) == ["anna"])
    #expect(try s.draftMark() == [1, now.epochMilliseconds, now.epochMilliseconds % 1_000_003])
    #expect(throws: ActionError.noSuchMention(id + 100)) {
      try s.saveDraft(mentionID: id + 100, author: "anna", kind: .reply, text: "x")
    }
  }

  @Test(arguments: TestStores.kinds)
  func aReplyGoesToTheOutboxOnceAndClosesTheMentionWithTheS10FollowUp(_ kind: StoreKind) throws {
    let (store, s, id) = try OutboxFixtures.complaintStore(kind)
    _ = store
    try s.saveDraft(mentionID: id, author: "anna", kind: .reply, text: "draft")
    let record = try s.enqueueReply(
      mentionID: id, responder: "anna", kind: .reply, text: "So sorry! We are on it. – Anna", policy: policy)
    #expect(record.status == .queued)
    #expect(record.text.hasSuffix("– Anna"))
    #expect(record.createdAt == now && record.nextAttemptAt == now && record.attempts == 0)
    #expect(try s.draft(mentionID: id, author: "anna") == nil)
    let mention = try #require(try s.mention(id: id))
    #expect(mention.status == .replied)
    #expect(mention.deadlines.firstResponseAt == now)
    // The default complaint window has a 24 h follow-up after the first response (S10).
    #expect(mention.deadlines.followUp == now.addingTimeInterval(24 * 3600))
    let other = try s.enqueueReply(
      mentionID: id, responder: "bram", kind: .followUp, text: "Did it arrive? – Bram", policy: policy)
    #expect(other.idempotencyKey != record.idempotencyKey)
    #expect(try s.outbox(mentionID: id).map(\.responder) == ["anna", "bram"])
    #expect(try s.mention(id: id)?.deadlines.followUp == nil)
    #expect(try s.outbox().map(\.id) == [record.id, other.id])
    #expect(try s.outbox(statuses: [.queued], limit: 1, afterID: record.id).map(\.id) == [other.id])
    #expect(try s.outbox(statuses: [.sent]).isEmpty)
    let actions = try s.events(mentionID: id).map(\.action)
    #expect(Array(actions.suffix(2)) == ["reply", "follow_up"])
    #expect(
      try s.events(mentionID: id).last?.detail == #"{"outbox_id":\#(other.id),"kind":"follow_up"}"#)
  }

  @Test(arguments: TestStores.kinds)
  func aHoldingReplyStopsTheFirstResponseClockAndStartsTheFollowUp(_ kind: StoreKind) throws {
    let (store, s, id) = try OutboxFixtures.complaintStore(kind)
    _ = store
    try s.enqueueReply(
      mentionID: id, responder: "anna", kind: .holding, text: "We're looking into it. – Anna", policy: policy)
    let mention = try #require(try s.mention(id: id))
    #expect(mention.status == .holding)
    #expect(mention.deadlines.holdingSince == now)
    #expect(mention.nextDeadline == now.addingTimeInterval(24 * 3600))
    #expect(mention.clock(now: now) == .onTime)
    #expect(try s.events(mentionID: id).last?.action == "holding_reply")
  }

  @Test(arguments: TestStores.kinds)
  func fourEyesHoldsTheMentionUntilApprovedOrSentBack(_ kind: StoreKind) throws {
    let (store, s, id) = try OutboxFixtures.complaintStore(kind)
    _ = store
    let first = try s.enqueueReply(
      mentionID: id, responder: "anna", kind: .reply, text: "Sorry. – Anna", policy: policy,
      needsApproval: true)
    #expect(first.status == .awaitingApproval && first.nextAttemptAt == nil)
    #expect(try s.mention(id: id)?.status == .open)
    #expect(try s.dueForDelivery(now: now).isEmpty)
    // Four eyes are two people: the author neither approves nor returns their own reply.
    #expect(throws: OutboxError.ownReply(first.id)) {
      try s.approveReply(id: first.id, actor: "Anna", policy: policy)
    }
    #expect(throws: OutboxError.ownReply(first.id)) {
      try s.returnReply(id: first.id, note: "ok", actor: "anna")
    }
    try s.returnReply(id: first.id, note: "Offer a call (S7)", actor: "sam")
    let returned = try #require(try s.outboxRecord(id: first.id))
    #expect(
      returned.status == .returned && returned.reviewNote == "Offer a call (S7)"
        && returned.reviewedBy == "sam")
    #expect(try s.draft(mentionID: id, author: "anna")?.text == "Sorry. – Anna")
    #expect(throws: OutboxError.wrongState(first.id, .returned, expected: [.awaitingApproval])) {
      try s.approveReply(id: first.id, actor: "sam", policy: policy)
    }
    #expect(throws: OutboxError.noSuchReply(first.id + 100)) {
      try s.approveReply(id: first.id + 100, actor: "sam", policy: policy)
    }

    let second = try s.enqueueReply(
      mentionID: id, responder: "anna", kind: .reply, text: "Sorry, may we call you? – Anna", policy: policy,
      needsApproval: true)
    try s.approveReply(id: second.id, actor: "sam", policy: policy)
    #expect(try s.outboxRecord(id: second.id)?.status == .queued)
    #expect(try s.outboxRecord(id: second.id)?.reviewedBy == "sam")
    #expect(try s.mention(id: id)?.status == .replied)
    #expect(try s.dueForDelivery(now: now).map(\.id) == [second.id])
    let actions = try s.events(mentionID: id).map(\.action)
    #expect(
      Array(actions.drop { $0 != "reply_for_approval" }) == [
        "reply_for_approval", "return_reply", "reply_for_approval", "approve_reply",
      ])
  }

  @Test(arguments: TestStores.kinds)
  func aReplyAgainstTheAdviceKeepsItsReasonAndAReplyMeanwhileIsRefused(_ kind: StoreKind) throws {
    let (store, s, id) = try OutboxFixtures.complaintStore(kind)
    _ = store
    let record = try s.enqueueReply(
      mentionID: id, responder: "anna", kind: .reply, text: "Sorry. – Anna", policy: policy,
      needsApproval: false,
      expectedReplies: 0, againstAdvice: (rule: "S8", reason: "the customer asked for \"a\" call"))
    let overrides = try s.adviceOverrides()
    #expect(
      overrides == [
        AdviceOverrideRecord(
          at: now, actor: "anna", mentionID: id, rule: "S8", reason: "the customer asked for \"a\" call",
          outboxID: record.id)
      ])
    // A teammate checked the mention before Anna's reply went in: theirs is refused, not sent too.
    #expect(throws: OutboxError.repliedMeanwhile(id)) {
      try s.enqueueReply(
        mentionID: id, responder: "bram", kind: .reply, text: "Sorry! – Bram", policy: policy,
        expectedReplies: 0)
    }
    #expect(try s.outbox(mentionID: id).count == 1)
  }

  @Test(arguments: TestStores.kinds)
  func anEmptyReplyIsRefused(_ kind: StoreKind) throws {
    let (store, s, id) = try OutboxFixtures.complaintStore(kind)
    _ = store
    #expect(throws: OutboxError.emptyReply) {
      try s.enqueueReply(mentionID: id, responder: "anna", kind: .reply, text: " \n", policy: .default)
    }
    #expect(throws: ActionError.noSuchMention(id + 100)) {
      try s.enqueueReply(mentionID: id + 100, responder: "anna", kind: .reply, text: "Hi", policy: .default)
    }
  }
}

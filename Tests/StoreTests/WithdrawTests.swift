import Foundation
import Inbox
import Policy
import Testing

@testable import Store

/// Undo and withdraw (issue 16): a reply waits the send delay before delivery, and until its first
/// delivery attempt it can be taken back, the mention's clocks restored.
@Suite struct WithdrawTests {
  let now = OutboxTests().now

  /// One complaint, as `OutboxTests` seeds it.
  func complaintStore(_ dir: TempFolder, policy: PolicyConfig) throws -> (SQLiteStore, Int64) {
    try OutboxTests().complaintStore(dir, policy: policy)
  }

  var policy: PolicyConfig {
    var policy = PolicyConfig.default
    policy.serviceHours = nil
    return policy
  }

  @Test func aReplyWaitsTheSendDelayBeforeItIsDue() throws {
    let dir = TempFolder()
    let (store, id) = try complaintStore(dir, policy: policy)
    let record = try store.enqueueReply(
      mentionID: id, responder: "Anna", kind: .reply, text: "Sorry! – Anna", policy: policy)
    #expect(record.nextAttemptAt == now.addingTimeInterval(10))
    #expect(try store.dueForDelivery(now: now.addingTimeInterval(9)).isEmpty)
    #expect(try store.dueForDelivery(now: now.addingTimeInterval(10)).map(\.id) == [record.id])
  }

  @Test func withdrawingRestoresTheMentionsClocksAndKeepsTheTextAsADraft() throws {
    let dir = TempFolder()
    let (store, id) = try complaintStore(dir, policy: policy)
    let before = try #require(try store.mention(id: id))
    let record = try store.enqueueReply(
      mentionID: id, responder: "Anna", kind: .reply, text: "Sorry! – Anna", policy: policy)
    #expect(try store.mention(id: id)?.status == .replied)
    let done = try store.withdrawReply(
      id: record.id, reason: "wrong customer", actor: "Anna", keepDraft: true)
    #expect(done.record.status == .withdrawn)
    #expect(done.record.withdrawReason == "wrong customer")
    #expect(done.restored)
    let after = try #require(try store.mention(id: id))
    #expect(after.status == before.status)
    #expect(after.deadlines == before.deadlines)
    #expect(try store.draft(mentionID: id, author: "Anna")?.text == "Sorry! – Anna")
    #expect(try store.dueForDelivery(now: now.addingTimeInterval(60)).isEmpty)
    #expect(try store.events(mentionID: id).map(\.action).last == "withdraw_reply")
  }

  @Test func afterADeliveryAttemptItCanOnlyBeFollowedUp() throws {
    let dir = TempFolder()
    let (store, id) = try complaintStore(dir, policy: policy)
    let record = try store.enqueueReply(
      mentionID: id, responder: "Anna", kind: .reply, text: "Sorry! – Anna", policy: policy)
    try store.recordDeliveryAttempt(id: record.id)
    #expect(throws: OutboxError.deliveryStarted(record.id)) {
      try store.withdrawReply(id: record.id, reason: "too late", actor: "Anna")
    }
    // And the other way round: once withdrawn, a courier's attempt is refused.
    let dir2 = TempFolder()
    let (other, id2) = try complaintStore(dir2, policy: policy)
    let second = try other.enqueueReply(
      mentionID: id2, responder: "Anna", kind: .reply, text: "Sorry! – Anna", policy: policy)
    _ = try other.withdrawReply(id: second.id, reason: "typo", actor: "Anna")
    #expect(throws: OutboxError.self) { try other.recordDeliveryAttempt(id: second.id) }
  }

  @Test func onlyItsResponderOrASupervisorWithdrawsIt() throws {
    let dir = TempFolder()
    let (store, id) = try complaintStore(dir, policy: policy)
    let record = try store.enqueueReply(
      mentionID: id, responder: "Anna", kind: .reply, text: "Sorry! – Anna", policy: policy)
    #expect(throws: OutboxError.notYours(record.id, responder: "Anna")) {
      try store.withdrawReply(id: record.id, reason: "mine now", actor: "Bram")
    }
    let done = try store.withdrawReply(
      id: record.id, reason: "off tone", actor: "Carmen", mayWithdrawOthers: true)
    #expect(done.record.status == .withdrawn)
  }

  @Test func theSendDelayIsThePolicys() throws {
    var custom = policy
    custom.sendDelay = 0
    let dir = TempFolder()
    let (store, id) = try complaintStore(dir, policy: custom)
    let record = try store.enqueueReply(
      mentionID: id, responder: "Anna", kind: .reply, text: "Sorry! – Anna", policy: custom)
    #expect(try store.dueForDelivery(now: now).map(\.id) == [record.id])
    let text = PolicyFile.render(custom)
    #expect(text.contains("send_delay_seconds = 0"))
    let parsed = try PolicyFile.parse(text: "[outbox]\nsend_delay_seconds = 30\n", path: "p.toml")
    #expect(parsed.sendDelay == 30)
  }
}

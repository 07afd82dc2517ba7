import Foundation
import Inbox
import Policy
import Testing

/// Undo and withdraw (issue 16) on both stores: a reply waits the send delay before delivery, and
/// until its first delivery attempt it can be taken back, the mention's clocks restored (moved
/// from `StoreTests/WithdrawTests`).
@Suite struct WithdrawConformanceTests {
  let now = TestStores.now

  /// The wall-clock policy with the default send delay (10 s).
  var policy: PolicyConfig {
    var policy = PolicyConfig.default
    policy.serviceHours = nil
    return policy
  }

  @Test(arguments: TestStores.kinds)
  func aReplyWaitsTheSendDelayBeforeItIsDue(_ kind: StoreKind) throws {
    let (store, s, id) = try OutboxFixtures.complaintStore(kind, policy: policy)
    _ = store
    let record = try s.enqueueReply(
      mentionID: id, responder: "Anna", kind: .reply, text: "Sorry! – Anna", policy: policy)
    #expect(record.nextAttemptAt == now.addingTimeInterval(10))
    #expect(try s.dueForDelivery(now: now.addingTimeInterval(9)).isEmpty)
    #expect(try s.dueForDelivery(now: now.addingTimeInterval(10)).map(\.id) == [record.id])
  }

  @Test(arguments: TestStores.kinds)
  func withdrawingRestoresTheMentionsClocksAndKeepsTheTextAsADraft(_ kind: StoreKind) throws {
    let (store, s, id) = try OutboxFixtures.complaintStore(kind, policy: policy)
    _ = store
    let before = try #require(try s.mention(id: id))
    let record = try s.enqueueReply(
      mentionID: id, responder: "Anna", kind: .reply, text: "Sorry! – Anna", policy: policy)
    #expect(try s.mention(id: id)?.status == .replied)
    let done = try s.withdrawReply(
      id: record.id, reason: "wrong customer", actor: "Anna", mayWithdrawOthers: false, keepDraft: true)
    #expect(done.record.status == .withdrawn)
    #expect(done.record.withdrawReason == "wrong customer")
    #expect(done.record.nextAttemptAt == nil)
    #expect(done.restored)
    let after = try #require(try s.mention(id: id))
    #expect(after.status == before.status)
    #expect(after.deadlines == before.deadlines)
    #expect(try s.draft(mentionID: id, author: "Anna")?.text == "Sorry! – Anna")
    #expect(try s.draft(mentionID: id, author: "Anna")?.kind == .reply)
    #expect(try s.dueForDelivery(now: now.addingTimeInterval(60)).isEmpty)
    let events = try s.events(mentionID: id)
    #expect(events.map(\.action).last == "withdraw_reply")
    #expect(events.last?.detail == #"{"outbox_id":\#(record.id),"restored":true}"#)
  }

  /// A holding reply taken back: the mention is open again, without the holding clock, and the
  /// text comes back as a holding draft.
  @Test(arguments: TestStores.kinds)
  func aHoldingReplyTakenBackLeavesTheMentionOpenAndAHoldingDraft(_ kind: StoreKind) throws {
    let (store, s, id) = try OutboxFixtures.complaintStore(kind, policy: policy)
    _ = store
    let before = try #require(try s.mention(id: id))
    let record = try s.enqueueReply(
      mentionID: id, responder: "Anna", kind: .holding, text: "We kijken ernaar", policy: policy)
    #expect(try s.mention(id: id)?.status == .holding)
    let done = try s.withdrawReply(
      id: record.id, reason: "te vroeg", actor: "Anna", mayWithdrawOthers: false, keepDraft: true)
    #expect(done.restored)
    let after = try #require(try s.mention(id: id))
    #expect(after.status == before.status)
    #expect(after.deadlines == before.deadlines)
    #expect(after.deadlines.holdingSince == nil)
    #expect(try s.draft(mentionID: id, author: "Anna")?.kind == .holding)
  }

  /// A reply with a later reply built on it is withdrawn, but the clocks stay as the later one
  /// left them.
  @Test(arguments: TestStores.kinds)
  func aLaterReplyKeepsTheClocks(_ kind: StoreKind) throws {
    let (store, s, id) = try OutboxFixtures.complaintStore(kind, policy: policy)
    _ = store
    let first = try s.enqueueReply(
      mentionID: id, responder: "Anna", kind: .holding, text: "We kijken ernaar", policy: policy)
    _ = try s.enqueueReply(mentionID: id, responder: "Anna", kind: .reply, text: "Gevonden!", policy: policy)
    let replied = try #require(try s.mention(id: id))
    let done = try s.withdrawReply(
      id: first.id, reason: "dubbel", actor: "Anna", mayWithdrawOthers: false, keepDraft: false)
    #expect(!done.restored)
    #expect(done.record.status == .withdrawn)
    let after = try #require(try s.mention(id: id))
    #expect(after.status == replied.status && after.deadlines == replied.deadlines)
    #expect(try s.draft(mentionID: id, author: "Anna") == nil)
  }

  /// A first post's reply taken back: the repeats it answered take the first post's status again,
  /// each with a `reply_withdrawn` event naming it.
  @Test(arguments: TestStores.kinds)
  func takingAReplyBackReopensTheRepeatsItAnswered(_ kind: StoreKind) throws {
    let store = try TestStore(kind)
    try store.putInForce(.default)
    let s = try store.as((any MentionStore & QueueStore & OutboxStore).self)
    let text = "Trein 8:12 naar Utrecht staat AL 20 minuten stil. Niemand zegt iets!"
    _ = try s.ingest(
      [
        incoming("1", text: text, handle: "pendelaar", platform: "mastodon", minutesAgo: 60, lang: "nl"),
        incoming("2", text: text, handle: "pendelaar", platform: "mastodon", minutesAgo: 40, lang: "nl"),
      ], actor: "test", annotator: PolicyAnnotator(policy: .default))
    let id = { (external: String) in try #require(try s.mentionID(platform: "mastodon", externalID: external))
    }
    let (first, second) = (try id("1"), try id("2"))
    let reply = try s.enqueueReply(
      mentionID: first, responder: "Anna", kind: .reply, text: "Sorry voor het wachten! – Anna",
      policy: .default)
    #expect(try s.mention(id: second)?.status == .replied)
    let done = try s.withdrawReply(
      id: reply.id, reason: "typo", actor: "Anna", mayWithdrawOthers: false, keepDraft: true)
    #expect(done.restored)
    #expect(try s.mention(id: first)?.status == .open)
    #expect(try s.mention(id: second)?.status == .open)
    let withdrawn = try s.events(mentionID: second).filter { $0.action == "reply_withdrawn" }
    #expect(withdrawn.map(\.detail) == [#"{"with":\#(first)}"#])
  }

  @Test(arguments: TestStores.kinds)
  func afterADeliveryAttemptItCanOnlyBeFollowedUp(_ kind: StoreKind) throws {
    let (store, s, id) = try OutboxFixtures.complaintStore(kind, policy: policy)
    _ = store
    let record = try s.enqueueReply(
      mentionID: id, responder: "Anna", kind: .reply, text: "Sorry! – Anna", policy: policy)
    try s.recordDeliveryAttempt(id: record.id)
    #expect(throws: OutboxError.deliveryStarted(record.id)) {
      try s.withdrawReply(
        id: record.id, reason: "too late", actor: "Anna", mayWithdrawOthers: false, keepDraft: false)
    }
    // And the other way round: once withdrawn, a courier's attempt is refused.
    let (store2, other, id2) = try OutboxFixtures.complaintStore(kind, policy: policy)
    _ = store2
    let second = try other.enqueueReply(
      mentionID: id2, responder: "Anna", kind: .reply, text: "Sorry! – Anna", policy: policy)
    _ = try other.withdrawReply(
      id: second.id, reason: "typo", actor: "Anna", mayWithdrawOthers: false, keepDraft: false)
    #expect(throws: OutboxError.self) { try other.recordDeliveryAttempt(id: second.id) }
    #expect(throws: OutboxError.self) {
      try other.withdrawReply(
        id: second.id, reason: "again", actor: "Anna", mayWithdrawOthers: false, keepDraft: false)
    }
    #expect(throws: OutboxError.noSuchReply(second.id + 100)) {
      try other.withdrawReply(
        id: second.id + 100, reason: "none", actor: "Anna", mayWithdrawOthers: false, keepDraft: false)
    }
  }

  @Test(arguments: TestStores.kinds)
  func onlyItsResponderOrASupervisorWithdrawsIt(_ kind: StoreKind) throws {
    let (store, s, id) = try OutboxFixtures.complaintStore(kind, policy: policy)
    _ = store
    let record = try s.enqueueReply(
      mentionID: id, responder: "Anna", kind: .reply, text: "Sorry! – Anna", policy: policy)
    #expect(throws: OutboxError.notYours(record.id, responder: "Anna")) {
      try s.withdrawReply(
        id: record.id, reason: "mine now", actor: "Bram", mayWithdrawOthers: false, keepDraft: false)
    }
    let done = try s.withdrawReply(
      id: record.id, reason: "off tone", actor: "Carmen", mayWithdrawOthers: true, keepDraft: false)
    #expect(done.record.status == .withdrawn)
  }

  @Test(arguments: TestStores.kinds)
  func theSendDelayIsThePolicys(_ kind: StoreKind) throws {
    var custom = policy
    custom.sendDelay = 0
    let (store, s, id) = try OutboxFixtures.complaintStore(kind, policy: custom)
    _ = store
    let record = try s.enqueueReply(
      mentionID: id, responder: "Anna", kind: .reply, text: "Sorry! – Anna", policy: custom)
    #expect(try s.dueForDelivery(now: now).map(\.id) == [record.id])
    let text = PolicyFile.render(custom)
    #expect(text.contains("send_delay_seconds = 0"))
    let parsed = try PolicyFile.parse(text: "[outbox]\nsend_delay_seconds = 30\n", path: "p.toml")
    #expect(parsed.sendDelay == 30)
  }
}

import Foundation
import Inbox
import Policy

// Every store requirement not yet written for PostgreSQL (issue 18), one block per protocol, so
// that `ServerStore` is a whole `ReputeStore` and every command reaches the store: a call that is
// not here yet fails with one sentence and exit status 2. When a topic's implementation merges
// (`ServerStore+Topic.swift`), its whole block below goes; a protocol with no implementation yet
// keeps its block complete. See docs/DECISIONS.md, "A composition of the store protocols".

extension ServerStore {
  /// The refusal of a store call PostgreSQL does not have yet: `InboxError.storeUnavailable`, which
  /// every command prints as one line with exit status 2.
  func notYet(_ call: String) -> InboxError {
    .storeUnavailable("\(call) does not work on a PostgreSQL store yet (issue 18)")
  }
}

// MARK: QueueStore, what is not yet on the server

extension ServerStore {
  public func repeats(of head: Int64) throws -> [Int64] { throw notYet("QueueStore.repeats") }
}

// MARK: OutboxStore (not yet on the server)

extension ServerStore: OutboxStore {
  public func saveDraft(mentionID: Int64, author: String, kind: ReplyKind, text: String) throws {
    throw notYet("OutboxStore.saveDraft")
  }
  public func discardDraft(mentionID: Int64, author: String) throws {
    throw notYet("OutboxStore.discardDraft")
  }
  public func draft(mentionID: Int64, author: String) throws -> DraftRecord? {
    throw notYet("OutboxStore.draft")
  }
  public func drafts(mentionID: Int64) throws -> [DraftRecord] { throw notYet("OutboxStore.drafts") }
  public func draftAuthors(mentionIDs: [Int64]) throws -> [Int64: [String]] {
    throw notYet("OutboxStore.draftAuthors")
  }
  public func draftMark() throws -> [Int64] { throw notYet("OutboxStore.draftMark") }
  public func enqueueReply(
    mentionID: Int64, responder: String, kind: ReplyKind, text: String, policy: PolicyConfig,
    needsApproval: Bool, expectedReplies: Int?, againstAdvice: (rule: String, reason: String)?
  ) throws -> OutboxRecord { throw notYet("OutboxStore.enqueueReply") }
  public func adviceOverrides(limit: Int) throws -> [AdviceOverrideRecord] {
    throw notYet("OutboxStore.adviceOverrides")
  }
  public func outboxRecord(id: Int64) throws -> OutboxRecord? { throw notYet("OutboxStore.outboxRecord") }
  public func outbox(statuses: Set<OutboxStatus>, limit: Int, afterID: Int64) throws -> [OutboxRecord] {
    throw notYet("OutboxStore.outbox")
  }
  public func outbox(mentionID: Int64) throws -> [OutboxRecord] { throw notYet("OutboxStore.outbox") }
  public func approveReply(id: Int64, actor: String, policy: PolicyConfig) throws {
    throw notYet("OutboxStore.approveReply")
  }
  public func returnReply(id: Int64, note: String, actor: String) throws {
    throw notYet("OutboxStore.returnReply")
  }
  public func dueForDelivery(now: Date, limit: Int) throws -> [OutboxRecord] {
    throw notYet("OutboxStore.dueForDelivery")
  }
  public func claimDelivery(holder: String, for duration: TimeInterval) throws -> Bool {
    throw notYet("OutboxStore.claimDelivery")
  }
  public func releaseDelivery(holder: String) throws { throw notYet("OutboxStore.releaseDelivery") }
  public func deliveryHolder() throws -> String? { throw notYet("OutboxStore.deliveryHolder") }
  public func holdForApprovalIfNeeded(id: Int64, policy: PolicyConfig, actor: String) throws -> Bool {
    throw notYet("OutboxStore.holdForApprovalIfNeeded")
  }
  public func recordDeliveryAttempt(id: Int64) throws { throw notYet("OutboxStore.recordDeliveryAttempt") }
  public func markSent(id: Int64, postID: String, url: String?, actor: String) throws {
    throw notYet("OutboxStore.markSent")
  }
  public func markDeliveryFailed(id: Int64, error: String, retryAt: Date?, actor: String) throws {
    throw notYet("OutboxStore.markDeliveryFailed")
  }
  public func markUnverified(id: Int64, error: String, retryAt: Date, at: Date, actor: String) throws {
    throw notYet("OutboxStore.markUnverified")
  }
  public func deliveriesNeedingAPerson(since: Date, limit: Int) throws -> [OutboxRecord] {
    throw notYet("OutboxStore.deliveriesNeedingAPerson")
  }
  public func retryReply(id: Int64, actor: String) throws { throw notYet("OutboxStore.retryReply") }
  public func withdrawReply(
    id: Int64, reason: String, actor: String, mayWithdrawOthers: Bool, keepDraft: Bool
  ) throws -> Withdrawal { throw notYet("OutboxStore.withdrawReply") }
}

// MARK: EscalationStore (not yet on the server)

extension ServerStore: EscalationStore {
  public func evaluateTimedRules(_ rules: Escalation, now: Date, actor: String) throws -> Int {
    throw notYet("EscalationStore.evaluateTimedRules")
  }
  public func hourVolumes(now: Date, days: Int) throws -> (lastHour: Int, before: [Int]) {
    throw notYet("EscalationStore.hourVolumes")
  }
  public func acknowledge(escalation id: Int64, actor: String) throws {
    throw notYet("EscalationStore.acknowledge")
  }
  public func resolve(escalation id: Int64, note: String, actor: String) throws {
    throw notYet("EscalationStore.resolve")
  }
  public func reassign(escalation id: Int64, to owner: String, actor: String) throws {
    throw notYet("EscalationStore.reassign")
  }
  public func addNote(escalation id: Int64, text: String, actor: String) throws {
    throw notYet("EscalationStore.addNote")
  }
  public func openEscalations(limit: Int) throws -> [EscalationEntry] {
    throw notYet("EscalationStore.openEscalations")
  }
  public func escalationCounts() throws -> [String: Int] { throw notYet("EscalationStore.escalationCounts") }
  public func escalation(id: Int64) throws -> EscalationRecord? { throw notYet("EscalationStore.escalation") }
  public func replyNeedsApproval(mentionID: Int64, policy: PolicyConfig) throws -> Bool {
    throw notYet("EscalationStore.replyNeedsApproval")
  }
  public func approvalReasons(mentionID: Int64, policy: PolicyConfig) throws -> [String] {
    throw notYet("EscalationStore.approvalReasons")
  }
  public func teamFigures(now: Date, today: Date, since: Date) throws -> TeamFigures {
    throw notYet("EscalationStore.teamFigures")
  }
  public func overdueBoard(now: Date, limit: Int) throws -> [QueueEntry] {
    throw notYet("EscalationStore.overdueBoard")
  }
  public func overdueCount(now: Date, cap: Int) throws -> Int { throw notYet("EscalationStore.overdueCount") }
  public func holdingBoard(limit: Int) throws -> [QueueEntry] { throw notYet("EscalationStore.holdingBoard") }
  public func watchedAuthors(latest: Int, limit: Int) throws -> [WatchedAuthorEntry] {
    throw notYet("EscalationStore.watchedAuthors")
  }
  public func failedReplyCount() throws -> Int { throw notYet("EscalationStore.failedReplyCount") }
}

// MARK: ErasureStore (not yet on the server)

extension ServerStore: ErasureStore {
  public func forget(author handle: String, platform: String?, actor: String) throws -> ErasureCounts {
    throw notYet("ErasureStore.forget")
  }
  public func wasForgotten(author handle: String, platform: String?) throws -> Bool {
    throw notYet("ErasureStore.wasForgotten")
  }
  public func purge(before cutoff: Date, actor: String) throws -> ErasureCounts {
    throw notYet("ErasureStore.purge")
  }
  public func compact() throws -> Bool { throw notYet("ErasureStore.compact") }
  public func mentionCount(author handle: String, platform: String?) throws -> Int {
    throw notYet("ErasureStore.mentionCount")
  }
  public func authorCount(handle: String, platform: String?) throws -> Int {
    throw notYet("ErasureStore.authorCount")
  }
  public func mentionCount(before cutoff: Date) throws -> Int { throw notYet("ErasureStore.mentionCount") }
}

// MARK: NoticeStore (not yet on the server)

extension ServerStore: NoticeStore {
  public func notices(for recipient: String, includeRead: Bool, limit: Int) throws -> [Notice] {
    throw notYet("NoticeStore.notices")
  }
  public func noticeSummary(for recipient: String) throws -> NoticeSummary {
    throw notYet("NoticeStore.noticeSummary")
  }
  public func markNoticesRead(ids: [Int64], recipient: String) throws -> Int {
    throw notYet("NoticeStore.markNoticesRead")
  }
  public func markAllNoticesRead(recipient: String) throws -> Int {
    throw notYet("NoticeStore.markAllNoticesRead")
  }
}

// MARK: PersonStore (not yet on the server)

extension ServerStore: PersonStore {
  public func identity(mentionID: Int64) throws -> Identity? { throw notYet("PersonStore.identity") }
  public func identities(handle: String, platform: String?) throws -> [Identity] {
    throw notYet("PersonStore.identities")
  }
  public func person(of authorID: Int64, now: Date) throws -> PersonSummary {
    throw notYet("PersonStore.person")
  }
  public func timeline(of authorID: Int64, after cursor: TimelineCursor?, limit: Int) throws -> TimelinePage {
    throw notYet("PersonStore.timeline")
  }
  public func personNote(of authorID: Int64) throws -> PersonNote? { throw notYet("PersonStore.personNote") }
  public func setPersonNote(of authorID: Int64, text: String, actor: String) throws {
    throw notYet("PersonStore.setPersonNote")
  }
  public func link(_ authorID: Int64, with other: Int64, actor: String) throws {
    throw notYet("PersonStore.link")
  }
  public func unlink(_ authorID: Int64, actor: String) throws { throw notYet("PersonStore.unlink") }
}

// MARK: PersonChangeSource (not yet on the server)

extension ServerStore: PersonChangeSource {
  public func personMark(of authorID: Int64) throws -> PersonMark {
    throw notYet("PersonChangeSource.personMark")
  }
  public func touchesPerson(of authorID: Int64, ids: Set<Int64>, newAbove: Int64?) throws -> Bool {
    throw notYet("PersonChangeSource.touchesPerson")
  }
}

// MARK: ChangeFeedStore (not yet on the server)

extension ServerStore: ChangeFeedStore {
  public func changedMentions(after mark: ChangeFeedMark?) throws -> (
    mark: ChangeFeedMark, ids: Set<Int64>?, arrived: Bool
  ) { throw notYet("ChangeFeedStore.changedMentions") }
  public func reachesWindow(
    ids: Set<Int64>, newAbove: Int64?, anchor: Int64?, _ query: QueueFilter, now: Date
  ) throws -> Bool { throw notYet("ChangeFeedStore.reachesWindow") }
}

import Foundation
import Policy

// Drafts, the outbox and delivery as a store keeps them.

/// A reply being written: one per mention and responder, saved as it is typed.
public struct DraftRecord: Sendable, Hashable {
  public var mentionID: Int64
  public var author: String
  /// `.reply` or `.holding`: what the editor was opened for.
  public var kind: ReplyKind
  public var text: String
  public var startedAt: Date
  public var updatedAt: Date

  public init(
    mentionID: Int64, author: String, kind: ReplyKind, text: String, startedAt: Date, updatedAt: Date
  ) {
    self.mentionID = mentionID
    self.author = author
    self.kind = kind
    self.text = text
    self.startedAt = startedAt
    self.updatedAt = updatedAt
  }
}

/// What a reply is to its mention.
public enum ReplyKind: String, Sendable, Hashable, CaseIterable {
  /// The first real answer.
  case reply
  /// A holding reply (S12): stops the first-response clock and starts the follow-up clock.
  case holding
  /// A further reply to a mention that was answered already.
  case followUp = "follow_up"
}

/// Where a reply stands in the outbox. Stable names in JSON.
public enum OutboxStatus: String, Sendable, Hashable, CaseIterable {
  /// Waiting for delivery.
  case queued
  /// Four eyes: waiting for a supervisor's approval before it may be sent.
  case awaitingApproval = "awaiting_approval"
  /// Sent back by the supervisor with a note; the text is the responder's draft again.
  case returned
  /// The platform named the post it made (`platformPostID`).
  case sent
  /// Delivery gave up; the platform's message is kept in `error`.
  case failed
  /// The platform answered 2xx but named no post: maybe posted, maybe not. Checked again at
  /// `nextAttemptAt` with the same idempotency key (Mastodon) or by looking up the derived record
  /// key first (Bluesky), so the check never posts twice; `failed` when the checks run out.
  case unverified
  /// Taken back before any delivery attempt (undo within the send delay, or withdrawn from the
  /// outbox with a reason): never sent.
  case withdrawn
}

/// One reply in the outbox.
public struct OutboxRecord: Sendable, Hashable {
  public var id: Int64
  public var mentionID: Int64
  public var responder: String
  public var kind: ReplyKind
  /// Exactly what will be posted, signature included.
  public var text: String
  public var status: OutboxStatus
  public var createdAt: Date
  public var updatedAt: Date
  /// Sent with every delivery attempt, so a retry after a crash never posts twice.
  public var idempotencyKey: String
  public var attempts: Int
  public var nextAttemptAt: Date?
  public var platformPostID: String?
  public var platformURL: String?
  public var error: String?
  public var reviewedBy: String?
  public var reviewNote: String?
  /// When the platform first answered without naming a post (see `OutboxStatus.unverified`).
  public var unverifiedAt: Date?
  /// Why it was withdrawn (`OutboxStatus.withdrawn`).
  public var withdrawReason: String?

  public init(
    id: Int64, mentionID: Int64, responder: String, kind: ReplyKind, text: String, status: OutboxStatus,
    createdAt: Date, updatedAt: Date, idempotencyKey: String, attempts: Int, nextAttemptAt: Date? = nil,
    platformPostID: String? = nil, platformURL: String? = nil, error: String? = nil,
    reviewedBy: String? = nil, reviewNote: String? = nil, unverifiedAt: Date? = nil,
    withdrawReason: String? = nil
  ) {
    self.id = id
    self.mentionID = mentionID
    self.responder = responder
    self.kind = kind
    self.text = text
    self.status = status
    self.createdAt = createdAt
    self.updatedAt = updatedAt
    self.idempotencyKey = idempotencyKey
    self.attempts = attempts
    self.nextAttemptAt = nextAttemptAt
    self.platformPostID = platformPostID
    self.platformURL = platformURL
    self.error = error
    self.reviewedBy = reviewedBy
    self.reviewNote = reviewNote
    self.unverifiedAt = unverifiedAt
    self.withdrawReason = withdrawReason
  }
}

/// A reply sent against the advice not to reply, as the audit trail has it.
public struct AdviceOverrideRecord: Hashable, Sendable {
  public var at: Date
  public var actor: String
  public var mentionID: Int64?
  /// `S8`, `S5` or `S4`.
  public var rule: String
  public var reason: String
  public var outboxID: Int64?

  public init(
    at: Date, actor: String, mentionID: Int64? = nil, rule: String, reason: String, outboxID: Int64? = nil
  ) {
    self.at = at
    self.actor = actor
    self.mentionID = mentionID
    self.rule = rule
    self.reason = reason
    self.outboxID = outboxID
  }
}

/// Why an outbox action was refused.
public enum OutboxError: Error, CustomStringConvertible, Equatable {
  case noSuchReply(Int64)
  case wrongState(Int64, OutboxStatus, expected: [OutboxStatus])
  case emptyReply
  /// Another reply to the mention was put in the outbox after this one was checked.
  case repliedMeanwhile(Int64)
  /// Four eyes are two people: nobody approves or sends back their own reply.
  case ownReply(Int64)
  /// A courier has started delivering it: it can only be followed up now.
  case deliveryStarted(Int64)
  /// Someone else's reply: only they (or a supervisor) withdraw it.
  case notYours(Int64, responder: String)

  public var description: String {
    switch self {
    case .noSuchReply(let id): return "no reply \(id) in the outbox"
    case .wrongState(let id, let status, let expected):
      let names = expected.map(\.rawValue).joined(separator: " or ")
      return "reply \(id) is \(status.rawValue), not \(names)"
    case .emptyReply: return "the reply is empty"
    case .repliedMeanwhile(let id): return "mention \(id) got another reply meanwhile; check again"
    case .deliveryStarted(let id):
      return "reply \(id) is being delivered already: it can only be followed up now"
    case .notYours(let id, let responder):
      return "reply \(id) is \(responder)'s: only they or a supervisor withdraw it"
    case .ownReply(let id):
      return "four eyes: reply \(id) is your own; someone else must approve it or send it back"
    }
  }
}

/// Drafts, the outbox and delivery: what the reply editor, the supervisor's approvals and the
/// courier ask of a store.
public protocol OutboxStore: Sendable {
  /// Saves the responder's draft on a mention (one per mention and responder).
  func saveDraft(mentionID: Int64, author: String, kind: ReplyKind, text: String) throws
  /// Drops the responder's draft on a mention.
  func discardDraft(mentionID: Int64, author: String) throws
  /// The responder's draft on a mention.
  func draft(mentionID: Int64, author: String) throws -> DraftRecord?
  /// Every draft on a mention.
  func drafts(mentionID: Int64) throws -> [DraftRecord]
  /// Who writes on which of these mentions (only the mentions with a draft).
  func draftAuthors(mentionIDs: [Int64]) throws -> [Int64: [String]]
  /// A value that changes whenever any draft does.
  func draftMark() throws -> [Int64]

  /// Puts a reply in the outbox, in one transaction with its consequences for the mention.
  @discardableResult
  func enqueueReply(
    mentionID: Int64, responder: String, kind: ReplyKind, text: String, policy: PolicyConfig,
    needsApproval: Bool, expectedReplies: Int?, againstAdvice: (rule: String, reason: String)?
  ) throws -> OutboxRecord
  /// Replies sent against the advice not to reply, newest first.
  func adviceOverrides(limit: Int) throws -> [AdviceOverrideRecord]
  /// One reply in the outbox.
  func outboxRecord(id: Int64) throws -> OutboxRecord?
  /// The outbox, optionally only some statuses, from an id on.
  func outbox(statuses: Set<OutboxStatus>, limit: Int, afterID: Int64) throws -> [OutboxRecord]
  /// The replies to one mention.
  func outbox(mentionID: Int64) throws -> [OutboxRecord]
  /// A supervisor approves a reply waiting for approval.
  func approveReply(id: Int64, actor: String, policy: PolicyConfig) throws
  /// A supervisor returns a reply to its responder with a note.
  func returnReply(id: Int64, note: String, actor: String) throws

  /// Queued and unverified replies whose next attempt is due at `now`, oldest first.
  func dueForDelivery(now: Date, limit: Int) throws -> [OutboxRecord]
  /// Takes (or extends) the delivery lease for `holder`; false while another holds it.
  func claimDelivery(holder: String, for duration: TimeInterval) throws -> Bool
  /// Gives the delivery lease up.
  func releaseDelivery(holder: String) throws
  /// Who holds the delivery lease, if anyone.
  func deliveryHolder() throws -> String?
  /// Holds a queued reply for approval when the policy asks for it now; true when it did.
  @discardableResult
  func holdForApprovalIfNeeded(id: Int64, policy: PolicyConfig, actor: String) throws -> Bool
  /// Counts an attempt to deliver a reply.
  func recordDeliveryAttempt(id: Int64) throws
  /// A reply went out.
  func markSent(id: Int64, postID: String, url: String?, actor: String) throws
  /// A delivery failed: retried at `retryAt`, or for good when nil.
  func markDeliveryFailed(id: Int64, error: String, retryAt: Date?, actor: String) throws
  /// A delivery whose outcome is not known: checked again at `retryAt`.
  func markUnverified(id: Int64, error: String, retryAt: Date, at: Date, actor: String) throws
  /// Deliveries that need a person (failed, or unverified too long) since `since`.
  func deliveriesNeedingAPerson(since: Date, limit: Int) throws -> [OutboxRecord]
  /// Queues a failed reply again.
  func retryReply(id: Int64, actor: String) throws
  /// Takes back a reply that no courier has tried to deliver yet (queued or waiting for
  /// approval): it becomes `withdrawn` with `reason`, its text `actor`'s draft again when
  /// `keepDraft`, and the mention's clocks go back unless a later reply was built on them. Only
  /// its responder, or anyone when `mayWithdrawOthers` (a supervisor). One `withdraw_reply` event.
  func withdrawReply(id: Int64, reason: String, actor: String, mayWithdrawOthers: Bool, keepDraft: Bool)
    throws -> Withdrawal
}

/// What `withdrawReply` did.
public struct Withdrawal: Equatable, Sendable {
  /// The reply as it is now (`withdrawn`).
  public var record: OutboxRecord
  /// Whether the mention's clocks went back to what they were before the reply; not when a later
  /// reply to the mention was built on them.
  public var restored: Bool

  public init(record: OutboxRecord, restored: Bool) {
    self.record = record
    self.restored = restored
  }
}

extension OutboxStore {
  @discardableResult
  public func enqueueReply(
    mentionID: Int64, responder: String, kind: ReplyKind, text: String, policy: PolicyConfig,
    needsApproval: Bool = false, expectedReplies: Int? = nil
  ) throws -> OutboxRecord {
    try enqueueReply(
      mentionID: mentionID, responder: responder, kind: kind, text: text, policy: policy,
      needsApproval: needsApproval, expectedReplies: expectedReplies, againstAdvice: nil)
  }

  public func adviceOverrides() throws -> [AdviceOverrideRecord] { try adviceOverrides(limit: 50) }

  public func outbox(statuses: Set<OutboxStatus> = [], limit: Int = 1_000) throws -> [OutboxRecord] {
    try outbox(statuses: statuses, limit: limit, afterID: 0)
  }

  public func dueForDelivery(now: Date) throws -> [OutboxRecord] { try dueForDelivery(now: now, limit: 100) }

  @discardableResult
  public func holdForApprovalIfNeeded(id: Int64, policy: PolicyConfig) throws -> Bool {
    try holdForApprovalIfNeeded(id: id, policy: policy, actor: "repute")
  }

  public func markSent(id: Int64, postID: String, url: String?) throws {
    try markSent(id: id, postID: postID, url: url, actor: "repute")
  }

  public func markDeliveryFailed(id: Int64, error: String, retryAt: Date?) throws {
    try markDeliveryFailed(id: id, error: error, retryAt: retryAt, actor: "repute")
  }

  public func deliveriesNeedingAPerson(since: Date) throws -> [OutboxRecord] {
    try deliveriesNeedingAPerson(since: since, limit: 100)
  }
}

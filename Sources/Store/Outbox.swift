import Foundation
import GRDB
import Inbox
import Policy

/// A reply sent against the advice not to reply, as the audit trail has it.
public struct AdviceOverrideRecord: Hashable, Sendable {
  public var at: Date
  public var actor: String
  public var mentionID: Int64?
  /// `S8`, `S5` or `S4`.
  public var rule: String
  public var reason: String
  public var outboxID: Int64?
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
}

/// A reply being written: one per mention and responder, saved as it is typed.
public struct DraftRecord: Sendable, Hashable {
  public var mentionID: Int64
  public var author: String
  /// `.reply` or `.holding`: what the editor was opened for.
  public var kind: ReplyKind
  public var text: String
  public var startedAt: Date
  public var updatedAt: Date
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

  public var description: String {
    switch self {
    case .noSuchReply(let id): return "no reply \(id) in the outbox"
    case .wrongState(let id, let status, let expected):
      let names = expected.map(\.rawValue).joined(separator: " or ")
      return "reply \(id) is \(status.rawValue), not \(names)"
    case .emptyReply: return "the reply is empty"
    case .repliedMeanwhile(let id): return "mention \(id) got another reply meanwhile; check again"
    case .ownReply(let id):
      return "four eyes: reply \(id) is your own; someone else must approve it or send it back"
    }
  }
}

// MARK: - Drafts

extension SQLiteStore {
  /// Saves the draft `author` is writing on a mention; empty text discards it. No event: a draft
  /// is work in progress, saved about once a second while typing; sending it is the event.
  public func saveDraft(mentionID: Int64, author: String, kind: ReplyKind, text: String) throws {
    let now = clock.now().epochMilliseconds
    try pool.write { db in
      if text.isEmpty {
        try db.execute(
          sql: "DELETE FROM drafts WHERE mention_id = ? AND author = ?", arguments: [mentionID, author])
        return
      }
      try Self.requireWritable(db, mentionID: mentionID)
      try db.execute(
        sql: """
          INSERT INTO drafts (mention_id, author, kind, text, started_at, updated_at)
          VALUES (?, ?, ?, ?, ?, ?)
          ON CONFLICT (mention_id, author) DO UPDATE SET
            kind = excluded.kind, text = excluded.text, updated_at = excluded.updated_at
          """, arguments: [mentionID, author, kind.rawValue, text, now, now])
    }
  }

  /// The mention exists and was not erased. An inbox may still hold an editor open on a mention
  /// that another process just forgot: its next save must not bring the text back.
  static func requireWritable(_ db: Database, mentionID: Int64) throws {
    guard
      let handle = try String.fetchOne(
        db, sql: "SELECT a.handle FROM mentions m JOIN authors a ON a.id = m.author_id WHERE m.id = ?",
        arguments: [mentionID])
    else { throw ActionError.noSuchMention(mentionID) }
    if handle == forgottenHandle { throw ActionError.erased(mentionID) }
  }

  /// Throws away `author`'s draft on a mention, if any.
  public func discardDraft(mentionID: Int64, author: String) throws {
    try saveDraft(mentionID: mentionID, author: author, kind: .reply, text: "")
  }

  /// `author`'s draft on a mention, to restore when the editor opens again.
  public func draft(mentionID: Int64, author: String) throws -> DraftRecord? {
    try pool.read { db in
      try Row.fetchOne(
        db, sql: "SELECT \(Self.draftColumns) FROM drafts WHERE mention_id = ? AND author = ?",
        arguments: [mentionID, author]
      ).map(Self.draftRecord)
    }
  }

  /// Every draft on a mention, newest first: teammates see that someone is writing, and who.
  public func drafts(mentionID: Int64) throws -> [DraftRecord] {
    try pool.read { db in
      try Row.fetchAll(
        db, sql: "SELECT \(Self.draftColumns) FROM drafts WHERE mention_id = ? ORDER BY updated_at DESC",
        arguments: [mentionID]
      ).map(Self.draftRecord)
    }
  }

  static let draftColumns = "mention_id, author, kind, text, started_at, updated_at"

  static func draftRecord(_ row: Row) -> DraftRecord {
    DraftRecord(
      mentionID: row[0], author: row[1], kind: ReplyKind(rawValue: row[2]) ?? .reply, text: row[3],
      startedAt: Date(epochMilliseconds: row[4]), updatedAt: Date(epochMilliseconds: row[5]))
  }
}

// MARK: - The outbox

extension SQLiteStore {
  /// Puts a reply in the outbox, in one transaction with its consequences.
  ///
  /// The responder's draft is removed and an event records who sent what kind of reply (not its
  /// text). Unless the reply must wait for a supervisor's approval (`needsApproval`, four eyes),
  /// the mention moves on at once: a holding reply makes it `holding` with the follow-up clock
  /// running from now (S12); a reply makes it `replied`, with the category's follow-up target
  /// after the first response recorded where the policy has one (S10).
  ///
  /// `expectedReplies`: how many replies the mention had when this one was checked; when another
  /// came in since (a teammate sending at the same moment), `OutboxError.repliedMeanwhile` is
  /// thrown instead, inside the same transaction, so two replies never both go out unasked.
  @discardableResult
  public func enqueueReply(
    mentionID: Int64, responder: String, kind: ReplyKind, text: String, policy: PolicyConfig,
    needsApproval: Bool = false, expectedReplies: Int? = nil,
    againstAdvice: (rule: String, reason: String)? = nil
  ) throws -> OutboxRecord {
    guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw OutboxError.emptyReply }
    let now = clock.now().epochMilliseconds
    let key = UUID().uuidString.lowercased()
    let status: OutboxStatus = needsApproval ? .awaitingApproval : .queued
    let id = try pool.write { db -> Int64 in
      try Self.requireWritable(db, mentionID: mentionID)
      if let expectedReplies,
        try Int.fetchOne(db, sql: "SELECT count(*) FROM outbox WHERE mention_id = ?", arguments: [mentionID])
          != expectedReplies
      {
        throw OutboxError.repliedMeanwhile(mentionID)
      }
      try db.execute(
        sql: """
          INSERT INTO outbox (mention_id, responder, kind, text, status, created_at, updated_at,
            idempotency_key)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [mentionID, responder, kind.rawValue, text, status.rawValue, now, now, key])
      let id = db.lastInsertedRowID
      try db.execute(
        sql: "DELETE FROM drafts WHERE mention_id = ? AND author = ?", arguments: [mentionID, responder])
      let action = needsApproval ? "reply_for_approval" : kind.eventAction
      try appendEvent(
        db, at: now, actor: responder, action: action, mentionID: mentionID,
        detail: #"{"outbox_id":\#(id),"kind":"\#(kind.rawValue)"}"#)
      if let againstAdvice {
        // In the same transaction as the reply: no reply against the advice without its reason.
        var w = JSONWriter()
        w.int("outbox_id", id)
        w.string("rule", againstAdvice.rule)
        w.string("reason", againstAdvice.reason)
        try appendEvent(
          db, at: now, actor: responder, action: Self.againstAdviceAction, mentionID: mentionID,
          detail: w.finish())
      }
      if !needsApproval {
        try Self.applyReply(
          db, mentionID: mentionID, kind: kind, responder: responder, at: now, policy: policy)
      }
      return id
    }
    guard let record = try outboxRecord(id: id) else { throw OutboxError.noSuchReply(id) }
    return record
  }

  /// The event of a reply sent against the advice not to reply (S8, S5, S4), with rule and reason.
  public static let againstAdviceAction = "reply_against_advice"

  /// The latest replies sent against the advice, newest first: who, when, which rule, why.
  public func adviceOverrides(limit: Int = 50) throws -> [AdviceOverrideRecord] {
    try pool.read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT at, actor, mention_id, json_extract(detail, '$.rule'), json_extract(detail, '$.reason'),
            json_extract(detail, '$.outbox_id')
          FROM events WHERE action = ? ORDER BY id DESC LIMIT ?
          """,
        arguments: [Self.againstAdviceAction, limit]
      ).map { row in
        AdviceOverrideRecord(
          at: Date(epochMilliseconds: row[0]), actor: row[1], mentionID: row[2], rule: row[3] ?? "",
          reason: row[4] ?? "", outboxID: row[5])
      }
    }
  }

  /// The mention's move once a reply is on its way (see `enqueueReply`).
  static func applyReply(
    _ db: Database, mentionID: Int64, kind: ReplyKind, responder: String, at now: Int64, policy: PolicyConfig
  ) throws {
    guard
      let row = try Row.fetchOne(
        db, sql: "SELECT category, status FROM mentions WHERE id = ?", arguments: [mentionID])
    else { throw ActionError.noSuchMention(mentionID) }
    let category = (row[0] as String?).flatMap(Category.init(rawValue:))
    let status = MentionStatus(rawValue: row[1]) ?? .open
    let time = Date(epochMilliseconds: now)
    switch kind {
    case .holding:
      let follow = policy.followUpDeadline(afterHoldingAt: time).epochMilliseconds
      try db.execute(
        sql: """
          UPDATE mentions SET status = 'holding', holding_since = ?, follow_up_due_at = ?, due_at = ?,
            snoozed_until = NULL, snoozed_from = NULL, \(Self.coolingEnds),
            first_response_at = coalesce(first_response_at, ?),
            first_response_by = coalesce(first_response_by, ?)
          WHERE id = ?
          """, arguments: [now, follow, follow, now, now, now, responder, mentionID])
    case .reply, .followUp:
      // S10: after the first real answer to a category with a follow-up window, the follow-up
      // target is recorded and is the mention's active target (back on the clock, `due_at`); a
      // follow-up reply fulfils it.
      let follow: Int64? =
        kind == .followUp || status == .replied
        ? nil
        : category.flatMap { policy.followUpDeadline(category: $0, firstResponseAt: time)?.epochMilliseconds }
      try db.execute(
        sql: """
          UPDATE mentions SET status = 'replied', due_at = ?, follow_up_due_at = ?,
            snoozed_until = NULL, snoozed_from = NULL, no_reply_reason = NULL, \(Self.coolingEnds),
            first_response_at = coalesce(first_response_at, ?),
            first_response_by = coalesce(first_response_by, ?)
          WHERE id = ?
          """, arguments: [follow, follow, now, now, now, responder, mentionID])
    }
  }

  /// Once the organisation answered, the cooling-off (S11) is over: the earliest reply moves up to
  /// the answer, so an answered mention never sits in the queue's cooling segment. Two arguments:
  /// the answer's time, twice.
  static let coolingEnds =
    "earliest_reply_at = CASE WHEN earliest_reply_at > ? THEN ? ELSE earliest_reply_at END"

  /// One reply by its outbox id.
  public func outboxRecord(id: Int64) throws -> OutboxRecord? {
    try pool.read { db in
      try Row.fetchOne(db, sql: "SELECT \(Self.outboxColumns) FROM outbox WHERE id = ?", arguments: [id])
        .map(Self.outboxRecord)
    }
  }

  /// Replies in the outbox, oldest first; only those in `statuses` when it is not empty.
  public func outbox(statuses: Set<OutboxStatus> = [], limit: Int = 1_000, afterID: Int64 = 0) throws
    -> [OutboxRecord]
  {
    try pool.read { db in
      var sql = "SELECT \(Self.outboxColumns) FROM outbox WHERE id > ?"
      var arguments: StatementArguments = [afterID]
      if !statuses.isEmpty {
        let names = statuses.map(\.rawValue).sorted()
        sql += " AND status IN (\(names.map { _ in "?" }.joined(separator: ", ")))"
        arguments += StatementArguments(names)
      }
      sql += " ORDER BY id LIMIT ?"
      arguments += [limit]
      return try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.outboxRecord)
    }
  }

  /// Every reply to one mention, oldest first.
  public func outbox(mentionID: Int64) throws -> [OutboxRecord] {
    try pool.read { db in
      try Row.fetchAll(
        db, sql: "SELECT \(Self.outboxColumns) FROM outbox WHERE mention_id = ? ORDER BY id",
        arguments: [mentionID]
      ).map(Self.outboxRecord)
    }
  }

  /// Four eyes: the supervisor approves a reply waiting for approval; it is queued for delivery
  /// and the mention moves on as if it had been sent now.
  public func approveReply(id: Int64, actor: String, policy: PolicyConfig) throws {
    let now = clock.now().epochMilliseconds
    try pool.write { db in
      let record = try Self.outboxRecord(db, id: id, expecting: [.awaitingApproval])
      guard record.responder.lowercased() != actor.lowercased() else { throw OutboxError.ownReply(id) }
      try db.execute(
        sql: "UPDATE outbox SET status = 'queued', reviewed_by = ?, updated_at = ? WHERE id = ?",
        arguments: [actor, now, id])
      try appendEvent(
        db, at: now, actor: actor, action: "approve_reply", mentionID: record.mentionID,
        detail: #"{"outbox_id":\#(id)}"#)
      // A reply held at delivery moved its mention when it was queued; moving it again would
      // drop the follow-up target (S10) that move recorded.
      let heldAtDelivery =
        try Bool.fetchOne(
          db,
          sql:
            "SELECT EXISTS (SELECT 1 FROM events WHERE mention_id = ? AND action = 'held_for_approval' AND detail = ?)",
          arguments: [record.mentionID, #"{"outbox_id":\#(id)}"#]) ?? false
      if !heldAtDelivery {
        try Self.applyReply(
          db, mentionID: record.mentionID, kind: record.kind, responder: record.responder, at: now,
          policy: policy)
      }
    }
  }

  /// Four eyes: the supervisor sends a reply back with a note; its text becomes the responder's
  /// draft again (unless they started a new one), so nothing they wrote is lost.
  public func returnReply(id: Int64, note: String, actor: String) throws {
    let now = clock.now().epochMilliseconds
    try pool.write { db in
      let record = try Self.outboxRecord(db, id: id, expecting: [.awaitingApproval])
      guard record.responder.lowercased() != actor.lowercased() else { throw OutboxError.ownReply(id) }
      try db.execute(
        sql: """
          UPDATE outbox SET status = 'returned', reviewed_by = ?, review_note = ?, updated_at = ?
          WHERE id = ?
          """, arguments: [actor, note, now, id])
      let kind: ReplyKind = record.kind == .holding ? .holding : .reply
      try db.execute(
        sql: """
          INSERT INTO drafts (mention_id, author, kind, text, started_at, updated_at)
          VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (mention_id, author) DO NOTHING
          """, arguments: [record.mentionID, record.responder, kind.rawValue, record.text, now, now])
      try appendEvent(
        db, at: now, actor: actor, action: "return_reply", mentionID: record.mentionID,
        detail: #"{"outbox_id":\#(id)}"#)
    }
  }

  // MARK: Delivery

  /// Queued and unverified replies whose next attempt (or check) is due at `now`, oldest first.
  public func dueForDelivery(now: Date, limit: Int = 100) throws -> [OutboxRecord] {
    try pool.read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT \(Self.outboxColumns) FROM outbox
          WHERE status IN ('queued', 'unverified') AND coalesce(next_attempt_at, 0) <= ?
          ORDER BY id LIMIT ?
          """, arguments: [now.epochMilliseconds, limit]
      ).map(Self.outboxRecord)
    }
  }

  /// Takes the store's delivery lease for `holder` (`host:pid`) for `duration`: one courier at a
  /// time sends replies, so an inbox with `--watch` and a `repute watch` (or a `repute deliver`)
  /// never call a platform with the same reply at once. Mastodon's idempotency key only catches
  /// a repeat that comes after the first post is stored, not one that races it. A lease held by
  /// a live process on this host is respected; a dead one's (kill -9) is taken over at once, so
  /// a crash delays no retry; one from another host is respected until it runs out.
  public func claimDelivery(holder: String, for duration: TimeInterval) throws -> Bool {
    let now = clock.now().epochMilliseconds
    return try pool.write { db in
      if let current = try Self.deliveryLease(db), current.holder != holder, current.until > now,
        Self.leaseHolderIsAlive(current.holder)
      {
        return false
      }
      try db.execute(
        sql: """
          INSERT INTO store_meta (key, value) VALUES ('delivery_lease', ?)
          ON CONFLICT (key) DO UPDATE SET value = excluded.value
          """, arguments: ["\(now + Int64(duration * 1000)) \(holder)"])
      return true
    }
  }

  /// Gives the delivery lease back, if `holder` has it.
  public func releaseDelivery(holder: String) throws {
    try pool.write { db in
      guard try Self.deliveryLease(db)?.holder == holder else { return }
      try db.execute(sql: "DELETE FROM store_meta WHERE key = 'delivery_lease'")
    }
  }

  /// Who holds the delivery lease now (`host:pid`), if anyone alive does.
  public func deliveryHolder() throws -> String? {
    let now = clock.now().epochMilliseconds
    return try pool.read { db in
      guard let current = try Self.deliveryLease(db), current.until > now,
        Self.leaseHolderIsAlive(current.holder)
      else { return nil }
      return current.holder
    }
  }

  /// The lease as kept in `store_meta`: "<until, epoch ms> <holder>".
  static func deliveryLease(_ db: Database) throws -> (until: Int64, holder: String)? {
    guard
      let value = try String.fetchOne(db, sql: "SELECT value FROM store_meta WHERE key = 'delivery_lease'"),
      let space = value.firstIndex(of: " "), let until = Int64(value[..<space])
    else { return nil }
    return (until, String(value[value.index(after: space)...]))
  }

  /// Four eyes at delivery: the courier's last look before it sends a queued reply. Approval is
  /// decided when a reply enters the outbox, but a legal or press escalation may be raised on its
  /// mention afterwards (a later post in the thread, a timed rule): a reply nobody reviewed, by a
  /// responder who is not a supervisor, to a mention that now needs approval by `policy`, goes
  /// to `awaiting_approval` instead (event `held_for_approval`) and true is returned. Checked and
  /// moved in one transaction, so an escalation and a send never cross unseen.
  public func holdForApprovalIfNeeded(id: Int64, policy: PolicyConfig, actor: String = "repute") throws
    -> Bool
  {
    let now = clock.now().epochMilliseconds
    return try pool.write { db in
      let record = try Self.outboxRecord(db, id: id, expecting: [.queued])
      guard record.reviewedBy == nil else { return false }
      let login = record.responder.lowercased()
      let supervisor = policy.team.contains {
        $0.role == .supervisor && ($0.login.lowercased() == login || $0.name.lowercased() == login)
      }
      guard !supervisor else { return false }
      let category = try String.fetchOne(
        db, sql: "SELECT category FROM mentions WHERE id = ?", arguments: [record.mentionID]
      ).flatMap(Category.init(rawValue:))
      let reasons = try String.fetchAll(
        db, sql: "SELECT DISTINCT reason FROM escalations WHERE mention_id = ?", arguments: [record.mentionID]
      ).compactMap(EscalationReason.init(rawValue:))
      guard EscalationRules(policy.escalation).needsApproval(category: category, reasons: reasons) else {
        return false
      }
      try db.execute(
        sql:
          "UPDATE outbox SET status = 'awaiting_approval', next_attempt_at = NULL, updated_at = ? WHERE id = ?",
        arguments: [now, id])
      try appendEvent(
        db, at: now, actor: actor, action: "held_for_approval", mentionID: record.mentionID,
        detail: #"{"outbox_id":\#(id)}"#)
      return true
    }
  }

  /// Records that an attempt is about to be made, before the platform is called: a crash during
  /// the call leaves the count raised, and the retry carries the same idempotency key.
  public func recordDeliveryAttempt(id: Int64) throws {
    let now = clock.now().epochMilliseconds
    try pool.write { db in
      _ = try Self.outboxRecord(db, id: id, expecting: [.queued, .unverified])
      try db.execute(
        sql: "UPDATE outbox SET attempts = attempts + 1, updated_at = ? WHERE id = ?", arguments: [now, id])
    }
  }

  /// The platform took the reply and named the post it made: its id and link are kept. Only an
  /// answer that names the post makes a reply `sent`; one that does not is `markUnverified`.
  public func markSent(id: Int64, postID: String, url: String?, actor: String = "repute") throws {
    let now = clock.now().epochMilliseconds
    try pool.write { db in
      let record = try Self.outboxRecord(db, id: id, expecting: [.queued, .unverified, .failed])
      try db.execute(
        sql: """
          UPDATE outbox SET status = 'sent', platform_post_id = ?, platform_url = ?, error = NULL,
            next_attempt_at = NULL, updated_at = ?
          WHERE id = ?
          """, arguments: [postID, url, now, id])
      try appendEvent(
        db, at: now, actor: actor, action: "delivered", mentionID: record.mentionID,
        detail: #"{"outbox_id":\#(id)}"#)
    }
  }

  /// The platform refused or could not be reached: with `retryAt` the reply stays as it was
  /// (queued, or unverified) for another attempt then; without, it is `failed`, with the
  /// platform's message for the inbox, and an event records it (saying when the reply had been
  /// unverified: it may be on the platform after all).
  public func markDeliveryFailed(id: Int64, error: String, retryAt: Date?, actor: String = "repute") throws {
    let now = clock.now().epochMilliseconds
    try pool.write { db in
      let record = try Self.outboxRecord(db, id: id, expecting: [.queued, .unverified])
      try db.execute(
        sql: "UPDATE outbox SET status = ?, error = ?, next_attempt_at = ?, updated_at = ? WHERE id = ?",
        arguments: [
          retryAt == nil ? OutboxStatus.failed.rawValue : record.status.rawValue, error,
          retryAt?.epochMilliseconds, now, id,
        ])
      if retryAt == nil {
        let unverified = record.status == .unverified ? #","unverified":true"# : ""
        try appendEvent(
          db, at: now, actor: actor, action: "delivery_failed", mentionID: record.mentionID,
          detail: #"{"outbox_id":\#(id)\#(unverified)}"#)
      }
    }
  }

  /// The platform answered 2xx but named no post: the reply is `unverified`, checked again at
  /// `retryAt`. `at` is when that answer came; the first such time is kept (`unverifiedAt`), the
  /// checks' deadline counts from it. The first time, an event records it.
  public func markUnverified(id: Int64, error: String, retryAt: Date, at: Date, actor: String = "repute")
    throws
  {
    let now = clock.now().epochMilliseconds
    try pool.write { db in
      let record = try Self.outboxRecord(db, id: id, expecting: [.queued, .unverified])
      try db.execute(
        sql: """
          UPDATE outbox SET status = 'unverified', error = ?, next_attempt_at = ?,
            unverified_at = coalesce(unverified_at, ?), updated_at = ?
          WHERE id = ?
          """, arguments: [error, retryAt.epochMilliseconds, at.epochMilliseconds, now, id])
      if record.status != .unverified {
        try appendEvent(
          db, at: now, actor: actor, action: "delivery_unverified", mentionID: record.mentionID,
          detail: #"{"outbox_id":\#(id)}"#)
      }
    }
  }

  /// Replies delivery needs a person for, newest first: every unverified one, and those that
  /// failed since `since` (older failures were seen to or are history; `repute outbox` has them).
  public func deliveriesNeedingAPerson(since: Date, limit: Int = 100) throws -> [OutboxRecord] {
    try pool.read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT \(Self.outboxColumns) FROM outbox
          WHERE status = 'unverified' OR (status = 'failed' AND updated_at >= ?)
          ORDER BY updated_at DESC, id DESC LIMIT ?
          """, arguments: [since.epochMilliseconds, limit]
      ).map(Self.outboxRecord)
    }
  }

  /// Puts a failed reply back in the queue for delivery, keeping its idempotency key; an earlier
  /// unverified answer's deadline no longer counts (the person checked the account's posts).
  public func retryReply(id: Int64, actor: String) throws {
    let now = clock.now().epochMilliseconds
    try pool.write { db in
      let record = try Self.outboxRecord(db, id: id, expecting: [.failed])
      try db.execute(
        sql: """
          UPDATE outbox SET status = 'queued', next_attempt_at = NULL, unverified_at = NULL, updated_at = ?
          WHERE id = ?
          """, arguments: [now, id])
      try appendEvent(
        db, at: now, actor: actor, action: "retry_reply", mentionID: record.mentionID,
        detail: #"{"outbox_id":\#(id)}"#)
    }
  }

  static let outboxColumns = """
    id, mention_id, responder, kind, text, status, created_at, updated_at, idempotency_key, attempts,
    next_attempt_at, platform_post_id, platform_url, error, reviewed_by, review_note, unverified_at
    """

  static func outboxRecord(_ row: Row) -> OutboxRecord {
    let next: Int64? = row[10]
    let unverified: Int64? = row[16]
    return OutboxRecord(
      id: row[0], mentionID: row[1], responder: row[2], kind: ReplyKind(rawValue: row[3]) ?? .reply,
      text: row[4], status: OutboxStatus(rawValue: row[5]) ?? .queued,
      createdAt: Date(epochMilliseconds: row[6]), updatedAt: Date(epochMilliseconds: row[7]),
      idempotencyKey: row[8], attempts: row[9], nextAttemptAt: next.map(Date.init(epochMilliseconds:)),
      platformPostID: row[11], platformURL: row[12], error: row[13], reviewedBy: row[14], reviewNote: row[15],
      unverifiedAt: unverified.map(Date.init(epochMilliseconds:)))
  }

  static func outboxRecord(_ db: Database, id: Int64, expecting: [OutboxStatus]) throws -> OutboxRecord {
    guard
      let record = try Row.fetchOne(
        db, sql: "SELECT \(outboxColumns) FROM outbox WHERE id = ?", arguments: [id]
      ).map(outboxRecord)
    else { throw OutboxError.noSuchReply(id) }
    guard expecting.contains(record.status) else {
      throw OutboxError.wrongState(id, record.status, expected: expecting)
    }
    return record
  }
}

extension ReplyKind {
  /// The event a reply of this kind records.
  var eventAction: String {
    switch self {
    case .reply: return "reply"
    case .holding: return "holding_reply"
    case .followUp: return "follow_up"
    }
  }
}

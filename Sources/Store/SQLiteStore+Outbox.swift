import Foundation
import GRDB
import Inbox
import Policy

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
      // What the reply is about to change on the mention, so taking it back restores it; and the
      // send delay, before which no courier delivers it (the undo window).
      let undo = needsApproval ? nil : try Self.clockState(db, mentionID: mentionID)
      let sendAfter: Int64? = needsApproval ? nil : now + Int64(policy.sendDelay * 1000)
      try db.execute(
        sql: """
          INSERT INTO outbox (mention_id, responder, kind, text, status, created_at, updated_at,
            idempotency_key, next_attempt_at, undo_state)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          mentionID, responder, kind.rawValue, text, status.rawValue, now, now, key, sendAfter, undo,
        ])
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
      // A reply while a follow-up is pending answers it: when, and the target it answered, are
      // kept for its outcome (the right-hand sides read the row as it was).
      try db.execute(
        sql: """
          UPDATE mentions SET
            follow_up_at = CASE WHEN \(Self.followUpPendingSQL) THEN ? ELSE follow_up_at END,
            follow_up_answered_due_at = CASE WHEN \(Self.followUpPendingSQL) THEN follow_up_due_at
              ELSE follow_up_answered_due_at END
          WHERE id = ?
          """, arguments: [now, mentionID])
      try db.execute(
        sql: """
          UPDATE mentions SET status = 'replied', due_at = ?, follow_up_due_at = ?,
            snoozed_until = NULL, snoozed_from = NULL, no_reply_reason = NULL, \(Self.coolingEnds),
            first_response_at = coalesce(first_response_at, ?),
            first_response_by = coalesce(first_response_by, ?)
          WHERE id = ?
          """, arguments: [follow, follow, now, now, now, responder, mentionID])
    }
    // An overdue escalation whose reason this reply took away closes in this transaction.
    try closeSettledOverdue(db, mentionID: mentionID, now: now)
    // One answer for a post and its repeats (issue 16).
    try followHead(db, head: mentionID, action: "answered_with", actor: responder, now: now)
  }

  /// A follow-up target is pending: after a holding reply (S12) or a replied complaint's personal
  /// follow-up (S10), snoozed or not.
  static let followUpPendingSQL =
    "(follow_up_due_at IS NOT NULL AND status IN ('holding', 'replied', 'snoozed'))"

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
        cached: db, sql: "SELECT \(Self.outboxColumns) FROM outbox WHERE mention_id = ? ORDER BY id",
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
      // Approved, it waits the send delay like any reply, and can be taken back until delivered.
      try db.execute(
        sql: """
          UPDATE outbox SET status = 'queued', reviewed_by = ?, updated_at = ?, next_attempt_at = ?,
            undo_state = coalesce(undo_state, ?)
          WHERE id = ?
          """,
        arguments: [
          actor, now, now + Int64(policy.sendDelay * 1000),
          try Self.clockState(db, mentionID: record.mentionID), id,
        ])
      try appendEvent(
        db, at: now, actor: actor, action: "approve_reply", mentionID: record.mentionID,
        detail: #"{"outbox_id":\#(id)}"#)
      try Self.notifyResponder(db, of: record, kind: .approved, actor: actor, at: now)
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
      try Self.notifyResponder(db, of: record, kind: .sentBack, actor: actor, note: note, at: now)
    }
  }

  static let outboxColumns = """
    id, mention_id, responder, kind, text, status, created_at, updated_at, idempotency_key, attempts,
    next_attempt_at, platform_post_id, platform_url, error, reviewed_by, review_note, unverified_at,
    withdraw_reason
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
      unverifiedAt: unverified.map(Date.init(epochMilliseconds:)), withdrawReason: row[17])
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

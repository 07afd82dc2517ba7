import Foundation
import Inbox
import Policy
import PostgresNIO

/// The outbox on the server, as `SQLiteStore+Outbox.swift` keeps it: a reply and its consequences
/// for the mention in one transaction, four eyes, the outbox's reads. Drafts are in
/// `ServerStore+Drafts.swift`, delivery in `ServerStore+Delivery.swift`.
extension ServerStore: OutboxStore {
  /// Puts a reply in the outbox (`SQLiteStore.enqueueReply`: the draft removed, the event, the
  /// advice override's event, the mention moved unless it waits for approval). The writer's turn
  /// is taken first, so two replies sent at once take turns and `expectedReplies` sees the other.
  @discardableResult
  public func enqueueReply(
    mentionID: Int64, responder: String, kind: ReplyKind, text: String, policy: PolicyConfig,
    needsApproval: Bool, expectedReplies: Int?, againstAdvice: (rule: String, reason: String)?
  ) throws -> OutboxRecord {
    guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw OutboxError.emptyReply }
    let now = clock.now().epochMilliseconds
    let key = UUID().uuidString.lowercased()
    let status: OutboxStatus = needsApproval ? .awaitingApproval : .queued
    let advice = againstAdvice.map { [$0.rule, $0.reason] }
    return try replyRun { session in
      try await session.transaction { session in
        try await ReplySQL.writerTurn(session)
        try await ReplySQL.requireWritable(session, mentionID: mentionID)
        if let expectedReplies {
          let count = try await session.values(
            "SELECT count(*)::bigint FROM outbox WHERE mention_id = $1", binds: ReplySQL.binds(mentionID),
            as: Int.self)
          if count.first != expectedReplies { throw OutboxError.repliedMeanwhile(mentionID) }
        }
        // What the reply is about to change on the mention, so taking it back restores it; and the
        // send delay, before which no courier delivers it (the undo window).
        let undo = needsApproval ? nil : try await ReplySQL.clockState(session, mentionID: mentionID)
        let sendAfter: Int64? = needsApproval ? nil : now + Int64(policy.sendDelay * 1000)
        let inserted = try await session.values(
          """
          INSERT INTO outbox (mention_id, responder, kind, text, status, created_at, updated_at,
            idempotency_key, next_attempt_at, undo_state)
          VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8, $9) RETURNING id
          """,
          binds: ReplySQL.binds(
            mentionID, responder, kind.rawValue, text, status.rawValue, now, key, sendAfter, undo),
          as: Int64.self)
        let id = inserted[0]
        try await ReplySQL.exec(
          session, "DELETE FROM drafts WHERE mention_id = $1 AND author = $2",
          ReplySQL.binds(mentionID, responder))
        try await ReplySQL.appendEvent(
          session, at: now, actor: responder,
          action: needsApproval ? "reply_for_approval" : kind.serverEventAction,
          mentionID: mentionID, detail: #"{"outbox_id":\#(id),"kind":"\#(kind.rawValue)"}"#)
        if let advice {
          // In the same transaction as the reply: no reply against the advice without its reason.
          var w = JSONWriter()
          w.int("outbox_id", id)
          w.string("rule", advice[0])
          w.string("reason", advice[1])
          try await ReplySQL.appendEvent(
            session, at: now, actor: responder, action: Self.againstAdviceAction, mentionID: mentionID,
            detail: w.finish())
        }
        if !needsApproval {
          try await ReplySQL.applyReply(
            session, mentionID: mentionID, kind: kind, responder: responder, at: now, policy: policy)
        }
        guard
          let record = try await ReplySQL.outboxRecords(
            session, "SELECT \(ReplySQL.outboxColumns) FROM outbox WHERE id = $1", binds: ReplySQL.binds(id)
          ).first
        else { throw OutboxError.noSuchReply(id) }
        return record
      }
    }
  }

  /// The event of a reply sent against the advice not to reply (`SQLiteStore.againstAdviceAction`).
  static let againstAdviceAction = "reply_against_advice"

  /// The latest replies sent against the advice, newest first.
  public func adviceOverrides(limit: Int) throws -> [AdviceOverrideRecord] {
    try replyRun { session in
      try await session.rows(
        """
        SELECT at, actor, mention_id, detail::jsonb ->> 'rule', detail::jsonb ->> 'reason',
          (detail::jsonb ->> 'outbox_id')::bigint
        FROM events WHERE action = $1 ORDER BY id DESC LIMIT $2
        """, binds: ReplySQL.binds(Self.againstAdviceAction, Int64(limit)),
        as: (Int64, String, Int64?, String?, String?, Int64?).self
      ).map {
        AdviceOverrideRecord(
          at: Date(epochMilliseconds: $0.0), actor: $0.1, mentionID: $0.2, rule: $0.3 ?? "",
          reason: $0.4 ?? "",
          outboxID: $0.5)
      }
    }
  }

  public func outboxRecord(id: Int64) throws -> OutboxRecord? {
    try replyRun { session in
      try await ReplySQL.outboxRecords(
        session, "SELECT \(ReplySQL.outboxColumns) FROM outbox WHERE id = $1", binds: ReplySQL.binds(id)
      ).first
    }
  }

  /// Replies in the outbox, oldest first; only those in `statuses` when it is not empty.
  public func outbox(statuses: Set<OutboxStatus>, limit: Int, afterID: Int64) throws -> [OutboxRecord] {
    let names = statuses.map(\.rawValue).sorted()
    return try replyRun { session in
      try await ReplySQL.outboxRecords(
        session,
        """
        SELECT \(ReplySQL.outboxColumns) FROM outbox
        WHERE id > $1 AND (cardinality($2::text[]) = 0 OR status = ANY($2::text[]))
        ORDER BY id LIMIT $3
        """, binds: ReplySQL.binds(afterID, names, Int64(limit)))
    }
  }

  /// Every reply to one mention, oldest first.
  public func outbox(mentionID: Int64) throws -> [OutboxRecord] {
    try replyRun { session in
      try await ReplySQL.outboxRecords(
        session, "SELECT \(ReplySQL.outboxColumns) FROM outbox WHERE mention_id = $1 ORDER BY id",
        binds: ReplySQL.binds(mentionID))
    }
  }

  /// Four eyes: the supervisor approves a reply waiting for approval (`SQLiteStore.approveReply`).
  public func approveReply(id: Int64, actor: String, policy: PolicyConfig) throws {
    let now = clock.now().epochMilliseconds
    try replyRun { session in
      try await session.transaction { session in
        try await ReplySQL.writerTurn(session)
        let record = try await ReplySQL.lockedReply(session, id: id, expecting: [.awaitingApproval])
        guard record.responder.lowercased() != actor.lowercased() else { throw OutboxError.ownReply(id) }
        let undo = try await ReplySQL.clockState(session, mentionID: record.mentionID)
        // Approved, it waits the send delay like any reply, and can be taken back until delivered.
        try await ReplySQL.exec(
          session,
          """
          UPDATE outbox SET status = 'queued', reviewed_by = $2, updated_at = $3, next_attempt_at = $4,
            undo_state = coalesce(undo_state, $5)
          WHERE id = $1
          """, ReplySQL.binds(id, actor, now, now + Int64(policy.sendDelay * 1000), undo))
        try await ReplySQL.appendEvent(
          session, at: now, actor: actor, action: "approve_reply", mentionID: record.mentionID,
          detail: ReplySQL.outboxDetail(id))
        try await ReplySQL.notifyResponder(session, of: record, kind: .approved, actor: actor, at: now)
        // A reply held at delivery moved its mention when it was queued; moving it again would
        // drop the follow-up target (S10) that move recorded.
        let held = try await session.values(
          """
          SELECT EXISTS (SELECT 1 FROM events WHERE mention_id = $1 AND action = 'held_for_approval'
            AND detail = $2)
          """, binds: ReplySQL.binds(record.mentionID, ReplySQL.outboxDetail(id)), as: Bool.self)
        if held.first != true {
          try await ReplySQL.applyReply(
            session, mentionID: record.mentionID, kind: record.kind, responder: record.responder, at: now,
            policy: policy)
        }
      }
    }
  }

  /// Four eyes: the supervisor sends a reply back with a note; its text becomes the responder's
  /// draft again unless they started a new one (`SQLiteStore.returnReply`).
  public func returnReply(id: Int64, note: String, actor: String) throws {
    let now = clock.now().epochMilliseconds
    try replyRun { session in
      try await session.transaction { session in
        try await ReplySQL.writerTurn(session)
        let record = try await ReplySQL.lockedReply(session, id: id, expecting: [.awaitingApproval])
        guard record.responder.lowercased() != actor.lowercased() else { throw OutboxError.ownReply(id) }
        try await ReplySQL.exec(
          session,
          "UPDATE outbox SET status = 'returned', reviewed_by = $2, review_note = $3, updated_at = $4 WHERE id = $1",
          ReplySQL.binds(id, actor, note, now))
        let kind: ReplyKind = record.kind == .holding ? .holding : .reply
        try await ReplySQL.exec(
          session,
          """
          INSERT INTO drafts (mention_id, author, kind, text, started_at, updated_at)
          VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (mention_id, author) DO NOTHING
          """, ReplySQL.binds(record.mentionID, record.responder, kind.rawValue, record.text, now))
        try await ReplySQL.appendEvent(
          session, at: now, actor: actor, action: "return_reply", mentionID: record.mentionID,
          detail: ReplySQL.outboxDetail(id))
        try await ReplySQL.notifyResponder(
          session, of: record, kind: .sentBack, actor: actor, note: note, at: now)
      }
    }
  }
}

import Foundation
import Inbox
import Policy
import PostgresNIO

/// Undo and withdraw (issue 16) on the server, as `SQLiteStore+Withdraw.swift` has them: until its
/// first delivery attempt a reply can be taken back. The check and the change are one transaction
/// in the writers' turn, as the courier's attempt (`recordDeliveryAttempt`, expecting `queued`) is:
/// whichever commits first wins, so a withdrawn reply is never posted and a reply being posted is
/// never called withdrawn.
extension ServerStore {
  /// Takes back a reply that no courier has tried to deliver yet (queued or waiting for
  /// approval): it becomes `withdrawn` with `reason`, its text becomes `actor`'s draft again when
  /// `keepDraft` (the inbox's `u`), and the mention's clocks go back to what they were before it,
  /// unless a later reply was built on them. Only its responder or a supervisor withdraws it
  /// (`mayWithdrawOthers`). One `withdraw_reply` event.
  public func withdrawReply(
    id: Int64, reason: String, actor: String, mayWithdrawOthers: Bool, keepDraft: Bool
  ) throws -> Withdrawal {
    let now = clock.now().epochMilliseconds
    return try replyRun { session in
      try await session.transaction { session in
        try await ReplySQL.writerTurn(session)
        let record = try await ReplySQL.lockedReply(session, id: id, expecting: [.queued, .awaitingApproval])
        guard record.attempts == 0 else { throw OutboxError.deliveryStarted(id) }
        guard mayWithdrawOthers || record.responder.lowercased() == actor.lowercased() else {
          throw OutboxError.notYours(id, responder: record.responder)
        }
        try await session.execute(
          """
          UPDATE outbox SET status = 'withdrawn', withdraw_reason = $1, next_attempt_at = NULL, updated_at = $2
          WHERE id = $3
          """, .of(reason, now, id))
        let later =
          try await session.one(
            """
            SELECT count(*) FROM outbox WHERE mention_id = $1 AND id > $2
              AND status NOT IN ('withdrawn', 'returned', 'awaiting_approval')
            """, binds: .of(record.mentionID, id), as: Int.self) ?? 0
        var restored = false
        if later == 0, record.status == .queued,
          let state = try await session.one(
            "SELECT undo_state FROM outbox WHERE id = $1", binds: .of(id), as: String.self)
        {
          try await Self.restoreClockState(session, mentionID: record.mentionID, state: state)
          try await Self.reopenRepeats(session, head: record.mentionID, actor: actor, now: now)
          restored = true
        }
        if keepDraft {
          let kind: ReplyKind = record.kind == .holding ? .holding : .reply
          try await session.execute(
            """
            INSERT INTO drafts (mention_id, author, kind, text, started_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, $5)
            ON CONFLICT (mention_id, author) DO UPDATE SET text = excluded.text, kind = excluded.kind,
              updated_at = excluded.updated_at
            """, .of(record.mentionID, actor, kind.rawValue, record.text, now))
        }
        var w = JSONWriter()
        w.int("outbox_id", id)
        w.bool("restored", restored)
        try await session.appendEvent(
          at: now, actor: actor, action: "withdraw_reply", mentionID: record.mentionID, detail: w.finish())
        guard
          let after = try await ReplySQL.outboxRecords(
            session, "SELECT \(ReplySQL.outboxColumns) FROM outbox WHERE id = $1", binds: .of(id)
          ).first
        else { throw OutboxError.noSuchReply(id) }
        return Withdrawal(record: after, restored: restored)
      }
    }
  }

  /// Puts the mention's clock columns back as the reply found them (`undo_state`, written by
  /// `ReplySQL.clockState` or by the SQLite store, the same JSON): only the columns of
  /// `ReplySQL.clockKeys`, the values bound.
  static func restoreClockState(_ session: ServerSession, mentionID: Int64, state: String) async throws {
    guard let object = try JSONSerialization.jsonObject(with: Data(state.utf8)) as? [String: Any] else {
      return
    }
    var sets: [String] = []
    var binds = PostgresBindings()
    for key in ReplySQL.clockKeys {
      let column = "\(key.name)"
      guard let value = object[column] else { continue }
      switch value {
      case let s as String where key.text: binds.append(s)
      case let n as NSNumber where !key.text: binds.append(n.int64Value)
      default: binds.appendNull()
      }
      sets.append("\(column) = $\(binds.count)")
    }
    guard !sets.isEmpty else { return }
    binds.append(mentionID)
    try await session.execute(
      "UPDATE mentions SET \(sets.joined(separator: ", ")) WHERE id = $\(binds.count)", binds)
  }

  /// A first post's reply taken back: its repeats that were answered with it take its status
  /// again, each with a `reply_withdrawn` event naming it (`SQLiteStore.reopenRepeats`).
  static func reopenRepeats(_ session: ServerSession, head: Int64, actor: String, now: Int64) async throws {
    let answered = try await session.values(
      "SELECT id FROM mentions WHERE repeat_of = $1 AND status IN ('replied', 'holding') ORDER BY id",
      binds: .of(head), as: Int64.self)
    guard !answered.isEmpty,
      let status = try await session.one(
        "SELECT status FROM mentions WHERE id = $1", binds: .of(head), as: String.self)
    else { return }
    for id in answered {
      try await session.execute("UPDATE mentions SET status = $1 WHERE id = $2", .of(status, id))
      try await session.appendEvent(
        at: now, actor: actor, action: "reply_withdrawn", mentionID: id, detail: #"{"with":\#(head)}"#)
    }
  }
}

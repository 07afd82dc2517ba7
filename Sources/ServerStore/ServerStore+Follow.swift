import Foundation
import Inbox
import Policy
import PostgresNIO

// What follows an action in its own transaction, as on SQLite: a first post's repeats take its
// status (`SQLiteStore+Repeats`), and an overdue escalation whose reason the action took away is
// closed (`SQLiteStore+EscalationRules`).
extension ServerStore {
  /// The open repeats of `head` take its status (replied, holding, no reply, snoozed) after an
  /// action on it, each with an `action` event whose detail names the first post.
  static func followHead(_ session: ServerSession, head: Int64, action: String, actor: String, now: Int64)
    async throws
  {
    let repeats = try await session.values(
      "SELECT id FROM mentions WHERE repeat_of = $1 AND status NOT IN ('replied', 'no_reply') ORDER BY id",
      binds: .of(head), as: Int64.self)
    guard !repeats.isEmpty,
      let (status, reason, until, from) = try await session.rows(
        "SELECT status, no_reply_reason, snoozed_until, snoozed_from FROM mentions WHERE id = $1",
        binds: .of(head), as: (String, String?, Int64?, String?).self
      ).first
    else { return }
    for id in repeats {
      try await session.execute(
        """
        UPDATE mentions SET status = $1, no_reply_reason = $2::text, snoozed_until = $3::bigint,
          snoozed_from = $4::text, due_at = NULL
        WHERE id = $5
        """, .of(status, reason, until, from, id))
      try await session.appendEvent(
        at: now, actor: actor, action: action, mentionID: id, detail: #"{"with":\#(head)}"#)
    }
  }

  /// A first post reopened: its closed repeats open with it, each with a `reopen` event naming it;
  /// they stay off the clock, as folded.
  static func reopenWithHead(_ session: ServerSession, head: Int64, actor: String, now: Int64) async throws {
    let closed = try await session.values(
      "SELECT id FROM mentions WHERE repeat_of = $1 AND status IN ('replied', 'no_reply') ORDER BY id",
      binds: .of(head), as: Int64.self)
    for id in closed {
      try await session.execute(
        "UPDATE mentions SET status = 'open', no_reply_reason = NULL, follow_up_due_at = NULL WHERE id = $1",
        .of(id))
      try await session.appendEvent(
        at: now, actor: actor, action: "reopen", mentionID: id, detail: #"{"with":\#(head)}"#)
    }
  }

  /// Closes the mention's overdue escalations whose reason is gone (no longer open and past its
  /// target), each with a note by the rule saying why and an `escalation_resolve` event marked
  /// `auto`, in the transaction of the action that took the reason away.
  static func closeSettledOverdue(_ session: ServerSession, mentionID: Int64, now: Int64) async throws {
    let settled = try await session.rows(
      """
      SELECT e.id, m.status FROM escalations e JOIN mentions m ON m.id = e.mention_id
      WHERE e.reason = 'overdue' AND e.state <> 'resolved' AND e.mention_id = $1
        AND NOT (m.due_at IS NOT NULL AND m.due_at <= $2 AND NOT m.muted
          AND m.status IN ('open', 'holding', 'replied', 'snoozed'))
      ORDER BY e.id LIMIT 2000
      """, binds: .of(mentionID, now), as: (Int64, String).self)
    let actor = "policy"
    for (id, status) in settled {
      let why: String
      switch MentionStatus(rawValue: status) {
      case .replied?: why = "answered"
      case .holding?: why = "held (S12)"
      case .noReply?: why = "closed without a reply"
      default: why = "target moved"
      }
      try await session.execute(
        "UPDATE escalations SET state = 'resolved', resolved_at = $1, updated_at = $1 WHERE id = $2",
        .of(now, id))
      try await session.execute(
        "INSERT INTO escalation_notes (escalation_id, at, author, text) VALUES ($1, $2, $3, $4)",
        .of(id, now, actor, "closed by itself: \(why), no longer overdue"))
      var w = JSONWriter()
      w.int("escalation_id", id)
      w.bool("auto", true)
      w.string("why", why)
      try await session.appendEvent(
        at: now, actor: actor, action: "escalation_resolve", mentionID: mentionID, detail: w.finish())
    }
  }
}

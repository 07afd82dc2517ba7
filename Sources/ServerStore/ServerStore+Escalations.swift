import Foundation
import Inbox
import Policy
import PostgresNIO

/// The supervisor's actions on escalations and reading them on the server, as
/// `SQLiteStore+Escalations.swift` has them; the timed rules are in
/// `ServerStore+EscalationRules.swift`. Each action takes the writer's turn first
/// (`ReplySQL.writerTurn`), so two supervisors acting at once take turns and the second sees the
/// first's state.
extension ServerStore: EscalationStore {
  private func changeEscalation(
    _ id: Int64, actor: String, action: String, note: String? = nil,
    extra: (@Sendable (inout JSONWriter) -> Void)? = nil,
    _ update: @escaping @Sendable (ServerSession, Int64) async throws -> Void
  ) throws {
    let now = clock.now().epochMilliseconds
    try replyRun { session in
      try await session.transaction { session in
        try await ReplySQL.writerTurn(session)
        guard
          let (mentionID, state) = try await session.rows(
            "SELECT mention_id, state FROM escalations WHERE id = $1", binds: ReplySQL.binds(id),
            as: (Int64, String).self
          ).first
        else { throw EscalationError.noSuchEscalation(id) }
        if state == "resolved" && action != "escalation_note" { throw EscalationError.alreadyResolved(id) }
        try await update(session, now)
        if let note, !note.isEmpty {
          try await ReplySQL.exec(
            session, "INSERT INTO escalation_notes (escalation_id, at, author, text) VALUES ($1, $2, $3, $4)",
            ReplySQL.binds(id, now, actor, note))
        }
        var w = JSONWriter()
        w.int("escalation_id", id)
        extra?(&w)
        try await ReplySQL.appendEvent(
          session, at: now, actor: actor, action: action, mentionID: mentionID, detail: w.finish())
      }
    }
  }

  /// The supervisor has seen it: `new` → `acknowledged`, owned by the supervisor unless owned.
  public func acknowledge(escalation id: Int64, actor: String) throws {
    try changeEscalation(id, actor: actor, action: "escalation_acknowledge") { session, now in
      try await ReplySQL.exec(
        session,
        "UPDATE escalations SET state = 'acknowledged', owner = coalesce(owner, $2), updated_at = $3 WHERE id = $1",
        ReplySQL.binds(id, actor, now))
    }
  }

  /// Closes the escalation with a note saying what was done.
  public func resolve(escalation id: Int64, note: String, actor: String) throws {
    try changeEscalation(id, actor: actor, action: "escalation_resolve", note: note) { session, now in
      try await ReplySQL.exec(
        session, "UPDATE escalations SET state = 'resolved', resolved_at = $2, updated_at = $2 WHERE id = $1",
        ReplySQL.binds(id, now))
    }
  }

  /// Hands the escalation to a responder: they own it, and the mention is claimed for them.
  public func reassign(escalation id: Int64, to owner: String, actor: String) throws {
    try changeEscalation(id, actor: actor, action: "escalation_reassign", extra: { $0.string("to", owner) }) {
      session, now in
      try await ReplySQL.exec(
        session, "UPDATE escalations SET owner = $2, updated_at = $3 WHERE id = $1",
        ReplySQL.binds(id, owner, now))
      try await ReplySQL.exec(
        session,
        """
        UPDATE mentions SET claimed_by = $2, claimed_at = $3
        WHERE id = (SELECT mention_id FROM escalations WHERE id = $1)
        """, ReplySQL.binds(id, owner, now))
    }
  }

  /// Adds a note to the escalation (also to a resolved one: the story may go on).
  public func addNote(escalation id: Int64, text: String, actor: String) throws {
    try changeEscalation(id, actor: actor, action: "escalation_note", note: text) { session, now in
      try await ReplySQL.exec(
        session, "UPDATE escalations SET updated_at = $2 WHERE id = $1", ReplySQL.binds(id, now))
    }
  }

  static let escalationColumns =
    "e.id, e.mention_id, e.reason, e.state, e.owner, e.created_at, e.created_by, e.severity, e.detail, e.repeats"

  /// The open escalations (new and acknowledged) by severity, then age, with their mentions.
  public func openEscalations(limit: Int) throws -> [EscalationEntry] {
    try replyRun { session in
      // The mention's columns first, then its claim, then the escalation's.
      let m = Self.mentionColumns.split(separator: ",").count
      let rows = try await Self.records(
        session,
        """
        SELECT \(Self.mentionColumns), m.claimed_by, \(Self.escalationColumns)
        FROM escalations e JOIN mentions m ON m.id = e.mention_id JOIN authors a ON a.id = m.author_id
        WHERE e.state <> 'resolved'
        ORDER BY e.severity DESC, e.created_at, e.id LIMIT $1
        """, binds: ReplySQL.binds(Int64(limit))
      ) { row in
        let r = row.makeRandomAccess()
        let mention = try Self.mention(row)
        let escalation = try Self.escalationRecord(r, from: m + 1, notes: [])
        return EscalationEntry(
          escalation: escalation, severity: try r[m + 8].decode(Int.self),
          detail: try r[m + 9].decode(String?.self), mention: mention,
          claimedBy: try r[m].decode(String?.self))
      }
      var out: [EscalationEntry] = []
      for var entry in rows {
        entry.escalation.notes = try await Self.escalationNotes(session, entry.escalation.id)
        out.append(entry)
      }
      return out
    }
  }

  /// How many escalations are open, by state.
  public func escalationCounts() throws -> [String: Int] {
    try replyRun { session in
      var counts: [String: Int] = [:]
      for (state, count) in try await session.rows(
        "SELECT state, count(*)::bigint FROM escalations WHERE state <> 'resolved' GROUP BY state",
        as: (String, Int).self)
      {
        counts[state] = count
      }
      return counts
    }
  }

  /// One escalation by id, with its notes.
  public func escalation(id: Int64) throws -> EscalationRecord? {
    try replyRun { session in
      guard
        var record = try await Self.records(
          session, "SELECT \(Self.escalationColumns) FROM escalations e WHERE e.id = $1",
          binds: ReplySQL.binds(id),
          { try Self.escalationRecord($0.makeRandomAccess(), from: 0, notes: []) }
        ).first
      else { return nil }
      record.notes = try await Self.escalationNotes(session, id)
      return record
    }
  }

  /// An escalation from `escalationColumns` starting at column `first`.
  static func escalationRecord(_ r: PostgresRandomAccessRow, from first: Int, notes: [NoteRecord]) throws
    -> EscalationRecord
  {
    EscalationRecord(
      id: try r[first].decode(Int64.self), mentionID: try r[first + 1].decode(Int64.self),
      reason: try r[first + 2].decode(String.self), state: try r[first + 3].decode(String.self),
      owner: try r[first + 4].decode(String?.self),
      createdAt: Date(epochMilliseconds: try r[first + 5].decode(Int64.self)),
      createdBy: try r[first + 6].decode(String.self), notes: notes, count: try r[first + 9].decode(Int.self))
  }

  static func escalationNotes(_ session: ServerSession, _ id: Int64) async throws -> [NoteRecord] {
    try await session.rows(
      "SELECT id, at, author, text FROM escalation_notes WHERE escalation_id = $1 ORDER BY id",
      binds: ReplySQL.binds(id), as: (Int64, Int64, String, String).self
    ).map { NoteRecord(id: $0.0, at: Date(epochMilliseconds: $0.1), author: $0.2, text: $0.3) }
  }

  /// Four eyes: whether a reply to this mention must wait for a supervisor's approval, by the
  /// policy's approval categories and every reason the mention was ever escalated for.
  public func replyNeedsApproval(mentionID: Int64, policy: PolicyConfig) throws -> Bool {
    let (category, reasons) = try replyRun { session in
      try await EscalationSQL.approvalFacts(session, mentionID: mentionID)
    }
    return EscalationRules(policy.escalation).needsApproval(category: category, reasons: reasons)
  }

  /// Why a reply to this mention needs approval: the category and reasons the policy names.
  public func approvalReasons(mentionID: Int64, policy: PolicyConfig) throws -> [String] {
    let (category, reasons) = try replyRun { session in
      try await EscalationSQL.approvalFacts(session, mentionID: mentionID)
    }
    var why: [String] = []
    if let category, policy.escalation.approvalCategories.contains(category) { why.append(category.rawValue) }
    for reason in Set(reasons).map(\.rawValue).sorted()
    where EscalationReason(rawValue: reason).map(policy.escalation.approvalReasons.contains) == true {
      why.append(reason)
    }
    return why
  }

  /// How many mentions are past their active target (a mention still cooling is not overdue),
  /// counting at most `cap + 1`, as the status line counts them.
  public func overdueCount(now: Date, cap: Int) throws -> Int {
    let at = now.epochMilliseconds
    return try replyRun { session in
      try await session.values(
        """
        SELECT count(*)::bigint FROM (SELECT 1 FROM mentions
          WHERE due_at IS NOT NULL AND NOT muted AND due_at <= $1 AND NOT coalesce(earliest_reply_at > $1, false)
          LIMIT $2) AS overdue
        """, binds: ReplySQL.binds(at, Int64(cap + 1)), as: Int.self
      ).first ?? 0
    }
  }

  /// How many replies delivery gave up on.
  public func failedReplyCount() throws -> Int {
    try replyRun { session in
      try await session.values("SELECT count(*)::bigint FROM outbox WHERE status = 'failed'", as: Int.self)
        .first
        ?? 0
    }
  }
}

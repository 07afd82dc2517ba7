import Foundation
import GRDB
import Inbox
import Policy

/// The supervisor's actions on escalations, and reading them.
extension SQLiteStore {
  // MARK: - The supervisor's actions

  private func changeEscalation(
    _ id: Int64, actor: String, action: String, note: String? = nil,
    extra: ((inout JSONWriter) -> Void)? = nil,
    _ update: (Database, Int64) throws -> Void
  ) throws {
    let now = clock.now().epochMilliseconds
    try pool.write { db in
      guard
        let row = try Row.fetchOne(
          db, sql: "SELECT mention_id, state FROM escalations WHERE id = ?", arguments: [id])
      else { throw EscalationError.noSuchEscalation(id) }
      let mentionID: Int64 = row[0]
      let state: String = row[1]
      if state == "resolved" && action != "escalation_note" { throw EscalationError.alreadyResolved(id) }
      try update(db, now)
      if let note, !note.isEmpty {
        try db.execute(
          sql: "INSERT INTO escalation_notes (escalation_id, at, author, text) VALUES (?, ?, ?, ?)",
          arguments: [id, now, actor, note])
      }
      var w = JSONWriter()
      w.int("escalation_id", id)
      extra?(&w)
      try appendEvent(db, at: now, actor: actor, action: action, mentionID: mentionID, detail: w.finish())
    }
  }

  /// The supervisor has seen it: `new` → `acknowledged`, owned by the supervisor unless owned.
  public func acknowledge(escalation id: Int64, actor: String) throws {
    try changeEscalation(id, actor: actor, action: "escalation_acknowledge") { db, now in
      try db.execute(
        sql: """
          UPDATE escalations SET state = 'acknowledged', owner = coalesce(owner, ?), updated_at = ?
          WHERE id = ?
          """, arguments: [actor, now, id])
    }
  }

  /// Closes the escalation with a note saying what was done.
  public func resolve(escalation id: Int64, note: String, actor: String) throws {
    try changeEscalation(id, actor: actor, action: "escalation_resolve", note: note) { db, now in
      try db.execute(
        sql: "UPDATE escalations SET state = 'resolved', resolved_at = ?, updated_at = ? WHERE id = ?",
        arguments: [now, now, id])
    }
  }

  /// Hands the escalation to a responder: they own it, and the mention is claimed for them.
  public func reassign(escalation id: Int64, to owner: String, actor: String) throws {
    try changeEscalation(id, actor: actor, action: "escalation_reassign", extra: { $0.string("to", owner) }) {
      db, now in
      try db.execute(
        sql: "UPDATE escalations SET owner = ?, updated_at = ? WHERE id = ?", arguments: [owner, now, id])
      try db.execute(
        sql: """
          UPDATE mentions SET claimed_by = ?, claimed_at = ?
          WHERE id = (SELECT mention_id FROM escalations WHERE id = ?)
          """, arguments: [owner, now, id])
    }
  }

  /// Adds a note to the escalation (also to a resolved one: the story may go on).
  public func addNote(escalation id: Int64, text: String, actor: String) throws {
    try changeEscalation(id, actor: actor, action: "escalation_note", note: text) { db, now in
      try db.execute(sql: "UPDATE escalations SET updated_at = ? WHERE id = ?", arguments: [now, id])
    }
  }

  // MARK: - Reading

  static let escalationColumns =
    "e.id, e.mention_id, e.reason, e.state, e.owner, e.created_at, e.created_by, e.severity, e.detail, e.repeats"

  /// The open escalations (new and acknowledged) by severity, then age (oldest first), with their
  /// mentions; at most `limit`.
  public func openEscalations(limit: Int = 200) throws -> [EscalationEntry] {
    try pool.read { db in
      let rows = try Row.fetchAll(
        db,
        sql: """
          SELECT \(Self.mentionColumns), m.claimed_by, \(Self.escalationColumns)
          FROM escalations e INDEXED BY escalations_board
          JOIN mentions m ON m.id = e.mention_id JOIN authors a ON a.id = m.author_id
          WHERE e.state != 'resolved'
          ORDER BY e.severity DESC, e.created_at, e.id LIMIT ?
          """, arguments: [limit])
      // The mention's columns first, then its claim, then the escalation's.
      let m = Self.mentionColumns.split(separator: ",").count
      return try rows.map { row in
        let id: Int64 = row[m + 1]
        return EscalationEntry(
          escalation: EscalationRecord(
            id: id, mentionID: row[m + 2], reason: row[m + 3], state: row[m + 4], owner: row[m + 5],
            createdAt: Date(epochMilliseconds: row[m + 6]), createdBy: row[m + 7],
            notes: try Self.escalationNotes(db, id), count: row[m + 10]),
          severity: row[m + 8], detail: row[m + 9], mention: Self.mention(row), claimedBy: row[m])
      }
    }
  }

  /// How many escalations are open, by state.
  public func escalationCounts() throws -> [String: Int] {
    try pool.read { db in
      var counts: [String: Int] = [:]
      for row in try Row.fetchAll(
        db, sql: "SELECT state, count(*) FROM escalations WHERE state != 'resolved' GROUP BY state")
      {
        counts[row[0]] = row[1]
      }
      return counts
    }
  }

  /// One escalation by id.
  public func escalation(id: Int64) throws -> EscalationRecord? {
    try pool.read { db in
      guard
        let row = try Row.fetchOne(
          db,
          sql: "SELECT \(Self.escalationColumns) FROM escalations e WHERE e.id = ?", arguments: [id])
      else { return nil }
      return EscalationRecord(
        id: row[0], mentionID: row[1], reason: row[2], state: row[3], owner: row[4],
        createdAt: Date(epochMilliseconds: row[5]), createdBy: row[6],
        notes: try Self.escalationNotes(db, id),
        count: row[9])
    }
  }

  static func escalationNotes(_ db: Database, _ id: Int64) throws -> [NoteRecord] {
    try Row.fetchAll(
      db, sql: "SELECT id, at, author, text FROM escalation_notes WHERE escalation_id = ? ORDER BY id",
      arguments: [id]
    ).map { NoteRecord(id: $0[0], at: Date(epochMilliseconds: $0[1]), author: $0[2], text: $0[3]) }
  }
}

extension SQLiteStore {
  /// Four eyes: whether a reply to this mention must wait for a supervisor's approval, by the
  /// policy's approval categories and the reasons the mention was ever escalated for (a legal
  /// matter stays one after its escalation was resolved). `ReplyDesk.needsApproval` asks it for
  /// the editor and `repute reply`.
  public func replyNeedsApproval(mentionID: Int64, policy: PolicyConfig) throws -> Bool {
    try pool.read { db in
      let category = try String.fetchOne(
        db, sql: "SELECT category FROM mentions WHERE id = ?", arguments: [mentionID]
      ).flatMap(Category.init(rawValue:))
      let reasons = try String.fetchAll(
        db, sql: "SELECT DISTINCT reason FROM escalations WHERE mention_id = ?", arguments: [mentionID]
      ).compactMap(EscalationReason.init(rawValue:))
      return EscalationRules(policy.escalation).needsApproval(category: category, reasons: reasons)
    }
  }

  /// Why a reply to this mention needs approval: the category and reasons the policy names.
  public func approvalReasons(mentionID: Int64, policy: PolicyConfig) throws -> [String] {
    try pool.read { db in
      var why: [String] = []
      if let category = try String.fetchOne(
        db, sql: "SELECT category FROM mentions WHERE id = ?", arguments: [mentionID]),
        let c = Category(rawValue: category), policy.escalation.approvalCategories.contains(c)
      {
        why.append(category)
      }
      for reason in try String.fetchAll(
        db, sql: "SELECT DISTINCT reason FROM escalations WHERE mention_id = ? ORDER BY reason",
        arguments: [mentionID])
      where EscalationReason(rawValue: reason).map(policy.escalation.approvalReasons.contains) == true {
        why.append(reason)
      }
      return why
    }
  }
}

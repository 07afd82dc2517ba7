import Foundation
import GRDB
import Inbox
import Policy

// MARK: - Actions

/// The responder's actions on mentions. Each is one short write transaction and one event per
/// mention (who, what, which mention); personal text never goes into an event's detail.
extension SQLiteStore {
  /// Claims the mention for `actor`, or releases it when `actor` holds the claim already.
  /// Returns who holds it afterwards.
  @discardableResult
  public func toggleClaim(id: Int64, actor: String) throws -> String? {
    let now = clock.now().epochMilliseconds
    return try pool.write { db in
      guard
        let row = try Row.fetchOne(db, sql: "SELECT claimed_by FROM mentions WHERE id = ?", arguments: [id])
      else { throw ActionError.noSuchMention(id) }
      let holder: String? = row[0]
      if holder == actor {
        try db.execute(
          sql: "UPDATE mentions SET claimed_by = NULL, claimed_at = NULL WHERE id = ?", arguments: [id])
        try appendEvent(db, at: now, actor: actor, action: "release", mentionID: id, detail: nil)
        return nil
      }
      try db.execute(
        sql: "UPDATE mentions SET claimed_by = ?, claimed_at = ? WHERE id = ?", arguments: [actor, now, id])
      let detail = holder == nil ? nil : #"{"taken_over":true}"#
      try appendEvent(db, at: now, actor: actor, action: "claim", mentionID: id, detail: detail)
      return actor
    }
  }

  /// Sets the category by hand (recorded as manual, with who did it); the deadlines follow the
  /// new category's window from the mention's arrival.
  public func recategorise(ids: [Int64], to category: Category, policy: PolicyConfig, actor: String) throws {
    let now = clock.now().epochMilliseconds
    try pool.write { db in
      for id in ids {
        guard
          let row = try Row.fetchOne(
            db,
            sql: """
              SELECT category, created_at, status, snoozed_from, follow_up_due_at, first_response_at
              FROM mentions WHERE id = ?
              """, arguments: [id])
        else { throw ActionError.noSuchMention(id) }
        let old: String? = row[0]
        let arrival = Date(epochMilliseconds: row[1])
        let status = MentionStatus(rawValue: row[2]) ?? .open
        let d = policy.deadlines(category: category, arrival: arrival)
        let phase = Self.phase(status: status, snoozedFrom: row[3])
        let pending = (row[4] as Int64?).map(Date.init(epochMilliseconds:))
        let answered = (row[5] as Int64?).map(Date.init(epochMilliseconds:))
        let follow = Self.followUp(
          phase: phase, pending: pending, answeredAt: answered,
          window: { policy.followUpDeadline(category: category, firstResponseAt: $0) })
        // A snoozed mention keeps the target of the status it came from (a snooze never hides it).
        let active = Deadlines(
          arrival: d.arrival, earliestReply: d.earliestReply, firstResponse: d.firstResponse,
          followUp: follow
        ).activeTarget(status: phase)
        try db.execute(
          sql: """
            UPDATE mentions SET category = ?, category_source = 'manual', category_by = ?,
              earliest_reply_at = ?, first_response_due_at = ?, follow_up_due_at = ?, due_at = ?
            WHERE id = ?
            """,
          arguments: [
            category.rawValue, actor, Self.earliest(d.earliestReply, answeredAt: answered).epochMilliseconds,
            d.firstResponse?.epochMilliseconds, follow?.epochMilliseconds, active?.epochMilliseconds, id,
          ])
        var w = JSONWriter()
        w.string("from", old)
        w.string("to", category.rawValue)
        try appendEvent(db, at: now, actor: actor, action: "recategorise", mentionID: id, detail: w.finish())
        try Self.closeSettledOverdue(db, mentionID: id, now: now)
      }
    }
  }

  /// The lifecycle a mention is in for its deadlines (`Retargeting.phase`).
  static func phase(status: MentionStatus, snoozedFrom: String?) -> MentionStatus {
    Retargeting.phase(status: status, snoozedFrom: snoozedFrom)
  }

  /// The follow-up target after re-judging a mention's category (`Retargeting.followUp`).
  static func followUp(
    phase: MentionStatus, pending: Date?, answeredAt: Date?, window: (Date) -> Date?
  ) -> Date? {
    Retargeting.followUp(phase: phase, pending: pending, answeredAt: answeredAt, window: window)
  }

  /// The earliest reply, moved up to the first response (`Retargeting.earliest`).
  static func earliest(_ earliest: Date, answeredAt: Date?) -> Date {
    Retargeting.earliest(earliest, answeredAt: answeredAt)
  }

  /// Decides, on purpose, not to reply (S3, S5, S8): the mention leaves the clock. On a replied
  /// mention it decides against the personal follow-up (S10), which is cleared.
  ///
  /// A category the policy gives a list of reasons (`[closing]`; by default a complaint and a
  /// question) closes only with one of them (`reason` may be its number or the start of exactly
  /// one); others take any reason. Nothing is written when one of `ids` is refused.
  public func decideNoReply(ids: [Int64], reason: String, policy: PolicyConfig, actor: String) throws {
    let now = clock.now().epochMilliseconds
    try pool.write { db in
      for id in ids {
        guard
          let row = try Row.fetchOne(db, sql: "SELECT category FROM mentions WHERE id = ?", arguments: [id])
        else { throw ActionError.noSuchMention(id) }
        let category = (row[0] as String?).flatMap(Category.init(rawValue:))
        guard let chosen = policy.closing.reason(reason, for: category) else {
          throw ActionError.reasonNotListed(
            id, category: category?.rawValue ?? "-", reasons: policy.closing.reasons(for: category) ?? [])
        }
        try db.execute(
          sql: """
            UPDATE mentions SET status = 'no_reply', due_at = NULL, no_reply_reason = ?,
              follow_up_due_at = CASE WHEN status = 'replied' THEN NULL ELSE follow_up_due_at END,
              snoozed_until = NULL, snoozed_from = NULL WHERE id = ?
            """, arguments: [chosen, id])
        guard db.changesCount == 1 else { throw ActionError.noSuchMention(id) }
        try appendEvent(db, at: now, actor: actor, action: "no_reply", mentionID: id, detail: nil)
        try Self.closeSettledOverdue(db, mentionID: id, now: now)
        try Self.followHead(db, head: id, action: "no_reply", actor: actor, now: now)
      }
    }
  }

  /// Reopens mentions closed by a reply or a no-reply decision: open again, on the first-response
  /// clock. A pending follow-up (S10) is dropped: the next answer starts a new one.
  public func reopen(ids: [Int64], actor: String) throws {
    let now = clock.now().epochMilliseconds
    try pool.write { db in
      for id in ids {
        try db.execute(
          sql: """
            UPDATE mentions SET status = 'open', due_at = first_response_due_at, no_reply_reason = NULL,
              follow_up_due_at = NULL
            WHERE id = ? AND status IN ('replied', 'no_reply')
            """, arguments: [id])
        guard db.changesCount == 1 else { throw ActionError.notClosed(id) }
        try appendEvent(db, at: now, actor: actor, action: "reopen", mentionID: id, detail: nil)
        try Self.reopenWithHead(db, head: id, actor: actor, now: now)
      }
    }
  }

  /// Puts mentions aside until `until`: out of the queue until they wake, or until their target
  /// passes, whichever comes first. A snooze never hides a deadline: `due_at` keeps the active
  /// target, so the overdue board and the overdue rule see it pass.
  public func snooze(ids: [Int64], until: Date, actor: String) throws {
    let now = clock.now().epochMilliseconds
    try pool.write { db in
      for id in ids {
        try db.execute(
          sql: """
            UPDATE mentions SET snoozed_from = CASE WHEN status = 'snoozed' THEN snoozed_from ELSE status END,
              status = 'snoozed', snoozed_until = ? WHERE id = ?
            """, arguments: [until.epochMilliseconds, id])
        guard db.changesCount == 1 else { throw ActionError.noSuchMention(id) }
        try appendEvent(
          db, at: now, actor: actor, action: "snooze", mentionID: id,
          detail: #"{"until":"\#(RFC3339.format(until))"}"#)
        try Self.followHead(db, head: id, action: "snooze", actor: actor, now: now)
      }
    }
  }

  /// Wakes the snoozed mentions whose time has come: back to their earlier status and clock.
  /// The inbox calls this on its tick; any process may, waking a mention happens once.
  @discardableResult
  public func wakeSnoozed(now: Date) throws -> Int {
    let at = now.epochMilliseconds
    // A read first, so the common case (nothing to wake) takes no write lock.
    let due = try pool.read { db in
      try Int64.fetchAll(
        db,
        sql:
          "SELECT id FROM mentions WHERE snoozed_until IS NOT NULL AND snoozed_until <= ? AND status = 'snoozed'",
        arguments: [at])
    }
    if due.isEmpty { return 0 }
    return try pool.write { db in
      var woken = 0
      for id in due {
        try db.execute(
          sql: """
            UPDATE mentions SET status = coalesce(snoozed_from, 'open'), snoozed_from = NULL,
              snoozed_until = NULL,
              due_at = CASE coalesce(snoozed_from, 'open') WHEN 'open' THEN first_response_due_at
                WHEN 'holding' THEN follow_up_due_at WHEN 'replied' THEN follow_up_due_at END
            WHERE id = ? AND status = 'snoozed' AND snoozed_until <= ?
            """, arguments: [id, at])
        if db.changesCount == 1 {
          woken += 1
          try appendEvent(db, at: at, actor: "repute", action: "wake", mentionID: id, detail: nil)
        }
      }
      return woken
    }
  }

  /// Watches the mention's author (S8), or stops watching. Returns whether they are watched now.
  @discardableResult
  public func toggleWatch(mentionID: Int64, actor: String) throws -> Bool {
    let now = clock.now().epochMilliseconds
    return try pool.write { db in
      guard
        let authorID = try Int64.fetchOne(
          db, sql: "SELECT author_id FROM mentions WHERE id = ?", arguments: [mentionID])
      else { throw ActionError.noSuchMention(mentionID) }
      try db.execute(sql: "DELETE FROM watched_authors WHERE author_id = ?", arguments: [authorID])
      if db.changesCount == 1 {
        try appendEvent(db, at: now, actor: actor, action: "unwatch", mentionID: mentionID, detail: nil)
        return false
      }
      try db.execute(
        sql: "INSERT INTO watched_authors (author_id, since, watched_by) VALUES (?, ?, ?)",
        arguments: [authorID, now, actor])
      try appendEvent(db, at: now, actor: actor, action: "watch", mentionID: mentionID, detail: nil)
      return true
    }
  }

  /// Escalates a mention to the supervisor with a note; returns the escalation's id. When the
  /// mention is already escalated by hand and still open, the note goes to that escalation.
  @discardableResult
  public func escalate(mentionID: Int64, reason: String = "by_hand", note: String, actor: String) throws
    -> Int64
  {
    let now = clock.now().epochMilliseconds
    return try pool.write { db in
      guard try Bool.fetchOne(db, sql: "SELECT 1 FROM mentions WHERE id = ?", arguments: [mentionID]) != nil
      else { throw ActionError.noSuchMention(mentionID) }
      let open = try Int64.fetchOne(
        db,
        sql: "SELECT id FROM escalations WHERE mention_id = ? AND reason = ? AND state != 'resolved' LIMIT 1",
        arguments: [mentionID, reason])
      let id: Int64
      if let open {
        id = open
        try db.execute(sql: "UPDATE escalations SET updated_at = ? WHERE id = ?", arguments: [now, id])
        try appendEvent(
          db, at: now, actor: actor, action: "escalation_note", mentionID: mentionID,
          detail: #"{"escalation_id":\#(id)}"#)
      } else {
        let severity = EscalationReason(rawValue: reason)?.severity ?? 2
        try db.execute(
          sql: """
            INSERT INTO escalations (mention_id, reason, state, created_at, created_by, updated_at, severity)
            VALUES (?, ?, 'new', ?, ?, ?, ?)
            """, arguments: [mentionID, reason, now, actor, now, severity])
        id = db.lastInsertedRowID
        var w = JSONWriter()
        w.int("escalation_id", id)
        w.string("reason", reason)
        try appendEvent(
          db, at: now, actor: actor, action: "escalate", mentionID: mentionID, detail: w.finish())
      }
      if !note.isEmpty {
        try db.execute(
          sql: "INSERT INTO escalation_notes (escalation_id, at, author, text) VALUES (?, ?, ?, ?)",
          arguments: [id, now, actor, note])
      }
      return id
    }
  }

  /// Adds an internal note for the team; returns its id.
  @discardableResult
  public func addNote(mentionID: Int64, text: String, actor: String) throws -> Int64 {
    let now = clock.now().epochMilliseconds
    return try pool.write { db in
      guard try Bool.fetchOne(db, sql: "SELECT 1 FROM mentions WHERE id = ?", arguments: [mentionID]) != nil
      else { throw ActionError.noSuchMention(mentionID) }
      try db.execute(
        sql: "INSERT INTO notes (mention_id, at, author, text) VALUES (?, ?, ?, ?)",
        arguments: [mentionID, now, actor, text])
      let id = db.lastInsertedRowID
      try appendEvent(
        db, at: now, actor: actor, action: "note", mentionID: mentionID, detail: #"{"note_id":\#(id)}"#)
      return id
    }
  }
}

extension SQLiteStore {
  /// Records that the organisation replied outside Repute (the outbox comes with the replies
  /// issue): the mention leaves the clock as replied. Used by the demo and by imports.
  public func markReplied(ids: [Int64], actor: String) throws {
    let now = clock.now().epochMilliseconds
    try pool.write { db in
      for id in ids {
        try db.execute(
          sql: """
            UPDATE mentions SET status = 'replied', due_at = NULL, snoozed_until = NULL, snoozed_from = NULL
            WHERE id = ?
            """, arguments: [id])
        guard db.changesCount == 1 else { throw ActionError.noSuchMention(id) }
        try appendEvent(db, at: now, actor: actor, action: "replied_elsewhere", mentionID: id, detail: nil)
        try Self.followHead(db, head: id, action: "replied_elsewhere", actor: actor, now: now)
        try Self.closeSettledOverdue(db, mentionID: id, now: now)
      }
    }
  }
}

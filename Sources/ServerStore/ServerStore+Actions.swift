import Foundation
import Inbox
import Policy
import PostgresNIO

/// The responder's actions on the server, as `SQLiteStore+Actions` records them: each one
/// transaction with one event per mention, personal text never in an event's detail.
///
/// SQLite has one writer at a time; here each action runs in the writers' turn (`write`), so two
/// people acting on one mention from two machines take turns and the second decides on what the
/// first committed, as in a file.
extension ServerStore: ActionStore {
  @discardableResult
  public func toggleClaim(id: Int64, actor: String) throws -> String? {
    let now = nowMilliseconds
    return try write { session in
      guard
        let holder = try await session.rows(
          "SELECT claimed_by FROM mentions WHERE id = $1", binds: .of(id), as: String?.self
        ).first
      else { throw ActionError.noSuchMention(id) }
      if holder == actor {
        try await session.execute(
          "UPDATE mentions SET claimed_by = NULL, claimed_at = NULL WHERE id = $1", .of(id))
        try await session.appendEvent(at: now, actor: actor, action: "release", mentionID: id, detail: nil)
        return nil
      }
      try await session.execute(
        "UPDATE mentions SET claimed_by = $1, claimed_at = $2 WHERE id = $3", .of(actor, now, id))
      let detail = holder == nil ? nil : #"{"taken_over":true}"#
      try await session.appendEvent(at: now, actor: actor, action: "claim", mentionID: id, detail: detail)
      return actor
    }
  }

  public func recategorise(ids: [Int64], to category: Category, policy: PolicyConfig, actor: String) throws {
    let now = nowMilliseconds
    try write { session in
      for id in ids {
        guard
          let row = try await session.rows(
            """
            SELECT category, created_at, status, snoozed_from, follow_up_due_at, first_response_at
            FROM mentions WHERE id = $1
            """, binds: .of(id), as: (String?, Int64, String, String?, Int64?, Int64?).self
          ).first
        else { throw ActionError.noSuchMention(id) }
        let (old, created, statusText, snoozedFrom, pending, answeredAt) = row
        let arrival = Date(epochMilliseconds: created)
        let status = MentionStatus(rawValue: statusText) ?? .open
        let d = policy.deadlines(category: category, arrival: arrival)
        let phase = Retargeting.phase(status: status, snoozedFrom: snoozedFrom)
        let answered = answeredAt.map(Date.init(epochMilliseconds:))
        let follow = Retargeting.followUp(
          phase: phase, pending: pending.map(Date.init(epochMilliseconds:)), answeredAt: answered,
          window: { policy.followUpDeadline(category: category, firstResponseAt: $0) })
        // A snoozed mention keeps the target of the status it came from (a snooze never hides it).
        let active = Deadlines(
          arrival: d.arrival, earliestReply: d.earliestReply, firstResponse: d.firstResponse, followUp: follow
        ).activeTarget(status: phase)
        try await session.execute(
          """
          UPDATE mentions SET category = $1, category_source = 'manual', category_by = $2,
            earliest_reply_at = $3, first_response_due_at = $4::bigint, follow_up_due_at = $5::bigint,
            due_at = $6::bigint
          WHERE id = $7
          """,
          .of(
            category.rawValue, actor,
            Retargeting.earliest(d.earliestReply, answeredAt: answered).epochMilliseconds,
            d.firstResponse?.epochMilliseconds, follow?.epochMilliseconds, active?.epochMilliseconds, id))
        var w = JSONWriter()
        w.string("from", old)
        w.string("to", category.rawValue)
        try await session.appendEvent(
          at: now, actor: actor, action: "recategorise", mentionID: id, detail: w.finish())
        try await Self.closeSettledOverdue(session, mentionID: id, now: now)
      }
    }
  }

  /// Decides, on purpose, not to reply (S3, S5, S8), with one of the policy's reasons where it
  /// lists them; nothing is written when one of `ids` is refused.
  public func decideNoReply(ids: [Int64], reason: String, policy: PolicyConfig, actor: String) throws {
    let now = nowMilliseconds
    try write { session in
      for id in ids {
        guard
          let stored = try await session.rows(
            "SELECT category FROM mentions WHERE id = $1", binds: .of(id), as: String?.self
          ).first
        else { throw ActionError.noSuchMention(id) }
        let category = stored.flatMap(Category.init(rawValue:))
        guard let chosen = policy.closing.reason(reason, for: category) else {
          throw ActionError.reasonNotListed(
            id, category: category?.rawValue ?? "-", reasons: policy.closing.reasons(for: category) ?? [])
        }
        try await session.execute(
          """
          UPDATE mentions SET status = 'no_reply', due_at = NULL, no_reply_reason = $1,
            follow_up_due_at = CASE WHEN status = 'replied' THEN NULL ELSE follow_up_due_at END,
            snoozed_until = NULL, snoozed_from = NULL WHERE id = $2
          """, .of(chosen, id))
        try await session.appendEvent(at: now, actor: actor, action: "no_reply", mentionID: id, detail: nil)
        try await Self.closeSettledOverdue(session, mentionID: id, now: now)
        try await Self.followHead(session, head: id, action: "no_reply", actor: actor, now: now)
      }
    }
  }

  /// Reopens mentions closed by a reply or a no-reply decision: open again, on the first-response
  /// clock; a pending follow-up (S10) is dropped.
  public func reopen(ids: [Int64], actor: String) throws {
    let now = nowMilliseconds
    try write { session in
      for id in ids {
        let changed = try await session.values(
          """
          UPDATE mentions SET status = 'open', due_at = first_response_due_at, no_reply_reason = NULL,
            follow_up_due_at = NULL
          WHERE id = $1 AND status IN ('replied', 'no_reply') RETURNING id
          """, binds: .of(id), as: Int64.self)
        guard changed.count == 1 else { throw ActionError.notClosed(id) }
        try await session.appendEvent(at: now, actor: actor, action: "reopen", mentionID: id, detail: nil)
        try await Self.reopenWithHead(session, head: id, actor: actor, now: now)
      }
    }
  }

  /// Puts mentions aside until `until`; `due_at` keeps the active target (a snooze never hides a
  /// deadline).
  public func snooze(ids: [Int64], until: Date, actor: String) throws {
    let now = nowMilliseconds
    try write { session in
      for id in ids {
        let changed = try await session.values(
          """
          UPDATE mentions SET snoozed_from = CASE WHEN status = 'snoozed' THEN snoozed_from ELSE status END,
            status = 'snoozed', snoozed_until = $1 WHERE id = $2 RETURNING id
          """, binds: .of(until.epochMilliseconds, id), as: Int64.self)
        guard changed.count == 1 else { throw ActionError.noSuchMention(id) }
        try await session.appendEvent(
          at: now, actor: actor, action: "snooze", mentionID: id,
          detail: #"{"until":"\#(RFC3339.format(until))"}"#)
        try await Self.followHead(session, head: id, action: "snooze", actor: actor, now: now)
      }
    }
  }

  /// Wakes the snoozed mentions whose time has come. Any process on any machine may: each update
  /// checks the mention is still asleep once it holds its row, so a mention wakes once.
  @discardableResult
  public func wakeSnoozed(now: Date) throws -> Int {
    let at = now.epochMilliseconds
    // A read first, so the common case (nothing to wake) writes nothing.
    let due = try read { session in
      try await session.values(
        """
        SELECT id FROM mentions WHERE snoozed_until IS NOT NULL AND snoozed_until <= $1 AND status = 'snoozed'
        ORDER BY snoozed_until, id
        """, binds: .of(at), as: Int64.self)
    }
    if due.isEmpty { return 0 }
    return try write { session in
      var woken = 0
      for id in due {
        let changed = try await session.values(
          """
          UPDATE mentions SET status = coalesce(snoozed_from, 'open'), snoozed_from = NULL,
            snoozed_until = NULL,
            due_at = CASE coalesce(snoozed_from, 'open') WHEN 'open' THEN first_response_due_at
              WHEN 'holding' THEN follow_up_due_at WHEN 'replied' THEN follow_up_due_at END
          WHERE id = $1 AND status = 'snoozed' AND snoozed_until <= $2 RETURNING id
          """, binds: .of(id, at), as: Int64.self)
        if changed.count == 1 {
          woken += 1
          try await session.appendEvent(at: at, actor: "repute", action: "wake", mentionID: id, detail: nil)
        }
      }
      return woken
    }
  }

  /// Watches the mention's author (S8), or stops watching; returns whether they are watched now.
  @discardableResult
  public func toggleWatch(mentionID: Int64, actor: String) throws -> Bool {
    let now = nowMilliseconds
    return try write { session in
      let authorID = try await Self.author(session, mentionID: mentionID)
      let removed = try await session.values(
        "DELETE FROM watched_authors WHERE author_id = $1 RETURNING author_id", binds: .of(authorID),
        as: Int64.self)
      if removed.count == 1 {
        try await session.appendEvent(
          at: now, actor: actor, action: "unwatch", mentionID: mentionID, detail: nil)
        return false
      }
      try await session.execute(
        "INSERT INTO watched_authors (author_id, since, watched_by) VALUES ($1, $2, $3)",
        .of(authorID, now, actor))
      try await session.appendEvent(at: now, actor: actor, action: "watch", mentionID: mentionID, detail: nil)
      return true
    }
  }

  /// The mention's author.
  static func author(_ session: ServerSession, mentionID: Int64) async throws -> Int64 {
    guard
      let authorID = try await session.values(
        "SELECT author_id FROM mentions WHERE id = $1", binds: .of(mentionID), as: Int64.self
      ).first
    else { throw ActionError.noSuchMention(mentionID) }
    return authorID
  }

  /// Escalates a mention with a note; a mention escalated for the same reason and still open gets
  /// the note on that escalation instead.
  @discardableResult
  public func escalate(mentionID: Int64, reason: String, note: String, actor: String) throws -> Int64 {
    let now = nowMilliseconds
    return try write { session in
      guard
        try await !session.values(
          "SELECT id FROM mentions WHERE id = $1", binds: .of(mentionID), as: Int64.self
        ).isEmpty
      else { throw ActionError.noSuchMention(mentionID) }
      let open = try await session.values(
        "SELECT id FROM escalations WHERE mention_id = $1 AND reason = $2 AND state <> 'resolved' ORDER BY id LIMIT 1",
        binds: .of(mentionID, reason), as: Int64.self
      ).first
      let id: Int64
      if let open {
        id = open
        try await session.execute("UPDATE escalations SET updated_at = $1 WHERE id = $2", .of(now, id))
        try await session.appendEvent(
          at: now, actor: actor, action: "escalation_note", mentionID: mentionID,
          detail: #"{"escalation_id":\#(id)}"#)
      } else {
        let severity = EscalationReason(rawValue: reason)?.severity ?? 2
        id = try await session.values(
          """
          INSERT INTO escalations (mention_id, reason, state, created_at, created_by, updated_at, severity)
          VALUES ($1, $2, 'new', $3, $4, $3, $5) RETURNING id
          """, binds: .of(mentionID, reason, now, actor, severity), as: Int64.self)[0]
        var w = JSONWriter()
        w.int("escalation_id", id)
        w.string("reason", reason)
        try await session.appendEvent(
          at: now, actor: actor, action: "escalate", mentionID: mentionID, detail: w.finish())
      }
      if !note.isEmpty {
        try await session.execute(
          "INSERT INTO escalation_notes (escalation_id, at, author, text) VALUES ($1, $2, $3, $4)",
          .of(id, now, actor, note))
      }
      return id
    }
  }

  @discardableResult
  public func addNote(mentionID: Int64, text: String, actor: String) throws -> Int64 {
    let now = nowMilliseconds
    return try write { session in
      guard
        try await !session.values(
          "SELECT id FROM mentions WHERE id = $1", binds: .of(mentionID), as: Int64.self
        )
        .isEmpty
      else { throw ActionError.noSuchMention(mentionID) }
      let id = try await session.values(
        "INSERT INTO notes (mention_id, at, author, text) VALUES ($1, $2, $3, $4) RETURNING id",
        binds: .of(mentionID, now, actor, text), as: Int64.self)[0]
      try await session.appendEvent(
        at: now, actor: actor, action: "note", mentionID: mentionID, detail: #"{"note_id":\#(id)}"#)
      return id
    }
  }

  /// Records that the organisation replied outside Repute: the mention leaves the clock as
  /// replied (the `replied_elsewhere` event's trigger sets its first response).
  public func markReplied(ids: [Int64], actor: String) throws {
    let now = nowMilliseconds
    try write { session in
      for id in ids {
        let changed = try await session.values(
          """
          UPDATE mentions SET status = 'replied', due_at = NULL, snoozed_until = NULL, snoozed_from = NULL
          WHERE id = $1 RETURNING id
          """, binds: .of(id), as: Int64.self)
        guard changed.count == 1 else { throw ActionError.noSuchMention(id) }
        try await session.appendEvent(
          at: now, actor: actor, action: "replied_elsewhere", mentionID: id, detail: nil)
        try await Self.followHead(session, head: id, action: "replied_elsewhere", actor: actor, now: now)
        try await Self.closeSettledOverdue(session, mentionID: id, now: now)
      }
    }
  }

  public func record(actor: String, action: String, mentionID: Int64?, detail: String?) throws {
    let now = nowMilliseconds
    try write { session in
      try await session.appendEvent(
        at: now, actor: actor, action: action, mentionID: mentionID, detail: detail)
    }
  }
}

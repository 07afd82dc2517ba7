import Foundation
import GRDB
import Inbox
import Policy

/// The escalation rules in the store and the supervisor's actions on escalations.
///
/// Rules are idempotent: a partial unique index allows one open escalation per mention and reason
/// (`escalations_open_once`) and one per rule key (`escalations_by_rule_key`), so any process may
/// evaluate them at any time. Every escalation raised or changed is an event.
extension SQLiteStore {
  /// Raises an escalation unless one is open already; true when it was raised.
  @discardableResult
  func raise(
    _ db: Database, mentionID: Int64, reason: EscalationReason, actor: String, now: Int64,
    detail: String? = nil, ruleKey: String? = nil
  ) throws -> Bool {
    try db.cachedStatement(
      sql: """
        INSERT OR IGNORE INTO escalations
          (mention_id, reason, state, created_at, created_by, updated_at, severity, detail, rule_key)
        VALUES (?, ?, 'new', ?, ?, ?, ?, ?, ?)
        """
    ).execute(arguments: [mentionID, reason.rawValue, now, actor, now, reason.severity, detail, ruleKey])
    guard db.changesCount == 1 else { return false }
    let id = db.lastInsertedRowID
    var w = JSONWriter()
    w.int("escalation_id", id)
    w.string("reason", reason.rawValue)
    try appendEvent(db, at: now, actor: actor, action: "escalate", mentionID: mentionID, detail: w.finish())
    return true
  }

  /// Raises the escalations of newly stored mentions, inside the ingest's transaction: the
  /// reasons each carries by itself, and a repeat complainer (k complaints within d days).
  ///
  /// A million mentions can raise hundreds of thousands of escalations, so this runs on
  /// statements prepared once per batch and bound through SQLite's C API, as the mention inserts
  /// do: GRDB's boxed arguments cost about as much as the inserts themselves. Exactly once per
  /// mention and reason still comes from `escalations_open_once`, as in `raise`.
  func raiseOnArrival(
    _ db: Database, arrivals: [Arrival],
    rules: Escalation?, actor: String, now: Int64
  ) throws -> Int {
    if arrivals.isEmpty { return 0 }
    let statements = try ArrivalStatements(db)
    var raised = 0
    for arrival in arrivals {
      for reason in arrival.reasons
      where try statements.raise(arrival, reason: reason, actor: actor, now: now, detail: nil) {
        raised += 1
      }
    }
    guard let rules else { return raised }
    let verdict = EscalationRules(rules)
    let window = Int64(rules.repeatWindow.components.seconds) * 1000
    let within = DurationText.format(rules.repeatWindow)
    let count = statements.complaintsInWindow
    for arrival in arrivals where arrival.complaint {
      count.bind(1, arrival.authorID)
      count.bind(2, arrival.createdAt)
      count.bind(3, window)
      var n = try count.step() ? Int(count.int64(0) ?? 0) : 0
      count.reset()
      guard verdict.isRepeatComplainer(category: .complaint, complaintsInWindow: n) else { continue }
      // Enough by the index alone: counted again without the folded repeats (issue 16), which
      // are one complaint with their first post. Only here, so the common case stays index-only.
      let distinct = statements.distinctComplaintsInWindow
      distinct.bind(1, arrival.authorID)
      distinct.bind(2, arrival.createdAt)
      distinct.bind(3, window)
      n = try distinct.step() ? Int(distinct.int64(0) ?? 0) : 0
      distinct.reset()
      guard verdict.isRepeatComplainer(category: .complaint, complaintsInWindow: n) else { continue }
      var w = JSONWriter()
      w.int("complaints", Int64(n))
      w.string("within", within)
      if try statements.raise(arrival, reason: .repeatComplainer, actor: actor, now: now, detail: w.finish())
      {
        raised += 1
      }
    }
    return raised
  }

  /// The author's (the first argument) complaints within the window (milliseconds, the third)
  /// up to the time of the new mention (the second), that one included: read from
  /// `mentions_by_author` alone. The writer knows the author and the time of what it just
  /// stored, so the count does not look the mention up again (one B-tree descent fewer for each
  /// of the 71 % of generated mentions that are complaints).
  static let complaintsInWindowSQL = """
    SELECT count(*) FROM mentions
    WHERE author_id = ?1 AND category = 'complaint' AND created_at > ?2 - ?3 AND created_at <= ?2
    """

  /// The complaints of `complaintsInWindowSQL` without the repeats folded into a first post:
  /// a row lookup for each, so asked only when the index's count reaches the rule's number.
  static let distinctComplaintsInWindowSQL = complaintsInWindowSQL + " AND repeat_of IS NULL"

  /// A mention stored new whose arrival the rules look at.
  struct Arrival {
    var id: Int64
    var authorID: Int64
    /// Epoch milliseconds.
    var createdAt: Int64
    var reasons: [EscalationReason]
    var complaint: Bool
  }

  /// An open escalation for the same reason on an earlier post by the same author (the first
  /// argument) with the same text as the new one (the third), within an hour of its time (the
  /// second): the new post repeats it, and is counted there rather than escalated again. Read
  /// from `mentions_by_author`; only the few posts of that author in that hour are compared.
  static let repeatedEscalationSQL = """
    SELECT e.id FROM mentions m JOIN escalations e ON e.mention_id = m.id
    WHERE m.author_id = ?1 AND m.created_at > ?2 - 3600000 AND m.created_at < ?2 + 3600000
      AND m.id != ?3 AND m.text = (SELECT text FROM mentions WHERE id = ?3)
      AND e.reason = ?4 AND e.state != 'resolved'
    ORDER BY e.id LIMIT 1
    """

  /// The statements `raiseOnArrival` runs for every new mention, prepared once per batch.
  private struct ArrivalStatements {
    let insertEscalation: RawStatement
    let insertEvent: RawStatement
    let complaintsInWindow: RawStatement
    let distinctComplaintsInWindow: RawStatement
    let repeated: RawStatement
    let countRepeat: RawStatement
    let repeatEvent: RawStatement

    init(_ db: Database) throws {
      insertEscalation = try RawStatement(
        db,
        """
        INSERT OR IGNORE INTO escalations
          (mention_id, reason, state, created_at, created_by, updated_at, severity, detail)
        VALUES (?, ?, 'new', ?, ?, ?, ?, ?)
        """)
      insertEvent = try RawStatement(
        db, "INSERT INTO events (at, actor, action, mention_id, detail) VALUES (?, ?, 'escalate', ?, ?)")
      complaintsInWindow = try RawStatement(db, SQLiteStore.complaintsInWindowSQL)
      distinctComplaintsInWindow = try RawStatement(db, SQLiteStore.distinctComplaintsInWindowSQL)
      repeated = try RawStatement(db, SQLiteStore.repeatedEscalationSQL)
      countRepeat = try RawStatement(
        db, "UPDATE escalations SET repeats = repeats + 1, updated_at = ? WHERE id = ?")
      repeatEvent = try RawStatement(
        db,
        "INSERT INTO events (at, actor, action, mention_id, detail) VALUES (?, ?, 'escalation_repeat', ?, ?)")
    }

    /// `SQLiteStore.raise` for one mention's reason, with its event; true when it was raised. A
    /// repeat of an escalated post (same author and text within the hour) counts on that one.
    func raise(_ arrival: Arrival, reason: EscalationReason, actor: String, now: Int64, detail: String?)
      throws -> Bool
    {
      let mentionID = arrival.id
      let find = repeated
      find.bind(1, arrival.authorID)
      find.bind(2, arrival.createdAt)
      find.bind(3, mentionID)
      find.bind(4, reason.rawValue)
      let earlier = try find.step() ? find.int64(0) : nil
      find.reset()
      if let earlier {
        countRepeat.bind(1, now)
        countRepeat.bind(2, earlier)
        try countRepeat.step()
        countRepeat.reset()
        try log(
          repeatEvent, escalation: earlier, reason: reason, mentionID: mentionID, actor: actor, now: now)
        return false
      }
      let insert = insertEscalation
      insert.bind(1, mentionID)
      insert.bind(2, reason.rawValue)
      insert.bind(3, now)
      insert.bind(4, actor)
      insert.bind(5, now)
      insert.bind(6, Int64(reason.severity))
      insert.bind(7, detail)
      try insert.step()
      let raised = insert.changes == 1
      let id = insert.lastInsertedRowID
      insert.reset()
      guard raised else { return false }
      try log(insertEvent, escalation: id, reason: reason, mentionID: mentionID, actor: actor, now: now)
      return true
    }

    /// Appends the audit event `statement` writes (a new escalation or a repeat counted on one).
    private func log(
      _ statement: RawStatement, escalation id: Int64, reason: EscalationReason, mentionID: Int64,
      actor: String, now: Int64
    ) throws {
      var w = JSONWriter()
      w.int("escalation_id", id)
      w.string("reason", reason.rawValue)
      statement.bind(1, now)
      statement.bind(2, actor)
      statement.bind(3, mentionID)
      statement.bind(4, w.finish())
      try statement.step()
      statement.reset()
    }
  }

  /// The time-based rules: mentions overdue past the target (plus the policy's grace) and a rise
  /// in volume this hour. Safe to call from any process, as often as wanted; returns how many
  /// escalations it raised. Overdue mentions are looked at from a high-water mark, so an
  /// escalation the supervisor resolved is not raised again for the same deadline.
  @discardableResult
  public func evaluateTimedRules(_ rules: Escalation, now: Date, actor: String = "policy") throws -> Int {
    let at = now.epochMilliseconds
    // A read first: most passes find nothing to do and then take no write lock at all. Whether an
    // overdue escalation's reason is gone is asked here only: the question walks every open
    // overdue escalation with its mention (244 M instructions of a 50-line ingest's 417 M at
    // 50 k mentions with 36,020 open, release), so the write asks it again only when the answer
    // was yes. One settled in between by an action is closed by that action's own transaction
    // (`closeSettledOverdue(mentionID:)`); one settled otherwise, by the next pass.
    let (settled, work, scope) = try pool.read { db -> (Bool, Bool, SettleScope) in
      let scope = try Self.settleScope(db, now: at)
      if try !Self.settledOverdue(db, now: at, limit: 1, after: scope.after, upto: scope.upto).isEmpty {
        return (true, true, scope)
      }
      if let grace = rules.overdueAfter {
        let cutoff = at - Int64(grace.components.seconds) * 1000
        let mark = try Self.overdueMark(db, cutoff: cutoff)
        if try Bool.fetchOne(
          db,
          sql: """
            SELECT 1 FROM mentions INDEXED BY mentions_by_due
            WHERE due_at IS NOT NULL AND muted = 0 AND due_at >= ? AND due_at <= ?
              AND (due_at > ? OR id > ?) AND status IN ('open', 'holding', 'replied', 'snoozed') LIMIT 1
            """, arguments: [mark.due, cutoff, mark.due, mark.id]) != nil
        {
          return (false, true, scope)
        }
      }
      let (last, before) = try Self.hourVolumes(db, now: at, days: rules.volumeDays)
      return (false, EscalationRules(rules).isVolumeRise(lastHour: last, sameHourBefore: before), scope)
    }
    if !work {
      // Nothing settled among the changes looked at: the next pass starts after them, once they
      // are many enough to be worth a write.
      if scope.worthKeeping { try pool.write { db in try Self.keepSettleMark(db, scope) } }
      return 0
    }
    return try pool.write { db in
      if settled {
        // Again in the writing transaction: what changed since the read is looked at too.
        let fresh = try Self.settleScope(db, now: at)
        let found = try Self.settledOverdue(
          db, now: at, limit: Self.overdueBatch, after: fresh.after, upto: fresh.upto)
        try Self.closeSettledOverdue(db, found, now: at, actor: actor)
        // A full batch may have left some: the mark stays for the next pass to go on.
        if found.count < Self.overdueBatch { try Self.keepSettleMark(db, fresh) }
      } else if scope.worthKeeping {
        try Self.keepSettleMark(db, scope)
      }
      var raised = 0
      if let grace = rules.overdueAfter {
        let cutoff = at - Int64(grace.components.seconds) * 1000
        let from = try Self.overdueMark(db, cutoff: cutoff)
        let overdue = try Row.fetchAll(
          db,
          sql: """
            SELECT id, due_at FROM mentions INDEXED BY mentions_by_due
            WHERE due_at IS NOT NULL AND muted = 0 AND due_at >= ? AND due_at <= ?
              AND (due_at > ? OR id > ?) AND status IN ('open', 'holding', 'replied', 'snoozed')
            ORDER BY due_at, id LIMIT ?
            """, arguments: [from.due, cutoff, from.due, from.id, Self.overdueBatch])
        for row in overdue where try raise(db, mentionID: row[0], reason: .overdue, actor: actor, now: at) {
          raised += 1
        }
        // A full batch moves the mark only as far as it got; the next pass goes on from there.
        let mark =
          overdue.count == Self.overdueBatch
          ? "\(overdue.last![1] as Int64):\(overdue.last![0] as Int64)" : "\(cutoff):\(Int64.max)"
        try db.execute(
          sql: """
            INSERT INTO store_meta (key, value) VALUES ('overdue_checked_upto', ?)
            ON CONFLICT (key) DO UPDATE SET value = excluded.value
            """, arguments: [mark])
      }
      raised += try raiseVolumeRise(db, rules, now: at, actor: actor)
      return raised
    }
  }

  /// Open overdue escalations whose reason is gone: the mention is no longer past an active
  /// target (answered, held, closed without a reply, or its target moved). With the mention's
  /// status, at most `limit`, oldest first.
  /// Only those of `mentionID` when given.
  /// Only those of mentions changed in the feed after `after` up to `upto` when given
  /// (`settleScope`).
  static func settledOverdue(
    _ db: Database, now: Int64, limit: Int, mentionID: Int64? = nil, after: Int64? = nil, upto: Int64 = 0
  ) throws -> [(id: Int64, status: String)] {
    var arguments = StatementArguments(mentionID.map { [$0] } ?? [])
    if let after { arguments += [after, upto] }
    arguments += [now, limit]
    return try Row.fetchAll(
      db,
      sql: """
        SELECT e.id, m.status FROM escalations e JOIN mentions m ON m.id = e.mention_id
        WHERE e.reason = 'overdue' AND e.state != 'resolved'\(mentionID == nil ? "" : " AND e.mention_id = ?")
          \(after == nil ? "" : "AND e.mention_id IN (SELECT mention_id FROM changes WHERE seq > ? AND seq <= ?)")
          AND NOT (m.due_at IS NOT NULL AND m.due_at <= ? AND m.muted = 0
            AND m.status IN ('open', 'holding', 'replied', 'snoozed'))
        ORDER BY e.id LIMIT ?
        """, arguments: arguments
    ).map { ($0[0], $0[1]) }
  }

  /// The overdue rule's name in the trail: who closes an escalation whose reason is gone.
  static let overdueRuleActor = "policy"

  /// Closes the mention's overdue escalations whose reason is gone, in the transaction of the
  /// action that took the reason away (a reply on its way, a no-reply decision, a new category):
  /// the supervisor's pane never shows an answered mention as overdue, not even until the next
  /// pass of the timed rules.
  static func closeSettledOverdue(_ db: Database, mentionID: Int64, now: Int64) throws {
    try closeSettledOverdue(
      db, Self.settledOverdue(db, now: now, limit: overdueBatch, mentionID: mentionID), now: now,
      actor: overdueRuleActor)
  }

  /// Closes the overdue escalations whose reason is gone (`settledOverdue`), each with a note by
  /// the rule saying why and an `escalation_resolve` event marked `auto`: the supervisor's pane
  /// shows what still needs someone, and the escalation's history says what happened.
  static func closeSettledOverdue(
    _ db: Database, _ settled: [(id: Int64, status: String)], now: Int64, actor: String
  ) throws {
    for (id, status) in settled {
      let why: String
      switch MentionStatus(rawValue: status) {
      case .replied?: why = "answered"
      case .holding?: why = "held (S12)"
      case .noReply?: why = "closed without a reply"
      default: why = "target moved"
      }
      try db.execute(
        sql: "UPDATE escalations SET state = 'resolved', resolved_at = ?, updated_at = ? WHERE id = ?",
        arguments: [now, now, id])
      try db.execute(
        sql: "INSERT INTO escalation_notes (escalation_id, at, author, text) VALUES (?, ?, ?, ?)",
        arguments: [id, now, actor, "closed by itself: \(why), no longer overdue"])
      var w = JSONWriter()
      w.int("escalation_id", id)
      w.bool("auto", true)
      w.string("why", why)
      let mentionID = try Int64.fetchOne(
        db, sql: "SELECT mention_id FROM escalations WHERE id = ?", arguments: [id])
      try Self.appendEvent(
        db, at: now, actor: actor, action: "escalation_resolve", mentionID: mentionID, detail: w.finish())
    }
  }

  /// At most this many overdue escalations per pass: a short write transaction however much
  /// is late.
  static let overdueBatch = 2_000
  /// How far back the overdue rule looks the first time: what was due more than a week before
  /// the rules first ran (an import of old mentions) is stale, not running late; the overdue
  /// board still lists it.
  static let overdueLookback: Int64 = 7 * 86_400_000

  /// Where the overdue rule goes on from: the (due_at, id) of the last mention it looked at.
  static func overdueMark(_ db: Database, cutoff: Int64) throws -> (due: Int64, id: Int64) {
    let value = try String.fetchOne(
      db, sql: "SELECT value FROM store_meta WHERE key = 'overdue_checked_upto'")
    let parts = (value ?? "").split(separator: ":").compactMap { Int64($0) }
    guard parts.count == 2 else { return (cutoff - overdueLookback, Int64.max) }
    return (parts[0], parts[1])
  }

  /// Mentions in the hour before `now` against the same hour on each of the earlier days.
  public func hourVolumes(now: Date, days: Int) throws -> (lastHour: Int, before: [Int]) {
    try pool.read { db in try Self.hourVolumes(db, now: now.epochMilliseconds, days: days) }
  }

  static func hourVolumes(_ db: Database, now: Int64, days: Int) throws -> (lastHour: Int, before: [Int]) {
    let hour: Int64 = 3_600_000
    let count = try db.cachedStatement(
      sql: "SELECT count(*) FROM mentions WHERE created_at > ? AND created_at <= ? AND muted = 0")
    let last = try Int.fetchOne(count, arguments: [now - hour, now]) ?? 0
    var before: [Int] = []
    for day in 1...max(1, days) {
      let end = now - Int64(day) * 86_400_000
      before.append(try Int.fetchOne(count, arguments: [end - hour, end]) ?? 0)
    }
    return (last, before)
  }

  private func raiseVolumeRise(_ db: Database, _ rules: Escalation, now: Int64, actor: String) throws -> Int {
    let (last, before) = try Self.hourVolumes(db, now: now, days: rules.volumeDays)
    guard EscalationRules(rules).isVolumeRise(lastHour: last, sameHourBefore: before) else { return 0 }
    // The escalation needs a mention to point at: the hour's most followed one stands for it.
    guard
      let example = try Int64.fetchOne(
        db,
        sql: """
          SELECT m.id FROM mentions m JOIN authors a ON a.id = m.author_id
          WHERE m.created_at > ? AND m.created_at <= ? AND m.muted = 0
          ORDER BY coalesce(a.followers, 0) DESC, m.id LIMIT 1
          """, arguments: [now - 3_600_000, now])
    else { return 0 }
    var w = JSONWriter()
    w.int("last_hour", Int64(last))
    w.decimal3("usual", EscalationRules.mean(before))
    // One per clock hour (UTC), however often the rule runs.
    let key = String(RFC3339.format(Date(epochMilliseconds: now - now % 3_600_000)).prefix(13))
    return try raise(
      db, mentionID: example, reason: .volumeRise, actor: actor, now: now, detail: w.finish(), ruleKey: key)
      ? 1 : 0
  }
}

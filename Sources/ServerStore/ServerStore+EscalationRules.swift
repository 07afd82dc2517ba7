import Foundation
import Inbox
import Policy
import PostgresNIO

/// The timed escalation rules on the server, as `SQLiteStore+EscalationRules.swift` evaluates
/// them: overdue past the target plus the policy's grace, from a high-water mark in `store_meta`
/// (`overdue_checked_upto`), and a rise in volume this hour. Raising is idempotent by the same
/// partial unique indexes (`INSERT … ON CONFLICT DO NOTHING`). A pass holds a transaction-level
/// advisory lock of the store's schema, so two processes evaluating at once take turns and never
/// move the mark past each other; it takes the writer's turn only when it found work, so the
/// usual pass that finds none waits for no writer.
extension ServerStore {
  @discardableResult
  public func evaluateTimedRules(_ rules: Escalation, now: Date, actor: String) throws -> Int {
    let at = now.epochMilliseconds
    let lockName = address.schema + ".timed_rules"
    return try replyRun(timeout: 120) { session in
      try await session.transaction { session in
        try await ReplySQL.exec(
          session, "SELECT pg_advisory_xact_lock(hashtext($1))", ReplySQL.binds(lockName))
        // Whether there is anything to do, as SQLite's read first asks it: a pass that finds
        // nothing leaves the mark where it was.
        let settled = try await !EscalationSQL.settledOverdue(session, now: at, limit: 1).isEmpty
        var work = settled
        if !work, let grace = rules.overdueAfter {
          let cutoff = at - Int64(grace.components.seconds) * 1000
          let mark = try await EscalationSQL.overdueMark(session, cutoff: cutoff)
          work = try await !EscalationSQL.overdue(session, from: mark, cutoff: cutoff, limit: 1).isEmpty
        }
        if !work {
          let (last, before) = try await EscalationSQL.hourVolumes(session, now: at, days: rules.volumeDays)
          work = EscalationRules(rules).isVolumeRise(lastHour: last, sameHourBefore: before)
        }
        if !work { return 0 }
        try await ReplySQL.writerTurn(session)
        if settled {
          try await EscalationSQL.closeSettled(
            session, EscalationSQL.settledOverdue(session, now: at, limit: EscalationSQL.overdueBatch),
            now: at,
            actor: actor)
        }
        var raised = 0
        if let grace = rules.overdueAfter {
          let cutoff = at - Int64(grace.components.seconds) * 1000
          let from = try await EscalationSQL.overdueMark(session, cutoff: cutoff)
          let overdue = try await EscalationSQL.overdue(
            session, from: from, cutoff: cutoff, limit: EscalationSQL.overdueBatch)
          raised += try await EscalationSQL.raiseOverdue(session, overdue.map(\.id), actor: actor, now: at)
          // A full batch moves the mark only as far as it got; the next pass goes on from there.
          let mark =
            overdue.count == EscalationSQL.overdueBatch
            ? "\(overdue.last!.due):\(overdue.last!.id)" : "\(cutoff):\(Int64.max)"
          try await ReplySQL.exec(
            session,
            """
            INSERT INTO store_meta (key, value) VALUES ('overdue_checked_upto', $1)
            ON CONFLICT (key) DO UPDATE SET value = excluded.value
            """, ReplySQL.binds(mark))
        }
        raised += try await EscalationSQL.raiseVolumeRise(session, rules, now: at, actor: actor)
        return raised
      }
    }
  }

  /// Mentions in the hour before `now` against the same hour on each of the earlier days.
  public func hourVolumes(now: Date, days: Int) throws -> (lastHour: Int, before: [Int]) {
    let at = now.epochMilliseconds
    return try replyRun { session in try await EscalationSQL.hourVolumes(session, now: at, days: days) }
  }
}

/// The escalation rules' statements (the counterparts of `SQLiteStore`'s of the same names).
enum EscalationSQL {
  /// At most this many overdue escalations per pass (`SQLiteStore.overdueBatch`).
  static let overdueBatch = 2_000
  /// How far back the overdue rule looks the first time (`SQLiteStore.overdueLookback`).
  static let overdueLookback: Int64 = 7 * 86_400_000
  /// Who closes an overdue escalation whose reason is gone (`SQLiteStore.overdueRuleActor`).
  static let overdueRuleActor = "policy"

  /// Raises an escalation unless one is open already (`escalations_open_once`,
  /// `escalations_by_rule_key`); true when it was raised, with its `escalate` event.
  static func raise(
    _ session: ServerSession, mentionID: Int64, reason: EscalationReason, actor: String, now: Int64,
    detail: String? = nil, ruleKey: String? = nil
  ) async throws -> Bool {
    let ids = try await session.values(
      """
      INSERT INTO escalations
        (mention_id, reason, state, created_at, created_by, updated_at, severity, detail, rule_key)
      VALUES ($1, $2, 'new', $3, $4, $3, $5, $6::text, $7::text)
      ON CONFLICT DO NOTHING RETURNING id
      """,
      binds: ReplySQL.binds(mentionID, reason.rawValue, now, actor, Int64(reason.severity), detail, ruleKey),
      as: Int64.self)
    guard let id = ids.first else { return false }
    var w = JSONWriter()
    w.int("escalation_id", id)
    w.string("reason", reason.rawValue)
    try await ReplySQL.appendEvent(
      session, at: now, actor: actor, action: "escalate", mentionID: mentionID, detail: w.finish())
    return true
  }

  /// `raise` for each of `mentionIDs` (in their order) for being overdue, in two statements
  /// however many: the escalations, then their events in the escalations' order, as SQLite's
  /// one-by-one raising writes them. Returns how many were raised.
  static func raiseOverdue(_ session: ServerSession, _ mentionIDs: [Int64], actor: String, now: Int64)
    async throws -> Int
  {
    guard !mentionIDs.isEmpty else { return 0 }
    let reason = EscalationReason.overdue
    let raised = try await session.rows(
      """
      INSERT INTO escalations (mention_id, reason, state, created_at, created_by, updated_at, severity)
      SELECT c.m, $2, 'new', $3, $4, $3, $5 FROM unnest($1::bigint[]) WITH ORDINALITY AS c(m, n) ORDER BY c.n
      ON CONFLICT DO NOTHING RETURNING id, mention_id
      """, binds: ReplySQL.binds(mentionIDs, reason.rawValue, now, actor, Int64(reason.severity)),
      as: (Int64, Int64).self
    ).sorted { $0.0 < $1.0 }
    guard !raised.isEmpty else { return 0 }
    let details = raised.map { id, _ in
      var w = JSONWriter()
      w.int("escalation_id", id)
      w.string("reason", reason.rawValue)
      return w.finish()
    }
    try await ReplySQL.exec(
      session,
      """
      INSERT INTO events (at, actor, action, mention_id, detail)
      SELECT $1, $2, 'escalate', e.m, e.d FROM unnest($3::bigint[], $4::text[]) WITH ORDINALITY AS e(m, d, n)
      ORDER BY e.n
      """, ReplySQL.binds(now, actor, raised.map(\.1), details))
    return raised.count
  }

  /// The (due_at, id) the overdue rule goes on from (`SQLiteStore.overdueMark`).
  static func overdueMark(_ session: ServerSession, cutoff: Int64) async throws -> (due: Int64, id: Int64) {
    let value = try await session.values(
      "SELECT value FROM store_meta WHERE key = 'overdue_checked_upto'", as: String.self
    ).first
    let parts = (value ?? "").split(separator: ":").compactMap { Int64($0) }
    guard parts.count == 2 else { return (cutoff - overdueLookback, Int64.max) }
    return (parts[0], parts[1])
  }

  /// Mentions past their target by the cutoff, after the mark, in (due_at, id) order.
  static func overdue(_ session: ServerSession, from mark: (due: Int64, id: Int64), cutoff: Int64, limit: Int)
    async throws -> [(id: Int64, due: Int64)]
  {
    try await session.rows(
      """
      SELECT id, due_at FROM mentions
      WHERE due_at IS NOT NULL AND NOT muted AND due_at >= $1 AND due_at <= $2
        AND (due_at > $1 OR id > $3) AND status IN ('open', 'holding', 'replied', 'snoozed')
      ORDER BY due_at, id LIMIT $4
      """, binds: ReplySQL.binds(mark.due, cutoff, mark.id, Int64(limit)), as: (Int64, Int64).self
    ).map { (id: $0.0, due: $0.1) }
  }

  /// Open overdue escalations whose reason is gone, with the mention's status, oldest first;
  /// only those of `mentionID` when given (`SQLiteStore.settledOverdue`).
  static func settledOverdue(_ session: ServerSession, now: Int64, limit: Int, mentionID: Int64? = nil)
    async throws -> [(id: Int64, status: String)]
  {
    try await session.rows(
      """
      SELECT e.id, m.status FROM escalations e JOIN mentions m ON m.id = e.mention_id
      WHERE e.reason = 'overdue' AND e.state <> 'resolved' AND ($3::bigint IS NULL OR e.mention_id = $3)
        AND NOT (m.due_at IS NOT NULL AND m.due_at <= $1 AND NOT m.muted
          AND m.status IN ('open', 'holding', 'replied', 'snoozed'))
      ORDER BY e.id LIMIT $2
      """, binds: ReplySQL.binds(now, Int64(limit), mentionID), as: (Int64, String).self
    ).map { (id: $0.0, status: $0.1) }
  }

  /// Closes the mention's overdue escalations whose reason is gone, in the transaction of the
  /// action that took the reason away (`SQLiteStore.closeSettledOverdue(_:mentionID:now:)`).
  static func closeSettledOverdue(_ session: ServerSession, mentionID: Int64, now: Int64) async throws {
    try await closeSettled(
      session, settledOverdue(session, now: now, limit: overdueBatch, mentionID: mentionID), now: now,
      actor: overdueRuleActor)
  }

  /// Closes each with a note saying why and an `escalation_resolve` event marked `auto`.
  static func closeSettled(
    _ session: ServerSession, _ settled: [(id: Int64, status: String)], now: Int64, actor: String
  ) async throws {
    for (id, status) in settled {
      let why: String
      switch MentionStatus(rawValue: status) {
      case .replied?: why = "answered"
      case .holding?: why = "held (S12)"
      case .noReply?: why = "closed without a reply"
      default: why = "target moved"
      }
      let mentionID = try await session.values(
        """
        UPDATE escalations SET state = 'resolved', resolved_at = $2, updated_at = $2 WHERE id = $1
        RETURNING mention_id
        """, binds: ReplySQL.binds(id, now), as: Int64.self
      ).first
      try await ReplySQL.exec(
        session, "INSERT INTO escalation_notes (escalation_id, at, author, text) VALUES ($1, $2, $3, $4)",
        ReplySQL.binds(id, now, actor, "closed by itself: \(why), no longer overdue"))
      var w = JSONWriter()
      w.int("escalation_id", id)
      w.bool("auto", true)
      w.string("why", why)
      try await ReplySQL.appendEvent(
        session, at: now, actor: actor, action: "escalation_resolve", mentionID: mentionID, detail: w.finish()
      )
    }
  }

  /// Mentions in the hour before `now` and in the same hour on each of the `days` before.
  static func hourVolumes(_ session: ServerSession, now: Int64, days: Int) async throws
    -> (lastHour: Int, before: [Int])
  {
    let hour: Int64 = 3_600_000
    func count(_ end: Int64) async throws -> Int {
      try await session.values(
        "SELECT count(*)::bigint FROM mentions WHERE created_at > $1 AND created_at <= $2 AND NOT muted",
        binds: ReplySQL.binds(end - hour, end), as: Int.self
      ).first ?? 0
    }
    let last = try await count(now)
    var before: [Int] = []
    for day in 1...max(1, days) { before.append(try await count(now - Int64(day) * 86_400_000)) }
    return (last, before)
  }

  /// A rise in volume this hour: one escalation per clock hour (UTC), on the hour's most
  /// followed mention (`SQLiteStore.raiseVolumeRise`).
  static func raiseVolumeRise(_ session: ServerSession, _ rules: Escalation, now: Int64, actor: String)
    async throws -> Int
  {
    let (last, before) = try await hourVolumes(session, now: now, days: rules.volumeDays)
    guard EscalationRules(rules).isVolumeRise(lastHour: last, sameHourBefore: before) else { return 0 }
    guard
      let example = try await session.values(
        """
        SELECT m.id FROM mentions m JOIN authors a ON a.id = m.author_id
        WHERE m.created_at > $1 AND m.created_at <= $2 AND NOT m.muted
        ORDER BY coalesce(a.followers, 0) DESC, m.id LIMIT 1
        """, binds: ReplySQL.binds(now - 3_600_000, now), as: Int64.self
      ).first
    else { return 0 }
    var w = JSONWriter()
    w.int("last_hour", Int64(last))
    w.decimal3("usual", EscalationRules.mean(before))
    let key = String(RFC3339.format(Date(epochMilliseconds: now - now % 3_600_000)).prefix(13))
    return try await raise(
      session, mentionID: example, reason: .volumeRise, actor: actor, now: now, detail: w.finish(),
      ruleKey: key)
      ? 1 : 0
  }

  /// The mention's category and every reason it was ever escalated for: what four eyes decide by.
  static func approvalFacts(_ session: ServerSession, mentionID: Int64) async throws
    -> (category: Category?, reasons: [EscalationReason])
  {
    let category = try await session.values(
      "SELECT category FROM mentions WHERE id = $1", binds: ReplySQL.binds(mentionID), as: String?.self
    ).first.flatMap { $0 }.flatMap(Category.init(rawValue:))
    let reasons = try await session.values(
      "SELECT DISTINCT reason FROM escalations WHERE mention_id = $1", binds: ReplySQL.binds(mentionID),
      as: String.self
    ).compactMap(EscalationReason.init(rawValue:))
    return (category, reasons)
  }
}

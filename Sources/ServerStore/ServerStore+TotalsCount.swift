import Foundation
import Inbox
import Policy
import PostgresNIO

/// The queue's counts from the running totals (migration 9), as `SQLiteStore+TotalsCount` reads
/// SQLite's: the unfiltered count, the views' counts and the status line's tally read a few rows
/// of `queue_totals` and, for what moves with time, the few rows within a span from their indexes,
/// never the whole table.
extension ServerStore {
  /// The count of a filter that names only what the totals are kept by
  /// (`QueueFilter.countsFromTotals`; the empty filter too): the totals' mentions not muted under
  /// the filter, minus the snoozed ones still asleep under it (read from the snooze index), unless
  /// the filter lists `snoozed` and so wakes them. One statement, so both parts see one snapshot.
  static func countFromTotals(_ session: ServerSession, _ query: QueueFilter, at: Int64) async throws -> Int {
    var binds = ServerBinds()
    var kept = ["NOT muted"]
    if !query.categories.isEmpty {
      kept.append("category = ANY(\(binds.add(query.categories.map(\.rawValue).sorted())))")
    }
    if !query.statuses.isEmpty {
      kept.append("status = ANY(\(binds.add(query.statuses.map(\.rawValue).sorted())))")
    }
    if !query.platforms.isEmpty { kept.append("platform = ANY(\(binds.add(query.platforms.sorted())))") }
    if !query.languages.isEmpty { kept.append("lang = ANY(\(binds.add(query.languages.sorted())))") }
    if query.escalated { kept.append("escalated") }
    var sql = "(SELECT coalesce(sum(n), 0) FROM queue_totals WHERE \(kept.joined(separator: " AND ")))"
    if !query.wakesSnoozed {
      let now = binds.add(at)
      let filter = ServerQueueSQL.filter(query, now: now, search: .none, binds: &binds)
      sql += """
         - (SELECT count(*) FROM mentions m
          WHERE m.snoozed_until > \(now) AND m.status = 'snoozed' AND NOT m.muted
            AND (m.due_at IS NULL OR m.due_at > \(now))\(filter))
        """
    }
    return try await session.one("SELECT (\(sql))::bigint", binds: binds.bindings, as: Int.self) ?? 0
  }

  /// The status line's tally: the mentions not muted per status (every status some mention has,
  /// muted or not, as counting the rows gave), and those cooling off and overdue: the total on a
  /// clock minus the ranges that move with time, read from the deadline indexes (those due later,
  /// and those still cooling), as `SQLiteStore.clockTotals` does.
  static func tallyFromTotals(_ session: ServerSession, at: Int64) async throws -> QueueTally {
    var tally = QueueTally()
    let statuses = try await session.decoded(
      """
      SELECT status, coalesce(sum(n) FILTER (WHERE NOT muted), 0)::bigint FROM queue_totals
      GROUP BY status HAVING sum(n) > 0
      """
    ) { (try $0[0].decode(String.self), try $0[1].decode(Int.self)) }
    for (name, count) in statuses {
      if let status = MentionStatus(rawValue: name) { tally.byStatus[status] = count }
    }
    tally.total = tally.byStatus.values.reduce(0, +)
    var binds = ServerBinds()
    let now = binds.add(at)
    let clocks = try await session.decoded(
      """
      SELECT (SELECT coalesce(sum(n), 0) FROM queue_totals WHERE NOT muted AND clocked)::bigint,
        (SELECT count(*) FROM mentions WHERE due_at > \(now) AND NOT muted),
        c.cooling, c.cooling_past_due
      FROM (SELECT count(*) AS cooling, count(*) FILTER (WHERE due_at <= \(now)) AS cooling_past_due
        FROM mentions WHERE earliest_reply_at > \(now) AND due_at IS NOT NULL AND NOT muted) AS c
      """, binds: binds.bindings
    ) { row in
      (
        try row[0].decode(Int.self), try row[1].decode(Int.self), try row[2].decode(Int.self),
        try row[3].decode(Int.self)
      )
    }
    guard let (onClock, notYetDue, cooling, coolingPastDue) = clocks.first else { return tally }
    tally.byClock[.cooling] = cooling
    tally.byClock[.overdue] = onClock - notYetDue - coolingPastDue
    return tally
  }

  /// The running totals built again from the rows, in the writers' turn (after `repute migrate`
  /// copied rows in: its `COPY` runs the triggers too, so this only makes sure).
  func rebuildTotals() throws {
    try write(timeout: 600) { session in
      for statement in ServerSchema.rebuildTotals { try await session.execute(statement) }
    }
  }
}

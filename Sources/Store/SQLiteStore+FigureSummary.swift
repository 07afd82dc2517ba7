import GRDB
import Inbox
import Policy

// MARK: - The figures from the summary kept at write time (v23b, issue 17)

/// First responses and follow-ups of the mentions that arrived in one span, per category
/// (`""`: none), as the report counts them.
struct WindowShares {
  var byCategory: [String: TargetShare] = [:]
  var followUp = TargetShare()

  /// Every category together.
  var all: TargetShare {
    byCategory.values.reduce(into: TargetShare()) { sum, s in
      sum.within += s.within
      sum.late += s.late
      sum.pending += s.pending
      sum.closedWithoutReply += s.closedWithoutReply
    }
  }

  mutating func add(_ category: String, _ share: TargetShare) {
    var s = byCategory[category] ?? TargetShare()
    s.within += share.within
    s.late += share.late
    s.pending += share.pending
    s.closedWithoutReply += share.closedWithoutReply
    byCategory[category] = s
  }

  mutating func addFollowUp(_ share: TargetShare) {
    followUp.within += share.within
    followUp.late += share.late
    followUp.pending += share.pending
  }
}

extension SQLiteStore {
  /// Adds the mentions `ids` (one batch's new rows) to `figure_hours`, once per batch (v23b).
  func addToFigures(_ db: Database, ids: ClosedRange<Int64>) throws {
    try db.execute(
      sql:
        "INSERT INTO figure_hours \(FigureSummary.aggregate(where: "id BETWEEN ? AND ?")) \(FigureSummary.addUp)",
      arguments: [ids.lowerBound, ids.upperBound])
  }

  /// The shares of the mentions that arrived in [from, now] at `now`: the whole hours inside the
  /// span from `figure_hours`, the parts of an hour at either end from their rows (at most two
  /// hours' arrivals), and of the waiting ones, those whose target is still ahead (pending, not
  /// late) from the indexes of targets ahead.
  static func windowShares(_ db: Database, from: Int64, now: Int64) throws -> WindowShares {
    let hour = FigureSummary.hourMs
    let first = floorDiv(from + hour - 1, hour)
    let last = floorDiv(now + 1, hour) - 1
    var out = WindowShares()
    guard first <= last else {
      try addRows(db, from: from, to: now, now: now, into: &out)
      return out
    }
    let (start, end) = (first * hour, (last + 1) * hour - 1)
    if from < start { try addRows(db, from: from, to: start - 1, now: now, into: &out) }
    if end < now { try addRows(db, from: end + 1, to: now, now: now, into: &out) }
    var pending: [String: Int] = [:]
    for row in try Row.fetchAll(
      db,
      sql: """
        SELECT coalesce(category, ''), count(*) FROM mentions INDEXED BY mentions_awaiting_first
        WHERE first_response_at IS NULL AND first_response_due_at IS NOT NULL AND first_response_due_at > :now
          AND created_at >= :start AND created_at <= :end AND muted = 0 AND NOT \(FigureSummary.closed(""))
        GROUP BY 1
        """, arguments: ["now": now, "start": start, "end": end])
    {
      pending[row[0]] = row[1]
    }
    let followUpPending =
      try Int.fetchOne(
        db,
        sql: """
          SELECT count(*) FROM mentions INDEXED BY mentions_awaiting_follow_up
          WHERE follow_up_due_at IS NOT NULL AND status IN ('holding', 'replied', 'snoozed')
            AND follow_up_due_at > :now AND created_at >= :start AND created_at <= :end AND muted = 0
          """, arguments: ["now": now, "start": start, "end": end]) ?? 0
    var followUpWaiting = 0
    for row in try Row.fetchAll(
      db,
      sql: """
        SELECT category, sum(fr_within), sum(fr_late), sum(fr_waiting), sum(fr_closed), sum(fu_within),
          sum(fu_late), sum(fu_waiting)
        FROM figure_hours WHERE hour >= ? AND hour <= ? GROUP BY category
        """, arguments: [first, last])
    {
      let category: String = row[0]
      let waiting: Int = row[3]
      let ahead = pending[category] ?? 0
      out.add(
        category,
        TargetShare(
          within: row[1], late: row[2] + waiting - ahead, pending: ahead, closedWithoutReply: row[4]))
      out.addFollowUp(TargetShare(within: row[5], late: row[6]))
      followUpWaiting += row[7]
    }
    out.addFollowUp(TargetShare(late: followUpWaiting - followUpPending, pending: followUpPending))
    // A category whose mentions all left the report (muted, or without a target) is not shown.
    out.byCategory = out.byCategory.filter { _, s in
      s.within + s.late + s.pending + s.closedWithoutReply > 0
    }
    return out
  }

  /// The shares of the mentions that arrived in [from, to], counted from their rows at `now`.
  private static func addRows(
    _ db: Database, from: Int64, to: Int64, now: Int64, into out: inout WindowShares
  ) throws {
    let closed = FigureSummary.closed("")
    for row in try Row.fetchAll(
      db,
      sql: """
        SELECT coalesce(category, ''),
          count(*) FILTER (WHERE first_response_at IS NOT NULL AND first_response_at <= first_response_due_at),
          count(*) FILTER (WHERE (first_response_at IS NOT NULL AND first_response_at > first_response_due_at)
            OR (first_response_at IS NULL AND first_response_due_at <= :now AND NOT \(closed))),
          count(*) FILTER (WHERE first_response_at IS NULL AND first_response_due_at > :now AND NOT \(closed)),
          count(*) FILTER (WHERE \(closed))
        FROM mentions INDEXED BY mentions_by_created
        WHERE created_at >= :from AND created_at <= :to AND first_response_due_at IS NOT NULL AND muted = 0
        GROUP BY 1
        """, arguments: ["from": from, "to": to, "now": now])
    {
      out.add(row[0], TargetShare(within: row[1], late: row[2], pending: row[3], closedWithoutReply: row[4]))
    }
    let pending = "(\(FigureSummary.followUpWaiting("")))"
    if let row = try Row.fetchOne(
      db,
      sql: """
        SELECT
          count(*) FILTER (WHERE follow_up_at IS NOT NULL AND follow_up_at <= follow_up_answered_due_at),
          count(*) FILTER (WHERE follow_up_at > follow_up_answered_due_at),
          count(*) FILTER (WHERE \(pending) AND follow_up_due_at <= :now),
          count(*) FILTER (WHERE \(pending) AND follow_up_due_at > :now)
        FROM mentions INDEXED BY mentions_by_created
        WHERE created_at >= :from AND created_at <= :to AND muted = 0
          AND (follow_up_due_at IS NOT NULL OR follow_up_answered_due_at IS NOT NULL)
        """, arguments: ["from": from, "to": to, "now": now])
    {
      out.addFollowUp(
        TargetShare(within: row[0] ?? 0, late: (row[1] ?? 0) + (row[2] ?? 0), pending: row[3] ?? 0))
    }
  }

  /// Open, holding and snoozed mentions (not muted) by category and clock at `now`: the running
  /// totals of those on a clock and off it, and the rows whose clock state moves with time (a
  /// target still ahead, or still cooling off) read from the deadline indexes; every other one on
  /// a clock is overdue. The same states as `Deadlines.clock`, as the scan gave them.
  static func openByClock(_ db: Database, now at: Int64) throws -> [Category: [ClockState: Int]] {
    var onClock: [String: Int] = [:]
    var offClock: [String: Int] = [:]
    for row in try Row.fetchAll(
      db,
      sql: """
        SELECT category, clocked, sum(n) FROM queue_totals
        WHERE status IN ('open', 'holding', 'snoozed') AND muted = 0 GROUP BY 1, 2
        """)
    {
      if row[1] as Int == 1 { onClock[row[0]] = row[2] } else { offClock[row[0]] = row[2] }
    }
    var moving: [String: [String: Int]] = [:]
    for row in try Row.fetchAll(
      db,
      sql: """
        SELECT coalesce(category, ''),
          CASE
            WHEN status = 'open' AND earliest_reply_at > :now THEN 'cooling'
            WHEN due_at <= :now THEN 'overdue'
            WHEN status = 'snoozed' AND coalesce(snoozed_until, 0) > :now THEN 'none'
            WHEN 5 * (due_at - :now) <= due_at - (\(Self.spanStartSQL)) THEN 'due_soon'
            ELSE 'on_time' END,
          count(*)
        FROM mentions m
        WHERE m.id IN (
            SELECT id FROM mentions INDEXED BY mentions_by_due WHERE due_at IS NOT NULL AND muted = 0 AND due_at > :now
            UNION
            SELECT id FROM mentions INDEXED BY mentions_by_earliest
            WHERE due_at IS NOT NULL AND muted = 0 AND earliest_reply_at > :now)
          AND status IN ('open', 'holding', 'snoozed')
        GROUP BY 1, 2
        """, arguments: ["now": at])
    {
      moving[row[0], default: [:]][row[1]] = row[2]
    }
    var open: [Category: [ClockState: Int]] = [:]
    for key in Set(onClock.keys).union(offClock.keys) {
      guard let category = Category(rawValue: key) else { continue }
      var states: [ClockState: Int] = [:]
      let m = moving[key] ?? [:]
      for (name, n) in m { if let state = ClockState(rawValue: name) { states[state] = n } }
      states[.none] = (states[.none] ?? 0) + (offClock[key] ?? 0)
      states[.overdue] = (onClock[key] ?? 0) - m.values.reduce(0, +) + (m["overdue"] ?? 0)
      let shown = states.filter { $0.value > 0 }
      if !shown.isEmpty { open[category] = shown }
    }
    return open
  }

  private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
    a >= 0 ? a / b : -((-a + b - 1) / b)
  }
}

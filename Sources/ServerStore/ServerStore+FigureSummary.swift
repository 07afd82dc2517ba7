import Foundation
import Inbox
import Policy
import PostgresNIO

// MARK: - The figures from the summary kept at write time (migration 8)

/// First responses and follow-ups of the mentions that arrived in one span, per category
/// (`""`: none), as the report counts them (`WindowShares` of the SQLite store).
struct ServerWindowShares: Sendable {
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

/// The figures' reads on the server, each the counterpart of the SQLite store's (in
/// `SQLiteStore+FigureSummary.swift`): whole hours from `figure_hours`, the open queue from
/// `figure_open`, and from the rows only what moves with time (targets still ahead, cooling off)
/// and the fragments of an hour at either end of a span.
enum ServerFigureSQL {
  /// The shares of the mentions that arrived in [from, now] at `now`: the whole hours inside the
  /// span from `figure_hours`, the parts of an hour at either end from their rows (at most two
  /// hours' arrivals), and of the waiting ones, those whose target is still ahead (pending, not
  /// late) from the partial indexes of targets ahead (`mentions_awaiting_first`, `_follow_up`).
  static func windowShares(_ session: ServerSession, from: Int64, now: Int64) async throws
    -> ServerWindowShares
  {
    let hour = ServerFigureSummary.hourMs
    let first = floorDiv(from + hour - 1, hour)
    let last = floorDiv(now + 1, hour) - 1
    var out = ServerWindowShares()
    guard first <= last else {
      try await addRows(session, from: from, to: now, now: now, into: &out)
      return out
    }
    let (start, end) = (first * hour, (last + 1) * hour - 1)
    if from < start { try await addRows(session, from: from, to: start - 1, now: now, into: &out) }
    if end < now { try await addRows(session, from: end + 1, to: now, now: now, into: &out) }
    var pending: [String: Int] = [:]
    for (category, n) in try await session.decoded(
      """
      SELECT coalesce(category, ''), count(*) FROM mentions
      WHERE first_response_at IS NULL AND first_response_due_at IS NOT NULL AND first_response_due_at > $1
        AND created_at >= $2 AND created_at <= $3 AND NOT muted AND NOT \(ServerFigureSummary.closed(""))
      GROUP BY 1
      """, binds: .of(now, start, end), { (try $0[0].decode(String.self), try $0[1].decode(Int.self)) })
    {
      pending[category] = n
    }
    let followUpPending =
      try await session.one(
        """
        SELECT count(*) FROM mentions
        WHERE follow_up_due_at IS NOT NULL AND status IN ('holding', 'replied', 'snoozed')
          AND follow_up_due_at > $1 AND created_at >= $2 AND created_at <= $3 AND NOT muted
        """, binds: .of(now, start, end), as: Int.self) ?? 0
    var followUpWaiting = 0
    for (category, n) in try await hourSums(session, first: first, last: last) {
      let ahead = pending[category] ?? 0
      out.add(
        category,
        TargetShare(
          within: n[0], late: n[1] + n[2] - ahead, pending: ahead, closedWithoutReply: n[3]))
      out.addFollowUp(TargetShare(within: n[4], late: n[5]))
      followUpWaiting += n[6]
    }
    out.addFollowUp(TargetShare(late: followUpWaiting - followUpPending, pending: followUpPending))
    // A category whose mentions all left the report (muted, or without a target) is not shown.
    out.byCategory = out.byCategory.filter { _, s in
      s.within + s.late + s.pending + s.closedWithoutReply > 0
    }
    return out
  }

  /// `figure_hours` summed over the hours [first, last] per category: fr_within, fr_late,
  /// fr_waiting, fr_closed, fu_within, fu_late, fu_waiting.
  private static func hourSums(_ session: ServerSession, first: Int64, last: Int64) async throws
    -> [(String, [Int])]
  {
    let sums = ServerFigureSummary.columns.dropFirst().map { "sum(\($0.name))::bigint" }
    return try await session.decoded(
      """
      SELECT category, \(sums.joined(separator: ", "))
      FROM figure_hours WHERE hour >= $1 AND hour <= $2 GROUP BY category
      """, binds: .of(first, last)
    ) { r in (try r[0].decode(String.self), try (1..<r.count).map { try r[$0].decode(Int.self) }) }
  }

  /// The shares of the mentions that arrived in [from, to], counted from their rows at `now`.
  private static func addRows(
    _ session: ServerSession, from: Int64, to: Int64, now: Int64, into out: inout ServerWindowShares
  ) async throws {
    let closed = ServerFigureSummary.closed("")
    for (category, share) in try await session.decoded(
      """
      SELECT coalesce(category, ''),
        count(*) FILTER (WHERE first_response_at IS NOT NULL AND first_response_at <= first_response_due_at),
        count(*) FILTER (WHERE (first_response_at IS NOT NULL AND first_response_at > first_response_due_at)
          OR (first_response_at IS NULL AND first_response_due_at <= $3 AND NOT \(closed))),
        count(*) FILTER (WHERE first_response_at IS NULL AND first_response_due_at > $3 AND NOT \(closed)),
        count(*) FILTER (WHERE \(closed))
      FROM mentions
      WHERE created_at >= $1 AND created_at <= $2 AND first_response_due_at IS NOT NULL AND NOT muted
      GROUP BY 1
      """, binds: .of(from, to, now),
      { r in
        (
          try r[0].decode(String.self),
          TargetShare(
            within: try r[1].decode(Int.self), late: try r[2].decode(Int.self),
            pending: try r[3].decode(Int.self),
            closedWithoutReply: try r[4].decode(Int.self))
        )
      })
    {
      out.add(category, share)
    }
    let waiting = "(\(ServerFigureSummary.followUpWaiting("")))"
    if let share = try await session.decoded(
      """
      SELECT
        count(*) FILTER (WHERE follow_up_at IS NOT NULL AND follow_up_at <= follow_up_answered_due_at),
        count(*) FILTER (WHERE follow_up_at > follow_up_answered_due_at),
        count(*) FILTER (WHERE \(waiting) AND follow_up_due_at <= $3),
        count(*) FILTER (WHERE \(waiting) AND follow_up_due_at > $3)
      FROM mentions
      WHERE created_at >= $1 AND created_at <= $2 AND NOT muted
        AND (follow_up_due_at IS NOT NULL OR follow_up_answered_due_at IS NOT NULL)
      """, binds: .of(from, to, now),
      { r in
        TargetShare(
          within: try r[0].decode(Int.self), late: try r[1].decode(Int.self) + r[2].decode(Int.self),
          pending: try r[3].decode(Int.self))
      }
    ).first {
      out.addFollowUp(share)
    }
  }

  /// Open, holding and snoozed mentions (not muted) by category and clock at `now`: the totals of
  /// those on a clock and off it (`figure_open`), and the rows whose clock state moves with time
  /// (a target still ahead, or still cooling off) read from the deadline indexes; every other one
  /// on a clock is overdue. The same states as `Deadlines.clock`.
  static func openByClock(_ session: ServerSession, now at: Int64) async throws -> [Category: [ClockState:
    Int]]
  {
    var onClock: [String: Int] = [:]
    var offClock: [String: Int] = [:]
    for (category, clocked, n) in try await session.decoded(
      "SELECT category, clocked, n FROM figure_open WHERE n <> 0", binds: .of(),
      { (try $0[0].decode(String.self), try $0[1].decode(Bool.self), try $0[2].decode(Int.self)) })
    {
      if clocked { onClock[category] = n } else { offClock[category] = n }
    }
    var moving: [String: [String: Int]] = [:]
    for (category, state, n) in try await session.decoded(
      """
      SELECT coalesce(m.category, ''),
        CASE
          WHEN m.status = 'open' AND m.earliest_reply_at > $1 THEN 'cooling'
          WHEN m.due_at <= $1 THEN 'overdue'
          WHEN m.status = 'snoozed' AND coalesce(m.snoozed_until, 0) > $1 THEN 'none'
          WHEN 5 * (m.due_at - $1) <= m.due_at - (\(ServerQueueSQL.spanStart)) THEN 'due_soon'
          ELSE 'on_time' END,
        count(*)
      FROM mentions m
      WHERE m.due_at IS NOT NULL AND NOT m.muted AND (m.due_at > $1 OR m.earliest_reply_at > $1)
        AND m.status IN ('open', 'holding', 'snoozed')
      GROUP BY 1, 2
      """, binds: .of(at),
      { (try $0[0].decode(String.self), try $0[1].decode(String.self), try $0[2].decode(Int.self)) })
    {
      moving[category, default: [:]][state] = n
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

import Foundation
import GRDB
import Inbox
import Policy
import PostgresNIO
import Testing

@testable import ServerStore
@testable import Store

/// The team's figures as `teamFigures` counted them before the summary (SQLite's v23b, the
/// server's migration 8): a scan of every mention that arrived in the period. Kept as the
/// reference the summary must agree with, on either store: the same SQL runs on both (`NOT muted`
/// reads a flag on both, parameters are numbered: `$1` on PostgreSQL, `?1` on SQLite).
enum FiguresByScan {
  /// A value of a scanned row: an integer, a text, or NULL.
  enum Value: Hashable {
    case int(Int64)
    case text(String)
    case null

    var int: Int { if case .int(let n) = self { return Int(n) } else { return 0 } }
    var text: String? { if case .text(let s) = self { return s } else { return nil } }
  }

  /// Runs `sql` (parameters `$1`, `$2`, … bound to `arguments`) on the store and returns its rows.
  static func rows(_ store: TestStore, _ sql: String, _ arguments: [Int64]) throws -> [[Value]] {
    switch store.kind {
    case .sqlite:
      return try store.as(SQLiteStore.self).pool.read { db in
        try Row.fetchAll(
          db, sql: sql.replacingOccurrences(of: "$", with: "?"), arguments: StatementArguments(arguments)
        ).map { row in
          row.databaseValues.map { v in
            if v.isNull { return .null }
            if let n = Int64.fromDatabaseValue(v) { return .int(n) }
            return String.fromDatabaseValue(v).map(Value.text) ?? .null
          }
        }
      }
    case .postgres:
      var binds = PostgresBindings()
      for a in arguments { binds.append(a) }
      let query = PostgresQuery(unsafeSQL: sql, binds: binds)
      return try store.as(ServerStore.self).bridge.run { session in
        var out: [[Value]] = []
        for try await row in try await session.connection.query(query, logger: session.logger) {
          out.append(
            try row.map { cell in
              switch cell.dataType {
              case .int2, .int4, .int8: return try cell.decode(Int64?.self).map(Value.int) ?? .null
              default: return try cell.decode(String?.self).map(Value.text) ?? .null
              }
            })
        }
        return out
      }
    }
  }

  /// Where the active target's span starts (`SQLiteStore.spanStartSQL`, `ServerQueueSQL.spanStart`).
  static let spanStart = """
    CASE CASE status WHEN 'snoozed' THEN coalesce(snoozed_from, 'open') ELSE status END
      WHEN 'holding' THEN coalesce(holding_since, created_at)
      WHEN 'replied' THEN coalesce(first_response_at, created_at) ELSE created_at END
    """

  static func teamFigures(_ store: TestStore, now: Date, today: Date, since: Date) throws -> TeamFigures {
    let at = now.epochMilliseconds
    var f = TeamFigures(now: now, since: since)
    // Open, holding and snoozed, by category and clock (the same rules as `Deadlines.clock`; a
    // snoozed mention is off the clock until its target passes: a snooze never hides it).
    for row in try rows(
      store,
      """
      SELECT category,
        CASE
          WHEN due_at IS NULL THEN 'none'
          WHEN status = 'open' AND earliest_reply_at > $1 THEN 'cooling'
          WHEN due_at <= $1 THEN 'overdue'
          WHEN status = 'snoozed' AND coalesce(snoozed_until, 0) > $1 THEN 'none'
          WHEN 5 * (due_at - $1) <= due_at - (\(spanStart)) THEN 'due_soon'
          ELSE 'on_time' END AS clock,
        count(*)
      FROM mentions
      WHERE status IN ('open', 'holding', 'snoozed') AND NOT muted
      GROUP BY 1, 2
      """, [at])
    {
      guard let c = row[0].text.flatMap(Category.init(rawValue:)),
        let k = row[1].text.flatMap(ClockState.init)
      else { continue }
      f.open[c, default: [:]][k] = row[2].int
    }
    let from = since.epochMilliseconds
    let weekAgo = at - 7 * 86_400_000
    f.today = try share(store, from: today.epochMilliseconds, now: at)
    f.week = try share(store, from: weekAgo, now: at)
    f.period = try share(store, from: from, now: at)
    f.followUpWeek = try followUpShare(store, from: weekAgo, now: at)
    f.followUpPeriod = try followUpShare(store, from: from, now: at)
    for row in try shareRows(store, from: from, now: at, group: "category") {
      guard let c = row[0].text.flatMap(Category.init(rawValue:)) else { continue }
      f.periodByCategory[c] = TargetShare(
        within: row[1].int, late: row[2].int, pending: row[3].int, closedWithoutReply: row[4].int)
    }
    for row in try rows(
      store,
      """
      SELECT first_response_by,
        count(*) FILTER (WHERE first_response_at <= first_response_due_at),
        count(*) FILTER (WHERE first_response_at > first_response_due_at)
      FROM mentions
      WHERE created_at >= $1 AND created_at <= $2 AND first_response_at IS NOT NULL
        AND first_response_due_at IS NOT NULL
      GROUP BY 1
      """, [from, at])
    {
      f.shareByResponder[row[0].text ?? "?"] = TargetShare(within: row[1].int, late: row[2].int)
    }
    // Response times: first response minus arrival, for mentions that arrived in the period.
    var byCategory: [Category: [Double]] = [:]
    var byResponder: [String: [Double]] = [:]
    var all: [Double] = []
    for row in try rows(
      store,
      """
      SELECT category, first_response_by, first_response_at - created_at FROM mentions
      WHERE created_at >= $1 AND created_at <= $2 AND first_response_at IS NOT NULL
      """, [from, at])
    {
      let seconds = Double(row[2].int) / 1000
      all.append(seconds)
      if let c = row[0].text.flatMap(Category.init(rawValue:)) { byCategory[c, default: []].append(seconds) }
      byResponder[row[1].text ?? "?", default: []].append(seconds)
    }
    f.overall = ResponseTimes(all)
    f.byCategory = byCategory.mapValues(ResponseTimes.init)
    f.byResponder = byResponder.mapValues(ResponseTimes.init)
    // Volume per hour, the 24 hours before now.
    var hourly = Array(repeating: 0, count: 24)
    let first = at - 24 * 3_600_000
    for row in try rows(
      store,
      """
      SELECT (created_at - $1) / 3600000, count(*) FROM mentions
      WHERE created_at >= $1 AND created_at < $2 AND NOT muted GROUP BY 1
      """, [first, at])
    where (0..<24).contains(row[0].int) {
      hourly[row[0].int] = row[1].int
    }
    f.hourly = hourly
    return f
  }

  static func share(_ store: TestStore, from: Int64, now: Int64) throws -> TargetShare {
    guard let row = try shareRows(store, from: from, now: now, group: nil).first else { return TargetShare() }
    return TargetShare(
      within: row[1].int, late: row[2].int, pending: row[3].int, closedWithoutReply: row[4].int)
  }

  /// Follow-ups (after a holding reply, S12, or a replied complaint's, S10) for mentions that
  /// arrived in [from, now], counted as first responses are: answered within or past the target
  /// they answered, still pending past their target (late) or before it (pending).
  static func followUpShare(_ store: TestStore, from: Int64, now: Int64) throws -> TargetShare {
    let pending = "(follow_up_due_at IS NOT NULL AND status IN ('holding', 'replied', 'snoozed'))"
    guard
      let row = try rows(
        store,
        """
        SELECT
          count(*) FILTER (WHERE follow_up_at IS NOT NULL AND follow_up_at <= follow_up_answered_due_at),
          count(*) FILTER (WHERE follow_up_at > follow_up_answered_due_at),
          count(*) FILTER (WHERE \(pending) AND follow_up_due_at <= $2),
          count(*) FILTER (WHERE \(pending) AND follow_up_due_at > $2)
        FROM mentions
        WHERE created_at >= $1 AND created_at <= $2 AND NOT muted
          AND (follow_up_due_at IS NOT NULL OR follow_up_answered_due_at IS NOT NULL)
        """, [from, now]
      ).first
    else { return TargetShare() }
    return TargetShare(within: row[0].int, late: row[1].int + row[2].int, pending: row[3].int)
  }

  /// Within / late / pending / closed without reply for mentions with a first-response target
  /// that arrived in [from, now]. A no-reply decision without a response is counted apart, as
  /// closed without reply: never within target, never pending, and not in the share.
  static func shareRows(_ store: TestStore, from: Int64, now: Int64, group: String?) throws -> [[Value]] {
    let closed = "(status = 'no_reply' AND first_response_at IS NULL)"
    return try rows(
      store,
      """
      SELECT \(group ?? "NULL"),
        count(*) FILTER (WHERE first_response_at IS NOT NULL AND first_response_at <= first_response_due_at),
        count(*) FILTER (WHERE (first_response_at IS NOT NULL AND first_response_at > first_response_due_at)
          OR (first_response_at IS NULL AND first_response_due_at <= $2 AND NOT \(closed))),
        count(*) FILTER (WHERE first_response_at IS NULL AND first_response_due_at > $2 AND NOT \(closed)),
        count(*) FILTER (WHERE \(closed))
      FROM mentions
      WHERE created_at >= $1 AND created_at <= $2 AND first_response_due_at IS NOT NULL AND NOT muted
      \(group.map { "GROUP BY \($0)" } ?? "")
      """, [from, now])
  }
}

import Foundation
import GRDB
import Inbox
import Policy

@testable import Store

/// The team's figures as `teamFigures` counted them before the summary (v23b): a scan of every
/// mention that arrived in the period. Kept here as the reference the summary must agree with.
extension SQLiteStore {
  func teamFiguresByScan(now: Date, today: Date, since: Date) throws -> TeamFigures {
    let at = now.epochMilliseconds
    return try pool.read { db in
      var f = TeamFigures(now: now, since: since)
      // Open, holding and snoozed, by category and clock (the same rules as `Deadlines.clock`; a
      // snoozed mention is off the clock until its target passes: a snooze never hides it).
      let start = Self.spanStartSQL
      for row in try Row.fetchAll(
        db,
        sql: """
          SELECT category,
            CASE
              WHEN due_at IS NULL THEN 'none'
              WHEN status = 'open' AND earliest_reply_at > :now THEN 'cooling'
              WHEN due_at <= :now THEN 'overdue'
              WHEN status = 'snoozed' AND coalesce(snoozed_until, 0) > :now THEN 'none'
              WHEN 5 * (due_at - :now) <= due_at - (\(start)) THEN 'due_soon'
              ELSE 'on_time' END AS clock,
            count(*)
          FROM mentions m INDEXED BY mentions_by_status
          WHERE status IN ('open', 'holding', 'snoozed') AND muted = 0
          GROUP BY 1, 2
          """, arguments: ["now": at])
      {
        guard let c = (row[0] as String?).flatMap(Category.init(rawValue:)),
          let k = ClockState(rawValue: row[1])
        else { continue }
        f.open[c, default: [:]][k] = row[2]
      }
      f.today = try Self.scanShare(db, from: today.epochMilliseconds, now: at)
      f.week = try Self.scanShare(db, from: at - 7 * 86_400_000, now: at)
      let from = since.epochMilliseconds
      f.period = try Self.scanShare(db, from: from, now: at)
      f.followUpWeek = try Self.scanFollowUpShare(db, from: at - 7 * 86_400_000, now: at)
      f.followUpPeriod = try Self.scanFollowUpShare(db, from: from, now: at)
      for row in try Self.scanShareRows(db, from: from, now: at, group: "category") {
        guard let c = (row[0] as String?).flatMap(Category.init(rawValue:)) else { continue }
        f.periodByCategory[c] = TargetShare(
          within: row[1], late: row[2], pending: row[3], closedWithoutReply: row[4])
      }
      for row in try Row.fetchAll(
        db,
        sql: """
          SELECT first_response_by,
            count(*) FILTER (WHERE first_response_at <= first_response_due_at),
            count(*) FILTER (WHERE first_response_at > first_response_due_at)
          FROM mentions INDEXED BY mentions_by_created
          WHERE created_at >= ? AND created_at <= ? AND first_response_at IS NOT NULL
            AND first_response_due_at IS NOT NULL
          GROUP BY 1
          """, arguments: [from, at])
      {
        f.shareByResponder[(row[0] as String?) ?? "?"] = TargetShare(within: row[1], late: row[2])
      }
      // Response times: first response minus arrival, for mentions that arrived in the period.
      var byCategory: [Category: [Double]] = [:]
      var byResponder: [String: [Double]] = [:]
      var all: [Double] = []
      let rows = try Row.fetchCursor(
        db,
        sql: """
          SELECT category, first_response_by, first_response_at - created_at FROM mentions
          INDEXED BY mentions_by_created
          WHERE created_at >= ? AND created_at <= ? AND first_response_at IS NOT NULL
          """, arguments: [from, at])
      while let row = try rows.next() {
        let seconds = Double(row[2] as Int64) / 1000
        all.append(seconds)
        if let c = (row[0] as String?).flatMap(Category.init(rawValue:)) {
          byCategory[c, default: []].append(seconds)
        }
        byResponder[(row[1] as String?) ?? "?", default: []].append(seconds)
      }
      f.overall = ResponseTimes(all)
      f.byCategory = byCategory.mapValues(ResponseTimes.init)
      f.byResponder = byResponder.mapValues(ResponseTimes.init)
      // Volume per hour, the 24 hours before now.
      var hourly = Array(repeating: 0, count: 24)
      let first = at - 24 * 3_600_000
      for row in try Row.fetchAll(
        db,
        sql: """
          SELECT (created_at - ?) / 3600000, count(*) FROM mentions INDEXED BY mentions_by_created
          WHERE created_at >= ? AND created_at < ? AND muted = 0 GROUP BY 1
          """, arguments: [first, first, at])
      {
        let hour: Int = row[0]
        if (0..<24).contains(hour) { hourly[hour] = row[1] }
      }
      f.hourly = hourly
      return f
    }
  }

  static func scanShare(_ db: Database, from: Int64, now: Int64) throws -> TargetShare {
    guard let row = try scanShareRows(db, from: from, now: now, group: nil).first else {
      return TargetShare()
    }
    return TargetShare(
      within: row[1] ?? 0, late: row[2] ?? 0, pending: row[3] ?? 0, closedWithoutReply: row[4] ?? 0)
  }

  /// Follow-ups (after a holding reply, S12, or a replied complaint's, S10) for mentions that
  /// arrived in [from, now], counted as first responses are: answered within or past the target
  /// they answered, still pending past their target (late) or before it (pending).
  static func scanFollowUpShare(_ db: Database, from: Int64, now: Int64) throws -> TargetShare {
    let pending = "(follow_up_due_at IS NOT NULL AND status IN ('holding', 'replied', 'snoozed'))"
    guard
      let row = try Row.fetchOne(
        db,
        sql: """
          SELECT
            count(*) FILTER (WHERE follow_up_at IS NOT NULL AND follow_up_at <= follow_up_answered_due_at),
            count(*) FILTER (WHERE follow_up_at > follow_up_answered_due_at),
            count(*) FILTER (WHERE \(pending) AND follow_up_due_at <= :now),
            count(*) FILTER (WHERE \(pending) AND follow_up_due_at > :now)
          FROM mentions INDEXED BY mentions_by_created
          WHERE created_at >= :from AND created_at <= :now AND muted = 0
            AND (follow_up_due_at IS NOT NULL OR follow_up_answered_due_at IS NOT NULL)
          """, arguments: ["from": from, "now": now])
    else { return TargetShare() }
    return TargetShare(
      within: row[0] ?? 0, late: (row[1] ?? 0) + (row[2] ?? 0), pending: row[3] ?? 0)
  }

  /// Within / late / pending / closed without reply for mentions with a first-response target
  /// that arrived in [from, now]. A no-reply decision without a response is counted apart, as
  /// closed without reply: never within target, never pending, and not in the share.
  static func scanShareRows(_ db: Database, from: Int64, now: Int64, group: String?) throws -> [Row] {
    let key = group ?? "NULL"
    let closed = "(status = 'no_reply' AND first_response_at IS NULL)"
    return try Row.fetchAll(
      db,
      sql: """
        SELECT \(key),
          count(*) FILTER (WHERE first_response_at IS NOT NULL AND first_response_at <= first_response_due_at),
          count(*) FILTER (WHERE (first_response_at IS NOT NULL AND first_response_at > first_response_due_at)
            OR (first_response_at IS NULL AND first_response_due_at <= :now AND NOT \(closed))),
          count(*) FILTER (WHERE first_response_at IS NULL AND first_response_due_at > :now AND NOT \(closed)),
          count(*) FILTER (WHERE \(closed))
        FROM mentions INDEXED BY mentions_by_created
        WHERE created_at >= :from AND created_at <= :now AND first_response_due_at IS NOT NULL AND muted = 0
        \(group.map { "GROUP BY \($0)" } ?? "")
        """, arguments: ["from": from, "now": now])
  }
}

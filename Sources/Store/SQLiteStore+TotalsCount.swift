import Foundation
import GRDB
import Inbox

extension SQLiteStore {
  /// The count of a filter that only names kinds the running totals are kept by (category, status,
  /// platform, language, an open escalation; v29), read from the totals instead of the rows:
  /// the views on every inbox's status line are counted after each commit elsewhere (issue 17).
  /// The snoozed mentions still asleep are taken off as the unfiltered count does, from the few
  /// snoozed rows. Nil when the filter names anything else (a clock, a claim, a search, a span).
  func countFromTotals(_ query: QueueFilter, now at: Int64) throws -> Int? {
    guard Self.totalsCount(query) else { return nil }
    var args: [String: DatabaseValueConvertible?] = [:]
    var parts = ["muted = 0"]
    func list(_ column: String, _ name: String, _ values: [String]) {
      guard !values.isEmpty else { return }
      let names = values.sorted().enumerated().map { index, value in
        args["\(name)\(index)"] = value
        return ":\(name)\(index)"
      }
      parts.append("\(column) IN (\(names.joined(separator: ", ")))")
    }
    list("category", "cat", query.categories.map(\.rawValue))
    list("status", "st", query.statuses.map(\.rawValue))
    list("platform", "pf", Array(query.platforms))
    list("lang", "lang", Array(query.languages))
    if query.escalated { parts.append("escalated = 1") }
    let (filter, filterArgs) = try filterSQL(query, now: at, window: true)
    var asleepArgs = filterArgs
    asleepArgs["now"] = at
    // As the scan does: how many are on a clock and off it, for the windows' segment hints.
    let mark = try contentMark()
    return try pool.read { db in
      let kept = try Row.fetchOne(
        db,
        sql: """
          SELECT coalesce(sum(n) FILTER (WHERE clocked = 1), 0), coalesce(sum(n) FILTER (WHERE clocked = 0), 0)
          FROM queue_totals WHERE \(parts.joined(separator: " AND "))
          """, arguments: StatementArguments(args))
      var onClock: Int = kept?[0] ?? 0
      var offClock: Int = kept?[1] ?? 0
      // Listing `snoozed` wakes them (`QueueFilter.wakesSnoozed`): none is taken off then.
      if !query.wakesSnoozed {
        let asleep = try Row.fetchOne(
          db,
          sql: """
            SELECT count(*) FILTER (WHERE m.due_at IS NOT NULL), count(*) FILTER (WHERE m.due_at IS NULL)
            FROM mentions m INDEXED BY mentions_by_snooze
            WHERE m.snoozed_until > :now AND m.status = 'snoozed' AND m.muted = 0
              AND (m.due_at IS NULL OR m.due_at > :now) \(filter)
            """, arguments: StatementArguments(asleepArgs))
        onClock -= asleep?[0] ?? 0
        offClock -= asleep?[1] ?? 0
      }
      segmentHints.set(Self.hintKey(query), mark: mark, onClock: onClock, offClock: offClock)
      return onClock + offClock
    }
  }

  /// Whether a filter names only what the running totals are kept by (`QueueFilter.countsFromTotals`,
  /// the rule both stores follow).
  static func totalsCount(_ q: QueueFilter) -> Bool { q.countsFromTotals }
}

import Foundation
import GRDB
import Inbox
import Policy

/// The queue's three segments, each read from its own index in its own order (see
/// `queue(_:limit:offset:now:)`), described once for paging by offset and by key.
struct QueueSegment {
  let index: String
  /// The segment's index over the mentions with an open escalation only (v28).
  let escalatedIndex: String
  let condition: String
  /// The column the segment is ordered by, then by id in the same direction.
  let key: String
  let ascending: Bool

  static let all = [
    QueueSegment(
      index: "mentions_by_due", escalatedIndex: "mentions_escalated_by_due",
      condition:
        "m.due_at IS NOT NULL AND m.muted = 0 AND (m.earliest_reply_at IS NULL OR m.earliest_reply_at <= :now) AND \(SQLiteStore.notAsleepOnClockSQL)",
      key: "m.due_at", ascending: true),
    QueueSegment(
      index: "mentions_by_earliest", escalatedIndex: "mentions_escalated_by_earliest",
      condition:
        "m.due_at IS NOT NULL AND m.muted = 0 AND m.earliest_reply_at > :now AND \(SQLiteStore.notAsleepOnClockSQL)",
      key: "m.earliest_reply_at", ascending: true),
    QueueSegment(
      index: "mentions_by_created", escalatedIndex: "mentions_escalated_by_created",
      condition:
        "m.due_at IS NULL AND m.muted = 0 AND NOT \(SQLiteStore.asleepSQL)",
      key: "m.created_at", ascending: false),
  ]

  /// The segment's rows in urgency order (or backwards), narrowed by `filter` and `extra`, found
  /// by `route` (see `WindowRoute`).
  func select(
    filter: String, extra: String = "", backwards: Bool = false, offset: Bool = false,
    route: WindowRoute = .segment
  ) -> String {
    let up = ascending != backwards
    let direction = up ? "" : " DESC"
    let indexed = route.indexed(segment: self)
    return """
      SELECT \(SQLiteStore.entryColumns) FROM mentions m\(indexed)
      JOIN authors a ON a.id = m.author_id
      WHERE \(condition) \(extra) \(filter)
      ORDER BY \(key)\(direction), m.id\(direction) LIMIT :limit\(offset ? " OFFSET :offset" : "")
      """
  }

  /// How many rows the segment holds, from the deadline index alone when unfiltered.
  func count(filter: String) -> String {
    """
    SELECT count(*) FROM mentions m INDEXED BY mentions_by_due WHERE \(condition) \(filter)
    """
  }

  /// Rows beyond the anchor (`:k`, `:ki`) in urgency order, or before it when `backwards`.
  /// Written as a range on the key column so the segment's index starts at the anchor.
  func beyond(backwards: Bool, including: Bool) -> String {
    let op = ascending != backwards ? ">" : "<"
    return "AND \(key) \(op)= :k AND (\(key) \(op) :k OR m.id \(op)\(including ? "=" : "") :ki)"
  }
}

extension SQLiteStore {
  /// A snoozed mention still asleep: its snooze has not ended and its target (if any) has not
  /// passed. Only these are kept out of the queue; a snooze never hides a deadline.
  /// `:wake` 1 (a filter asking for snoozed mentions, `QueueFilter.wakesSnoozed`) lists them all.
  static let asleepSQL = """
    (:wake = 0 AND m.status = 'snoozed' AND coalesce(m.snoozed_until, 0) > :now AND (m.due_at IS NULL OR m.due_at > :now))
    """

  /// `asleepSQL` for the rows on the clock (`due_at` set), by rowid against the few snoozed ones
  /// (`mentions_by_snooze`): a segment's count stays an index-only read of the deadline index.
  static let notAsleepOnClockSQL = """
    m.id NOT IN (SELECT id FROM mentions INDEXED BY mentions_by_snooze
      WHERE :wake = 0 AND snoozed_until > :now AND status = 'snoozed' AND due_at > :now)
    """

  /// The queue's segment of a row in SQL: 0 answerable now, 1 cooling, 2 no target.
  static let segmentSQL = """
    CASE WHEN m.due_at IS NOT NULL AND (m.earliest_reply_at IS NULL OR m.earliest_reply_at <= :now) THEN 0
      WHEN m.due_at IS NOT NULL THEN 1 ELSE 2 END
    """

  /// Where the active target's span starts, as `Deadlines.clock` has it: the holding reply while
  /// holding (S12), the first response once replied (S10), the arrival otherwise.
  /// A snoozed mention's span is the one of the status it came from.
  static let spanStartSQL = """
    CASE CASE m.status WHEN 'snoozed' THEN coalesce(m.snoozed_from, 'open') ELSE m.status END
      WHEN 'holding' THEN coalesce(m.holding_since, m.created_at)
      WHEN 'replied' THEN coalesce(m.first_response_at, m.created_at) ELSE m.created_at END
    """

  /// The query's conditions on `m`; a search's unindexed matches are found first (`tailMatches`).
  /// `window`: for a window's rows, found along a segment's index (see `whoSQL`), not a count.
  func filterSQL(_ query: QueueFilter, now: Int64, window: Bool = false) throws -> (
    String, [String: DatabaseValueConvertible?]
  ) {
    var parts: [String] = []
    var args: [String: DatabaseValueConvertible?] = [:]
    func list(_ name: String, _ values: [String]) -> String {
      values.enumerated().map { index, value in
        args["\(name)\(index)"] = value
        return ":\(name)\(index)"
      }.joined(separator: ", ")
    }
    if !query.categories.isEmpty {
      parts.append("m.category IN (\(list("cat", query.categories.map(\.rawValue).sorted())))")
    }
    if !query.statuses.isEmpty {
      parts.append("m.status IN (\(list("st", query.statuses.map(\.rawValue).sorted())))")
    }
    if !query.platforms.isEmpty {
      parts.append("m.platform IN (\(list("pf", query.platforms.sorted())))")
    }
    if !query.clocks.isEmpty {
      // The same rules as `Deadlines.clock`: cooling before the earliest reply, overdue past the
      // target, due soon in the last fifth of the span, nothing when off the clock.
      let start = Self.spanStartSQL
      var clocks: [String] = []
      for clock in query.clocks {
        switch clock {
        case .none: clocks.append("m.due_at IS NULL")
        case .cooling:
          clocks.append("(m.due_at IS NOT NULL AND m.status = 'open' AND m.earliest_reply_at > :now)")
        case .overdue:
          clocks.append(
            "(m.due_at IS NOT NULL AND m.due_at <= :now AND NOT (m.status = 'open' AND m.earliest_reply_at > :now))"
          )
        case .dueSoon:
          clocks.append(
            """
            (m.due_at > :now AND NOT (m.status = 'open' AND m.earliest_reply_at > :now)
              AND 5 * (m.due_at - :now) <= m.due_at - (\(start)))
            """)
        case .onTime:
          clocks.append(
            """
            (m.due_at > :now AND NOT (m.status = 'open' AND m.earliest_reply_at > :now)
              AND 5 * (m.due_at - :now) > m.due_at - (\(start)))
            """)
        }
      }
      parts.append("(" + clocks.joined(separator: " OR ") + ")")
    }
    args["wake"] = query.wakesSnoozed ? 1 : 0
    parts += whoSQL(query, list, window: window)
    if let match = Self.ftsMatch(query.search) {
      parts.append(Self.searchedSQL(tail: try tailMatches(query.search).json, &args))
      args["match"] = match
    }
    _ = now
    return (parts.isEmpty ? "" : "AND " + parts.joined(separator: " AND "), args)
  }
}

extension SQLiteStore {
  /// The filter's conditions on claims, language, escalations, watching and arrival. Each can be
  /// read from an index when it is the narrowest: the claim index, the assignee index (v24), `mentions_by_lang` (v22), the
  /// open escalations by state, the watched authors' mentions by author, the arrival index.
  ///
  /// `window`: `escalated` is the mention's open-escalation flag (v28), so a window walks the
  /// segment's index of flagged rows; a count drives from the list of open escalations by state,
  /// so it keeps that (the flag has no index a count could read alone).
  func whoSQL(_ query: QueueFilter, _ list: (String, [String]) -> String, window: Bool = false) -> [String] {
    var parts: [String] = []
    var claims: [String] = []
    if !query.claimants.isEmpty {
      claims.append("m.claimed_by IN (\(list("who", query.claimants.sorted())))")
    }
    if query.unclaimed { claims.append("m.claimed_by IS NULL") }
    if !query.assignees.isEmpty {
      claims.append("m.assigned_to IN (\(list("assignee", query.assignees.sorted())))")
    }
    if !claims.isEmpty { parts.append("(" + claims.joined(separator: " OR ") + ")") }
    if !query.languages.isEmpty {
      parts.append("lower(coalesce(m.lang, m.detected_lang)) IN (\(list("lang", query.languages.sorted())))")
    }
    if query.escalated && window {
      // The flag the escalation triggers keep (v28); the window of `escalated` walks the
      // segment's index of flagged rows (`WindowRoute.escalated`).
      parts.append("m.escalated = 1")
    } else if query.escalated {
      parts.append(
        "m.id IN (SELECT mention_id FROM escalations INDEXED BY escalations_by_state WHERE state IN ('new', 'acknowledged'))"
      )
    }
    if query.watched { parts.append("m.author_id IN (SELECT author_id FROM watched_authors)") }
    if let since = query.since {
      parts.append("m.created_at >= \(list("since", [String(since.epochMilliseconds)])) + 0")
    }
    if let until = query.until {
      parts.append("m.created_at < \(list("until", [String(until.epochMilliseconds)])) + 0")
    }
    return parts
  }
}

// MARK: - What the queue's reads keep

/// Segment sizes of the queue and searches' match counts, remembered while the store is
/// unchanged (the same `changeToken`) and, for a segment, while the clock is within the same
/// second (the clock moves rows between segments; a match count is kept with `now` 0).
///
/// One per `SQLiteStore`: the token it is checked against is that store's own connection's
/// `data_version`, which means nothing to another connection.
final class SegmentCounts: Sendable {
  private let entries = Locked<[String: (size: Int, token: Int64, at: Int64)]>([:])

  func get(_ key: String, token: Int64, now: Int64) -> Int? {
    entries.withLock { entries in
      guard let e = entries[key], e.token == token, abs(now - e.at) < 1000 else { return nil }
      return e.size
    }
  }

  func set(_ key: String, _ size: Int, token: Int64, now: Int64) {
    entries.withLock { entries in
      if entries.count > 64 { entries.removeAll() }
      entries[key] = (size, token, now)
    }
  }
}

/// How many of a filter's rows are on the clock (the first two segments) and off it (the last),
/// as the last count found them, while the store's content is unchanged (`contentMark`: new
/// mentions or events, not index upkeep). A part with none is skipped by the windows; the first
/// two are only skipped together, since the clock moves rows from the second to the first.
/// One per `SQLiteStore`, like `SegmentCounts`.
final class SegmentHints: Sendable {
  private let entries = Locked<[String: (mark: [Int64], onClock: Int, offClock: Int)]>([:])

  func set(_ key: String, mark: [Int64], onClock: Int, offClock: Int) {
    entries.withLock { entries in
      if entries.count > 64 { entries.removeAll() }
      entries[key] = (mark, onClock, offClock)
    }
  }

  /// The segments known to hold none of the filter's rows.
  func empty(_ key: String, mark: [Int64]) -> Set<Int> {
    entries.withLock { entries in
      guard let e = entries[key], e.mark == mark else { return [] }
      var result: Set<Int> = []
      if e.onClock == 0 { result.formUnion([0, 1]) }
      if e.offClock == 0 { result.insert(2) }
      return result
    }
  }
}

extension SQLiteStore {
  /// The key of a filter in `SegmentHints`.
  static func hintKey(_ q: QueueFilter) -> String {
    let parts = [
      q.categories.map(\.rawValue).sorted(), q.statuses.map(\.rawValue).sorted(),
      q.clocks.map(\.rawValue).sorted(), q.platforms.sorted(), q.claimants.sorted(), [q.unclaimed ? "u" : ""],
      q.assignees.sorted(),
      q.languages.sorted(), [q.escalated ? "e" : "", q.watched ? "w" : ""],
      [q.since.map { "\($0.epochMilliseconds)" } ?? "", q.until.map { "\($0.epochMilliseconds)" } ?? ""],
      [q.search],
    ]
    return parts.map { $0.joined(separator: ",") }.joined(separator: "|")
  }
}

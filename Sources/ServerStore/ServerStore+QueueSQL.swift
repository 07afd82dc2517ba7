import Foundation
import Inbox
import Policy
import PostgresNIO

/// A statement's values as it is written: each one appended once and named by its place (`$3`).
/// Only values travel as binds; the SQL text around them is the store's own.
struct ServerBinds {
  private(set) var bindings = PostgresBindings()
  private var count = 0

  /// Appends `value` and returns its placeholder.
  mutating func add<T: PostgresNonThrowingEncodable>(_ value: T) -> String {
    bindings.append(value)
    count += 1
    return "$\(count)"
  }
}

/// The queue's three segments on the server, as `QueueSegment` has them on SQLite: what is on the
/// clock and past its cooling-off (by deadline), what is still cooling (by earliest reply), then
/// everything off the clock (newest first). Each is read along its own index (migration 3:
/// `mentions_window_due`, `_earliest`, `_created`, on the key and the id), in the queue's order.
struct ServerSegment {
  let key: String
  let ascending: Bool
  private let clocked: String

  static let all = [
    ServerSegment(
      key: "m.due_at", ascending: true,
      clocked: "m.due_at IS NOT NULL AND (m.earliest_reply_at IS NULL OR m.earliest_reply_at <= NOW)"),
    ServerSegment(
      key: "m.earliest_reply_at", ascending: true,
      clocked: "m.due_at IS NOT NULL AND m.earliest_reply_at > NOW"),
    ServerSegment(key: "m.created_at", ascending: false, clocked: "m.due_at IS NULL"),
  ]

  /// The segment's rows in the queue: not muted, not asleep (unless the filter wakes them).
  func condition(now: String, wake: Bool) -> String {
    clocked.replacingOccurrences(of: "NOW", with: now) + " AND NOT m.muted"
      + (wake ? "" : " AND NOT " + ServerQueueSQL.asleep(now: now))
  }

  /// The order of the segment's rows (or the reverse).
  func order(backwards: Bool) -> String {
    let direction = ascending != backwards ? "" : " DESC"
    return "\(key)\(direction), m.id\(direction)"
  }

  /// The rows beyond the anchor (`k`, `ki`) in the queue's order, or before it when `backwards`:
  /// a range on the segment's index (key, id).
  func beyond(backwards: Bool, including: Bool, key k: String, id ki: String) -> String {
    let op = (ascending != backwards ? ">" : "<") + (including ? "=" : "")
    return "AND (\(key), m.id) \(op) (\(k), \(ki))"
  }
}

/// The queue's SQL on the server, the same rules as `SQLiteStore+QueueSQL`.
enum ServerQueueSQL {
  /// A mention's columns (`ServerStore.mentionColumns`), then who holds it.
  static let entryColumns =
    ServerStore.mentionColumns + ", m.claimed_by, m.snoozed_until, m.no_reply_reason, m.assigned_to"

  /// A snoozed mention still asleep: its snooze has not ended and its target (if any) has not
  /// passed. A snooze never hides a deadline.
  static func asleep(now: String) -> String {
    "(m.status = 'snoozed' AND coalesce(m.snoozed_until, 0) > \(now) AND (m.due_at IS NULL OR m.due_at > \(now)))"
  }

  /// Where the active target's span starts, as `Deadlines.clock` has it (see `SQLiteStore.spanStartSQL`).
  static let spanStart = """
    CASE CASE m.status WHEN 'snoozed' THEN coalesce(m.snoozed_from, 'open') ELSE m.status END
      WHEN 'holding' THEN coalesce(m.holding_since, m.created_at)
      WHEN 'replied' THEN coalesce(m.first_response_at, m.created_at) ELSE m.created_at END
    """

  /// The filter's conditions on `m` (each starting with `AND`), its values added to `binds`.
  /// `search` is the search's `tsquery` as text (`ServerStore.searchQuery`), nil: no search.
  static func filter(_ query: QueueFilter, now: String, search: ServerSearch, binds: inout ServerBinds)
    -> String
  {
    var parts: [String] = []
    if !query.categories.isEmpty {
      parts.append("m.category = ANY(\(binds.add(query.categories.map(\.rawValue).sorted())))")
    }
    if !query.statuses.isEmpty {
      parts.append("m.status = ANY(\(binds.add(query.statuses.map(\.rawValue).sorted())))")
    }
    if !query.platforms.isEmpty { parts.append("m.platform = ANY(\(binds.add(query.platforms.sorted())))") }
    if !query.clocks.isEmpty { parts.append(clocks(query.clocks, now: now)) }
    var claims: [String] = []
    if !query.claimants.isEmpty {
      claims.append("m.claimed_by = ANY(\(binds.add(query.claimants.sorted())))")
    }
    if query.unclaimed { claims.append("m.claimed_by IS NULL") }
    if !query.assignees.isEmpty {
      claims.append("m.assigned_to = ANY(\(binds.add(query.assignees.sorted())))")
    }
    if !claims.isEmpty { parts.append("(" + claims.joined(separator: " OR ") + ")") }
    if !query.languages.isEmpty {
      parts.append("lower(coalesce(m.lang, m.detected_lang)) = ANY(\(binds.add(query.languages.sorted())))")
    }
    // The flag the escalation trigger keeps (migration 1): open escalations only.
    if query.escalated { parts.append("m.escalated") }
    if query.watched { parts.append("m.author_id IN (SELECT author_id FROM watched_authors)") }
    if let since = query.since { parts.append("m.created_at >= \(binds.add(since.epochMilliseconds))") }
    if let until = query.until { parts.append("m.created_at < \(binds.add(until.epochMilliseconds))") }
    switch search {
    case .none: break
    case .nothing: parts.append("false")
    case .matching(let tsquery): parts.append("m.search @@ \(binds.add(tsquery))::tsquery")
    }
    return parts.map { " AND " + $0 }.joined()
  }

  /// The clock words, by the same rules as `Deadlines.clock` (see `SQLiteStore.filterSQL`).
  static func clocks(_ clocks: Set<ClockState>, now: String) -> String {
    let cooling = "(m.status = 'open' AND m.earliest_reply_at > \(now))"
    let fifth = "5 * (m.due_at - \(now))"
    let span = "m.due_at - (\(spanStart))"
    var out: [String] = []
    for clock in clocks.sorted(by: { $0.rawValue < $1.rawValue }) {
      switch clock {
      case .none: out.append("m.due_at IS NULL")
      case .cooling: out.append("(m.due_at IS NOT NULL AND \(cooling))")
      case .overdue: out.append("(m.due_at IS NOT NULL AND m.due_at <= \(now) AND NOT \(cooling))")
      case .dueSoon: out.append("(m.due_at > \(now) AND NOT \(cooling) AND \(fifth) <= \(span))")
      case .onTime: out.append("(m.due_at > \(now) AND NOT \(cooling) AND \(fifth) > \(span))")
      }
    }
    return "(" + out.joined(separator: " OR ") + ")"
  }
}

/// A filter's search as the server runs it.
enum ServerSearch: Sendable {
  /// No search.
  case none
  /// Words without a letter or digit: nothing matches.
  case nothing
  /// The `tsquery` (as text) every match satisfies.
  case matching(String)
}

// MARK: - Rows

enum ServerRows {
  /// A queue entry (`ServerQueueSQL.entryColumns`): the mention (`ServerStore.mention`), then who
  /// holds it.
  static func entry(_ row: PostgresRow) throws -> QueueEntry { try entry(row, from: 0) }

  /// The same, its columns from column `first` on (and no more after them).
  static func entry(_ row: PostgresRow, from first: Int) throws -> QueueEntry {
    let r = row.makeRandomAccess()
    let base = first + ServerStore.mentionColumnCount
    return QueueEntry(
      mention: try ServerStore.mention(row, from: first), claimedBy: try r[base].decode(String?.self),
      snoozedUntil: try r[base + 1].decode(Int64?.self).map(Date.init(epochMilliseconds:)),
      noReplyReason: try r[base + 2].decode(String?.self), assignedTo: try r[base + 3].decode(String?.self))
  }
}

extension ServerSession {
  /// Runs one statement and decodes each row with `decode`, by column place.
  func decoded<T>(
    _ sql: String, binds: PostgresBindings = PostgresBindings(),
    _ decode: (PostgresRandomAccessRow) throws -> T
  ) async throws -> [T] {
    var out: [T] = []
    let sequence = try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
    for try await row in sequence { out.append(try decode(row.makeRandomAccess())) }
    return out
  }

  /// The first column of the first row, or nil when there is none (or it is NULL).
  func one<T: PostgresDecodable>(_ sql: String, binds: PostgresBindings = PostgresBindings(), as type: T.Type)
    async throws -> T? where T._DecodableType == T
  {
    try await decoded(sql, binds: binds) { try $0[0].decode(T?.self) }.first ?? nil
  }

  /// Runs `body` in a read-only transaction on one snapshot, as a SQLite read sees one: the
  /// statements of a window (a segment's count, then its rows) agree with each other.
  func snapshot<T: Sendable>(_ body: (ServerSession) async throws -> T) async throws -> T {
    // Opened with its level in one statement: a round trip less than BEGIN, then SET TRANSACTION.
    try await transaction(begin: "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", body)
  }
}

import Foundation
import GRDB
import Inbox

extension SQLiteStore {
  /// Whether a changed or new mention can stand in the queue under `query` up to the mention
  /// `anchor` (the last row an inbox has loaded; nil: anywhere, when the queue's end is loaded):
  /// any of `ids`, or any mention with an id above `newAbove`. A handful of rows is looked at by id, not the queue: an inbox decides with it
  /// whether a change elsewhere in the store reaches its window. True when it cannot tell (a
  /// search, the anchor gone from the queue).
  public func reachesWindow(
    ids: Set<Int64>, newAbove: Int64?, anchor: Int64?, _ query: QueueFilter, now: Date
  ) throws -> Bool {
    if query.searches { return true }
    if ids.isEmpty && newAbove == nil { return false }
    let at = now.epochMilliseconds
    let (filter, arguments) = try filterSQL(query, now: at)
    var args = arguments
    args["now"] = at
    args["above"] = newAbove ?? Int64.max
    let list = ids.sorted().map(String.init).joined(separator: ",")
    let rank = """
      CASE WHEN m.due_at IS NULL THEN 2
        WHEN m.earliest_reply_at IS NULL OR m.earliest_reply_at <= :now THEN 0 ELSE 1 END
      """
    // The order of `QueueSegment.all`: segment, then its key (the last one descending), then id.
    let key = """
      CASE WHEN m.due_at IS NULL THEN -m.created_at
        WHEN m.earliest_reply_at IS NULL OR m.earliest_reply_at <= :now THEN m.due_at
        ELSE m.earliest_reply_at END
      """
    let id = "(CASE WHEN m.due_at IS NULL THEN -m.id ELSE m.id END)"
    return try pool.read { db in
      guard let anchor else {
        let found = try Int.fetchOne(
          db,
          sql: """
            SELECT count(*) FROM mentions m
            WHERE (m.id IN (\(list)) OR m.id > :above) AND m.muted = 0 AND NOT \(Self.asleepSQL) \(filter)
            """, arguments: StatementArguments(args))
        return (found ?? 0) > 0
      }
      guard
        let place = try Row.fetchOne(
          db,
          sql: """
            SELECT \(rank), \(key), \(id) FROM mentions m
            WHERE m.id = :anchor AND m.muted = 0 AND NOT \(Self.asleepSQL)
            """, arguments: ["now": at, "anchor": anchor, "wake": query.wakesSnoozed ? 1 : 0])
      else { return true }
      args["rank"] = place[0] as Int64
      args["key"] = place[1] as Int64
      args["kid"] = place[2] as Int64
      let found = try Int.fetchOne(
        db,
        sql: """
          SELECT count(*) FROM mentions m
          WHERE (m.id IN (\(list)) OR m.id > :above) AND m.muted = 0 AND NOT \(Self.asleepSQL) \(filter)
            AND (\(rank), \(key), \(id)) <= (:rank, :key, :kid)
          """, arguments: StatementArguments(args))
      return (found ?? 0) > 0
    }
  }
}

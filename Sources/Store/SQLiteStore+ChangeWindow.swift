import Foundation
import GRDB
import Inbox

extension SQLiteStore {
  /// Whether a changed or new mention can stand in the queue under `query` up to the mention
  /// `anchor` (the last row an inbox has loaded; nil: anywhere, when the queue's end is loaded):
  /// any of `ids`, or any mention with an id above `newAbove`. A handful of rows is looked at by
  /// id, not the queue: an inbox decides with it whether a change elsewhere in the store reaches
  /// its window. True when it cannot tell (a search, the anchor gone from the queue).
  public func reachesWindow(
    ids: Set<Int64>, newAbove: Int64?, anchor: Int64?, _ query: QueueFilter, now: Date
  ) throws -> Bool {
    if query.searches { return true }
    guard var reach = try reachCount(ids: ids, newAbove: newAbove, anchored: anchor != nil, query, now: now)
    else { return false }
    return try pool.read { db in
      if let anchor {
        guard
          let place = try Row.fetchOne(
            db.cachedStatement(
              sql: """
                SELECT \(Self.reachRank), \(Self.reachKey), \(Self.reachID) FROM mentions m
                WHERE m.id = :anchor AND m.muted = 0 AND NOT \(Self.asleepSQL)
                """),
            arguments: ["now": now.epochMilliseconds, "anchor": anchor, "wake": query.wakesSnoozed ? 1 : 0])
        else { return true }
        reach.arguments["rank"] = place[0] as Int64
        reach.arguments["key"] = place[1] as Int64
        reach.arguments["kid"] = place[2] as Int64
      }
      let count = try Int.fetchOne(
        db.cachedStatement(sql: reach.sql), arguments: StatementArguments(reach.arguments))
      return (count ?? 0) > 0
    }
  }

  /// The count `reachesWindow` runs, nil when there is nothing to ask about. `anchored`: it takes
  /// the anchor's place in the queue as `:rank`, `:key` and `:kid`.
  ///
  /// Only the terms that select something, and only by rowid (issue 17): an empty `IN ()`, or an
  /// `id > max` beside the other term, made SQLite give up its two rowid searches for a scan of
  /// every mention (a third of an open inbox's CPU while others ingest); and a filter's index (a
  /// language, a platform, the open escalations) would be walked whole to find the few rows asked
  /// about. So the table is read `NOT INDEXED` (rowid lookups still allowed) and `escalated` is the
  /// row's flag (`window: true`).
  ///
  /// The text of the query is the same for a filter whatever the ids (they are bound as one JSON
  /// array), so each reader connection prepares it once and keeps it: parsing and planning it
  /// again after every commit elsewhere was most of the cost of asking.
  func reachCount(ids: Set<Int64>, newAbove: Int64?, anchored: Bool, _ query: QueueFilter, now: Date) throws
    -> (sql: String, arguments: [String: DatabaseValueConvertible?])?
  {
    var which: [String] = []
    if !ids.isEmpty { which.append("m.id IN (SELECT value FROM json_each(:ids))") }
    if newAbove != nil { which.append("m.id > :above") }
    if which.isEmpty { return nil }
    let at = now.epochMilliseconds
    let (filter, arguments) = try filterSQL(query, now: at, window: true)
    var args = arguments
    args["now"] = at
    if let newAbove { args["above"] = newAbove }
    if !ids.isEmpty { args["ids"] = "[" + ids.sorted().map(String.init).joined(separator: ",") + "]" }
    let place =
      anchored ? "AND (\(Self.reachRank), \(Self.reachKey), \(Self.reachID)) <= (:rank, :key, :kid)" : ""
    let sql = """
      SELECT count(*) FROM mentions m NOT INDEXED
      WHERE (\(which.joined(separator: " OR "))) AND m.muted = 0 AND NOT \(Self.asleepSQL) \(filter)
        \(place)
      """
    return (sql, args)
  }

  // The order of `QueueSegment.all`: segment, then its key (the last one descending), then id.
  static let reachRank = """
    CASE WHEN m.due_at IS NULL THEN 2
      WHEN m.earliest_reply_at IS NULL OR m.earliest_reply_at <= :now THEN 0 ELSE 1 END
    """
  static let reachKey = """
    CASE WHEN m.due_at IS NULL THEN -m.created_at
      WHEN m.earliest_reply_at IS NULL OR m.earliest_reply_at <= :now THEN m.due_at
      ELSE m.earliest_reply_at END
    """
  static let reachID = "(CASE WHEN m.due_at IS NULL THEN -m.id ELSE m.id END)"
}

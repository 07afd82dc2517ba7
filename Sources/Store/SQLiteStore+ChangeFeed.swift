import GRDB
import Inbox

// MARK: - The change feed and the running totals (v20, issue 17)

extension SQLiteStore {
  /// What changed after `mark` (from an earlier call; nil: none yet): the mentions whose row,
  /// events or drafts changed, whether new mentions arrived, and the mark for the next call.
  /// `ids` is nil when the feed no longer reaches back to `mark` (or there was none): then
  /// anything may have changed.
  public func changedMentions(after mark: ChangeFeedMark?) throws -> (
    mark: ChangeFeedMark, ids: Set<Int64>?, arrived: Bool
  ) {
    // Asked by every open inbox after every commit elsewhere: two statements each connection
    // prepares once and keeps (issue 17).
    try pool.read { db in
      let ends = try Row.fetchOne(
        db.cachedStatement(
          sql: """
            SELECT coalesce((SELECT max(seq) FROM changes), 0), coalesce((SELECT max(id) FROM mentions), 0),
              coalesce((SELECT min(seq) FROM changes), 0)
            """))
      let seq: Int64 = ends?[0] ?? 0
      let newest: Int64 = ends?[1] ?? 0
      let oldest: Int64 = ends?[2] ?? 0
      let now = ChangeFeedMark(seq: seq, newestMention: newest)
      guard let mark else { return (now, nil, false) }
      let arrived = newest > mark.newestMention
      if seq == mark.seq { return (now, [], arrived) }
      // Pruned past the mark, or the feed restarted (a restored copy): everything may have moved.
      guard mark.seq >= oldest - 1, mark.seq <= seq else { return (now, nil, arrived) }
      let ids = try Int64.fetchSet(
        db.cachedStatement(sql: "SELECT mention_id FROM changes WHERE seq > ? AND seq <= ?"),
        arguments: [mark.seq, seq])
      return (now, ids, arrived)
    }
  }

  /// The inbox's question after others' commits, call by call: on a file each is microseconds.
  public func look(_ question: ChangeQuestion) throws -> ChangeLook {
    try lookCallByCall(question)
  }

  /// Adds the mentions `ids` (one batch's new rows: every id in the range was stored by it) to the
  /// running totals, once per batch: no trigger runs per inserted mention (v23,
  /// `Schema.batchTotalsSQL`). Read back from the rows, so the totals count what was stored.
  func addToTotals(_ db: Database, ids: ClosedRange<Int64>) throws {
    try db.execute(
      sql: """
        INSERT INTO queue_totals
          SELECT \(Schema.totalsKey("")), count(*) FROM mentions
          WHERE id BETWEEN ? AND ?
          GROUP BY \(Schema.totalsKey(""))
        ON CONFLICT DO UPDATE SET n = n + excluded.n
        """, arguments: [ids.lowerBound, ids.upperBound])
  }

  /// The queue's mentions (not muted) by status, from the running totals: every status some
  /// mention has, muted or not (as counting the status index gave).
  func totalsByStatus(_ db: Database) throws -> [String: Int] {
    var out: [String: Int] = [:]
    for row in try Row.fetchAll(
      db,
      sql: """
        SELECT status, coalesce(sum(n) FILTER (WHERE muted = 0), 0) FROM queue_totals
        GROUP BY status HAVING sum(n) > 0
        """)
    {
      out[row[0]] = row[1]
    }
    return out
  }

  /// The mentions cooling off and overdue (muted ones left out): the running total of those on a
  /// clock, minus the few ranges that move with time, read from their indexes: those due later
  /// (`mentions_by_due`) and those still cooling (`mentions_by_earliest`). Only the mentions that
  /// arrived within a target's span are read, not every one on a clock.
  func clockTotals(_ db: Database, now at: Int64) throws -> (cooling: Int, overdue: Int) {
    let onClock =
      try Int.fetchOne(
        db, sql: "SELECT coalesce(sum(n), 0) FROM queue_totals WHERE muted = 0 AND clocked = 1")
      ?? 0
    let notYetDue =
      try Int.fetchOne(
        db,
        sql: """
          SELECT count(*) FROM mentions INDEXED BY mentions_by_due
          WHERE due_at > ? AND due_at IS NOT NULL AND muted = 0
          """, arguments: [at]) ?? 0
    let row = try Row.fetchOne(
      db,
      sql: """
        SELECT count(*), count(*) FILTER (WHERE due_at <= :now) FROM mentions INDEXED BY mentions_by_earliest
        WHERE earliest_reply_at > :now AND due_at IS NOT NULL AND muted = 0
        """, arguments: ["now": at])
    let cooling: Int = row?[0] ?? 0
    let coolingPastDue: Int = row?[1] ?? 0
    return (cooling, onClock - notYetDue - coolingPastDue)
  }
}

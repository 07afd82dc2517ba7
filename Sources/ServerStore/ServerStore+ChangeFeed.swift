import Foundation
import Inbox
import PostgresNIO

// MARK: - The change feed on the server (migration 7, issue 17)

extension ServerStore: ChangeFeedStore {
  /// What changed after `mark` (from an earlier call; nil: none yet): the mentions whose row,
  /// events or drafts changed, whether new mentions arrived, and the mark for the next call.
  /// `ids` is nil when the feed no longer reaches back to `mark` (or there was none): then
  /// anything may have changed.
  ///
  /// One statement, so one snapshot and one round trip: the feed's ends, the newest mention, and
  /// the entries after the mark when the feed still reaches back to it.
  public func changedMentions(after mark: ChangeFeedMark?) throws -> (
    mark: ChangeFeedMark, ids: Set<Int64>?, arrived: Bool
  ) {
    // No mark: nothing after it is asked for (no entry is above the highest bigint).
    let after = mark?.seq ?? Int64.max
    let (seq, oldest, newest, ids) = try read { session in
      try await session.rows(
        """
        WITH feed AS (
          SELECT coalesce(max(seq), 0) AS seq, coalesce(min(seq), 0) AS oldest FROM changes)
        SELECT feed.seq, feed.oldest, coalesce((SELECT max(id) FROM mentions), 0),
          ARRAY(
            SELECT DISTINCT c.mention_id FROM changes c
            WHERE c.seq > $1 AND c.seq <= feed.seq AND $1 >= feed.oldest - 1)
        FROM feed
        """, binds: .of(after), as: (Int64, Int64, Int64, [Int64]).self
      ).first ?? (Int64(0), Int64(0), Int64(0), [Int64]())
    }
    let now = ChangeFeedMark(seq: seq, newestMention: newest)
    guard let mark else { return (now, nil, false) }
    let arrived = newest > mark.newestMention
    if seq == mark.seq { return (now, [], arrived) }
    // Pruned past the mark, or the feed restarted (a restored copy): everything may have moved.
    guard mark.seq >= oldest - 1, mark.seq <= seq else { return (now, nil, arrived) }
    return (now, Set(ids), arrived)
  }

  /// Whether a changed or new mention can stand in the queue under `query` up to the mention
  /// `anchor` (the last row an inbox has loaded; nil: anywhere, when the queue's end is loaded):
  /// any of `ids`, or any mention with an id above `newAbove`. Only the rows asked about are read,
  /// by the primary key. True when it cannot tell (a search, the anchor gone from the queue).
  public func reachesWindow(
    ids: Set<Int64>, newAbove: Int64?, anchor: Int64?, _ query: QueueFilter, now: Date
  ) throws -> Bool {
    if query.searches { return true }
    guard let (sql, bindings) = Self.reachSQL(ids: ids, newAbove: newAbove, anchor: anchor, query, now: now)
    else { return false }
    return try read { session in
      try await session.one(sql, binds: bindings, as: Bool.self) ?? true
    }
  }

  /// The statement `reachesWindow` runs (not for a search), nil when there is nothing to ask about.
  ///
  /// The rows asked about are read on their own first (`OFFSET 0` keeps the planner from folding
  /// the filter in): the ids as an array and the range above `newAbove`, both on the primary key,
  /// and the filter then looks at those few rows. Folded in, a filter's own index (a language, the
  /// open escalations, a claimant) may look cheaper to the planner and be walked whole, as on
  /// SQLite (docs/DECISIONS.md, "An inbox asks about changes elsewhere by rowid only").
  static func reachSQL(ids: Set<Int64>, newAbove: Int64?, anchor: Int64?, _ query: QueueFilter, now: Date)
    -> (String, PostgresBindings)?
  {
    var which: [String] = []
    var binds = ServerBinds()
    if !ids.isEmpty { which.append("id = ANY(\(binds.add(ids.sorted())))") }
    if let newAbove { which.append("id > \(binds.add(newAbove))") }
    if which.isEmpty { return nil }
    let reach = reachExpression(
      asking: which.joined(separator: " OR "), anchor: anchor, query, now: now, binds: &binds)
    return ("SELECT " + reach, binds.bindings)
  }

  /// `reachSQL`'s question as one boolean expression, for the rows `asking` picks from the
  /// mentions by the primary key (a condition on `id`): also asked inside the inbox's look
  /// (`lookSQL`), with the feed's ids.
  static func reachExpression(
    asking which: String, anchor: Int64?, _ query: QueueFilter, now: Date, binds: inout ServerBinds
  ) -> String {
    let at = binds.add(now.epochMilliseconds)
    let asleep = query.wakesSnoozed ? "" : " AND NOT " + ServerQueueSQL.asleep(now: at)
    let filter = ServerQueueSQL.filter(query, now: at, search: .none, binds: &binds)
    let asked = "(SELECT * FROM mentions WHERE \(which) OFFSET 0) m"
    let order = reachOrder(now: at)
    guard let anchor else {
      return "EXISTS (SELECT 1 FROM \(asked) WHERE NOT m.muted\(asleep)\(filter))"
    }
    // The anchor's place in the queue's order; gone from the queue, nothing can be told.
    return """
      (WITH place AS (
        SELECT \(zip(order, ["r0", "r1", "r2"]).map { "\($0) AS \($1)" }.joined(separator: ", "))
        FROM mentions m WHERE m.id = \(binds.add(anchor)) AND NOT m.muted\(asleep))
      SELECT NOT EXISTS (SELECT 1 FROM place) OR EXISTS (
        SELECT 1 FROM \(asked), place p
        WHERE NOT m.muted\(asleep)\(filter) AND (\(order.joined(separator: ", "))) <= (p.r0, p.r1, p.r2)))
      """
  }

  /// A mention's place in the queue's order (`ServerSegment.all`), compared as a row value: its
  /// segment, its key there (the last one descending), then its id (descending there too).
  static func reachOrder(now: String) -> [String] {
    [
      """
      CASE WHEN m.due_at IS NULL THEN 2
        WHEN m.earliest_reply_at IS NULL OR m.earliest_reply_at <= \(now) THEN 0 ELSE 1 END
      """,
      """
      CASE WHEN m.due_at IS NULL THEN -m.created_at
        WHEN m.earliest_reply_at IS NULL OR m.earliest_reply_at <= \(now) THEN m.due_at
        ELSE m.earliest_reply_at END
      """,
      "CASE WHEN m.due_at IS NULL THEN -m.id ELSE m.id END",
    ]
  }
}

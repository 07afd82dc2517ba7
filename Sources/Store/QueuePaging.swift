import Foundation
import GRDB
import Inbox

/// Where a keyset window of the queue starts: next to a mention, or at the queue's end.
public enum QueueAnchor: Sendable, Hashable {
  /// The rows after this mention, in urgency order.
  case after(Int64)
  /// This mention's place and the rows after it.
  case from(Int64)
  /// The rows before this mention (returned in urgency order).
  case before(Int64)
  /// The last rows of the queue (returned in urgency order).
  case end
}

/// The queue's three segments, each read from its own index in its own order (see
/// `queue(_:limit:offset:now:)`), described once for paging by offset and by key.
struct QueueSegment {
  let index: String
  let condition: String
  /// The column the segment is ordered by, then by id in the same direction.
  let key: String
  let ascending: Bool

  static let all = [
    QueueSegment(
      index: "mentions_by_due",
      condition:
        "m.due_at IS NOT NULL AND m.muted = 0 AND (m.earliest_reply_at IS NULL OR m.earliest_reply_at <= :now) AND \(SQLiteStore.notAsleepOnClockSQL)",
      key: "m.due_at", ascending: true),
    QueueSegment(
      index: "mentions_by_earliest",
      condition:
        "m.due_at IS NOT NULL AND m.muted = 0 AND m.earliest_reply_at > :now AND \(SQLiteStore.notAsleepOnClockSQL)",
      key: "m.earliest_reply_at", ascending: true),
    QueueSegment(
      index: "mentions_by_created",
      condition:
        "m.due_at IS NULL AND m.muted = 0 AND NOT \(SQLiteStore.asleepSQL)",
      key: "m.created_at", ascending: false),
  ]

  /// The segment's rows in urgency order (or backwards), narrowed by `filter` and `extra`.
  func select(filter: String, extra: String = "", backwards: Bool = false, offset: Bool = false) -> String {
    let up = ascending != backwards
    let direction = up ? "" : " DESC"
    return """
      SELECT \(SQLiteStore.entryColumns) FROM mentions m INDEXED BY \(index)
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
  /// A window of the queue next to a mention (or at its end), found by key rather than by
  /// counting: the cost is the window's, wherever in a million rows it lies. Nil when the
  /// anchor mention is gone.
  public func queue(_ query: QueueQuery, anchor: QueueAnchor, limit: Int, now: Date) throws -> [QueueEntry]? {
    let at = now.epochMilliseconds
    guard limit > 0 else { return [] }
    let id: Int64?
    let backwards: Bool
    let including: Bool
    switch anchor {
    case .after(let i): (id, backwards, including) = (i, false, false)
    case .from(let i): (id, backwards, including) = (i, false, true)
    case .before(let i): (id, backwards, including) = (i, true, false)
    case .end: (id, backwards, including) = (nil, true, false)
    }
    var place: (segment: Int, key: Int64, id: Int64)?
    if let id {
      guard let found = try self.place(of: id, at: at) else { return nil }
      place = found
    }
    if let search = query.search, let match = Self.ftsMatch(search),
      try matchCount(match, words: search) <= Self.sortedSearchLimit
    {
      return try searchWindow(
        query, match: match, words: search, place: place, backwards: backwards, including: including,
        limit: limit, now: at)
    }
    let (filter, arguments) = try filterSQL(query, now: at)
    let skipped =
      query.isEmpty ? [] : SegmentHints.shared.empty(Self.hintKey(path, query), mark: try contentMark())
    return try pool.read { db in
      var result: [QueueEntry] = []
      let segments = QueueSegment.all
      let order = backwards ? Array((0..<segments.count).reversed()) : Array(0..<segments.count)
      for s in order where !skipped.contains(s) {
        if let place {
          // Segments before the anchor's (after it, going backwards) are not in the window.
          if backwards ? s > place.segment : s < place.segment { continue }
        }
        let wanted = limit - result.count
        if wanted <= 0 { break }
        var args = arguments
        args["now"] = at
        args["limit"] = wanted
        var extra = ""
        if let place, s == place.segment {
          extra = segments[s].beyond(backwards: backwards, including: including)
          args["k"] = place.key
          args["ki"] = place.id
        }
        result += try Row.fetchAll(
          db, sql: segments[s].select(filter: filter, extra: extra, backwards: backwards),
          arguments: StatementArguments(args)
        ).map(Self.entry)
      }
      return backwards ? result.reversed() : result
    }
  }

  /// A mention's place in the queue's order: its segment (by the same rules as the queries) and
  /// its key there. Nil when the mention is gone.
  func place(of id: Int64, at: Int64) throws -> (segment: Int, key: Int64, id: Int64)? {
    guard
      let row = try pool.read({ db in
        try Row.fetchOne(
          db, sql: "SELECT due_at, earliest_reply_at, created_at FROM mentions WHERE id = ?", arguments: [id])
      })
    else { return nil }
    let due: Int64? = row[0]
    let earliest: Int64? = row[1]
    let created: Int64 = row[2]
    guard let due else { return (2, created, id) }
    if let earliest, earliest > at { return (1, earliest, id) }
    return (0, due, id)
  }

  /// Where a mention stands in the queue under `query`: how many rows come before it. Nil when
  /// it is not in that queue (gone, muted, asleep, or outside the filter).
  ///
  /// The inbox asks when the selected mention is no longer in the window it reloaded (many
  /// arrivals above it, or it moved): the selection follows the mention, not the row number.
  /// Counted from the segments' own indexes, up to the mention's key.
  public func queuePosition(of id: Int64, _ query: QueueQuery, now: Date) throws -> Int? {
    let at = now.epochMilliseconds
    guard let here = try queue(query, anchor: .from(id), limit: 1, now: now)?.first, here.mention.id == id,
      let place = try place(of: id, at: at)
    else { return nil }
    if let search = query.search, let match = Self.ftsMatch(search),
      try matchCount(match, words: search) <= Self.sortedSearchLimit
    {
      // A narrow search sorts its few matches directly: the rows before the mention are a window.
      return try queue(query, anchor: .before(id), limit: Self.sortedSearchLimit, now: now)?.count
    }
    let (filter, arguments) = try filterSQL(query, now: at)
    return try pool.read { db in
      var before = 0
      for s in 0...place.segment {
        let segment = QueueSegment.all[s]
        var args = arguments
        args["now"] = at
        var extra = ""
        if s == place.segment {
          extra = segment.beyond(backwards: true, including: false)
          args["k"] = place.key
          args["ki"] = place.id
        }
        before +=
          try Int.fetchOne(
            db,
            sql: """
              SELECT count(*) FROM mentions m INDEXED BY \(segment.index)
              WHERE \(segment.condition) \(extra) \(filter)
              """, arguments: StatementArguments(args)) ?? 0
      }
      return before
    }
  }

  /// The keyset form of `searchWindow`: the few matches sorted by the queue's order, from an
  /// anchor's (segment, key, tie-break) on.
  func searchWindow(
    _ query: QueueQuery, match: String, words: String, place: (segment: Int, key: Int64, id: Int64)?,
    backwards: Bool,
    including: Bool, limit: Int, now at: Int64
  ) throws -> [QueueEntry] {
    var (filter, searched, args) = try searchSQL(query, match: match, words: words, limit: limit, now: at)
    let segment = Self.segmentSQL
    let key = "CASE \(segment) WHEN 0 THEN m.due_at WHEN 1 THEN m.earliest_reply_at ELSE -m.created_at END"
    let tie = "CASE \(segment) WHEN 2 THEN -m.id ELSE m.id END"
    var beyond = ""
    if let place {
      let op = (backwards ? "<" : ">") + (including ? "=" : "")
      beyond = "AND (\(segment), \(key), \(tie)) \(op) (:s, :k, :t)"
      args["s"] = place.segment
      args["k"] = place.segment == 2 ? -place.key : place.key
      args["t"] = place.segment == 2 ? -place.id : place.id
    }
    let direction = backwards ? " DESC" : ""
    let rows = try pool.read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT \(Self.entryColumns) FROM mentions m JOIN authors a ON a.id = m.author_id
          WHERE \(searched) AND m.muted = 0
            AND NOT \(Self.asleepSQL) \(filter) \(beyond)
          ORDER BY \(segment)\(direction), \(key)\(direction), \(tie)\(direction)
          LIMIT :limit
          """, arguments: StatementArguments(args)
      ).map(Self.entry)
    }
    return backwards ? rows.reversed() : rows
  }
}

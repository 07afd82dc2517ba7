import Foundation
import GRDB
import Inbox
import Policy

// MARK: - Reading the queue

extension SQLiteStore {
  static let entryColumns =
    mentionColumns + ", m.claimed_by, m.snoozed_until, m.no_reply_reason, m.assigned_to"

  static func entry(_ row: Row) -> QueueEntry {
    // The queue's four columns come last, after however many the mention has.
    let base = row.count - 4
    let until: Int64? = row[base + 1]
    return QueueEntry(
      mention: mention(row), claimedBy: row[base], snoozedUntil: until.map(Date.init(epochMilliseconds:)),
      noReplyReason: row[base + 2], assignedTo: row[base + 3])
  }

  /// A window's rows: the statement prepared once per connection (preparing a segment's select
  /// cost as much as reading a screenful of its rows), each row decoded where SQLite holds it
  /// rather than copied first (see benchmarks-log.md, "A view's first window").
  static func entries(_ db: Database, sql: String, arguments: StatementArguments) throws -> [QueueEntry] {
    let rows = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: arguments)
    var result: [QueueEntry] = []
    while let row = try rows.next() { result.append(entry(row)) }
    return result
  }

  /// One window of the queue in urgency order, narrowed by `query`.
  ///
  /// Three segments, as in `mentions(order: .urgency)`: what is on the clock and past its
  /// cooling-off (by deadline), what is still cooling (by earliest reply), then everything off the
  /// clock (newest first). Snoozed mentions stay hidden until they wake or their target passes.
  public func queue(_ query: QueueFilter, limit: Int, offset: Int, now: Date) throws -> [QueueEntry] {
    let at = now.epochMilliseconds
    if let match = Self.ftsMatch(query.search),
      try matchCount(match, words: query.search) <= Self.sortedSearchLimit
    {
      return try searchWindow(query, match: match, words: query.search, limit: limit, offset: offset, now: at)
    }
    let (filter, arguments) = try filterSQL(query, now: at)
    let (rowFilter, _) = try filterSQL(query, now: at, window: true)
    return try pool.read { db in
      let route = try Self.windowRoute(query, db, limit: limit)
      let segments = QueueSegment.all.enumerated().map { index, segment in
        // The last segment is never skipped whole, so it is never counted.
        (
          select: segment.select(filter: rowFilter, offset: true, route: route),
          count: index == QueueSegment.all.count - 1 ? "" : segment.count(filter: filter)
        )
      }
      var result: [QueueEntry] = []
      var skip = offset
      for segment in segments {
        let wanted = limit - result.count
        if wanted <= 0 { break }
        var args = arguments
        args["now"] = at
        if skip > 0 && !segment.count.isEmpty {
          // Counting a segment of a million reads its whole index: keep the count while nothing
          // was committed and the clock is within the same second.
          let key =
            "\(segment.count)|\(arguments.keys.sorted())|\(String(describing: arguments.sorted { $0.key < $1.key }.map { $0.value.map { "\($0)" } }))"
          let token = try changeToken()
          let size: Int
          if let cached = segmentCounts.get(key, token: token, now: at) {
            size = cached
          } else {
            size = try Int.fetchOne(db, sql: segment.count, arguments: StatementArguments(args)) ?? 0
            segmentCounts.set(key, size, token: token, now: at)
          }
          if skip >= size {
            skip -= size
            continue
          }
        }
        args["limit"] = wanted
        args["offset"] = skip
        result += try Self.entries(db, sql: segment.select, arguments: StatementArguments(args))
        skip = 0
      }
      return result
    }
  }

  /// How many mentions the queue holds under `query`.
  ///
  /// Unfiltered, from the running totals and an index (all mentions not muted, minus the snoozed
  /// still asleep with their target still ahead), so a million-row store counts in milliseconds,
  /// not a table scan.
  public func queueCount(_ query: QueueFilter, now: Date) throws -> Int {
    let at = now.epochMilliseconds
    if query.isEmpty {
      return try pool.read { db in
        // The mentions not muted from the running totals (v20): a few rows, not an index walk.
        let unmuted = try totalsByStatus(db).values.reduce(0, +)
        let asleep =
          try Int.fetchOne(
            db,
            sql: """
              SELECT count(*) FROM mentions INDEXED BY mentions_by_snooze
              WHERE snoozed_until > ? AND status = 'snoozed' AND muted = 0
                AND (due_at IS NULL OR due_at > ?)
              """, arguments: [at, at]) ?? 0
        return unmuted - asleep
      }
    }
    if let counted = try countFromTotals(query, now: at) { return counted }
    var unsearched = query
    unsearched.search = ""
    let (filter, arguments) = try filterSQL(unsearched, now: at)
    var args = arguments
    args["now"] = at
    if let match = Self.ftsMatch(query.search) {
      args["match"] = match
      let searched = Self.searchedSQL(tail: try tailMatches(query.search).json, &args)
      // A broad search (a common word at a million mentions) is counted from the index alone:
      // muted or sleeping matches are then counted too, and the queue's end may show gaps.
      let broad = try matchCount(match, words: query.search)
      if broad > Self.sortedSearchLimit && unsearched.isEmpty { return broad }
      // Driven by the full-text index (and the unindexed tail): only the matches are looked at.
      return try pool.read { db in
        try Int.fetchOne(
          db,
          sql: """
            SELECT count(*) FROM mentions m
            WHERE \(searched) AND m.muted = 0
              AND NOT \(Self.asleepSQL) \(filter)
            """, arguments: StatementArguments(args)) ?? 0
      }
    }
    // One scan, counting the rows on the clock and off it apart: the keyset windows skip a part
    // that holds none of the filter's rows instead of walking its index (`SegmentHints`).
    let mark = try contentMark()
    return try pool.read { db in
      let row = try Row.fetchOne(
        db,
        sql: """
          SELECT count(*) FILTER (WHERE m.due_at IS NOT NULL), count(*) FILTER (WHERE m.due_at IS NULL)
          FROM mentions m
          WHERE m.muted = 0 AND NOT \(Self.asleepSQL) \(filter)
          """, arguments: StatementArguments(args))
      let onClock: Int = row?[0] ?? 0
      let offClock: Int = row?[1] ?? 0
      segmentHints.set(Self.hintKey(query), mark: mark, onClock: onClock, offClock: offClock)
      return onClock + offClock
    }
  }

  /// Counts per status and per clock for the status line.
  public func tally(now: Date) throws -> QueueTally {
    let at = now.epochMilliseconds
    return try pool.read { db in
      var tally = QueueTally()
      // From the running totals kept at write time (v20), the muted ones left out.
      for (name, count) in try totalsByStatus(db) {
        if let status = MentionStatus(rawValue: name) { tally.byStatus[status] = count }
      }
      tally.total = tally.byStatus.values.reduce(0, +)
      let (cooling, overdue) = try clockTotals(db, now: at)
      tally.byClock[.cooling] = cooling
      tally.byClock[.overdue] = overdue
      return tally
    }
  }
}

extension SQLiteStore {
  /// A window of the queue next to a mention (or at its end), found by key rather than by
  /// counting: the cost is the window's, wherever in a million rows it lies. Nil when the
  /// anchor mention is gone.
  public func queue(_ query: QueueFilter, anchor: QueueAnchor, limit: Int, now: Date) throws -> [QueueEntry]?
  {
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
    if let match = Self.ftsMatch(query.search),
      try matchCount(match, words: query.search) <= Self.sortedSearchLimit
    {
      return try searchWindow(
        query, match: match, words: query.search, place: place, backwards: backwards, including: including,
        limit: limit, now: at)
    }
    let (filter, arguments) = try filterSQL(query, now: at, window: true)
    let skipped =
      query.isEmpty ? [] : segmentHints.empty(Self.hintKey(query), mark: try contentMark())
    return try pool.read { db in
      let route = try Self.windowRoute(query, db, limit: limit)
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
        result += try Self.entries(
          db,
          sql: segments[s].select(
            filter: filter, extra: extra, backwards: backwards, route: route),
          arguments: StatementArguments(args))
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
  public func queuePosition(of id: Int64, _ query: QueueFilter, now: Date) throws -> Int? {
    let at = now.epochMilliseconds
    guard let here = try queue(query, anchor: .from(id), limit: 1, now: now)?.first, here.mention.id == id,
      let place = try place(of: id, at: at)
    else { return nil }
    if let match = Self.ftsMatch(query.search),
      try matchCount(match, words: query.search) <= Self.sortedSearchLimit
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
}

extension SQLiteStore {
  /// The highest mention id stored.
  public func newestMentionID() throws -> Int64 {
    try pool.read { try Int64.fetchOne($0, sql: "SELECT max(id) FROM mentions") ?? 0 }
  }

  /// How many queue mentions (not muted) have an id above `id`.
  public func arrivals(after id: Int64) throws -> Int {
    try pool.read {
      try Int.fetchOne($0, sql: "SELECT count(*) FROM mentions WHERE id > ? AND muted = 0", arguments: [id])
        ?? 0
    }
  }
}

extension SQLiteStore {
  /// The newest mention id and event id: they move with every ingest and every action.
  public func contentMark() throws -> [Int64] {
    try pool.read { db in
      [
        try Int64.fetchOne(db, sql: "SELECT max(id) FROM mentions") ?? 0,
        try Int64.fetchOne(db, sql: "SELECT max(id) FROM events") ?? 0,
      ]
    }
  }
}

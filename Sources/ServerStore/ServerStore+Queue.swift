import Foundation
import Inbox
import Policy
import PostgresNIO

// MARK: - Reading the queue

/// One read of the queue under a filter at one moment: the segments' conditions and rows with the
/// filter's values bound, each statement written afresh with its own binds.
struct ServerQueueRead: Sendable {
  let query: QueueFilter
  let search: ServerSearch
  let at: Int64

  /// The condition of segment `s`'s rows under the filter (and `extra`, given the binds).
  func condition(_ s: Int, _ binds: inout ServerBinds, extra: (inout ServerBinds) -> String = { _ in "" })
    -> String
  {
    let now = binds.add(at)
    return ServerSegment.all[s].condition(now: now, wake: query.wakesSnoozed)
      + ServerQueueSQL.filter(query, now: now, search: search, binds: &binds) + " " + extra(&binds)
  }

  /// How many rows segment `s` holds (before the anchor, with `extra`).
  func count(_ s: Int, _ session: ServerSession, extra: (inout ServerBinds) -> String = { _ in "" })
    async throws -> Int
  {
    var binds = ServerBinds()
    let sql = "SELECT count(*) FROM mentions m WHERE " + condition(s, &binds, extra: extra)
    return try await session.one(sql, binds: binds.bindings, as: Int.self) ?? 0
  }

  /// Segment `s`'s rows in the queue's order (or backwards), `limit` of them after `offset`.
  func rows(
    _ s: Int, _ session: ServerSession, backwards: Bool = false, limit: Int, offset: Int = 0,
    extra: (inout ServerBinds) -> String = { _ in "" }
  ) async throws -> [QueueEntry] {
    if case .matching(let tsquery) = search {
      return try await searched(
        s, tsquery, session, backwards: backwards, limit: limit, offset: offset, extra: extra)
    }
    var binds = ServerBinds()
    let condition = condition(s, &binds, extra: extra)
    let sql = """
      SELECT \(ServerQueueSQL.entryColumns) FROM mentions m JOIN authors a ON a.id = m.author_id
      WHERE \(condition)
      ORDER BY \(ServerSegment.all[s].order(backwards: backwards))
      LIMIT \(binds.add(limit)) OFFSET \(binds.add(offset))
      """
    return try await ServerStore.records(session, sql, binds: binds.bindings, ServerRows.entry)
  }

  /// A mention's place in the queue's order: its segment (by the same rules as the segments'
  /// conditions) and its key there. Nil when the mention is gone.
  static func place(of id: Int64, at: Int64, _ session: ServerSession) async throws -> ServerPlace? {
    var binds = ServerBinds()
    let sql = "SELECT due_at, earliest_reply_at, created_at FROM mentions WHERE id = \(binds.add(id))"
    let rows = try await session.decoded(sql, binds: binds.bindings) { row in
      (try row[0].decode(Int64?.self), try row[1].decode(Int64?.self), try row[2].decode(Int64.self))
    }
    guard let (due, earliest, created) = rows.first else { return nil }
    guard due != nil else { return ServerPlace(segment: 2, key: created, id: id) }
    if let earliest, earliest > at { return ServerPlace(segment: 1, key: earliest, id: id) }
    return ServerPlace(segment: 0, key: due ?? 0, id: id)
  }
}

/// Where a mention stands in the queue's order: its segment, its key there and its id.
struct ServerPlace: Sendable {
  let segment: Int
  let key: Int64
  let id: Int64

  /// The condition of the rows beyond this place in its segment.
  func beyond(backwards: Bool, including: Bool) -> (inout ServerBinds) -> String {
    { binds in
      ServerSegment.all[segment].beyond(
        backwards: backwards, including: including, key: binds.add(key), id: binds.add(id))
    }
  }
}

extension ServerStore {
  /// One window of the queue in urgency order, narrowed by `query`: the segments in turn, each
  /// counted (from its index) only to be skipped past, all on one snapshot.
  public func queue(_ query: QueueFilter, limit: Int, offset: Int, now: Date) throws -> [QueueEntry] {
    let at = now.epochMilliseconds
    return try bridge.run { session in
      try await session.snapshot { session in
        let read = ServerQueueRead(query: query, search: try await Self.search(query.search, session), at: at)
        var result: [QueueEntry] = []
        var skip = offset
        for s in ServerSegment.all.indices {
          let wanted = limit - result.count
          if wanted <= 0 { break }
          // The last segment is never skipped whole, so it is never counted.
          if skip > 0 && s < ServerSegment.all.count - 1 {
            let size = try await read.count(s, session)
            if skip >= size {
              skip -= size
              continue
            }
          }
          result += try await read.rows(s, session, limit: wanted, offset: skip)
          skip = 0
        }
        return result
      }
    }
  }

  /// A window of the queue next to a mention (or at its end), found by key rather than by
  /// counting: a range of the segment's index from the anchor on. Nil when the anchor is gone.
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
    return try bridge.run { session -> [QueueEntry]? in
      try await session.snapshot { session -> [QueueEntry]? in
        var place: ServerPlace?
        if let id {
          guard let found = try await ServerQueueRead.place(of: id, at: at, session) else { return nil }
          place = found
        }
        let read = ServerQueueRead(query: query, search: try await Self.search(query.search, session), at: at)
        var result: [QueueEntry] = []
        let all = ServerSegment.all.indices
        for s in backwards ? Array(all.reversed()) : Array(all) {
          // Segments before the anchor's (after it, going backwards) are not in the window.
          if let place, backwards ? s > place.segment : s < place.segment { continue }
          let wanted = limit - result.count
          if wanted <= 0 { break }
          var extra: (inout ServerBinds) -> String = { _ in "" }
          if let place, place.segment == s {
            extra = place.beyond(backwards: backwards, including: including)
          }
          result += try await read.rows(s, session, backwards: backwards, limit: wanted, extra: extra)
        }
        return backwards ? result.reversed() : result
      }
    }
  }

  /// How many rows come before a mention in the queue under `query`; nil when it is not in it
  /// (gone, muted, asleep, or outside the filter). Counted from the segments' indexes, up to the
  /// mention's key.
  public func queuePosition(of id: Int64, _ query: QueueFilter, now: Date) throws -> Int? {
    guard let here = try queue(query, anchor: .from(id), limit: 1, now: now)?.first, here.mention.id == id
    else { return nil }
    let at = now.epochMilliseconds
    return try bridge.run { session -> Int? in
      try await session.snapshot { session -> Int? in
        guard let place = try await ServerQueueRead.place(of: id, at: at, session) else { return nil }
        let read = ServerQueueRead(query: query, search: try await Self.search(query.search, session), at: at)
        var before = 0
        for s in 0...place.segment {
          var extra: (inout ServerBinds) -> String = { _ in "" }
          if s == place.segment { extra = place.beyond(backwards: true, including: false) }
          before += try await read.count(s, session, extra: extra)
        }
        return before
      }
    }
  }

  /// How many mentions the queue holds under `query`: those not muted nor asleep, narrowed by it.
  /// A filter of what the running totals are kept by (the empty one too) is read from them
  /// (`countFromTotals`); any other is counted exactly, a search too (SQLite counts a broad search
  /// from its index alone).
  public func queueCount(_ query: QueueFilter, now: Date) throws -> Int {
    let at = now.epochMilliseconds
    if query.countsFromTotals {
      return try bridge.run { session in try await Self.countFromTotals(session, query, at: at) }
    }
    return try bridge.run { session in
      let search = try await Self.search(query.search, session)
      var binds = ServerBinds()
      let now = binds.add(at)
      let asleep = query.wakesSnoozed ? "" : " AND NOT " + ServerQueueSQL.asleep(now: now)
      let filter = ServerQueueSQL.filter(query, now: now, search: search, binds: &binds)
      return try await session.one(
        "SELECT count(*) FROM mentions m WHERE NOT m.muted\(asleep)\(filter)", binds: binds.bindings,
        as: Int.self) ?? 0
    }
  }

  /// Counts per status (every status some mention has, its mentions not muted) and the mentions
  /// cooling off and overdue, for the status line: from the running totals (`tallyFromTotals`).
  public func tally(now: Date) throws -> QueueTally {
    let at = now.epochMilliseconds
    return try bridge.run { session in
      try await session.snapshot { session in try await Self.tallyFromTotals(session, at: at) }
    }
  }

  /// The highest mention id stored.
  public func newestMentionID() throws -> Int64 {
    try bridge.run { try await $0.one("SELECT max(id) FROM mentions", as: Int64.self) ?? 0 }
  }

  /// How many queue mentions (not muted) have an id above `id`.
  public func arrivals(after id: Int64) throws -> Int {
    try bridge.run { session in
      var binds = ServerBinds()
      let sql = "SELECT count(*) FROM mentions WHERE id > \(binds.add(id)) AND NOT muted"
      return try await session.one(sql, binds: binds.bindings, as: Int.self) ?? 0
    }
  }

  /// The newest mention id and event id: they move with every ingest and every action.
  public func contentMark() throws -> [Int64] {
    try bridge.run { session in
      let row = try await session.decoded(
        "SELECT (SELECT max(id) FROM mentions), (SELECT max(id) FROM events)"
      ) { [try $0[0].decode(Int64?.self) ?? 0, try $0[1].decode(Int64?.self) ?? 0] }
      return row.first ?? [0, 0]
    }
  }
}

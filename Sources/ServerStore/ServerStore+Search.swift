import Foundation
import Inbox
import PostgresNIO

// MARK: - Search

/// Search on the server: each mention's search document is written with it (migration 3, a
/// trigger on the text and the author), so there is no index to catch up and no unindexed tail
/// to scan. The rules are SQLite's: every word must occur, as a phrase of its tokens (runs of
/// letters and digits), the last word's last token as a prefix, in the text or the handle, case
/// and accents ignored.
extension ServerStore {
  /// The search of `text` as the server runs it: the words split on white space (as SQLite's
  /// `ftsMatch` splits them), turned into a `tsquery` by the store's own `search_query`, which
  /// folds and splits them exactly as the documents were.
  static func search(_ text: String, _ session: ServerSession) async throws -> ServerSearch {
    let words = text.split(whereSeparator: { $0.isWhitespace }).map(String.init)
    guard !words.isEmpty else { return .none }
    var binds = ServerBinds()
    let sql = "SELECT search_query(\(binds.add(words)))"
    guard let query = try await session.one(sql, binds: binds.bindings, as: String.self) else {
      return .nothing
    }
    return .matching(query)
  }

  /// Nothing to add: the search document is kept at write time. Always 0.
  @discardableResult
  public func indexSearch(limit: Int) throws -> Int { 0 }

  /// Nothing waits for the search index on the server. Always 0.
  public func searchBacklog() throws -> Int { 0 }
}

// MARK: - A search's window

/// A search's rows in a segment, without reading every match nor walking every row. First the
/// segment's next rows in the queue's order (its own index, `SearchWalk.first` more than the window) and the matches
/// among them: when they fill the window, or are all the segment has, that is the window. When
/// some matched, the walk goes on as far as their density says the window needs (at most
/// `SearchWalk.longest` rows). Else the matches are sparse: they are read from the search index (GIN)
/// first, then ordered (a top-N sort of the matches). A common word costs a short walk; a rare
/// word, a word without a match or a rare prefix costs the walk and its matches. Left to the
/// planner, one statement did either for every word by its estimate, and a prefix's estimate is
/// far off (every search is one: the last word is a prefix): 2–3 s at a million for a word nobody
/// wrote (a walk of every row), and the sort of every match for a common one.
extension ServerQueueRead {
  /// How far a search's window walks a segment before it reads the search index instead.
  struct SearchWalk: Sendable, Equatable {
    /// The first walk's rows beyond twice the window's own.
    var first = 200
    /// The longest walk a density asks for.
    var longest = 12_000
  }

  /// The walk every search takes. Every setting gives the same rows, only at another cost: the
  /// conformance tests shorten it so that a small store takes each way.
  static let searchWalk = Locked(SearchWalk())

  func searched(
    _ s: Int, _ tsquery: String, _ session: ServerSession, backwards: Bool, limit: Int, offset: Int,
    extra: (inout ServerBinds) -> String
  ) async throws -> [QueueEntry] {
    let needed = limit + offset
    let lengths = Self.searchWalk.current
    var walk = lengths.first + 2 * needed
    var found = try await walked(
      s, tsquery, session, backwards: backwards, walk: walk, limit: limit, offset: offset, extra: extra)
    if found.rows.count == limit || found.walked < walk { return found.rows }
    if found.hits > 0 {
      // As many rows again as the matches so far say the window needs, and a third more.
      walk = Int((Double(needed) * 1.3 * Double(found.walked) / Double(found.hits)).rounded(.up))
      if walk <= lengths.longest {
        found = try await walked(
          s, tsquery, session, backwards: backwards, walk: walk, limit: limit, offset: offset, extra: extra)
        if found.rows.count == limit || found.walked < walk { return found.rows }
      }
    }
    return try await indexed(
      s, tsquery, session, backwards: backwards, limit: limit, offset: offset, extra: extra)
  }

  /// The segment's order on the walk's columns (`k` its key, `id`), forwards or backwards.
  private func walkOrder(_ s: Int, backwards: Bool, key: String, id: String) -> String {
    let direction = ServerSegment.all[s].ascending != backwards ? "" : " DESC"
    return "\(key)\(direction), \(id)\(direction)"
  }

  /// The first `walk` rows of segment `s` in the queue's order: how many there were, how many
  /// matched, and the window of the matches.
  private func walked(
    _ s: Int, _ tsquery: String, _ session: ServerSession, backwards: Bool, walk: Int, limit: Int,
    offset: Int, extra: (inout ServerBinds) -> String
  ) async throws -> (rows: [QueueEntry], walked: Int, hits: Int) {
    let segment = ServerSegment.all[s]
    var binds = ServerBinds()
    let condition = ServerQueueRead(query: query, search: .none, at: at).condition(s, &binds, extra: extra)
    let sql = """
      WITH walk AS MATERIALIZED (
        SELECT m.id, \(segment.key) AS k, m.search @@ \(binds.add(tsquery))::tsquery AS hit FROM mentions m
        WHERE \(condition) ORDER BY \(segment.order(backwards: backwards)) LIMIT \(binds.add(walk))
      )
      SELECT c.walked, c.hits, found.* FROM (
        SELECT count(*) AS walked, count(*) FILTER (WHERE hit) AS hits FROM walk
      ) c LEFT JOIN LATERAL (
        SELECT \(ServerQueueSQL.entryColumns) FROM (
          SELECT id, k FROM walk WHERE hit ORDER BY \(walkOrder(s, backwards: backwards, key: "k", id: "id"))
          LIMIT \(binds.add(limit)) OFFSET \(binds.add(offset))
        ) w JOIN mentions m ON m.id = w.id JOIN authors a ON a.id = m.author_id
        ORDER BY \(walkOrder(s, backwards: backwards, key: "w.k", id: "w.id"))
      ) found ON true
      """
    var out: (rows: [QueueEntry], walked: Int, hits: Int) = ([], 0, 0)
    for try await row in try await session.connection.query(
      PostgresQuery(unsafeSQL: sql, binds: binds.bindings), logger: session.logger)
    {
      let r = row.makeRandomAccess()
      out.walked = try r[0].decode(Int.self)
      out.hits = try r[1].decode(Int.self)
      if try r[2].decode(Int64?.self) != nil { out.rows.append(try ServerRows.entry(row, from: 2)) }
    }
    return out
  }

  /// The columns of a mention the segments' and the filter's conditions read (`ServerSegment`,
  /// `ServerQueueSQL.filter`), kept for each match of the search index.
  static let conditionColumns = """
    id, author_id, platform, category, status, muted, escalated, claimed_by, assigned_to, lang,
    detected_lang, created_at, due_at, earliest_reply_at, snoozed_until, snoozed_from, holding_since,
    first_response_at
    """

  /// The window of segment `s`'s matches from the search index: every match read once with the
  /// columns the conditions need (a CTE of its own, so the planner neither walks the segment's
  /// index nor ANDs the matches with it), the window's rows kept by a top-N sort, and only those
  /// read whole.
  private func indexed(
    _ s: Int, _ tsquery: String, _ session: ServerSession, backwards: Bool, limit: Int, offset: Int,
    extra: (inout ServerBinds) -> String
  ) async throws -> [QueueEntry] {
    let segment = ServerSegment.all[s]
    var binds = ServerBinds()
    let condition = ServerQueueRead(query: query, search: .none, at: at).condition(s, &binds, extra: extra)
    let sql = """
      WITH hits AS MATERIALIZED (
        SELECT \(Self.conditionColumns) FROM mentions WHERE search @@ \(binds.add(tsquery))::tsquery
      )
      SELECT \(ServerQueueSQL.entryColumns) FROM (
        SELECT m.id, \(segment.key) AS k FROM hits m WHERE \(condition)
        ORDER BY \(segment.order(backwards: backwards)) LIMIT \(binds.add(limit)) OFFSET \(binds.add(offset))
      ) x JOIN mentions m ON m.id = x.id JOIN authors a ON a.id = m.author_id
      ORDER BY \(walkOrder(s, backwards: backwards, key: "x.k", id: "x.id"))
      """
    return try await ServerStore.records(session, sql, binds: binds.bindings, ServerRows.entry)
  }
}

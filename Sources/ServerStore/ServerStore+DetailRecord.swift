import Foundation
import Inbox
import PostgresNIO

// MARK: - A mention's detail in one statement

/// The detail pane's whole read in one statement (`DetailStore`): the parts one by one were some
/// twenty round trips per cursor move (about 13 ms at a million on loopback under load), this is
/// one, on one snapshot. The rows shaped like a mention (the entry, its thread, the author's
/// earlier posts) come as rows with the queue's columns, tagged by part; the small parts ride on
/// the entry's row as one JSON value of arrays by place, in the orders of their own calls.
extension ServerStore: DetailStore {
  public func detailRecord(id: Int64, threadLimit: Int, earlierLimit: Int) throws -> DetailRecord? {
    let statement = DetailStatement(
      id: id, threadLimit: Int64(threadLimit), earlierLimit: Int64(earlierLimit))
    return try bridge.run { session in
      var parts: [Int32: [(QueueEntry, String?)]] = [:]
      for try await (part, entry, json) in try await session.connection.execute(
        statement, logger: session.logger)
      {
        parts[part, default: []].append((entry, json))
      }
      return try parts.record()
    }
  }

  /// `$1` the mention, `$2` the thread's limit, `$3` the earlier posts' limit. Part 0 is the
  /// entry (with the JSON of the rest), 1 the thread, 2 the earlier posts; each part's rows are
  /// put in their order by the reader (the statement's row order is not promised).
  static let detailSQL = """
    WITH t AS MATERIALIZED (
      SELECT m.id, m.platform, m.external_id, m.in_reply_to, m.author_id, m.created_at,
        coalesce(m.thread, (SELECT p.thread FROM mentions p WHERE p.platform = m.platform
          AND p.external_id = m.in_reply_to)) AS thread
      FROM mentions m WHERE m.id = $1
    ),
    linked AS (
      SELECT x.id FROM mentions x, t WHERE x.platform = t.platform AND x.in_reply_to = t.external_id
      UNION SELECT x.id FROM mentions x, t WHERE x.platform = t.platform AND x.external_id = t.in_reply_to
      UNION SELECT x.id FROM mentions x, t WHERE x.platform = t.platform AND x.thread = t.thread
    )
    SELECT 0, \(ServerQueueSQL.entryColumns), (\(detailJSON))::text
    FROM t JOIN mentions m ON m.id = t.id JOIN authors a ON a.id = m.author_id
    UNION ALL (
      SELECT 1, \(ServerQueueSQL.entryColumns), NULL FROM mentions m JOIN authors a ON a.id = m.author_id
      WHERE m.id IN (SELECT id FROM linked) AND m.id <> $1 ORDER BY m.created_at, m.id LIMIT $2
    )
    UNION ALL (
      SELECT 2, \(ServerQueueSQL.entryColumns), NULL
      FROM t, mentions m JOIN authors a ON a.id = m.author_id
      WHERE m.author_id = t.author_id
        AND (m.created_at < t.created_at OR (m.created_at = t.created_at AND m.id < t.id))
      ORDER BY m.created_at DESC, m.id DESC LIMIT $3
    )
    """

  /// The small parts on the entry's row (`t` the mention, `a` its author), each an array of arrays
  /// by place, in the order its own call reads it (`ServerDetailJSON` reads them).
  static let detailJSON = """
    json_build_array(
      EXISTS (SELECT 1 FROM watched_authors w WHERE w.author_id = t.author_id),
      (SELECT count(*) FROM mentions x WHERE x.author_id = t.author_id),
      (SELECT json_build_array(count(*), count(*) FILTER (WHERE x.category = 'complaint' AND x.repeat_of IS NULL))
        FROM mentions x WHERE x.author_id = t.author_id
          AND (x.created_at < t.created_at OR (x.created_at = t.created_at AND x.id < t.id))),
      (SELECT json_agg(json_build_array(n.id, n.at, n.author, n.text) ORDER BY n.id)
        FROM notes n WHERE n.mention_id = t.id),
      (SELECT json_agg(json_build_array(e.id, e.mention_id, e.reason, e.state, e.owner, e.created_at,
          e.created_by, e.repeats,
          (SELECT json_agg(json_build_array(n.id, n.at, n.author, n.text) ORDER BY n.id)
            FROM escalation_notes n WHERE n.escalation_id = e.id)) ORDER BY e.id)
        FROM escalations e WHERE e.mention_id = t.id),
      (SELECT json_build_array(v.id, v.at, v.actor, v.action) FROM events v
        WHERE v.action = 'ingest' AND (v.detail::jsonb ->> 'first_id')::bigint <= t.id
          AND (v.detail::jsonb ->> 'last_id')::bigint >= t.id
        ORDER BY v.id LIMIT 1),
      (SELECT json_agg(json_build_array(v.id, v.at, v.actor, v.action, v.mention_id, v.detail) ORDER BY v.id)
        FROM events v WHERE v.mention_id = t.id),
      (SELECT json_agg(json_build_array(d.mention_id, d.author, d.kind, d.text, d.started_at, d.updated_at)
          ORDER BY d.updated_at DESC)
        FROM drafts d WHERE d.mention_id = t.id),
      (SELECT json_agg(json_build_array(\(ReplySQL.outboxColumns)) ORDER BY o.id)
        FROM outbox o WHERE o.mention_id = t.id),
      (SELECT json_build_array(pn.text, pn.updated_by, pn.updated_at) FROM person_notes pn
        WHERE pn.person_id = coalesce((SELECT l.person_id FROM person_links l WHERE l.author_id = t.author_id),
          t.author_id))
    )
    """
}

/// The detail's statement, prepared once per connection (PostgresNIO keeps it by name): planned
/// afresh, its dozen subqueries cost some 2 ms a key, more than running it (0.3–0.7 ms); after five
/// runs the server keeps one generic plan for it.
struct DetailStatement: PostgresPreparedStatement {
  static let sql = ServerStore.detailSQL
  typealias Row = (Int32, QueueEntry, String?)

  let id: Int64
  let threadLimit: Int64
  let earlierLimit: Int64

  func makeBindings() throws -> PostgresBindings { .of(id, threadLimit, earlierLimit) }

  func decodeRow(_ row: PostgresRow) throws -> Row {
    let r = row.makeRandomAccess()
    return (
      try r[0].decode(Int32.self), try ServerRows.entry(row, from: 1), try r[r.count - 1].decode(String?.self)
    )
  }
}

extension [Int32: [(QueueEntry, String?)]] {
  /// The record from the statement's rows: nil when the mention was not there.
  func record() throws -> DetailRecord? {
    guard let (entry, json) = self[0]?.first else { return nil }
    let extra = try ServerDetailJSON(json ?? "[]")
    let m = entry.mention
    let thread = (self[1] ?? []).map(\.0).sorted {
      ($0.mention.createdAt, $0.mention.id) < ($1.mention.createdAt, $1.mention.id)
    }
    let earlier = (self[2] ?? []).map(\.0.mention).sorted {
      ($0.createdAt, $0.id) > ($1.createdAt, $1.id)
    }
    let (count, complaints) = try extra.pair(2)
    return DetailRecord(
      entry: entry,
      author: AuthorRecord(
        platform: m.platform, author: m.author, watched: try extra.bool(0), mentionCount: try extra.int(1),
        earlier: earlier, earlierCount: count, earlierComplaints: complaints),
      thread: thread, notes: try extra.list(3).map(ServerDetailJSON.note),
      escalations: try extra.list(4).map(ServerDetailJSON.escalation),
      events: (try extra.optional(5).map { [try ServerDetailJSON.arrival($0, mentionID: m.id)] } ?? [])
        + (try extra.list(6).map(ServerDetailJSON.event)),
      drafts: try extra.list(7).map(ServerDetailJSON.draft),
      outbox: try extra.list(8).map(ServerDetailJSON.outbox),
      personNote: try extra.optional(9).map(ServerDetailJSON.personNote))
  }
}

import Foundation
import Inbox
import Policy
import PostgresNIO

/// What the new mentions of one ingest batch cause, in its transaction, as on SQLite: a repeat of
/// an open post is folded into it (`SQLiteStore+Repeats.swift`), watchers and responders are told
/// (`ArrivalNotices`), and the policy's rules raise escalations (`raiseOnArrival`). Each is a few
/// statements for the whole batch: the candidates are read at once and the batch's order is
/// followed in memory, so an earlier mention of the batch counts for a later one as it does when
/// SQLite writes them one by one.
struct ArrivalWork {
  /// One new mention of the batch. A class: the arrival work filters and passes the batch's
  /// arrivals around several times (repeats, notices, escalations), and a reference is one
  /// pointer to copy where the mention with its annotation was dozens of fields to retain.
  final class New: Sendable {
    let id: Int64
    let mention: IncomingMention
    let authorID: Int64
    /// Its text once the batch is written (an edit later in the batch included).
    let text: String
    let annotation: MentionAnnotation?

    init(id: Int64, mention: IncomingMention, authorID: Int64, text: String, annotation: MentionAnnotation?) {
      self.id = id
      self.mention = mention
      self.authorID = authorID
      self.text = text
      self.annotation = annotation
    }
  }

  let rows: [New]
  /// The authors the batch added: every mention of theirs in the store is one of `rows`, so what
  /// the store holds of them before a row is known here without asking (see `fold`, `escalate`).
  let freshAuthors: Set<Int64>
  /// The posts of the authors this process added in earlier batches, when nobody wrote since
  /// (`IngestAuthorMemory.posts`; nil: none known).
  let history: IngestAuthorMemory?
  /// Each row's trace (`PostTrace`), in the rows' order.
  let traces: [PostTrace]
  /// The places among `rows` of the posts of each author whose every post is known here.
  let batchRows: [Int64: [Int]]
  /// The new mentions that may repeat an earlier post of their author within the repeat window
  /// (`fold`), with their repeat keys: worked out with the rest before the server is asked.
  private(set) var repeatCandidates: [(row: New, key: RepeatKey)] = []

  /// The batch's arrival work (`window`: the repeat window in milliseconds, 0 folds nothing).
  init(
    plan: IngestPlan, ids: [Int64], annotations: [MentionAnnotation]?, freshAuthors: Set<Int64>,
    history: IngestAuthorMemory? = nil, window: Int64
  ) {
    self.freshAuthors = freshAuthors
    self.history = history
    rows = plan.newRows.enumerated().map { n, row in
      New(
        id: ids[n], mention: row.mention, authorID: row.authorID, text: row.text,
        annotation: annotations?[row.index])
    }
    traces = Self.traceRows(rows)
    var byAuthor: [Int64: [Int]] = [:]
    for (n, row) in rows.enumerated()
    where freshAuthors.contains(row.authorID) || history?.posts[row.authorID] != nil {
      byAuthor[row.authorID, default: []].append(n)
    }
    batchRows = byAuthor
    if window > 0 { repeatCandidates = candidates(window: window) }
  }

  // MARK: - Repeats

  /// How many of an author's latest posts in the window a new post is compared with
  /// (`SQLiteStore.repeatScan`).
  static let repeatScan = 16

  /// The new mentions that may repeat an earlier post within `window` milliseconds, with their keys.
  /// An author whose every post is known here (a new author's first mention of the batch has none
  /// before it) is asked about only when one of the posts compared has the same key.
  private func candidates(window: Int64) -> [(row: New, key: RepeatKey)] {
    rows.indices.compactMap { n -> (row: New, key: RepeatKey)? in
      let row = rows[n]
      guard row.annotation?.muted != true else { return nil }
      let key = row.annotation?.repeatKey ?? RepeatKey(row.mention.text)
      guard !key.text.isEmpty, mayRepeat(n, key: key, window: window) else { return nil }
      return (row, key)
    }
  }

  /// Folds each new mention that repeats an earlier open post of its author within `window`
  /// milliseconds (0: folding is off; the window the work was made with): returns the folded ids
  /// with the post each was folded into.
  func fold(_ session: ServerSession, window: Int64) async throws -> [Int64: Int64] {
    guard window > 0 else { return [:] }
    let candidates = repeatCandidates
    if candidates.isEmpty { return [:] }
    var folded: [Int64: Int64] = [:]
    var heads: [Int64: Int64] = [:]
    var order: [Int64] = []
    for chunk in candidates.chunked(2000) {
      var binds = PostgresBindings()
      binds.append(chunk.map(\.0.id))
      binds.append(chunk.map(\.0.authorID))
      binds.append(chunk.map { $0.0.mention.createdAt.epochMilliseconds })
      binds.append(chunk.map { $0.1.probes.first ?? "" })
      binds.append(chunk.map { $0.1.probes.dropFirst().first ?? "" })
      binds.append(window)
      // The author's latest posts in the window stored before the new one (a lower id: what
      // SQLite's writer had stored when it came to it), that hold the key's two probes.
      let found = try await session.rows(
        """
        SELECT n.ord, c.id, c.text, c.repeat_of IS NULL AND NOT c.muted AND c.status NOT IN ('replied', 'no_reply')
        FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[], $5::text[])
          WITH ORDINALITY AS n(id, author_id, created_at, p1, p2, ord)
        CROSS JOIN LATERAL (
          SELECT id, text, created_at, repeat_of, muted, status FROM mentions
          WHERE author_id = n.author_id AND created_at >= n.created_at - $6 AND created_at <= n.created_at + $6
            AND id < n.id
          ORDER BY created_at DESC, id DESC LIMIT \(Self.repeatScan)) AS c
        WHERE strpos(lower(c.text), n.p1) > 0 AND strpos(lower(c.text), n.p2) > 0
        ORDER BY n.ord, c.created_at, c.id
        """, binds: binds, as: (Int64, Int64, String, Bool).self)
      var byRow: [Int: [(id: Int64, text: String, open: Bool)]] = [:]
      for (ord, id, text, open) in found { byRow[Int(ord) - 1, default: []].append((id, text, open)) }
      for (n, (row, key)) in chunk.enumerated() {
        // A post of this batch folded already is a repeat, no longer a first.
        let head = byRow[n]?.first { c in
          c.open && folded[c.id] == nil && RepeatKey.key(c.text) == key.text
        }
        guard let head else { continue }
        folded[row.id] = head.id
        if heads[head.id] == nil { order.append(head.id) }
        heads[head.id, default: 0] += 1
      }
    }
    if folded.isEmpty { return [:] }
    var binds = PostgresBindings()
    binds.append(Array(folded.keys))
    binds.append(Array(folded.values))
    try await session.ingestStatement(
      "UPDATE mentions SET repeat_of = v.head, muted = true FROM unnest($1::bigint[], $2::bigint[]) AS v(id, head) WHERE mentions.id = v.id",
      binds: binds)
    var counted = PostgresBindings()
    counted.append(order)
    counted.append(order.map { heads[$0]! })
    try await session.ingestStatement(
      "UPDATE mentions SET repeats = repeats + v.n FROM unnest($1::bigint[], $2::bigint[]) AS v(id, n) WHERE mentions.id = v.id",
      binds: counted)
    return folded
  }

  // MARK: - Notices

  /// Notices for watchers (a watched author posted) and responders (a message in the thread of a
  /// mention they replied to), once per recipient and new mention, as `ArrivalNotices` writes them.
  func notify(_ session: ServerSession, folded: [Int64: Int64], now: Int64) async throws {
    let links = rows.filter { !$0.mention.staff }
    if links.isEmpty { return }
    guard
      let (watched, replied) = try await session.rows(
        """
        SELECT EXISTS (SELECT 1 FROM watched_authors),
          EXISTS (SELECT 1 FROM outbox WHERE status IN ('queued', 'sent', 'unverified'))
        """, as: (Bool, Bool).self
      ).first, watched || replied
    else { return }
    var binds = PostgresBindings()
    binds.append(links.map(\.id))
    binds.append(links.map(\.authorID))
    binds.append(links.map(\.mention.platform))
    // No post has an empty id: '' stands for none (an array of text holds no NULL here).
    binds.append(links.map { $0.mention.inReplyTo ?? "" })
    binds.append(links.map { $0.mention.thread ?? "" })
    binds.append(now)
    binds.append(watched)
    binds.append(replied)
    try await session.ingestStatement(
      """
      WITH n AS (
        SELECT id, author_id, platform, nullif(parent, '') AS parent, nullif(thread, '') AS thread, ord
        FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[])
          WITH ORDINALITY AS u(id, author_id, platform, parent, thread, ord))
      INSERT INTO notices (recipient, kind, mention_id, created_at)
      SELECT recipient, kind, id, $6 FROM (
        SELECT n.ord, 0 AS part, w.watched_by AS recipient, 'watched_posted' AS kind, n.id
        FROM n JOIN watched_authors w ON w.author_id = n.author_id WHERE $7
        UNION
        SELECT n.ord, 1, o.responder, 'thread_reply', n.id FROM n
          JOIN mentions p ON p.platform = n.platform AND p.external_id IN (n.parent, n.thread) AND p.id <> n.id
          JOIN outbox o ON o.mention_id = p.id AND o.status IN ('queued', 'sent', 'unverified')
        WHERE $8
        UNION
        SELECT n.ord, 1, o.responder, 'thread_reply', n.id FROM n
          JOIN outbox o ON o.platform_post_id = n.parent AND o.status IN ('queued', 'sent', 'unverified')
          JOIN mentions p ON p.id = o.mention_id AND p.platform = n.platform
        WHERE $8) AS x
      ORDER BY ord, part, recipient
      ON CONFLICT (recipient, kind, mention_id) WHERE kind IN ('thread_reply', 'watched_posted') DO NOTHING
      """, binds: binds)
  }
}

extension ServerSession {
  /// Runs one statement of ingest with binds and drops its rows.
  func ingestStatement(_ sql: String, binds: PostgresBindings) async throws {
    try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
  }
}

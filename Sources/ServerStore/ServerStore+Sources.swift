import Foundation
import Inbox
import Policy
import PostgresNIO

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Live sources' state on the server, as `SQLiteStore+Sources` keeps it: a row of `sources` per
/// source with its cursor, its health and its lease.
///
/// Several `repute watch` on several machines poll each source once: `claimSource` checks and
/// takes the lease in one transaction in the writers' turn, so of two watchers claiming at once
/// the second sees the first's lease and is told no, never both yes. A lease runs out by the
/// store's clock; one held by a process on this host that died is taken over, as on SQLite.
extension ServerStore: SourceStore {
  /// Stores a batch and moves the source's cursor past it in one transaction, as on SQLite: a
  /// watcher killed at any moment has stored the page and its cursor, or neither. `contextOnly`
  /// marks posts fetched only as thread context (S8, S11): stored muted, out of the queue but in
  /// the thread; a real mention of a post stored as context brings it into the queue.
  @discardableResult
  public func ingest(
    _ batch: [IncomingMention], annotations: [MentionAnnotation]?, actor: String, cursor: SourceCursor?,
    contextOnly: Bool = false, rules: Escalation? = nil
  ) throws -> IngestCounts {
    precondition(annotations == nil || annotations!.count == batch.count, "one annotation per mention")
    let batch = batch.map(\.withoutNUL)  // no NUL in the server's text (IncomingMention+NUL)
    let now = nowMilliseconds
    let stored =
      contextOnly
      ? annotations?.map { annotation in
        var muted = annotation
        muted.muted = true
        return muted
      } : annotations
    let joined = Self.joined(batch, annotations: annotations)
    return try write(timeout: 60 + Double(batch.count) / 1000) { session in
      guard !batch.isEmpty else {
        if let cursor { try await Self.saveCursor(session, cursor) }
        return IngestCounts()
      }
      // In the writers' turn no one else adds mentions: those above the highest id now are this
      // batch's new ones.
      let before = try await session.values("SELECT coalesce(max(id), 0) FROM mentions", as: Int64.self)[0]
      let counts = try await Self.write(
        session, batch, annotations: stored, actor: actor, rules: rules, now: now
      ).counts
      if contextOnly {
        try await session.execute("UPDATE mentions SET context_only = true WHERE id > $1", .of(before))
      } else {
        try await session.execute(
          """
          UPDATE mentions m SET context_only = false, muted = v.muted
          FROM unnest($1::text[], $2::text[], $3::bool[]) AS v(platform, external_id, muted)
          WHERE m.platform = v.platform AND m.external_id = v.external_id AND m.context_only
          """, joined.context)
      }
      // A thread learnt later (from the conversation's context) links posts stored before.
      try await session.execute(
        """
        UPDATE mentions m SET thread = coalesce(m.thread, nullif(v.thread, '')),
          in_reply_to = coalesce(m.in_reply_to, nullif(v.in_reply_to, ''))
        FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS v(platform, external_id, thread, in_reply_to)
        WHERE m.platform = v.platform AND m.external_id = v.external_id
          AND (m.thread IS NULL OR m.in_reply_to IS NULL)
        """, joined.threads)
      if let cursor { try await Self.saveCursor(session, cursor) }
      return counts
    }
  }

  /// The batch's posts once per post, as the statements after the ingest want them: whether each
  /// (by its last copy in the batch) is muted, for a post stored as context that arrives as a
  /// mention; and the first thread and parent the batch gives each, for posts stored before them
  /// (the driver binds no NULL in an array: the empty text stands for none).
  static func joined(_ batch: [IncomingMention], annotations: [MentionAnnotation]?) -> (
    context: PostgresBindings, threads: PostgresBindings
  ) {
    struct Key: Hashable {
      let platform: String
      let externalID: String
    }
    var order: [Key] = []
    var muted: [Key: Bool] = [:]
    var threads: [Key: (thread: String?, parent: String?)] = [:]
    for (index, mention) in batch.enumerated() {
      let key = Key(platform: mention.platform, externalID: mention.externalID)
      if muted[key] == nil { order.append(key) }
      muted[key] = annotations?[index].muted ?? false
      let known = threads[key] ?? (nil, nil)
      threads[key] = (known.thread ?? mention.thread, known.parent ?? mention.inReplyTo)
    }
    var context = PostgresBindings(capacity: 3)
    context.append(order.map(\.platform))
    context.append(order.map(\.externalID))
    context.append(order.map { muted[$0] ?? false })
    let linked = order.filter { threads[$0]?.thread != nil || threads[$0]?.parent != nil }
    var links = PostgresBindings(capacity: 4)
    links.append(linked.map(\.platform))
    links.append(linked.map(\.externalID))
    links.append(linked.map { threads[$0]?.thread ?? "" })
    links.append(linked.map { threads[$0]?.parent ?? "" })
    return (context, links)
  }

  /// Moves a source's cursor when a poll brought nothing to store (a feed's new validators, say).
  public func saveCursor(_ cursor: SourceCursor) throws {
    try write { session in try await Self.saveCursor(session, cursor) }
  }

  static func saveCursor(_ session: ServerSession, _ c: SourceCursor) async throws {
    try await session.execute(
      """
      INSERT INTO sources (name, kind, cursor, etag, last_modified) VALUES ($1, $2, $3::text, $4::text, $5::text)
      ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, cursor = excluded.cursor,
        etag = excluded.etag, last_modified = excluded.last_modified
      """, .of(c.source, c.kind, c.cursor, c.etag, c.lastModified))
  }

  /// One source's state, nil before its first poll.
  public func sourceState(name: String) throws -> SourceState? {
    try read { session in
      try await session.rows(
        "SELECT \(Self.sourceColumns) FROM sources WHERE name = $1", binds: .of(name), as: SourceRow.self
      ).first.map(Self.sourceState)
    }
  }

  /// Every source the store has seen, by name (in the order of its bytes, as SQLite sorts).
  public func sourceStates() throws -> [SourceState] {
    try read { session in
      try await session.rows(
        "SELECT \(Self.sourceColumns) FROM sources ORDER BY name COLLATE \"C\"", as: SourceRow.self
      ).map(Self.sourceState)
    }
  }

  /// Takes the source for one poll, unless another live watcher on this host holds it (or a
  /// watcher elsewhere whose lease has not run out).
  public func claimSource(name: String, kind: String, holder: String, for duration: TimeInterval) throws
    -> Bool
  {
    let now = nowMilliseconds
    let until = now + Int64(duration * 1000)
    return try write { session in
      try await session.execute(
        "INSERT INTO sources (name, kind) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING", .of(name, kind))
      guard
        let (by, leaseUntil) = try await session.rows(
          "SELECT lease_by, lease_until FROM sources WHERE name = $1",
          binds: .of(name),
          as: (String?, Int64?).self
        ).first
      else { return false }
      if let by, by != holder, let leaseUntil, leaseUntil > now, Self.leaseHolderIsAlive(by) {
        return false
      }
      try await session.execute(
        "UPDATE sources SET kind = $2, lease_by = $3, lease_until = $4 WHERE name = $1",
        .of(name, kind, holder, until))
      return true
    }
  }

  /// Whether the process named by a lease (`host:pid`) still runs; one on another host is
  /// assumed alive until its lease runs out (as `SQLiteStore.leaseHolderIsAlive`).
  static func leaseHolderIsAlive(_ holder: String) -> Bool {
    let parts = holder.split(separator: ":")
    guard parts.count == 2, let pid = Int32(parts[1]) else { return true }
    guard String(parts[0]) == hostName else { return true }
    return kill(pid, 0) == 0 || errno == EPERM
  }

  /// This host's name, as leases name it.
  static var hostName: String {
    var buffer = [UInt8](repeating: 0, count: 256)
    gethostname(&buffer, buffer.count - 1)
    return String(decoding: buffer.prefix(while: { $0 != 0 }), as: UTF8.self)
  }

  /// Records how a poll went and when the next one is due, and gives the lease back. A warning is
  /// kept in `last_error` with `failures` at 0, as on SQLite (`sourceState` reads it back).
  public func recordPoll(
    name: String, kind: String, error: String?, warning: String?, newMentions: Int, nextPollAt: Date,
    holder: String
  ) throws {
    let now = nowMilliseconds
    let next = nextPollAt.epochMilliseconds
    _ = holder
    try write { session in
      try await session.execute(
        "INSERT INTO sources (name, kind) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING", .of(name, kind))
      if let error {
        try await session.execute(
          """
          UPDATE sources SET last_poll_at = $1, last_error = $2, failures = failures + 1, next_poll_at = $3,
            last_new = $4, lease_by = NULL, lease_until = NULL
          WHERE name = $5
          """, .of(now, error, next, newMentions, name))
      } else {
        try await session.execute(
          """
          UPDATE sources SET last_poll_at = $1, last_success_at = $1, last_error = $2::text, failures = 0,
            next_poll_at = $3, last_new = $4, lease_by = NULL, lease_until = NULL
          WHERE name = $5
          """, .of(now, warning, next, newMentions, name))
      }
    }
  }

  static let sourceColumns = """
    name, kind, cursor, etag, last_modified, last_poll_at, last_success_at, last_error, failures,
    next_poll_at, last_new
    """

  typealias SourceRow = (
    String, String, String?, String?, String?, Int64?, Int64?, String?, Int, Int64?, Int
  )

  static func sourceState(_ row: SourceRow) -> SourceState {
    func date(_ ms: Int64?) -> Date? { ms.map(Date.init(epochMilliseconds:)) }
    // A message with no failure behind it is a warning (see `recordPoll`).
    let failures = row.8
    return SourceState(
      name: row.0, kind: row.1, cursor: row.2, etag: row.3, lastModified: row.4, lastPollAt: date(row.5),
      lastSuccessAt: date(row.6), lastError: failures > 0 ? row.7 : nil, warning: failures > 0 ? nil : row.7,
      failures: failures, nextPollAt: date(row.9), lastNew: row.10)
  }

  // MARK: Thread context

  /// Remembers that a mention's thread was fetched, with how many posts it had.
  public func recordThreadFetch(mentionID: Int64, posts: Int) throws {
    let now = nowMilliseconds
    try write { session in
      try await session.execute(
        """
        INSERT INTO thread_fetches (mention_id, fetched_at, posts) VALUES ($1, $2, $3)
        ON CONFLICT (mention_id) DO UPDATE SET fetched_at = excluded.fetched_at, posts = excluded.posts
        """, .of(mentionID, now, posts))
    }
  }

  /// Mentions on `platform` in a thread (answering a post, or answered), whose thread was not
  /// fetched since `before`, newest first: the ones whose conversation S8 and S11 need to see.
  public func mentionsNeedingThread(platform: String, before: Date, since: Date, limit: Int) throws
    -> [Mention]
  {
    try read { session in
      try await Self.records(
        session,
        """
        SELECT \(Self.mentionColumns) FROM mentions m JOIN authors a ON a.id = m.author_id
        LEFT JOIN thread_fetches t ON t.mention_id = m.id
        WHERE m.platform = $1 AND NOT m.context_only AND m.created_at >= $2
          AND m.status IN ('open', 'holding')
          AND (m.in_reply_to IS NOT NULL OR m.thread IS NOT NULL)
          AND (t.fetched_at IS NULL OR t.fetched_at < $3)
        ORDER BY m.created_at DESC LIMIT $4
        """, binds: .of(platform, since.epochMilliseconds, before.epochMilliseconds, limit), Self.mention)
    }
  }

  /// Whether a stored post was fetched only as thread context.
  public func isContextOnly(mentionID: Int64) throws -> Bool {
    try read { session in
      try await session.values(
        "SELECT context_only FROM mentions WHERE id = $1", binds: .of(mentionID), as: Bool.self
      ).first ?? false
    }
  }
}

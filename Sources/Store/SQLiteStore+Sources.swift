import Foundation
import GRDB
import Inbox
import Policy

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension SQLiteStore {
  /// Stores a batch and moves the source's cursor past it in one transaction: a watcher killed at
  /// any moment has either stored the page and its cursor, or neither, so a restart repeats
  /// nothing and misses nothing.
  ///
  /// `contextOnly` marks posts fetched only as thread context (S8, S11): they are stored muted,
  /// out of the queue but in the thread. A real mention of a post stored as context brings it
  /// into the queue.
  @discardableResult
  public func ingest(
    _ batch: [IncomingMention], annotations: [MentionAnnotation]?, actor: String, cursor: SourceCursor?,
    contextOnly: Bool = false, rules: Escalation? = nil
  ) throws -> IngestCounts {
    precondition(annotations == nil || annotations!.count == batch.count, "one annotation per mention")
    let now = clock.now().epochMilliseconds
    var stored = annotations
    if contextOnly, let a = annotations {
      stored = a.map {
        var m = $0; m.muted = true; return m
      }
    }
    do {
      return try write(batch, annotations: stored, actor: actor, rules: rules, now: now) { db, inserted in
        if contextOnly {
          if let inserted {
            try db.execute(
              sql: "UPDATE mentions SET context_only = 1 WHERE id BETWEEN ? AND ?",
              arguments: [inserted.lowerBound, inserted.upperBound])
          }
        } else {
          for (index, mention) in batch.enumerated() {
            try db.execute(
              sql: """
                UPDATE mentions SET context_only = 0, muted = ?
                WHERE platform = ? AND external_id = ? AND context_only = 1
                """, arguments: [annotations?[index].muted ?? false, mention.platform, mention.externalID])
          }
        }
        // A thread learnt later (from the conversation's context) links posts stored before.
        for mention in batch where mention.thread != nil || mention.inReplyTo != nil {
          try db.execute(
            sql: """
              UPDATE mentions SET thread = coalesce(thread, ?), in_reply_to = coalesce(in_reply_to, ?)
              WHERE platform = ? AND external_id = ? AND (thread IS NULL OR in_reply_to IS NULL)
              """, arguments: [mention.thread, mention.inReplyTo, mention.platform, mention.externalID])
        }
        if let cursor { try Self.saveCursor(db, cursor) }
      }
    } catch {
      resetCaches()
      throw error
    }
  }

  static func saveCursor(_ db: Database, _ c: SourceCursor) throws {
    try db.execute(
      sql: """
        INSERT INTO sources (name, kind, cursor, etag, last_modified) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, cursor = excluded.cursor,
          etag = excluded.etag, last_modified = excluded.last_modified
        """, arguments: [c.source, c.kind, c.cursor, c.etag, c.lastModified])
  }

  /// Moves a source's cursor when a poll brought nothing to store (a feed's new validators, say).
  public func saveCursor(_ cursor: SourceCursor) throws {
    try pool.write { db in try Self.saveCursor(db, cursor) }
  }

  /// One source's state, nil before its first poll.
  public func sourceState(name: String) throws -> SourceState? {
    try pool.read { db in
      try Row.fetchOne(db, sql: "SELECT \(Self.sourceColumns) FROM sources WHERE name = ?", arguments: [name])
        .map(Self.sourceState)
    }
  }

  /// Every source the store has seen, by name.
  public func sourceStates() throws -> [SourceState] {
    try pool.read { db in
      try Row.fetchAll(db.cachedStatement(sql: "SELECT \(Self.sourceColumns) FROM sources ORDER BY name"))
        .map(
          Self.sourceState)
    }
  }

  /// Takes the source for one poll, unless another live watcher on this host holds it (or a
  /// watcher elsewhere whose lease has not run out). A lease of a process that died is taken over.
  public func claimSource(name: String, kind: String, holder: String, for duration: TimeInterval) throws
    -> Bool
  {
    let now = clock.now().epochMilliseconds
    return try pool.write { db in
      if let row = try Row.fetchOne(
        db, sql: "SELECT lease_by, lease_until FROM sources WHERE name = ?", arguments: [name]),
        let by = row[0] as String?, by != holder, let until = row[1] as Int64?, until > now,
        Self.leaseHolderIsAlive(by)
      {
        return false
      }
      try db.execute(
        sql: """
          INSERT INTO sources (name, kind, lease_by, lease_until) VALUES (?, ?, ?, ?)
          ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, lease_by = excluded.lease_by,
            lease_until = excluded.lease_until
          """, arguments: [name, kind, holder, now + Int64(duration * 1000)])
      return true
    }
  }

  /// Whether the process named by a lease (`host:pid`) still runs; one on another host is
  /// assumed alive until its lease runs out.
  static func leaseHolderIsAlive(_ holder: String) -> Bool {
    let parts = holder.split(separator: ":")
    guard parts.count == 2, let pid = Int32(parts[1]) else { return true }
    guard String(parts[0]) == Self.hostName else { return true }
    return kill(pid, 0) == 0 || errno == EPERM
  }

  /// This host's name, for leases.
  public static var hostName: String { SystemLogin.hostName() }

  /// Records how a poll went and when the next one is due, and gives the lease back.
  ///
  /// `warning` (a poll that went well but refused records) is kept in `last_error` with
  /// `failures` at 0, where a failure always counts at least one: so it needs no column of its
  /// own, and `sourceState` reads it back as `warning`, never as an error.
  public func recordPoll(
    name: String, kind: String, error: String?, warning: String? = nil, newMentions: Int, nextPollAt: Date,
    holder: String
  ) throws {
    let now = clock.now().epochMilliseconds
    try pool.write { db in
      try db.execute(
        sql: """
          INSERT INTO sources (name, kind) VALUES (?, ?) ON CONFLICT (name) DO NOTHING
          """, arguments: [name, kind])
      if let error {
        try db.execute(
          sql: """
            UPDATE sources SET last_poll_at = ?, last_error = ?, failures = failures + 1, next_poll_at = ?,
              last_new = ?, lease_by = NULL, lease_until = NULL
            WHERE name = ?
            """, arguments: [now, error, nextPollAt.epochMilliseconds, newMentions, name])
      } else {
        try db.execute(
          sql: """
            UPDATE sources SET last_poll_at = ?, last_success_at = ?, last_error = ?, failures = 0,
              next_poll_at = ?, last_new = ?, lease_by = NULL, lease_until = NULL
            WHERE name = ?
            """, arguments: [now, now, warning, nextPollAt.epochMilliseconds, newMentions, name])
      }
      _ = holder
    }
  }

  static let sourceColumns = """
    name, kind, cursor, etag, last_modified, last_poll_at, last_success_at, last_error, failures,
    next_poll_at, last_new
    """

  static func sourceState(_ row: Row) -> SourceState {
    func date(_ i: Int) -> Date? { (row[i] as Int64?).map(Date.init(epochMilliseconds:)) }
    // A message with no failure behind it is a warning (see `recordPoll`).
    let failures: Int = row[8]
    let message: String? = row[7]
    return SourceState(
      name: row[0], kind: row[1], cursor: row[2], etag: row[3], lastModified: row[4], lastPollAt: date(5),
      lastSuccessAt: date(6), lastError: failures > 0 ? message : nil, warning: failures > 0 ? nil : message,
      failures: failures, nextPollAt: date(9), lastNew: row[10])
  }

  /// How many replies delivery gave up on, for the inbox's status line.
  public func failedReplyCount() throws -> Int {
    try pool.read {
      try Int.fetchOne($0.cachedStatement(sql: "SELECT count(*) FROM outbox WHERE status = 'failed'")) ?? 0
    }
  }

  // MARK: Thread context

  /// Mentions on `platform` in a thread (answering a post, or answered: the context fetch links
  /// both), whose thread was not fetched
  /// since `before`, newest first: the ones whose conversation S8 and S11 need to see.
  public func mentionsNeedingThread(platform: String, before: Date, since: Date, limit: Int) throws
    -> [Mention]
  {
    try pool.read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT \(Self.mentionColumns) FROM mentions m JOIN authors a ON a.id = m.author_id
          LEFT JOIN thread_fetches t ON t.mention_id = m.id
          WHERE m.platform = ? AND m.context_only = 0 AND m.created_at >= ?
            AND m.status IN ('open', 'holding')
            AND (m.in_reply_to IS NOT NULL OR m.thread IS NOT NULL)
            AND (t.fetched_at IS NULL OR t.fetched_at < ?)
          ORDER BY m.created_at DESC LIMIT ?
          """, arguments: [platform, since.epochMilliseconds, before.epochMilliseconds, limit]
      ).map(Self.mention)
    }
  }

  /// Remembers that a mention's thread was fetched, with how many posts it had.
  public func recordThreadFetch(mentionID: Int64, posts: Int) throws {
    let now = clock.now().epochMilliseconds
    try pool.write { db in
      try db.execute(
        sql: """
          INSERT INTO thread_fetches (mention_id, fetched_at, posts) VALUES (?, ?, ?)
          ON CONFLICT (mention_id) DO UPDATE SET fetched_at = excluded.fetched_at, posts = excluded.posts
          """, arguments: [mentionID, now, posts])
    }
  }

  /// Whether a stored post was fetched only as thread context.
  public func isContextOnly(mentionID: Int64) throws -> Bool {
    try pool.read { db in
      try Bool.fetchOne(db, sql: "SELECT context_only FROM mentions WHERE id = ?", arguments: [mentionID])
        ?? false
    }
  }
}

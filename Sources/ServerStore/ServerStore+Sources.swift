import Foundation
import Inbox
import PostgresNIO

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Live sources' state on the server, as `SQLiteStore+Sources` keeps it: a row of `sources` per
/// source with its cursor, its health and its lease.
///
/// Several `repute watch` on several machines poll each source once: `claimSource` reads the
/// source's row `FOR UPDATE SKIP LOCKED` in a transaction, so of two watchers claiming at once one
/// takes the lease and the other is told no at once (the row is locked: someone is taking or
/// giving it back right now), never both. A lease runs out by the store's clock; one held by a
/// process on this host that died is taken over, as on SQLite.
extension ServerStore {
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

  /// Takes the source for one poll, unless another watcher holds it: a live one on this host, one
  /// elsewhere whose lease has not run out, or one taking or giving it back at this moment.
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
          "SELECT lease_by, lease_until FROM sources WHERE name = $1 FOR UPDATE SKIP LOCKED",
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

  /// Whether a stored post was fetched only as thread context.
  public func isContextOnly(mentionID: Int64) throws -> Bool {
    try read { session in
      try await session.values(
        "SELECT context_only FROM mentions WHERE id = $1", binds: .of(mentionID), as: Bool.self
      ).first ?? false
    }
  }
}

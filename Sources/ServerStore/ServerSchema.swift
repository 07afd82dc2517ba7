import Inbox
import PostgresNIO

/// The store's versioned schema on the server, in its own schema (default `repute`).
///
/// Migrations only ever append: a released one never changes. Each is a number and a list of
/// statements run in one transaction with the number recorded in `schema_migrations`; PostgreSQL's
/// DDL is transactional, so a migration lands whole or not at all. An advisory lock lets two
/// `repute init` at once take turns.
enum ServerSchema {
  struct Migration: Sendable {
    let version: Int
    let name: String
    let statements: [String]
  }

  /// Every migration this build knows, oldest first.
  static let migrations: [Migration] = [
    Migration(version: 1, name: "the SQLite store's v28 schema", statements: version1),
    Migration(version: 2, name: "the change counter", statements: version2),
    Migration(version: 3, name: "the queue's search document and window indexes", statements: version3),
    Migration(
      version: 4, name: "erasure: the event log's redaction, the tombstone salt", statements: version4),
    Migration(version: 5, name: "the live change signal", statements: version5),
    Migration(version: 6, name: "a person found by handle", statements: version6),
    Migration(version: 7, name: "the change feed", statements: version7),
    Migration(version: 8, name: "the team's figures kept at write time", statements: version8),
    Migration(version: 9, name: "the queue's running totals", statements: version9),
    Migration(
      version: 11, name: "the search documents and the escalated flag for less work", statements: version11),
    Migration(
      version: 13, name: "rights held by the server: the team's groups and grants", statements: version13),
    Migration(
      version: 14, name: "the names that sign a row, and four eyes, held by the server", statements: version14
    ),
    Migration(
      version: 15, name: "the escalated flag from a mention's own escalations", statements: version15),
    Migration(version: 16, name: "forgotten posts found without sorting the batch", statements: version16),
  ]

  /// The newest version this build knows. The highest, not the last: migrations written on
  /// parallel branches (issue 18 numbers them up front) may be listed out of order after a merge.
  static var known: Int { migrations.map(\.version).max() ?? 0 }

  /// The advisory lock key that serialises migrations (any constant; "repute" in ASCII).
  static let lockKey: Int64 = 0x7265_7075_7465

  /// What `migrate` did.
  struct Outcome: Sendable, Equatable {
    let before: Int
    let after: Int
  }

  /// Brings the schema to `known`: creates the schema and the migrations table when missing and runs
  /// each migration not yet recorded. A schema newer than this build is refused, untouched.
  static func migrate(_ session: ServerSession, schema: String, address: String) async throws -> Outcome {
    try await session.transaction { session in
      try await session.execute("SELECT pg_advisory_xact_lock(\(lockKey))")
      try await session.execute("CREATE SCHEMA IF NOT EXISTS \(schema)")
      try await session.execute("SET LOCAL search_path TO \(schema)")
      try await session.execute(
        """
        CREATE TABLE IF NOT EXISTS schema_migrations (
          version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())
        """)
      let before = try await currentVersion(session)
      try refuseNewer(before, address: address)
      // Each one not recorded, lowest first: a store made from a branch with a later number may
      // lack an earlier one written beside it (issue 18 numbered them up front).
      let recorded = Set(
        try await session.values("SELECT version::bigint FROM schema_migrations", as: Int.self))
      var ran = false
      for migration in migrations.sorted(by: { $0.version < $1.version })
      where !recorded.contains(migration.version) {
        ran = true
        for statement in migration.statements { try await session.execute(statement) }
        var binds = PostgresBindings()
        binds.append(migration.version)
        binds.append(migration.name)
        _ = try await session.values(
          "INSERT INTO schema_migrations (version, name) VALUES ($1, $2) RETURNING version", binds: binds,
          as: Int.self)
      }
      // The team's groups get what their role needs of the tables a later migration made too.
      if ran,
        try await session.values("SELECT to_regprocedure('team_grants()') IS NOT NULL", as: Bool.self)
          .first == true
      {
        try await session.execute("SELECT team_grants()")
      }
      return Outcome(before: before, after: max(before, known))
    }
  }

  /// The recorded version (0 for a schema without migrations), or nil when the store's schema
  /// or its migrations table does not exist.
  static func recordedVersion(_ session: ServerSession, schema: String) async throws -> Int? {
    var binds = PostgresBindings()
    binds.append(schema + ".schema_migrations")
    let exists = try await session.values("SELECT to_regclass($1) IS NOT NULL", binds: binds, as: Bool.self)
    guard exists.first == true else { return nil }
    return try await currentVersion(session, table: schema + ".schema_migrations")
  }

  private static func currentVersion(_ session: ServerSession, table: String = "schema_migrations")
    async throws -> Int
  {
    try await session.values("SELECT coalesce(max(version), 0)::bigint FROM \(table)", as: Int.self).first
      ?? 0
  }

  /// Refuses a schema newer than this build: its tables may hold what this build cannot keep.
  static func refuseNewer(_ version: Int, address: String) throws {
    guard version > known else { return }
    throw InboxError.storeUnavailable(
      "the store at \(address) has schema version \(version), newer than this repute knows (\(known)): "
        + "update repute before using it")
  }
}

import Inbox
import PostgresNIO

/// The team's store on PostgreSQL. For now: creating and migrating its schema (`initialize`) and
/// saying how it is (`status`); the store protocols come on top of the same bridge.
///
/// Synchronous like `SQLiteStore`: each call blocks its thread until the server answered (see
/// `ServerBridge`), so it must not be called on the inbox's drawing thread.
public final class ServerStore: Sendable {
  public let address: ServerAddress
  /// The store's clock, as on `SQLiteStore`: every time the store records (an event, a claim, a
  /// draft) comes from it, never from the server's `now()`, so `REPUTE_NOW` pins both stores alike.
  public let clock: ReputeClock
  let bridge: ServerBridge
  /// The login role, once asked (`actingLogin`): it never changes for an address.
  let role = Locked<String?>(nil)
  /// The authors this process's ingest stored or looked up, for its next batch
  /// (`IngestAuthorMemory`).
  let ingestAuthors = Locked(IngestAuthorMemory())
  /// The tombstones' salt the last ingest batch found, for preparing the next (`prepareIngest`).
  let ingestSalt = Locked<String?>(nil)

  /// Prepares the connection (TLS set up from `sslmode`); nothing is sent until the first call.
  public init(address: ServerAddress, clock: ReputeClock = .system) throws {
    self.address = address
    self.clock = clock
    self.bridge = try ServerBridge(address: address)
  }

  /// Closes the connection. The store is unusable after this.
  public func close() {
    bridge.close()
  }

  /// The newest schema version this build knows.
  public static var knownSchemaVersion: Int { ServerSchema.known }

  /// What `initialize` found and did.
  public struct Initialized: Sendable, Equatable {
    /// The schema version before (0: no store there yet) and after.
    public let before: Int
    public let after: Int
  }

  /// Creates the store's schema and tables, or brings them up to date; harmless on an up-to-date
  /// store. Refuses a store whose schema is newer than this build knows.
  public func initialize() throws -> Initialized {
    let schema = address.schema
    let name = address.description
    let outcome = try bridge.run(timeout: 120) { session in
      try await ServerSchema.migrate(session, schema: schema, address: name)
    }
    // A store from before the server held the rights (13) or the approval rules (14): its roster
    // and rules in force, written and granted.
    if outcome.before > 0, outcome.before < 14 { try syncTeam() }
    // A copy of another database (`CREATE DATABASE … TEMPLATE`): groups of its own.
    if outcome.before >= 13 { try rehomeTeam() }
    return Initialized(before: outcome.before, after: outcome.after)
  }

  /// How the server and the store are, as `repute check` reports them.
  public struct Status: Sendable, Equatable {
    /// The server's version (`server_version`), e.g. "15.18 (Debian 15.18-0+deb12u1)".
    public let serverVersion: String
    /// Who the server says we are (`session_user`).
    public let role: String
    public let database: String
    /// The store's schema version; nil when `repute init` has not made the store there yet.
    public let schemaVersion: Int?
    /// Whether the connection is encrypted.
    public let tls: Bool
  }

  /// Connects and reads the server's version, who we are and the store's schema version. A schema
  /// newer than this build is refused (as every command will refuse it).
  public func status() throws -> Status {
    let schema = address.schema
    let status = try bridge.run(timeout: 30) { session in
      let about = try await session.rows(
        """
        SELECT current_setting('server_version'), session_user::text, current_database()::text,
          coalesce((SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()), false)
        """, as: (String, String, String, Bool).self)
      let version = try await ServerSchema.recordedVersion(session, schema: schema)
      let (server, role, database, tls) = about[0]
      return Status(serverVersion: server, role: role, database: database, schemaVersion: version, tls: tls)
    }
    if let version = status.schemaVersion {
      try ServerSchema.refuseNewer(version, address: address.description)
    }
    return status
  }
}

import Foundation
import Inbox
import ServerStore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The PostgreSQL server the suites that run on both stores test the server on (issue 18), shared
/// by the command, live, conformance and tmux suites (`CLIStores`, `LiveStores`, `TestStores`,
/// `E2EStores`): its URL from `$REPUTE_TEST_PG_URL` (`scripts/pg-throwaway.sh`, which `.ci/run`
/// starts), the rule that CI never passes by leaving the server's cases out, and what a test makes
/// there: a database or a schema of its own, the people's login roles. A plain target: the store
/// kinds (`CustomTestStringConvertible`) and the skips stay in the test targets, with `Testing`.
package enum TestPostgres {
  /// The server's URL (its superuser, on the socket the cluster trusts), when there is one.
  package static let url: String? = {
    let url = ProcessInfo.processInfo.environment["REPUTE_TEST_PG_URL"] ?? ""
    return url.isEmpty ? nil : url
  }()

  /// Whether this is CI (`CI` set, and not to "false").
  package static let inCI: Bool = {
    let ci = ProcessInfo.processInfo.environment["CI"] ?? ""
    return !ci.isEmpty && ci != "false"
  }()

  /// Whether this run covers the server's cases: with a server, and always in CI, where a missing
  /// one fails them.
  package static let covered: Bool = url != nil || inCI

  /// What to do without a server, said for `suites` ("the command tests").
  package static func howTo(for suites: String) -> String {
    "no PostgreSQL server for \(suites): run `scripts/pg-throwaway.sh start` and set "
      + "REPUTE_TEST_PG_URL=\"$(scripts/pg-throwaway.sh url)\" (see CONTRIBUTING.md)"
  }

  package static func address(_ url: String) throws -> ServerAddress {
    try ServerAddress.resolve(url: url, environment: [:], login: SystemLogin.current()) { _ in .missing }
  }

  /// `url` with another database (libpq's query parameters override the path).
  package static func url(_ base: String, database: String) -> String {
    base + (base.contains("?") ? "&" : "?") + "dbname=" + database
  }

  /// `url` with the store in another schema.
  package static func url(_ base: String, schema: String) -> String {
    base + (base.contains("?") ? "&" : "?") + "schema=" + schema
  }

  private static let counter = Locked(0)

  /// The login role of a person on the suites' rosters: the first word of the name, lower case
  /// (Anna: anna, Carmen de Wit: carmen), as the demo's roster has them.
  package static func login(of name: String) -> String {
    String(name.split(separator: " ").first ?? "").lowercased()
  }

  /// A store's `address` as `name` reaches it: a file as it is, a server's URL with the person's
  /// login role as its user.
  package static func address(_ address: String, as name: String?) -> String {
    guard let name, address.contains("://"), let at = address.firstIndex(of: "@"),
      let scheme = address.range(of: "://")
    else { return address }
    return String(address[..<scheme.upperBound]) + login(of: name) + String(address[at...])
  }

  /// A name no other test of this run or of another process has made: `PREFIX_PID_N`.
  package static func uniqueName(_ prefix: String) -> String {
    let n = counter.withLock { count in
      count += 1
      return count
    }
    return "\(prefix)_\(getpid())_\(n)"
  }

  /// Runs `body` on a connection to the server at `url` as its superuser.
  package static func superuser(
    _ url: String, _ body: @escaping @Sendable (ServerSession) async throws -> Void
  ) throws {
    let bridge = try ServerBridge(address: address(url))
    defer { bridge.close() }
    try bridge.run { try await body($0) }
  }

  /// Makes the login roles `logins` where they are missing, as members of `group` (a role without
  /// login, made too) when one is given. Roles are the cluster's and own nothing: they are kept,
  /// and the next run, or another suite, finds them there.
  package static func makeRoles(_ logins: [String], group: String? = nil, on url: String) throws {
    let roles =
      (group.map { [($0, "NOLOGIN")] } ?? [])
      + logins.map { ($0, group.map { "LOGIN IN ROLE \($0)" } ?? "LOGIN") }
    let creates = roles.map { role, what in
      "IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '\(role)') THEN CREATE ROLE \(role) \(what); END IF;"
    }
    try superuser(url) {
      try await $0.execute(
        """
        DO $$ BEGIN \(creates.joined(separator: " "))
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$
        """)
    }
  }

  /// Drops a test's database (with whatever still connects to it) and its store's group roles
  /// (migration 13 names them for the database and schema: nothing else holds them).
  package static func dropDatabase(_ database: String, on url: String) {
    try? superuser(url) { try await $0.execute("DROP DATABASE IF EXISTS \(database) WITH (FORCE)") }
    try? superuser(url) {
      try await $0.execute("DROP ROLE IF EXISTS \(database)_repute_responder, \(database)_repute_supervisor")
    }
  }

  /// A new, initialised store in a schema of its own on the server at `url`, and what drops it:
  /// the schema with everything in it and the store's group roles (migration 13), which are the
  /// cluster's.
  package static func schemaStore(_ schema: String, on url: String, clock: ReputeClock) throws -> (
    store: ServerStore, drop: @Sendable () -> Void
  ) {
    let server = try ServerStore(address: address(self.url(url, schema: schema)), clock: clock)
    _ = try server.initialize()
    return (
      server,
      {
        server.close()
        guard let admin = try? ServerBridge(address: address(url)) else { return }
        _ = try? admin.run { session in
          let groups =
            (try? await session.values("SELECT name FROM \(schema).team_groups", as: String.self)) ?? []
          try await session.execute("DROP SCHEMA IF EXISTS \(schema) CASCADE")
          for group in groups { try await session.execute("DROP ROLE IF EXISTS \"\(group)\"") }
        }
        admin.close()
      }
    )
  }
}

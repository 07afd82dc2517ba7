import Foundation
import Inbox
import Store
import Testing

@testable import ServerStore

/// The stores the sources and the courier are tested on (issue 18: several `repute watch` on a
/// team's server poll and deliver as on a file): a store file, and a schema of its own on the
/// PostgreSQL server named by `$REPUTE_TEST_PG_URL` (`scripts/pg-throwaway.sh`, which `.ci/run`
/// starts). Without a server the server's cases are left out; with `CI` set and none, they run and
/// fail: CI never passes by leaving them out.
enum LiveStoreKind: String, Sendable, CaseIterable, CustomTestStringConvertible {
  case sqlite
  case postgres

  var testDescription: String { self == .sqlite ? "SQLite" : "PostgreSQL" }
}

enum LiveStores {
  static let serverURL: String? = {
    let url = ProcessInfo.processInfo.environment["REPUTE_TEST_PG_URL"] ?? ""
    return url.isEmpty ? nil : url
  }()

  static let inCI: Bool = {
    let ci = ProcessInfo.processInfo.environment["CI"] ?? ""
    return !ci.isEmpty && ci != "false"
  }()

  /// Both stores where there is a server (always in CI, where a missing one fails the cases).
  static let kinds: [LiveStoreKind] = serverURL != nil || inCI ? [.sqlite, .postgres] : [.sqlite]

  static let counter = Locked(0)

  struct NoServer: Error, CustomStringConvertible {
    var description: String {
      "CI is set and there is no PostgreSQL server for the live tests: run `scripts/pg-throwaway.sh start` "
        + "and set REPUTE_TEST_PG_URL=\"$(scripts/pg-throwaway.sh url)\" (see CONTRIBUTING.md)"
    }
  }

  /// A new store of `kind` for one test at `clock`: `s.sqlite` in `dir`, or a schema of its own
  /// (`live_PID_N`) on the test server, dropped with its group roles when `dir` goes.
  static func make(_ kind: LiveStoreKind, _ dir: TempDir, clock: ReputeClock = .fixed(testNow)) throws
    -> any ReputeStore
  {
    guard kind == .postgres else { return try SQLiteStore(path: dir.path + "/s.sqlite", clock: clock) }
    guard let url = serverURL else { throw NoServer() }
    let n = counter.withLock { count in
      count += 1
      return count
    }
    let schema = "live_\(getpid())_\(n)"
    let server = try ServerStore(
      address: address(url + (url.contains("?") ? "&" : "?") + "schema=" + schema), clock: clock)
    _ = try server.initialize()
    dir.onRemove.append {
      server.close()
      guard let admin = try? ServerBridge(address: address(url)) else { return }
      _ = try? admin.run { session in
        // The store's group roles (migration 13) are the cluster's: they go with the schema.
        let groups =
          (try? await session.values("SELECT name FROM \(schema).team_groups", as: String.self)) ?? []
        try await session.execute("DROP SCHEMA IF EXISTS \(schema) CASCADE")
        for group in groups { try await session.execute("DROP ROLE IF EXISTS \"\(group)\"") }
      }
      admin.close()
    }
    return server
  }

  /// The host part of a delivery lease's holder as the store of `kind` reads it (`host:pid`).
  static func hostName(_ kind: LiveStoreKind) -> String {
    kind == .sqlite ? SQLiteStore.hostName : ServerStore.hostName
  }

  static func address(_ url: String) throws -> ServerAddress {
    try ServerAddress.resolve(url: url, environment: [:], login: SystemLogin.current()) { _ in .missing }
  }
}

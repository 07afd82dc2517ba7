import Foundation
import Inbox
import Store
import TestServerSupport
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
  /// Both stores where there is a server (always in CI, where a missing one fails the cases).
  static let kinds: [LiveStoreKind] = TestPostgres.covered ? [.sqlite, .postgres] : [.sqlite]

  struct NoServer: Error, CustomStringConvertible {
    var description: String {
      "CI is set and there is " + TestPostgres.howTo(for: "the live tests")
    }
  }

  /// A new store of `kind` for one test at `clock`: `s.sqlite` in `dir`, or a schema of its own
  /// (`live_PID_N`) on the test server, dropped with its group roles when `dir` goes.
  static func make(_ kind: LiveStoreKind, _ dir: TempDir, clock: ReputeClock = .fixed(testNow)) throws
    -> any ReputeStore
  {
    guard kind == .postgres else { return try SQLiteStore(path: dir.path + "/s.sqlite", clock: clock) }
    guard let url = TestPostgres.url else { throw NoServer() }
    let (server, drop) = try TestPostgres.schemaStore(TestPostgres.uniqueName("live"), on: url, clock: clock)
    dir.onRemove.append(drop)
    return server
  }

  /// The host part of a delivery lease's holder as the store of `kind` reads it (`host:pid`).
  static func hostName(_ kind: LiveStoreKind) -> String {
    kind == .sqlite ? SQLiteStore.hostName : ServerStore.hostName
  }
}

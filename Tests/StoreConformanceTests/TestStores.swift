import Foundation
import Inbox
import ServerStore
import Store
import TestServerSupport
import Testing

/// The one conformance suite of issue 18: every test of a store protocol takes a `StoreKind` and
/// runs on both stores. A test opens a fresh, empty store of its kind with `TestStore`, asks it for
/// the protocols it needs (`store.as((any QueueStore & ActionStore).self)`), and checks what the
/// protocol promises, never how one store keeps it (that stays in `StoreTests` and
/// `ServerStoreTests`).
///
/// PostgreSQL is covered when `$REPUTE_TEST_PG_URL` names a server (`.ci/run` sets it from
/// `scripts/pg-throwaway.sh`). Without one, the PostgreSQL cases are left out and one test says so
/// as skipped; with `CI` set and no server, the PostgreSQL cases run and fail: CI never passes by
/// leaving them out.
enum StoreKind: String, Sendable, CaseIterable, CustomTestStringConvertible {
  case sqlite
  case postgres

  var testDescription: String { self == .sqlite ? "SQLite" : "PostgreSQL" }
}

enum TestStores {
  static let howTo = TestPostgres.howTo(for: "the conformance suite")

  /// The test server's URL, when there is one.
  static var serverURL: String? { TestPostgres.url }

  /// The stores this run covers.
  static let kinds: [StoreKind] = TestPostgres.covered ? [.sqlite, .postgres] : [.sqlite]

  /// The moment the suite's stores are pinned at (Sunday 23 November 2026, 10:30 UTC).
  static let now = Date(timeIntervalSince1970: 1_795_512_600)
  static let clock = ReputeClock.fixed(now)

  static let counter = Locked(0)
  static func next() -> Int {
    counter.withLock { count in
      count += 1
      return count
    }
  }
}

struct NoTestServer: Error, CustomStringConvertible {
  var description: String { "CI is set and \(TestStores.howTo)" }
}

/// One fresh, empty store of a kind, removed when the value is released: a SQLite file in a
/// temporary folder, or a schema of its own (`conformance_PID_N`) in the test server's database.
final class TestStore: @unchecked Sendable {
  let kind: StoreKind
  /// The store itself: a `SQLiteStore` or a `ServerStore`.
  let store: AnyObject
  /// Where it is: the file's path, or the schema's name.
  let location: String
  private let cleanup: () -> Void

  init(_ kind: StoreKind, clock: ReputeClock = TestStores.clock) throws {
    self.kind = kind
    let n = TestStores.next()
    switch kind {
    case .sqlite:
      let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
        "repute-conformance-\(getpid())-\(n)")
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      location = folder.appendingPathComponent("repute.sqlite").path
      store = try SQLiteStore(path: location, clock: clock)
      cleanup = { try? FileManager.default.removeItem(at: folder) }
    case .postgres:
      guard let url = TestStores.serverURL else { throw NoTestServer() }
      let schema = "conformance_\(getpid())_\(n)"
      location = schema
      let made = try TestPostgres.schemaStore(schema, on: url, clock: clock)
      store = made.store
      cleanup = made.drop
    }
  }

  deinit { cleanup() }

  /// The store as the protocols a test needs, e.g. `try store.as((any QueueStore & ActionStore).self)`.
  /// A store that does not have them yet fails the test with their names.
  func `as`<P>(_ type: P.Type = P.self, sourceLocation: SourceLocation = #_sourceLocation) throws -> P {
    guard let typed = store as? P else {
      Issue.record(
        "the \(kind.testDescription) store does not conform to \(type)", sourceLocation: sourceLocation)
      throw StoreMissing()
    }
    return typed
  }

  struct StoreMissing: Error {}
}

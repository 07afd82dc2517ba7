import Foundation
import Inbox
import Policy
import PostgresNIO
import XCTest

@testable import ServerStore

/// The PostgreSQL server the suites run against: `$REPUTE_TEST_PG_URL`, which `.ci/run` sets from
/// `scripts/pg-throwaway.sh`. Without one the suites skip, saying how to run them; with `CI` set
/// and none, they fail: CI must never pass by skipping them.
enum TestServer {
  static let howTo =
    "no PostgreSQL server for the tests: run `scripts/pg-throwaway.sh start` and set "
    + "REPUTE_TEST_PG_URL=\"$(scripts/pg-throwaway.sh url)\" (see CONTRIBUTING.md)"

  struct Missing: Error, CustomStringConvertible {
    var description: String { "CI is set and \(TestServer.howTo)" }
  }

  static func url(file: StaticString = #filePath, line: UInt = #line) throws -> String {
    let environment = ProcessInfo.processInfo.environment
    if let url = environment["REPUTE_TEST_PG_URL"], !url.isEmpty { return url }
    if let ci = environment["CI"], !ci.isEmpty, ci != "false" {
      XCTFail(Missing().description, file: file, line: line)
      throw Missing()
    }
    throw XCTSkip(howTo)
  }

  static func address(_ url: String, environment: [String: String] = [:]) throws -> ServerAddress {
    try ServerAddress.resolve(url: url, environment: environment, login: SystemLogin.current()) { _ in
      .missing
    }
  }

  /// `url` with another database (libpq's query parameters override the path).
  static func url(_ base: String, database: String) -> String {
    base + (base.contains("?") ? "&" : "?") + "dbname=" + database
  }
}

/// A fresh database on the test server for one test, dropped (with whatever connects to it) after.
final class TestDatabase {
  private static let counter = Locked(0)
  let name: String
  /// The server's URL as the tests got it (the superuser on the socket).
  let serverURL: String
  /// The URL of this database.
  let url: String
  let admin: ServerBridge

  init(file: StaticString = #filePath, line: UInt = #line) throws {
    serverURL = try TestServer.url(file: file, line: line)
    let n = Self.counter.withLock { count in
      count += 1
      return count
    }
    name = "repute_test_\(getpid())_\(n)"
    admin = try ServerBridge(address: TestServer.address(serverURL))
    let name = name
    try admin.run { try await $0.execute("CREATE DATABASE \(name)") }
    url = TestServer.url(serverURL, database: name)
  }

  /// Runs SQL as the superuser in this database.
  func execute(_ statements: String...) throws {
    let bridge = try ServerBridge(address: TestServer.address(url))
    defer { bridge.close() }
    try bridge.run { session in
      for statement in statements { try await session.execute(statement) }
    }
  }

  /// The names of the tables in `schema`.
  func tables(in schema: String) throws -> Set<String> {
    let bridge = try ServerBridge(address: TestServer.address(url))
    defer { bridge.close() }
    return Set(
      try bridge.run { session in
        try await session.values(
          "SELECT table_name::text FROM information_schema.tables WHERE table_schema = '\(schema)'",
          as: String.self)
      })
  }

  func drop() {
    let name = name
    _ = try? admin.run { try await $0.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
    // The store's group roles (migration 13, named for the database): the cluster's, not the database's.
    _ = try? admin.run {
      try await $0.execute("DROP ROLE IF EXISTS \(name)_repute_responder, \(name)_repute_supervisor")
    }
    admin.close()
  }
}

/// A test case with a fresh database of its own on the test server (`database`, dropped after each
/// test) and the moment the server suites pin (`now`).
class ServerDatabaseTestCase: XCTestCase {
  var database: TestDatabase!
  let now = Date(timeIntervalSince1970: 1_795_512_600)

  override func setUpWithError() throws {
    database = try TestDatabase()
  }

  override func tearDown() {
    database?.drop()
  }

  /// Puts the shipped policy in force on `store`, as `repute init` on a file does (on a server
  /// `init` puts none in force).
  func putDefaultPolicyInForce(_ store: ServerStore) throws {
    var binds = PostgresBindings()
    binds.append(PolicyFile.render(.default))
    let bound = binds
    try store.bridge.run { session in
      try await session.ingestStatement(
        "INSERT INTO policies (version, source, applied_at, applied_by) VALUES (1, $1, 0, 'test')",
        binds: bound)
    }
  }
}

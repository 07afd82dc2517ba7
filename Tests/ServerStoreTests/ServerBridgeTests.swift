import Foundation
import Inbox
import XCTest

@testable import ServerStore

/// The bridge from PostgresNIO's async API to the store's synchronous callers: errors in the
/// store's words, a time limit, a new connection after a lost one, and no password in any error.
final class ServerBridgeTests: XCTestCase {
  /// Runs without a server: nothing listens on port 1.
  func testAnUnreachableServerIsOneClearSentence() throws {
    let address = try TestServer.address(
      "postgres://anna@127.0.0.1:1/team?sslmode=disable&connect_timeout=5",
      environment: ["PGPASSWORD": "pw-unseen-1"])
    let bridge = try ServerBridge(address: address)
    defer { bridge.close() }
    XCTAssertThrowsError(try bridge.run { try await $0.execute("SELECT 1") }) { error in
      guard case .storeUnavailable(let message) = error as? InboxError else {
        return XCTFail("not storeUnavailable: \(error)")
      }
      XCTAssertTrue(
        message.hasPrefix("cannot reach the PostgreSQL server at postgres://anna@127.0.0.1:1/team"), message)
      XCTAssertFalse(message.contains("pw-unseen-1"))
    }
  }

  func testATimeLimitThenANewConnection() throws {
    let database = try TestDatabase()
    defer { database.drop() }
    let bridge = try ServerBridge(address: TestServer.address(database.url))
    defer { bridge.close() }
    XCTAssertEqual(try bridge.run { try await $0.values("SELECT 41 + 1", as: Int.self) }, [42])
    let started = Date()
    XCTAssertThrowsError(try bridge.run(timeout: 0.5) { try await $0.execute("SELECT pg_sleep(10)") }) {
      error in
      XCTAssertTrue("\(error)".contains("did not answer within 0.5 s"), "\(error)")
    }
    XCTAssertLessThan(Date().timeIntervalSince(started), 5)
    XCTAssertEqual(try bridge.run { try await $0.values("SELECT 7", as: Int.self) }, [7])
  }

  func testAStatementsErrorKeepsItsCodeAndTheConnection() throws {
    let database = try TestDatabase()
    defer { database.drop() }
    let bridge = try ServerBridge(address: TestServer.address(database.url))
    defer { bridge.close() }
    XCTAssertThrowsError(try bridge.run { try await $0.execute("SELECT * FROM no_such_table") }) { error in
      XCTAssertEqual((error as? ServerStoreError)?.sqlState, "42P01")
    }
    XCTAssertEqual(try bridge.run { try await $0.values("SELECT 1", as: Int.self) }, [1])
  }

  /// Over TCP with scram-sha-256: the right password logs in, a wrong one is refused, and neither
  /// appears in any error or description.
  func testPasswordsLogInAndNeverShow() throws {
    let database = try TestDatabase()
    defer { database.drop() }
    let role = "repute_pw_\(getpid())"
    try database.execute("CREATE ROLE \(role) LOGIN PASSWORD 'right-horse-7731'")
    defer { try? database.execute("DROP ROLE IF EXISTS \(role)") }
    let port = try TestServer.address(database.url).port
    let url = "postgres://\(role)@127.0.0.1:\(port)/\(database.name)?sslmode=disable"

    let right = try ServerStore(
      address: TestServer.address(url, environment: ["PGPASSWORD": "right-horse-7731"]))
    defer { right.close() }
    XCTAssertEqual(try right.status().role, role)
    XCTAssertFalse("\(right.address) \(String(reflecting: right.address))".contains("right-horse"))

    let wrong = try ServerStore(
      address: TestServer.address(url, environment: ["PGPASSWORD": "wrong-donkey-9"]))
    defer { wrong.close() }
    XCTAssertThrowsError(try wrong.status()) { error in
      guard case .permissionDenied(let message) = error as? InboxError else {
        return XCTFail("not permissionDenied: \(error)")
      }
      XCTAssertTrue(message.contains("refused the login"), message)
      XCTAssertFalse(message.contains("wrong-donkey") || message.contains("right-horse"), message)
    }

    let none = try ServerStore(address: TestServer.address(url))
    defer { none.close() }
    XCTAssertThrowsError(try none.status()) { error in
      XCTAssertTrue("\(error)".contains("none was found"), "\(error)")
    }
  }
}

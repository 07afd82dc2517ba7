import Foundation
import Inbox
import XCTest

@testable import ServerStore

/// The bridge when the server goes away (issue 19): a lost server is an outage; until its probe
/// reaches the server again every call fails at once with "reconnecting…", then the next call
/// connects as usual; with a limit on every wait (the inbox's), a silent server counts as lost.
final class ServerOutageTests: XCTestCase {
  /// Waits up to `seconds` until `condition` holds.
  func eventually(_ seconds: Double, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while !condition() {
      if Date() >= deadline { return false }
      usleep(20_000)
    }
    return true
  }

  func testAnUnreachableServerFailsOnceThenAtOnceWhileReconnecting() throws {
    let address = try TestServer.address("postgres://anna@127.0.0.1:1/team?sslmode=disable&connect_timeout=5")
    let store = try ServerStore(address: address)
    defer { store.close() }
    XCTAssertFalse(store.isReconnecting)
    XCTAssertThrowsError(try store.changeToken()) { error in
      XCTAssertTrue("\(error)".hasPrefix("cannot reach the PostgreSQL server"), "\(error)")
    }
    XCTAssertTrue(store.isReconnecting)
    let started = Date()
    XCTAssertThrowsError(try store.changeToken()) { error in
      XCTAssertTrue(
        "\(error)".hasPrefix("cannot reach the PostgreSQL server at postgres://anna@127.0.0.1:1/team"),
        "\(error)")
      XCTAssertTrue("\(error)".hasSuffix("reconnecting…"), "\(error)")
    }
    XCTAssertLessThan(Date().timeIntervalSince(started), 0.1, "a call while reconnecting fails at once")
  }

  /// The server ends the store's session in the middle of a statement (as a restart does): the
  /// call fails, the store says it is reconnecting, and within a second or so it is back by itself.
  func testASessionEndedMidStatementReconnectsByItself() throws {
    let database = try TestDatabase()
    defer { database.drop() }
    let store = try ServerStore(address: TestServer.address(database.url))
    defer { store.close() }
    let pid = try store.bridge.run { try await $0.values("SELECT pg_backend_pid()", as: Int32.self)[0] }
    let admin = try ServerBridge(address: TestServer.address(database.url))
    defer { admin.close() }
    let ended = DispatchSemaphore(value: 0)
    Thread.detachNewThread {
      usleep(300_000)
      _ = try? admin.run { try await $0.execute("SELECT pg_terminate_backend(\(pid))") }
      ended.signal()
    }
    XCTAssertThrowsError(
      try store.bridge.run { try await $0.values("SELECT 1 FROM pg_sleep(10)", as: Int.self) }
    ) { error in
      XCTAssertTrue(error is InboxError, "\(error)")
    }
    ended.wait()
    XCTAssertTrue(store.isReconnecting)
    XCTAssertTrue(eventually(5) { !store.isReconnecting }, "the probe never found the server")
    XCTAssertEqual(try store.bridge.run { try await $0.values("SELECT 7", as: Int.self) }, [7])
    XCTAssertNotEqual(
      try store.bridge.run { try await $0.values("SELECT pg_backend_pid()", as: Int32.self)[0] }, pid)
  }

  /// With the inbox's limit, a server that does not answer (a cut link looks the same) is taken
  /// for lost until the probe reaches it: on a live server, at once.
  func testALimitOnEveryWait() throws {
    let database = try TestDatabase()
    defer { database.drop() }
    let store = try ServerStore(address: TestServer.address(database.url))
    defer { store.close() }
    store.limitWaits(to: 0.5)
    let started = Date()
    XCTAssertThrowsError(try store.bridge.run(timeout: 30) { try await $0.execute("SELECT pg_sleep(5)") }) {
      error in
      XCTAssertTrue("\(error)".contains("did not answer within 0.5 s"), "\(error)")
    }
    XCTAssertLessThan(Date().timeIntervalSince(started), 3)
    XCTAssertTrue(store.isReconnecting)
    XCTAssertTrue(eventually(5) { !store.isReconnecting })
    XCTAssertEqual(try store.bridge.run { try await $0.values("SELECT 1", as: Int.self) }, [1])
  }

  /// A statement's own error, a refused login: not an outage (trying again would not mend them).
  func testAStatementsErrorIsNoOutage() throws {
    let database = try TestDatabase()
    defer { database.drop() }
    let store = try ServerStore(address: TestServer.address(database.url))
    defer { store.close() }
    XCTAssertThrowsError(try store.bridge.run { try await $0.execute("SELECT * FROM no_such_table") })
    XCTAssertFalse(store.isReconnecting)
  }
}

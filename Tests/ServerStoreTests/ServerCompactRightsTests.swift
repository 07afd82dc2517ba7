import Foundation
import Inbox
import XCTest

@testable import ServerStore

#if canImport(Glibc)
  import Glibc
#endif

/// `compact` after an erasure on a server: PostgreSQL skips, with only a warning, a table the
/// role may not vacuum. The store says so instead of reporting a cleanup that did not happen.
final class ServerCompactRightsTests: XCTestCase {
  func testARoleThatMayNotVacuumIsToldWhoMay() throws {
    let database = try TestDatabase()
    defer { database.drop() }
    let owner = try ServerStore(address: TestServer.address(database.url))
    defer { owner.close() }
    _ = try owner.initialize()
    XCTAssertTrue(try owner.compact(), "the owner (here the superuser) vacuums")

    let role = "repute_vac_\(getpid())"
    try database.execute(
      "DROP ROLE IF EXISTS \(role)", "CREATE ROLE \(role) LOGIN",
      "GRANT USAGE ON SCHEMA repute TO \(role)", "GRANT ALL ON ALL TABLES IN SCHEMA repute TO \(role)")
    defer { try? database.execute("DROP OWNED BY \(role)", "DROP ROLE IF EXISTS \(role)") }
    let guestURL = database.url.replacingOccurrences(of: "://postgres@", with: "://\(role)@")
    XCTAssertNotEqual(guestURL, database.url, "the test server's URL names its superuser")
    let guest = try ServerStore(address: TestServer.address(guestURL))
    defer { guest.close() }
    XCTAssertThrowsError(try guest.compact()) { error in
      guard case InboxError.permissionDenied(let message) = error else {
        return XCTFail("not a refusal: \(error)")
      }
      XCTAssertTrue(message.contains("may not VACUUM"), message)
      XCTAssertTrue(message.contains("mentions"), message)
      XCTAssertTrue(message.contains("postgres"), "the owner named: \(message)")
    }
  }

  /// Through the binary: a supervisor who is not the owner erases (exit 0, the cleanup's refusal
  /// a note); the cleanup asked for on its own fails (exit 3), naming who may run it.
  func testASupervisorWhoIsNotTheOwnerErasesAndHearsTheCleanupWaits() throws {
    let database = try TestDatabase()
    defer { database.drop() }
    let env = ["XDG_CONFIG_HOME": "/nonexistent/repute-tests"]
    XCTAssertEqual(try ReputeRun.run(["init", "--store", database.url], environment: env).status, 0)
    let role = "repute_vsup_\(getpid())"
    try database.execute("DROP ROLE IF EXISTS \(role)", "CREATE ROLE \(role) LOGIN")
    defer { try? database.execute("DROP OWNED BY \(role)", "DROP ROLE IF EXISTS \(role)") }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("repute-vsup-\(getpid())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    // The team as a team makes it: the owner first (while the roster names no supervisor), then
    // Vera, whose role gets the store's supervisor group from the roster.
    for (login, name) in [("postgres", "Sam"), (role, "Vera")] {
      let added = try ReputeRun.run(
        ["team", "add", login, "--name", name, "--role", "supervisor", "--store", database.url],
        environment: env)
      XCTAssertEqual(added.status, 0, added.all)
    }
    let mentions = folder.appendingPathComponent("in.jsonl")
    try
      #"{"platform":"mastodon","id":"1","author":{"handle":"geheim"},"created_at":"2026-11-24T11:00:00Z","text":"Bel mijn advocaat","lang":"nl"}"#
      .appending("\n").write(to: mentions, atomically: true, encoding: .utf8)
    XCTAssertEqual(
      try ReputeRun.run(["ingest", "--store", database.url, mentions.path], environment: env).status, 0)

    let vera = database.url.replacingOccurrences(of: "://postgres@", with: "://\(role)@")
    let forget = try ReputeRun.run(
      ["forget", "--author", "geheim", "--yes", "--store", vera], environment: env)
    XCTAssertEqual(forget.status, 0, forget.all)
    XCTAssertTrue(forget.stdout.contains("1 mentions, 1 authors"), forget.stdout)
    XCTAssertTrue(forget.stderr.contains("note: erased; the cleanup could not run here"), forget.stderr)
    XCTAssertTrue(forget.stderr.contains("may not VACUUM"), forget.stderr)
    let compact = try ReputeRun.run(["forget", "--compact", "--store", vera], environment: env)
    XCTAssertEqual(compact.status, 3, compact.all)
    XCTAssertTrue(compact.stderr.contains("may not VACUUM"), compact.stderr)
    let owner = try ReputeRun.run(["forget", "--compact", "--store", database.url], environment: env)
    XCTAssertEqual(owner.status, 0, owner.all)
  }
}

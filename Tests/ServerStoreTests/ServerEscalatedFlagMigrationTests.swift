import Foundation
import Inbox
import XCTest

@testable import ServerStore

/// Migration 15 on a store made before it (issue 18): the escalated flag's functions replaced by ones
/// that read a mention's own escalations only, and the flag as it was: true while one of the
/// mention's escalations is open, for escalations added in one statement, changed or removed.
final class ServerEscalatedFlagMigrationTests: ServerDatabaseTestCase {
  /// The statements that take migration 15 out of a store again, as it was at version 14: the flag
  /// functions of migrations 1b and 11 (and migration 16's row: it only replaces `forgotten_among`,
  /// which a store at 14 has as well).
  private static var before15: [String] {
    let old = (ServerSchema.escalationsAndWork + ServerSchema.version11).filter {
      $0.contains("FUNCTION escalations_flag() RETURNS")
        || $0.contains("FUNCTION escalations_flag_added() RETURNS")
    }
    return ["SET search_path TO repute"]
      + old.map { $0.replacingOccurrences(of: "CREATE FUNCTION", with: "CREATE OR REPLACE FUNCTION") }
      + ["DELETE FROM schema_migrations WHERE version IN (15, 16)"]
  }

  func flags(_ store: ServerStore) throws -> [Bool] {
    try store.bridge.run { session in
      try await session.values("SELECT escalated FROM repute.mentions ORDER BY id", as: Bool.self)
    }
  }

  func testInitOnAStoreFromBeforeKeepsTheFlagAsItWas() throws {
    let store = try ServerStore(address: TestServer.address(database.url), clock: .fixed(now))
    defer { store.close() }
    _ = try store.initialize()
    XCTAssertEqual(Self.before15.count, 4, "both old functions found")
    try database.execute(Self.before15[0], Self.before15[1], Self.before15[2], Self.before15[3])
    try database.execute(
      "INSERT INTO repute.authors (platform, handle) VALUES ('x', 'a')",
      """
      INSERT INTO repute.mentions (platform, external_id, author_id, created_at, ingested_at, text, raw)
      SELECT 'x', g::text, 1, 0, 0, 'post ' || g, '{}' FROM generate_series(1, 4) AS g
      """,
      "INSERT INTO repute.escalations (mention_id, reason, created_at, created_by, updated_at) VALUES (1, 'r', 0, 'ann', 0)"
    )
    XCTAssertEqual(try flags(store), [true, false, false, false], "the old functions at version 14")

    XCTAssertEqual(try store.initialize(), .init(before: 14, after: ServerStore.knownSchemaVersion))
    XCTAssertEqual(try flags(store), [true, false, false, false], "the flags stored before are kept")
    // Several in one statement (the statement trigger): an open one flags, a resolved one does not.
    try database.execute(
      """
      INSERT INTO repute.escalations (mention_id, reason, state, created_at, created_by, updated_at)
      VALUES (2, 'r', 'new', 0, 'ann', 0), (3, 'r', 'resolved', 0, 'ann', 0), (4, 'r', 'acknowledged', 0, 'ann', 0),
        (4, 's', 'new', 0, 'ann', 0)
      """)
    XCTAssertEqual(try flags(store), [true, true, false, true])
    // Changed (the row trigger): a mention stays flagged while another of its escalations is open.
    try database.execute(
      "UPDATE repute.escalations SET state = 'resolved' WHERE mention_id IN (1, 4) AND reason = 'r'")
    XCTAssertEqual(try flags(store), [false, true, false, true])
    try database.execute("UPDATE repute.escalations SET state = 'new' WHERE mention_id = 3")
    XCTAssertEqual(try flags(store), [false, true, true, true])
    try database.execute("DELETE FROM repute.escalations WHERE mention_id = 2")
    XCTAssertEqual(try flags(store), [false, false, true, true], "removed")
  }
}

import Foundation
import Inbox
import XCTest

@testable import ServerStore

/// `initialize` on a real server: the schema of its own, its version, running it again, a newer
/// schema refused, the rules the SQLite store keeps in triggers (issue 18).
final class ServerSchemaTests: XCTestCase {
  var database: TestDatabase!

  override func setUpWithError() throws {
    database = try TestDatabase()
  }

  override func tearDown() {
    database?.drop()
  }

  func store(schema: String? = nil) throws -> ServerStore {
    let url = schema.map { database.url + "&schema=" + $0 } ?? database.url
    return try ServerStore(address: TestServer.address(url))
  }

  func testInitCreatesTheTablesAndRecordsTheVersion() throws {
    let store = try store()
    defer { store.close() }
    XCTAssertEqual(try store.status().schemaVersion, nil)
    XCTAssertEqual(try store.initialize(), .init(before: 0, after: ServerStore.knownSchemaVersion))
    let tables = try database.tables(in: "repute")
    for table in [
      "schema_migrations", "mentions", "authors", "events", "outbox", "escalations", "policies", "tombstones",
      "drafts", "notes", "notices", "sources", "views", "snippets", "store_meta",
    ] {
      XCTAssertTrue(tables.contains(table), "no \(table) in \(tables.sorted())")
    }
    XCTAssertEqual(try store.status().schemaVersion, ServerStore.knownSchemaVersion)
    XCTAssertEqual(try database.tables(in: "public"), [], "nothing outside the store's schema")
  }

  func testInitTwiceIsHarmless() throws {
    let store = try store()
    defer { store.close() }
    _ = try store.initialize()
    try database.execute(
      "INSERT INTO repute.authors (platform, handle) VALUES ('x', 'kept')")
    let known = ServerStore.knownSchemaVersion
    XCTAssertEqual(try store.initialize(), .init(before: known, after: known))
    let again = try ServerStore(address: TestServer.address(database.url))
    defer { again.close() }
    XCTAssertEqual(try again.initialize(), .init(before: known, after: known))
    let rows = try store.bridge.run { session in
      try await session.rows(
        """
        SELECT (SELECT count(*) FROM repute.schema_migrations), (SELECT count(*) FROM repute.authors)
        """, as: (Int, Int).self)
    }
    XCTAssertEqual(rows.first?.0, known, "each migration recorded once")
    XCTAssertEqual(rows.first?.1, 1, "what the store held is kept")
  }

  func testASchemaOfItsOwnName() throws {
    let store = try store(schema: "team_two")
    defer { store.close() }
    _ = try store.initialize()
    XCTAssertTrue(try database.tables(in: "team_two").contains("mentions"))
    XCTAssertEqual(try database.tables(in: "repute"), [])
  }

  func testANewerSchemaIsRefused() throws {
    let store = try store()
    defer { store.close() }
    _ = try store.initialize()
    try database.execute(
      "INSERT INTO repute.schema_migrations (version, name) VALUES (99, 'from the future')")
    for attempt in [{ _ = try store.initialize() }, { _ = try store.status() }] {
      XCTAssertThrowsError(try attempt()) { error in
        XCTAssertTrue(
          "\(error)".contains(
            "schema version 99, newer than this repute knows (\(ServerStore.knownSchemaVersion))"), "\(error)"
        )
      }
    }
    let tables = try database.tables(in: "repute")
    XCTAssertTrue(tables.contains("mentions"), "a refused store is left as it was")
  }

  func testTheEventLogIsAppendOnlyAndAnEscalationFlagsItsMention() throws {
    let store = try store()
    defer { store.close() }
    _ = try store.initialize()
    try database.execute(
      "INSERT INTO repute.authors (platform, handle) VALUES ('x', 'a')",
      """
      INSERT INTO repute.mentions (platform, external_id, author_id, created_at, ingested_at, text, raw)
      VALUES ('x', '1', 1, 0, 0, 'hello', '{}')
      """,
      "INSERT INTO repute.escalations (mention_id, reason, created_at, created_by, updated_at) VALUES (1, 'r', 0, 'ann', 0)",
      "INSERT INTO repute.events (at, actor, action, mention_id) VALUES (5, 'ann', 'replied_elsewhere', 1)")
    let flags = try store.bridge.run { session in
      try await session.rows(
        "SELECT escalated, first_response_by FROM repute.mentions", as: (Bool, String).self)
    }
    XCTAssertEqual(flags.first?.0, true)
    XCTAssertEqual(flags.first?.1, "ann")
    XCTAssertThrowsError(try database.execute("DELETE FROM repute.events")) { error in
      XCTAssertEqual((error as? ServerStoreError)?.message, "the event log is append only")
    }
    try database.execute("UPDATE repute.escalations SET state = 'resolved'")
    let after = try store.bridge.run { session in
      try await session.values("SELECT escalated FROM repute.mentions", as: Bool.self)
    }
    XCTAssertEqual(after, [false])
  }
}

import Foundation
import Inbox
import XCTest

@testable import ServerStore

/// The COPY path of a big ingest batch on a real server: ids from the sequence in the batch's
/// order, and a key another writer stored meanwhile failing the batch whole.
final class ServerIngestCopyTests: ServerDatabaseTestCase {
  func rows(_ count: Int, authorID: Int64) -> [IngestPlan.NewRow] {
    (0..<count).map { k in
      let text = "tab\there, a backslash \\ and a newline\n (\(k))"
      let m = IncomingMention(
        platform: "x", externalID: "c\(k)", author: Author(handle: "a"), createdAt: now, text: text, raw: "{}"
      )
      return IngestPlan.NewRow(index: k, mention: m, authorID: authorID, text: text, raw: m.raw)
    }
  }

  func testCopiedRowsKeepTheirTextAndTakeIdsInOrder() throws {
    let store = try ServerStore(address: TestServer.address(database.url), clock: .fixed(now))
    defer { store.close() }
    _ = try store.initialize()
    try database.execute("INSERT INTO repute.authors (id, platform, handle) VALUES (7, 'x', 'a')")
    let batch = rows(250, authorID: 7)
    let ids = try store.bridge.run { session in
      try await session.transaction { session in
        try await ServerStore.copyInsert(session, batch, annotations: nil, now: 0)
      }
    }
    XCTAssertEqual(ids, ids.sorted())
    XCTAssertEqual(Set(ids).count, 250)
    let stored = try store.bridge.run { session in
      try await session.rows(
        "SELECT id, external_id, text FROM mentions ORDER BY id", as: (Int64, String, String).self)
    }
    XCTAssertEqual(stored.map(\.0), ids)
    XCTAssertEqual(stored.map(\.1), batch.map(\.mention.externalID))
    XCTAssertEqual(stored.map(\.2), batch.map(\.text))
  }

  func testAKeyStoredMeanwhileFailsTheBatchWhole() throws {
    let store = try ServerStore(address: TestServer.address(database.url), clock: .fixed(now))
    defer { store.close() }
    _ = try store.initialize()
    try database.execute(
      "INSERT INTO repute.authors (id, platform, handle) VALUES (7, 'x', 'a')",
      """
      INSERT INTO repute.mentions (platform, external_id, author_id, created_at, ingested_at, text, raw)
      VALUES ('x', 'c120', 7, 0, 0, 'first', '{}')
      """)
    let batch = rows(250, authorID: 7)
    XCTAssertThrowsError(
      try store.bridge.run { session in
        try await session.transaction { session in
          try await ServerStore.copyInsert(session, batch, annotations: nil, now: 0)
        }
      }
    ) { error in
      XCTAssertTrue("\(error)".contains("another writer stored"), "\(error)")
    }
    let count = try store.bridge.run { session in
      try await session.values("SELECT count(*) FROM mentions", as: Int.self)
    }
    XCTAssertEqual(count, [1])
  }
}

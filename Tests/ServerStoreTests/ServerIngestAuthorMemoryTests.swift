import Foundation
import Inbox
import XCTest

@testable import ServerStore

/// The authors an ingest process remembers between its batches (`IngestAuthorMemory`): used only
/// while nobody else wrote, so an author another writer changed in between takes the batch's
/// name as it would have without the memory.
final class ServerIngestAuthorMemoryTests: ServerDatabaseTestCase {
  var serial = 0

  func post(name: String?, followers: Int?) -> IncomingMention {
    serial += 1
    return IncomingMention(
      platform: "x", externalID: "p\(serial)",
      author: Author(handle: "ann", name: name, followers: followers),
      createdAt: now, text: "post \(serial)", raw: "{}")
  }

  func authors(_ store: ServerStore) throws -> [(Int64, String?, Int64?)] {
    try store.bridge.run { session in
      try await session.rows(
        "SELECT id, name, followers FROM repute.authors ORDER BY id", as: (Int64, String?, Int64?).self)
    }
  }

  func testAnAuthorChangedByAnotherWriterTakesTheBatchsNameAgain() throws {
    let store = try ServerStore(address: TestServer.address(database.url), clock: .fixed(now))
    defer { store.close() }
    _ = try store.initialize()
    _ = try store.ingest([post(name: "Ann", followers: 10)], annotations: nil, actor: "t")
    XCTAssertNotNil(store.ingestAuthors.current.counter, "the first batch's authors remembered")
    _ = try store.ingest([post(name: "Ann", followers: 10)], annotations: nil, actor: "t")
    var rows = try authors(store)
    XCTAssertEqual(rows.count, 1)
    XCTAssertEqual(rows.first?.1, "Ann")
    XCTAssertEqual(rows.first?.2, 10)

    // Another writer renames her: the next batch, naming her as before, names her so again.
    try database.execute("UPDATE repute.authors SET name = 'Bea', followers = 11")
    _ = try store.ingest([post(name: "Ann", followers: 10)], annotations: nil, actor: "t")
    rows = try authors(store)
    XCTAssertEqual(rows.first?.1, "Ann")
    XCTAssertEqual(rows.first?.2, 10)

    // A batch of ours that changes her, then one without a name or count: kept as changed.
    _ = try store.ingest([post(name: "Cas", followers: nil)], annotations: nil, actor: "t")
    _ = try store.ingest([post(name: nil, followers: nil)], annotations: nil, actor: "t")
    rows = try authors(store)
    XCTAssertEqual(rows.first?.1, "Cas")
    XCTAssertEqual(rows.first?.2, 10)
    // Another writer again, and a batch without a name: hers is kept.
    try database.execute("UPDATE repute.authors SET name = 'Dee'")
    _ = try store.ingest([post(name: nil, followers: 12)], annotations: nil, actor: "t")
    rows = try authors(store)
    XCTAssertEqual(rows.count, 1)
    XCTAssertEqual(rows.first?.1, "Dee")
    XCTAssertEqual(rows.first?.2, 12)
    let mentionAuthors = try store.bridge.run { session in
      try await session.values("SELECT DISTINCT author_id FROM repute.mentions", as: Int64.self)
    }
    XCTAssertEqual(mentionAuthors, [rows[0].0])
  }
}

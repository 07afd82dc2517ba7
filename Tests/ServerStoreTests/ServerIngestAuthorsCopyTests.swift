import Foundation
import Inbox
import PostgresNIO
import XCTest

@testable import ServerStore

/// A big batch's authors streamed by `COPY` (`ServerStore.copyAuthors`): new ones numbered in the
/// batch's order, known ones found and given the batch's latest name and count where it has one,
/// and a missing name or count leaving the stored one, as the one statement of a small batch does.
final class ServerIngestAuthorsCopyTests: ServerDatabaseTestCase {
  func post(_ id: String, handle: String, name: String?, followers: Int?) -> IncomingMention {
    IncomingMention(
      platform: "mastodon", externalID: id, author: Author(handle: handle, name: name, followers: followers),
      createdAt: now, text: "Hoe laat vertrekt de trein? \(id)", lang: "nl", raw: #"{"id":"\#(id)"}"#)
  }

  func authors(_ store: ServerStore) throws -> [String: (id: Int64, name: String?, followers: Int64?)] {
    let rows = try store.bridge.run { session in
      try await session.rows(
        "SELECT handle, id, name, followers FROM authors", as: (String, Int64, String?, Int64?).self)
    }
    var out: [String: (id: Int64, name: String?, followers: Int64?)] = [:]
    for (handle, id, name, followers) in rows { out[handle] = (id, name, followers) }
    return out
  }

  func testNewAuthorsInOrderKnownOnesUpdatedWhereTheBatchSaysSo() throws {
    let address = try TestServer.address(database.url)
    let first = try ServerStore(address: address, clock: .fixed(now))
    _ = try first.initialize()
    let batch = (0..<300).map { (k: Int) in post("a\(k)", handle: "u\(k)", name: "U \(k)", followers: k) }
    XCTAssertEqual(try first.ingest(batch, actor: "test", annotator: nil).new, 300)
    let before = try authors(first)
    XCTAssertEqual(before.count, 300)
    let ids = (0..<300).compactMap { before["u\($0)"]?.id }
    XCTAssertEqual(ids.count, 300, "\(before.keys.sorted().prefix(5))")
    XCTAssertEqual(
      ids, (0..<300).map { (ids.first ?? 0) + Int64($0) }, "new authors numbered in the batch's order")
    first.close()
    // Another process (nothing remembered): every author asked, the known ones found.
    let second = try ServerStore(address: address, clock: .fixed(now))
    var again = (0..<300).map { (k: Int) in
      post("b\(k)", handle: "u\(k)", name: k < 100 ? "Nieuw \(k)" : nil, followers: k < 200 ? k : 1000 + k)
    }
    again += (0..<10).map { (k: Int) in post("c\(k)", handle: "v\(k)", name: nil, followers: nil) }
    XCTAssertEqual(try second.ingest(again, actor: "test", annotator: nil).new, 310)
    let after = try authors(second)
    XCTAssertEqual(after.count, 310)
    for k in 0..<300 {
      let a = try XCTUnwrap(after["u\(k)"])
      XCTAssertEqual(a.id, before["u\(k)"]!.id, "a known author keeps its id")
      XCTAssertEqual(a.name, k < 100 ? "Nieuw \(k)" : "U \(k)", "a missing name keeps the stored one")
      XCTAssertEqual(a.followers, Int64(k < 200 ? k : 1000 + k))
    }
    XCTAssertNil(after["v0"]?.name)
    XCTAssertNil(after["v0"]?.followers)
    let linked = try second.bridge.run { session in
      try await session.values(
        "SELECT count(*)::bigint FROM mentions m JOIN authors a ON a.id = m.author_id WHERE m.external_id LIKE 'b%' AND a.handle = 'u' || substr(m.external_id, 2)",
        as: Int64.self)
    }
    XCTAssertEqual(linked.first, 300, "each new mention names its own author")
    second.close()
  }
}

import Foundation
import Inbox
import XCTest

@testable import ServerStore

/// After a bulk ingest the planner's statistics are brought up to date at once (issue 18): a
/// store loaded with a million mentions otherwise planned its queue's windows as for a few
/// hundred rows until autovacuum looked, if it was on at all.
final class ServerBulkStatisticsTests: ServerDatabaseTestCase {
  func testABulkIngestBringsThePlannersStatisticsUpToDate() throws {
    let store = try ServerStore(address: TestServer.address(database.url), clock: .fixed(now))
    defer { store.close() }
    _ = try store.initialize()
    let batch = (0..<300).map { k in
      IncomingMention(
        platform: "x", externalID: "b\(k)", author: Author(handle: "a\(k % 7)"), createdAt: now,
        text: "Mijn trein is weer te laat (\(k))", raw: "{}")
    }
    let counts = try store.ingest(batch, actor: "test", annotator: nil)
    XCTAssertEqual(counts.new, 300)
    func analysed() throws -> Int64 {
      try store.bridge.run { session in
        try await session.values(
          "SELECT count(*) FROM pg_stat_user_tables WHERE schemaname = 'repute' AND relname IN ('mentions', 'authors') AND last_analyze IS NOT NULL",
          as: Int64.self)
      }.first ?? -1
    }
    // Below the threshold: nothing asked of the server.
    store.refreshStatistics(newMentions: 300)
    XCTAssertEqual(try analysed(), 0)
    store.refreshStatistics(newMentions: 300, from: 300)
    XCTAssertEqual(try analysed(), 2)
    let tuples = try store.bridge.run { session in
      try await session.values(
        "SELECT reltuples::bigint FROM pg_class WHERE oid = 'repute.mentions'::regclass", as: Int64.self)
    }.first
    XCTAssertEqual(tuples, 300)
  }
}

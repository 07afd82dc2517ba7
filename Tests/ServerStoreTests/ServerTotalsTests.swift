import Foundation
import Inbox
import Policy
import XCTest

@testable import ServerStore

/// The running totals on the server (migration 9) against a count of the rows, after writes no
/// protocol makes yet or makes only on one store: a statement touching many rows at once, a
/// language changed by hand, rows deleted, a merge that updates on conflict, and after the totals
/// were built again (`repute migrate`).
final class ServerTotalsTests: XCTestCase {
  var database: TestDatabase!
  let now = Date(timeIntervalSince1970: 1_795_512_600)

  override func setUpWithError() throws {
    database = try TestDatabase()
  }

  override func tearDown() {
    database?.drop()
  }

  /// The rows of `queue_totals` with a count, against the rows grouped by the same key.
  func assertTotalsMatchTheRows(_ store: ServerStore, _ step: String, line: UInt = #line) throws {
    let (kept, counted) = try store.bridge.run { session in
      let kept = try await session.values(
        """
        SELECT concat_ws('|', platform, category, status, muted, clocked, lang, escalated, n) AS k
        FROM queue_totals WHERE n <> 0 ORDER BY k
        """, as: String.self)
      let counted = try await session.values(
        """
        SELECT concat_ws('|', \(ServerSchema.totalsKey("")), count(*)) AS k FROM mentions
        GROUP BY \(ServerSchema.totalsKey("")) ORDER BY k
        """, as: String.self)
      return (kept, counted)
    }
    XCTAssertEqual(kept, counted, "after \(step)", line: line)
    XCTAssertFalse(counted.isEmpty, "after \(step): no rows", line: line)
  }

  func testTheTotalsFollowEveryWriteOfTheRows() throws {
    let store = try ServerStore(address: TestServer.address(database.url), clock: .fixed(now))
    defer { store.close() }
    _ = try store.initialize()
    let posts = (0..<40).map { k in
      IncomingMention(
        platform: ["x", "bluesky"][k % 2], externalID: "p\(k)", author: Author(handle: "a\(k % 5)"),
        createdAt: now.addingTimeInterval(-Double(k) * 90),
        text: ["Waar blijft mijn pakket? (\(k))", "Thanks a lot (\(k))", "Is de winkel open? (\(k))"][k % 3],
        lang: k % 4 == 0 ? "NL" : nil, raw: "{}")
    }
    _ = try store.ingest(posts, actor: "t", annotator: PolicyAnnotator(policy: .default))
    try assertTotalsMatchTheRows(store, "ingest")
    try database.execute(
      "UPDATE repute.mentions SET lang = 'de' WHERE id % 3 = 0",
      "UPDATE repute.mentions SET detected_lang = 'fr', lang = NULL WHERE id % 5 = 0",
      "UPDATE repute.mentions SET status = 'replied', due_at = NULL WHERE id % 4 = 1",
      "UPDATE repute.mentions SET category = NULL, muted = true WHERE id = 2")
    try assertTotalsMatchTheRows(store, "updates by hand")
    // An unchanged key moves nothing; a change and its undo leave the totals as they were.
    try database.execute(
      "UPDATE repute.mentions SET text = text || '!', claimed_by = 'anna'",
      "UPDATE repute.mentions SET platform = 'mastodon' WHERE id < 10",
      "UPDATE repute.mentions SET platform = 'x' WHERE platform = 'mastodon'")
    try assertTotalsMatchTheRows(store, "updates that move nothing back")
    try database.execute(
      """
      INSERT INTO repute.mentions (platform, external_id, author_id, created_at, ingested_at, text, raw, status)
      SELECT platform, external_id, author_id, created_at, 0, text, raw, 'holding'
      FROM repute.mentions WHERE id % 2 = 0
      UNION ALL SELECT 'rss', 'new-one', author_id, 0, 0, 'x', '{}', 'open' FROM repute.mentions WHERE id = 1
      ON CONFLICT (platform, external_id) DO UPDATE SET status = excluded.status
      """,
      "DELETE FROM repute.mentions WHERE id > 30 AND id NOT IN (SELECT mention_id FROM repute.escalations)")
    try assertTotalsMatchTheRows(store, "a merge and a delete")
    // Built again from the rows, as `repute migrate` does after its copy.
    try database.execute("UPDATE repute.queue_totals SET n = n + 5")
    try store.rebuildTotals()
    try assertTotalsMatchTheRows(store, "a rebuild")
  }
}

/// The COPY path of a big ingest batch on a real server: ids from the sequence in the batch's
/// order, and a key another writer stored meanwhile failing the batch whole.
final class ServerIngestCopyTests: XCTestCase {
  var database: TestDatabase!
  let now = Date(timeIntervalSince1970: 1_795_512_600)

  override func setUpWithError() throws {
    database = try TestDatabase()
  }

  override func tearDown() {
    database?.drop()
  }

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

import Foundation
import Inbox
import Policy
import XCTest

@testable import ServerStore

/// The running totals on the server (migration 9) against a count of the rows, after writes no
/// protocol makes yet or makes only on one store: a statement touching many rows at once, a
/// language changed by hand, rows deleted, a merge that updates on conflict, and after the totals
/// were built again (`repute migrate`).
final class ServerTotalsTests: ServerDatabaseTestCase {
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

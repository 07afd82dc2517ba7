import Foundation
import Inbox
import Policy
import XCTest

@testable import ServerStore

/// The figures' summary on the server (migration 8): `figure_hours` and `figure_open` equal a
/// recount of the mentions after every kind of writer, the store's own and plain SQL (a trigger
/// per statement keeps them), and the migration builds them from the rows a store already has.
final class ServerFigureSummaryTests: XCTestCase {
  var database: TestDatabase!

  override func setUpWithError() throws { database = try TestDatabase() }
  override func tearDown() { database?.drop() }

  let now = RFC3339.parse("2026-11-23T10:30:00Z")!

  func store(at: Date? = nil) throws -> ServerStore {
    try ServerStore(address: TestServer.address(database.url), clock: .fixed(at ?? now))
  }

  /// The summary's rows (those not all zero) and the same sums recounted from every mention.
  func expectSummaryIsARecount(_ store: ServerStore, _ message: String, line: UInt = #line) throws {
    let names = ServerFigureSummary.columns.map(\.name)
    let (kept, counted, open, openCounted) = try store.bridge.run { session in
      // Each row as text, its columns joined: the category is text, the rest integers.
      func table(_ sql: String) async throws -> [String] {
        try await session.decoded(sql) { r in
          try (0..<r.count).map { i in
            r[i].dataType == .text ? try r[i].decode(String.self) : String(try r[i].decode(Int64.self))
          }.joined(separator: "|")
        }
      }
      let kept = try await table(
        """
        SELECT hour, category, \(names.joined(separator: ", ")) FROM figure_hours
        WHERE \(names.map { "\($0) <> 0" }.joined(separator: " OR ")) ORDER BY hour, category
        """)
      let counted = try await table(ServerFigureSummary.hours(from: [("mentions", 1)]))
      let open = try await table(
        "SELECT clocked::int::bigint, category, n FROM figure_open WHERE n <> 0 ORDER BY category, clocked")
      let openCounted = try await table(
        """
        SELECT (due_at IS NOT NULL)::int::bigint, coalesce(category, ''), count(*) FROM mentions
        WHERE \(ServerFigureSummary.open("")) GROUP BY 1, 2 ORDER BY 2, 1
        """)
      return (kept, counted, open, openCounted)
    }
    XCTAssertEqual(kept, counted, message, line: line)
    XCTAssertFalse(kept.isEmpty, message, line: line)
    XCTAssertEqual(open, openCounted, message, line: line)
  }

  func fill(_ store: ServerStore) throws {
    var policy = PolicyConfig.default
    policy.serviceHours = nil
    let texts = [
      "My parcel is still not here, third week.", "Hoe laat vertrekt de eerste trein naar Utrecht?",
      "Thanks, great service today!", "Is the app down? I cannot log in.",
    ]
    _ = try store.ingest(
      (0..<120).map { k in
        IncomingMention(
          platform: "mastodon", externalID: "m\(k)", author: Author(handle: "@user\(k % 7)@example.social"),
          createdAt: now.addingTimeInterval(-Double(k) * 37 * 60), text: texts[k % texts.count], lang: "en",
          raw: "{}")
      }, actor: "t", annotator: PolicyAnnotator(policy: policy))
  }

  func testTheSummaryIsARecountAfterTheStoresWritesAndPlainSQL() throws {
    let store = try store()
    defer { store.close() }
    XCTAssertNotNil(try store.initialize())
    try fill(store)
    try expectSummaryIsARecount(store, "after ingest")
    var policy = PolicyConfig.default
    policy.serviceHours = nil
    let id = { (k: Int) in try XCTUnwrap(try store.mentionID(platform: "mastodon", externalID: "m\(k)")) }
    _ = try store.enqueueReply(
      mentionID: try id(1), responder: "anna", kind: .reply, text: "Sorry", policy: policy)
    _ = try store.enqueueReply(
      mentionID: try id(2), responder: "anna", kind: .holding, text: "We kijken", policy: policy)
    try store.decideNoReply(ids: [try id(3)], reason: "duplicate", policy: policy, actor: "anna")
    try store.recategorise(ids: [try id(4), try id(8)], to: .praise, policy: policy, actor: "anna")
    try store.snooze(ids: [try id(5)], until: now.addingTimeInterval(3600), actor: "anna")
    try store.markReplied(ids: [try id(6), try id(7)], actor: "cees")
    try expectSummaryIsARecount(store, "after the team's actions")
    // Plain SQL, as a person with psql might write: muting, a new hour, a row deleted, many at once.
    try database.execute(
      "UPDATE repute.mentions SET muted = true WHERE id IN (SELECT id FROM repute.mentions ORDER BY id LIMIT 10)",
      "UPDATE repute.mentions SET created_at = created_at - 86400000 WHERE id % 3 = 0",
      "UPDATE repute.mentions SET category = NULL WHERE id % 11 = 0",
      """
      INSERT INTO repute.mentions (platform, external_id, author_id, created_at, ingested_at, text, status, raw,
        first_response_due_at, due_at)
      SELECT 'mastodon', 'sql' || g, (SELECT min(id) FROM repute.authors), 1795000000000 + g * 1000,
        1795000000000, 'x', 'open', '{}', 1795000000000 + g * 1000 + 3600000, 1795000000000 + g * 1000 + 3600000
      FROM generate_series(1, 5) AS g
      """,
      "DELETE FROM repute.mentions WHERE external_id IN ('sql1', 'sql2')")
    try expectSummaryIsARecount(store, "after plain SQL")
  }

  /// A store at migration 7 (no summary) with mentions: migration 8 builds the summary from them.
  func testTheMigrationBuildsTheSummaryFromTheRowsThere() throws {
    let store = try store()
    defer { store.close() }
    XCTAssertNotNil(try store.initialize())
    try fill(store)
    let figures = try store.teamFigures(now: now, today: now.addingTimeInterval(-3600), since: .distantPast)
    try database.execute(
      "DROP TABLE repute.figure_hours, repute.figure_open",
      "DROP FUNCTION repute.figures_on_insert, repute.figures_on_update, repute.figures_on_delete CASCADE",
      "DELETE FROM repute.schema_migrations WHERE version = 8")
    let again = try self.store()
    defer { again.close() }
    XCTAssertEqual(try again.initialize().after, ServerStore.knownSchemaVersion)
    try expectSummaryIsARecount(again, "after the migration")
    XCTAssertEqual(
      try again.teamFigures(now: now, today: now.addingTimeInterval(-3600), since: .distantPast), figures)
  }
}

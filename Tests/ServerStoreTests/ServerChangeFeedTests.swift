import Foundation
import Inbox
import PostgresNIO
import XCTest

@testable import ServerStore

/// The change feed as the server keeps it (migration 7): written by triggers, so a writer outside
/// repute feeds it too; pruned; and the question an inbox asks after each commit elsewhere
/// (`reachesWindow`) reads only the rows it asks about. What the feed promises is in the
/// conformance suite (`ChangeFeedConformanceTests`).
final class ServerChangeFeedTests: XCTestCase {
  var database: TestDatabase!
  var store: ServerStore!

  override func setUpWithError() throws {
    database = try TestDatabase()
    store = try ServerStore(address: TestServer.address(database.url), clock: .fixed(now))
    _ = try store.initialize()
  }

  override func tearDown() {
    store?.close()
    database?.drop()
  }

  let now = Date(timeIntervalSince1970: 1_795_512_600)

  /// `count` mentions written straight into the table, as a bulk load outside repute would: every
  /// other one on the clock, some in Dutch, escalated, claimed or snoozed.
  func load(_ count: Int) throws {
    let at = now.epochMilliseconds
    try database.execute(
      "INSERT INTO repute.authors (platform, handle) SELECT 'x', 'u' || g FROM generate_series(1, 50) g",
      """
      INSERT INTO repute.mentions (platform, external_id, author_id, created_at, ingested_at, text, raw,
        lang, category, due_at, earliest_reply_at, escalated, claimed_by, status, snoozed_until)
      SELECT 'x', 'e' || g, 1 + g % 50, \(at) - g * 1000, \(at), 'text ' || g, '{}',
        CASE WHEN g % 3 = 0 THEN 'nl' ELSE 'en' END, CASE WHEN g % 2 = 0 THEN 'complaint' ELSE 'praise' END,
        CASE WHEN g % 2 = 0 THEN \(at) + 3600000 - g * 1000 END,
        CASE WHEN g % 2 = 0 THEN \(at) - g * 1000 END,
        g % 97 = 0, CASE WHEN g % 11 = 0 THEN 'anna' END,
        CASE WHEN g % 13 = 0 THEN 'snoozed' ELSE 'open' END, CASE WHEN g % 13 = 0 THEN \(at) + 60000 END
      FROM generate_series(1, \(count)) g
      """,
      "ANALYZE repute.mentions")
  }

  func testAWriterOutsideReputeFeedsTheFeed() throws {
    try load(10)
    let mark = try store.changedMentions(after: nil).mark
    try database.execute(
      "UPDATE repute.mentions SET claimed_by = 'bram' WHERE id IN (2, 3)",
      "INSERT INTO repute.events (at, actor, action, mention_id) VALUES (1, 'psql', 'note', 5), (1, 'psql', 'note', NULL)",
      "INSERT INTO repute.drafts (mention_id, author, kind, text, started_at, updated_at) VALUES (7, 'anna', 'reply', 'x', 1, 1)",
      "UPDATE repute.mentions SET claimed_by = NULL WHERE id = 999")
    let changed = try store.changedMentions(after: mark)
    XCTAssertEqual(changed.ids, [2, 3, 5, 7])
    XCTAssertFalse(changed.arrived)
    try database.execute(
      "DELETE FROM repute.drafts WHERE mention_id = 7",
      "INSERT INTO repute.notices (recipient, kind, mention_id, created_at) VALUES ('Anna', 'assigned', 8, 1)"
    )
    XCTAssertEqual(try store.changedMentions(after: changed.mark).ids, [7, 8])
    // A statement that changed nothing adds nothing.
    let quiet = try store.changedMentions(after: nil).mark
    try database.execute("UPDATE repute.mentions SET claimed_by = 'x' WHERE false")
    XCTAssertEqual(try store.changedMentions(after: quiet).mark, quiet)
  }

  func testTheFeedIsPrunedAndAMarkBeyondItMeansAnything() throws {
    let kept = ServerSchema.changeFeedKept
    let old = try store.changedMentions(after: nil).mark
    try database.execute(
      "INSERT INTO repute.events (at, actor, action, mention_id) SELECT 1, 't', 'note', g FROM generate_series(1, \(kept + 1100)) g"
    )
    for k in 0..<3 {
      try database.execute(
        "INSERT INTO repute.events (at, actor, action, mention_id) VALUES (1, 't', 'note', \(k))")
    }
    XCTAssertNil(try store.changedMentions(after: old).ids)
    let (rows, first, last) = try store.bridge.run { session in
      try await session.rows(
        "SELECT count(*), min(seq), max(seq) FROM repute.changes", as: (Int64, Int64, Int64).self
      ).first ?? (Int64(0), Int64(0), Int64(0))
    }
    XCTAssertLessThanOrEqual(rows, Int64(kept + 1024 + 1100), "the feed was not pruned")
    XCTAssertGreaterThanOrEqual(rows, Int64(kept), "pruned below what it keeps")
    XCTAssertEqual(last - first + 1, rows, "numbered without gaps")
    // A mark the feed still reaches gets what came after it.
    var recent = try store.changedMentions(after: nil).mark
    recent.seq -= 2
    XCTAssertEqual(try store.changedMentions(after: recent).ids, [1, 2])
  }

  /// Issue 17's rule on the server: after every commit elsewhere an inbox asks whether the changed
  /// or new rows reach its window; the statement reads those rows by the primary key whatever the
  /// filter, never a scan of the mentions or a walk of a filter's own index.
  func testTheReachQueryReadsOnlyTheRowsAskedAbout() throws {
    try load(20_000)
    var dutchEscalated = QueueFilter(clocks: [.overdue])
    dutchEscalated.languages = ["nl"]
    dutchEscalated.escalated = true
    var annasWatched = QueueFilter(statuses: [.open])
    annasWatched.claimants = ["anna"]
    annasWatched.assignees = ["anna"]
    annasWatched.watched = true
    annasWatched.since = now.addingTimeInterval(-86_400)
    let filters = [
      QueueFilter(), QueueFilter(platforms: ["rss"]), QueueFilter(categories: [.complaint]), dutchEscalated,
      annasWatched, QueueFilter(statuses: [.snoozed]),
    ]
    for filter in filters {
      for (ids, above) in [([Int64](), Int64?(19_990)), ([3, 5], nil), ([3], 19_990)] {
        for anchor in [nil, Int64(40)] {
          let (sql, binds) = try XCTUnwrap(
            ServerStore.reachSQL(ids: Set(ids), newAbove: above, anchor: anchor, filter, now: now))
          let plan = try store.bridge.run { session in
            try await session.values("EXPLAIN " + sql, binds: binds, as: String.self)
          }
          XCTAssertTrue(plan.contains { $0.contains("mentions_pkey") }, "\(plan)")
          XCTAssertTrue(
            Self.otherReads(plan).isEmpty,
            "\(filter.words) ids \(ids) above \(String(describing: above)) anchor \(String(describing: anchor)):\n"
              + plan.joined(separator: "\n"))
        }
      }
    }
    XCTAssertNil(ServerStore.reachSQL(ids: [], newAbove: nil, anchor: nil, QueueFilter(), now: now))
  }

  /// The inbox's look asks the same question of the feed's ids in the same statement
  /// (`ServerStore.lookSQL`): the mentions are read by the primary key there too, whatever the
  /// filter, and the rest of the statement reads the feed, the counter and the notices' index.
  func testTheLookReadsOnlyTheRowsAskedAbout() throws {
    try load(20_000)
    _ = try store.toggleClaim(id: 7, actor: "anna")
    let mark = ChangeFeedMark(seq: 0, newestMention: 19_990)
    var dutchEscalated = QueueFilter(clocks: [.overdue])
    dutchEscalated.languages = ["nl"]
    dutchEscalated.escalated = true
    for filter in [
      QueueFilter(), QueueFilter(platforms: ["rss"]), dutchEscalated, QueueFilter(statuses: [.snoozed]),
    ] {
      for (ids, above) in [(Set<Int64>(), Int64?.none), ([3, 5], 19_990)] {
        for anchor in [nil, Int64(40)] {
          let question = ChangeQuestion(
            mark: mark, recipient: "anna",
            reach: ReachQuestion(ids: ids, newAbove: above, anchor: anchor, filter: filter, now: now))
          let (sql, binds) = ServerStore.lookSQL(question)
          let plan = try store.bridge.run { session in
            try await session.values("EXPLAIN " + sql, binds: binds, as: String.self)
          }
          XCTAssertTrue(plan.contains { $0.contains("mentions_pkey") }, "\(plan)")
          XCTAssertTrue(plan.contains { $0.contains("notices_unread") }, "\(plan)")
          XCTAssertTrue(
            Self.otherReads(plan).isEmpty,
            "\(filter.words) ids \(ids) above \(String(describing: above)) anchor \(String(describing: anchor)):\n"
              + plan.joined(separator: "\n"))
          XCTAssertEqual(try store.look(question).ids, [7])
        }
      }
    }
  }

  /// The plan's reads of the mentions other than by the primary key: a scan of the table, or an
  /// index of its own (every index on it is named `mentions_…`).
  static func otherReads(_ plan: [String]) -> [String] {
    plan.filter { line in
      if line.contains("Seq Scan on mentions") { return true }
      guard
        let range = line.range(
          of: #"(Index Scan|Index Only Scan) (using|on) mentions\w*"#, options: .regularExpression)
      else { return false }
      return !line[range].hasSuffix("mentions_pkey")
    }
  }
}

import Foundation
import GRDB
import Inbox
import Policy
import Testing

@testable import Store

/// Issue 17: the change feed and the running totals the store keeps in the writing transaction, as
/// SQLite keeps them (what the feed promises is in `ChangeFeedConformanceTests`).
@Suite struct ChangeFeedTests {
  let now = RFC3339.parse("2026-12-07T10:00:00Z")!

  func store(_ dir: TempFolder) throws -> SQLiteStore {
    try SQLiteStore(path: dir.path + "/s.sqlite", clock: .fixed(now))
  }

  func ingest(_ s: SQLiteStore, _ ids: Range<Int>, platform: String = "mastodon") throws {
    _ = try s.ingest(
      ids.map { k in
        IncomingMention(
          platform: platform, externalID: "m\(k)", author: Author(handle: "@user\(k)@example.social"),
          createdAt: now, text: "My parcel is still not here (\(k)), and nobody answers my emails.",
          lang: "en", raw: "{}")
      }, actor: "t", annotator: PolicyAnnotator(policy: .default))
  }

  /// The feed keeps `Schema.changeFeedKept` entries: a mark older than those means anything.
  @Test func aMarkTheFeedNoLongerReachesMeansAnything() throws {
    let dir = TempFolder()
    let s = try store(dir)
    try ingest(s, 0..<1)
    let old = try s.changedMentions(after: nil).mark
    try ingest(s, 1..<(Schema.changeFeedKept + 1100))
    // Every mention changed once: more feed rows than are kept.
    try s.pool.write { try $0.execute(sql: "UPDATE mentions SET claimed_by = 'anna'") }
    #expect(try s.changedMentions(after: old).ids == nil)
  }

  @Test func theRunningTotalsAgreeWithACount() throws {
    let dir = TempFolder()
    let s = try store(dir)
    try ingest(s, 0..<20)
    try ingest(s, 20..<25, platform: "rss")
    let ids = try (0..<4).map { try #require(try s.mentionID(platform: "mastodon", externalID: "m\($0)")) }
    try s.snooze(ids: [ids[0]], until: now.addingTimeInterval(-60), actor: "anna")
    try s.decideNoReply(ids: [ids[1]], reason: "duplicate", policy: .default, actor: "anna")
    try s.recategorise(ids: [ids[2]], to: .praise, policy: .default, actor: "anna")
    _ = try s.forget(author: "@user3@example.social", actor: "anna")
    let counted = try s.pool.read { db in
      try Row.fetchAll(db, sql: "SELECT status, count(*) FROM mentions WHERE muted = 0 GROUP BY status")
        .reduce(into: [String: Int]()) { $0[$1[0]] = $1[1] }
    }
    let kept = try s.pool.read { try s.totalsByStatus($0) }
    #expect(kept.filter { $0.value > 0 } == counted)
    #expect(try s.queueCount(QueueFilter(), now: now) == counted.values.reduce(0, +))
    // The clocks, at moments before, within and after the targets, against a count of every row.
    for later: TimeInterval in [-3600, 0, 60, 1800, 7200, 86400 * 3] {
      let at = now.addingTimeInterval(later)
      let ms = at.epochMilliseconds
      let clocks = try s.pool.read { db in
        try Row.fetchOne(
          db,
          sql: """
            SELECT count(*) FILTER (WHERE earliest_reply_at > ?),
              count(*) FILTER (WHERE due_at <= ? AND NOT coalesce(earliest_reply_at > ?, 0))
            FROM mentions WHERE due_at IS NOT NULL AND muted = 0
            """, arguments: [ms, ms, ms])
      }
      let tally = try s.tally(now: at)
      let cooling: Int? = clocks?[0]
      let overdue: Int? = clocks?[1]
      #expect(tally.byClock[ClockState.cooling] == cooling, "\(later)")
      #expect(tally.byClock[ClockState.overdue] == overdue, "\(later)")
    }
  }

  /// Ingest adds a batch's new mentions to the totals once (v23), not a trigger per row: batches
  /// of new rows, duplicates, edits, deletions, muted and unclassified mentions, several platforms
  /// in one batch, and a batch the rules escalate, still add up to a count of every row.
  @Test func batchIngestKeepsTheTotalsExact() throws {
    let dir = TempFolder()
    let s = try store(dir)
    func counted() throws -> [String: Int] {
      try s.pool.read { db in
        try Row.fetchAll(
          db,
          sql: """
            SELECT platform || '/' || coalesce(category, '') || '/' || status || '/' || muted || '/'
              || (due_at IS NOT NULL) || '/' || lower(coalesce(lang, detected_lang, '')) || '/' || escalated,
              count(*) FROM mentions GROUP BY 1
            """
        ).reduce(into: [String: Int]()) { $0[$1[0]] = $1[1] }
      }
    }
    func kept() throws -> [String: Int] {
      try s.pool.read { db in
        try Row.fetchAll(
          db,
          sql: """
            SELECT platform || '/' || category || '/' || status || '/' || muted || '/' || clocked || '/' || lang
              || '/' || escalated, n
            FROM queue_totals WHERE n != 0
            """
        ).reduce(into: [String: Int]()) { $0[$1[0]] = $1[1] }
      }
    }
    func mention(_ k: Int, _ platform: String, text: String? = nil, deletion: String? = nil)
      -> IncomingMention
    {
      IncomingMention(
        platform: platform, externalID: "b\(k)", author: Author(handle: "@user\(k % 7)@example.social"),
        createdAt: now,
        text: text ?? (k % 3 == 0 ? "Thanks, great service!" : "My parcel is late again (\(k))"),
        lang: "en", raw: "{}", deletion: deletion)
    }
    let trigger = try s.pool.read {
      try Int.fetchOne($0, sql: "SELECT count(*) FROM sqlite_master WHERE name = 'queue_totals_on_insert'")
    }
    #expect(trigger == 0)
    _ = try s.ingest(
      (0..<40).map { mention($0, $0 % 2 == 0 ? "mastodon" : "bluesky") }, actor: "t",
      annotator: PolicyAnnotator(policy: .default))
    #expect(try kept() == counted())
    // Unclassified, a batch of duplicates with edits and deletions among new ones.
    _ = try s.ingest((40..<45).map { mention($0, "rss") }, actor: "t", annotator: nil)
    var mixed = (30..<50).map { mention($0, $0 % 2 == 0 ? "mastodon" : "bluesky") }
    mixed[0] = mention(30, "mastodon", text: "Edited: still waiting")
    mixed[1] = mention(31, "bluesky", deletion: "deleted")
    mixed.append(mention(60, "rss", deletion: "withheld"))
    mixed.append(
      IncomingMention.tombstone(platform: "mastodon", externalID: "b32", reason: "deleted", raw: "{}"))
    _ = try s.ingest(mixed, actor: "t", annotator: PolicyAnnotator(policy: .default))
    #expect(try kept() == counted())
    let id = try #require(try s.mentionID(platform: "mastodon", externalID: "b2"))
    try s.decideNoReply(ids: [id], reason: "duplicate", policy: .default, actor: "anna")
    _ = try s.forget(author: "@user1@example.social", actor: "anna")
    #expect(try kept() == counted())
  }

  /// Issue 17: the count an inbox runs after every commit elsewhere looks at the few rows asked
  /// about by rowid, whatever the filter; a scan of the table (an empty `IN ()`, a language's
  /// index walked whole) cost a third of an open inbox's CPU while others ingested.
  @Test func theReachCountReadsOnlyTheRowsAskedAbout() throws {
    let dir = TempFolder()
    let s = try store(dir)
    try ingest(s, 0..<30)
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
      annasWatched,
    ]
    for filter in filters {
      for (ids, above) in [([Int64](), Int64?(12)), ([3, 5], nil), ([3], 12)] {
        for anchored in [false, true] {
          let reach = try #require(
            try s.reachCount(ids: Set(ids), newAbove: above, anchored: anchored, filter, now: now))
          var arguments = reach.arguments
          for name in ["rank", "key", "kid"] { arguments[name] = 0 }
          let plan = try s.pool.read { db in
            try Row.fetchAll(
              db, sql: "EXPLAIN QUERY PLAN " + reach.sql, arguments: StatementArguments(arguments)
            ).map { $0["detail"] as String }
          }
          #expect(
            !plan.contains { $0.hasPrefix("SCAN m") || $0.contains("USING INDEX") && $0.contains(" m ") },
            "\(filter.words) ids \(ids) above \(String(describing: above)): \(plan)")
        }
      }
    }
    #expect(try s.reachCount(ids: [], newAbove: nil, anchored: false, QueueFilter(), now: now) == nil)
  }
}

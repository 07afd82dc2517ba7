import Foundation
import GRDB
import Inbox
import Policy
import Testing

@testable import Store

/// Issue 17: `report` and the supervisor's figures read a summary kept at write time
/// (`figure_hours`, v23b). It must equal a full recount after any sequence of actions, and a
/// store's upgrade builds it from the rows there. (That the figures read from it equal the scan
/// they replace, on both stores, is `FigureConformanceTests`.)
@Suite struct FigureSummaryTests {
  let start = RFC3339.parse("2026-11-20T00:00:00Z")!

  var policy: PolicyConfig {
    var p = PolicyConfig.default
    p.serviceHours = nil
    p.windows[.complaint]?.followUp = .seconds(10 * 60)
    p.holdingFollowUp = .seconds(4 * 3600)
    p.holdingFollowUpInServiceHours = false
    return p
  }

  func store(_ dir: TempFolder, at time: Date) throws -> SQLiteStore {
    try SQLiteStore(path: dir.path + "/s.sqlite", clock: .fixed(time))
  }

  static let texts = [
    "My parcel is still not here, third week, and nobody answers my emails.",
    "Hoe laat vertrekt de eerste trein naar Utrecht?",
    "Thanks, great service today!",
    "Is the app down? I cannot log in.",
  ]

  /// Mentions 37 minutes apart over ten days, of every kind, several authors, in batches.
  func fill(_ dir: TempFolder) throws {
    let s = try store(dir, at: start.addingTimeInterval(10 * 86_400))
    for batch in 0..<4 {
      _ = try s.ingest(
        (0..<100).map { i in
          let k = batch * 100 + i
          return IncomingMention(
            platform: k % 5 == 0 ? "rss" : "mastodon", externalID: "m\(k)",
            author: Author(handle: "@user\(k % 13)@example.social"),
            createdAt: start.addingTimeInterval(Double(k) * 37 * 60), text: Self.texts[k % Self.texts.count],
            lang: "en", raw: "{}")
        }, actor: "t", annotator: batch == 3 ? nil : PolicyAnnotator(policy: policy))
    }
  }

  func id(_ s: SQLiteStore, _ k: Int) throws -> Int64 {
    try #require(try s.mentionID(platform: k % 5 == 0 ? "rss" : "mastodon", externalID: "m\(k)"))
  }

  /// What the team does, at times through the ten days: replies early and late, holding replies
  /// and the answers after them, no-reply decisions, a reopen, recategorising, snoozes, muting by
  /// erasure (forget) and deleting rows (purge).
  func act(_ dir: TempFolder) throws {
    for k in stride(from: 0, to: 300, by: 7) {
      let at = start.addingTimeInterval(Double(k) * 37 * 60 + Double(k % 4) * 2400)
      let s = try store(dir, at: at)
      let m = try id(s, k)
      switch k % 6 {
      case 0, 1:
        try s.enqueueReply(
          mentionID: m, responder: k % 2 == 0 ? "anna" : "bram", kind: .reply, text: "Sorry!", policy: policy)
      case 2:
        try s.enqueueReply(
          mentionID: m, responder: "anna", kind: .holding, text: "Looking into it.", policy: policy)
        if k % 4 == 0 {
          try store(dir, at: at.addingTimeInterval(3 * 3600)).enqueueReply(
            mentionID: m, responder: "bram", kind: .reply, text: "Found it.", policy: policy)
        }
      case 3: try s.decideNoReply(ids: [m], reason: "duplicate", policy: policy, actor: "anna")
      case 4: try s.recategorise(ids: [m], to: .praise, policy: policy, actor: "anna")
      default: try s.snooze(ids: [m], until: at.addingTimeInterval(3600), actor: "anna")
      }
    }
    let late = try store(dir, at: start.addingTimeInterval(10 * 86_400))
    try late.reopen(ids: [try id(late, 3 * 7 * 6 + 21)], actor: "anna")
    try late.markReplied(ids: [try id(late, 301), try id(late, 302)], actor: "cees")
    _ = try late.forget(author: "@user4@example.social", actor: "anna")
    _ = try late.purge(before: start.addingTimeInterval(86_400), actor: "anna")
  }

  /// The summary's rows against the same sums over every mention, recounted.
  func expectSummaryIsARecount(_ s: SQLiteStore, _ comment: Comment) throws {
    let (kept, counted) = try s.pool.read { db in
      let kept = try Row.fetchAll(db, sql: "SELECT * FROM figure_hours ORDER BY hour, category")
        .filter { row in (2..<row.count).contains { (row[$0] as Int) != 0 } }
      let counted = try Row.fetchAll(db, sql: FigureSummary.aggregate(where: "true") + " ORDER BY 1, 2")
        .filter { row in (2..<row.count).contains { (row[$0] as Int) != 0 } }
      return (kept.map { Array($0.databaseValues) }, counted.map { Array($0.databaseValues) })
    }
    #expect(kept == counted, comment)
    #expect(!kept.isEmpty, comment)
  }

  /// The figures at moments through and after the ten days, for periods that start on the hour,
  /// within one, and before the first mention (the figures against the scan they replace are in
  /// the conformance suite, `FigureConformanceTests`, on both stores).
  func figures(_ s: SQLiteStore) throws -> [TeamFigures] {
    var out: [TeamFigures] = []
    for hours in [-30.0, 0.5, 24, 88, 97.25, 241, 260] {
      let now = start.addingTimeInterval(hours * 3600 + 17)
      for since in [
        now.addingTimeInterval(-7 * 86_400), start.addingTimeInterval(-86_400), now.addingTimeInterval(-5400),
      ] {
        let today = now.addingTimeInterval(-(hours.truncatingRemainder(dividingBy: 24)) * 3600)
        out.append(try s.teamFigures(now: now, today: today, since: since))
      }
    }
    return out
  }

  @Test func theSummaryEqualsARecountAfterAMixedSequence() throws {
    let dir = TempFolder()
    try fill(dir)
    let s = try store(dir, at: start)
    try expectSummaryIsARecount(s, "after ingest")
    try act(dir)
    try expectSummaryIsARecount(s, "after the team's actions, erasure and purge")
    // The report reads the answered mentions and the targets ahead, not the period's rows.
    let plan = try s.pool.read { db in
      try Row.fetchAll(
        db,
        sql: """
          EXPLAIN QUERY PLAN SELECT sum(fr_within) FROM figure_hours WHERE hour >= 0 AND hour <= 1000000
          """
      ).map { $0["detail"] as String }
    }
    #expect(plan.contains { $0.contains("PRIMARY KEY") }, "\(plan)")
  }

  /// A store from before v23: its summary is built from the rows it has, and its totals and
  /// figures are the same after the upgrade.
  @Test func theMigrationBuildsTheSummaryFromExistingRows() throws {
    let dir = TempFolder()
    try fill(dir)
    try act(dir)
    let path = dir.path + "/s.sqlite"
    let before = try figures(try store(dir, at: start))
    // Back to v22: no summary, the per-row totals trigger, no record of v23.
    let queue = try DatabaseQueue(path: path)
    try queue.write { db in
      try db.execute(
        sql: """
          DROP TRIGGER figure_hours_on_update; DROP TRIGGER figure_hours_on_delete; DROP TABLE figure_hours;
          DROP INDEX mentions_answered; DROP INDEX mentions_awaiting_first; DROP INDEX mentions_awaiting_follow_up;
          DELETE FROM grdb_migrations WHERE identifier LIKE 'v23%';
          CREATE TRIGGER queue_totals_on_insert AFTER INSERT ON mentions
            BEGIN
              INSERT INTO queue_totals VALUES (NEW.platform, coalesce(NEW.category, ''), NEW.status, NEW.muted,
                NEW.due_at IS NOT NULL, 1) ON CONFLICT DO UPDATE SET n = n + 1;
            END;
          """)
    }
    try queue.close()
    let s = try store(dir, at: start)
    #expect(try s.appliedMigrations() == Schema.migrator.migrations)
    try expectSummaryIsARecount(s, "after the migration")
    #expect(try figures(s) == before)
  }
}

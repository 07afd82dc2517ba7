import Foundation
import GRDB
import Inbox
import Policy
import Testing

@testable import Store

/// Repeated posts folded (issue 16): the same author, the same text (case, spacing and links
/// aside), within the policy's window of an open first post, is one row answered once.
@Suite struct RepeatFoldTests {
  static let now = Date(timeIntervalSince1970: 1_795_512_600)
  static let text = "Trein 8:12 naar Utrecht staat AL 20 minuten stil. Niemand zegt iets!"

  static func post(_ id: String, _ handle: String = "pendelaar", minutesAgo: Double, _ text: String = text)
    -> IncomingMention
  {
    IncomingMention(
      platform: "mastodon", externalID: id, author: Author(handle: handle),
      createdAt: now.addingTimeInterval(-minutesAgo * 60), text: text, lang: "nl", raw: "{}")
  }

  func store(_ dir: TempFolder) throws -> SQLiteStore {
    let store = try SQLiteStore(path: dir.path + "/repute.sqlite", clock: .fixed(Self.now))
    try store.installPolicyIfMissing(source: PolicyFile.render(.default), actor: "test")
    return store
  }

  func id(_ store: SQLiteStore, _ external: String) throws -> Int64 {
    try #require(try store.mentionID(platform: "mastodon", externalID: external))
  }

  /// The rows, events and order are in the conformance suite (`IngestArrivalConformanceTests`,
  /// `RepeatConformanceTests`); here what only SQLite keeps: the queue's totals and the figures'
  /// summary.
  @Test("three identical posts in the window fold; the totals stay a recount")
  func folds() throws {
    let dir = TempFolder()
    let store = try store(dir)
    let counts = try store.ingest(
      [
        Self.post("1", minutesAgo: 60),
        Self.post(
          "2", minutesAgo: 40,
          "trein 8:12 naar   utrecht staat al 20 minuten stil. niemand zegt iets! https://t.co/abc"),
        Self.post("3", minutesAgo: 20),
        Self.post("other", "iemand", minutesAgo: 10),
      ], actor: "test", annotator: PolicyAnnotator(policy: .default))
    #expect(counts.folded == 2)
    try expectTotalsAreARecount(store)
  }

  /// Folding mutes a row stored earlier in the same batch, before ingest adds the batch to the
  /// running totals (v23): the queue's totals and the figures' summary must still be a recount.
  func expectTotalsAreARecount(_ s: SQLiteStore, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let (kept, counted, summary, recount) = try s.pool.read { db in
      let kept = try Row.fetchAll(
        db,
        sql: """
          SELECT platform || '/' || category || '/' || status || '/' || muted || '/' || clocked AS k, n
          FROM queue_totals WHERE n != 0 ORDER BY k
          """
      ).map { "\($0[0] as String)=\($0[1] as Int)" }
      let counted = try Row.fetchAll(
        db,
        sql: """
          SELECT platform || '/' || coalesce(category, '') || '/' || status || '/' || muted || '/'
            || (due_at IS NOT NULL) AS k, count(*) FROM mentions GROUP BY 1 ORDER BY k
          """
      ).map { "\($0[0] as String)=\($0[1] as Int)" }
      let summary = try Row.fetchAll(db, sql: "SELECT * FROM figure_hours ORDER BY hour, category")
        .filter { row in (2..<row.count).contains { (row[$0] as Int) != 0 } }.map {
          "\(Array($0.databaseValues))"
        }
      let recount = try Row.fetchAll(db, sql: FigureSummary.aggregate(where: "true") + " ORDER BY 1, 2")
        .filter { row in (2..<row.count).contains { (row[$0] as Int) != 0 } }.map {
          "\(Array($0.databaseValues))"
        }
      return (kept, counted, summary, recount)
    }
    #expect(kept == counted, sourceLocation: sourceLocation)
    #expect(summary == recount, sourceLocation: sourceLocation)
  }

  @Test("the repeat key: case, spacing and links aside")
  func key() {
    #expect(SQLiteStore.repeatKey("Hallo  WERELD https://x.example/a") == "hallo wereld")
    #expect(SQLiteStore.repeatKey("https://x.example") == "")
  }
}

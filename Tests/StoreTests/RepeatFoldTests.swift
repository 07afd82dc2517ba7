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

  /// The rows, events and order are in the conformance suite (`IngestArrivalConformanceTests`);
  /// here what only SQLite keeps: the queue's totals and the figures' summary.
  @Test("three identical posts in the window are one row with ×3; the totals stay a recount")
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
    #expect(counts.new == 4 && counts.folded == 2)
    let first = try id(store, "1")
    let queue = try store.queue(QueueFilter(), limit: 10, offset: 0, now: Self.now)
    #expect(queue.map(\.mention.externalID).sorted() == ["1", "other"])
    #expect(queue.first { $0.mention.id == first }?.mention.repeats == 2)
    #expect(try store.repeats(of: first) == [try id(store, "2"), try id(store, "3")])
    #expect(try store.mention(id: try id(store, "3"))?.repeatOf == first)
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

  @Test("a repeat of a post the team already answered is a new row")
  func afterAnswer() throws {
    let dir = TempFolder()
    let store = try store(dir)
    _ = try store.ingest([Self.post("1", minutesAgo: 60)], actor: "test", annotator: nil)
    try store.markReplied(ids: [try id(store, "1")], actor: "Anna")
    _ = try store.ingest([Self.post("2", minutesAgo: 30)], actor: "test", annotator: nil)
    #expect(try store.mention(id: try id(store, "2"))?.repeatOf == nil)
  }

  @Test("one reply on the row closes every repeat in the same transaction, each with its own event")
  func answeredOnce() throws {
    let dir = TempFolder()
    let store = try store(dir)
    _ = try store.ingest(
      [Self.post("1", minutesAgo: 60), Self.post("2", minutesAgo: 40), Self.post("3", minutesAgo: 20)],
      actor: "test", annotator: PolicyAnnotator(policy: .default))
    let first = try id(store, "1")
    try store.enqueueReply(
      mentionID: first, responder: "Anna", kind: .reply, text: "Sorry voor het wachten! – Anna",
      policy: .default)
    for external in ["2", "3"] {
      let repeatID = try id(store, external)
      #expect(try store.mention(id: repeatID)?.status == .replied)
      let events = try store.events(mentionID: repeatID).filter { $0.action == "answered_with" }
      #expect(events.count == 1 && events.first?.detail == #"{"with":\#(first)}"#)
    }
    #expect(try store.outbox(mentionID: try id(store, "2")).isEmpty)
    #expect(try store.outbox(mentionID: first).count == 1)
  }

  @Test("taking the reply back reopens the repeats it answered")
  func takenBack() throws {
    let dir = TempFolder()
    let store = try store(dir)
    _ = try store.ingest(
      [Self.post("1", minutesAgo: 60), Self.post("2", minutesAgo: 40)], actor: "test",
      annotator: PolicyAnnotator(policy: .default))
    let (first, second) = (try id(store, "1"), try id(store, "2"))
    let reply = try store.enqueueReply(
      mentionID: first, responder: "Anna", kind: .reply, text: "Sorry voor het wachten! – Anna",
      policy: .default)
    #expect(try store.mention(id: second)?.status == .replied)
    _ = try store.withdrawReply(id: reply.id, reason: "typo", actor: "Anna", keepDraft: true)
    #expect(try store.mention(id: first)?.status == .open)
    #expect(try store.mention(id: second)?.status == .open)
    #expect(try store.events(mentionID: second).map(\.action).contains("reply_withdrawn"))
  }

  @Test("no reply and snooze on the row hold for the repeats too")
  func noReplyAndSnooze() throws {
    let dir = TempFolder()
    let store = try store(dir)
    _ = try store.ingest(
      [Self.post("1", minutesAgo: 60), Self.post("2", minutesAgo: 40)], actor: "test", annotator: nil)
    let (first, second) = (try id(store, "1"), try id(store, "2"))
    let until = Self.now.addingTimeInterval(3600)
    try store.snooze(ids: [first], until: until, actor: "Anna")
    #expect(try store.mention(id: second)?.status == .snoozed)
    #expect(try store.mention(id: second)?.snoozedUntil == until)
    try store.decideNoReply(ids: [first], reason: "vent", policy: .default, actor: "Anna")
    #expect(try store.mention(id: second)?.status == .noReply)
    #expect(try store.events(mentionID: second).map(\.action).contains("no_reply"))
  }

  @Test("the repeat key: case, spacing and links aside")
  func key() {
    #expect(SQLiteStore.repeatKey("Hallo  WERELD https://x.example/a") == "hallo wereld")
    #expect(SQLiteStore.repeatKey("https://x.example") == "")
  }
}

import Foundation
import Inbox
import Policy
import Testing

@testable import Store

/// SQLite's own means behind the queue's windows: the hints that let a window skip an empty part,
/// and the search over mentions the full-text index has not taken in yet. (Keyset paging against
/// paging by position is checked on both stores in `QueueConformanceTests`.)
@Suite struct QueuePagingTests {
  let now = Date(timeIntervalSince1970: 1_795_512_600)

  /// 60 mentions over all three segments, with ties on the deadline, a muted one and a snoozed one.
  func seeded() throws -> (SQLiteStore, TempFolder) {
    let dir = TempFolder()
    let store = try SQLiteStore(path: dir.path + "/s.sqlite", clock: .fixed(now))
    var windows: [String: (Double, Double)?] = [:]
    var batch: [IncomingMention] = []
    for i in 0..<60 {
      let id = "m\(i)"
      switch i % 4 {
      case 0: windows[id] = (0, Double(30 + (i % 7) * 10))  // on the clock; deadlines tie
      case 1: windows[id] = (Double(200 + i), 400)  // still cooling
      case 2: windows[id] = nil  // no target
      default: windows[id] = (0, Double(i))  // overdue or soon
      }
      let word = i % 5 == 0 ? "vertraging" : "trein"
      batch.append(
        IncomingMention(
          platform: i % 3 == 0 ? "mastodon" : "x", externalID: id, author: Author(handle: "u\(i % 9)"),
          createdAt: now.addingTimeInterval(-Double(120 + (i % 11)) * 60), text: "\(word) nummer \(i)",
          raw: "{}"))
    }
    windows["muted"] = (0, 1)
    batch.append(
      IncomingMention(
        platform: "x", externalID: "muted", author: Author(handle: "noise"), createdAt: now, text: "trein",
        raw: "{}"))
    _ = try store.ingest(batch, actor: "t", annotator: ScriptedAnnotator(windows: windows))
    let sleeper = try #require(try store.mentionID(platform: "x", externalID: "m5"))
    try store.snooze(ids: [sleeper], until: now.addingTimeInterval(3600), actor: "t")
    return (store, dir)
  }

  func all(_ store: SQLiteStore, _ query: QueueFilter) throws -> [Int64] {
    try store.queue(query, limit: 1000, offset: 0, now: now).map(\.mention.id)
  }

  @Test("a hint that a part is empty is dropped once the store's content changes")
  func hintsFollowTheContent() throws {
    let (store, dir) = try seeded()
    _ = dir
    let praise = QueueFilter(categories: [.praise])
    let before = try store.queueCount(praise, now: now)
    // A praise mention now has a target (on the clock), where the hint said there were none.
    let id = try #require(try all(store, praise).first)
    try store.pool.write { db in
      try db.execute(
        sql: "UPDATE mentions SET due_at = ? WHERE id = ?", arguments: [now.epochMilliseconds, id])
    }
    try store.addNote(mentionID: id, text: "moved", actor: "t")
    let walked = try #require(try store.queue(praise, anchor: .end, limit: 100, now: now)).map(\.mention.id)
    #expect(walked.count == before)
    #expect(walked.first == id)
  }

  @Test("a search finds mentions above the index's high-water mark, with the index's rules")
  func searchCoversTheUnindexedTail() throws {
    let (store, dir) = try seeded()
    _ = dir
    // Index only the first 20 mentions; the rest is the tail.
    try store.indexSearch(limit: 20)
    #expect(try store.searchBacklog() > 0)
    let partial = try all(store, QueueFilter(search: "vertraging"))
    try store.indexSearch()
    #expect(try store.searchBacklog() == 0)
    let full = try all(store, QueueFilter(search: "vertraging"))
    #expect(partial == full)
    // Every fifth of the 60 says it; m5 of them is asleep.
    #expect(full.count == 11)
    // What arrives after a search is found by the next one, before and after it is indexed.
    _ = try store.ingest(
      [
        IncomingMention(
          platform: "x", externalID: "late", author: Author(handle: "laat"), createdAt: now,
          text: "Weer VERTRAGING!", raw: "{}")
      ], actor: "t", annotator: ScriptedAnnotator(windows: [:]))
    #expect(try all(store, QueueFilter(search: "vertraging")).count == 12)
    #expect(try store.queueCount(QueueFilter(search: "vertraging"), now: now) == 12)
    try store.indexSearch()
    #expect(try all(store, QueueFilter(search: "vertraging")).count == 12)
  }

  @Test("the tail matcher folds case and accents and matches the last word as a prefix")
  func tailMatcher() {
    func match(_ q: String, _ text: String, handle: String = "") -> Bool {
      SearchTail.matches(query: SearchTail.words(q), text: text, handle: handle)
    }
    #expect(match("cafe", "Het CAFÉ was dicht"))
    #expect(match("caf", "Het café was dicht"))
    #expect(!match("caf bar", "Het café was dicht"))
    #expect(match("het caf", "Het café was dicht"))
    #expect(!match("afe", "Het café was dicht"))  // tokens, not substrings
    #expect(match("e-mail", "stuur een E-mail"))  // a phrase of two tokens
    #expect(!match("e-mail", "e en mail"))
    #expect(match("anna", "geen naam", handle: "@Anna_NS"))
    #expect(match("trein anna", "De trein", handle: "anna"))
    #expect(!match("", "iets"))
  }
}

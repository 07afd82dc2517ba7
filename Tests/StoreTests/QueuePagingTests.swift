import Foundation
import Inbox
import Policy
import Testing

@testable import Store

/// Keyset paging gives the same queue as paging by position, from either end and from any
/// mention, with filters and searches; and a search finds mentions the index has not taken in.
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

  @Test(
    "walking by key, forwards and backwards, gives the queue by position",
    arguments: [
      QueueFilter(), QueueFilter(platforms: ["mastodon"]), QueueFilter(categories: [.complaint]),
      QueueFilter(clocks: [.overdue, .cooling]), QueueFilter(search: "trein"), QueueFilter(search: "vertr"),
    ])
  func keysetMatchesOffsets(query: QueueFilter) throws {
    let (store, dir) = try seeded()
    _ = dir
    try store.indexSearch()
    let expected = try all(store, query)
    #expect(expected.count > 3)
    // Counting leaves hints of the parts the filter leaves empty (complaints are never off the
    // clock here); the windows then skip those parts, with the same result.
    #expect(try store.queueCount(query, now: now) == expected.count)
    for limit in [1, 4, 7] {
      // Forwards from the top, each window after the last row of the one before.
      var walked = try store.queue(query, limit: limit, offset: 0, now: now).map(\.mention.id)
      while let last = walked.last {
        let next = try #require(try store.queue(query, anchor: .after(last), limit: limit, now: now))
        if next.isEmpty { break }
        walked += next.map(\.mention.id)
      }
      #expect(walked == expected, "forwards, limit \(limit)")
      // Backwards from the end.
      var back = try #require(try store.queue(query, anchor: .end, limit: limit, now: now)).map(\.mention.id)
      while let first = back.first {
        let previous = try #require(try store.queue(query, anchor: .before(first), limit: limit, now: now))
        if previous.isEmpty { break }
        back = previous.map(\.mention.id) + back
      }
      #expect(back == expected, "backwards, limit \(limit)")
    }
    // From any row, the row itself and what follows it.
    for (index, id) in expected.enumerated() {
      let from = try #require(try store.queue(query, anchor: .from(id), limit: 3, now: now)).map(\.mention.id)
      #expect(from == Array(expected[index...].prefix(3)))
    }
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

  @Test("an anchor that left the queue still marks its place; a deleted one gives nil")
  func anchors() throws {
    let (store, dir) = try seeded()
    _ = dir
    let order = try all(store, QueueFilter())
    let gone = order[10]
    try store.decideNoReply(ids: [gone], reason: "duplicate", policy: .default, actor: "t")
    let after = try all(store, QueueFilter())
    // It moved to the no-target segment; the rows after it there follow it.
    let position = try #require(after.firstIndex(of: gone))
    let next = try #require(try store.queue(QueueFilter(), anchor: .after(gone), limit: 2, now: now))
    #expect(next.map(\.mention.id) == Array(after[(position + 1)...].prefix(2)))
    #expect(try store.queue(QueueFilter(), anchor: .after(999_999), limit: 2, now: now) == nil)
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

import Foundation
import Inbox
import Policy
import Testing

/// The queue's search on both stores, by SQLite's rules: every word must occur, as a phrase of its
/// tokens (runs of letters and digits), the last word's last token as a prefix, in the text or
/// the author's handle, case and accents ignored.
@Suite struct SearchConformanceTests {
  let now = TestStores.now

  static let posts: [(id: String, text: String, handle: String)] = [
    ("cafe", "Het CAFÉ was dicht", "kees"),
    ("email", "stuur een E-mail", "kees"),
    ("loose", "e en mail", "kees"),
    ("handle", "geen naam", "Anna_NS"),
    ("trein", "De trein", "anna"),
    ("moscow", "Поезд в Москву", "ivan"),
    ("naive", "Wat NAÏVE van ons", "joke"),
  ]

  func seeded(_ kind: StoreKind) throws -> (TestStore, [String: Int64]) {
    let store = try TestStore(kind)
    let queue = try store.as((any QueueStore).self)
    _ = try queue.ingest(
      Self.posts.enumerated().map { index, post in
        incoming(post.id, text: post.text, handle: post.handle, minutesAgo: 10 + index)
      }, actor: "t", annotator: QueueAnnotator(windows: [:]))
    try queue.indexSearch()
    return (store, try store.ids(Self.posts.map(\.id)))
  }

  static let cases: [(words: String, found: [String])] = [
    ("cafe", ["cafe"]),
    ("CAFÉ", ["cafe"]),
    ("caf", ["cafe"]),
    ("caf bar", []),
    ("het caf", ["cafe"]),
    ("dicht het", ["cafe"]),
    ("afe", []),  // tokens, not substrings
    ("e-mail", ["email"]),  // a phrase of two tokens
    ("e-ma", ["email"]),
    ("mail", ["email", "loose"]),
    ("e mail", ["email", "loose"]),
    ("anna", ["handle", "trein"]),  // in the handle
    ("trein anna", ["trein"]),  // one word in the text, one in the handle
    ("kee", ["cafe", "email", "loose"]),
    ("ees", []),
    ("МОСКВ", ["moscow"]),
    ("naive", ["naive"]),
    ("  naïve  ", ["naive"]),
  ]

  @Test(arguments: TestStores.kinds)
  func theRulesOfTheSearch(kind: StoreKind) throws {
    let (store, ids) = try seeded(kind)
    let queue = try store.as((any QueueStore).self)
    for (words, found) in Self.cases {
      let filter = QueueFilter(search: words)
      let rows = try queue.queue(filter, limit: 100, offset: 0, now: now).map(\.mention.id)
      #expect(Set(rows) == Set(found.map { ids[$0]! }), "\(words)")
      #expect(try queue.queueCount(filter, now: now) == found.count, "\(words)")
    }
    // No word: no search, the whole queue.
    #expect(try queue.queueCount(QueueFilter(search: "   "), now: now) == Self.posts.count)
  }

  @Test("a search narrows with the other words, in the queue's order", arguments: TestStores.kinds)
  func withOtherWords(kind: StoreKind) throws {
    let (store, ids) = try seeded(kind)
    let queue = try store.as((any QueueStore).self)
    // Without a target, the newest first.
    let mail = try queue.queue(QueueFilter(search: "mail"), limit: 10, offset: 0, now: now).map(\.mention.id)
    #expect(mail == [ids["email"]!, ids["loose"]!])
    try QueueActions(store: store).claim(ids["loose"]!, by: "Anna")
    var f = QueueFilter(search: "mail")
    f.claimants = ["Anna"]
    #expect(try queue.queue(f, limit: 10, offset: 0, now: now).map(\.mention.id) == [ids["loose"]!])
    #expect(try queue.queueCount(f, now: now) == 1)
    #expect(try queue.queuePosition(of: ids["loose"]!, QueueFilter(search: "mail"), now: now) == 1)
    #expect(try queue.queuePosition(of: ids["cafe"]!, QueueFilter(search: "mail"), now: now) == nil)
  }

  @Test("an edited text is searched as it reads now", arguments: TestStores.kinds)
  func editsAreSearched(kind: StoreKind) throws {
    let (store, ids) = try seeded(kind)
    let queue = try store.as((any QueueStore).self)
    _ = try queue.ingest(
      [incoming("cafe", text: "De bar was open", handle: "kees", minutesAgo: 10)], actor: "t",
      annotator: QueueAnnotator(windows: [:]))
    try queue.indexSearch()
    #expect(try queue.queueCount(QueueFilter(search: "cafe"), now: now) == 0)
    #expect(
      try queue.queue(QueueFilter(search: "bar open"), limit: 10, offset: 0, now: now).map(\.mention.id) == [
        ids["cafe"]!
      ])
    // What arrives later is found at once.
    _ = try queue.ingest(
      [incoming("late", text: "Nog een CAFÉ", handle: "piet", minutesAgo: 1)], actor: "t",
      annotator: QueueAnnotator(windows: [:]))
    #expect(try queue.queueCount(QueueFilter(search: "café"), now: now) == 1)
  }

  @Test("the server keeps its search document at write time: nothing waits", arguments: TestStores.kinds)
  func nothingWaitsOnTheServer(kind: StoreKind) throws {
    let (store, _) = try seeded(kind)
    let queue = try store.as((any QueueStore).self)
    try queue.indexSearch()
    #expect(try queue.searchBacklog() == 0)
    if kind == .postgres { #expect(try queue.indexSearch() == 0) }
  }
}

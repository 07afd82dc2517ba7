import Foundation
import Inbox
import Testing

@testable import ServerStore

/// A search's windows are the queue's own rows that match, in the queue's order, at every offset
/// and next to every anchor. On the server a window is read by walking the segment's index, by
/// walking further as the matches' density says, or from the search index; the walk's lengths are
/// shortened here so that this small store takes each way, and every way gives the same rows.
@Suite struct SearchWindowConformanceTests {
  let now = TestStores.now

  /// Sixty posts over the three segments: one in two says `alpha`, one in seven `beta`, one
  /// `gamma`; `alp` and `bet` start no other word.
  static func seeded(_ kind: StoreKind) throws -> (TestStore, any QueueStore) {
    let store = try TestStore(kind)
    let queue = try store.as((any QueueStore).self)
    var windows: [String: (Double, Double)?] = [:]
    var posts: [IncomingMention] = []
    for i in 0..<60 {
      var words = ["post", "nummer", "\(i)"]
      if i % 2 == 0 { words.append("alpha") }
      if i % 7 == 3 { words.append("beta") }
      if i == 41 { words.append("gamma") }
      let id = "p\(i)"
      // A third on the clock and answerable, a sixth cooling off, the rest without a target.
      if i % 3 == 0 { windows[id] = (0, Double(30 + i)) }
      if i % 6 == 1 { windows[id] = (600, 900) }
      posts.append(incoming(id, text: words.joined(separator: " "), handle: "h\(i % 5)", minutesAgo: 5 + i))
    }
    _ = try queue.ingest(posts, actor: "t", annotator: QueueAnnotator(windows: windows))
    try queue.indexSearch()
    return (store, queue)
  }

  /// The words searched and the word a post must hold (by its number) to match.
  static let searches: [(words: String, matches: @Sendable (Int) -> Bool)] = [
    ("alpha", { $0 % 2 == 0 }),
    ("alp", { $0 % 2 == 0 }),
    ("beta", { $0 % 7 == 3 }),
    ("bet", { $0 % 7 == 3 }),
    ("gamma", { $0 == 41 }),
    ("zzz", { _ in false }),
    ("post alpha", { $0 % 2 == 0 }),
  ]

  /// The walks the server is tried with: the standard one, none at all (the search index at
  /// once), and a first walk of twice the window that the density then lengthens.
  static let walks: [ServerQueueRead.SearchWalk] = [
    ServerQueueRead.SearchWalk(),
    ServerQueueRead.SearchWalk(first: 0, longest: 0),
    ServerQueueRead.SearchWalk(first: 0, longest: 10_000),
  ]

  @Test(
    "a search's window is the queue's matching rows, however the server reads it", arguments: TestStores.kinds
  )
  func windows(kind: StoreKind) throws {
    let (store, queue) = try Self.seeded(kind)
    _ = store
    let all = try queue.queue(QueueFilter(), limit: 1000, offset: 0, now: now)
    #expect(all.count == 60)
    defer { ServerQueueRead.searchWalk.withLock { $0 = ServerQueueRead.SearchWalk() } }
    for walk in kind == .postgres ? Self.walks : [Self.walks[0]] {
      ServerQueueRead.searchWalk.withLock { $0 = walk }
      for (words, matches) in Self.searches {
        let expected = all.filter { matches(Int($0.mention.externalID.dropFirst())!) }.map(\.mention.id)
        let filter = QueueFilter(search: words)
        func ids(_ rows: [QueueEntry]?) -> [Int64]? { rows?.map(\.mention.id) }
        let context = "\(words), walk \(walk)"
        #expect(ids(try queue.queue(filter, limit: 1000, offset: 0, now: now)) == expected, "\(context)")
        #expect(try queue.queueCount(filter, now: now) == expected.count, "\(context)")
        for (offset, limit) in [(0, 1), (0, 4), (3, 4), (7, 10), (20, 5)] {
          let slice = Array(expected.dropFirst(offset).prefix(limit))
          #expect(
            ids(try queue.queue(filter, limit: limit, offset: offset, now: now)) == slice,
            "\(context), offset \(offset) limit \(limit)")
        }
        #expect(
          ids(try queue.queue(filter, anchor: .end, limit: 4, now: now)) == Array(expected.suffix(4)),
          "\(context)")
        for (place, id) in expected.enumerated() where place % 5 == 1 {
          #expect(
            ids(try queue.queue(filter, anchor: .after(id), limit: 3, now: now))
              == Array(expected.dropFirst(place + 1).prefix(3)), "\(context), after \(place)")
          #expect(
            ids(try queue.queue(filter, anchor: .from(id), limit: 3, now: now))
              == Array(expected.dropFirst(place).prefix(3)), "\(context), from \(place)")
          #expect(
            ids(try queue.queue(filter, anchor: .before(id), limit: 3, now: now))
              == Array(expected.prefix(place).suffix(3)), "\(context), before \(place)")
          #expect(try queue.queuePosition(of: id, filter, now: now) == place, "\(context), position \(place)")
        }
      }
    }
  }
}

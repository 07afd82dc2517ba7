import Foundation
import Inbox
import Testing

/// The ids ingest gives new mentions, on both stores: in the batch's order, one after the other
/// from the last one stored, whether a batch is small or big (on the server a big batch draws its
/// ids in one step and streams its rows), and with two writers at once each batch in one run.
@Suite struct IngestIDConformanceTests {
  /// The stored mentions' external ids in id order, with their ids.
  func byID(_ s: any MentionStore) throws -> [(id: Int64, externalID: String)] {
    try s.mentions(order: .newest, limit: 10_000, offset: 0).map { (id: $0.id, externalID: $0.externalID) }
      .sorted { $0.id < $1.id }
  }

  @Test(arguments: TestStores.kinds)
  func bigAndSmallBatchesNumberTheirMentionsInOrder(_ kind: StoreKind) throws {
    let store = try TestStore(kind)
    let s = try store.as((any MentionStore).self)
    let small = (0..<3).map { incoming("s\($0)", text: "small \($0)", handle: "h\($0 % 2)") }
    // A big batch with a duplicate and an edit among its new rows: they take no id.
    var big = (0..<250).map { incoming("b\($0)", text: "text \($0)", handle: "h\($0 % 9)") }
    big.insert(incoming("s1", text: "small 1", handle: "h1"), at: 100)
    big.insert(incoming("b3", text: "edited"), at: 200)
    let last = (0..<2).map { incoming("t\($0)", text: "last \($0)") }
    _ = try s.ingest(small, actor: "a", annotator: nil)
    let counts = try s.ingest(big, actor: "a", annotator: nil)
    #expect(counts.new == 250 && counts.duplicate == 2 && counts.edited == 1)
    _ = try s.ingest(last, actor: "a", annotator: nil)
    let rows = try byID(s)
    let expected = small.map(\.externalID) + (0..<250).map { "b\($0)" } + last.map(\.externalID)
    #expect(rows.map(\.externalID) == expected)
    #expect(zip(rows, rows.dropFirst()).allSatisfy { $0.id + 1 == $1.id }, "one id after the other")
  }

  @Test(arguments: TestStores.kinds)
  func twoWritersOfBigBatchesEachNumberABatchInOneRun(_ kind: StoreKind) async throws {
    let store = try TestStore(kind)
    let first = try store.as((any MentionStore).self)
    let second = try store.secondHandle()
    func batch(_ start: Int) -> [IncomingMention] {
      (start..<start + 300).map { incoming(String($0), text: "post \($0)", handle: "h\($0 % 40)") }
    }
    async let a: Void = Task.detached {
      for start in stride(from: 0, to: 1200, by: 300) {
        _ = try first.ingest(batch(start), actor: "a", annotator: nil)
      }
    }.value
    async let b: Void = Task.detached {
      for start in stride(from: 1200, to: 2400, by: 300) {
        _ = try second.ingest(batch(start), actor: "b", annotator: nil)
      }
    }.value
    _ = try await (a, b)
    let rows = try byID(first)
    #expect(rows.count == 2400 && Set(rows.map(\.id)).count == 2400)
    // Each batch's mentions took one run of ids, in the batch's order.
    var ids: [Int: [Int64]] = [:]
    for row in rows { ids[Int(row.externalID)! / 300, default: []].append(row.id) }
    for (n, run) in ids {
      #expect(run.count == 300 && run.last! - run.first! == 299, "batch \(n)")
    }
  }
}

import Foundation
import Inbox
import Policy
import Testing

/// Authors a big batch brings in for the first time, on both stores: their posts fold and count as
/// complaints among themselves as any author's do (the server works those out from the batch
/// itself, without looking up what a new author cannot have stored).
@Suite struct IngestNewAuthorConformanceTests {
  typealias Arrival = IngestArrivalConformanceTests

  static let complaints = [
    Arrival.complaint,
    "Alweer vertraging, waardeloze service van jullie, ik ben het echt helemaal zat.",
    "Derde keer deze week geannuleerd, dit is een schande en niemand die iets zegt.",
  ]

  /// One batch big enough for the server to stream: quiet questions of 200 new authors around
  /// `drie` (three different complaints in four days), `vier` (one complaint three times within
  /// the hour: the repeats fold into the first) and `twee` (one question twice).
  static func batch() -> [IncomingMention] {
    var batch: [IncomingMention] = []
    for i in 0..<200 {
      batch.append(
        Arrival.said(
          "q\(i)", "Hoe laat vertrekt de trein naar Zwolle vandaag, weet iemand dat?", handle: "vraag\(i)"))
    }
    batch.insert(Arrival.said("d1", complaints[0], handle: "drie", minutesAgo: 4 * 24 * 60), at: 10)
    batch.insert(Arrival.said("v1", complaints[1], handle: "vier", minutesAgo: 50), at: 20)
    batch.insert(
      Arrival.said("t1", "Is de storing bij Amersfoort al opgelost?", handle: "twee", minutesAgo: 40), at: 30)
    batch.insert(Arrival.said("d2", complaints[1], handle: "drie", minutesAgo: 2 * 24 * 60), at: 50)
    batch.insert(Arrival.said("v2", complaints[1], handle: "vier", minutesAgo: 40), at: 60)
    batch.insert(
      Arrival.said("t2", "Is de storing bij Amersfoort al opgelost?", handle: "twee", minutesAgo: 20), at: 70)
    batch.insert(Arrival.said("v3", complaints[1], handle: "vier", minutesAgo: 30), at: 90)
    batch.insert(Arrival.said("d3", complaints[2], handle: "drie", minutesAgo: 5), at: 150)
    return batch
  }

  @Test(arguments: TestStores.kinds)
  func newAuthorsFoldAndComplainWithinOneBatch(_ kind: StoreKind) throws {
    let store = try TestStore(kind, clock: .fixed(Arrival.monday))
    try store.putInForce(.default)
    let s = try store.as((any MentionStore).self)
    let counts = try Arrival.ingest(s, Self.batch())
    #expect(counts.new == 208 && counts.folded == 3)
    let all = try Arrival.all(s)
    let v1 = try #require(all["v1"])
    #expect(all["v2"]?.repeatOf == v1.id && all["v3"]?.repeatOf == v1.id && v1.repeats == 2)
    #expect(all["t2"]?.repeatOf == all["t1"]?.id && all["t1"]?.repeatOf == nil)
    #expect(all["d1"]?.category == .complaint && all["d3"]?.category == .complaint)
    // The third complaint in the window makes a repeat complainer; three of one post do not.
    #expect(try Arrival.reasons(s, "d3").contains("repeat_complainer"))
    #expect(try !Arrival.reasons(s, "d2").contains("repeat_complainer"))
    #expect(try !Arrival.reasons(s, "v1").contains("repeat_complainer"))
    // The same authors in a later batch are stored ones: a fourth complaint counts the three.
    let later = try Arrival.ingest(
      s, [Arrival.said("d4", Self.complaints[0] + " Nu weer!", handle: "drie", minutesAgo: 1)])
    #expect(later.new == 1)
    #expect(try Arrival.reasons(s, "d4").contains("repeat_complainer"))
  }
}

import Foundation
import Inbox
import Policy
import PostgresNIO
import XCTest

@testable import ServerStore

/// The posts an ingest process remembers of the authors it added (`IngestAuthorMemory.posts`): a
/// later batch folds, counts complaints and finds earlier escalations from them as the server's
/// lookups would, and asks the server again once another writer wrote in between.
final class ServerIngestHistoryTests: ServerDatabaseTestCase {
  let complaint = "Mijn trein is alweer geannuleerd en niemand weet iets, echt belachelijk slecht geregeld."
  let question = "Is de storing bij Amersfoort al opgelost?"
  let threat = "Ik schakel mijn advocaat in als dit zo doorgaat."
  let annotator = PolicyAnnotator(policy: .default)

  func said(_ id: String, _ text: String, handle: String, minutesAgo: Double) -> IncomingMention {
    IncomingMention(
      platform: "mastodon", externalID: id, author: Author(handle: handle, name: handle, followers: 100),
      createdAt: now.addingTimeInterval(-minutesAgo * 60), text: text, lang: "nl", raw: #"{"id":"\#(id)"}"#)
  }

  /// 250 questions of as many new authors: with them a batch is big enough to be copied.
  func filler(_ tag: String) -> [IncomingMention] {
    (0..<250).map { k in
      said(
        "\(tag)\(k)", "Hoe laat vertrekt de trein naar Zwolle, weet iemand dat? \(tag)\(k)",
        handle: "\(tag)\(k)", minutesAgo: 30)
    }
  }

  func store() throws -> ServerStore {
    let store = try ServerStore(address: TestServer.address(database.url), clock: .fixed(now))
    _ = try store.initialize()
    return store
  }

  /// The stored mention with external id `id`: its id and what it repeats.
  func row(_ store: ServerStore, _ id: String) throws -> (id: Int64, repeatOf: Int64?) {
    let rows = try store.bridge.run { session in
      try await session.rows(
        "SELECT id, repeat_of FROM mentions WHERE external_id = $1", binds: .of(id), as: (Int64, Int64?).self)
    }
    let found = try XCTUnwrap(rows.first, "no mention \(id)")
    return (found.0, found.1)
  }

  func actions(_ store: ServerStore, _ id: String) throws -> [String] {
    try store.events(mentionID: row(store, id).id).map(\.action).filter { $0.hasPrefix("escalat") }
  }

  func testALaterBatchFoldsAndCountsComplaintsFromWhatItRemembers() throws {
    let store = try store()
    defer { store.close() }
    try putDefaultPolicyInForce(store)
    _ = try store.ingest(
      filler("f") + [
        said("a1", complaint, handle: "anna", minutesAgo: 3 * 24 * 60),
        said("c1", question, handle: "cees", minutesAgo: 40),
      ], actor: "t", annotator: annotator)
    XCTAssertEqual(store.ingestAuthors.current.postCount, 252, "every post of the new authors remembered")
    let second = try store.ingest(
      filler("g") + [
        said("c2", question, handle: "cees", minutesAgo: 20),
        said(
          "a2", "Alweer vertraging, waardeloze service van jullie, ik ben het echt helemaal zat.",
          handle: "anna", minutesAgo: 60),
      ], actor: "t", annotator: annotator)
    XCTAssertEqual(second.folded, 1)
    XCTAssertEqual(try row(store, "c2").repeatOf, try row(store, "c1").id)
    XCTAssertEqual(try actions(store, "a2"), [])
    _ = try store.ingest(
      filler("h") + [
        said(
          "a3", "Derde keer deze week geannuleerd, dit is een schande en niemand die iets zegt.",
          handle: "anna", minutesAgo: 5)
      ], actor: "t", annotator: annotator)
    XCTAssertEqual(try actions(store, "a3"), ["escalate"], "the third complaint in seven days")
    XCTAssertEqual(store.ingestAuthors.current.postCount, 755)

    // Another writer stores a post of cees: the next batch asks the server, and folds into it.
    let other = try self.store()
    defer { other.close() }
    _ = try other.ingest(
      [said("c3", "Rijden er vandaag nog bussen vanaf Utrecht Centraal?", handle: "cees", minutesAgo: 10)],
      actor: "t", annotator: annotator)
    let fourth = try store.ingest(
      filler("i") + [
        said("c4", "Rijden er vandaag nog bussen vanaf Utrecht Centraal?", handle: "cees", minutesAgo: 5)
      ], actor: "t", annotator: annotator)
    XCTAssertEqual(fourth.folded, 1)
    XCTAssertEqual(try row(store, "c4").repeatOf, try row(store, "c3").id)
    XCTAssertEqual(store.ingestAuthors.current.postCount, 250, "only the batch's new authors remembered")
  }

  func testARepeatOfAnEscalatedPostInALaterBatchIsCountedOnIt() throws {
    let store = try store()
    defer { store.close() }
    // No policy in force: nothing folds, and the repeat is counted on the first one's escalation.
    _ = try store.ingest(
      filler("f") + [said("t1", threat, handle: "bob", minutesAgo: 50)], actor: "t", annotator: annotator)
    let second = try store.ingest(
      filler("g") + [
        said("t2", threat, handle: "bob", minutesAgo: 30),
        said("t3", threat + " Echt.", handle: "bob", minutesAgo: 20),
      ], actor: "t", annotator: annotator)
    XCTAssertEqual(try actions(store, "t1"), ["escalate"])
    XCTAssertEqual(try actions(store, "t2"), ["escalation_repeat"])
    // The other text raises its own, repeating nothing.
    let t3 = try actions(store, "t3")
    XCTAssertFalse(t3.isEmpty || t3.contains("escalation_repeat"), "\(t3)")
    XCTAssertEqual(second.escalated, t3.count)
    XCTAssertEqual(store.ingestAuthors.current.postCount, 503)
  }
}

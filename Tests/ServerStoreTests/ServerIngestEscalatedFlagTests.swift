import Foundation
import Inbox
import Policy
import PostgresNIO
import XCTest

@testable import ServerStore

/// The escalated flag of new mentions written with the row (`ServerStore.insertedEscalated`): at
/// the batch's commit it is on exactly the mentions with an open escalation, in a small batch and
/// in one big enough to be copied; the rows guessed wrong (repeats folded) are set back, and the
/// queue's running totals agree with the rows.
final class ServerIngestEscalatedFlagTests: ServerDatabaseTestCase {
  let complaint = "Mijn trein is alweer geannuleerd en niemand weet iets, echt belachelijk slecht geregeld."
  let threat = "Ik schakel mijn advocaat in als dit zo doorgaat."

  func said(_ id: String, _ text: String, handle: String, minutesAgo: Double, followers: Int = 100)
    -> IncomingMention
  {
    IncomingMention(
      platform: "mastodon", externalID: id,
      author: Author(handle: handle, name: handle, followers: followers),
      createdAt: now.addingTimeInterval(-minutesAgo * 60), text: text, lang: "nl", raw: #"{"id":"\#(id)"}"#)
  }

  func testTheFlagIsOnTheEscalatedMentionsOnlyAndTheTotalsAgree() throws {
    let store = try ServerStore(address: TestServer.address(database.url), clock: .fixed(now))
    _ = try store.initialize()
    try putDefaultPolicyInForce(store)
    let annotator = PolicyAnnotator(policy: .default)
    let small = [
      said("t1", threat, handle: "boos", minutesAgo: 50),
      said("h1", complaint, handle: "luid", minutesAgo: 50, followers: 20_000),
      said("h2", complaint, handle: "luid", minutesAgo: 45, followers: 20_000),
    ]
    let first = try store.ingest(small, actor: "test", annotator: annotator)
    XCTAssertEqual(first.folded, 1)
    // Copied: 250 questions, two repeats folded (the complaint and the threat again), a new threat.
    var big = (0..<250).map { k in
      said("q\(k)", "Hoe laat vertrekt de trein naar Zwolle? \(k)", handle: "vraag\(k)", minutesAgo: 30)
    }
    big += [
      said("h3", complaint, handle: "luid", minutesAgo: 30, followers: 20_000),
      said("t2", threat, handle: "boos", minutesAgo: 20),
      said("x1", threat, handle: "ander", minutesAgo: 20),
    ]
    // A repeat complainer on the third complaint, guessed from the batch alone; three times the
    // same complaint of another author folds into one, which the guess cannot know.
    big += (1...3).map { k in
      said("c\(k)", "\(complaint) Dag \(k).", handle: "klager", minutesAgo: 26 - Double(k))
    }
    big += (1...3).map { k in said("r\(k)", complaint, handle: "herhaler", minutesAgo: 26 - Double(k)) }
    let second = try store.ingest(big, actor: "test", annotator: annotator)
    XCTAssertEqual(second.new, 259)
    XCTAssertEqual(second.folded, 4, "h3 and t2 repeat h1 and t1, r2 and r3 repeat r1")
    let (flagged, open, totals) = try store.bridge.run { session in
      (
        try await session.values(
          "SELECT external_id FROM mentions WHERE escalated ORDER BY external_id", as: String.self),
        try await session.values(
          """
          SELECT m.external_id FROM mentions m
          WHERE EXISTS (SELECT 1 FROM escalations e WHERE e.mention_id = m.id AND e.state IN ('new', 'acknowledged'))
          ORDER BY m.external_id
          """, as: String.self),
        try await session.values(
          "SELECT coalesce(sum(n), 0)::bigint FROM queue_totals WHERE escalated", as: Int64.self
        ).first
      )
    }
    XCTAssertEqual(flagged, ["c3", "h1", "t1", "x1"])
    XCTAssertEqual(flagged, open)
    XCTAssertEqual(totals, 4, "the running totals count the flagged rows")
  }
}

import Foundation
import GRDB
import Inbox
import Policy
import Testing

@testable import Store

/// 2026-03-02 10:00 UTC, a Monday: every rule below runs against this clock (as `REPUTE_NOW`).
private let now = RFC3339.parse("2026-03-02T10:00:00Z")!

private func incoming(
  _ id: String, _ text: String, handle: String = "sanne", minutesAgo: Double = 5, followers: Int? = 100,
  platform: String = "mastodon", at: Date = now
) -> IncomingMention {
  IncomingMention(
    platform: platform, externalID: id,
    author: Author(handle: handle, name: handle.capitalized, followers: followers),
    createdAt: at.addingTimeInterval(-minutesAgo * 60), text: text, lang: "nl", raw: #"{"id":"\#(id)"}"#)
}

private let complaint =
  "Mijn trein is alweer geannuleerd en niemand weet iets, echt belachelijk slecht geregeld."

/// A store on a fixed clock; `at(_:)` opens the same file on another clock (time moving on).
private struct Fixture {
  let folder = TempFolder()
  var path: String { folder.path + "/repute.sqlite" }
  let policy = PolicyConfig.default

  func at(_ date: Date) throws -> SQLiteStore { try SQLiteStore(path: path, clock: .fixed(date)) }

  func ingest(_ mentions: [IncomingMention], at date: Date = now) throws -> IngestCounts {
    try at(date).ingest(mentions, actor: "test", annotator: PolicyAnnotator(policy: policy))
  }

  func reasons(_ store: SQLiteStore, _ externalID: String, platform: String = "mastodon") throws -> [String] {
    let id = try #require(try store.mentionID(platform: platform, externalID: externalID))
    return try store.escalations(mentionID: id).map(\.reason).sorted()
  }
}

@Suite("Escalation rules")
struct EscalationRuleTests {
  @Test("the repeat-complainer count reads the author's index alone, only the window")
  func repeatCountIsCovered() throws {
    let f = Fixture()
    _ = try f.ingest([incoming("r1", complaint)])
    // EXPLAIN QUERY PLAN's fourth column is the step's text.
    let steps = try f.at(now).pool.read { db in
      try Row.fetchAll(
        db, sql: "EXPLAIN QUERY PLAN " + SQLiteStore.complaintsInWindowSQL,
        arguments: [1, now.epochMilliseconds, 604_800_000]
      ).map { $0[3] as String }
    }
    #expect(
      steps.contains {
        $0.contains("COVERING INDEX mentions_by_author (author_id=? AND created_at>")
      }, "\(steps)")
  }

  @Test("the detail's arrival event reads the ingest events' index, not every event")
  func arrivalEventIsIndexed() throws {
    let f = Fixture()
    _ = try f.ingest([incoming("r1", complaint)])
    let store = try f.at(now)
    let steps = try store.pool.read { db in
      try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + SQLiteStore.arrivalEventSQL, arguments: [1, 1, 1])
        .map { $0[3] as String }
    }
    #expect(steps.contains { $0.contains("USING INDEX events_ingest") }, "\(steps)")
    #expect(!steps.contains { $0 == "SCAN events" }, "\(steps)")
    let events = try store.events(mentionID: 1)
    #expect(events.first?.action == "ingest")
  }
}

@Suite("The supervisor's actions")
struct SupervisorActionTests {
  @Test("by hand twice: one open escalation with both notes")
  func byHandMerges() throws {
    let f = Fixture()
    _ = try f.ingest([incoming("m1", "Wanneer rijdt de trein weer?")])
    let store = try f.at(now)
    let id = try #require(try store.mentionID(platform: "mastodon", externalID: "m1"))
    let a = try store.escalate(mentionID: id, note: "Klant dreigt met de pers", actor: "Anna")
    let b = try store.escalate(mentionID: id, note: "Belt nu ook", actor: "Bram")
    #expect(a == b)
    let records = try store.escalations(mentionID: id)
    #expect(records.count == 1)
    #expect(records[0].notes.map(\.text) == ["Klant dreigt met de pers", "Belt nu ook"])
  }
}

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

  @Test("overdue past the target: raised once, not again after it was resolved")
  func overdue() throws {
    let f = Fixture()
    _ = try f.ingest([incoming("q1", "Hoe laat vertrekt de eerste trein naar Utrecht?", minutesAgo: 5)])
    let early = try f.at(now)
    #expect(try early.evaluateTimedRules(f.policy.escalation, now: now) == 0)
    let later = now.addingTimeInterval(3 * 86_400)
    let store = try f.at(later)
    #expect(try store.evaluateTimedRules(f.policy.escalation, now: later) == 1)
    #expect(try store.evaluateTimedRules(f.policy.escalation, now: later) == 0)
    #expect(try f.reasons(store, "q1") == ["overdue"])
    let escalation = try #require(try store.openEscalations().first)
    try store.resolve(escalation: escalation.escalation.id, note: "Beantwoord per telefoon", actor: "Sam")
    #expect(try store.evaluateTimedRules(f.policy.escalation, now: later.addingTimeInterval(60)) == 0)
    #expect(try store.openEscalations().isEmpty)
  }

  @Test("overdue in short passes of at most 2,000; what was due over a week before is stale")
  func overdueBatches() throws {
    let f = Fixture()
    let question = "Hoe laat vertrekt de eerste trein naar Utrecht?"
    _ = try f.ingest(
      (0..<2_001).map { incoming("b\($0)", question, handle: "p\($0)", minutesAgo: 600) }
        + [incoming("stale", question, handle: "oud", minutesAgo: 30 * 1440)])
    let store = try f.at(now)
    #expect(try store.evaluateTimedRules(f.policy.escalation, now: now) == 2_000)
    #expect(try store.evaluateTimedRules(f.policy.escalation, now: now) == 1)
    #expect(try store.evaluateTimedRules(f.policy.escalation, now: now) == 0)
    #expect(try f.reasons(store, "stale").isEmpty)
    #expect(try store.overdueCount(now: now) == 2_002)
    #expect(try store.overdueCount(now: now, cap: 100) == 101)
  }

  @Test("a sudden rise in volume: this hour against the usual for this hour, once per hour")
  func volumeRise() throws {
    let f = Fixture()
    var batch: [IncomingMention] = []
    for day in 1...7 {
      batch.append(incoming("d\(day)", "Goedemorgen", handle: "u\(day)", minutesAgo: Double(day) * 1440 + 10))
    }
    for i in 0..<12 {
      batch.append(incoming("n\(i)", "Storing bij Utrecht?", handle: "p\(i)", minutesAgo: Double(i * 4)))
    }
    _ = try f.ingest(batch)
    let store = try f.at(now)
    let volumes = try store.hourVolumes(now: now, days: 7)
    #expect(volumes.lastHour == 12)
    #expect(volumes.before == [1, 1, 1, 1, 1, 1, 1])
    #expect(try store.evaluateTimedRules(f.policy.escalation, now: now) == 1)
    #expect(try store.evaluateTimedRules(f.policy.escalation, now: now.addingTimeInterval(120)) == 0)
    let rise = try #require(try store.openEscalations().first { $0.escalation.reason == "volume_rise" })
    #expect(rise.severity == 3)
    #expect(rise.detail == #"{"last_hour":12,"usual":1}"#)
  }

  @Test("nine mentions are no rise (below volume_minimum), however quiet it usually is")
  func noRiseBelowMinimum() throws {
    let f = Fixture()
    _ = try f.ingest((0..<9).map { incoming("n\($0)", "Storing?", handle: "p\($0)", minutesAgo: Double($0)) })
    #expect(try f.at(now).evaluateTimedRules(f.policy.escalation, now: now) == 0)
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

  @Test("acknowledge, reassign, note, resolve: state, owner, notes and history")
  func lifecycle() throws {
    let f = Fixture()
    _ = try f.ingest([incoming("m1", "Ik schakel mijn advocaat in.")])
    let store = try f.at(now)
    let entry = try #require(try store.openEscalations().first)
    let id = entry.escalation.id
    #expect(entry.escalation.state == "new")
    try store.acknowledge(escalation: id, actor: "Sam")
    #expect(try store.escalation(id: id)?.state == "acknowledged")
    #expect(try store.escalation(id: id)?.owner == "Sam")
    try store.reassign(escalation: id, to: "Anna", actor: "Sam")
    #expect(try store.escalation(id: id)?.owner == "Anna")
    #expect(try store.entry(id: entry.mention.id)?.claimedBy == "Anna")
    try store.addNote(escalation: id, text: "Juridische zaken ingelicht", actor: "Sam")
    try store.resolve(escalation: id, note: "Afgehandeld door juridische zaken", actor: "Sam")
    #expect(try store.escalation(id: id)?.state == "resolved")
    #expect(try store.escalation(id: id)?.notes.count == 2)
    #expect(throws: EscalationError.alreadyResolved(id)) {
      try store.resolve(escalation: id, note: "", actor: "Sam")
    }
    let actions = try store.events(mentionID: entry.mention.id).map(\.action)
    #expect(
      Array(actions.drop { $0 != "escalate" })
        == [
          "escalate", "escalation_acknowledge", "escalation_reassign", "escalation_note",
          "escalation_resolve",
        ])
    #expect(throws: EscalationError.noSuchEscalation(999)) {
      try store.acknowledge(escalation: 999, actor: "Sam")
    }
  }

  @Test("the board: severity first, then the oldest")
  func boardOrder() throws {
    let f = Fixture()
    _ = try f.ingest([
      incoming("a", "Jullie zijn allemaal oplichters en leugenaars!!!", handle: "x1", minutesAgo: 50),
      incoming("b", "Ik schakel mijn advocaat in.", handle: "x2", minutesAgo: 10),
    ])
    let later = try f.at(now.addingTimeInterval(60))
    _ = try later.ingest(
      [incoming("c", "Mijn advocaat belt jullie morgen.", handle: "x3", minutesAgo: 1)], actor: "test",
      annotator: PolicyAnnotator(policy: f.policy))
    let board = try later.openEscalations()
    #expect(board.map(\.escalation.reason) == ["legal_or_press", "legal_or_press", "unfounded_accusation"])
    #expect(board.map(\.mention.externalID) == ["b", "c", "a"])
  }
}

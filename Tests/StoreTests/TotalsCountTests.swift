import Foundation
import GRDB
import Inbox
import Policy
import Testing

@testable import Store

/// Issue 17 (v29): a filter of kinds the running totals are kept by (category, status, platform,
/// language, an open escalation) is counted from the totals; after every kind of write the count
/// agrees with a count of the rows.
@Suite struct TotalsCountTests {
  let now = RFC3339.parse("2026-12-07T10:00:00Z")!

  func incoming(_ k: Int, platform: String, lang: String?, text: String) -> IncomingMention {
    IncomingMention(
      platform: platform, externalID: "t\(k)", author: Author(handle: "@user\(k % 7)@example.social"),
      createdAt: now.addingTimeInterval(-Double(k) * 60), text: "\(text) (\(k))", lang: lang, raw: "{}")
  }

  /// The count of the rows, as the scan in `queueCount` makes it.
  func scanned(_ s: SQLiteStore, _ query: QueueFilter) throws -> Int {
    let at = now.epochMilliseconds
    let (filter, arguments) = try s.filterSQL(query, now: at)
    var args = arguments
    args["now"] = at
    return try s.pool.read { db in
      try Int.fetchOne(
        db,
        sql: "SELECT count(*) FROM mentions m WHERE m.muted = 0 AND NOT \(SQLiteStore.asleepSQL) \(filter)",
        arguments: StatementArguments(args)) ?? 0
    }
  }

  @Test func theViewsCountedFromTheTotalsAgreeWithTheRows() throws {
    let dir = TempFolder()
    let s = try SQLiteStore(path: dir.path + "/s.sqlite", clock: .fixed(now))
    let texts = [
      ("nl", "Mijn pakket is nog steeds niet bezorgd en niemand reageert"),
      ("en", "My parcel is still not here and nobody answers my emails"),
      (nil, "Geweldige service vandaag, dank jullie wel voor de snelle hulp"),
      ("EN", "Thanks, great help today"), (nil, "Waarom is de winkel in Utrecht gesloten?"),
    ]
    let batch = (0..<60).map { k in
      incoming(
        k, platform: ["mastodon", "bluesky", "x"][k % 3], lang: texts[k % texts.count].0,
        text: texts[k % texts.count].1)
    }
    let policy = PolicyConfig.default
    _ = try s.ingest(batch, actor: "t", annotator: PolicyAnnotator(policy: policy))
    let ids = try (0..<60).map {
      try #require(try s.mentionID(platform: ["mastodon", "bluesky", "x"][$0 % 3], externalID: "t\($0)"))
    }
    // Every write that moves a mention between the totals' rows.
    let first = try s.escalate(mentionID: ids[0], reason: "threat", note: "", actor: "anna")
    _ = try s.escalate(mentionID: ids[1], reason: "threat", note: "", actor: "anna")
    _ = try s.escalate(mentionID: ids[6], reason: "legal", note: "", actor: "anna")
    try s.resolve(escalation: first, note: "handled", actor: "ben")
    try s.snooze(ids: [ids[2], ids[6]], until: now.addingTimeInterval(3600), actor: "anna")
    try s.snooze(ids: [ids[7]], until: now.addingTimeInterval(-60), actor: "anna")
    try s.decideNoReply(ids: [ids[3]], reason: "duplicate", policy: policy, actor: "anna")
    try s.recategorise(ids: [ids[4], ids[11]], to: .complaint, policy: policy, actor: "anna")
    try s.markReplied(ids: [ids[5]], actor: "anna")
    _ = try s.forget(author: "@user4@example.social", actor: "anna")
    try s.pool.write {
      try $0.execute(sql: "UPDATE mentions SET lang = 'de' WHERE id = ?", arguments: [ids[8]])
    }

    var dutchComplaints = QueueFilter(categories: [.complaint])
    dutchComplaints.languages = ["nl"]
    var escalated = QueueFilter()
    escalated.escalated = true
    var snoozedEscalated = QueueFilter(statuses: [.snoozed])
    snoozedEscalated.escalated = true
    var english = QueueFilter(platforms: ["x", "bluesky"])
    english.languages = ["en", "de"]
    let filters = [
      dutchComplaints, escalated, snoozedEscalated, english, QueueFilter(categories: [.praise, .question]),
      QueueFilter(statuses: [.open, .replied]), QueueFilter(statuses: [.snoozed]),
      QueueFilter(platforms: ["x"]),
    ]
    var seen = Set<Int>()
    for filter in filters {
      #expect(SQLiteStore.totalsCount(filter))
      let counted = try #require(try s.countFromTotals(filter, now: now.epochMilliseconds))
      #expect(counted == (try scanned(s, filter)), "\(filter.words) escalated \(filter.escalated)")
      #expect(try s.queueCount(filter, now: now) == counted)
      seen.insert(counted)
    }
    #expect(seen.count > 3, "the filters count different rows: \(seen)")
    // A clock, a claim or a search is counted from the rows.
    #expect(!SQLiteStore.totalsCount(QueueFilter(clocks: [.overdue])))
    #expect(!SQLiteStore.totalsCount(QueueFilter(search: "pakket")))
  }
}

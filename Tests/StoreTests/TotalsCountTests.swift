import Foundation
import GRDB
import Inbox
import Policy
import Testing

@testable import Store

/// Issue 17 (v29): a filter of kinds the running totals are kept by (category, status, platform,
/// language, an open escalation) is counted from the totals, any other from the rows. That the
/// counts agree with the rows after every kind of write is the conformance suite's
/// (`TotalsConformanceTests`), for both stores.
@Suite struct TotalsCountTests {
  let now = RFC3339.parse("2026-12-07T10:00:00Z")!

  @Test func theViewsAreReadFromTheTotalsAndTheRestFromTheRows() throws {
    let dir = TempFolder()
    let s = try SQLiteStore(path: dir.path + "/s.sqlite", clock: .fixed(now))
    _ = try s.ingest(
      [
        IncomingMention(
          platform: "x", externalID: "1", author: Author(handle: "anna"), createdAt: now,
          text: "Mijn pakket is nog steeds niet bezorgd", lang: "nl", raw: "{}")
      ], actor: "t", annotator: PolicyAnnotator(policy: .default))
    var dutchComplaints = QueueFilter(categories: [.complaint])
    dutchComplaints.languages = ["nl"]
    var escalated = QueueFilter()
    escalated.escalated = true
    for filter in [
      dutchComplaints, escalated, QueueFilter(statuses: [.snoozed]), QueueFilter(platforms: ["x"]),
    ] {
      #expect(SQLiteStore.totalsCount(filter))
      #expect(try s.countFromTotals(filter, now: now.epochMilliseconds) != nil, "\(filter.words)")
    }
    for filter in [QueueFilter(clocks: [.overdue]), QueueFilter(search: "pakket")] {
      #expect(!SQLiteStore.totalsCount(filter))
      #expect(try s.countFromTotals(filter, now: now.epochMilliseconds) == nil, "\(filter.words)")
    }
  }
}

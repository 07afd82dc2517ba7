import Foundation
import Inbox
import Policy
import Store
import Testing

/// Issue 14 through the binary: `show` says a mention is snoozed and until when, and how its first
/// response went; `report --csv` counts what was closed without a reply. On a store file and on
/// PostgreSQL alike (issue 18).
@Suite(.serialized) struct HonestClocksCLITests {
  /// Tuesday 24 November 2026, 12:00 UTC (13:00 in Amsterdam, inside the default service hours).
  static let now = RFC3339.parse(ReputeProcess.pinnedNow)!

  func line(_ id: String, _ handle: String, _ text: String, at: String) -> String {
    #"{"platform":"mastodon","id":"\#(id)","author":{"handle":"\#(handle)"},"created_at":"\#(at)","text":"\#(text)","lang":"nl"}"#
  }

  /// A complaint (1), a question (2) and another complaint (3), all of 11:55 UTC.
  func seeded(_ kind: CLIKind) throws -> (CLIStore, [String: Int64]) {
    let dir = try CLIStore.empty(kind)
    let file = dir.dir.write(
      "in.jsonl",
      [
        line(
          "1", "sanne", "Mijn trein is alweer geannuleerd en niemand weet iets, echt belachelijk.",
          at: "2026-11-24T11:55:00Z"),
        line("2", "tom", "Hoe laat vertrekt de eerste trein naar Utrecht?", at: "2026-11-24T11:55:00Z"),
        line(
          "3", "kees", "Alweer vertraging, en de klantenservice neemt niet op. Waardeloos.",
          at: "2026-11-24T11:55:00Z"),
      ].joined(separator: "\n"))
    let r = try dir.run(nil, ["ingest", file])
    #expect(r.status == 0, "\(r.stderr)")
    let store = try dir.open(at: Self.now)
    var ids: [String: Int64] = [:]
    for id in ["1", "2", "3"] { ids[id] = try store.mentionID(platform: "mastodon", externalID: id) }
    return (dir, ids)
  }

  func json(_ text: String) throws -> [String: Any] {
    let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
    return try #require(object?["mention"] as? [String: Any])
  }

  @Test(arguments: CLIStores.kinds) func showSaysSnoozedUntilWhenWithTheDayAndTime(kind: CLIKind) throws {
    let (dir, ids) = try seeded(kind)
    let store = try dir.open(at: Self.now)
    try store.snooze(ids: [ids["1"]!], until: Self.now.addingTimeInterval(2 * 86_400), actor: "Anna")
    let text = try dir.run(nil, ["show", "\(ids["1"]!)"])
    #expect(text.status == 0, "\(text.stderr)")
    // In the service hours' zone (Amsterdam).
    let until = RFC3339.format(Self.now.addingTimeInterval(2 * 86_400))
    #expect(text.stdout.contains("snoozed until Thu 26 Nov 13:00 (\(until))"), "\(text.stdout)")
    let shown = try dir.run(nil, ["show", "--json", "\(ids["1"]!)"])
    let m = try json(shown.stdout)
    #expect(m["status"] as? String == "snoozed")
    #expect(m["snoozed_until"] as? String == until)
    // Its target still runs: the next deadline is the first response's.
    #expect(m["next_deadline"] as? String != nil)
    let other = try json(
      try dir.run(nil, ["show", "--json", "\(ids["2"]!)"]).stdout)
    #expect(other.keys.contains("snoozed_until"))
    #expect(other["snoozed_until"] is NSNull)
  }

  @Test(arguments: CLIStores.kinds) func showGivesTheFirstResponseAndHowLateItWas(kind: CLIKind) throws {
    let (dir, ids) = try seeded(kind)
    let policy = PolicyConfig.default
    let id = ids["2"]!
    let before = try json(try dir.run(nil, ["show", "--json", "\(id)"]).stdout)
    #expect(before["first_response_at"] is NSNull)
    #expect(before["late_by_seconds"] is NSNull)
    let due = try #require(
      try dir.open(at: Self.now).mention(id: id)?.deadlines
        .firstResponse)
    let answered = due.addingTimeInterval(2 * 3600 + 23 * 60)
    let store = try dir.open(at: answered)
    try store.enqueueReply(
      mentionID: id, responder: "anna", kind: .reply, text: "Om 6:12 vanaf Utrecht Centraal! – Anna",
      policy: policy)
    let env = ["REPUTE_NOW": RFC3339.format(answered.addingTimeInterval(600))]
    let after = try json(
      try dir.run(nil, ["show", "--json", "\(id)"], environment: env).stdout)
    #expect(after["first_response_at"] as? String == RFC3339.format(answered))
    #expect(after["late_by_seconds"] as? Int == 2 * 3600 + 23 * 60)
    let text = try dir.run(nil, ["show", "\(id)"], environment: env)
    #expect(text.stdout.contains("answered 2h23m late"), "\(text.stdout)")
  }

  @Test(arguments: CLIStores.kinds) func showGivesTheFollowUpAndHowLateItWas(kind: CLIKind) throws {
    let (dir, ids) = try seeded(kind)
    let policy = PolicyConfig.default
    let id = ids["2"]!
    let before = try json(try dir.run(nil, ["show", "--json", "\(id)"]).stdout)
    #expect(before.keys.contains("follow_up_at") && before["follow_up_at"] is NSNull)
    #expect(
      before.keys.contains("follow_up_late_by_seconds") && before["follow_up_late_by_seconds"] is NSNull)
    // A holding reply now (S12), the real answer 2h23m past the follow-up it started.
    try dir.open(at: Self.now).enqueueReply(
      mentionID: id, responder: "anna", kind: .holding, text: "We zoeken het voor je uit! – Anna",
      policy: policy)
    let target = try #require(
      try dir.open(at: Self.now).mention(id: id)?.deadlines
        .followUp)
    let answered = target.addingTimeInterval(2 * 3600 + 23 * 60)
    try dir.open(at: answered).enqueueReply(
      mentionID: id, responder: "anna", kind: .reply, text: "Om 6:12 vanaf Utrecht Centraal! – Anna",
      policy: policy)
    let env = ["REPUTE_NOW": RFC3339.format(answered.addingTimeInterval(600))]
    let after = try json(
      try dir.run(nil, ["show", "--json", "\(id)"], environment: env).stdout)
    #expect(after["follow_up_at"] as? String == RFC3339.format(answered))
    #expect(after["follow_up_late_by_seconds"] as? Int == 2 * 3600 + 23 * 60)
    #expect(after["late_by_seconds"] as? Int == 0)
    let text = try dir.run(nil, ["show", "\(id)"], environment: env)
    #expect(
      text.stdout.contains("follow-up        \(RFC3339.format(target)), answered 2h23m late"),
      "\(text.stdout)")
  }

  @Test(arguments: CLIStores.kinds) func reportCountsClosedWithoutReplyPerCategory(kind: CLIKind) throws {
    let (dir, ids) = try seeded(kind)
    let store = try dir.open(at: Self.now)
    try store.decideNoReply(ids: [ids["1"]!], reason: "duplicate", policy: .default, actor: "Anna")
    let csv = try dir.run(nil, ["report", "--csv"])
    #expect(csv.status == 0, "\(csv.stderr)")
    let header = try #require(csv.lines.first).split(separator: ",").map(String.init)
    #expect(header.contains("closed_without_reply"))
    let column = try #require(header.firstIndex(of: "closed_without_reply"))
    func cell(_ prefix: String, _ name: String) -> String? {
      csv.lines.first { $0.hasPrefix(prefix) }.map {
        $0.split(separator: ",", omittingEmptySubsequences: false)
      }
      .map { String($0[header.firstIndex(of: name)!]) }
    }
    #expect(cell("category,complaint,", "closed_without_reply") == "1")
    #expect(cell("category,complaint,", "pending") == "1")
    #expect(cell("category,complaint,", "within") == "0")
    #expect(cell("all,", "closed_without_reply") == "1")
    _ = column
    let text = try dir.run(nil, ["report"])
    #expect(text.stdout.contains("closed without reply"), "\(text.stdout)")
  }
}

import Foundation
import Inbox
import Policy
import Testing

/// The counts both stores read from their running totals (SQLite's v20/v29, the server's
/// migration 9): the unfiltered count, the views' counts (a filter of categories, statuses,
/// platforms, languages and `escalated`) and the status line's tally. After every kind of write
/// that moves a mention between the totals' rows, each count agrees with the rows the queue lists
/// under the same filter.
@Suite struct TotalsConformanceTests {
  let now = TestStores.now

  static let texts: [(lang: String?, text: String)] = [
    ("nl", "Mijn pakket is nog steeds niet bezorgd en niemand reageert"),
    ("en", "My parcel is still not here and nobody answers my emails"),
    (nil, "Geweldige service vandaag, dank jullie wel voor de snelle hulp"),
    ("EN", "Thanks, great help today"), (nil, "Waarom is de winkel in Utrecht gesloten?"),
  ]
  static let platforms = ["mastodon", "bluesky", "x"]

  func post(_ k: Int, text: String? = nil) -> IncomingMention {
    let (lang, body) = Self.texts[k % Self.texts.count]
    return IncomingMention(
      platform: Self.platforms[k % 3], externalID: "t\(k)",
      author: Author(handle: "@user\(k % 7)@example.social"),
      createdAt: now.addingTimeInterval(-Double(k) * 60), text: text ?? "\(body) (\(k))", lang: lang,
      raw: "{}")
  }

  /// The filters the counts are read from the totals for, and a few that are counted from the rows.
  var filters: [QueueFilter] {
    var dutchComplaints = QueueFilter(categories: [.complaint])
    dutchComplaints.languages = ["nl"]
    var escalated = QueueFilter()
    escalated.escalated = true
    var snoozedEscalated = QueueFilter(statuses: [.snoozed])
    snoozedEscalated.escalated = true
    var english = QueueFilter(platforms: ["x", "bluesky"])
    english.languages = ["en", "de"]
    return [
      QueueFilter(), dutchComplaints, escalated, snoozedEscalated, english,
      QueueFilter(categories: [.praise, .question]), QueueFilter(statuses: [.open, .replied]),
      QueueFilter(statuses: [.snoozed]), QueueFilter(platforms: ["x"]), QueueFilter(clocks: [.overdue]),
    ]
  }

  /// Every count against the rows the queue lists: each filter's count, and the tally's statuses,
  /// total and overdue.
  func expectCountsAgree(_ s: any QueueStore, after write: String, at: Date? = nil) throws {
    let at = at ?? now
    for filter in filters {
      let rows = try s.queue(filter, limit: 1000, offset: 0, now: at).count
      #expect(
        try s.queueCount(filter, now: at) == rows,
        "after \(write): \(filter.words) escalated \(filter.escalated)")
    }
    let tally = try s.tally(now: at)
    var total = 0
    for status in MentionStatus.allCases {
      // Listing a status wakes the snoozed: every mention not muted with it.
      let rows = try s.queue(QueueFilter(statuses: [status]), limit: 1000, offset: 0, now: at).count
      #expect((tally.byStatus[status] ?? 0) == rows, "after \(write): \(status)")
      total += rows
    }
    #expect(tally.total == total, "after \(write): total")
    let overdue = try s.queue(QueueFilter(clocks: [.overdue]), limit: 1000, offset: 0, now: at).count
    #expect((tally.byClock[.overdue] ?? 0) == overdue, "after \(write): overdue")
  }

  @Test(
    "the counts from the totals agree with the rows after every kind of write", arguments: TestStores.kinds)
  func countsAgreeWithTheRows(_ kind: StoreKind) throws {
    let store = try TestStore(kind)
    try store.putInForce(.default)
    let s = try store.as((any MentionStore & QueueStore & ActionStore & EscalationStore).self)
    let policy = PolicyConfig.default
    let annotator = PolicyAnnotator(policy: policy)
    try expectCountsAgree(s, after: "nothing")
    _ = try s.ingest((0..<60).map { post($0) }, actor: "t", annotator: annotator)
    try expectCountsAgree(s, after: "ingest")
    let ids = try (0..<60).map { k in
      try #require(try s.mentionID(platform: Self.platforms[k % 3], externalID: "t\(k)"))
    }
    // Again with duplicates, an edit, a deletion notice and a repeat folded into its first post.
    var deletion = post(9)
    deletion.deletion = "deleted"
    var again = post(63)
    again.externalID = "t63-again"
    let counts = try s.ingest(
      [
        post(1), post(2, text: "Mijn pakket is weer niet bezorgd"), deletion, post(60), post(61), post(62),
        post(63), again,
      ], actor: "t", annotator: annotator)
    #expect(counts.new == 5 && counts.edited == 1 && counts.deleted == 1, "\(counts)")
    try expectCountsAgree(s, after: "a second ingest")
    let first = try s.escalate(mentionID: ids[0], reason: "threat", note: "", actor: "anna")
    _ = try s.escalate(mentionID: ids[1], reason: "threat", note: "", actor: "anna")
    let third = try s.escalate(mentionID: ids[6], reason: "legal", note: "", actor: "anna")
    try expectCountsAgree(s, after: "escalate")
    try s.acknowledge(escalation: third, actor: "ben")
    try s.resolve(escalation: first, note: "handled", actor: "ben")
    try expectCountsAgree(s, after: "resolve")
    try s.snooze(ids: [ids[2], ids[6]], until: now.addingTimeInterval(3600), actor: "anna")
    try s.snooze(ids: [ids[7]], until: now.addingTimeInterval(-60), actor: "anna")
    try expectCountsAgree(s, after: "snooze")
    try s.decideNoReply(ids: [ids[3]], reason: "duplicate", policy: policy, actor: "anna")
    try s.recategorise(ids: [ids[4], ids[11]], to: .complaint, policy: policy, actor: "anna")
    try s.recategorise(ids: [ids[12]], to: .praise, policy: policy, actor: "anna")
    try expectCountsAgree(s, after: "no reply, recategorise")
    try s.markReplied(ids: [ids[5], ids[10]], actor: "anna")
    _ = try s.claim(id: ids[13], actor: "anna", takeOver: false)
    try expectCountsAgree(s, after: "replied, claimed")
    try s.reopen(ids: [ids[3], ids[5]], actor: "ben")
    try expectCountsAgree(s, after: "reopen")
    // Two hours on: the snoozes end and clocks run out; waking moves the statuses.
    let later = now.addingTimeInterval(2 * 3600)
    try expectCountsAgree(s, after: "time passing", at: later)
    #expect(try s.wakeSnoozed(now: later) > 0)
    try expectCountsAgree(s, after: "waking", at: later)
  }
}

import Foundation
import Inbox
import Policy
import Testing

/// The timed escalation rules and the supervisor's actions on both stores (moved from
/// `StoreTests/EscalationTests`), and four eyes' question.
@Suite struct EscalationConformanceTests {
  /// 2026-03-02 10:00 UTC, a Monday: every rule below runs against this clock (as `REPUTE_NOW`).
  static let now = RFC3339.parse("2026-03-02T10:00:00Z")!
  let now = Self.now
  let policy = PolicyConfig.default

  static func post(
    _ id: String, _ text: String, handle: String = "sanne", minutesAgo: Double = 5, followers: Int? = 100
  ) -> IncomingMention {
    IncomingMention(
      platform: "mastodon", externalID: id,
      author: Author(handle: handle, name: handle.capitalized, followers: followers),
      createdAt: now.addingTimeInterval(-minutesAgo * 60), text: text, lang: "nl", raw: #"{"id":"\#(id)"}"#)
  }

  /// A fresh store on this suite's clock, with `mentions` ingested by the default policy.
  func store(_ kind: StoreKind, _ mentions: [IncomingMention]) throws -> (TestStore, ReplyTestStore) {
    let store = try TestStore(kind, clock: .fixed(now))
    let s = try store.as(ReplyTestStore.self)
    _ = try s.ingest(mentions, actor: "test", annotator: PolicyAnnotator(policy: policy))
    return (store, s)
  }

  /// The open escalations' reasons of a mention, by its external id.
  func openReasons(_ s: ReplyTestStore, _ externalID: String) throws -> [String] {
    try s.openEscalations().filter { $0.mention.externalID == externalID }.map(\.escalation.reason).sorted()
  }

  // MARK: - The timed rules

  @Test(arguments: TestStores.kinds)
  func overduePastTheTargetIsRaisedOnceAndNotAgainAfterItWasResolved(_ kind: StoreKind) throws {
    let (store, early) = try store(kind, [Self.post("q1", "Hoe laat vertrekt de eerste trein naar Utrecht?")])
    #expect(try early.evaluateTimedRules(policy.escalation, now: now) == 0)
    let later = now.addingTimeInterval(3 * 86_400)
    let s = try OutboxFixtures.second(store, clock: .fixed(later))
    #expect(try s.evaluateTimedRules(policy.escalation, now: later) == 1)
    #expect(try s.evaluateTimedRules(policy.escalation, now: later) == 0)
    #expect(try openReasons(s, "q1") == ["overdue"])
    let escalation = try #require(try s.openEscalations().first)
    #expect(
      escalation.severity == EscalationReason.overdue.severity && escalation.escalation.createdBy == "policy")
    try s.resolve(escalation: escalation.escalation.id, note: "Beantwoord per telefoon", actor: "Sam")
    #expect(try s.evaluateTimedRules(policy.escalation, now: later.addingTimeInterval(60)) == 0)
    #expect(try s.openEscalations().isEmpty)
    #expect(try s.escalationCounts().isEmpty)
  }

  @Test(arguments: TestStores.kinds)
  func overdueInShortPassesOfAtMost2000AndWhatWasDueOverAWeekBeforeIsStale(_ kind: StoreKind) throws {
    let question = "Hoe laat vertrekt de eerste trein naar Utrecht?"
    let (store, s) = try store(
      kind,
      (0..<2_001).map { Self.post("b\($0)", question, handle: "p\($0)", minutesAgo: 600) }
        + [Self.post("stale", question, handle: "oud", minutesAgo: 30 * 1440)])
    _ = store
    #expect(try s.evaluateTimedRules(policy.escalation, now: now) == 2_000)
    #expect(try s.evaluateTimedRules(policy.escalation, now: now) == 1)
    #expect(try s.evaluateTimedRules(policy.escalation, now: now) == 0)
    #expect(try s.escalationCounts() == ["new": 2_001])
    #expect(try openReasons(s, "stale").isEmpty)
    // Each raised with its event, in the order of their deadlines (then ids).
    let board = try s.openEscalations(limit: 3_000)
    let first = try #require(board.min { $0.escalation.id < $1.escalation.id })
    let trail = try s.events(mentionID: first.mention.id).filter { $0.action == "escalate" }
    #expect(trail.map(\.detail) == [#"{"escalation_id":\#(first.escalation.id),"reason":"overdue"}"#])
    #expect(trail.map(\.actor) == ["policy"])
    #expect(try s.overdueCount(now: now) == 2_002)
    #expect(try s.overdueCount(now: now, cap: 100) == 101)
  }

  @Test(arguments: TestStores.kinds)
  func aSuddenRiseInVolumeIsRaisedOncePerHour(_ kind: StoreKind) throws {
    var batch: [IncomingMention] = []
    for day in 1...7 {
      batch.append(
        Self.post("d\(day)", "Goedemorgen", handle: "u\(day)", minutesAgo: Double(day) * 1440 + 10))
    }
    for i in 0..<12 {
      batch.append(Self.post("n\(i)", "Storing bij Utrecht?", handle: "p\(i)", minutesAgo: Double(i * 4)))
    }
    let (store, s) = try store(kind, batch)
    _ = store
    let volumes = try s.hourVolumes(now: now, days: 7)
    #expect(volumes.lastHour == 12)
    #expect(volumes.before == [1, 1, 1, 1, 1, 1, 1])
    #expect(try s.evaluateTimedRules(policy.escalation, now: now) == 1)
    #expect(try s.evaluateTimedRules(policy.escalation, now: now.addingTimeInterval(120)) == 0)
    let rise = try #require(try s.openEscalations().first { $0.escalation.reason == "volume_rise" })
    #expect(rise.severity == 3)
    #expect(rise.detail == #"{"last_hour":12,"usual":1}"#)
    let trail = try s.events(mentionID: rise.mention.id).filter { $0.action == "escalate" }
    #expect(trail.map(\.detail) == [#"{"escalation_id":\#(rise.escalation.id),"reason":"volume_rise"}"#])
  }

  @Test(arguments: TestStores.kinds)
  func nineMentionsAreNoRiseHoweverQuietItUsuallyIs(_ kind: StoreKind) throws {
    let (store, s) = try store(
      kind, (0..<9).map { Self.post("n\($0)", "Storing?", handle: "p\($0)", minutesAgo: Double($0)) })
    _ = store
    #expect(try s.evaluateTimedRules(policy.escalation, now: now) == 0)
  }

  @Test(arguments: TestStores.kinds)
  func aReplyClosesTheOverdueEscalationItSettledInItsTransaction(_ kind: StoreKind) throws {
    let (store, _) = try store(kind, [Self.post("q1", "Hoe laat vertrekt de eerste trein naar Utrecht?")])
    let later = now.addingTimeInterval(3 * 86_400)
    let s = try OutboxFixtures.second(store, clock: .fixed(later))
    #expect(try s.evaluateTimedRules(policy.escalation, now: later) == 1)
    let entry = try #require(try s.openEscalations().first)
    try s.enqueueReply(
      mentionID: entry.mention.id, responder: "anna", kind: .reply, text: "Om 6:12. – Anna", policy: policy)
    #expect(try s.openEscalations().isEmpty)
    let closed = try #require(try s.escalation(id: entry.escalation.id))
    #expect(closed.state == "resolved")
    #expect(closed.notes.map(\.text) == ["closed by itself: answered, no longer overdue"])
    let resolve = try #require(
      try s.events(mentionID: entry.mention.id).last { $0.action == "escalation_resolve" })
    #expect(resolve.actor == "policy")
    #expect(resolve.detail == #"{"escalation_id":\#(entry.escalation.id),"auto":true,"why":"answered"}"#)
  }

  // MARK: - The supervisor's actions

  @Test(arguments: TestStores.kinds)
  func acknowledgeReassignNoteResolveKeepStateOwnerNotesAndHistory(_ kind: StoreKind) throws {
    let (store, s) = try store(kind, [Self.post("m1", "Ik schakel mijn advocaat in.")])
    _ = store
    let entry = try #require(try s.openEscalations().first)
    let id = entry.escalation.id
    #expect(entry.escalation.state == "new")
    #expect(try s.escalationCounts() == ["new": 1])
    try s.acknowledge(escalation: id, actor: "Sam")
    #expect(try s.escalation(id: id)?.state == "acknowledged")
    #expect(try s.escalation(id: id)?.owner == "Sam")
    #expect(try s.escalationCounts() == ["acknowledged": 1])
    try s.reassign(escalation: id, to: "Anna", actor: "Sam")
    #expect(try s.escalation(id: id)?.owner == "Anna")
    #expect(try s.openEscalations().first?.claimedBy == "Anna")
    try s.addNote(escalation: id, text: "Juridische zaken ingelicht", actor: "Sam")
    #expect(try s.openEscalations().first?.escalation.notes.map(\.text) == ["Juridische zaken ingelicht"])
    try s.resolve(escalation: id, note: "Afgehandeld door juridische zaken", actor: "Sam")
    #expect(try s.escalation(id: id)?.state == "resolved")
    #expect(try s.escalation(id: id)?.notes.count == 2)
    #expect(throws: EscalationError.alreadyResolved(id)) {
      try s.resolve(escalation: id, note: "", actor: "Sam")
    }
    // A resolved escalation still takes a note: the story may go on.
    try s.addNote(escalation: id, text: "Brief verstuurd", actor: "Sam")
    #expect(try s.escalation(id: id)?.notes.map(\.author) == ["Sam", "Sam", "Sam"])
    let events = try s.events(mentionID: entry.mention.id)
    #expect(
      Array(events.map(\.action).drop { $0 != "escalate" })
        == [
          "escalate", "escalation_acknowledge", "escalation_reassign", "escalation_note",
          "escalation_resolve", "escalation_note",
        ])
    #expect(
      events.first { $0.action == "escalation_reassign" }?.detail == #"{"escalation_id":\#(id),"to":"Anna"}"#)
    #expect(throws: EscalationError.noSuchEscalation(999)) {
      try s.acknowledge(escalation: 999, actor: "Sam")
    }
    #expect(try s.escalation(id: 999) == nil)
  }

  @Test(arguments: TestStores.kinds)
  func theBoardIsSeverityFirstThenTheOldest(_ kind: StoreKind) throws {
    let (store, _) = try store(
      kind,
      [
        Self.post("a", "Jullie zijn allemaal oplichters en leugenaars!!!", handle: "x1", minutesAgo: 50),
        Self.post("b", "Ik schakel mijn advocaat in.", handle: "x2", minutesAgo: 10),
      ])
    let later = try OutboxFixtures.second(store, clock: .fixed(now.addingTimeInterval(60)))
    _ = try later.ingest(
      [Self.post("c", "Mijn advocaat belt jullie morgen.", handle: "x3", minutesAgo: 1)], actor: "test",
      annotator: PolicyAnnotator(policy: policy))
    let board = try later.openEscalations()
    #expect(board.map(\.escalation.reason) == ["legal_or_press", "legal_or_press", "unfounded_accusation"])
    #expect(board.map(\.mention.externalID) == ["b", "c", "a"])
    #expect(try later.openEscalations(limit: 1).map(\.mention.externalID) == ["b"])
  }

  // MARK: - Four eyes

  @Test(arguments: TestStores.kinds)
  func aReplyToALegalMatterNeedsApprovalEvenAfterItsEscalationWasResolved(_ kind: StoreKind) throws {
    let (store, s) = try store(
      kind,
      [
        Self.post("legal", "Mijn advocaat stuurt jullie een brief over de vertraging.", handle: "boos"),
        Self.post("vraag", "Hoe laat vertrekt de eerste trein?", handle: "tom"),
      ])
    _ = store
    let legal = try OutboxFixtures.id(s, "legal")
    let question = try OutboxFixtures.id(s, "vraag")
    #expect(try s.replyNeedsApproval(mentionID: legal, policy: policy))
    #expect(try !s.replyNeedsApproval(mentionID: question, policy: policy))
    #expect(try s.approvalReasons(mentionID: legal, policy: policy) == ["legal_or_press"])
    #expect(try s.approvalReasons(mentionID: question, policy: policy).isEmpty)
    let escalation = try #require(try s.openEscalations().first)
    try s.resolve(escalation: escalation.escalation.id, note: "juridische zaken weet het", actor: "Sam")
    #expect(try s.replyNeedsApproval(mentionID: legal, policy: policy))
    var other = policy
    other.escalation.approvalReasons = []
    other.escalation.approvalCategories = [.question]
    #expect(try !s.replyNeedsApproval(mentionID: legal, policy: other))
    #expect(try s.replyNeedsApproval(mentionID: question, policy: other))
    #expect(try s.approvalReasons(mentionID: question, policy: other) == ["question"])
  }
}

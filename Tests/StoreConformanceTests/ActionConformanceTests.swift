import Foundation
import Inbox
import Policy
import Testing

/// `ActionStore` on both stores: what each action changes and the event it writes, its refusals
/// (nothing written), and claims that hold across machines.
@Suite struct ActionConformanceTests {
  typealias Actions = any MentionStore & ActionStore

  static let question = "Hoe laat vertrekt de eerste trein naar Utrecht morgen?"
  static let complaint = "My parcel is still not here, third week, and nobody answers my emails."
  static let praise = "Thank you for the friendly help at the counter, great service!"

  /// A store with a question (`q`), a complaint (`c`) and praise (`p`) of half an hour ago.
  func seeded(_ kind: StoreKind) throws -> (TestStore, Actions, [String: Int64]) {
    let store = try TestStore(kind)
    let actions = try store.as(Actions.self)
    _ = try actions.ingest(
      [
        incoming("q", text: Self.question, lang: "nl"),
        incoming("c", text: Self.complaint, handle: "bert", lang: "en"),
        incoming("p", text: Self.praise, handle: "carla", lang: "en"),
      ], actor: "test", annotator: defaultAnnotator)
    let ids = try storedIDs(actions)
    #expect(try actions.mention(id: ids["q"]!)?.category == .question)
    #expect(try actions.mention(id: ids["c"]!)?.category == .complaint)
    #expect(try actions.mention(id: ids["p"]!)?.category == .praise)
    return (store, actions, ids)
  }

  func trail(_ actions: Actions, _ id: Int64, except: Set<String> = ["ingest"]) throws -> [Event] {
    try actions.events(mentionID: id).filter { !except.contains($0.action) }
  }

  @Test(
    "two people claiming one mention at once on two handles: one has it, the other is told who",
    arguments: TestStores.kinds)
  func claimRace(kind: StoreKind) throws {
    let (store, actions, ids) = try seeded(kind)
    let other = try secondHandle(store) as! Actions
    for id in ids.values.sorted() {
      let outcomes = try raceHeldBack(
        store, { try actions.claim(id: id, actor: "Anna", takeOver: false) },
        { try other.claim(id: id, actor: "Bram", takeOver: false) })
      let results = try outcomes.map { try $0.get() }
      let winner = results[0] == .claimed ? "Anna" : "Bram"
      let sorted = winner == "Anna" ? results : results.reversed()
      #expect(sorted == [.claimed, .heldBy(winner, since: TestStores.now)], "\(results)")
      #expect(try actionMarks(store, id).claimedBy == winner)
      let claims = try trail(actions, id)
      #expect(claims.map(\.action) == ["claim"] && claims.map(\.actor) == [winner] && claims[0].detail == nil)
    }
  }

  @Test(
    "the inbox's claim toggle pressed at once by two people: taken in turn, both in the trail",
    arguments: TestStores.kinds)
  func toggleRace(kind: StoreKind) throws {
    let (store, actions, ids) = try seeded(kind)
    let other = try secondHandle(store) as! Actions
    let id = ids["q"]!
    let outcomes = try raceHeldBack(
      store, { try actions.toggleClaim(id: id, actor: "Anna") },
      { try other.toggleClaim(id: id, actor: "Bram") })
    let holders = try outcomes.map { try $0.get() }
    #expect(holders == ["Anna", "Bram"])
    let claims = try trail(actions, id)
    #expect(claims.map(\.action) == ["claim", "claim"])
    #expect(claims.map(\.detail) == [nil, #"{"taken_over":true}"#])
    #expect(try actionMarks(store, id).claimedBy == claims.last?.actor)
  }

  @Test(
    "claims said outright: held, taken over on purpose, released by their holder only",
    arguments: TestStores.kinds)
  func claims(kind: StoreKind) throws {
    let (store, actions, ids) = try seeded(kind)
    let id = ids["c"]!
    #expect(try actions.claim(id: id, actor: "Anna", takeOver: false) == .claimed)
    #expect(try actionMarks(store, id).claimedAt == TestStores.now.epochMilliseconds)
    #expect(try actions.claim(id: id, actor: "Anna", takeOver: false) == .alreadyYours)
    #expect(
      try actions.claim(id: id, actor: "Bram", takeOver: false) == .heldBy("Anna", since: TestStores.now))
    #expect(try actions.release(id: id, actor: "Bram") == .heldBy("Anna"))
    #expect(try actions.claim(id: id, actor: "Bram", takeOver: true) == .takenOver(from: "Anna"))
    #expect(try actions.release(id: id, actor: "Bram") == .released)
    #expect(try actions.release(id: id, actor: "Bram") == .notClaimed)
    #expect(try actions.toggleClaim(id: id, actor: "Carla") == "Carla")
    #expect(try actions.toggleClaim(id: id, actor: "Carla") == nil)
    #expect(try actionMarks(store, id).claimedBy == nil && actionMarks(store, id).claimedAt == nil)
    let events = try trail(actions, id)
    #expect(events.map(\.action) == ["claim", "claim", "release", "claim", "release"])
    #expect(events.map(\.actor) == ["Anna", "Bram", "Bram", "Carla", "Carla"])
    #expect(events[1].detail == #"{"taken_over":true}"#)
    #expect(throws: ActionError.noSuchMention(999)) {
      try actions.claim(id: 999, actor: "Anna", takeOver: false)
    }
    #expect(throws: ActionError.noSuchMention(999)) { try actions.toggleClaim(id: 999, actor: "Anna") }
    #expect(throws: ActionError.noSuchMention(999)) { try actions.release(id: 999, actor: "Anna") }
  }

  @Test(
    "recategorised by hand: the category is the responder's and the targets follow it",
    arguments: TestStores.kinds)
  func recategorise(kind: StoreKind) throws {
    let (store, actions, ids) = try seeded(kind)
    let policy = PolicyConfig()
    try actions.recategorise(ids: [ids["p"]!, ids["q"]!], to: .complaint, policy: policy, actor: "Anna")
    for name in ["p", "q"] {
      let m = try #require(try actions.mention(id: ids[name]!))
      let d = policy.deadlines(category: .complaint, arrival: m.createdAt)
      #expect(m.category == .complaint && m.categoryBy == "Anna")
      #expect(m.deadlines.firstResponse == d.firstResponse && m.deadlines.earliestReply == d.earliestReply)
      #expect(try actionMarks(store, m.id).dueAt == d.firstResponse?.epochMilliseconds)
    }
    let events = try trail(actions, ids["p"]!)
    #expect(events.map(\.action) == ["recategorise"] && events[0].actor == "Anna")
    #expect(events[0].detail == #"{"from":"praise","to":"complaint"}"#)
    // Praise needs no reply: off the clock.
    try actions.recategorise(ids: [ids["c"]!], to: .praise, policy: policy, actor: "Bram")
    #expect(try actionMarks(store, ids["c"]!).dueAt == nil)
    #expect(try actions.mention(id: ids["c"]!)?.deadlines.firstResponse == nil)
    // One missing id: nothing written.
    #expect(throws: ActionError.noSuchMention(999)) {
      try actions.recategorise(ids: [ids["c"]!, 999], to: .question, policy: policy, actor: "Bram")
    }
    #expect(try actions.mention(id: ids["c"]!)?.category == .praise)
  }

  @Test(
    "closed without a reply for a listed reason; refused otherwise, nothing written; reopened",
    arguments: TestStores.kinds)
  func noReplyAndReopen(kind: StoreKind) throws {
    let (store, actions, ids) = try seeded(kind)
    let policy = PolicyConfig()
    let (c, p) = (ids["c"]!, ids["p"]!)
    #expect(throws: ActionError.reasonNotListed(c, category: "complaint", reasons: Closing.defaultReasons)) {
      try actions.decideNoReply(ids: [p, c], reason: "no time", policy: policy, actor: "Anna")
    }
    #expect(try actions.mention(id: p)?.status == .open)
    #expect(try trail(actions, p).isEmpty)
    try actions.decideNoReply(ids: [p, c], reason: "2", policy: policy, actor: "Anna")
    #expect(
      try actionMarks(store, c) == ActionMarks(noReplyReason: "duplicate", dueAt: nil, escalated: false))
    #expect(try actionMarks(store, p).noReplyReason == "2")
    #expect(try actions.mention(id: c)?.status == .noReply)
    #expect(try trail(actions, c).map(\.action) == ["no_reply"])
    #expect(throws: ActionError.notClosed(ids["q"]!)) {
      try actions.reopen(ids: [c, ids["q"]!], actor: "Bram")
    }
    #expect(try actions.mention(id: c)?.status == .noReply)
    try actions.reopen(ids: [c], actor: "Bram")
    let reopened = try #require(try actions.mention(id: c))
    #expect(reopened.status == .open)
    let marks = try actionMarks(store, c)
    #expect(marks.noReplyReason == nil && marks.dueAt == reopened.deadlines.firstResponse?.epochMilliseconds)
    #expect(try trail(actions, c).map(\.action) == ["no_reply", "reopen"])
    #expect(try trail(actions, c).map(\.actor) == ["Anna", "Bram"])
  }

  @Test(
    "snoozed until a time, woken once when it has come, by whichever process is first",
    arguments: TestStores.kinds)
  func snoozeAndWake(kind: StoreKind) throws {
    let (store, actions, ids) = try seeded(kind)
    let other = try secondHandle(store) as! Actions
    let q = ids["q"]!
    let due = try actionMarks(store, q).dueAt
    let until = TestStores.now.addingTimeInterval(3600)
    try actions.snooze(ids: [q], until: until, actor: "Anna")
    let snoozed = try #require(try actions.mention(id: q))
    #expect(snoozed.status == .snoozed && snoozed.snoozedUntil == until && snoozed.snoozedFrom == .open)
    #expect(try actionMarks(store, q).dueAt == due)
    let events = try trail(actions, q)
    #expect(events.map(\.action) == ["snooze"])
    #expect(events[0].detail == #"{"until":"\#(RFC3339.format(until))"}"#)
    #expect(try actions.wakeSnoozed(now: TestStores.now) == 0)
    let later = until.addingTimeInterval(60)
    let woken = try raceHeldBack(
      store, { try actions.wakeSnoozed(now: later) }, { try other.wakeSnoozed(now: later) })
    #expect(try woken.map { try $0.get() }.reduce(0, +) == 1)
    let awake = try #require(try actions.mention(id: q))
    #expect(awake.status == .open && awake.snoozedUntil == nil && awake.snoozedFrom == nil)
    #expect(try actionMarks(store, q).dueAt == due)
    let wake = try trail(actions, q).last
    #expect(wake?.action == "wake" && wake?.actor == "repute" && wake?.at == later)
    #expect(throws: ActionError.noSuchMention(999)) {
      try actions.snooze(ids: [999], until: until, actor: "Anna")
    }
  }

  @Test("an author watched and unwatched, by toggle and said outright", arguments: TestStores.kinds)
  func watch(kind: StoreKind) throws {
    let (store, actions, ids) = try seeded(kind)
    defer { withExtendedLifetime(store) {} }
    let c = ids["c"]!
    #expect(try actions.toggleWatch(mentionID: c, actor: "Anna"))
    #expect(try !actions.toggleWatch(mentionID: c, actor: "Bram"))
    #expect(try actions.setWatched(mentionID: c, watching: true, actor: "Anna"))
    #expect(try !actions.setWatched(mentionID: c, watching: true, actor: "Anna"))
    #expect(try actions.setWatched(mentionID: c, watching: false, actor: "Anna"))
    #expect(try !actions.setWatched(mentionID: c, watching: false, actor: "Anna"))
    #expect(try trail(actions, c).map(\.action) == ["watch", "unwatch", "watch", "unwatch"])
    #expect(try trail(actions, c).map(\.actor) == ["Anna", "Bram", "Anna", "Anna"])
    #expect(throws: ActionError.noSuchMention(999)) { try actions.toggleWatch(mentionID: 999, actor: "Anna") }
    #expect(throws: ActionError.noSuchMention(999)) {
      try actions.setWatched(mentionID: 999, watching: true, actor: "Anna")
    }
  }

  @Test(
    "escalated by hand once while open, later notes on it; internal notes; any event recorded",
    arguments: TestStores.kinds)
  func escalateNoteRecord(kind: StoreKind) throws {
    let (store, actions, ids) = try seeded(kind)
    let q = ids["q"]!
    let first = try actions.escalate(mentionID: q, note: "Pers belt", actor: "Anna")
    #expect(try actionMarks(store, q).escalated)
    #expect(try actions.escalate(mentionID: q, note: "nog eens", actor: "Bram") == first)
    let other = try actions.escalate(mentionID: q, reason: "legal_or_press", note: "", actor: "Bram")
    #expect(other != first)
    let note = try actions.addNote(mentionID: q, text: "Klant belt morgen terug", actor: "Carla")
    try actions.record(actor: "repute", action: "export", mentionID: nil, detail: #"{"rows":3}"#)
    try actions.record(actor: "Anna", action: "opened", mentionID: q, detail: nil)
    let events = try trail(actions, q)
    #expect(events.map(\.action) == ["escalate", "escalation_note", "escalate", "note", "opened"])
    #expect(events.map(\.actor) == ["Anna", "Bram", "Bram", "Carla", "Anna"])
    #expect(
      events.map(\.detail) == [
        #"{"escalation_id":\#(first),"reason":"by_hand"}"#, #"{"escalation_id":\#(first)}"#,
        #"{"escalation_id":\#(other),"reason":"legal_or_press"}"#, #"{"note_id":\#(note)}"#, nil,
      ])
    let export = try recordedEvents(store).filter { $0.action == "export" }
    #expect(export.count == 1 && export[0].mentionID == nil && export[0].detail == #"{"rows":3}"#)
    #expect(throws: ActionError.noSuchMention(999)) {
      try actions.escalate(mentionID: 999, note: "x", actor: "Anna")
    }
    #expect(throws: ActionError.noSuchMention(999)) {
      try actions.addNote(mentionID: 999, text: "x", actor: "Anna")
    }
  }

  @Test(
    "replied outside Repute: off the clock, the first response is its time and who",
    arguments: TestStores.kinds)
  func markReplied(kind: StoreKind) throws {
    let (store, actions, ids) = try seeded(kind)
    let (q, c) = (ids["q"]!, ids["c"]!)
    try actions.snooze(ids: [c], until: TestStores.now.addingTimeInterval(600), actor: "Anna")
    try actions.markReplied(ids: [q, c], actor: "Bram")
    for id in [q, c] {
      let m = try #require(try actions.mention(id: id))
      #expect(m.status == .replied && m.snoozedUntil == nil && m.snoozedFrom == nil)
      #expect(m.deadlines.firstResponseAt == TestStores.now)
      #expect(try actionMarks(store, id).dueAt == nil)
      #expect(try trail(actions, id).last?.action == "replied_elsewhere")
    }
    #expect(throws: ActionError.noSuchMention(999)) {
      try actions.markReplied(ids: [ids["p"]!, 999], actor: "Bram")
    }
    #expect(try actions.mention(id: ids["p"]!)?.status == .open)
  }

  @Test(
    "assigned by a supervisor: a teammate's claim released in the same write; taken away",
    arguments: TestStores.kinds)
  func assign(kind: StoreKind) throws {
    let (store, actions, ids) = try seeded(kind)
    let assign = try store.as((any AssignStore).self)
    let q = ids["q"]!
    try actions.toggleClaim(id: q, actor: "Anna")
    #expect(try assign.assign(id: q, to: "Bram", actor: "Sara") == .assigned(releasedClaimOf: "Anna"))
    #expect(
      try actionMarks(store, q)
        == ActionMarks(assignedTo: "Bram", dueAt: actionMarks(store, q).dueAt, escalated: false))
    #expect(try assign.assign(id: q, to: "Bram", actor: "Sara") == .alreadyAssigned)
    try actions.toggleClaim(id: q, actor: "Bram")
    #expect(try assign.assign(id: q, to: "Carla", actor: "Carla") == .assigned(releasedClaimOf: "Bram"))
    #expect(try assign.assign(id: q, to: nil, actor: "Sara") == .unassigned)
    #expect(try assign.assign(id: q, to: nil, actor: "Sara") == .notAssigned)
    let events = try trail(actions, q).filter { $0.action.hasSuffix("assign") }
    #expect(events.map(\.action) == ["assign", "assign", "unassign"])
    #expect(
      events.map(\.detail) == [
        #"{"to":"Bram","released_claim_of":"Anna"}"#,
        #"{"to":"Carla","from":"Bram","released_claim_of":"Bram"}"#,
        #"{"from":"Carla"}"#,
      ])
    #expect(throws: ActionError.noSuchMention(999)) { try assign.assign(id: 999, to: "Bram", actor: "Sara") }
  }

  @Test(
    "a first post's folded repeats follow it: closed, reopened, replied and snoozed with it, each with its event",
    arguments: TestStores.kinds)
  func repeatsFollow(kind: StoreKind) throws {
    let store = try TestStore(kind)
    let actions = try store.as(Actions.self)
    try store.as((any PolicyStore).self).installPolicyIfMissing(
      source: PolicyFile.render(.default), actor: "test")
    let text = "Trein 8:12 naar Utrecht staat AL 20 minuten stil. Niemand zegt iets!"
    let counts = try actions.ingest(
      [
        incoming("1", text: text, handle: "pendelaar", minutesAgo: 60, lang: "nl"),
        incoming("2", text: text, handle: "pendelaar", minutesAgo: 40, lang: "nl"),
        incoming("3", text: text, handle: "pendelaar", minutesAgo: 20, lang: "nl"),
      ], actor: "test", annotator: nil)
    #expect(counts.folded == 2)
    let first = try #require(try storedID(store, platform: "x", externalID: "1"))
    let repeats = try ["2", "3"].map { try #require(try storedID(store, platform: "x", externalID: $0)) }
    #expect(try repeats.allSatisfy { try actions.mention(id: $0)?.repeatOf == first })
    func follow(_ action: String, by actor: String, status: MentionStatus) throws {
      for id in repeats {
        #expect(try actions.mention(id: id)?.status == status, "\(action)")
        let last = try trail(actions, id).last
        #expect(last?.action == action && last?.actor == actor && last?.detail == #"{"with":\#(first)}"#)
      }
    }
    try actions.decideNoReply(ids: [first], reason: "vent", policy: .default, actor: "Anna")
    try follow("no_reply", by: "Anna", status: .noReply)
    #expect(try actionMarks(store, repeats[0]).noReplyReason == "vent")
    try actions.reopen(ids: [first], actor: "Bram")
    try follow("reopen", by: "Bram", status: .open)
    #expect(try actionMarks(store, repeats[0]).noReplyReason == nil)
    try actions.markReplied(ids: [first], actor: "Anna")
    try follow("replied_elsewhere", by: "Anna", status: .replied)
    try actions.reopen(ids: [first], actor: "Anna")
    try follow("reopen", by: "Anna", status: .open)
    let until = TestStores.now.addingTimeInterval(3600)
    try actions.snooze(ids: [first], until: until, actor: "Carla")
    try follow("snooze", by: "Carla", status: .snoozed)
    #expect(try actions.mention(id: repeats[1])?.snoozedUntil == until)
    #expect(try actionMarks(store, repeats[1]).dueAt == nil)
  }

  @Test(
    "claims on one handle while another ingests edits of the same mention: both go through, in turns",
    arguments: TestStores.kinds)
  func claimsWhileIngesting(kind: StoreKind) throws {
    let (store, actions, ids) = try seeded(kind)
    defer { withExtendedLifetime(store) {} }
    let other = try secondHandle(store) as! Actions
    let q = ids["q"]!
    let outcomes = race(
      {
        for n in 1...10 {
          _ = try other.ingest(
            [
              incoming("q", text: "\(Self.question) (\(n))", lang: "nl"),
              incoming("new\(n)", text: Self.praise),
            ],
            actor: "test", annotator: defaultAnnotator)
        }
        return 10
      },
      {
        for _ in 1...10 { try actions.toggleClaim(id: q, actor: "Anna") }
        return 10
      })
    #expect(try outcomes.map { try $0.get() } == [10, 10])
    #expect(try actions.mention(id: q)?.editCount == 10)
    #expect(try trail(actions, q).filter { $0.action == "claim" || $0.action == "release" }.count == 10)
    #expect(try actionMarks(store, q).claimedBy == nil)
  }
}

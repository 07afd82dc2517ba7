import Foundation
import Inbox
import Policy
import Testing

/// What a new mention's arrival does on both stores: a repeat of an open post is folded into it
/// (issue 16), and the policy's rules raise escalations (S8, legal or press, high reach, a repeat
/// complainer), each once, with its event.
@Suite struct IngestArrivalConformanceTests {
  static let text = "Trein 8:12 naar Utrecht staat AL 20 minuten stil. Niemand zegt iets!"

  static func post(_ id: String, _ handle: String = "pendelaar", minutesAgo: Double, _ text: String = text)
    -> IncomingMention
  {
    IncomingMention(
      platform: "mastodon", externalID: id, author: Author(handle: handle),
      createdAt: TestStores.now.addingTimeInterval(-minutesAgo * 60), text: text, lang: "nl", raw: "{}")
  }

  /// Every mention the store holds (muted ones too), by external id.
  static func all(_ s: any MentionStore) throws -> [String: Mention] {
    var out: [String: Mention] = [:]
    let count = try s.mentionCount()
    var id: Int64 = 1
    while out.count < count && id < Int64(count) + 1000 {
      if let m = try s.mention(id: id) { out[m.externalID] = m }
      id += 1
    }
    return out
  }

  /// A store with the default policy in force (its repeat window is two hours).
  static func store(_ kind: StoreKind, policy: PolicyConfig = .default) throws -> TestStore {
    let store = try TestStore(kind)
    try store.putInForce(policy)
    return store
  }

  // MARK: - Repeats

  @Test(arguments: TestStores.kinds)
  func threeIdenticalPostsInTheWindowAreOneRow(_ kind: StoreKind) throws {
    let store = try Self.store(kind)
    let s = try store.as((any MentionStore).self)
    let counts = try s.ingest(
      [
        Self.post("1", minutesAgo: 60),
        Self.post(
          "2", minutesAgo: 40,
          "trein 8:12 naar   utrecht staat al 20 minuten stil. niemand zegt iets! https://t.co/abc"),
        Self.post("3", minutesAgo: 20),
        Self.post("other", "iemand", minutesAgo: 10),
      ], actor: "test", annotator: defaultAnnotator)
    #expect(counts.new == 4 && counts.folded == 2)
    let all = try Self.all(s)
    let first = try #require(all["1"])
    #expect(first.repeats == 2 && first.repeatOf == nil && !first.muted)
    #expect(all["2"]?.repeatOf == first.id && all["3"]?.repeatOf == first.id)
    #expect(all["2"]?.muted == true && all["other"]?.repeatOf == nil)
    let listed = try s.mentions(order: .urgency, limit: 10, offset: 0).map(\.externalID).sorted()
    #expect(listed == ["1", "other"])
  }

  @Test(arguments: TestStores.kinds)
  func theWindowsEdges(_ kind: StoreKind) throws {
    let store = try Self.store(kind)
    let s = try store.as((any MentionStore).self)
    _ = try s.ingest(
      [Self.post("a", minutesAgo: 300), Self.post("b", minutesAgo: 180), Self.post("c", minutesAgo: 179)],
      actor: "test", annotator: nil)
    var all = try Self.all(s)
    #expect(all["b"]?.repeatOf == all["a"]?.id)  // exactly 2h
    // c is 2h01m after a, but within 2h of b: b is a repeat, not a first, so c stands alone.
    #expect(all["c"]?.repeatOf == nil)
    // A different author or a different text never folds.
    _ = try s.ingest(
      [Self.post("d", "ander", minutesAgo: 178), Self.post("e", minutesAgo: 177, "Iets anders")],
      actor: "test", annotator: nil)
    all = try Self.all(s)
    #expect(all["d"]?.repeatOf == nil && all["e"]?.repeatOf == nil)
    // A policy with repeat_window = "0" folds nothing.
    var policy = PolicyConfig.default
    policy.repeatWindow = .zero
    try store.putInForce(policy)
    _ = try s.ingest([Self.post("f", minutesAgo: 178)], actor: "test", annotator: nil)
    #expect(try Self.all(s)["f"]?.repeatOf == nil)
  }

  @Test(arguments: TestStores.kinds)
  func aStoreWithoutAPolicyFoldsNothing(_ kind: StoreKind) throws {
    let store = try TestStore(kind)
    let s = try store.as((any MentionStore).self)
    let counts = try s.ingest(
      [Self.post("1", minutesAgo: 60), Self.post("2", minutesAgo: 30)], actor: "t",
      annotator: defaultAnnotator)
    #expect(counts.folded == 0 && counts.new == 2)
  }

  @Test(arguments: TestStores.kinds)
  func keysComputedBeforehandFoldTheSameRepeats(_ kind: StoreKind) throws {
    let batch = [
      Self.post("1", minutesAgo: 60), Self.post("2", minutesAgo: 30),
      Self.post("3", minutesAgo: 20, "Iets heel anders"),
      Self.post("4", minutesAgo: 10, Self.text.uppercased() + " https://t.co/x"),
    ]
    var results: [[Int64?]] = []
    for ahead in [true, false] {
      let store = try Self.store(kind)
      let s = try store.as((any MentionStore).self)
      var annotations = batch.map { defaultAnnotator.annotate($0) }
      #expect(annotations.allSatisfy { $0.repeatKey != nil })
      if !ahead { for i in annotations.indices { annotations[i].repeatKey = nil } }
      let counts = try s.ingest(batch, annotations: annotations, actor: "t", rules: nil)
      #expect(counts.folded == 2)
      let all = try Self.all(s)
      results.append(["1", "2", "3", "4"].map { all[$0]?.repeatOf })
    }
    #expect(results[0] == results[1])
    #expect(results[0][1] != nil && results[0][2] == nil)
  }

  // MARK: - Escalations on arrival

  /// 2026-03-02 10:00 UTC, a Monday: the escalation tests' clock.
  static let monday = RFC3339.parse("2026-03-02T10:00:00Z")!

  static let complaint =
    "Mijn trein is alweer geannuleerd en niemand weet iets, echt belachelijk slecht geregeld."

  static func said(
    _ id: String, _ text: String, handle: String = "sanne", minutesAgo: Double = 5, followers: Int? = 100
  ) -> IncomingMention {
    IncomingMention(
      platform: "mastodon", externalID: id,
      author: Author(handle: handle, name: handle.capitalized, followers: followers),
      createdAt: monday.addingTimeInterval(-minutesAgo * 60), text: text, lang: "nl", raw: #"{"id":"\#(id)"}"#
    )
  }

  /// The reasons of the `escalate` events on the mention with external id `id`, sorted.
  static func reasons(_ s: any MentionStore, _ id: String) throws -> [String] {
    let mention = try #require(try all(s)[id])
    return try s.events(mentionID: mention.id).filter { $0.action == "escalate" }.compactMap { event in
      let object = try JSONSerialization.jsonObject(with: Data((event.detail ?? "{}").utf8)) as? [String: Any]
      #expect(object?["escalation_id"] is Int, "an escalate event names its escalation")
      #expect(event.actor == "policy")
      return object?["reason"] as? String
    }.sorted()
  }

  /// The shipped policy's verdict (`PolicyConfig.default`: its legal and press words, its rules).
  static let annotator = PolicyAnnotator(policy: .default)

  static func ingest(_ s: any MentionStore, _ batch: [IncomingMention]) throws -> IngestCounts {
    try s.ingest(batch, actor: "test", annotator: annotator)
  }

  @Test(arguments: TestStores.kinds)
  func anUnfoundedAccusationIsEscalatedOnce(_ kind: StoreKind) throws {
    let store = try TestStore(kind, clock: .fixed(Self.monday))
    let s = try store.as((any MentionStore).self)
    let post = Self.said("u1", "Jullie zijn allemaal oplichters en leugenaars!!!", handle: "angry")
    let counts = try Self.ingest(s, [post])
    #expect(try Self.all(s)["u1"]?.category == .unfounded)
    #expect(try Self.reasons(s, "u1") == ["unfounded_accusation"])
    #expect(counts.escalated == 1)
    // The same post again is a duplicate: no second escalation.
    #expect(try Self.ingest(s, [post]).escalated == 0)
    #expect(try Self.reasons(s, "u1") == ["unfounded_accusation"])
  }

  @Test(arguments: TestStores.kinds)
  func legalOrPressAndHighReach(_ kind: StoreKind) throws {
    let store = try TestStore(kind, clock: .fixed(Self.monday))
    let s = try store.as((any MentionStore).self)
    _ = try Self.ingest(
      s,
      [
        Self.said("l1", "Ik schakel mijn advocaat in als dit zo doorgaat."),
        Self.said("l2", "I am calling my lawyer about this.", handle: "en"),
        Self.said("h1", Self.complaint, handle: "big", followers: 10_000),
        Self.said("h2", Self.complaint, handle: "small", followers: 9_999),
        Self.said(
          "h3", "Wat een fijne conducteur vanochtend, dank jullie wel!", handle: "fan", followers: 50_000),
      ])
    #expect(try Self.reasons(s, "l1").contains("legal_or_press"))
    #expect(try Self.reasons(s, "l2").contains("legal_or_press"))
    #expect(try Self.reasons(s, "h1").contains("high_reach"))
    #expect(try !Self.reasons(s, "h2").contains("high_reach"))
    #expect(try Self.reasons(s, "h3").isEmpty)
  }

  @Test(arguments: TestStores.kinds)
  func aRepeatComplainerOnTheThirdComplaintWithinSevenDays(_ kind: StoreKind) throws {
    let store = try TestStore(kind, clock: .fixed(Self.monday))
    let s = try store.as((any MentionStore).self)
    _ = try Self.ingest(s, [Self.said("r0", Self.complaint, minutesAgo: 8 * 24 * 60)])  // outside the window
    _ = try Self.ingest(s, [Self.said("r1", Self.complaint, minutesAgo: 3 * 24 * 60)])
    _ = try Self.ingest(s, [Self.said("r2", Self.complaint, minutesAgo: 60)])
    #expect(try Self.all(s)["r2"]?.category == .complaint)
    #expect(try !Self.reasons(s, "r2").contains("repeat_complainer"))
    let counts = try Self.ingest(s, [Self.said("r3", Self.complaint, minutesAgo: 1)])
    #expect(try Self.reasons(s, "r3").contains("repeat_complainer"))
    #expect(counts.escalated == 1)
    // Someone else's complaints do not count.
    _ = try Self.ingest(s, [Self.said("o1", Self.complaint, handle: "other", minutesAgo: 1)])
    #expect(try !Self.reasons(s, "o1").contains("repeat_complainer"))
  }

  @Test(arguments: TestStores.kinds)
  func oneBigBatchRaisesEachMentionAndReasonOnce(_ kind: StoreKind) throws {
    let store = try TestStore(kind, clock: .fixed(Self.monday))
    let s = try store.as((any MentionStore).self)
    // 300 high-reach complaints from 100 authors, three each within the window (a repeat
    // complainer on the third), 100 legal threats and 100 quiet questions, in one batch.
    var batch: [IncomingMention] = []
    for i in 0..<300 {
      batch.append(
        Self.said(
          "c\(i)", Self.complaint, handle: "loud\(i % 100)", minutesAgo: Double(300 - i), followers: 20_000))
    }
    for i in 0..<100 { batch.append(Self.said("l\(i)", "Ik schakel mijn advocaat in.", handle: "legal\(i)")) }
    for i in 0..<100 { batch.append(Self.said("q\(i)", "Hoe laat gaat de trein?", handle: "asks\(i)")) }
    let counts = try Self.ingest(s, batch)
    #expect(counts.escalated == 500)
    #expect(try Self.reasons(s, "c250") == ["high_reach", "repeat_complainer"])
    #expect(try Self.reasons(s, "c50") == ["high_reach"])
    #expect(try Self.reasons(s, "l7") == ["legal_or_press"])
    #expect(try Self.reasons(s, "q3").isEmpty)
    let again = try Self.ingest(s, batch)
    #expect(again.new == 0 && again.escalated == 0 && again.duplicate == 500)
  }

  @Test(arguments: TestStores.kinds)
  func aRepeatOfAnEscalatedPostIsCountedOnIt(_ kind: StoreKind) throws {
    let store = try TestStore(kind, clock: .fixed(Self.monday))
    let s = try store.as((any MentionStore).self)
    let threat = "Ik schakel mijn advocaat in als dit zo doorgaat."
    _ = try Self.ingest(s, [Self.said("t1", threat, minutesAgo: 50)])
    // No policy in force, so nothing folds: the repeats are rows of their own, counted on the first
    // escalation (one in a later batch, one in the same batch as a third that repeats it too).
    let counts = try Self.ingest(
      s, [Self.said("t2", threat, minutesAgo: 30), Self.said("t3", threat, handle: "ander", minutesAgo: 20)])
    #expect(counts.escalated == 1, "only the other author's post raises its own")
    let t1 = try #require(try Self.all(s)["t1"])
    let t2 = try #require(try Self.all(s)["t2"])
    let first = try #require(try s.events(mentionID: t1.id).first { $0.action == "escalate" }?.detail)
    let repeated = try s.events(mentionID: t2.id).filter { $0.action == "escalation_repeat" }
    #expect(repeated.map(\.detail) == [first])
    #expect(try Self.reasons(s, "t2").isEmpty && Self.reasons(s, "t3") == ["legal_or_press"])
    #expect(
      try Self.flagged(store, s) == ["t1", "t3"], "a post counted on an earlier escalation is not flagged")
  }

  /// The escalated flag (the queue's escalated filter, `show --json`) is on exactly the new mentions
  /// an escalation was raised on: not on a high-reach post folded as a repeat, in a small batch and
  /// in one big enough for the server to copy (where the flag is written with the row).
  @Test(arguments: TestStores.kinds)
  func theEscalatedFlagIsOnTheEscalatedMentionsOnly(_ kind: StoreKind) throws {
    let store = try TestStore(kind, clock: .fixed(Self.monday))
    try store.putInForce(.default)
    let s = try store.as((any MentionStore).self)
    let loud = { (id: String, minutesAgo: Double) in
      Self.said(id, Self.complaint, handle: "loud", minutesAgo: minutesAgo, followers: 20_000)
    }
    _ = try Self.ingest(s, [loud("h1", 50), loud("h2", 40)])
    var batch = (0..<250).map { Self.said("q\($0)", "Hoe laat gaat de trein?", handle: "asks\($0)") }
    batch += [loud("h3", 30), Self.said("x1", "Ik schakel mijn advocaat in.", handle: "legal")]
    let counts = try Self.ingest(s, batch)
    #expect(counts.new == 252 && counts.folded == 1 && counts.escalated == 1)
    let all = try Self.all(s)
    #expect(all["h2"]?.repeatOf == all["h1"]?.id && all["h3"]?.repeatOf == all["h1"]?.id)
    #expect(try Self.flagged(store, s) == ["h1", "x1"])
  }

  /// The external ids of the mentions whose escalated flag is set.
  static func flagged(_ store: TestStore, _ s: any MentionStore) throws -> Set<String> {
    let all = try Self.all(s)
    let flags = try store.as((any QueueStore).self).flags(mentionIDs: all.values.map(\.id))
    return Set(all.filter { flags[$0.value.id]?.escalated == true }.keys)
  }
}

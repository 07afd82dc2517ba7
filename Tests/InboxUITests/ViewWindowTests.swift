import Desk
import Foundation
import Inbox
import Policy
import Store
import Testing

/// The windows of `escalated` and `watched` (issue 16): found from an index of their own rows
/// (the open-escalation flag's indexes, v28; the watched authors' mentions by author), with the
/// same rows as their counts.
@Suite("View windows")
struct ViewWindowTests {
  func filter(_ words: String) -> QueueFilter {
    FilterWords.parse(words, me: "Anna", timeZone: .gmt).filter
  }

  func ids(_ store: SQLiteStore, _ words: String) throws -> Set<Int64> {
    Set(try store.queue(filter(words), limit: 500, offset: 0, now: fixedNow).map(\.mention.id))
  }

  @Test("escalated and watched windows are read from their own indexes")
  func plans() throws {
    let (store, policy) = try makeStore()
    _ = try store.ingest(sampleMentions, actor: "test", annotator: PolicyAnnotator(policy: policy))
    let escalated = try store.queueWindowPlan(filter("escalated"), now: fixedNow)
    #expect(escalated.contains { $0.contains("mentions_escalated_by_due") }, "\(escalated)")
    #expect(!escalated.contains { $0.contains("escalations") }, "\(escalated)")
    let watched = try store.queueWindowPlan(filter("watched"), now: fixedNow)
    #expect(watched.contains { $0.contains("mentions_by_author") }, "\(watched)")
    #expect(!watched.contains { $0.contains("mentions_by_due") }, "\(watched)")
    // `mine` still goes by the claim index, also when it is escalated too.
    let mine = try store.queueWindowPlan(filter("mine escalated"), now: fixedNow)
    #expect(mine.contains { $0.contains("mentions_by_claim") }, "\(mine)")
  }

  @Test("the escalated window follows escalations raised, acknowledged and resolved")
  func escalatedFollows() throws {
    let (store, policy) = try makeStore()
    _ = try store.ingest(sampleMentions, actor: "test", annotator: PolicyAnnotator(policy: policy))
    let all = try store.queue(QueueFilter(), limit: 500, offset: 0, now: fixedNow).map(\.mention.id)
    func check() throws {
      let open = try store.flags(mentionIDs: all).filter { $0.value.escalated }.keys
      #expect(try ids(store, "escalated") == Set(open))
      #expect(try store.queueCount(filter("escalated"), now: fixedNow) == open.count)
    }
    try check()
    let (a, b) = (all[0], all[1])
    let first = try store.escalate(mentionID: a, reason: "by_hand", note: "kijk", actor: "anna")
    let second = try store.escalate(mentionID: a, reason: "legal_or_press", note: "pers", actor: "anna")
    let third = try store.escalate(mentionID: b, reason: "by_hand", note: "kijk", actor: "anna")
    try check()
    #expect(try ids(store, "escalated").isSuperset(of: [a, b]))
    try store.acknowledge(escalation: third, actor: "sara")
    try check()
    #expect(try ids(store, "escalated").contains(b))
    // One of two resolved: still escalated; both: no longer.
    try store.resolve(escalation: first, note: "klaar", actor: "sara")
    #expect(try ids(store, "escalated").contains(a))
    try store.resolve(escalation: second, note: "klaar", actor: "sara")
    try store.resolve(escalation: third, note: "klaar", actor: "sara")
    try check()
    #expect(try ids(store, "escalated").isDisjoint(with: [a, b]))
  }

  @Test("the watched window holds the watched authors' mentions")
  func watchedFollows() throws {
    let (store, policy) = try makeStore()
    _ = try store.ingest(sampleMentions, actor: "test", annotator: PolicyAnnotator(policy: policy))
    let all = try store.queue(QueueFilter(), limit: 500, offset: 0, now: fixedNow)
    #expect(try ids(store, "watched").isEmpty)
    let author = all[2].mention.author.handle
    #expect(try store.toggleWatch(mentionID: all[2].mention.id, actor: "anna"))
    let theirs = Set(all.filter { $0.mention.author.handle == author }.map(\.mention.id))
    #expect(try ids(store, "watched") == theirs)
    #expect(try store.queueCount(filter("watched"), now: fixedNow) == theirs.count)
  }

  @Test("a window's rows are the mentions as read one by one, signals and all, by key and by position")
  func rowsAsMentions() throws {
    let (store, policy) = try makeStore()
    _ = try store.ingest(sampleMentions, actor: "test", annotator: PolicyAnnotator(policy: policy))
    let byPosition = try store.queue(QueueFilter(), limit: 500, offset: 0, now: fixedNow)
    let byKey = try store.queue(
      QueueFilter(), anchor: .from(byPosition[0].mention.id), limit: 500, now: fixedNow)
    #expect(byKey?.map(\.mention) == byPosition.map(\.mention))
    for entry in byPosition {
      let one = try store.mention(id: entry.mention.id)
      #expect(entry.mention == one)
      // Kept packed in the row; the same JSON as before when asked for.
      #expect(entry.mention.signalsJSON == one?.signalsJSON)
      #expect(entry.mention.signalsJSON?.hasPrefix("[") == true)
    }
    // Signals set from JSON read back as that JSON.
    var m = byPosition[0].mention
    m.signalsJSON = #"[{"kind":"complaint_cue","token":"late","weight":0.8}]"#
    #expect(m.signalsJSON == #"[{"kind":"complaint_cue","token":"late","weight":0.8}]"#)
  }
}

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

/// A window on a platform or language with few mentions (issue 17): read from that platform's
/// (language's) own rows and sorted, not by walking a segment's index past every other mention;
/// a busy one still walks. The rows and their order are the same either way.
@Suite("Rare platform windows")
struct RarePlatformWindowTests {
  func filter(_ words: String) -> QueueFilter {
    FilterWords.parse(words, me: "Anna", timeZone: .gmt).filter
  }

  @Test("rss beside a busy network: its own rows, in the queue's order, by position and by key")
  func rarePlatform() throws {
    let (store, policy) = try makeStore()
    let texts = [
      "Mijn trein is weer vertraagd", "Waarom staat de trein stil?", "Dank voor de snelle hulp",
      "Is de dienstregeling morgen anders?",
    ]
    var incoming: [IncomingMention] = (0..<700).map { k in
      mention("b\(k)", "reiziger\(k % 50)", minutesAgo: Double(k % 300), texts[k % texts.count])
    }
    incoming += (0..<9).map { k in
      mention(
        "r\(k)", "feed", minutesAgo: Double(k * 37 % 290), texts[k % texts.count], platform: "rss", lang: "de"
      )
    }
    _ = try store.ingest(incoming, actor: "test", annotator: PolicyAnnotator(policy: policy))
    let rss = try store.queueWindowPlan(filter("rss"), now: fixedNow)
    // The key's index SQLite made, under the name the route gives it, leads with the platform.
    #expect(rss.contains { $0.contains("INDEX \(SQLiteStore.platformIndex) (platform=?)") }, "\(rss)")
    let busy = try store.queueWindowPlan(filter("mastodon"), now: fixedNow)
    #expect(busy.contains { $0.contains("mentions_by_due") }, "\(busy)")
    let german = try store.queueWindowPlan(filter("lang:de"), now: fixedNow)
    #expect(german.contains { $0.contains("mentions_by_lang") }, "\(german)")
    // The same rows in the same order as the whole queue shows them.
    let all = try store.queue(QueueFilter(), limit: 1_000, offset: 0, now: fixedNow).map(\.mention)
    let expected = all.filter { $0.platform == "rss" }.map(\.id)
    #expect(expected.count == 9)
    #expect(
      try store.queue(filter("rss"), limit: 100, offset: 0, now: fixedNow).map(\.mention.id) == expected)
    #expect(
      try store.queue(filter("lang:de"), limit: 100, offset: 0, now: fixedNow).map(\.mention.id) == expected)
    #expect(
      try store.queue(filter("rss"), limit: 4, offset: 3, now: fixedNow).map(\.mention.id)
        == Array(expected[3..<7]))
    let after = try store.queue(filter("rss"), anchor: .after(expected[2]), limit: 3, now: fixedNow)
    #expect(after?.map(\.mention.id) == Array(expected[3..<6]))
    let before = try store.queue(filter("rss"), anchor: .before(expected[5]), limit: 2, now: fixedNow)
    #expect(before?.map(\.mention.id) == Array(expected[3..<5]))
    let end = try store.queue(filter("rss"), anchor: .end, limit: 3, now: fixedNow)
    #expect(end?.map(\.mention.id) == Array(expected[6..<9]))
    #expect(try store.queueCount(filter("rss"), now: fixedNow) == 9)
  }

}

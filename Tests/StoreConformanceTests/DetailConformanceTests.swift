import Foundation
import Inbox
import Policy
import Testing

/// The detail pane's reads on both stores: the entry, the thread, the author with what they wrote
/// before, notes, escalations, flags, the raw record and the whole audit trail.
@Suite struct DetailConformanceTests {
  static let shownAt = Date(timeIntervalSince1970: 1_795_500_000)

  /// Kees's posts, minutes from the one shown (negative: before it).
  static func post(_ id: String, minutes: Double, _ text: String) -> IncomingMention {
    IncomingMention(
      platform: "mastodon", externalID: id, author: Author(handle: "kees", name: "Kees"),
      createdAt: shownAt.addingTimeInterval(minutes * 60), text: text, lang: "nl", raw: "{}")
  }

  static let complaint = "Mijn trein is weer vertraagd en niemand zegt iets. Belachelijk."

  @Test(
    "earlier posts are those created before the shown one; later posts are not counted",
    arguments: TestStores.kinds)
  func onlyEarlier(kind: StoreKind) throws {
    let store = try TestStore(kind)
    let queue = try store.as((any QueueStore).self)
    // Stored out of order on purpose: ids say nothing about when a post was written.
    _ = try queue.ingest(
      [
        Self.post("later-1", minutes: 30, Self.complaint),
        Self.post("shown", minutes: 0, Self.complaint),
        Self.post("before-1", minutes: -120, Self.complaint),
        Self.post("later-2", minutes: 60, Self.complaint),
        Self.post("before-2", minutes: -60, "Fijne reis gehad, dank jullie wel!"),
      ], actor: "test", annotator: defaultAnnotator)
    let shownID = try #require(try queue.mentionID(platform: "mastodon", externalID: "shown"))
    let shown = try #require(try queue.entry(id: shownID)).mention
    let author = try queue.author(of: shown)
    #expect(author.mentionCount == 5)
    #expect(author.earlier.map(\.externalID) == ["before-2", "before-1"])
    #expect(author.earlierCount == 2)
    #expect(author.earlierComplaints == 1)
    #expect(author.author.handle == "kees" && author.platform == "mastodon" && !author.watched)
    #expect(try queue.author(of: shown, earlier: 1).earlier.map(\.externalID) == ["before-2"])
  }

  @Test(
    "the author's first post has nothing earlier, however much came after it", arguments: TestStores.kinds)
  func firstPost(kind: StoreKind) throws {
    let store = try TestStore(kind)
    let queue = try store.as((any QueueStore).self)
    _ = try queue.ingest(
      (0..<4).map { Self.post("p\($0)", minutes: Double($0) * 10, Self.complaint) }, actor: "test",
      annotator: defaultAnnotator)
    let first = try #require(try queue.mentionID(platform: "mastodon", externalID: "p0"))
    let author = try queue.author(of: try #require(try queue.entry(id: first)).mention)
    #expect(author.earlier.isEmpty)
    #expect(author.earlierCount == 0)
    #expect(author.earlierComplaints == 0)
  }

  @Test("an entry carries the mention as stored and who holds it", arguments: TestStores.kinds)
  func entry(kind: StoreKind) throws {
    let store = try TestStore(kind)
    let queue = try store.as((any QueueStore).self)
    var first = incoming("1", text: "Waar blijft mijn pakket?", handle: "anna", followers: 12, name: "Anna")
    first.url = "https://x.example/1"
    first.lang = "nl"
    _ = try queue.ingest([first], actor: "t", annotator: defaultAnnotator)
    let id = try #require(try queue.mentionID(platform: "x", externalID: "1"))
    #expect(try queue.mentionID(platform: "x", externalID: "2") == nil)
    #expect(try queue.mentionID(platform: "mastodon", externalID: "1") == nil)
    #expect(try queue.entry(id: 999_999) == nil)
    try QueueActions(store: store).claim(id, by: "bob")
    let entry = try #require(try queue.entry(id: id))
    #expect(entry.claimedBy == "bob" && entry.assignedTo == nil && entry.snoozedUntil == nil)
    let m = entry.mention
    #expect(m.id == id && m.externalID == "1" && m.platform == "x" && m.url == "https://x.example/1")
    #expect(m.author == Author(handle: "anna", name: "Anna", followers: 12))
    #expect(m.text == "Waar blijft mijn pakket?" && m.lang == "nl" && m.status == .open && !m.muted)
    #expect(m.createdAt == first.createdAt && m.ingestedAt == TestStores.now)
    #expect(m.category != nil && m.confidence != nil)
    // The queue's row and the entry agree.
    #expect(try queue.queue(QueueFilter(), limit: 1, offset: 0, now: TestStores.now) == [entry])
    #expect(try queue.rawRecord(mentionID: id) == #"{"id":"1"}"#)
    #expect(try queue.rawRecord(mentionID: 999_999) == nil)
  }

  @Test(
    "a thread: the same thread id or replies linked either way, oldest first", arguments: TestStores.kinds)
  func thread(kind: StoreKind) throws {
    let store = try TestStore(kind)
    let queue = try store.as((any QueueStore).self)
    var root = incoming("root", text: "Trein staat stil", minutesAgo: 50)
    root.thread = "t1"
    var reply = incoming("reply", text: "Nog steeds", handle: "bob", minutesAgo: 40)
    reply.inReplyTo = "root"
    var sibling = incoming("sibling", text: "Ik ook", handle: "carla", minutesAgo: 30)
    sibling.thread = "t1"
    var answer = incoming("answer", text: "Excuses", handle: "ns", minutesAgo: 20)
    answer.inReplyTo = "reply"
    let other = incoming("other", text: "Los", handle: "dirk", minutesAgo: 10)
    _ = try queue.ingest([root, reply, sibling, answer, other], actor: "t", annotator: defaultAnnotator)
    let ids = try store.ids(["root", "reply", "sibling", "answer", "other"])
    let shown = try #require(try queue.entry(id: ids["reply"]!)).mention
    // The parent (and its thread), the reply to it; never the mention itself.
    #expect(try queue.thread(of: shown).map(\.mention.externalID) == ["root", "sibling", "answer"])
    #expect(try queue.thread(of: shown, limit: 1).map(\.mention.externalID) == ["root"])
    let alone = try #require(try queue.entry(id: ids["other"]!)).mention
    #expect(try queue.thread(of: alone).isEmpty)
    #expect(try !queue.reopensConversation(shown))
    try QueueActions(store: store).markReplied(ids["root"]!)
    #expect(try queue.reopensConversation(shown))
    #expect(try !queue.reopensConversation(alone))
  }

  @Test("notes, escalations and flags", arguments: TestStores.kinds)
  func notesEscalationsFlags(kind: StoreKind) throws {
    let store = try TestStore(kind)
    let queue = try store.as((any QueueStore).self)
    _ = try queue.ingest(
      [incoming("1"), incoming("2", handle: "bob"), incoming("3", handle: "bob")], actor: "t",
      annotator: defaultAnnotator)
    let ids = try store.ids(["1", "2", "3"])
    let actions = QueueActions(store: store)
    try actions.note(ids["1"]!, "eerst")
    try actions.note(ids["1"]!, "dan")
    try actions.escalate(ids["2"]!, note: "pers")
    try actions.watch(ids["3"]!)
    try actions.claim(ids["1"]!, by: "anna")
    let notes = try queue.notes(mentionID: ids["1"]!)
    #expect(notes.map(\.text) == ["eerst", "dan"] && notes.allSatisfy { $0.author == "t" })
    #expect(notes[0].id < notes[1].id && notes[0].at == TestStores.now)
    #expect(try queue.notes(mentionID: ids["2"]!).isEmpty)
    let escalations = try queue.escalations(mentionID: ids["2"]!)
    #expect(escalations.count == 1)
    let e = try #require(escalations.first)
    #expect(e.mentionID == ids["2"]! && e.reason == "by_hand" && e.state == "new" && e.createdBy == "t")
    #expect(e.notes.map(\.text) == ["pers"] && e.count == 1 && e.createdAt == TestStores.now)
    #expect(try queue.escalations(mentionID: ids["1"]!).isEmpty)
    let flags = try queue.flags(mentionIDs: [ids["1"]!, ids["2"]!, ids["3"]!, 999_999])
    #expect(flags.count == 3)
    #expect(flags[ids["1"]!] == MentionFlags(claimedBy: "anna"))
    #expect(flags[ids["2"]!] == MentionFlags(escalated: true, watched: true))
    #expect(flags[ids["3"]!] == MentionFlags(watched: true))
    #expect(try queue.flags(mentionIDs: []).isEmpty)
  }

  @Test("the whole audit trail, oldest first, from an id on", arguments: TestStores.kinds)
  func allEvents(kind: StoreKind) throws {
    let store = try TestStore(kind)
    let queue = try store.as((any QueueStore).self)
    _ = try queue.ingest([incoming("1"), incoming("2")], actor: "t", annotator: defaultAnnotator)
    let ids = try store.ids(["1", "2"])
    try QueueActions(store: store).note(ids["2"]!, "kijk")
    let all = try queue.allEvents()
    #expect(all.count >= 2)
    #expect(all.map(\.id) == all.map(\.id).sorted())
    let last = try #require(all.last)
    #expect(last.action == "note" && last.mentionID == ids["2"]! && last.actor == "t")
    #expect(last.at == TestStores.now)
    #expect(try queue.allEvents(after: all[0].id) == Array(all.dropFirst()))
    #expect(try queue.allEvents(after: 0, limit: 1) == [all[0]])
    #expect(try queue.allEvents(after: last.id).isEmpty)
  }
}

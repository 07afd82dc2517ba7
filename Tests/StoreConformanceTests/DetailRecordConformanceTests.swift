import Foundation
import Inbox
import Policy
import Testing

/// A mention's whole detail in one read (`DetailRecord.read`: on the server one statement) equals
/// the same detail read part by part with each protocol call, on both stores.
@Suite struct DetailRecordConformanceTests {
  typealias DetailTestStore = any QueueStore & OutboxStore & EscalationStore & PersonStore

  /// Kees's thread and earlier posts, a reply and a sibling by others, notes, an escalation with
  /// its note, a draft, a reply in the outbox, a watched author and a note on the person.
  static func fixture(_ kind: StoreKind) throws -> (TestStore, DetailTestStore, [String: Int64]) {
    let store = try TestStore(kind)
    let s = try store.as(DetailTestStore.self)
    var shown = incoming(
      "shown", text: "Mijn trein is weer vertraagd, belachelijk.", handle: "kees", minutesAgo: 50)
    shown.thread = "t1"
    var reply = incoming("reply", text: "Nog steeds", handle: "bob", minutesAgo: 40)
    reply.inReplyTo = "shown"
    var sibling = incoming("sibling", text: "Ik ook", handle: "carla", minutesAgo: 30)
    sibling.thread = "t1"
    var child = incoming("child", text: "Ja", handle: "dirk", minutesAgo: 20)
    child.inReplyTo = "reply"
    _ = try s.ingest(
      [
        shown, reply, sibling, child,
        incoming("before-1", text: "Weer vertraging, slecht.", handle: "kees", minutesAgo: 300),
        incoming("before-2", text: "Fijne reis, dank!", handle: "kees", minutesAgo: 200),
        incoming("later", text: "Nu weer", handle: "kees", minutesAgo: 10),
      ], actor: "t", annotator: defaultAnnotator)
    let ids = try store.ids(["shown", "reply", "sibling", "child", "before-1", "before-2", "later"])
    let id = ids["shown"]!
    let actions = QueueActions(store: store)
    try actions.note(id, "eerst")
    try actions.note(id, "dan")
    try actions.escalate(id, note: "pers")
    try actions.watch(id)
    try actions.claim(ids["reply"]!, by: "anna")
    try s.saveDraft(mentionID: id, author: "anna", kind: .reply, text: "Sorry")
    try s.saveDraft(mentionID: id, author: "bram", kind: .holding, text: "We kijken")
    try s.enqueueReply(
      mentionID: ids["sibling"]!, responder: "carla", kind: .reply, text: "Excuses! – Carla",
      policy: PolicyConfig())
    let identity = try #require(try s.identity(mentionID: id))
    try s.setPersonNote(of: identity.authorID, text: "Vaste reiziger", actor: "anna")
    return (store, s, ids)
  }

  @Test("the one read equals the parts read one by one, for every mention", arguments: TestStores.kinds)
  func oneReadIsTheParts(kind: StoreKind) throws {
    let (store, s, ids) = try Self.fixture(kind)
    _ = store
    for (name, id) in ids.sorted(by: { $0.key < $1.key }) {
      let whole = try DetailRecord.read(id, from: s)
      let parts = try DetailRecord.parts(of: id, in: s)
      #expect(whole != nil, "\(name)")
      #expect(whole == parts, "\(name)")
      // The limits reach the thread and the earlier posts as they reach the calls.
      #expect(
        try DetailRecord.read(id, from: s, threadLimit: 1, earlierLimit: 1)
          == DetailRecord.parts(of: id, in: s, threadLimit: 1, earlierLimit: 1), "\(name)")
    }
    #expect(try DetailRecord.read(999_999, from: s) == nil)
  }

  @Test("the one read carries every part of the detail", arguments: TestStores.kinds)
  func everyPart(kind: StoreKind) throws {
    let (store, s, ids) = try Self.fixture(kind)
    _ = store
    let record = try #require(try DetailRecord.read(ids["shown"]!, from: s))
    #expect(record.entry.mention.externalID == "shown")
    #expect(record.thread.map(\.mention.externalID) == ["reply", "sibling"])
    #expect(record.thread.first?.claimedBy == "anna")
    #expect(record.author.earlier.map(\.externalID) == ["before-2", "before-1"])
    #expect(record.author.earlierCount == 2 && record.author.mentionCount == 4 && record.author.watched)
    #expect(record.notes.map(\.text) == ["eerst", "dan"])
    #expect(record.escalations.map { $0.notes.map(\.text) } == [["pers"]])
    #expect(Set(record.drafts.map(\.author)) == ["anna", "bram"])
    #expect(record.personNote?.text == "Vaste reiziger" && record.personNote?.by == "anna")
    #expect(record.events.first?.action == "ingest" && record.events.contains { $0.action == "note" })
    let sibling = try #require(try DetailRecord.read(ids["sibling"]!, from: s))
    #expect(sibling.outbox.map(\.responder) == ["carla"] && sibling.outbox.first?.status == .queued)
    #expect(sibling.personNote == nil && sibling.thread.map(\.mention.externalID) == ["shown"])
    let child = try #require(try DetailRecord.read(ids["child"]!, from: s))
    #expect(child.thread.map(\.mention.externalID) == ["reply"])
  }
}

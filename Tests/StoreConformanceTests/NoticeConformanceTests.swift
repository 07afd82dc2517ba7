import Foundation
import Inbox
import Policy
import Testing

/// Notices (issue 16) on both stores: each kind is made once, for its recipient only, in the write
/// that causes it (assign, the four eyes, delivery, ingest); read ones drop out of the unread and
/// the summary; only the recipient marks theirs.
@Suite struct NoticeConformanceTests {
  typealias Notices = any QueueStore & ActionStore & AssignStore & OutboxStore & NoticeStore

  /// A store with a legal threat by @boos (`legal`) and a question by @tom (`question`).
  func seeded(_ kind: StoreKind) throws -> (TestStore, Notices, legal: Int64, question: Int64) {
    let store = try TestStore(kind)
    let s = try store.as(Notices.self)
    _ = try s.ingest(
      [
        incoming(
          "legal", text: "Mijn advocaat stuurt jullie een brief over de vertraging.", handle: "boos",
          minutesAgo: 10, lang: "nl"),
        incoming(
          "vraag", text: "Hoe laat vertrekt de eerste trein?", handle: "tom", minutesAgo: 10, lang: "nl"),
      ], actor: "test", annotator: defaultAnnotator)
    let legal = try #require(try s.mentionID(platform: "x", externalID: "legal"))
    let question = try #require(try s.mentionID(platform: "x", externalID: "vraag"))
    return (store, s, legal, question)
  }

  func kinds(_ s: Notices, _ who: String) throws -> [NoticeKind] {
    try s.notices(for: who, includeRead: true, limit: 200).map(\.kind)
  }

  @Test(
    "assigning records the event, tells the assignee once, and releases someone else's claim",
    arguments: TestStores.kinds)
  func assign(kind: StoreKind) throws {
    let (store, s, _, question) = try seeded(kind)
    _ = store
    _ = try s.claim(id: question, actor: "Bob", takeOver: false)
    #expect(try s.assign(id: question, to: "Anna", actor: "Sam") == .assigned(releasedClaimOf: "Bob"))
    #expect(try s.entry(id: question)?.assignedTo == "Anna")
    #expect(try s.entry(id: question)?.claimedBy == nil)
    #expect(try s.assign(id: question, to: "Anna", actor: "Sam") == .alreadyAssigned)
    #expect(try kinds(s, "Anna") == [.assigned])
    #expect(try kinds(s, "Bob").isEmpty)
    let notice = try #require(try s.notices(for: "Anna", includeRead: false, limit: 200).first)
    #expect(notice.actor == "Sam" && notice.mentionID == question && notice.handle == "tom")
    #expect(notice.createdAt == TestStores.now && notice.readAt == nil && notice.recipient == "Anna")
    let events = try s.events(mentionID: question).map(\.action)
    #expect(events.filter { $0 == "assign" }.count == 1)
    // The assignee's own claim stays; assigning to oneself tells nobody.
    _ = try s.claim(id: question, actor: "Bob", takeOver: false)
    #expect(try s.assign(id: question, to: "Bob", actor: "Bob") == .assigned(releasedClaimOf: nil))
    #expect(try s.entry(id: question)?.claimedBy == "Bob")
    #expect(try kinds(s, "Bob").isEmpty)
    #expect(try s.assign(id: question, to: nil, actor: "Sam") == .unassigned)
    #expect(try s.assign(id: question, to: nil, actor: "Sam") == .notAssigned)
  }

  @Test(
    "approved, sent back, delivered and failed each tell the responder once, and nobody else",
    arguments: TestStores.kinds)
  func replies(kind: StoreKind) throws {
    let (store, s, legal, question) = try seeded(kind)
    _ = store
    let held = try s.enqueueReply(
      mentionID: legal, responder: "Anna", kind: .reply, text: "Wat vervelend. – Anna", policy: .default,
      needsApproval: true)
    try s.returnReply(id: held.id, note: "Geen toezeggingen", actor: "Sam")
    let again = try s.enqueueReply(
      mentionID: legal, responder: "Anna", kind: .reply, text: "Wat vervelend, we bellen. – Anna",
      policy: .default, needsApproval: true)
    try s.approveReply(id: again.id, actor: "Sam", policy: .default)
    try s.markSent(id: again.id, postID: "p1", url: nil)
    let other = try s.enqueueReply(
      mentionID: question, responder: "Anna", kind: .reply, text: "Om 6:00. – Anna", policy: .default)
    try s.markDeliveryFailed(id: other.id, error: "HTTP 403", retryAt: TestStores.now.addingTimeInterval(60))
    #expect(try kinds(s, "Anna") == [.sentBack, .approved, .delivered].reversed())
    try s.markDeliveryFailed(id: other.id, error: "HTTP 403", retryAt: nil)
    let notices = try s.notices(for: "Anna", includeRead: false, limit: 200)
    #expect(notices.map(\.kind) == [.deliveryFailed, .delivered, .approved, .sentBack])
    #expect(notices.first?.note == "HTTP 403" && notices.last?.note == "Geen toezeggingen")
    #expect(notices.first?.outboxID == other.id && notices.last?.outboxID == held.id)
    #expect(notices.map(\.actor) == ["repute", "repute", "Sam", "Sam"])
    #expect(try kinds(s, "Sam").isEmpty)
  }

  @Test(
    "a new message in a replied thread tells the responder; a watched author's new post the watcher",
    arguments: TestStores.kinds)
  func arrivals(kind: StoreKind) throws {
    let (store, s, _, question) = try seeded(kind)
    _ = store
    let reply = try s.enqueueReply(
      mentionID: question, responder: "Anna", kind: .reply, text: "Om 6:00. – Anna", policy: .default)
    try s.markSent(id: reply.id, postID: "our-post", url: nil)
    _ = try s.toggleWatch(mentionID: question, actor: "Bob")
    var answer = incoming("answer", text: "Dank, en de laatste?", handle: "tom", minutesAgo: 0)
    answer.inReplyTo = "our-post"
    var sibling = incoming("sibling", text: "Ik wil dat ook weten", handle: "kees", minutesAgo: 0)
    sibling.inReplyTo = "vraag"
    let unrelated = incoming("los", text: "Los", handle: "kees", minutesAgo: 0)
    _ = try s.ingest([answer, sibling, unrelated], actor: "test", annotator: nil)
    let answerID = try #require(try s.mentionID(platform: "x", externalID: "answer"))
    let siblingID = try #require(try s.mentionID(platform: "x", externalID: "sibling"))
    // Anna's reply was delivered (a notice), then two messages arrived in its thread.
    let anna = try s.notices(for: "Anna", includeRead: false, limit: 200).filter { $0.kind != .delivered }
    #expect(Set(anna.map(\.mentionID)) == [answerID, siblingID])
    #expect(anna.allSatisfy { $0.kind == .threadReply && $0.actor == nil })
    let bob = try s.notices(for: "Bob", includeRead: false, limit: 200)
    #expect(bob.map(\.kind) == [.watchedPosted] && bob.first?.mentionID == answerID)
    #expect(bob.first?.handle == "tom")
    // The same post ingested again makes nothing new.
    _ = try s.ingest([answer], actor: "test", annotator: nil)
    #expect(try s.notices(for: "Anna", includeRead: false, limit: 200).count == 3)
  }

  @Test(
    "read notices leave the unread and the summary; only the recipient marks theirs",
    arguments: TestStores.kinds)
  func markRead(kind: StoreKind) throws {
    let (store, s, legal, question) = try seeded(kind)
    _ = store
    _ = try s.assign(id: legal, to: "Anna", actor: "Sam")
    _ = try s.assign(id: question, to: "Anna", actor: "Sam")
    #expect(try s.noticeSummary(for: "Bob") == NoticeSummary())
    var summary = try s.noticeSummary(for: "Anna")
    #expect(summary.unread == 2 && summary.newest?.mentionID == question)
    let newest = try #require(summary.newest)
    #expect(try s.markNoticesRead(ids: [], recipient: "Anna") == 0)
    #expect(try s.markNoticesRead(ids: [newest.id], recipient: "Bob") == 0)
    #expect(try s.markNoticesRead(ids: [newest.id, newest.id], recipient: "Anna") == 1)
    #expect(try s.markNoticesRead(ids: [newest.id], recipient: "Anna") == 0)
    summary = try s.noticeSummary(for: "Anna")
    #expect(summary.unread == 1 && summary.newest?.mentionID == legal)
    #expect(try s.notices(for: "Anna", includeRead: false, limit: 200).count == 1)
    let all = try s.notices(for: "Anna", includeRead: true, limit: 200)
    #expect(all.map(\.isRead) == [false, true])
    #expect(all.last?.readAt == TestStores.now)
    // The limit counts the unread first, then the read.
    #expect(try s.notices(for: "Anna", includeRead: true, limit: 1).map(\.isRead) == [false])
    #expect(try s.markAllNoticesRead(recipient: "Anna") == 1)
    #expect(try s.markAllNoticesRead(recipient: "Anna") == 0)
    #expect(try s.noticeSummary(for: "Anna") == NoticeSummary())
    #expect(try s.notices(for: "Anna", includeRead: false, limit: 200).isEmpty)
    #expect(try s.notices(for: "Anna", includeRead: true, limit: 200).count == 2)
  }
}

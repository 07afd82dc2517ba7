import Foundation
import GRDB
import Inbox
import Policy
import Testing

@testable import Store

/// Assignment and notices (issue 16): each notice kind is made once, for its recipient only, in
/// the write that causes it; read ones drop out of the unread; `mine` takes in assignments; and
/// `forget` takes the notices about the forgotten author with it.
@Suite("Assign and notices")
struct NoticeTests {
  let now = RFC3339.parse("2026-03-02T10:00:00Z")!

  func store() throws -> (TempFolder, SQLiteStore, legal: Int64, question: Int64) {
    let folder = TempFolder()
    let store = try SQLiteStore(path: folder.path + "/repute.sqlite", clock: .fixed(now))
    _ = try store.ingest(
      [
        IncomingMention(
          platform: "x", externalID: "legal", author: Author(handle: "boos"),
          createdAt: now.addingTimeInterval(-600),
          text: "Mijn advocaat stuurt jullie een brief over de vertraging.", lang: "nl", raw: "{}"),
        IncomingMention(
          platform: "x", externalID: "vraag", author: Author(handle: "tom"),
          createdAt: now.addingTimeInterval(-600),
          text: "Hoe laat vertrekt de eerste trein?", lang: "nl", raw: "{}"),
      ], actor: "test", annotator: PolicyAnnotator(policy: .default))
    let legal = try #require(try store.mentionID(platform: "x", externalID: "legal"))
    let question = try #require(try store.mentionID(platform: "x", externalID: "vraag"))
    return (folder, store, legal, question)
  }

  func kinds(_ store: SQLiteStore, _ who: String, all: Bool = true) throws -> [NoticeKind] {
    try store.notices(for: who, includeRead: all).map(\.kind)
  }

  @Test("assigning records the event, tells the assignee once, and releases someone else's claim")
  func assign() throws {
    let (folder, store, _, question) = try store()
    _ = folder
    _ = try store.claim(id: question, actor: "Bob")
    #expect(try store.assign(id: question, to: "Anna", actor: "Sam") == .assigned(releasedClaimOf: "Bob"))
    #expect(try store.entry(id: question)?.assignedTo == "Anna")
    #expect(try store.entry(id: question)?.claimedBy == nil)
    #expect(try store.assign(id: question, to: "Anna", actor: "Sam") == .alreadyAssigned)
    #expect(try kinds(store, "Anna") == [.assigned])
    #expect(try kinds(store, "Bob").isEmpty)
    let notice = try #require(try store.notices(for: "Anna").first)
    #expect(notice.actor == "Sam" && notice.mentionID == question && notice.handle == "tom")
    let events = try store.events(mentionID: question).map(\.action)
    #expect(events.filter { $0 == "assign" }.count == 1)
    // The assignee's own claim stays; assigning to oneself tells nobody.
    _ = try store.claim(id: question, actor: "Bob")
    #expect(try store.assign(id: question, to: "Bob", actor: "Bob") == .assigned(releasedClaimOf: nil))
    #expect(try store.entry(id: question)?.claimedBy == "Bob")
    #expect(try kinds(store, "Bob").isEmpty)
    #expect(try store.assign(id: question, to: nil, actor: "Sam") == .unassigned)
    #expect(try store.assign(id: question, to: nil, actor: "Sam") == .notAssigned)
  }

  @Test("mine is claimed by me or assigned to me; assigned:NAME only the assignment; both from an index")
  func mine() throws {
    let (folder, store, legal, question) = try store()
    _ = folder
    _ = try store.claim(id: legal, actor: "Anna")
    _ = try store.assign(id: question, to: "Anna", actor: "Sam")
    var mine = QueueFilter()
    mine.claimants = ["Anna"]
    mine.assignees = ["Anna"]
    #expect(
      Set(try store.queue(mine, limit: 10, offset: 0, now: now).map(\.mention.id)) == [legal, question])
    #expect(try store.queueCount(mine, now: now) == 2)
    var assigned = QueueFilter()
    assigned.assignees = ["Anna"]
    #expect(try store.queue(assigned, limit: 10, offset: 0, now: now).map(\.mention.id) == [question])
    let plan = try store.pool.read { db in
      try Row.fetchAll(
        db,
        sql: """
          EXPLAIN QUERY PLAN SELECT count(*) FROM mentions m
          WHERE m.claimed_by IN ('Anna') OR m.assigned_to IN ('Anna')
          """
      ).map { $0["detail"] as String }
    }
    #expect(plan.contains { $0.contains("mentions_by_assignee") }, "\(plan)")
    #expect(plan.contains { $0.contains("mentions_by_claim") }, "\(plan)")
  }

  @Test("approved, sent back, delivered and failed each tell the responder once, and nobody else")
  func replies() throws {
    let (folder, store, legal, question) = try store()
    _ = folder
    let held = try store.enqueueReply(
      mentionID: legal, responder: "Anna", kind: .reply, text: "Wat vervelend. – Anna", policy: .default,
      needsApproval: true)
    try store.returnReply(id: held.id, note: "Geen toezeggingen", actor: "Sam")
    let again = try store.enqueueReply(
      mentionID: legal, responder: "Anna", kind: .reply, text: "Wat vervelend, we bellen. – Anna",
      policy: .default, needsApproval: true)
    try store.approveReply(id: again.id, actor: "Sam", policy: .default)
    try store.markSent(id: again.id, postID: "p1", url: nil)
    let other = try store.enqueueReply(
      mentionID: question, responder: "Anna", kind: .reply, text: "Om 6:00. – Anna", policy: .default)
    try store.markDeliveryFailed(id: other.id, error: "HTTP 403", retryAt: now.addingTimeInterval(60))
    #expect(try kinds(store, "Anna") == [.sentBack, .approved, .delivered].reversed())
    try store.markDeliveryFailed(id: other.id, error: "HTTP 403", retryAt: nil)
    let notices = try store.notices(for: "Anna")
    #expect(notices.map(\.kind) == [.deliveryFailed, .delivered, .approved, .sentBack])
    #expect(notices.first?.note == "HTTP 403" && notices.last?.note == "Geen toezeggingen")
    #expect(try kinds(store, "Sam").isEmpty)
  }

  @Test("a new message in a replied thread tells the responder; a watched author's new post the watcher")
  func arrivals() throws {
    let (folder, store, _, question) = try store()
    _ = folder
    let reply = try store.enqueueReply(
      mentionID: question, responder: "Anna", kind: .reply, text: "Om 6:00. – Anna", policy: .default)
    try store.markSent(id: reply.id, postID: "our-post", url: nil)
    _ = try store.toggleWatch(mentionID: question, actor: "Bob")
    var answer = IncomingMention(
      platform: "x", externalID: "answer", author: Author(handle: "tom"), createdAt: now,
      text: "Dank, en de laatste?", raw: "{}")
    answer.inReplyTo = "our-post"
    var sibling = IncomingMention(
      platform: "x", externalID: "sibling", author: Author(handle: "kees"), createdAt: now,
      text: "Ik wil dat ook weten", raw: "{}")
    sibling.inReplyTo = "vraag"
    let unrelated = IncomingMention(
      platform: "x", externalID: "los", author: Author(handle: "kees"), createdAt: now, text: "Los", raw: "{}"
    )
    _ = try store.ingest([answer, sibling, unrelated], actor: "test", annotator: nil)
    let answerID = try #require(try store.mentionID(platform: "x", externalID: "answer"))
    let siblingID = try #require(try store.mentionID(platform: "x", externalID: "sibling"))
    // Anna's reply was delivered (a notice), then two messages arrived in its thread.
    let anna = try store.notices(for: "Anna").filter { $0.kind != .delivered }
    #expect(Set(anna.map(\.mentionID)) == [answerID, siblingID])
    #expect(anna.allSatisfy { $0.kind == .threadReply })
    let bob = try store.notices(for: "Bob")
    #expect(bob.map(\.kind) == [.watchedPosted] && bob.first?.mentionID == answerID)
    // The same post ingested again makes nothing new.
    _ = try store.ingest([answer], actor: "test", annotator: nil)
    #expect(try store.notices(for: "Anna").count == 3)
  }

  @Test("read notices leave the unread and the summary; only the recipient marks theirs")
  func markRead() throws {
    let (folder, store, legal, question) = try store()
    _ = folder
    _ = try store.assign(id: legal, to: "Anna", actor: "Sam")
    _ = try store.assign(id: question, to: "Anna", actor: "Sam")
    var summary = try store.noticeSummary(for: "Anna")
    #expect(summary.unread == 2 && summary.newest?.mentionID == question)
    let newest = try #require(summary.newest)
    #expect(try store.markNoticesRead(ids: [newest.id], recipient: "Bob") == 0)
    #expect(try store.markNoticesRead(ids: [newest.id], recipient: "Anna") == 1)
    summary = try store.noticeSummary(for: "Anna")
    #expect(summary.unread == 1 && summary.newest?.mentionID == legal)
    #expect(try store.notices(for: "Anna", includeRead: false).count == 1)
    #expect(try store.notices(for: "Anna", includeRead: true).map(\.isRead) == [false, true])
    #expect(try store.markAllNoticesRead(recipient: "Anna") == 1)
    #expect(try store.noticeSummary(for: "Anna") == NoticeSummary())
  }

  @Test("forget erases the notices about the forgotten author's mentions")
  func forget() throws {
    let (folder, store, legal, question) = try store()
    _ = folder
    _ = try store.assign(id: legal, to: "Anna", actor: "Sam")
    try store.returnReply(
      id: try store.enqueueReply(
        mentionID: question, responder: "Anna", kind: .reply, text: "Om 6:00 @tom. – Anna", policy: .default,
        needsApproval: true
      ).id, note: "noem @tom niet", actor: "Sam")
    #expect(try store.notices(for: "Anna").count == 2)
    _ = try store.forget(author: "tom", actor: "Sam")
    let left = try store.notices(for: "Anna", includeRead: true)
    #expect(left.map(\.mentionID) == [legal])
    let notes = try store.pool.read { db in
      try String.fetchAll(db, sql: "SELECT coalesce(note, '') FROM notices")
    }
    #expect(!notes.contains { $0.contains("tom") })
  }
}

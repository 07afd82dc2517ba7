import Foundation
import GRDB
import Inbox
import Policy
import Testing

@testable import Store

/// Assignment and notices (issue 16) on SQLite: `mine` takes in assignments from an index, and
/// `forget` takes the notices about the forgotten author with it. What the notices are and how
/// they are read is `NoticeConformanceTests` (both stores).
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

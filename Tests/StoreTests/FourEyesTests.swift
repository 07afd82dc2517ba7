import Foundation
import Inbox
import Policy
import Testing

@testable import Store

@Suite("Four eyes")
struct FourEyesTests {
  let now = RFC3339.parse("2026-03-02T10:00:00Z")!

  func store() throws -> (TempFolder, SQLiteStore) {
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
    return (folder, store)
  }

  @Test("a reply to a legal escalation waits for approval; a question's does not")
  func needsApproval() throws {
    let (folder, store) = try store()
    _ = folder
    let legal = try #require(try store.mentionID(platform: "x", externalID: "legal"))
    let question = try #require(try store.mentionID(platform: "x", externalID: "vraag"))
    #expect(try store.replyNeedsApproval(mentionID: legal, policy: .default))
    #expect(try !store.replyNeedsApproval(mentionID: question, policy: .default))
    #expect(try store.approvalReasons(mentionID: legal, policy: .default) == ["legal_or_press"])
    // Resolving the escalation does not make a legal matter less legal.
    let escalation = try #require(try store.openEscalations().first)
    try store.resolve(escalation: escalation.escalation.id, note: "juridische zaken weet het", actor: "Sam")
    #expect(try store.replyNeedsApproval(mentionID: legal, policy: .default))
    var policy = PolicyConfig.default
    policy.escalation.approvalReasons = []
    policy.escalation.approvalCategories = [.question]
    #expect(try !store.replyNeedsApproval(mentionID: legal, policy: policy))
    #expect(try store.replyNeedsApproval(mentionID: question, policy: policy))
  }

  @Test("approved it is queued and the mention moves on; sent back it is the responder's draft again")
  func approveAndReturn() throws {
    let (folder, store) = try store()
    _ = folder
    let legal = try #require(try store.mentionID(platform: "x", externalID: "legal"))
    let first = try store.enqueueReply(
      mentionID: legal, responder: "Anna", kind: .reply, text: "Wat vervelend. We nemen contact op. – Anna",
      policy: .default, needsApproval: try store.replyNeedsApproval(mentionID: legal, policy: .default))
    #expect(first.status == .awaitingApproval)
    #expect(try store.mention(id: legal)?.status == .open)
    try store.returnReply(id: first.id, note: "Geen toezeggingen doen", actor: "Sam")
    #expect(try store.outboxRecord(id: first.id)?.status == .returned)
    #expect(
      try store.draft(mentionID: legal, author: "Anna")?.text == "Wat vervelend. We nemen contact op. – Anna")
    let second = try store.enqueueReply(
      mentionID: legal, responder: "Anna", kind: .reply,
      text: "Wat vervelend. Onze klantenservice belt u. – Anna",
      policy: .default, needsApproval: true)
    try store.approveReply(id: second.id, actor: "Sam", policy: .default)
    #expect(try store.outboxRecord(id: second.id)?.status == .queued)
    #expect(try store.mention(id: legal)?.status == .replied)
    let actions = try store.events(mentionID: legal).map(\.action)
    #expect(
      actions.contains("reply_for_approval") && actions.contains("return_reply")
        && actions.contains("approve_reply"))
  }
}

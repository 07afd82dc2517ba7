import Foundation
import Inbox
import Testing

@testable import Store

@Suite("Snippets in the store")
struct SnippetStoreTests {
  let now = RFC3339.parse("2026-03-02T10:00:00Z")!

  func store() throws -> (TempFolder, SQLiteStore) {
    let folder = TempFolder()
    return (folder, try SQLiteStore(path: folder.path + "/repute.sqlite", clock: .fixed(now)))
  }

  @Test("a proposal waits; approved by another it is listed as approved, with the trail")
  func proposeAndApprove() throws {
    let (folder, store) = try store()
    _ = folder
    let s = try store.addSnippet(
      lang: "nl", title: "Fietsreservering", body: "Hoi {name}, op zondag is geen reservering nodig.",
      actor: "Anna", approved: false)
    #expect(s.status == .proposed && s.createdBy == "Anna" && s.approvedBy == nil)
    #expect(try store.snippets(statuses: [.approved], lang: nil).isEmpty)
    #expect(try store.snippets(statuses: [.proposed], lang: "nl").map(\.id) == [s.id])
    #expect(throws: SnippetError.ownSnippet(s.id)) { try store.approveSnippet(id: s.id, actor: "anna") }
    let approved = try store.approveSnippet(id: s.id, actor: "Sam")
    #expect(approved.status == .approved && approved.approvedBy == "Sam" && approved.approvedAt == now)
    #expect(try store.snippets(statuses: [.approved], lang: "nl").map(\.title) == ["Fietsreservering"])
    #expect(try store.snippets(statuses: [.approved], lang: "en").isEmpty)
    #expect(throws: SnippetError.notProposed(s.id, status: .approved)) {
      try store.approveSnippet(id: s.id, actor: "Sam")
    }
    let trail = try store.allEvents().filter { $0.action.hasPrefix("snippet_") }
    #expect(trail.map(\.action) == ["snippet_propose", "snippet_approve"])
    #expect(trail.map(\.actor) == ["Anna", "Sam"])
    #expect(trail.allSatisfy { $0.mentionID == nil && $0.detail?.contains("\"snippet_id\":\(s.id)") == true })
  }

  @Test("rejected with a note, and retired: neither is offered, both keep their trail")
  func rejectAndRetire() throws {
    let (folder, store) = try store()
    _ = folder
    let a = try store.addSnippet(
      lang: "en", title: "Refund", body: "Use the app.", actor: "Anna", approved: false)
    let b = try store.addSnippet(
      lang: "en", title: "Bikes", body: "No booking.", actor: "Sam", approved: true)
    #expect(b.status == .approved && b.approvedBy == "Sam")
    let rejected = try store.rejectSnippet(id: a.id, note: "Too vague", actor: "Sam")
    #expect(
      rejected.status == .rejected && rejected.reviewNote == "Too vague" && rejected.reviewedBy == "Sam")
    let retired = try store.retireSnippet(id: b.id, actor: "Sam")
    #expect(retired.status == .retired)
    #expect(throws: SnippetError.notLive(b.id, status: .retired)) {
      try store.retireSnippet(id: b.id, actor: "Sam")
    }
    #expect(try store.snippets(statuses: [.approved, .proposed], lang: nil).isEmpty)
    #expect(try store.snippets(statuses: [], lang: nil).count == 2)
    let actions = try store.allEvents().filter { $0.action.hasPrefix("snippet_") }.map(\.action)
    #expect(
      actions == [
        "snippet_propose", "snippet_propose", "snippet_approve", "snippet_reject", "snippet_retire",
      ])
    #expect(throws: SnippetError.noSuchSnippet(99)) { try store.approveSnippet(id: 99, actor: "Sam") }
  }

  @Test("a live title is taken once per language, ignoring case; a retired one frees it")
  func titles() throws {
    let (folder, store) = try store()
    _ = folder
    let a = try store.addSnippet(
      lang: "nl", title: "Terugbetaling", body: "x", actor: "Anna", approved: false)
    #expect(throws: SnippetError.titleTaken("terugbetaling", lang: "nl", id: a.id)) {
      try store.addSnippet(lang: "nl", title: "terugbetaling", body: "y", actor: "Bram", approved: false)
    }
    _ = try store.addSnippet(lang: "en", title: "Terugbetaling", body: "z", actor: "Bram", approved: false)
    _ = try store.retireSnippet(id: a.id, actor: "Anna")
    _ = try store.addSnippet(lang: "nl", title: "Terugbetaling", body: "y", actor: "Bram", approved: false)
  }
}

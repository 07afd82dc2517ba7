import Foundation
import Inbox
import Testing

/// `SnippetStore` on both stores: proposals, four eyes, titles, and the trail of each change.
@Suite struct SnippetConformanceTests {
  @Test(
    "a proposal waits; approved by another it is listed as approved, with the trail",
    arguments: TestStores.kinds)
  func proposeAndApprove(kind: StoreKind) throws {
    let store = try TestStore(kind)
    let snippets = try store.as((any SnippetStore).self)
    let s = try snippets.addSnippet(
      lang: "nl", title: "Fietsreservering", body: "Hoi {name}, op zondag is geen reservering nodig.",
      actor: "Anna", approved: false)
    #expect(s.status == .proposed && s.createdBy == "Anna" && s.approvedBy == nil)
    #expect(s.createdAt == TestStores.now && s.updatedAt == TestStores.now)
    #expect(try snippets.snippet(id: s.id) == s)
    #expect(try snippets.snippets(statuses: [.approved], lang: nil).isEmpty)
    #expect(try snippets.snippets(statuses: [.proposed], lang: "nl").map(\.id) == [s.id])
    #expect(throws: SnippetError.ownSnippet(s.id)) { try snippets.approveSnippet(id: s.id, actor: "anna") }
    let approved = try snippets.approveSnippet(id: s.id, actor: "Sam")
    #expect(
      approved.status == .approved && approved.approvedBy == "Sam" && approved.approvedAt == TestStores.now)
    #expect(try snippets.snippets(statuses: [.approved], lang: "nl").map(\.title) == ["Fietsreservering"])
    #expect(try snippets.snippets(statuses: [.approved], lang: "en").isEmpty)
    #expect(throws: SnippetError.notProposed(s.id, status: .approved)) {
      try snippets.approveSnippet(id: s.id, actor: "Sam")
    }
    let trail = try recordedTrail(store, "snippet_")
    #expect(trail.map(\.action) == ["snippet_propose", "snippet_approve"])
    #expect(trail.map(\.actor) == ["Anna", "Sam"])
    #expect(trail.first?.detail == #"{"snippet_id":\#(s.id),"lang":"nl"}"#)
    #expect(trail.allSatisfy { $0.mentionID == nil && $0.detail?.contains("\"snippet_id\":\(s.id)") == true })
  }

  @Test(
    "rejected with a note, and retired: neither is offered, both keep their trail",
    arguments: TestStores.kinds)
  func rejectAndRetire(kind: StoreKind) throws {
    let store = try TestStore(kind)
    let snippets = try store.as((any SnippetStore).self)
    let a = try snippets.addSnippet(
      lang: "en", title: "Refund", body: "Use the app.", actor: "Anna", approved: false)
    let b = try snippets.addSnippet(
      lang: "en", title: "Bikes", body: "No booking.", actor: "Sam", approved: true)
    #expect(b.status == .approved && b.approvedBy == "Sam" && b.approvedAt == TestStores.now)
    let rejected = try snippets.rejectSnippet(id: a.id, note: "Too vague", actor: "Sam")
    #expect(
      rejected.status == .rejected && rejected.reviewNote == "Too vague" && rejected.reviewedBy == "Sam")
    #expect(throws: SnippetError.notProposed(a.id, status: .rejected)) {
      try snippets.rejectSnippet(id: a.id, note: "again", actor: "Sam")
    }
    #expect(throws: SnippetError.notLive(a.id, status: .rejected)) {
      try snippets.retireSnippet(id: a.id, actor: "Sam")
    }
    let retired = try snippets.retireSnippet(id: b.id, actor: "Sam")
    #expect(retired.status == .retired && retired.reviewedBy == "Sam")
    #expect(throws: SnippetError.notLive(b.id, status: .retired)) {
      try snippets.retireSnippet(id: b.id, actor: "Sam")
    }
    #expect(try snippets.snippets(statuses: [.approved, .proposed], lang: nil).isEmpty)
    #expect(try snippets.snippets(statuses: [], lang: nil).count == 2)
    let trail = try recordedTrail(store, "snippet_")
    #expect(
      trail.map(\.action) == [
        "snippet_propose", "snippet_propose", "snippet_approve", "snippet_reject", "snippet_retire",
      ])
    #expect(trail[2].detail == #"{"snippet_id":\#(b.id),"own":true}"#)
    #expect(trail[3].detail == #"{"snippet_id":\#(a.id)}"#)
    #expect(throws: SnippetError.noSuchSnippet(99)) { try snippets.approveSnippet(id: 99, actor: "Sam") }
    #expect(try snippets.snippet(id: 99) == nil)
  }

  @Test(
    "a live title is taken once per language, ignoring case; a retired one frees it",
    arguments: TestStores.kinds)
  func titles(kind: StoreKind) throws {
    let store = try TestStore(kind)
    let snippets = try store.as((any SnippetStore).self)
    let a = try snippets.addSnippet(
      lang: "nl", title: "Terugbetaling", body: "x", actor: "Anna", approved: false)
    #expect(throws: SnippetError.titleTaken("terugbetaling", lang: "nl", id: a.id)) {
      try snippets.addSnippet(lang: "nl", title: "terugbetaling", body: "y", actor: "Bram", approved: false)
    }
    _ = try snippets.addSnippet(lang: "en", title: "Terugbetaling", body: "z", actor: "Bram", approved: false)
    _ = try snippets.retireSnippet(id: a.id, actor: "Anna")
    _ = try snippets.addSnippet(lang: "nl", title: "Terugbetaling", body: "y", actor: "Bram", approved: false)
    #expect(try recordedTrail(store, "snippet_propose").count == 3)
  }

  @Test(
    "listed by title as a file store lists them: ASCII case folded, then language and id",
    arguments: TestStores.kinds)
  func order(kind: StoreKind) throws {
    let store = try TestStore(kind)
    let snippets = try store.as((any SnippetStore).self)
    for (lang, title) in [
      ("nl", "b-tje"), ("nl", "Zomer"), ("en", "apple"), ("nl", "Apple"), ("nl", "_x"), ("de", "Ähre"),
    ] {
      _ = try snippets.addSnippet(lang: lang, title: title, body: "x", actor: "Anna", approved: false)
    }
    let listed = try snippets.snippets(statuses: [], lang: nil).map { "\($0.lang):\($0.title)" }
    #expect(listed == ["nl:_x", "en:apple", "nl:Apple", "nl:b-tje", "nl:Zomer", "de:Ähre"])
  }

  @Test(
    "two supervisors acting on one proposal at once on two handles: one does, the other is refused",
    arguments: TestStores.kinds)
  func reviewRace(kind: StoreKind) throws {
    let store = try TestStore(kind)
    let snippets = try store.as((any SnippetStore).self)
    let other = try secondHandle(store) as! any SnippetStore
    let s = try snippets.addSnippet(
      lang: "nl", title: "Vertraging", body: "x", actor: "Anna", approved: false)
    let outcomes = try raceHeldBack(
      store,
      { try snippets.approveSnippet(id: s.id, actor: "Sam").status },
      { try other.rejectSnippet(id: s.id, note: "nee", actor: "Sara").status })
    let done = outcomes.compactMap { try? $0.get() }
    #expect(done.count == 1)
    let refused = outcomes.compactMap { outcome -> SnippetError? in
      if case .failure(let error) = outcome { return error as? SnippetError }
      return nil
    }
    #expect(refused == [SnippetError.notProposed(s.id, status: done[0])])
    #expect(try recordedTrail(store, "snippet_").count == 2)
  }
}

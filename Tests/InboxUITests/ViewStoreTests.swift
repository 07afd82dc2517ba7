import Desk
import Foundation
import GRDB
import Inbox
import Policy
import Store
import Testing

/// The team's saved views in the store (v25) and the rules around them (`ViewDesk`): names are one
/// view whatever their case, the saver or a supervisor changes a view, the policy's views show
/// beneath the store's, and each change is in the audit trail.
@Suite("Saved views")
struct ViewStoreTests {
  func desk(team: [TeamMember]? = nil) throws -> (ViewDesk, SQLiteStore) {
    var (store, policy) = try makeStore()
    if let team { policy.team = team }
    return (ViewDesk(store: store, policy: policy), store)
  }

  static let team = [
    TeamMember(name: "Anna", login: "anna"), TeamMember(name: "Bram", login: "bram"),
    TeamMember(name: "Sara", login: "sara", role: .supervisor),
  ]

  @Test("a store without saved views shows the policy's, in position order")
  func defaults() throws {
    let (desk, _) = try desk()
    let views = try desk.catalog().views
    #expect(views.map(\.name) == ["Mijn werk", "Klachten NL", "Escalaties"])
    #expect(views.map(\.position) == [1, 2, 3])
    #expect(views.allSatisfy { $0.createdBy == nil })
  }

  @Test("a saved view is shared, its name is one view whatever the case, and the trail says who")
  func save() throws {
    let (desk, store) = try desk(team: Self.team)
    let saved = try desk.save(name: "Pers", filter: "escalated lang:nl", position: nil, actor: "Anna")
    #expect(saved.position == 4)
    #expect(try store.savedViews().map(\.name) == ["Pers"])
    try desk.save(name: "pers", filter: "escalated", position: nil, actor: "Anna")
    let views = try store.savedViews()
    #expect(views.count == 1)
    #expect(views[0].filter == "escalated")
    #expect(views[0].position == 4)
    #expect(views[0].createdBy == "Anna")
    let trail = try store.allEvents().filter { $0.action.hasPrefix("view_") }
    #expect(trail.map(\.action) == ["view_save", "view_save"])
    #expect(trail.allSatisfy { $0.actor == "Anna" })
  }

  @Test("a view someone else saved is changed by them or a supervisor only")
  func rights() throws {
    let (desk, store) = try desk(team: Self.team)
    try desk.save(name: "Pers", filter: "escalated", position: 5, actor: "Anna")
    #expect(throws: ViewError.notYours("Pers", createdBy: "Anna")) {
      try desk.save(name: "Pers", filter: "mine", position: nil, actor: "Bram")
    }
    #expect(throws: ViewError.notYours("Pers", createdBy: "Anna")) { try desk.delete("pers", actor: "Bram") }
    try desk.rename("Pers", to: "Persvragen", actor: "Sara")
    #expect(try store.savedViews().map(\.name) == ["Persvragen"])
    try desk.delete("PERSVRAGEN", actor: "Anna")
    #expect(try store.savedViews().isEmpty)
    let trail = try store.allEvents().filter { $0.action.hasPrefix("view_") }.map(\.action)
    #expect(trail == ["view_save", "view_rename", "view_delete"])
  }

  @Test("the policy's views: a supervisor overrides one by name, nobody deletes it from the store")
  func policyViews() throws {
    let (desk, store) = try desk(team: Self.team)
    #expect(throws: ViewError.policyView("Klachten NL")) {
      try desk.save(name: "klachten nl", filter: "complaint", position: nil, actor: "Anna")
    }
    #expect(throws: ViewError.policyView("Escalaties")) { try desk.delete("Escalaties", actor: "Sara") }
    try desk.save(
      name: "Klachten NL", filter: "category:complaint lang:nl unclaimed", position: nil, actor: "Sara")
    let catalog = try desk.catalog()
    #expect(catalog.views.count == 3)
    #expect(catalog.view(named: "klachten nl")?.filter == "category:complaint lang:nl unclaimed")
    #expect(catalog.view(at: 2)?.createdBy == "Sara")
    // Deleted from the store, the policy's shows again.
    try desk.delete("Klachten NL", actor: "Sara")
    #expect(try desk.catalog().view(at: 2)?.filter == "category:complaint lang:nl")
    _ = store
  }

  @Test("positions: taken ones are refused, nine at most")
  func positions() throws {
    let (desk, _) = try desk(team: Self.team)
    #expect(throws: ViewError.positionTaken(1, by: "Mijn werk")) {
      try desk.save(name: "Vragen", filter: "question", position: 1, actor: "Anna")
    }
    for n in 4...9 { try desk.save(name: "View \(n)", filter: "question", position: nil, actor: "Anna") }
    #expect(try desk.catalog().views.map(\.position) == Array(1...9))
    #expect(throws: ViewError.noFreePosition) {
      try desk.save(name: "Tien", filter: "praise", position: nil, actor: "Anna")
    }
    #expect(throws: ViewError.nameTaken("View 5")) { try desk.rename("View 4", to: "view 5", actor: "Anna") }
  }

  @Test("each default view's count runs on an index, not a scan of the mentions")
  func defaultsUseIndexes() throws {
    let (store, policy) = try makeStore()
    _ = try store.ingest(sampleMentions, actor: "test", annotator: PolicyAnnotator(policy: policy))
    for view in PolicyView.defaults {
      let filter = FilterWords.parse(view.filter, me: "Anna", timeZone: .gmt).filter
      let plan = try store.queueCountPlan(filter, now: fixedNow)
      // The first step on `m` finds rows by an index or by id, never a full scan of the table.
      let first = try #require(plan.first { $0.hasPrefix("SEARCH m") || $0.hasPrefix("SCAN m") }, "\(plan)")
      #expect(first.hasPrefix("SEARCH m"), "\(view.name): \(plan)")
    }
    // `mine`'s window is found by the claim index, not by walking the deadline index to its end.
    let mine = FilterWords.parse("mine", me: "Anna", timeZone: .gmt).filter
    let window = try store.queueWindowPlan(mine, now: fixedNow)
    #expect(window.contains { $0.contains("mentions_by_claim") }, "\(window)")
    // `mine` is also what is assigned to me, and `assigned:NAME` alone: both by the assignee index.
    #expect(window.contains { $0.contains("mentions_by_assignee") }, "\(window)")
    let assigned = FilterWords.parse("assigned:Anna", me: "Anna", timeZone: .gmt).filter
    let byAssignee = try store.queueWindowPlan(assigned, now: fixedNow)
    #expect(byAssignee.contains { $0.contains("mentions_by_assignee") }, "\(byAssignee)")
  }
}

import Foundation
import Inbox
import Testing

/// `ViewStore` on both stores: saved views by position, one name whatever its case, the saver's or
/// a supervisor's to change, each change in the trail.
@Suite struct ViewConformanceTests {
  @Test(
    "a view is saved and changed by its name in any case; the trail says who", arguments: TestStores.kinds)
  func save(kind: StoreKind) throws {
    let store = try TestStore(kind)
    let views = try store.as((any ViewStore).self)
    #expect(try views.savedViews().isEmpty)
    try views.saveView(
      SavedView(name: " Pers ", filter: "escalated lang:nl", position: 4), actor: "Anna",
      mayChangeOthers: false)
    try views.saveView(
      SavedView(name: "pers", filter: "escalated", position: 5), actor: "anna", mayChangeOthers: false)
    try views.saveView(
      SavedView(name: "Vragen", filter: "question", position: 2), actor: "Bram", mayChangeOthers: false)
    let saved = try views.savedViews()
    #expect(saved.map(\.name) == ["Vragen", "pers"])
    #expect(saved.map(\.position) == [2, 5])
    #expect(saved.map(\.filter) == ["question", "escalated"])
    #expect(saved.map(\.createdBy) == ["Bram", "Anna"])
    #expect(saved.allSatisfy { $0.updatedAt == TestStores.now })
    let trail = try recordedTrail(store, "view_")
    #expect(trail.map(\.action) == ["view_save", "view_save", "view_save"])
    #expect(trail.map(\.actor) == ["Anna", "anna", "Bram"])
    #expect(
      trail.map(\.detail) == [
        #"{"name":"Pers","filter":"escalated lang:nl","position":4,"changed":false}"#,
        #"{"name":"pers","filter":"escalated","position":5,"changed":true}"#,
        #"{"name":"Vragen","filter":"question","position":2,"changed":false}"#,
      ])
    #expect(trail.allSatisfy { $0.mentionID == nil })
  }

  @Test(
    "someone else's view is changed by a supervisor only; renamed and deleted with their trail",
    arguments: TestStores.kinds)
  func rights(kind: StoreKind) throws {
    let store = try TestStore(kind)
    let views = try store.as((any ViewStore).self)
    try views.saveView(
      SavedView(name: "Pers", filter: "escalated", position: 5), actor: "Anna", mayChangeOthers: false)
    // Saving over it names the view as the saver typed it.
    #expect(throws: ViewError.notYours("pers", createdBy: "Anna")) {
      try views.saveView(
        SavedView(name: "pers", filter: "mine", position: 5), actor: "Bram", mayChangeOthers: false)
    }
    #expect(throws: ViewError.notYours("Pers", createdBy: "Anna")) {
      try views.renameView("PERS", to: "Persvragen", actor: "Bram", mayChangeOthers: false)
    }
    #expect(throws: ViewError.notYours("Pers", createdBy: "Anna")) {
      try views.deleteView("pers", actor: "Bram", mayChangeOthers: false)
    }
    try views.renameView("pers", to: " Persvragen ", actor: "Sara", mayChangeOthers: true)
    #expect(try views.savedViews().map(\.name) == ["Persvragen"])
    #expect(try views.savedViews().first?.createdBy == "Anna")
    try views.deleteView("PERSVRAGEN", actor: "Anna", mayChangeOthers: false)
    #expect(try views.savedViews().isEmpty)
    let trail = try recordedTrail(store, "view_")
    #expect(trail.map(\.action) == ["view_save", "view_rename", "view_delete"])
    #expect(trail[1].detail == #"{"name":"Persvragen","was":"Pers"}"#)
    #expect(trail[2].detail == #"{"name":"Persvragen","filter":"escalated"}"#)
  }

  @Test("names, positions and missing views are refused, nothing written", arguments: TestStores.kinds)
  func refusals(kind: StoreKind) throws {
    let store = try TestStore(kind)
    let views = try store.as((any ViewStore).self)
    try views.saveView(
      SavedView(name: "Een", filter: "question", position: 1), actor: "Anna", mayChangeOthers: false)
    try views.saveView(
      SavedView(name: "Twee", filter: "praise", position: 2), actor: "Anna", mayChangeOthers: false)
    #expect(throws: ViewError.positionTaken(1, by: "Een")) {
      try views.saveView(
        SavedView(name: "Drie", filter: "x", position: 1), actor: "Anna", mayChangeOthers: false)
    }
    #expect(throws: ViewError.badPosition(10)) {
      try views.saveView(
        SavedView(name: "Tien", filter: "x", position: 10), actor: "Anna", mayChangeOthers: false)
    }
    #expect(throws: ViewError.badName("  ")) {
      try views.saveView(
        SavedView(name: "  ", filter: "x", position: 3), actor: "Anna", mayChangeOthers: false)
    }
    let long = String(repeating: "x", count: 33)
    #expect(throws: ViewError.badName(long)) {
      try views.renameView("Een", to: long, actor: "Anna", mayChangeOthers: false)
    }
    #expect(throws: ViewError.nameTaken("twee")) {
      try views.renameView("Een", to: "twee", actor: "Anna", mayChangeOthers: false)
    }
    #expect(throws: ViewError.noSuchView("Vier")) {
      try views.deleteView("Vier", actor: "Anna", mayChangeOthers: true)
    }
    // A view keeps its own position when saved again, and moves to a free one.
    try views.saveView(
      SavedView(name: "een", filter: "question", position: 3), actor: "Anna", mayChangeOthers: false)
    #expect(try views.savedViews().map(\.position) == [2, 3])
    // Renaming to its own name in another case is no clash.
    try views.renameView("een", to: "EEN", actor: "Anna", mayChangeOthers: false)
    #expect(try views.savedViews().map(\.name) == ["Twee", "EEN"])
    #expect(
      try recordedTrail(store, "view_").map(\.action) == [
        "view_save", "view_save", "view_save", "view_rename",
      ])
  }

  @Test(
    "two people saving at one position at once: one has it, the other is told whose it is",
    arguments: TestStores.kinds)
  func positionRace(kind: StoreKind) throws {
    let store = try TestStore(kind)
    let views = try store.as((any ViewStore).self)
    let other = try secondHandle(store) as! any ViewStore
    let outcomes = try raceHeldBack(
      store,
      {
        try views.saveView(
          SavedView(name: "Anna's", filter: "mine", position: 7), actor: "Anna", mayChangeOthers: false)
      },
      {
        try other.saveView(
          SavedView(name: "Bram's", filter: "mine", position: 7), actor: "Bram", mayChangeOthers: false)
      })
    let saved = try views.savedViews()
    #expect(saved.count == 1)
    let refused = outcomes.compactMap { outcome -> ViewError? in
      if case .failure(let error) = outcome { return error as? ViewError }
      return nil
    }
    #expect(refused == [ViewError.positionTaken(7, by: saved[0].name)])
  }
}

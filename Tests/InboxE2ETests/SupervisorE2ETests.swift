import Foundation
import Testing

@testable import ServerStore

/// The supervisor's pane in the real binary: a responder escalates with `e` in one inbox and the
/// escalation appears, with the note, in a supervisor's pane in another inbox on the same store.
@Suite(
  "the escalation pane in tmux", .serialized, .enabled(if: TmuxSession.isAvailable, "tmux is not installed"))
struct SupervisorE2ETests {
  func inbox(_ store: E2EStore, as name: String, _ extra: String = "") throws -> TmuxSession {
    try store.inbox(as: name, options: extra, height: 36)
  }

  @Test(
    "a responder's escalation appears in the supervisor's pane; E switches back and forth",
    arguments: E2EStores.kinds)
  func escalationAppears(kind: E2EKind) throws {
    let store = try E2EStore.seeded(kind, "sup-e2e")
    defer { store.drop() }
    let carmen = try inbox(store, as: "Carmen", "--supervisor")
    defer { carmen.kill() }
    try carmen.waitFor("Escalation pane")
    try carmen.waitFor("Team figures")
    let anna = try inbox(store, as: "Anna")
    defer { anna.kill() }
    try anna.waitFor("Repute · Anna")
    try anna.waitFor("@sanne@")
    try anna.sendKeys("e")
    try anna.waitFor("escalate, note for the supervisor")
    try anna.sendKeys("-l", "Klant belt de krant")
    try anna.sendKeys("Enter")
    try anna.waitFor("escalated to the supervisor")
    let screen = try carmen.waitFor("Anna's escalation on Carmen's pane") { screen in
      screen.split(separator: "\n").contains { $0.contains("by hand") && $0.contains("@sanne@") }
    }
    #expect(screen.contains("Escalation pane"))
    // Carmen acknowledges it; E goes to the inbox and back.
    try carmen.sendKeys("E")
    try carmen.waitFor("the inbox") {
      !$0.contains("Escalation pane") && $0.contains("Repute · Carmen de Wit")
    }
    try carmen.sendKeys("E")
    try carmen.waitFor("Escalation pane")
  }

  @Test(
    "forget while two inboxes have the store open: the text leaves their screens and the store",
    arguments: E2EStores.kinds)
  func forgetWhileOpen(kind: E2EKind) throws {
    let store = try E2EStore.seeded(kind, "sup-e2e")
    defer { store.drop() }
    let carmen = try inbox(store, as: "Carmen", "--supervisor")
    defer { carmen.kill() }
    let anna = try inbox(store, as: "Anna")
    defer { anna.kill() }
    try carmen.waitFor("@angryvoice")
    try anna.waitFor("@angryvoice")
    let (status, text) = try store.run(["forget", "--author", "angryvoice"], as: "carmen")
    #expect(status == 0)
    #expect(text.contains("1 mentions, 1 authors"), "\(text)")
    try carmen.waitFor("the author gone from Carmen's pane") {
      !$0.contains("@angryvoice") && !$0.contains("CROOKS") && $0.contains("@(forgotten)")
    }
    try anna.waitFor("the author gone from Anna's queue") {
      !$0.contains("@angryvoice") && $0.contains("Repute · Anna")
    }
    switch kind {
    case .sqlite:
      var bytes = FileManager.default.contents(atPath: store.address) ?? Data()
      bytes.append(FileManager.default.contents(atPath: store.address + "-wal") ?? Data())
      #expect(bytes.range(of: Data("CROOKS AND LIARS".utf8)) == nil)
      #expect(bytes.range(of: Data("angryvoice".utf8)) == nil)
    case .postgres:
      // No row of the store's tables holds the text or the handle (their text form, every column).
      let found = try store.rowsHolding(["CROOKS AND LIARS", "angryvoice"])
      #expect(found.isEmpty, "\(found)")
    }
  }
}

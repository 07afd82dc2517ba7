import Foundation
import Testing

/// The supervisor's pane in the real binary: a responder escalates with `e` in one inbox and the
/// escalation appears, with the note, in a supervisor's pane in another inbox on the same store.
@Suite(
  "the escalation pane in tmux", .serialized, .enabled(if: TmuxSession.isAvailable, "tmux is not installed"))
struct SupervisorE2ETests {
  func seededStore() throws -> String {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sup-e2e-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let store = folder.appendingPathComponent("repute.sqlite").path
    let log = folder.appendingPathComponent("seed.log").path
    var environment = ProcessInfo.processInfo.environment
    environment["TMUX"] = nil
    let status = try TmuxSession.spawn(
      InboxE2ETests.binary, ["demo", "--seed-only", "--store", store], environment: environment, stdout: log)
    #expect(status == 0)
    return store
  }

  func inbox(_ store: String, as name: String, _ extra: String = "") throws -> TmuxSession {
    let command =
      "\(TmuxSession.quote(InboxE2ETests.binary)) inbox --store \(TmuxSession.quote(store)) --as \(name) --ui-lang en \(extra); echo EXITED $?; exec sleep 600"
    return try TmuxSession(command: command, width: 120, height: 36)
  }

  @Test("a responder's escalation appears in the supervisor's pane; E switches back and forth")
  func escalationAppears() throws {
    let store = try seededStore()
    let sam = try inbox(store, as: "Sam", "--supervisor")
    defer { sam.kill() }
    try sam.waitFor("Escalation pane")
    try sam.waitFor("Team figures")
    let anna = try inbox(store, as: "Anna")
    defer { anna.kill() }
    try anna.waitFor("Repute · Anna")
    try anna.waitFor("@sanne@")
    try anna.sendKeys("e")
    try anna.waitFor("escalate, note for the supervisor")
    try anna.sendKeys("-l", "Klant belt de krant")
    try anna.sendKeys("Enter")
    try anna.waitFor("escalated to the supervisor")
    let screen = try sam.waitFor("Anna's escalation on Sam's pane") { screen in
      screen.split(separator: "\n").contains { $0.contains("by hand") && $0.contains("@sanne@") }
    }
    #expect(screen.contains("Escalation pane"))
    // Sam acknowledges it; E goes to the inbox and back.
    try sam.sendKeys("E")
    try sam.waitFor("the inbox") { !$0.contains("Escalation pane") && $0.contains("Repute · Sam") }
    try sam.sendKeys("E")
    try sam.waitFor("Escalation pane")
  }

  @Test("forget while two inboxes have the store open: the text leaves their screens and the file")
  func forgetWhileOpen() throws {
    let store = try seededStore()
    let sam = try inbox(store, as: "Sam", "--supervisor")
    defer { sam.kill() }
    let anna = try inbox(store, as: "Anna")
    defer { anna.kill() }
    try sam.waitFor("@angryvoice")
    try anna.waitFor("@angryvoice")
    let log = FileManager.default.temporaryDirectory.appendingPathComponent("forget-\(UUID().uuidString).log")
      .path
    var environment = ProcessInfo.processInfo.environment
    environment["TMUX"] = nil
    let status = try TmuxSession.spawn(
      InboxE2ETests.binary, ["forget", "--author", "angryvoice", "--store", store, "--as", "Sam"],
      environment: environment, stdout: log)
    #expect(status == 0)
    #expect(try String(contentsOfFile: log, encoding: .utf8).contains("1 mentions, 1 authors"))
    try sam.waitFor("the author gone from Sam's pane") {
      !$0.contains("@angryvoice") && !$0.contains("CROOKS") && $0.contains("@(forgotten)")
    }
    try anna.waitFor("the author gone from Anna's queue") {
      !$0.contains("@angryvoice") && $0.contains("Repute · Anna")
    }
    var bytes = FileManager.default.contents(atPath: store) ?? Data()
    bytes.append(FileManager.default.contents(atPath: store + "-wal") ?? Data())
    #expect(bytes.range(of: Data("CROOKS AND LIARS".utf8)) == nil)
    #expect(bytes.range(of: Data("angryvoice".utf8)) == nil)
  }
}

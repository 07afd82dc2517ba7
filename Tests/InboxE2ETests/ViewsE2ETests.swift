import Foundation
import Testing

/// Saved views in the real binary (issue 16): `2` opens the policy's second view and the status
/// line marks it; a view saved in one inbox appears in another open on the same store.
@Suite("saved views in tmux", .serialized, .enabled(if: TmuxSession.isAvailable, "tmux is not installed"))
struct ViewsE2ETests {
  @Test(
    "2 opens Klachten NL, the status line marks it; a view saved by Anna appears in Carmen's inbox",
    arguments: E2EStores.kinds)
  func switchAndShare(kind: E2EKind) throws {
    let store = try E2EStore.seeded(kind, "views-e2e")
    defer { store.drop() }
    let anna = try store.inbox(as: "Anna", width: 200, height: 30)
    defer { anna.kill() }
    try anna.waitFor("@sanne@")
    try anna.waitFor("@angryvoice")
    try anna.sendKeys("2")
    let screen = try anna.waitFor("the complaints in Dutch, marked on the status line") { screen in
      let status = screen.split(separator: "\n").first.map(String.init) ?? ""
      return status.contains("[2 Klachten NL") && screen.contains("@sanne@")
        && !screen.contains("@angryvoice")
    }
    #expect(!screen.contains("filter:"), "\(screen)")
    try anna.sendKeys("2")
    try anna.waitFor("all open again") { $0.contains("@angryvoice") && !$0.contains("[2 Klachten NL") }

    let carmen = try store.inbox(as: "Carmen", width: 200, height: 30)
    defer { carmen.kill() }
    try carmen.waitFor("3 Escalaties")
    try anna.sendKeys("f")
    try anna.waitFor("filter:")
    try anna.sendKeys("-l", "unfounded")
    try anna.sendKeys("Enter")
    try anna.sendKeys("S")
    try anna.waitFor("save view as:")
    try anna.sendKeys("-l", "Boos")
    try anna.sendKeys("Enter")
    try anna.waitFor("view saved: 4 Boos")
    // Short (`4:1`) beside the long store path, or whole.
    try carmen.waitFor("Anna's view on Carmen's status line") { screen in
      let status = screen.split(separator: "\n").first.map(String.init) ?? ""
      return status.contains("4 Boos") || status.contains(" 4:")
    }
    try carmen.sendKeys("4")
    try carmen.waitFor("Carmen's inbox in Anna's view") { screen in
      let status = screen.split(separator: "\n").first.map(String.init) ?? ""
      return status.contains("[4 Boos") && screen.contains("@angryvoice") && !screen.contains("@sanne@")
    }
    try anna.sendKeys("q")
    try anna.waitFor("EXITED 0")
  }
}

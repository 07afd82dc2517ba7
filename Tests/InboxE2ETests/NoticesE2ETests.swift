import Foundation
import Testing

/// Assign and notices in the real binary (issue 16): a supervisor assigns the top mention to
/// Anna in one inbox; Anna's open inbox shows the notice within a second (through the change
/// feed, no polling of its own), `m` lists it, and `mine` lists the mention.
@Suite(
  "assign and notices in tmux", .serialized, .enabled(if: TmuxSession.isAvailable, "tmux is not installed"))
struct NoticesE2ETests {
  @Test(
    "Carmen assigns with A; Anna's inbox shows the notice within a second, and mine lists it",
    arguments: E2EStores.kinds)
  func assignReachesTheAssignee(kind: E2EKind) throws {
    let store = try E2EStore.seeded(kind, "notices-e2e")
    defer { store.drop() }
    let anna = try store.inbox(as: "Anna")
    defer { anna.kill() }
    let carmen = try store.inbox(as: "Carmen")
    defer { carmen.kill() }
    try anna.waitFor("Repute · Anna")
    try carmen.waitFor("Repute · Carmen de Wit")
    // A responder may not assign.
    try anna.sendKeys("A")
    try anna.waitFor("only a supervisor assigns")
    // The top of the queue, as Carmen sees it, goes to Anna.
    try carmen.sendKeys("A")
    try carmen.waitFor("assign to (Tab completes)")
    try carmen.sendKeys("-l", "an")
    try carmen.sendKeys("Tab")
    try carmen.waitFor("assign to (Tab completes): anna")
    try carmen.sendKeys("Enter")
    try carmen.waitFor("assigned to Anna")
    try anna.waitFor("✉ 1 notice", timeout: .seconds(1))
    try anna.sendKeys("m")
    // Its rows may be drawn a pass after its title (seen in CI on a loaded machine): wait for both.
    let list = try anna.waitFor("the notice listed") {
      $0.contains("Notices · Anna") && $0.contains("Carmen de Wit assigned #")
    }
    #expect(list.contains("Carmen de Wit assigned #"), "\(list)")
    try anna.sendKeys("Enter")
    try anna.waitFor("the notice read") { !$0.contains("✉ 1") && $0.contains("Repute · Anna") }
    try anna.sendKeys("f")
    try anna.sendKeys("-l", "mine")
    try anna.sendKeys("Enter")
    let mine = try anna.waitFor("filter: claimed:Anna assigned:Anna")
    #expect(mine.contains("→Anna"), "\(mine)")
  }
}

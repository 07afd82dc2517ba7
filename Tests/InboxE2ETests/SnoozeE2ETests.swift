import Foundation
import Testing

/// Issue 14 in the real binary: a snooze never hides a deadline. A complaint snoozed for two days
/// is back in the queue, overdue, when the inbox opens after its target.
@Suite(
  "a snooze in tmux", .serialized, .enabled(if: TmuxSession.isAvailable, "tmux is not installed"))
struct SnoozeE2ETests {
  @Test(
    "a complaint snoozed past its target is back in the queue as overdue once the target passes",
    arguments: E2EStores.kinds)
  func snoozePastTheTarget(kind: E2EKind) throws {
    let store = try E2EStore.named(kind, "snooze-e2e")
    defer { store.drop() }
    let file = store.folder.appendingPathComponent("in.jsonl")
    // Two minutes before the pinned now (13:00 in Amsterdam): due within the hour of service.
    let line =
      #"{"platform":"mastodon","id":"c1","created_at":"2026-11-24T11:58:00Z","text":"Mijn trein is alweer geannuleerd en niemand weet iets, echt belachelijk slecht geregeld.","lang":"nl","author":{"handle":"sanne@mastodon.nl","name":"Sanne"}}"#
    try (line + "\n").write(to: file, atomically: true, encoding: .utf8)
    let (status, text) = try store.run(["ingest", file.path])
    #expect(status == 0, "\(text)")

    let first = try store.inbox(as: "Anna")
    defer { first.kill() }
    try first.waitFor("@sanne@mastodon.nl")
    try first.sendKeys("s")
    try first.waitFor("snooze until")
    try first.sendKeys("2d")
    // The prompt warns: two days is past the complaint's target.
    try first.waitFor("past its target")
    try first.sendKeys("Enter")
    try first.waitFor("snoozed until Thu 26 Nov")
    try first.waitFor("the complaint to leave the queue") { !$0.contains("@sanne@mastodon.nl") }
    try first.sendKeys("q")
    try first.waitFor("EXITED 0")

    // The next afternoon: the target has passed, the snooze has not ended.
    let later = try store.inbox(as: "Anna", environment: ["REPUTE_NOW": "2026-11-25T14:00:00Z"])
    defer { later.kill() }
    try later.waitFor("the complaint back in the queue as overdue") { screen in
      screen.split(separator: "\n").contains {
        $0.contains("●") && $0.contains("+") && $0.contains("@sanne@")
      }
    }
  }
}

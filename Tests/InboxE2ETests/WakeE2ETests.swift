import Foundation
import Testing

/// Issue 17: an open inbox wakes on another process's commit (the store's change signal: the
/// file's WAL, the server's notifications), not at its next poll. The pane's inbox polls only once
/// a minute here (`REPUTE_INBOX_POLL_MS`), so a mention ingested elsewhere shows within the test's
/// seconds only when the commit woke it.
@Suite(
  "an inbox wakes on a commit", .serialized,
  .enabled(if: TmuxSession.isAvailable, "tmux is not installed"))
struct WakeE2ETests {
  @Test(
    "a mention ingested by another process shows long before the next poll",
    .enabled(if: isLinux, "the change signal is inotify's"), arguments: E2EStores.kinds)
  func commitWakesTheInbox(kind: E2EKind) throws {
    let store = try E2EStore.seeded(kind)
    defer { store.drop() }
    let session = try store.inbox(as: "Anna", environment: ["REPUTE_INBOX_POLL_MS": "60000"])
    defer { session.kill() }
    try session.waitFor("@sanne@mastodon.nl")
    for k in 1...3 {
      let file = FileManager.default.temporaryDirectory.appendingPathComponent(
        "wake-\(UUID().uuidString).jsonl")
      defer { try? FileManager.default.removeItem(at: file) }
      let line =
        #"{"platform":"mastodon","id":"wake-\#(k)","created_at":"\#(ReputeBinary.pinnedNow)","text":"Waar blijft mijn terugbetaling? Al \#(k) weken niks gehoord.","lang":"nl","author":{"handle":"wekker\#(k)@mastodon.nl","name":"Wekker"}}"#
      try (line + "\n").write(to: file, atomically: true, encoding: .utf8)
      let ingest = try store.run(["ingest", file.path])
      #expect(ingest.status == 0, "\(ingest.text)")
      // Well within the minute's poll: three in a row cannot all be the timer's luck.
      try session.waitFor("@wekker\(k)", timeout: .seconds(15))
    }
  }
}

private let isLinux: Bool = {
  #if os(Linux)
    return true
  #else
    return false
  #endif
}()

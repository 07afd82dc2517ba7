import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Issue 16's undo and "open the post" through the real binary in tmux: `u` takes a sent reply
/// back into the editor while it waits its send delay, and `O` hands the post's link to
/// `$BROWSER` (a script here that writes down what it was given).
@Suite(
  "undo and open the post in tmux", .serialized,
  .enabled(if: TmuxSession.isAvailable, "tmux is not installed"))
struct UndoOpenE2ETests {
  let replies = ReplyE2ETests()

  @Test(
    "u after sending: the reply is back in the editor and withdrawn from the outbox",
    arguments: E2EStores.kinds)
  func takeBack(kind: E2EKind) throws {
    let store = try E2EStore.seeded(kind)
    defer { store.drop() }
    let session = try InboxE2ETests().start(store)
    defer { session.kill() }
    try replies.reply(in: session)
    try session.sendKeys("C-u")
    try session.sendKeys("-l", "Hoi Sanne, wat vervelend. We zoeken het voor je uit.")
    try session.waitFor("We zoeken het voor je uit.")
    try session.sendKeys("C-x")
    try session.waitFor("reply in the outbox: #")
    // The clock is pinned, so the send delay (10 s by default) never passes: u is in time.
    try session.sendKeys("u")
    let screen = try session.waitFor("reply taken back")
    #expect(screen.contains("We zoeken het voor je uit."), "\(screen)")
    let sent = try replies.outbox(store).filter {
      ($0["text"] as? String)?.hasPrefix("Hoi Sanne, wat vervelend.") == true
    }
    #expect(sent.count == 1)
    #expect(sent.first?["status"] as? String == "withdrawn", "\(sent)")
  }

  @Test("O hands the post's link to $BROWSER and says so", arguments: E2EStores.kinds)
  func openPost(kind: E2EKind) throws {
    let store = try E2EStore.seeded(kind)
    defer { store.drop() }
    let folder = store.folder.path
    let opened = folder + "/opened.txt"
    let browser = folder + "/browser.sh"
    try "#!/bin/sh\nprintf '%s' \"$1\" > \(opened)\n".write(
      toFile: browser, atomically: true, encoding: .utf8)
    #expect(chmod(browser, 0o755) == 0)
    let session = try store.inbox(as: "Anna", environment: ["BROWSER": browser])
    defer { session.kill() }
    try session.waitFor("@sanne@mastodon.nl")
    try replies.select("@sanne@", in: session)
    try session.sendKeys("O")
    try session.waitFor("Opened in the browser")
    var link = ""
    for _ in 0..<50 where link.isEmpty {
      link = (try? String(contentsOfFile: opened, encoding: .utf8)) ?? ""
      if link.isEmpty { usleep(100_000) }
    }
    #expect(link == "https://social.example/@sanne@mastodon.nl/demo-1")
  }
}

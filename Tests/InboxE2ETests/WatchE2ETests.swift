import Foundation
import TestHTTPServer
import Testing

/// `repute inbox --watch`: the inbox runs the poller itself and shows the sources' health.
@Suite(
  "repute inbox --watch in tmux", .serialized, .enabled(if: TmuxSession.isAvailable, "tmux is not installed"))
struct WatchE2ETests {
  @Test(
    "polls a Mastodon account while open: the mention arrives and the status line shows the health",
    arguments: E2EStores.kinds)
  func inboxPollsItsSources(kind: E2EKind) throws {
    let mastodon = try FakeMastodon()
    mastodon.addStatus(text: "@shop where is my parcel? Third week now", acct: "boos@example.social")
    let store = try E2EStore.named(kind, "watch-e2e")
    defer { store.drop() }
    let folder = store.folder
    let config = folder.appendingPathComponent("config.toml").path
    let text = """
      [[mastodon]]
      name = "shop-social"
      server = "\(mastodon.baseURL)"
      token_env = "REPUTE_MASTODON_TOKEN"
      """
    #expect(FileManager.default.createFile(atPath: config, contents: Data(text.utf8)))
    // Wide enough for the status line to reach "sources ok" behind the long temporary path, also
    // once the fake's fixed 08:0x mentions are overdue (after 09:00 on the test clock's day).
    let session = try store.inbox(
      as: "Anna", options: "--watch --config \(TmuxSession.quote(config))", width: 160,
      environment: ["REPUTE_MASTODON_TOKEN": mastodon.token, "no_proxy": "127.0.0.1"])
    defer { session.kill() }
    try session.waitFor("boos@example.social")
    let screen = try session.waitFor("sources ok")
    #expect(!screen.contains(mastodon.token))
    try session.sendKeys("q")
    try session.waitFor("EXITED 0")
  }

  @Test(
    "a spool file with a malformed row: the good rows arrive, the status line warns with the count",
    arguments: E2EStores.kinds)
  func refusedRecordsWarn(kind: E2EKind) throws {
    let store = try E2EStore.named(kind, "watch-e2e")
    defer { store.drop() }
    let folder = store.folder
    let drop = folder.appendingPathComponent("drop")
    try FileManager.default.createDirectory(at: drop, withIntermediateDirectories: true)
    let csv =
      "Post ID,Content,Author,Date\np-1,\"the shop's app, again\",erin,2026-12-01T07:30:00Z\np-2,no date,fay,\n"
    #expect(
      FileManager.default.createFile(
        atPath: drop.appendingPathComponent("export.csv").path, contents: Data(csv.utf8)))
    let config = folder.appendingPathComponent("config.toml").path
    let text = "[[spool]]\nname = \"drop\"\npath = \"\(drop.path)\"\n"
    #expect(FileManager.default.createFile(atPath: config, contents: Data(text.utf8)))
    let session = try store.inbox(
      as: "Anna", options: "--watch --config \(TmuxSession.quote(config))", width: 160)
    defer { session.kill() }
    try session.waitFor("erin")
    let screen = try session.waitFor("△ drop: 1 record refused")
    #expect(!screen.contains("failing"))
    try session.sendKeys("q")
    try session.waitFor("EXITED 0")
  }
}

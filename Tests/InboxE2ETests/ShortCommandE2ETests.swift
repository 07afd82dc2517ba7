import Foundation
import Testing

/// Short commands beside an open inbox (issue 17): `repute reply` classifies the reply's text with
/// the prebuilt lexicon table, and the open inbox shows the other process's reply without a key
/// press.
@Suite(
  "short commands beside an open inbox", .serialized,
  .enabled(if: TmuxSession.isAvailable, "tmux is not installed"))
struct ShortCommandE2ETests {
  let inbox = InboxE2ETests()

  /// The store's id of the first mention by `handle` (`repute list --json`).
  func mentionID(_ store: E2EStore, handle: String) throws -> Int {
    let (status, text) = try store.run(["list", "--json"])
    #expect(status == 0, "\(text)")
    let rows = text.split(separator: "\n").compactMap {
      try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
    }
    let row = rows.first {
      (($0["author"] as? [String: Any])?["handle"] as? String)?.hasPrefix(handle) == true
    }
    return try #require(row?["id"] as? Int, "no mention by \(handle) in \(text.prefix(400))")
  }

  @Test(
    "a reply by the CLI from another process shows in the open inbox, replied, at once",
    arguments: E2EStores.kinds)
  func cliReplyShowsInInbox(kind: E2EKind) throws {
    let store = try E2EStore.seeded(kind)
    defer { store.drop() }
    let session = try inbox.start(store)
    defer { session.kill() }
    try session.waitFor("@sanne@mastodon.nl")
    let id = try mentionID(store, handle: "sanne")
    let (status, text) = try store.run(
      [
        "reply", String(id), "--yes", "--text",
        "Hoi Sanne, sorry voor de rit. We bellen je vandaag over je terugbetaling.",
      ], as: "Anna")
    #expect(status == 0, "\(text)")
    try session.waitFor("the row marked replied") { screen in
      screen.split(separator: "\n").contains { $0.contains("@sanne@") && $0.contains("follow-up due") }
    }
  }
}

import Foundation
import Testing

/// Snippets through the real binary in tmux (issue 16): Anna saves a reply as a snippet, Carmen
/// approves it with `repute snippets approve`, and Ctrl-T then finds it and fills it in.
@Suite("snippets in tmux", .serialized, .enabled(if: TmuxSession.isAvailable, "tmux is not installed"))
struct SnippetE2ETests {
  let replies = ReplyE2ETests()

  func snippets(_ store: E2EStore) throws -> [[String: Any]] {
    let (status, text) = try store.run(["snippets", "--all", "--json"])
    #expect(status == 0, "\(text)")
    return text.split(separator: "\n").compactMap {
      try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
    }
  }

  @Test(
    "save a reply as a snippet, approve it from the CLI, Ctrl-T a word and Enter: the editor holds it filled",
    arguments: E2EStores.kinds)
  func saveApprovePick(kind: E2EKind) throws {
    let store = try E2EStore.seeded(kind)
    defer { store.drop() }
    let session = try replies.inbox.start(store)
    defer { session.kill() }
    try replies.reply(in: session)
    try session.sendKeys("C-u")
    try session.sendKeys("-l", "Hoi Sanne, de fietswagon zit vooraan in de trein.")
    try session.waitFor("de fietswagon zit vooraan in de trein.")
    try session.sendKeys("C-s")
    try session.waitFor("save as snippet, title:")
    try session.sendKeys("-l", "Fietswagon")
    try session.sendKeys("Enter")
    try session.waitFor("snippet proposed")
    let proposed = try #require(try snippets(store).first { $0["title"] as? String == "Fietswagon" })
    #expect(proposed["status"] as? String == "proposed")
    #expect(proposed["created_by"] as? String == "Anna")
    // The author's name became a placeholder: the library keeps nothing of Sanne.
    #expect(proposed["body"] as? String == "Hoi {name}, de fietswagon zit vooraan in de trein.")
    let id = try #require(proposed["id"] as? Int)

    // Not shared yet: Ctrl-T does not offer it.
    try session.sendKeys("C-u")
    try session.sendKeys("C-t")
    try session.waitFor("Templates and snippets:")
    try session.sendKeys("-l", "fietsw")
    try session.waitFor("nothing matches")
    try session.sendKeys("Escape")
    try session.waitFor("the picker closed") { !$0.contains("Templates and snippets:") }

    let (status, text) = try store.run(["snippets", "approve", "\(id)"], as: "Carmen")
    #expect(status == 0, "\(text)")

    // The editor still open offers it now: the picker reads the library each time it opens.
    try session.sendKeys("C-t")
    try session.waitFor("Templates and snippets:")
    try session.sendKeys("-l", "fietsw")
    try session.waitFor("S Fietswagon")
    try session.sendKeys("Enter")
    let screen = try session.waitFor("snippet Fietswagon inserted")
    #expect(screen.contains("Hoi Sanne, de fietswagon zit vooraan in de trein."))
    #expect(!screen.contains("{name}"))
  }
}

import Foundation
import Inbox
import InboxBackend
import InboxUI
import Policy
import Store
import TerminalUI
import Testing

/// The open person view follows other processes' changes (issue 16): a new post by the person,
/// the team's work on one of their posts, a note on the person or a link, each shown at the next
/// pass without a key, read from the change feed (no polling).
@Suite("Person view follows changes")
struct PersonFollowTests {
  func otherProcess(_ store: SQLiteStore) throws -> SQLiteStore {
    try SQLiteStore(path: store.path, mode: .existing, clock: .fixed(fixedNow))
  }

  func screen(_ terminal: MemoryTerminal) -> String { terminal.screenText().joined(separator: "\n") }

  @Test("a post, a note on a post, a note on the person and a link made elsewhere reach the open view")
  func follows() throws {
    let views = PersonViewTests()
    let (app, terminal, store) = try views.keesApp(size: Size(width: 120, height: 40))
    try views.select(app, terminal, store, "k3")
    app.play(terminal, ["p"])
    #expect(app.state.mode == .person)
    let other = try otherProcess(store)

    // Someone else's post changes nothing here; Kees's new post is the newest line.
    _ = try other.ingest(
      [
        mention("a2", "anna", minutesAgo: 5, "Rijdt de nachttrein vandaag?"),
        mention("k4", "kees", minutesAgo: 4, "En nu staat de trein weer stil bij Amersfoort."),
      ], actor: "ingest", annotator: nil)
    app.step(nil)
    #expect(
      screen(terminal).contains("En nu staat de trein weer stil bij Amersfoort."), "\(screen(terminal))")
    #expect(!screen(terminal).contains("nachttrein"))

    // A teammate's note on one of Kees's posts: a line of the team's work.
    let k4 = try #require(try store.mentionID(platform: "mastodon", externalID: "k4"))
    _ = try other.addNote(mentionID: k4, text: "Doorgezet naar de storingsdienst", actor: "Bram")
    app.step(nil)
    #expect(screen(terminal).contains("Doorgezet naar de storingsdienst"), "\(screen(terminal))")

    // A note on the person and a link: not on a mention, so not in the feed; read at the commit.
    let author = try #require(try store.identity(mentionID: k4)).authorID
    try other.setPersonNote(of: author, text: "Pendelt dagelijks Utrecht–Amersfoort", actor: "Bram")
    app.step(nil)
    #expect(
      screen(terminal).contains("Note (Bram): Pendelt dagelijks Utrecht–Amersfoort"), "\(screen(terminal))")
    let bluesky = try #require(try store.identities(handle: "kees.bsky.social", platform: "bluesky").first)
    try other.link(author, with: bluesky.authorID, actor: "Bram")
    app.step(nil)
    #expect(screen(terminal).contains("Weer geen trein naar Utrecht"), "\(screen(terminal))")
  }
}

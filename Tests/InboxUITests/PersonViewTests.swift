import Desk
import Foundation
import Inbox
import InboxBackend
import InboxUI
import Policy
import Store
import TerminalUI
import Testing

/// The person view (`p`, issue 16): the author's timeline with the team's work on it, the note on
/// the person, linking identities, Enter to a post and Esc back.
@Suite("Person view")
struct PersonViewTests {
  static let complaint = "Mijn trein is weer vertraagd en niemand zegt iets. Belachelijk."

  /// Kees complained twice and thanked once; Kees is also on Bluesky; Anna wrote once.
  func keesApp(size: Size = Size(width: 80, height: 24), language: UILanguage = .en) throws -> (
    InboxApp, MemoryTerminal, SQLiteStore
  ) {
    let (source, store) = try seededSource(
      [
        mention("k1", "kees", minutesAgo: 3 * 1440, Self.complaint),
        mention("k2", "kees", minutesAgo: 2 * 1440, "Dank voor de snelle hulp gisteren!"),
        mention("k3", "kees", minutesAgo: 90, Self.complaint),
        mention(
          "b1", "kees.bsky.social", minutesAgo: 30, "Weer geen trein naar Utrecht", platform: "bluesky"),
        mention("a1", "anna", minutesAgo: 20, "Waar vind ik de dienstregeling?"),
      ], language: language)
    let k1 = try #require(try store.mentionID(platform: "mastodon", externalID: "k1"))
    let k3 = try #require(try store.mentionID(platform: "mastodon", externalID: "k3"))
    try store.addNote(mentionID: k1, text: "Belde ook naar de klantenservice", actor: "Bram")
    try store.enqueueReply(
      mentionID: k1, responder: "Anna", kind: .reply, text: "Sorry Kees, we zoeken het uit. – Anna",
      policy: source.policy)
    try store.toggleWatch(mentionID: k3, actor: "Bram")
    let (app, terminal) = makeApp(source, size: size, language: language)
    app.personStore = store
    app.start()
    return (app, terminal, store)
  }

  /// Selects the mention `external` in the queue.
  func select(_ app: InboxApp, _ terminal: MemoryTerminal, _ store: SQLiteStore, _ external: String) throws {
    let id = try #require(try store.mentionID(platform: "mastodon", externalID: external))
    app.play(terminal, ["g"])
    for _ in 0..<10 where app.state.selectedID != id { app.play(terminal, ["j"]) }
    #expect(app.state.selectedID == id)
  }

  @Test("p opens the author's timeline: title, complaints, watched, posts and the team's work")
  func opens() throws {
    let (app, terminal, store) = try keesApp()
    try select(app, terminal, store, "k3")
    app.play(terminal, ["p"])
    let screen = terminal.screenText().joined(separator: "\n")
    #expect(app.state.mode == .person)
    #expect(screen.contains("Timeline · @kees"), "\(screen)")
    #expect(screen.contains("Complaints: 2 in 30 days, 2 in 90 days, last 1h ago · watched"), "\(screen)")
    #expect(screen.contains("✉ post"))
    #expect(screen.contains("↩ reply") && screen.contains("✎ note") && screen.contains("◉ watched"))
    #expect(!screen.contains("dienstregeling"))
    // Esc goes back to the queue, on the same mention.
    let id = app.state.selectedID
    app.play(terminal, ["<Esc>"])
    #expect(app.state.mode == .queue && app.state.selectedID == id)
  }

  @Test("N sets the note on the person; it shows in the view and in the detail of each mention")
  func note() throws {
    let (app, terminal, store) = try keesApp(size: Size(width: 120, height: 40))
    try select(app, terminal, store, "k3")
    app.play(terminal, ["p", "N", "Vaste reiziger, belt graag", "<Enter>"])
    #expect(terminal.screenText().joined(separator: "\n").contains("Note (Anna): Vaste reiziger, belt graag"))
    let selected = try #require(app.state.selectedID)
    let author = try #require(try store.identity(mentionID: selected)).authorID
    #expect(try store.personNote(of: author)?.text == "Vaste reiziger, belt graag")
    app.play(terminal, ["<Esc>"])
    #expect(terminal.screenText().joined(separator: "\n").contains("Note on the person"))
  }

  @Test("L links another identity: both timelines in one view; U unlinks it again")
  func link() throws {
    let (app, terminal, store) = try keesApp()
    try select(app, terminal, store, "k3")
    app.play(terminal, ["p", "L", "bluesky:@kees.bsky.social", "<Enter>"])
    var screen = terminal.screenText().joined(separator: "\n")
    #expect(screen.contains("@kees (mastodon) + @kees.bsky.social (bluesky)"), "\(screen)")
    #expect(screen.contains("Weer geen trein naar Utrecht"))
    // The Bluesky post is the newest line: U on it unlinks that identity.
    app.play(terminal, ["g", "U"])
    screen = terminal.screenText().joined(separator: "\n")
    #expect(!screen.contains("Weer geen trein naar Utrecht"), "\(screen)")
    let actions = try store.allEvents().map(\.action)
    #expect(actions.contains("person_link") && actions.contains("person_unlink"))
  }

  @Test("Enter on a line goes to that post in the queue")
  func jump() throws {
    let (app, terminal, store) = try keesApp()
    try select(app, terminal, store, "k3")
    let k1 = try #require(try store.mentionID(platform: "mastodon", externalID: "k1"))
    app.play(terminal, ["p", "G", "<Enter>"])
    #expect(app.state.mode == .queue)
    #expect(app.state.selectedID == k1)
  }

  @Test("snapshots: 80×24 and 60×16, English and Dutch")
  func snapshots() throws {
    for (size, language) in [
      (Size(width: 80, height: 24), UILanguage.en), (Size(width: 60, height: 16), .en),
      (Size(width: 80, height: 24), .nl), (Size(width: 60, height: 16), .nl),
    ] {
      let (app, terminal, store) = try keesApp(size: size, language: language)
      try select(app, terminal, store, "k3")
      app.play(terminal, ["p"])
      var state = app.state
      state.timeZone = TimeZone(identifier: "UTC")!
      if language == .nl { #expect(terminal.screenText().joined().contains("Tijdlijn · @kees")) }
      assertSnapshot(
        InboxRenderer.render(state, theme: .standard),
        named: "person-\(size.width)x\(size.height)-\(language.rawValue)")
    }
  }
}

/// Repeated posts folded (issue 16): one row with `×3` in the queue.
@Suite("Repeated posts in the queue")
struct RepeatRowTests {
  @Test("three identical posts are one row marked ×3 (snapshot at 80×24)")
  func foldedRow() throws {
    let (store, policy) = try makeStore()
    try store.installPolicyIfMissing(source: PolicyFile.render(policy), actor: "test")
    let text = "Mijn trein is weer vertraagd en niemand zegt iets. Belachelijk."
    _ = try store.ingest(
      [
        mention("r1", "pendelaar", minutesAgo: 90, text), mention("r2", "pendelaar", minutesAgo: 70, text),
        mention("r3", "pendelaar", minutesAgo: 50, text + " https://t.co/x"),
        mention("q1", "tom", minutesAgo: 30, "Hoe laat vertrekt de eerste trein naar Utrecht?"),
      ], actor: "test", annotator: PolicyAnnotator(policy: policy))
    let source = StoreSource(store: store, policy: policy, strings: Strings(.en))
    let (app, terminal) = makeApp(source, size: Size(width: 80, height: 24))
    app.start()
    let screen = terminal.screenText()
    #expect(screen.filter { $0.contains("@pendelaar") }.count == 1, "\(screen)")
    #expect(screen.contains { $0.contains("@pendelaar") && $0.contains("×3 Mijn trein") }, "\(screen)")
    var state = app.state
    state.timeZone = TimeZone(identifier: "UTC")!
    assertSnapshot(InboxRenderer.render(state, theme: .standard), named: "queue-repeats-80x24")
  }
}

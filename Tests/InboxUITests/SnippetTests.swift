import Foundation
import Inbox
import InboxUI
import Policy
import Store
import TerminalUI
import Testing

@testable import Desk
@testable import InboxBackend

/// The team's snippets (issue 16): search, filling, the library's rules, and the editor's picker.
@Suite("Snippets")
struct SnippetTests {
  static func choice(_ title: String, _ lang: String, _ text: String, template: Bool = false, id: Int64 = 1)
    -> SnippetChoice
  {
    SnippetChoice(origin: template ? .template : .snippet(id), title: title, lang: lang, text: text)
  }

  @Test(
    "every word typed starts a word of title or text, ignoring case and accents; the mention's language first"
  )
  func searchRanking() {
    let choices = [
      Self.choice("Fiets op zondag", "nl", "Hoi {name}, op zondag hoef je geen fiets te reserveren.", id: 1),
      Self.choice("Sunday bikes", "en", "Hi {name}, no bike booking on Sundays.", id: 2),
      Self.choice("Refund", "en", "Use the app for a refund, or ask for a bike voucher.", id: 3),
      Self.choice("Café", "en", "The café car is open.", id: 4),
    ]
    let titles = { (q: String, lang: String) in SnippetSearch.search(q, in: choices, lang: lang).map(\.title)
    }
    // A title word outranks a word of the text; the other language comes after.
    #expect(titles("bike", "en") == ["Sunday bikes", "Refund"])
    #expect(titles("BIK", "en") == ["Sunday bikes", "Refund"])
    #expect(titles("zon", "nl") == ["Fiets op zondag"])
    #expect(titles("fiets zon", "en") == ["Fiets op zondag"])
    #expect(titles("cafe", "en") == ["Café"])
    #expect(titles("ike", "en").isEmpty)
    // Nothing typed: all of them, the mention's language first, in the order given.
    #expect(titles("", "nl") == ["Fiets op zondag", "Sunday bikes", "Refund", "Café"])
  }

  @Test("placeholders: the template's filler plus the signature; an unknown one stays and is found")
  func filling() {
    var policy = PolicyConfig.default
    policy.organisation = Organisation(names: ["Spoorlijn"], accounts: [:])
    var m = PaneSnapshotTests.rows[1].mention
    m.author = Author(handle: "@tom", name: "Tom Jansen")
    let values = Placeholders.values(
      mention: m, rumours: [], policy: policy, lang: "en",
      responder: TeamMember(name: "Anna de Vries", login: "anna"))
    let text = Placeholders.fill(
      "Hi {name} ({author}), {organisation} here. Order {order_number}? {signature}", values)
    #expect(text == "Hi Tom (@tom), Spoorlijn here. Order {order_number}? – Anna")
    #expect(Placeholders.unfilled(in: text) == ["{order_number}"])
    #expect(Placeholders.unfilled(in: "a {b c} {} { x } {ok_1} {ok_1}") == ["{ok_1}"])
    // The reply checks block a placeholder left in (S13), in the responder's language.
    let findings = ReplyRules.findings(
      body: "Hi Tom, your order {order_number} is on its way.", mention: m,
      responder: TeamMember(name: "Anna", login: "anna"), policy: policy, messages: "nl")
    let left = findings.first { $0.code == "placeholder_left" }
    #expect(left?.severity == .blocking && left?.rule == "S13")
    #expect(left?.message.contains("{order_number}") == true)
  }

  static func desk() throws -> (SnippetDesk, SQLiteStore, PolicyConfig) {
    var (store, policy) = try makeStore()
    policy.team.append(TeamMember(name: "Sam", login: "sam", role: .supervisor))
    policy.team.append(TeamMember(name: "Noor", login: "noor", role: .supervisor))
    return (SnippetDesk(store: store, policy: policy), store, policy)
  }

  @Test("a responder proposes; a supervisor's own is shared at once; four eyes on proposals")
  func rules() throws {
    let (desk, _, _) = try Self.desk()
    let proposed = try desk.add(title: "Fiets", lang: "NL", body: "Geen reservering nodig.", actor: "Anna")
    #expect(proposed.status == .proposed && proposed.lang == "nl")
    #expect(throws: SnippetRefusal.self) { try desk.approve(id: proposed.id, actor: "Bram") }
    let approved = try desk.approve(id: proposed.id, actor: "Sam")
    #expect(approved.status == .approved && approved.approvedBy == "Sam")
    let own = try desk.add(title: "Pers", lang: "nl", body: "Voor de pers: bel 030.", actor: "Sam")
    #expect(own.status == .approved && own.approvedBy == "Sam")
    // A supervisor who proposed (while a responder, say) still cannot approve their own.
    let (store2, _) = try makeStore()
    let earlier = try store2.addSnippet(lang: "en", title: "x", body: "y", actor: "Sam", approved: false)
    let desk2 = SnippetDesk(store: store2, policy: desk.policy)
    #expect(throws: SnippetError.ownSnippet(earlier.id)) { try desk2.approve(id: earlier.id, actor: "Sam") }
    #expect(try desk2.approve(id: earlier.id, actor: "Noor").status == .approved)
    // Rejecting takes a note; retiring: a supervisor any, an author their own proposal only.
    let second = try desk.add(title: "Vaag", lang: "nl", body: "Kijk op de site.", actor: "Bram")
    #expect(throws: SnippetRefusal.self) { try desk.reject(id: second.id, note: " ", actor: "Sam") }
    #expect(throws: SnippetRefusal.self) { try desk.retire(id: proposed.id, actor: "Anna") }
    #expect(try desk.retire(id: second.id, actor: "Bram").status == .retired)
    #expect(try desk.retire(id: proposed.id, actor: "Sam").status == .retired)
    #expect(throws: SnippetRefusal.self) { try desk.add(title: " ", lang: "nl", body: "x", actor: "Anna") }
    #expect(throws: SnippetRefusal.self) { try desk.add(title: "t", lang: "dutch", body: "x", actor: "Anna") }
    #expect(throws: SnippetRefusal.self) {
      try desk.add(title: "t", lang: "nl", body: "x\u{1B}]0;pwned\u{07}", actor: "Anna")
    }
    #expect(throws: SnippetRefusal.self) {
      try desk.add(title: "t\u{202E}", lang: "nl", body: "x", actor: "Anna")
    }
    let lines = try desk.add(title: "Lines", lang: "nl", body: "a\r\n\tb", actor: "Anna")
    #expect(lines.body == "a\n b")
  }

  @Test("saved from a reply, the author's handle and name become placeholders and the signature goes")
  func forgetsTheAuthor() throws {
    let (desk, store, _) = try Self.desk()
    var m = PaneSnapshotTests.rows[0].mention
    m.author = Author(handle: "sanne@mastodon.nl", name: "Sanne de Boer")
    let body = "Hoi Sanne, sorry @sanne@mastodon.nl! Sanne de Boer, we bellen je. Sannes fiets? sanne. – Anna"
    let s = try desk.add(title: "Excuses", lang: "nl", body: body, actor: "Anna", from: m)
    #expect(s.body == "Hoi {name}, sorry {author}! {name}, we bellen je. Sannes fiets? {name}.")
    #expect(try store.snippet(id: s.id)?.body.lowercased().contains("sanne ") == false)
  }

  /// The app on a store with an approved snippet and a supervisor on the roster.
  static func app(
    actor: String = "Anna", language: UILanguage = .en, size: Size = Size(width: 100, height: 30)
  )
    throws -> (InboxApp, MemoryTerminal, StoreSource, SQLiteStore)
  {
    var (store, policy) = try makeStore()
    policy.team.append(TeamMember(name: "Sam", login: "sam", role: .supervisor))
    _ = try store.ingest(sampleMentions, actor: "test", annotator: PolicyAnnotator(policy: policy))
    _ = try store.addSnippet(
      lang: "en", title: "Sunday bikes", body: "Hi {name}, on Sundays your bike needs no reservation. {ref}",
      actor: "Sam", approved: true)
    _ = try store.addSnippet(
      lang: "en", title: "Pending", body: "Not shared yet", actor: "Anna", approved: false)
    let source = StoreSource(store: store, policy: policy, strings: Strings(language))
    let terminal = MemoryTerminal(size: size, events: [], eventWhenExhausted: nil)
    let app = InboxApp(
      terminal: terminal, source: source, theme: .standard, strings: Strings(language), actor: actor,
      storeLabel: "test.sqlite", now: { fixedNow })
    app.draftDelay = 0
    app.start()
    return (app, terminal, source, store)
  }

  /// The inbox as Sam, the supervisor.
  static func pane(_ source: StoreSource) -> (InboxApp, MemoryTerminal) {
    let terminal = MemoryTerminal(size: Size(width: 120, height: 30), events: [], eventWhenExhausted: nil)
    let app = InboxApp(
      terminal: terminal, source: source, theme: .standard, strings: Strings(.en), actor: "Sam",
      storeLabel: "test.sqlite", now: { fixedNow })
    return (app, terminal)
  }

  static func select(_ app: InboxApp, _ terminal: MemoryTerminal, _ handle: String) throws {
    let index = try #require(app.state.rows.firstIndex { $0.mention.author.handle == handle })
    app.play(terminal, Array(repeating: "j", count: index))
  }

  @Test(
    "Ctrl-T, a word, Enter: the filled snippet at the cursor, its unknown placeholder flagged; Esc cancels")
  func pickInEditor() throws {
    let (app, terminal, _, _) = try Self.app()
    try Self.select(app, terminal, "tom")
    app.play(terminal, ["r", "<C-u>", "Thanks! ", "<C-t>"])
    #expect(app.state.mode == .pickSnippet)
    let screen = terminal.screenText().joined(separator: "\n")
    #expect(screen.contains("Templates and snippets:"))
    #expect(!screen.contains("Not shared yet"))
    app.play(terminal, ["sunday", "<Enter>"])
    #expect(app.state.mode == .editor)
    #expect(
      app.state.reply?.editor.text == "Thanks! Hi Tom, on Sundays your bike needs no reservation. {ref}")
    #expect(app.state.message?.text.contains("fill in {ref}") == true)
    #expect(app.state.reply?.blocking.contains { $0.code == "placeholder_left" } == true)
    app.play(terminal, ["<C-z>"])
    #expect(app.state.reply?.editor.text == "Thanks! ")
    app.play(terminal, ["<C-t>", "bike", "<Esc>"])
    #expect(app.state.mode == .editor && app.state.reply?.editor.text == "Thanks! ")
    // A paste into the picker is its query; its newline inserts nothing.
    app.play(terminal, ["<C-t>", "<PasteBegin>", "sun", "<Enter>", "<PasteEnd>"])
    #expect(app.state.mode == .pickSnippet && app.state.reply?.picker?.query == "sun")
    #expect(app.state.reply?.editor.text == "Thanks! ")
  }

  @Test("Ctrl-T on the untouched starting template replaces it: templates do not stack")
  func templateReplacesStart() throws {
    let (app, terminal, _, _) = try Self.app()
    try Self.select(app, terminal, "tom")
    app.play(terminal, ["r"])
    let start = try #require(app.state.reply?.editor.text)
    #expect(start.hasPrefix("Hi Tom, good question!"))
    app.play(terminal, ["<C-t>", "<Down>", "<Enter>"])
    let next = try #require(app.state.reply?.editor.text)
    #expect(next != start && !next.contains("good question"))
    app.play(terminal, ["<C-z>"])
    #expect(app.state.reply?.editor.text == start)
  }

  @Test("Ctrl-S saves the reply as a proposal; the supervisor approves it on the pane; then it is offered")
  func saveApproveOffer() throws {
    let (app, terminal, source, store) = try Self.app()
    try Self.select(app, terminal, "tom")
    app.play(terminal, ["r", "<C-u>", "Hi Tom, the bike wagon is at the front.", "<C-s>"])
    #expect(app.state.mode == .prompt(.snippetTitle))
    #expect(terminal.screenText().joined(separator: "\n").contains("save as snippet, title:"))
    app.play(terminal, ["Bike wagon", "<Enter>"])
    #expect(app.state.mode == .editor)
    #expect(app.state.message?.text.hasPrefix("snippet proposed") == true)
    let saved = try #require(
      try store.snippets(statuses: [.proposed], lang: "en").first { $0.title == "Bike wagon" })
    #expect(saved.body == "Hi {name}, the bike wagon is at the front.")

    // Sam, a supervisor, approves it on the pane with y.
    let (pane, paneTerminal) = Self.pane(source)
    pane.configureSupervisor(source, allowed: true, open: true)
    pane.start()
    let board = try #require(pane.state.supervisor.board)
    #expect(board.snippets.map(\.title).contains("Bike wagon"))
    let index = try #require(board.items.firstIndex(of: .snippet(saved.id)))
    pane.play(paneTerminal, Array(repeating: "j", count: index) + ["y"])
    #expect(pane.state.message?.text.hasPrefix("snippet approved") == true)
    #expect(try store.snippet(id: saved.id)?.status == .approved)

    // The editor Anna still has open offers it: the picker reads the library when it opens.
    #expect(app.state.mode == .editor)
    app.play(terminal, ["<C-t>", "wagon"])
    #expect(app.state.reply?.pickerMatches.first?.title == "Bike wagon")
  }

  @Test("forget after saving: the snippet kept nothing of the author, so it stays as it was")
  func forgetLeavesTheLibrary() throws {
    let (_, _, source, store) = try Self.app()
    let id = try #require(try store.mentionID(platform: "mastodon", externalID: "m3"))
    let saved = try source.saveSnippet(
      mentionID: id, title: "Sunday", body: "Hi Tom (@tom), no booking needed. – Anna", actor: "Anna")
    #expect(saved.body == "Hi {name} ({author}), no booking needed.")
    _ = try store.forget(author: "tom", actor: "Sam")
    #expect(try store.snippet(id: saved.id)?.body == saved.body)
    #expect(try store.snippets(statuses: [], lang: nil).allSatisfy { !$0.body.lowercased().contains("tom") })
  }

  @Test("b on a proposed snippet asks why and rejects it with the note")
  func rejectOnPane() throws {
    let (_, _, source, store) = try Self.app()
    let (pane, terminal) = Self.pane(source)
    pane.configureSupervisor(source, allowed: true, open: true)
    pane.start()
    let proposed = try #require(pane.state.supervisor.board?.snippets.first)
    let index = try #require(pane.state.supervisor.items.firstIndex(of: .snippet(proposed.id)))
    pane.play(terminal, Array(repeating: "j", count: index) + ["b"])
    #expect(pane.state.mode == .prompt(.rejectSnippet))
    pane.play(terminal, ["Too short", "<Enter>"])
    #expect(try store.snippet(id: proposed.id)?.status == .rejected)
    #expect(try store.snippet(id: proposed.id)?.reviewNote == "Too short")
  }
}

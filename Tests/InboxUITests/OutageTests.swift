import Desk
import Foundation
import Inbox
import InboxBackend
import InboxUI
import Policy
import Store
import TerminalUI
import Testing

/// A source whose store goes out of reach on demand, as a server store does when its server
/// restarts or the link is cut (issue 19): while `down`, every call throws and the source says it
/// is reconnecting. `answerLost` makes the next action commit and then throw (and the store go
/// down), as when the connection goes between the commit and its answer.
final class OutageSource: CheckedSource, SourceConnection {
  var down = false
  var answerLost = false
  struct Lost: Error, CustomStringConvertible {
    var description: String { "lost the connection to the PostgreSQL server at postgres://anna@db/team" }
  }

  var isReconnecting: Bool { down }
  override func check() throws { if down { throw Lost() } }
  override func performed() throws {
    guard answerLost else { return }
    answerLost = false
    down = true
    throw Lost()
  }
}

@Suite("The inbox while its store is out of reach: reconnecting, the draft kept, nothing lost (issue 19)")
struct OutageTests {
  struct Setup {
    let app: InboxApp
    let terminal: MemoryTerminal
    let source: OutageSource
    let store: SQLiteStore
    let drafts: LocalDrafts
  }

  func setup() throws -> Setup {
    let (inner, store) = try seededSource()
    let source = OutageSource(inner)
    let terminal = MemoryTerminal(size: Size(width: 120, height: 30), events: [], eventWhenExhausted: nil)
    let app = InboxApp(
      terminal: terminal, source: source, theme: .standard, strings: Strings(.en), actor: "Anna",
      storeLabel: "postgres://anna@db/team", now: { fixedNow })
    app.draftDelay = 0
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("drafts-\(UUID().uuidString)")
    let drafts = LocalDrafts(folder: folder, store: "postgres://anna@db/team")
    app.localDrafts = drafts
    app.start()
    return Setup(app: app, terminal: terminal, source: source, store: store, drafts: drafts)
  }

  func screen(_ terminal: MemoryTerminal) -> String { terminal.screenText().joined(separator: "\n") }

  @Test("the status line says reconnecting…, keys still work, and the inbox reads all again when it is back")
  func reconnectsByItself() throws {
    let s = try setup()
    #expect(s.app.state.rows.count == 6)
    s.source.down = true
    #expect(s.app.step(nil))
    #expect(s.app.state.message?.text.hasPrefix("reconnecting…") == true)
    #expect(screen(s.terminal).contains("reconnecting…"))
    // Keys work on what is loaded: the selection moves, the queue stays.
    let first = s.app.state.selectedID
    s.app.play(s.terminal, ["j"])
    #expect(s.app.state.selectedID != first)
    #expect(s.app.state.rows.count == 6)
    // Meanwhile someone claimed a mention; when the store is back the window shows it.
    let claimed = try #require(s.app.state.rows.last?.id)
    try s.store.toggleClaim(id: claimed, actor: "Bram")
    s.source.down = false
    #expect(s.app.step(nil))
    #expect(s.app.state.message?.text.hasPrefix("reconnected") == true)
    #expect(s.app.state.rows.first { $0.id == claimed }?.claimedBy == "Bram")
  }

  @Test("the draft being typed goes to this machine (0600) and to the store when it is back")
  func draftKeptLocallyThenStored() throws {
    let s = try setup()
    let id = try #require(s.app.state.selectedID)
    s.app.play(s.terminal, ["r"])
    s.source.down = true
    s.app.play(s.terminal, ["<C-u>", "Hoi, we kijken ernaar"])
    s.app.step(nil)
    #expect(s.app.state.message?.text.contains("kept on this machine") == true)
    let file = s.drafts.file(mentionID: id, actor: "Anna")
    let kept = try #require(s.drafts.load(mentionID: id, actor: "Anna"))
    #expect(kept.text == "Hoi, we kijken ernaar")
    let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
    #expect(mode == 0o600)
    #expect(try s.store.draft(mentionID: id, author: "Anna") == nil)
    s.source.down = false
    s.app.step(nil)
    #expect(try s.store.draft(mentionID: id, author: "Anna")?.text == "Hoi, we kijken ernaar")
    #expect(!FileManager.default.fileExists(atPath: file.path))
  }

  @Test("an inbox that ended while the store was away finds the draft kept here when the editor opens")
  func draftFromThisMachineOnOpen() throws {
    let s = try setup()
    let id = try #require(s.app.state.selectedID)
    try s.drafts.save(mentionID: id, actor: "Anna", mode: .reply, text: "Bijna klaar met")
    s.app.play(s.terminal, ["r"])
    #expect(s.app.state.reply?.editor.text == "Bijna klaar met")
    #expect(s.app.state.message?.text.contains("kept on this machine") == true)
    s.app.step(nil)
    #expect(try s.store.draft(mentionID: id, author: "Anna")?.text == "Bijna klaar met")
    #expect(s.drafts.load(mentionID: id, actor: "Anna") == nil)
  }

  @Test("a claim that did not commit says so; the same key again claims it")
  func claimNotDoneThenRetried() throws {
    let s = try setup()
    let id = try #require(s.app.state.selectedID)
    s.source.down = true
    s.app.play(s.terminal, ["c"])
    #expect(s.app.state.message?.text.hasPrefix("not done") == true)
    #expect(try s.store.entry(id: id)?.claimedBy == nil)
    // The next passes keep saying it was not done while the store is away.
    s.app.step(nil)
    #expect(s.app.state.message?.text.hasPrefix("not done") == true)
    s.source.down = false
    s.app.step(nil)
    s.app.play(s.terminal, ["c"])
    #expect(try s.store.entry(id: id)?.claimedBy == "Anna")
  }

  @Test("a claim whose answer was lost is not undone by the retry: the store is asked first")
  func claimAnswerLostNotDoneTwice() throws {
    let s = try setup()
    let id = try #require(s.app.state.selectedID)
    s.source.answerLost = true
    s.app.play(s.terminal, ["c"])
    #expect(s.app.state.message?.text.hasPrefix("not done") == true)
    s.source.down = false
    s.app.step(nil)
    #expect(s.app.state.message?.text.contains("do it again") == true)
    s.app.play(s.terminal, ["c"])
    #expect(s.app.state.message?.text.hasPrefix("done already") == true)
    #expect(try s.store.entry(id: id)?.claimedBy == "Anna")
  }
}

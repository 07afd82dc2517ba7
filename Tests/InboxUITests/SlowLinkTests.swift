import Desk
import Foundation
import Inbox
import InboxBackend
import InboxUI
import Policy
import Store
import TerminalUI
import Testing

/// A source on a slow link: a detail read does not return until the test opens the gate (as a
/// read over a slow or cut link waits for its answer), and the source notes which mentions it was
/// asked for. While `down`, every call fails and the source says it is reconnecting.
final class SlowSource: CheckedSource, SourceConnection {
  private let gate = Locked(true)
  private let asked = Locked<[Int64]>([])
  private let downFlag = Locked(false)

  var down: Bool {
    get { downFlag.current }
    set { downFlag.withLock { $0 = newValue } }
  }
  var isReconnecting: Bool { down }
  override func check() throws { if down { throw OutageSource.Lost() } }

  /// Closes the gate: detail reads wait until `open()`.
  func close() { gate.withLockWakingWaiters { $0 = false } }
  func open() { gate.withLockWakingWaiters { $0 = true } }
  /// The mentions whose detail was read, in order.
  var detailsAsked: [Int64] { asked.current }

  override func detail(id: Int64, now: Date) throws -> MentionDetail? {
    asked.withLock { $0.append(id) }
    gate.withLock(when: { $0 }) { _ in }
    return try super.detail(id: id, now: now)
  }
}

@Suite("The inbox over a slow link: keys do not wait for the store (issue 18)")
struct SlowLinkTests {
  struct Setup {
    let app: InboxApp
    let terminal: MemoryTerminal
    let source: SlowSource
    let store: SQLiteStore
  }

  func setup() throws -> Setup {
    let (inner, store) = try seededSource()
    let source = SlowSource(inner)
    let terminal = MemoryTerminal(size: Size(width: 120, height: 30), events: [], eventWhenExhausted: nil)
    let app = InboxApp(
      terminal: terminal, source: source, theme: .standard, strings: Strings(.en), actor: "Anna",
      storeLabel: "postgres://anna@db/team", now: { fixedNow })
    app.readsInBackground = true
    app.start()
    let s = Setup(app: app, terminal: terminal, source: source, store: store)
    try passes(s, until: "the first detail") { $0.app.state.detail?.row.id == $0.app.state.selectedID }
    return s
  }

  func screen(_ terminal: MemoryTerminal) -> String { terminal.screenText().joined(separator: "\n") }

  /// Loop passes until `done` holds (the reader's thread hands its result to a later pass); fails
  /// after 5,000 passes of a millisecond's pause.
  func passes(_ s: Setup, until what: String, _ done: (Setup) -> Bool) throws {
    for _ in 0..<5000 {
      if done(s) { return }
      usleep(1000)
      s.app.step(nil)
    }
    Issue.record("never: \(what); the status line: \(s.app.state.message?.text ?? "-")")
    throw CancellationError()
  }

  @Test("a move shows the row at once with a quiet …, and the detail on a later pass")
  func moveDoesNotWait() throws {
    let s = try setup()
    s.source.close()
    let first = s.app.state.selectedID
    // The key returns while the detail read is still waiting at the gate.
    s.app.play(s.terminal, ["j"])
    let second = try #require(s.app.state.selectedID)
    #expect(second != first)
    #expect(s.app.state.detailLoading == second)
    let row = try #require(s.app.state.selectedRow)
    let shown = screen(s.terminal)
    #expect(shown.contains("@\(row.mention.author.handle)"))
    #expect(shown.contains("…"))
    s.source.open()
    try passes(s, until: "the detail of the new selection") { $0.app.state.detail?.row.id == second }
    #expect(s.app.state.detailLoading == nil)
  }

  @Test("the newest request wins: a detail passed over while another was read is never read")
  func newestRequestWins() throws {
    let s = try setup()
    let before = s.source.detailsAsked.count
    s.source.close()
    s.app.play(s.terminal, ["j"])
    let passing = try #require(s.app.state.selectedID)
    // The reader is at the gate with the first move's read; two more moves wait behind it.
    try passes(s, until: "the reader takes the first read") { $0.source.detailsAsked.count == before + 1 }
    s.app.play(s.terminal, ["j"])
    let skipped = try #require(s.app.state.selectedID)
    s.app.play(s.terminal, ["j"])
    let last = try #require(s.app.state.selectedID)
    s.source.open()
    try passes(s, until: "the last selection's detail") { $0.app.state.detail?.row.id == last }
    #expect(Array(s.source.detailsAsked.dropFirst(before)) == [passing, last])
    #expect(!s.source.detailsAsked.dropFirst(before).contains(skipped))
  }

  @Test("a read that does not come back says reconnecting… while keys go on; an action is not done at once")
  func stalledReadSaysReconnecting() throws {
    let s = try setup()
    s.app.stallLimit = 0
    s.source.close()
    s.app.play(s.terminal, ["j"])
    try passes(s, until: "reconnecting…") { $0.app.state.message?.text.hasPrefix("reconnecting…") == true }
    #expect(screen(s.terminal).contains("reconnecting…"))
    // Keys still move over the rows in memory; a claim is not done and says so, without waiting.
    let before = s.app.state.selectedID
    s.app.play(s.terminal, ["j"])
    #expect(s.app.state.selectedID != before)
    let claimed = try #require(s.app.state.selectedID)
    s.app.play(s.terminal, ["c"])
    #expect(s.app.state.message?.text.hasPrefix("not done") == true)
    #expect(try s.store.entry(id: claimed)?.claimedBy == nil)
    // The link back: the read comes home, the inbox reads all again and says so (no call is
    // taken for stalled now: the token is asked on every pass of a test's inbox).
    s.app.stallLimit = 3600
    s.source.open()
    try passes(s, until: "reconnected") { $0.app.state.message?.text.hasPrefix("reconnected") == true }
    try passes(s, until: "the detail") { $0.app.state.detail?.row.id == claimed }
  }

  @Test("a store out of reach: the reader's failed read says reconnecting…, and the inbox comes back")
  func outageThroughTheReader() throws {
    let s = try setup()
    s.source.down = true
    s.app.play(s.terminal, ["j"])
    try passes(s, until: "reconnecting…") { $0.app.state.message?.text.hasPrefix("reconnecting…") == true }
    s.source.down = false
    try passes(s, until: "reconnected") { $0.app.state.message?.text.hasPrefix("reconnected") == true }
    let selected = s.app.state.selectedID
    try passes(s, until: "the detail") { $0.app.state.detail?.row.id == selected }
  }

  @Test("an action shows … on the status line while it waits, and its answer after")
  func actionShowsWaiting() throws {
    let s = try setup()
    let id = try #require(s.app.state.selectedID)
    let frames = s.terminal.presentCount
    s.app.play(s.terminal, ["c"])
    #expect(s.terminal.presentCount > frames + 1)
    #expect(try s.store.entry(id: id)?.claimedBy == "Anna")
    #expect(s.app.state.message?.text != "…")
  }
}

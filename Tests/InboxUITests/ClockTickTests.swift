import Desk
import Foundation
import Inbox
import InboxBackend
import TerminalUI
import Testing

@testable import InboxUI

/// Issue 17: the ages and deadlines on screen move on by themselves, but a second that changes
/// none of their texts draws no frame (building one every second was a fifth of an open inbox's
/// CPU).
@Suite("The clock on screen")
struct ClockTickTests {
  /// An inbox whose clock the test moves; the sample mentions are whole minutes old at `fixedNow`.
  func movableApp() throws -> (InboxApp, MemoryTerminal, Locked<Date>) {
    let (source, _) = try seededSource()
    let clock = Locked(fixedNow)
    let terminal = MemoryTerminal(size: Size(width: 140, height: 30), eventWhenExhausted: nil)
    let app = InboxApp(
      terminal: terminal, source: source, theme: .standard, strings: Strings(.en), actor: "Anna",
      storeLabel: "test.sqlite", now: { clock.withLock { $0 } })
    app.start()
    app.step(nil)
    return (app, terminal, clock)
  }

  @Test("a second that changes no shown text draws nothing; one that moves an age or a deadline draws")
  func drawsOnlyWhenAShownTextMoves() throws {
    let (app, terminal, clock) = try movableApp()
    // Two minutes on, so that the arrival in the detail's history no longer reads in seconds.
    clock.withLock { $0 = fixedNow.addingTimeInterval(120) }
    app.step(nil)
    var frames = terminal.presentCount
    // The clock stands still (REPUTE_NOW): nothing to draw, however many passes.
    app.step(nil)
    app.step(nil)
    #expect(terminal.presentCount == frames)
    // One second on: the deadlines, whole minutes away, read a minute less.
    clock.withLock { $0 = fixedNow.addingTimeInterval(121) }
    app.step(nil)
    #expect(terminal.presentCount == frames + 1)
    frames = terminal.presentCount
    // Another second: every age, deadline and the clock read the same.
    clock.withLock { $0 = fixedNow.addingTimeInterval(122) }
    app.step(nil)
    #expect(terminal.presentCount == frames)
    #expect(app.state.now == fixedNow.addingTimeInterval(122))
    // A minute on: the ages move.
    clock.withLock { $0 = fixedNow.addingTimeInterval(181) }
    app.step(nil)
    #expect(terminal.presentCount == frames + 1)
    let shown = terminal.screenText().joined(separator: "\n")
    let minute = Format.clock(fixedNow.addingTimeInterval(181), timeZone: app.state.timeZone)
    #expect(shown.contains(minute), "\(shown)")
  }

  @Test("the same texts at two moments compare equal; a minute apart they do not")
  func clockTextsFollowTheScreen() throws {
    let (app, _, _) = try movableApp()
    let state = app.state
    let at = try #require(InboxRenderer.clockTexts(state, now: fixedNow.addingTimeInterval(122)))
    #expect(at == InboxRenderer.clockTexts(state, now: fixedNow.addingTimeInterval(123)))
    #expect(at != InboxRenderer.clockTexts(state, now: fixedNow.addingTimeInterval(182)))
    #expect(at.detail.isEmpty == (state.detail == nil))
  }
}

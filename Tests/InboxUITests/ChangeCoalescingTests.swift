import Foundation
import Inbox
import InboxBackend
import Policy
import Store
import TerminalUI
import Testing

@testable import InboxUI

/// Issue 17: an open inbox reads others' commits from the store at most once per refresh
/// interval, however many there were, and its own writes in between lose none of them.
@Suite("Others' commits, read together")
struct ChangeCoalescingTests {
  func screen(_ terminal: MemoryTerminal) -> String { terminal.screenText().joined(separator: "\n") }

  @Test("a second commit within the interval waits for the next read, and an own write keeps it owed")
  func commitsWithinTheIntervalAreReadTogether() throws {
    let (source, store) = try seededSource()
    let (app, terminal) = makeApp(source)
    app.refreshInterval = 3_600
    app.start()
    app.step(nil)
    let other = try SQLiteStore(path: store.path, mode: .existing, clock: .fixed(fixedNow))

    // The first commit after a quiet spell is read at once.
    _ = try other.ingest(
      [mention("n1", "nina", minutesAgo: 2, "Roltrap bij spoor 5 staat stil")],
      actor: "ingest",
      annotator: nil)
    app.step(nil)
    #expect(screen(terminal).contains("Roltrap"), "\(screen(terminal))")
    #expect(!app.follower.takeOwed)

    // A second one within the interval: seen (the token moved), not yet read.
    _ = try other.ingest(
      [mention("n2", "nina", minutesAgo: 1, "Lift bij spoor 7 doet het niet")],
      actor: "ingest",
      annotator: nil)
    app.step(nil)
    #expect(app.follower.takeOwed)
    #expect(!screen(terminal).contains("Lift bij"), "\(screen(terminal))")

    // An own write does not skip it: it stays owed, and the next read shows both.
    app.play(terminal, ["c"])
    #expect(app.follower.takeOwed)
    app.refreshInterval = 0
    app.step(nil)
    #expect(!app.follower.takeOwed)
    #expect(screen(terminal).contains("Lift bij"), "\(screen(terminal))")
  }

  @Test("a read owed shortens the wait for a key to what is left of the interval")
  func anOwedReadShortensTheWait() throws {
    var follower = ChangeFollower()
    #expect(follower.takeDueIn(interval: 0.25) == nil)
    follower.tokenMoved()
    #expect(follower.takeDueIn(interval: 0.25) == 0)
    let first = follower.takeDue(interval: 0.25)
    #expect(first)
    follower.tokenMoved()
    let second = follower.takeDue(interval: 60)
    #expect(!second)
    let wait = try #require(follower.takeDueIn(interval: 60))
    #expect(wait > 0 && wait <= 60)
  }
}

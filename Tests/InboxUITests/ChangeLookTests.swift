import Desk
import Foundation
import Inbox
import InboxBackend
import InboxUI
import Policy
import Store
import TerminalUI
import Testing

@testable import InboxUI

/// A source with a change feed and notices that notes what the inbox asks of it after others'
/// commits: the look, and the calls it stands for.
final class LookCountingSource: CheckedSource, ChangeFeedSource, NoticeSource {
  private let asked = Locked<[String]>([])

  /// The calls that follow others' commits, in order, since the last `reset()`.
  var calls: [String] { asked.current }
  func reset() { asked.withLock { $0 = [] } }
  private func note(_ call: String) { asked.withLock { $0.append(call) } }

  func changedMentions(after mark: ChangeMark?) throws -> ChangeDelta {
    note("feed")
    return try inner.changedMentions(after: mark)
  }
  func reachesWindow(ids: Set<Int64>, newAbove: Int64?, anchor: Int64?, filter: QueueFilter, now: Date) throws
    -> Bool
  {
    note("reach")
    return try inner.reachesWindow(ids: ids, newAbove: newAbove, anchor: anchor, filter: filter, now: now)
  }
  func look(_ question: ChangeQuestion) throws -> ChangeLook {
    note("look")
    return try inner.look(question)
  }
  func noticeSummary(for recipient: String) throws -> NoticeSummary {
    note("notices")
    return try inner.noticeSummary(for: recipient)
  }
  func notices(for recipient: String, includeRead: Bool, limit: Int) throws -> [Notice] {
    try inner.notices(for: recipient, includeRead: includeRead, limit: limit)
  }
  func markNoticesRead(ids: [Int64], recipient: String) throws -> Int {
    try inner.markNoticesRead(ids: ids, recipient: recipient)
  }
  func mayAssign(_ actor: String) -> Bool { inner.mayAssign(actor) }
  var assignable: [String] { inner.assignable }
  var team: [TeamMember] { inner.team }
  override func window(_ filter: QueueFilter, offset: Int, limit: Int, now: Date) throws -> [QueueRow] {
    note("window")
    return try super.window(filter, offset: offset, limit: limit, now: now)
  }
}

/// Issues 17 and 18: after another process's commit an open inbox asks the store one look (the
/// token, the feed, its notices and its window's answer together: one round trip on a server), and
/// reads more only for what changed on its screen.
@Suite("Others' commits, in one look")
struct ChangeLookTests {
  let seed = (0..<200).map { k in
    mention("s\(k)", "reiziger\(k)", minutesAgo: Double(k % 50), "Mijn trein is weer vertraagd (\(k))")
  }

  func screen(_ terminal: MemoryTerminal) -> String { terminal.screenText().joined(separator: "\n") }

  /// Loop passes until `done` holds (a look on the reader's thread is taken on a later pass).
  func passes(_ app: InboxApp, until what: String, _ done: () -> Bool) throws {
    for _ in 0..<5000 {
      if done() { return }
      usleep(1000)
      app.step(nil)
    }
    Issue.record("never: \(what)")
    throw CancellationError()
  }

  @Test(
    "a commit below the window costs one look; a notice for the person one more read; a change on screen the window",
    arguments: [false, true])
  func oneLookPerCommit(background: Bool) throws {
    let (inner, store) = try seededSource(seed)
    let source = LookCountingSource(inner)
    let terminal = MemoryTerminal(size: Size(width: 120, height: 30), events: [], eventWhenExhausted: nil)
    let app = InboxApp(
      terminal: terminal, source: source, theme: .standard, strings: Strings(.en), actor: "Anna",
      storeLabel: "test.sqlite", now: { fixedNow })
    app.readsInBackground = background
    app.countInterval = 3600
    if background {
      // As a server's notifications: news only when someone committed (else every pass asks).
      var seen = try store.changeToken()
      app.mayHaveChanged = {
        let token = (try? store.changeToken()) ?? seen
        defer { seen = token }
        return token != seen ? .notified : .nothing
      }
    }
    app.start()
    for _ in 0..<20 { app.step(nil) }
    let other = try SQLiteStore(path: store.path, mode: .existing, clock: .fixed(fixedNow))
    let queue = try other.queue(QueueFilter(), limit: 200, offset: 0, now: fixedNow).map(\.mention.id)
    let shown = Set(app.state.rows.map(\.id))
    let below = try #require(queue.last { !shown.contains($0) })
    let onScreen = try #require(app.state.rows.first?.id)
    let following = Set(["feed", "reach", "look", "notices", "window"])
    func settle(_ what: String) throws {
      try passes(app, until: what) { !app.follower.takeOwed && !app.follower.waiting }
      for _ in 0..<5 { app.step(nil) }
    }
    try settle("the start")
    // The first refresh after the start recounts (and so reloads, on a source that counts on the
    // loop's thread); the interval keeps the next ones off.
    _ = try other.toggleClaim(id: below, actor: "Bram")
    try passes(app, until: "the first look") { source.calls.contains("look") }
    try settle("the first claim")

    source.reset()
    _ = try other.toggleClaim(id: below, actor: "Bram")
    try passes(app, until: "the look") { source.calls.contains("look") }
    try settle("the claim below the window")
    #expect(source.calls.filter(following.contains) == ["look"])

    source.reset()
    _ = try other.assign(id: below, to: "Anna", actor: "Bram")
    try passes(app, until: "the notice line") { app.state.notices.unread == 1 }
    try settle("the assignment")
    #expect(source.calls.filter(following.contains) == ["look", "notices"])

    source.reset()
    _ = try other.toggleClaim(id: onScreen, actor: "Bram")
    try passes(app, until: "the claim on screen") { app.state.rows.first?.claimedBy == "Bram" }
    try settle("the claim on screen")
    let calls = source.calls.filter(following.contains)
    #expect(calls.first == "look" && calls.contains("window") && !calls.contains("reach"), "\(calls)")
    #expect(!calls.contains("feed"))
  }
}

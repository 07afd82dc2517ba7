import Desk
import Foundation
import Inbox

/// How the inbox follows other processes' changes (issue 17): from the store's change feed when
/// it keeps one (`ChangeFollower`), else by reloading for any content change.
extension InboxApp {
  /// A source without a change feed: reload when mentions or events changed, not for an index.
  func reloadForAnyChange() {
    if let mark = attempt(.changes, { try source.contentMark() }), mark != lastMark {
      lastMark = mark
      reload(announce: true)
      refreshReply()
    }
    loadCounts()
    loadNotices()
    state.newArrivals = attempt(.newest) { try source.arrivals(after: seenNewestID) } ?? 0
    if state.supervisor.active { loadBoard() }
    dirty = true
  }

  /// Other processes' changes: the window is read again, but the detail and the editor's view
  /// only when their mention changed (then the frame is drawn), and the counts and arrivals at
  /// most once per `countInterval`.
  func refresh(_ changes: PendingChanges) {
    let recount = follower.countDue(interval: countInterval)
    let selectedChanged = state.selectedID.map { changes.touched($0) } ?? true
    // The notice line follows the look's notice mark (`took`), not every refresh.
    if recount {
      loadCounts()
      loadArrivals()
    }
    // Counted on the counting thread: its result sets the length and loads what it moves.
    let countedElsewhere = recount && countPending
    if reaches(changes) || (recount && !countedElsewhere) {
      reload(announce: true, recount: recount && !countedElsewhere, refreshDetail: selectedChanged)
    }
    if let id = state.reply?.mention.id, changes.touched(id) {
      refreshReply()
      dirty = true
    }
    if selectedChanged { dirty = true }
    if state.supervisor.active { loadBoard() }
    followPerson(changes)
  }

  /// Whether changes made elsewhere reach the loaded window: a row in it changed, or a changed
  /// or new mention now stands before its last row (or anywhere, when it holds the queue's end).
  func reaches(_ changes: PendingChanges) -> Bool {
    guard let ids = changes.ids, let feed = source as? any ChangeFeedSource else { return true }
    if state.rows.contains(where: { ids.contains($0.id) }) { return true }
    let anchor = windowAtEnd ? nil : state.rows.last?.id
    if anchor == nil && !windowAtEnd { return true }
    // The look that brought these changes asked the same question already.
    if let asked = lookReach,
      asked.question == ReachKey(ids: ids, newAbove: changes.newAbove, anchor: anchor, filter: state.filter)
    {
      lookReach = nil
      return asked.reaches
    }
    lookReach = nil
    return
      attempt(.changes) {
        try feed.reachesWindow(
          ids: ids, newAbove: changes.newAbove, anchor: anchor, filter: state.filter, now: now())
      } ?? true
  }

  /// Counts the mentions new since the responder last looked, when some arrived.
  func loadArrivals() {
    guard follower.arrivalsOwed else { return }
    follower.arrivalsOwed = false
    state.newArrivals = attempt(.newest) { try source.arrivals(after: seenNewestID) } ?? 0
  }

  /// Our own write: no news to reload for.
  func ownWriteSeen() {
    lastToken = attempt(.changes) { try source.changeToken() }
    lastMark = attempt(.changes) { try source.contentMark() } ?? lastMark
    // Others' commits seen but not yet read stay owed, not skipped by starting the feed again at
    // its newest position: the next read gives ours with theirs.
    if !follower.takeOwed { follower.start(from: source) }
    // An own write can make a notice too (assigning to oneself does not, approving does).
    loadNotices()
  }

  /// After others' changes, what the change feed does not carry: the views (one saved in another
  /// inbox) and the sources' health (a watcher's cursors), a few rows each. At most once per
  /// `sideReadInterval`; one put off is owed, and read once the interval has passed.
  func readOutsideTheFeed() {
    guard sideReadsOwed, Date().timeIntervalSince(lastSideReads) >= sideReadInterval else { return }
    sideReadsOwed = false
    lastSideReads = Date()
    if loadViews() { loadCounts() }
    if loadSourceHealth() { dirty = true }
  }

  /// Others' changes altered what is shown. With a recount on its way (a refresh's: the status
  /// line's counts, and the queue's length) the frame waits for it, so the new arrivals and the
  /// counts are drawn in one frame, not two a moment apart (a frame is a debug build's largest
  /// cost after others' commits); at most `frameHold`. A key's frame never waits.
  func screenChanged() {
    if countPending && !dirty {
      if frameHeldSince == nil { frameHeldSince = Date() }
    } else {
      dirty = true
    }
  }

  /// Draws a held frame once the counts came (or failed), or the hold is over.
  func takeHeldFrame() {
    guard let held = frameHeldSince else { return }
    if !countPending || Date().timeIntervalSince(held) >= Self.frameHold { dirty = true }
  }

  /// The longest a frame for others' changes waits for the counts on their way.
  static let frameHold: TimeInterval = 0.5

  /// Reads the sources' health again; true when it changed.
  func loadSourceHealth() -> Bool {
    guard let reporter = source as? any SourceHealthReporting else { return false }
    let health = attempt(.sourceHealth) { try reporter.sourceHealth() } ?? nil
    defer { state.sourceHealth = health }
    return health != state.sourceHealth
  }
}

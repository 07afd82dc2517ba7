import Desk
import Foundation
import Inbox
import TerminalUI

/// A source whose store keeps a change feed (the SQLite store since v20): which mentions changed
/// since a mark, written in the same transaction as the change.
public protocol ChangeFeedSource: AnyObject {
  /// What changed after `mark` (nil: no mark yet), with the feed's newest mark.
  func changedMentions(after mark: ChangeMark?) throws -> ChangeDelta
  /// Whether any of `ids`, or any mention with an id above `newAbove`, stands in the queue under
  /// `filter` up to the mention `anchor` (so a window ending there must be loaded again; nil:
  /// anywhere, the window holds the queue's end); true when the source cannot tell.
  func reachesWindow(ids: Set<Int64>, newAbove: Int64?, anchor: Int64?, filter: QueueFilter, now: Date) throws
    -> Bool
  /// The change token, the feed after the mark, the person's unread notices and whether the
  /// changes reach the window, asked together (`ChangeFeedStore.look`: one round trip on a server).
  func look(_ question: ChangeQuestion) throws -> ChangeLook
}

/// What a store's change signal says when asked (`InboxApp.mayHaveChanged`): nothing new; someone
/// committed (a server's notification); or ask whether anything changed (the fallback's second,
/// a signal not listening, or a store that cannot tell without a read).
public enum StoreNews: Sendable, Equatable {
  case nothing
  case notified
  case ask

  /// From `ServerChangeSignal.takeNotice`'s answer.
  public init(_ notice: (ask: Bool, notified: Bool)) {
    self = notice.notified ? .notified : notice.ask ? .ask : .nothing
  }
}

/// A position in a source's change feed (opaque to the inbox).
public struct ChangeMark: Sendable, Hashable {
  public var seq: Int64
  public var newestMention: Int64

  public init(seq: Int64, newestMention: Int64) {
    self.seq = seq
    self.newestMention = newestMention
  }
}

/// What changed in the store since a mark.
public struct ChangeDelta: Sendable, Hashable {
  /// The feed's newest position: the mark for the next question.
  public var mark: ChangeMark
  /// The mentions whose rows, events or drafts changed; nil when the feed cannot tell (it was
  /// pruned past the mark), so anything may have changed.
  public var ids: Set<Int64>?
  /// Whether new mentions arrived.
  public var arrived: Bool

  public init(mark: ChangeMark, ids: Set<Int64>?, arrived: Bool) {
    self.mark = mark
    self.ids = ids
    self.arrived = arrived
  }
}

/// Gathers other processes' changes between the inbox's refreshes, so an open inbox works in
/// proportion to what changed on its screen (issue 17): a commit that touched only an index
/// costs one small read; changes are taken together, at most one refresh per `interval`, and
/// the counts at most once per `countInterval`. Times are the wall clock (`Date()`), as the
/// draft's debounce: the inbox's `now` may be pinned.
struct ChangeFollower {
  /// The feed's position up to which changes were taken.
  var mark: ChangeMark?
  /// Changed mentions not yet refreshed; nil: anything may have changed.
  var pending: Set<Int64>? = []
  /// New mentions arrived since the last refresh: those with an id above this.
  var newAbove: Int64?
  var waiting = false
  var lastRefresh = Date.distantPast
  var lastCount = Date.distantPast
  var countOwed = false

  /// When the store's token moved and the feed was not read since (nil: nothing owed).
  var takeOwedSince: Date?
  var lastTake = Date.distantPast
  /// A look at the feed is on its way (asked on the reader's thread, its answer not yet taken).
  var lookAsked = false
  /// Others' commits seen and not yet read: owed, or being read.
  var takeOwed: Bool { takeOwedSince != nil || lookAsked }

  /// The store's token moved: someone else committed.
  mutating func tokenMoved() {
    if takeOwedSince == nil { takeOwedSince = Date() }
  }

  /// Whether the feed should be read now: the token moved and the last read was at least
  /// `interval` ago. True clears what was owed (the caller reads).
  mutating func takeDue(interval: TimeInterval) -> Bool {
    guard takeOwedSince != nil, !lookAsked else { return false }
    let time = Date()
    guard time.timeIntervalSince(lastTake) >= interval else { return false }
    lastTake = time
    takeOwedSince = nil
    return true
  }

  /// Seconds until the feed may be read for a moved token (0: now); nil while none is owed.
  func takeDueIn(interval: TimeInterval) -> TimeInterval? {
    guard takeOwedSince != nil, !lookAsked else { return nil }
    return max(0, interval - Date().timeIntervalSince(lastTake))
  }

  /// The mark as the store's look takes it.
  var feedMark: ChangeFeedMark? { mark.map { ChangeFeedMark(seq: $0.seq, newestMention: $0.newestMention) } }

  /// Takes what the feed said after the mark (a look's answer, asked with this mark).
  mutating func take(_ look: ChangeLook) {
    let previous = mark
    mark = ChangeMark(seq: look.mark.seq, newestMention: look.mark.newestMention)
    if look.arrived, newAbove == nil { newAbove = previous?.newestMention ?? 0 }
    guard let ids = look.ids else {
      pending = nil
      waiting = true
      return
    }
    if ids.isEmpty && !look.arrived { return }  // an index, a cursor: nothing an inbox shows
    pending?.formUnion(ids)
    waiting = true
  }

  /// Starts the feed at its newest position (the inbox loads everything anyway).
  mutating func start(from source: any InboxSource) {
    guard let feed = source as? any ChangeFeedSource else { return }
    mark = (try? feed.changedMentions(after: nil))?.mark
  }

  /// The changes to refresh for now, when one is due: nil while nothing waits or the last
  /// refresh was less than `interval` ago.
  mutating func due(interval: TimeInterval) -> PendingChanges? {
    guard waiting else { return nil }
    let time = Date()
    guard time.timeIntervalSince(lastRefresh) >= interval else { return nil }
    lastRefresh = time
    let taken = PendingChanges(ids: pending, newAbove: newAbove)
    arrivalsOwed = arrivalsOwed || taken.newAbove != nil || taken.ids == nil
    pending = []
    newAbove = nil
    waiting = false
    countOwed = true
    return taken
  }

  /// Seconds until the changes waiting may be refreshed (0: now); nil while none wait.
  func dueIn(interval: TimeInterval) -> TimeInterval? {
    guard waiting else { return nil }
    return max(0, interval - Date().timeIntervalSince(lastRefresh))
  }

  /// New mentions arrived and the "new" figure was not counted again since.
  var arrivalsOwed = false

  /// Whether the counts (and the arrivals) should be taken again now: after a refresh, at most
  /// once per `interval`.
  mutating func countDue(interval: TimeInterval) -> Bool {
    guard countOwed else { return false }
    let time = Date()
    guard time.timeIntervalSince(lastCount) >= interval else { return false }
    lastCount = time
    countOwed = false
    return true
  }
}

/// Changes gathered for one refresh.
struct PendingChanges {
  /// The mentions changed; nil: anything may have changed.
  var ids: Set<Int64>?
  /// New mentions arrived: those with an id above this.
  var newAbove: Int64?

  /// Whether the mention's row, events or drafts may have changed.
  func touched(_ id: Int64) -> Bool { ids?.contains(id) ?? true }
}

/// What a refresh can change on screen, compared before and after it: a refresh that changed
/// none of it draws nothing (a frame costs more than the reads that found nothing new).
struct ScreenFacts: Equatable {
  var rows: [QueueRow]
  var windowOffset: Int
  var list: ListViewState
  var selectedID: Int64?
  var newArrivals: Int
  var counts: QueueCounts?
  var message: StatusMessage?
  var sourceHealth: SourceHealth?
  var board: SupervisorBoard?

  init(_ state: InboxState) {
    rows = state.rows
    windowOffset = state.windowOffset
    list = state.list
    selectedID = state.selectedID
    newArrivals = state.newArrivals
    counts = state.counts
    message = state.message
    sourceHealth = state.sourceHealth
    board = state.supervisor.board
  }
}

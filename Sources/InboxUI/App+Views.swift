import Desk
import Foundation
import Inbox

/// The team's saved views in the open inbox (issue 16): read again when the store changed
/// (another inbox may have saved one), counted off the key path with the queue's counts, and
/// only after the store changed (`viewsCountedAt`), so switching views never recounts them.
extension InboxApp {
  /// Reads the views again; true when they changed.
  @discardableResult
  func loadViews() -> Bool {
    guard let viewSource = source as? any ViewSource,
      let saved = attempt(.views, { try viewSource.views() })
    else { return false }
    guard saved != state.views.map(\.saved) else { return false }
    state.views = saved.map { view in
      let (filter, unknown) = QueueFilter.parse(
        view.filter, strings: state.strings, me: state.actor, timeZone: state.timeZone, team: state.team)
      return InboxView(saved: view, filter: unknown.isEmpty ? filter : nil)
    }
    viewsCountedAt = nil
    dirty = true
    return true
  }

  /// The views' filters to count with the next counts: all of them, when the store changed since
  /// they were last counted (nil: their counts still hold).
  func viewFiltersDue() -> [QueueFilter]? {
    // The token as last seen (every pass on a file, with each look on a server, after each own
    // write): a round trip of its own on a server for every count.
    guard !state.views.isEmpty, let token = lastToken ?? attempt(.changes, { try source.changeToken() })
    else {
      return nil
    }
    guard token != viewsCountedAt else { return nil }
    // Wall clock, as the other intervals: the inbox's `now` may be pinned.
    guard Date().timeIntervalSince(lastViewCount) >= viewCountInterval else {
      viewCountOwed = true
      return nil
    }
    viewsCountedAt = token
    lastViewCount = Date()
    viewCountOwed = false
    var seen = Set<QueueFilter>()
    return state.views.compactMap(\.filter).filter { seen.insert($0).inserted }
  }

  /// Whether a recount of the views waited for its interval and may go now.
  func viewCountsOwedNow() -> Bool {
    viewCountOwed && Date().timeIntervalSince(lastViewCount) >= viewCountInterval
  }

  /// Hands the views' filters to the source to count with the next counts, when they are due.
  func prepareViewCounts() {
    guard let viewSource = source as? any ViewSource, let filters = viewFiltersDue() else { return }
    viewSource.countViewsNext(filters)
  }

  /// Takes the views' counts that came with the queue's.
  func takeViewCounts(_ counts: QueueCounts) {
    guard let views = counts.views else { return }
    state.viewCounts.merge(views) { _, new in new }
  }

  func apply(_ effect: ViewEffect) {
    if effect == .open {
      // The view's first window is read on its key, before the key's one frame: a frame drawn
      // before it would show the last view's rows under the new view's name (see DECISIONS).
      apply(.reload)
      return
    }
    guard let viewSource = source as? any ViewSource else {
      state.message = StatusMessage(state.strings[ViewText.viewNotKept], isError: true)
      return
    }
    let s = state.strings
    do {
      switch effect {
      case .save(let name, let filter):
        let view = try viewSource.saveView(name: name, filter: filter, actor: state.actor)
        state.message = StatusMessage("\(s[ViewText.viewSaved]): \(view.position) \(view.name)")
        loadViews()
        state.activeView = view.position
      case .rename(let name, let newName):
        try viewSource.renameView(name, to: newName, actor: state.actor)
        state.message = StatusMessage("\(s[ViewText.viewRenamed]): \(newName)")
        loadViews()
      case .delete(let name):
        try viewSource.deleteView(name, actor: state.actor)
        state.message = StatusMessage("\(s[ViewText.viewDeleted]): \(name)")
        loadViews()
      case .open:
        return
      }
      ownWriteSeen()
      loadCounts()
    } catch {
      state.message = StatusMessage("\(error)", isError: true)
    }
  }
}

import Desk
import Foundation
import Inbox
import TerminalUI

/// The inbox's window on the queue: which rows are loaded, where the selection stays when rows
/// move or arrive, the counts, the draft's autosave and the reply editor's mention. Only the rows
/// around the screen are in memory; they are read by key next to the selected mention where the
/// source can, by position otherwise.
extension InboxApp {
  /// Rows of the queue under the filter found by key: nil when the source pages by position only,
  /// the mention is gone, or the store failed (which the status line then says).
  private func queueRows(_ page: QueuePage, limit: Int, at time: Date) -> [QueueRow]? {
    attempt(.queue) { try source.window(state.filter, page: page, limit: limit, now: time) } ?? nil
  }

  /// Rows of the queue under the filter by position: nil when the store failed (which the status
  /// line then says).
  private func queueRows(offset: Int, limit: Int, at time: Date) -> [QueueRow]? {
    attempt(.queue) { try source.window(state.filter, offset: offset, limit: limit, now: time) }
  }

  /// Reloads the escalation pane's board, with the figures as last counted.
  func loadBoard() {
    guard let supervisorSource else { return }
    let time = now()
    lastBoard = time
    do {
      var board = try supervisorSource.board(now: time)
      board.figures = supervisorSource.figures(now: time) ?? state.supervisor.board?.figures
      state.supervisor.replace(board)
    } catch {
      state.message = StatusMessage("\(error)", isError: true)
    }
  }

  /// Keeps the open editor's view of teammates current: who else drafts, what was sent since.
  func refreshReply() {
    guard let r = state.reply,
      let opening = attempt(.reply, { try source.openReply(mentionID: r.mention.id, actor: state.actor) })
    else { return }
    state.reply?.othersDrafting = opening.othersDrafting
    state.reply?.earlier = opening.earlier
  }

  /// Saves the draft being typed when an edit has waited `draftDelay` (or now, with `force`), so
  /// a crash or a closed terminal loses at most that.
  func saveDraftIfDue(force: Bool) {
    guard let r = state.reply, r.unsaved else {
      draftDirtySince = nil
      return
    }
    let since = draftDirtySince ?? Date()
    guard force || Date().timeIntervalSince(since) >= draftDelay else { return }
    let mode: ReplyMode = r.mode == .holding ? .holding : .reply
    do {
      try notStalled()
      try source.saveDraft(mentionID: r.mention.id, mode: mode, text: r.editor.text, actor: state.actor)
      state.reply?.unsaved = false
      state.reply?.hasDraft = !r.editor.text.isEmpty
      draftDirtySince = nil
      draftReachedStore(mentionID: r.mention.id)
      // Our own save is no news to reload for.
      ownWriteSeen()
    } catch let erased as MentionErased {
      // Nothing may be kept on an erased mention: the editor closes with the reason.
      state.reply = nil
      state.mode = .queue
      state.message = StatusMessage(erased.description, isError: true)
      draftDirtySince = nil
      detailID = nil
      reload()
    } catch {
      keepDraftLocally(r, mode: mode, error: error)
      draftDirtySince = Date()
    }
    dirty = true
  }

  func loadCounts() {
    // The sources' health is one small read: it follows every change, whoever counts; on a
    // server not twice within `sideReadInterval` (`readOutsideTheFeed` read it after others' commits).
    if sideReadInterval == 0 || Date().timeIntervalSince(lastSideReads) >= sideReadInterval {
      _ = loadSourceHealth()
    }
    prepareViewCounts()
    if source.requestCounts(state.filter, now: now()) {
      countPending = true
      return
    }
    if let counts = attempt(.counts, { try source.counts(now: now()) }) {
      state.counts = counts
      takeViewCounts(counts)
    }
  }

  /// Takes the counts a source finished off this thread; true when something changed.
  @discardableResult
  func takeCounts() -> Bool {
    guard let done = source.finishedCounts() else { return false }
    guard done.count >= 0 else {
      // The count failed (the store out of reach a moment, a call that waited too long): asked
      // again at the next count's time, not only after someone else's next change, or the
      // status line keeps a stale count while the queue moved on.
      countPending = false
      follower.countOwed = true
      return false
    }
    state.counts = done.counts
    takeViewCounts(done.counts)
    // For another filter: a newer request is on its way.
    guard done.filter == state.filter else { return true }
    countPending = false
    let height = max(1, state.layout.queueListHeight)
    defer {
      if endAfterCount != nil {
        endAfterCount = nil
        state.list.end(height: height)
        state.selectionMoved()
        syncWindow()
      }
    }
    if windowAtEnd && !state.rows.isEmpty && state.windowOffset == 0 {
      // The loaded rows are the whole queue: they say how long it is, not a count taken at
      // another moment (a later change reloads them; an earlier count is stale).
      state.list.setCount(state.rows.count, height: height)
    } else if windowAtEnd && !state.rows.isEmpty {
      // The loaded rows are the queue's last: they stay last whatever the count says. The
      // selection is found again by its mention below (`syncWindow`), not moved by the shift.
      let shift = done.count - (state.windowOffset + state.rows.count)
      state.windowOffset = max(0, state.windowOffset + shift)
      state.list.setCount(done.count, height: height)
    } else {
      state.list.setCount(done.count, height: height)
    }
    syncWindow()
    return true
  }

  /// Recounts and reloads the window, keeping the selection on the same mention wherever it
  /// went (`placeSelection`); with `announce`, says so when it left the queue because of a change
  /// made elsewhere.
  ///
  /// With `countLater`, the queue's length is taken from the first window (for the first frame)
  /// and counted properly on the next reload. Deep in the queue the rows are found again by key
  /// from the first one shown, not by counting to them: positions there may drift by what
  /// arrived above until the next jump to the top.
  ///
  /// Without `recount` the length stays the last one counted (or what the rows prove) until the
  /// next count; without `refreshDetail` the selected mention's detail is kept when the
  /// selection stays on it.
  func reload(
    countLater: Bool = false, announce: Bool = false, recount: Bool = true, refreshDetail: Bool = true
  ) {
    let height = max(1, state.layout.queueListHeight)
    let limit = height * 3
    let time = now()
    let keep = state.selectedID
    let previous = state.rows
    let sameFilter = countedFilter == state.filter
    var start = max(0, state.list.offset - height)
    var rows: [QueueRow]?
    if sameFilter && start >= Self.keysetDepth {
      if windowAtEnd {
        rows = queueRows(.end, limit: limit, at: time)
      } else if let first = state.row(at: start) {
        rows = queueRows(.from(first.id), limit: limit, at: time)
        if let found = rows { windowAtEnd = found.count < limit }
      }
    }
    let byPosition = rows == nil
    if byPosition {
      rows = queueRows(offset: start, limit: limit, at: time)
      // A store that fails keeps the rows shown for this filter (the status line says why): the
      // queue does not look empty.
      if rows == nil && sameFilter && !previous.isEmpty { return }
      windowAtEnd = (rows?.count ?? 0) < limit
    }
    let loaded = rows ?? []
    var count: Int
    if countLater {
      count = start + loaded.count
    } else if !recount {
      count = sameFilter ? max(state.list.count, start + loaded.count) : start + loaded.count
      if windowAtEnd && byPosition { count = start + loaded.count }
    } else if source.requestCounts(state.filter, now: time) {
      countPending = true
      // Until the count comes: the last one for this filter, or what the rows prove.
      count = sameFilter ? max(state.list.count, start + loaded.count) : start + loaded.count
      if windowAtEnd && byPosition { count = start + loaded.count }
    } else {
      count = attempt(.counts) { try source.count(state.filter, now: time) } ?? 0
    }
    if windowAtEnd && !byPosition { start = max(0, count - loaded.count) }
    countedFilter = state.filter
    state.list.setCount(count, height: height)
    state.windowOffset = start
    state.rows = loaded
    placeSelection(keep, previous: previous, announce: announce)
    if refreshDetail { detailID = nil }
    syncWindow()
  }

  /// Puts the list's index on the mention `keep` (the selection): in the loaded window when it
  /// is there; else where the store says it now stands (many arrivals above it, or it moved),
  /// with the rows around it loaded; else, when it left the queue (closed under a filter,
  /// snoozed, erased), on its neighbour, and with `announce` the status line says so: the
  /// selection never goes silently to another customer.
  func placeSelection(_ keep: Int64?, previous: [QueueRow], announce: Bool) {
    guard let keep else { return }
    let height = max(1, state.layout.queueListHeight)
    if let local = state.rows.firstIndex(where: { $0.id == keep }) {
      state.list.select(state.windowOffset + local, height: height)
      state.selectedID = keep
      return
    }
    if let position = attempt(.queue, { try source.position(of: keep, state.filter, now: now()) }) ?? nil {
      loadWindow(around: keep, at: position, height: height)
      if let local = state.rows.firstIndex(where: { $0.id == keep }) {
        state.list.select(state.windowOffset + local, height: height)
        state.selectedID = keep
        return
      }
    }
    // Gone from this view: the next mention it was shown with, else the one before it.
    let gone = previous.first { $0.id == keep } ?? state.detail.flatMap { $0.row.id == keep ? $0.row : nil }
    let old = previous.firstIndex { $0.id == keep }
    let after = old.map { Array(previous[($0 + 1)...]) } ?? []
    let before = old.map { Array(previous[..<$0].reversed()) } ?? []
    let neighbour = (after + before).first { row in state.rows.contains { $0.id == row.id } }
    state.selectedID = nil
    if let neighbour {
      placeSelection(neighbour.id, previous: [], announce: false)
    } else {
      state.selectionMoved()
    }
    guard announce, let gone else { return }
    let strings = state.strings
    var text = "#\(gone.id) @\(TerminalSafe.sanitize(gone.mention.author.handle)) \(strings[.selectionLeft])"
    if let now = state.selectedRow {
      text += "; \(strings[.selectionNowOn]) #\(now.id) @\(TerminalSafe.sanitize(now.mention.author.handle))"
    }
    state.message = StatusMessage(text)
  }

  /// Loads the rows around a mention at a known position: the screenful before it by key and
  /// the rest from it, or by position when the source pages by position only.
  private func loadWindow(around id: Int64, at position: Int, height: Int) {
    let time = now()
    let limit = height * 3
    if let above = queueRows(.before(id), limit: height, at: time),
      let from = queueRows(.from(id), limit: limit - above.count, at: time)
    {
      state.rows = above + from
      state.windowOffset = max(0, position - above.count)
      windowAtEnd = from.count < limit - above.count
    } else {
      let start = max(0, position - height)
      state.rows =
        queueRows(offset: start, limit: limit, at: time) ?? []
      state.windowOffset = start
      windowAtEnd = state.rows.count < limit
    }
    let end = state.windowOffset + state.rows.count
    if windowAtEnd && !countPending || state.list.count < end {
      state.list.setCount(end, height: height)
    }
  }

  /// Loads the rows on screen when the window doesn't cover them, then the selected detail.
  func syncWindow() {
    let height = max(1, state.layout.queueListHeight)
    if let waiting = endAfterCount, state.list.selected != waiting { endAfterCount = nil }
    if countPending, !windowAtEnd, let selected = state.list.selected, selected == state.list.count - 1,
      selected > (lastSelected ?? 0) + 1
    {
      // A jump to the end before the queue was counted: the end is found once the count (and
      // which parts of the queue the filter leaves empty) is known, so this key does not wait.
      endAfterCount = selected
    }
    let visible = state.list.visibleRange(height: height)
    let loaded = state.windowOffset..<(state.windowOffset + state.rows.count)
    let needed = visible.isEmpty ? visible : visible.clamped(to: 0..<state.list.count)
    if !needed.isEmpty && !(loaded.contains(needed.lowerBound) && loaded.contains(needed.upperBound - 1)) {
      loadWindow(covering: needed, height: height)
    }
    if let id = state.selectedID {
      // The selection is a mention: its index follows wherever the window put it.
      if let local = state.rows.firstIndex(where: { $0.id == id }) {
        if state.list.selected != state.windowOffset + local {
          state.list.select(state.windowOffset + local, height: height)
        }
      } else {
        placeSelection(id, previous: state.detail.map { [$0.row] } ?? [], announce: true)
      }
    } else {
      state.selectionMoved()
    }
    lastSelected = state.list.selected
    let selected = state.selectedID
    if selected != detailID || (selected != nil && state.detail == nil && state.detailLoading == nil) {
      detailID = selected
      state.detailScroll = 0
      loadDetail(selected)
    }
  }

  /// Loads a window of rows around `needed`: next to the loaded rows by key, at the queue's end
  /// by key, anywhere else by position. Finding rows by key costs the same at row 30 and at row
  /// 999,970 of a million; counting to them does not.
  private func loadWindow(covering needed: Range<Int>, height: Int) {
    let time = now()
    let limit = height * 3
    let start = max(0, needed.lowerBound - height)
    let loadedStart = state.windowOffset
    let loadedEnd = state.windowOffset + state.rows.count
    let rows = state.rows
    if let last = rows.last, start > loadedStart, start <= loadedEnd {
      // Further down, next to what is loaded.
      let kept = Array(rows[(start - loadedStart)...])
      let wanted = limit - kept.count
      if let more = queueRows(.after(last.id), limit: wanted, at: time) {
        state.rows = kept + more
        state.windowOffset = start
        windowAtEnd = more.count < wanted
        if windowAtEnd && !countPending && start + state.rows.count < state.list.count {
          // The queue is shorter than counted (mentions left it since).
          state.list.setCount(start + state.rows.count, height: height)
        }
        return
      }
    }
    if let first = rows.first, start < loadedStart, start + limit >= loadedStart {
      // Further up, next to what is loaded.
      let wanted = loadedStart - start
      if let above = queueRows(.before(first.id), limit: wanted, at: time),
        above.count == wanted
      {
        let kept = rows.prefix(limit - wanted)
        windowAtEnd = windowAtEnd && kept.count == rows.count
        state.rows = above + kept
        state.windowOffset = start
        return
      }
    }
    if start > 0, start + limit >= state.list.count,
      let last = queueRows(.end, limit: state.list.count - start, at: time)
    {
      // The queue's end, found from the end.
      state.rows = last
      state.windowOffset = max(0, state.list.count - last.count)
      windowAtEnd = true
      return
    }
    state.rows =
      queueRows(offset: start, limit: limit, at: time) ?? []
    state.windowOffset = start
    windowAtEnd = state.rows.count < limit
  }
}

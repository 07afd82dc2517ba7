import Desk
import Foundation
import Inbox
import TerminalUI

/// The inbox's loop: one thread owns the terminal; it waits for a key with a short timeout,
/// notices other processes' changes through the store's change token, reduces, carries out the
/// effects, and redraws when something changed.
public final class InboxApp {
  public internal(set) var state: InboxState
  public var theme: Theme
  public let keys: ModalKeyMap<InboxMode, InboxCommand>
  let terminal: any Terminal
  let source: any InboxSource
  let now: () -> Date
  /// How long to wait for a key before looking at the store again.
  public var pollInterval: Duration = .milliseconds(100)
  var lastToken: Int64?
  var lastMark: [Int64] = []
  private var lastTick = Date.distantPast
  private var lastWake = Date.distantPast
  var seenNewestID: Int64 = 0
  var dirty = true
  private var detailID: Int64?
  private var countsLoaded = false
  /// The escalation pane's data and actions (nil: the pane shows nothing to load).
  public var supervisorSource: (any SupervisorSource)?
  private var lastBoard = Date.distantPast
  private var lastRules = Date.distantPast
  /// When the first edit not yet saved as a draft was made (wall clock, for the debounce).
  private var draftDirtySince: Date?
  /// How long an edit may wait before the draft is saved: kill -9 loses at most this (plus one
  /// loop pass of 100 ms).
  public var draftDelay: TimeInterval = 0.5
  /// Runs `$EDITOR` on a text and returns the edited text (nil: unchanged or failed), with the
  /// terminal suspended around it. Set by the executable; nil in memory.
  public var externalEditor: ((String) -> Result<String?, ExternalEditorError>)?
  /// The filter the queue's length was last asked for, and whether that count is still on its way
  /// (the list's count is then what the loaded rows prove, or the last count).
  private var countedFilter: QueueFilter?
  var countPending = false
  /// The loaded rows are the queue's last ones (fetched from its end, or a fetch came back short).
  var windowAtEnd = false
  private var lastSelected: Int?
  /// A jump to the end made before the count came: where the selection was left meanwhile.
  private var endAfterCount: Int?
  /// Above this position a reload finds its rows by key, not by counting to them.
  static let keysetDepth = 1000
  /// Other processes' changes, read from the store's change feed and taken together.
  var follower = ChangeFollower()
  /// At most one refresh for other processes' changes per this many seconds (0: at once, as
  /// tests want; the executable sets a few per second).
  public var refreshInterval: TimeInterval = 0
  /// At most one recount of the queue and the status line per this many seconds after changes.
  public var countInterval: TimeInterval = 0

  public init(
    terminal: any Terminal, source: any InboxSource, theme: Theme, strings: Strings, actor: String,
    storeLabel: String, now: @escaping () -> Date
  ) {
    self.terminal = terminal
    self.source = source
    self.theme = theme.reduced(to: terminal.colorDepth)
    self.now = now
    keys = InboxKeys.table(strings)
    state = InboxState(
      strings: strings, actor: actor, storeLabel: storeLabel, size: terminal.size, now: now())
  }

  /// Sets who may open the escalation pane and whether it opens first (`--supervisor`).
  public func configureSupervisor(_ source: (any SupervisorSource)?, allowed: Bool, open: Bool) {
    supervisorSource = source
    state.supervisor.allowed = allowed
    if open && allowed {
      state.supervisor.active = true
      state.mode = .supervisor
    }
  }

  /// Shows a problem (a broken theme file) in the status line until the first key.
  public func report(problem: String) { state.themeProblem = problem }

  /// Runs until the responder quits, the input closes or a signal arrives. The caller restores
  /// the terminal (`shutdown`) afterwards, also when this throws.
  public func run() {
    start()
    while runPass() {}
  }

  /// One pass of the loop: waits for an event, takes what was typed ahead with it (fast typing, a
  /// paste: handled in the same pass, so checked and drawn once; at most `burstLimit`, so a long
  /// paste still shows progress), then steps. Returns false when the inbox should end.
  public func runPass() -> Bool {
    guard let first = terminal.nextEvent(timeout: pollInterval) else { return step(nil) }
    var events = [first]
    while events.count < Self.burstLimit, let next = terminal.queuedEvent() { events.append(next) }
    return step(events)
  }

  /// At most this many waiting events are handled in one loop pass.
  public static let burstLimit = 256

  /// Loads the first window and draws the first frame; the counts follow in a second frame, so
  /// the queue shows before the store has counted a million mentions.
  public func start() {
    state.closing = source.closing
    seenNewestID = attempt(.newest) { try source.newestID() } ?? 0
    lastToken = attempt(.changes) { try source.changeToken() }
    lastMark = attempt(.changes) { try source.contentMark() } ?? []
    follower.start(from: source)
    reload(countLater: true)
    draw()
    reload()
    loadCounts()
    if state.supervisor.active { loadBoard() }
    draw()
  }

  /// Handles one event (nil: the wait timed out); returns false when the inbox should end.
  @discardableResult
  public func step(_ event: TerminalUI.Event?) -> Bool { step(event.map { [$0] } ?? []) }

  /// One loop pass: handles the events that came in together (a burst of typing, a paste), then
  /// the per-pass chores, then draws once; returns false when the inbox should end.
  @discardableResult
  public func step(_ events: [TerminalUI.Event]) -> Bool {
    for event in events {
      if case .key = event { lookedAt() }
      let effects = state.handle(event, keys: keys)
      dirty = true
      for effect in effects {
        if effect == .quit {
          saveDraftIfDue(force: true)
          return false
        }
        apply(effect)
      }
      if state.reply?.unsaved == true, draftDirtySince == nil { draftDirtySince = Date() }
    }
    tick()
    if dirty { draw() }
    return true
  }

  /// The per-pass chores: other processes' changes, the clock, snoozes waking.
  func tick() {
    saveDraftIfDue(force: false)
    let time = now()
    if let token = attempt(.changes, { try source.changeToken() }), token != lastToken {
      lastToken = token
      // Another process committed: from the change feed when the store keeps one. The sources'
      // health (a watcher's cursors, outside the feed) is one small read.
      if follower.take(from: source) {
        if loadSourceHealth() { dirty = true }
      } else {
        reloadForAnyChange()
      }
    }
    // Only what changed on screen is drawn again.
    let shown = ScreenFacts(state)
    if let changed = follower.due(interval: refreshInterval) {
      refresh(changed)
    } else if follower.countDue(interval: countInterval) {
      loadCounts()
      loadArrivals()
    }
    takeCounts()
    if ScreenFacts(state) != shown { dirty = true }
    // The time-based escalation rules run in every inbox; they raise each escalation once.
    if time.timeIntervalSince(lastRules) >= 30, let supervisorSource {
      lastRules = time
      _ = attempt(.escalationRules) { try supervisorSource.evaluateEscalationRules(now: time) }
    }
    // Ages on the pane move on by themselves; the figures arrive from their background count.
    if state.supervisor.active {
      if time.timeIntervalSince(lastBoard) >= 10 {
        loadBoard()
        dirty = true
      } else if state.supervisor.board != nil, let figures = supervisorSource?.figures(now: time),
        figures != state.supervisor.board?.figures
      {
        state.supervisor.board?.figures = figures
        dirty = true
      }
    }
    if time.timeIntervalSince(lastWake) >= 5 {
      lastWake = time
      if let woken = attempt(.snoozes, { try source.wakeSnoozed(now: time) }), woken > 0 { dirty = true }
    }
    // Ages tick: redraw when the minute, or the seconds of a young mention, move on.
    if time.timeIntervalSince(lastTick) >= 1 {
      lastTick = time
      state.now = time
      dirty = true
    }
  }

  private func lookedAt() {
    if state.newArrivals > 0 {
      seenNewestID = attempt(.newest) { try source.newestID() } ?? seenNewestID
      state.newArrivals = 0
    }
  }

  private func draw() {
    state.now = now()
    // The pass's edits are checked once, here: what is drawn is the checks on the text drawn.
    state.reply?.recheckIfPending()
    terminal.present(InboxRenderer.render(state, theme: theme, keys: keys))
    dirty = false
  }

  func apply(_ effect: InboxEffect) {
    switch effect {
    case .syncWindow:
      syncWindow()
    case .reload:
      reload()
      if !state.filter.search.isEmpty, let backlog = attempt(.search, { try source.searchBacklog() }),
        backlog > 0
      {
        state.message = StatusMessage("\(state.strings[.indexing]): \(backlog)")
      }
    case .jumpToUnclaimed:
      do {
        if let offset = try source.firstUnclaimed(state.filter, now: now()) {
          state.list.select(offset, height: state.layout.queueListHeight)
          state.selectionMoved()
          syncWindow()
        } else {
          state.message = StatusMessage(state.strings[.noUnclaimed])
        }
      } catch {
        state.message = StatusMessage("\(error)", isError: true)
      }
    case .perform(let action, let ids):
      do {
        let confirmation = try source.perform(action, on: ids, actor: state.actor)
        state.message = confirmation.map { StatusMessage($0) }
        state.marked.removeAll()
        state.selecting = false
        detailID = nil
        ownWriteSeen()
        reload()
        loadCounts()
      } catch {
        state.message = StatusMessage("\(error)", isError: true)
      }
    case .loadBoard:
      loadBoard()
    case .supervise(let action):
      do {
        let confirmation = try supervisorSource?.supervise(action, actor: state.actor)
        state.message = confirmation.map { StatusMessage($0) }
        ownWriteSeen()
        loadBoard()
      } catch {
        state.message = StatusMessage("\(error)", isError: true)
      }
    case .takeBack(let id):
      do {
        let mode = try source.takeBackReply(mentionID: id, actor: state.actor)
        guard let detail = try source.detail(id: id, now: now()) else { return }
        let opening = try source.openReply(mentionID: id, actor: state.actor)
        state.openEditor(detail, mode: mode, opening: opening, now: now())
        state.message = StatusMessage(state.strings[.takenBack])
        reload()
      } catch {
        state.message = StatusMessage("\(error)", isError: true)
      }
    case .openEditor(let id, let mode):
      do {
        guard let detail = try source.detail(id: id, now: now()) else { return }
        let opening = try source.openReply(mentionID: id, actor: state.actor)
        state.openEditor(detail, mode: mode, opening: opening, now: now())
      } catch {
        state.message = StatusMessage("\(error)", isError: true)
      }
    case .closeEditor:
      saveDraftIfDue(force: true)
      guard state.reply != nil else { return }  // closed already: the mention was erased
      let kept = state.reply?.hasDraft == true
      if state.reply?.unsaved == true { return }  // not saved: stay, the error is shown
      state.reply = nil
      state.mode = .queue
      state.message = kept ? StatusMessage(state.strings[.draftKept]) : nil
      detailID = nil
      reload()
    case .assessReply:
      guard let request = state.replyRequest(confirmed: false) else { return }
      do {
        if state.takeAssessment(try source.assessReply(request, now: now())) { apply(.sendReply) }
      } catch {
        state.message = StatusMessage("\(error)", isError: true)
      }
    case .sendReply:
      guard let request = state.replyRequest(confirmed: true) else { return }
      do {
        let sent = try source.sendReply(request, now: now())
        draftDirtySince = nil
        state.replySent(sent)
        detailID = nil
        ownWriteSeen()
        reload()
        loadCounts()
      } catch let refusal as ReplyRefusal {
        _ = state.takeAssessment(refusal.assessment)
      } catch {
        state.message = StatusMessage("\(error)", isError: true)
      }
    case .externalEditor:
      guard let text = state.reply?.editor.text else { return }
      guard let run = externalEditor else {
        state.message = StatusMessage(state.strings[.noExternalEditor], isError: true)
        return
      }
      var result: Result<String?, ExternalEditorError> = .success(nil)
      terminal.suspend { result = run(text) }
      switch result {
      case .success(let edited?): state.takeExternalText(edited)
      case .success(nil): break
      case .failure(let error):
        state.message = StatusMessage("\(state.strings[.externalEditorFailed]): \(error)", isError: true)
      }
    case .quit:
      break
    }
  }

  /// Runs one of the store's reads for the loop. When it fails the inbox carries on with what it
  /// has (nil) and the status line says what could not be read and why, in one short line: a store
  /// that fails must not look like an empty queue.
  func attempt<Value>(_ what: StoreRead, _ read: () throws -> Value) -> Value? {
    do {
      return try read()
    } catch {
      let message = StatusMessage(what.failure(error, state.strings.language), isError: true)
      if state.message != message {
        state.message = message
        dirty = true
      }
      return nil
    }
  }

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
    do {
      let mode: ReplyMode = r.mode == .holding ? .holding : .reply
      try source.saveDraft(mentionID: r.mention.id, mode: mode, text: r.editor.text, actor: state.actor)
      state.reply?.unsaved = false
      state.reply?.hasDraft = !r.editor.text.isEmpty
      draftDirtySince = nil
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
      state.message = StatusMessage("\(error)", isError: true)
      draftDirtySince = Date()
    }
    dirty = true
  }

  func loadCounts() {
    // The sources' health is one small read: it follows every change, whoever counts.
    _ = loadSourceHealth()
    if source.requestCounts(state.filter, now: now()) {
      countPending = true
      return
    }
    if let counts = attempt(.counts, { try source.counts(now: now()) }) { state.counts = counts }
  }

  /// Takes the counts a source finished off this thread; true when something changed.
  @discardableResult
  func takeCounts() -> Bool {
    guard let done = source.finishedCounts() else { return false }
    guard done.count >= 0 else {
      countPending = false
      return false
    }
    state.counts = done.counts
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
    if selected != detailID || (selected != nil && state.detail == nil) {
      detailID = selected
      state.detailScroll = 0
      state.detail = selected.flatMap { id in
        attempt(.detail) { try source.detail(id: id, now: now()) } ?? nil
      }
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

/// Why `$EDITOR` could not edit the reply.
public struct ExternalEditorError: Error, CustomStringConvertible, Sendable {
  public var description: String

  public init(_ description: String) { self.description = description }
}

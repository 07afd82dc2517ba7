import Foundation
import Inbox
import TerminalUI

/// The inbox's loop: one thread owns the terminal; it waits for a key with a short timeout,
/// notices other processes' changes through the store's change token, reduces, carries out the
/// effects, and redraws when something changed.
public final class InboxApp {
  public private(set) var state: InboxState
  public var theme: Theme
  public let keys: ModalKeyMap<InboxMode, InboxCommand>
  let terminal: any Terminal
  let source: any InboxSource
  let now: () -> Date
  /// How long to wait for a key before looking at the store again.
  public var pollInterval: Duration = .milliseconds(100)
  private var lastToken: Int64?
  private var lastMark: [Int64] = []
  private var lastTick = Date.distantPast
  private var lastWake = Date.distantPast
  private var seenNewestID: Int64 = 0
  private var dirty = true
  private var detailID: Int64?
  private var countsLoaded = false
  /// When the first edit not yet saved as a draft was made (wall clock, for the debounce).
  private var draftDirtySince: Date?
  /// How long an edit may wait before the draft is saved: kill -9 loses at most this (plus one
  /// loop pass of 100 ms).
  public var draftDelay: TimeInterval = 0.5
  /// Runs `$EDITOR` on a text and returns the edited text (nil: unchanged or failed), with the
  /// terminal suspended around it. Set by the executable; nil in memory.
  public var externalEditor: ((String) -> Result<String?, ExternalEditorError>)?

  public init(
    terminal: any Terminal, source: any InboxSource, theme: Theme, strings: Strings, actor: String,
    storeLabel: String, now: @escaping () -> Date = Date.init
  ) {
    self.terminal = terminal
    self.source = source
    self.theme = theme.reduced(to: terminal.colorDepth)
    self.now = now
    keys = InboxKeys.table(strings)
    state = InboxState(
      strings: strings, actor: actor, storeLabel: storeLabel, size: terminal.size, now: now())
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
    seenNewestID = (try? source.newestID()) ?? 0
    lastToken = try? source.changeToken()
    lastMark = (try? source.contentMark()) ?? []
    reload(countLater: true)
    draw()
    reload()
    loadCounts()
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
    if let token = try? source.changeToken(), token != lastToken {
      lastToken = token
      // Another process committed: reload when mentions or events changed, not for an index.
      if let mark = try? source.contentMark(), mark != lastMark {
        lastMark = mark
        reload()
        refreshReply()
      }
      loadCounts()
      state.newArrivals = (try? source.arrivals(after: seenNewestID)) ?? 0
      dirty = true
    }
    if time.timeIntervalSince(lastWake) >= 5 {
      lastWake = time
      if let woken = try? source.wakeSnoozed(now: time), woken > 0 { dirty = true }
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
      seenNewestID = (try? source.newestID()) ?? seenNewestID
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
      if !state.filter.search.isEmpty, let backlog = try? source.searchBacklog(), backlog > 0 {
        state.message = StatusMessage("\(state.strings[.indexing]): \(backlog)")
      }
    case .jumpToUnclaimed:
      do {
        if let offset = try source.firstUnclaimed(state.filter, now: now()) {
          state.list.select(offset, height: state.layout.queueListHeight)
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
        lastToken = try? source.changeToken()
        lastMark = (try? source.contentMark()) ?? lastMark
        reload()
        loadCounts()
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
        lastToken = try? source.changeToken()
        lastMark = (try? source.contentMark()) ?? lastMark
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

  /// Keeps the open editor's view of teammates current: who else drafts, what was sent since.
  private func refreshReply() {
    guard let r = state.reply,
      let opening = try? source.openReply(mentionID: r.mention.id, actor: state.actor)
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
      lastToken = try? source.changeToken()
      lastMark = (try? source.contentMark()) ?? lastMark
    } catch {
      state.message = StatusMessage("\(error)", isError: true)
      draftDirtySince = Date()
    }
    dirty = true
  }

  private func loadCounts() {
    if let counts = try? source.counts(now: now()) { state.counts = counts }
    if let reporter = source as? any SourceHealthReporting {
      state.sourceHealth = try? reporter.sourceHealth()
    }
  }

  /// Recounts and reloads the window, keeping the selection on the same mention when it is
  /// still near where it was.
  ///
  /// With `countLater`, the queue's length is taken from the first window (for the first frame)
  /// and counted properly on the next reload.
  func reload(countLater: Bool = false) {
    let height = max(1, state.layout.queueListHeight)
    let time = now()
    let keep = state.selectedID
    let start = max(0, state.list.offset - height)
    let rows = (try? source.window(state.filter, offset: start, limit: height * 3, now: time)) ?? []
    let count = countLater ? start + rows.count : ((try? source.count(state.filter, now: time)) ?? 0)
    state.list.setCount(count, height: height)
    state.windowOffset = start
    state.rows = rows
    if let keep, let local = rows.firstIndex(where: { $0.id == keep }) {
      state.list.select(start + local, height: height)
    }
    detailID = nil
    syncWindow()
  }

  /// Loads the rows on screen when the window doesn't cover them, then the selected detail.
  func syncWindow() {
    let height = max(1, state.layout.queueListHeight)
    let visible = state.list.visibleRange(height: height)
    let loaded = state.windowOffset..<(state.windowOffset + state.rows.count)
    let needed = visible.isEmpty ? visible : visible.clamped(to: 0..<state.list.count)
    if !needed.isEmpty && !(loaded.contains(needed.lowerBound) && loaded.contains(needed.upperBound - 1)) {
      let start = max(0, needed.lowerBound - height)
      state.rows = (try? source.window(state.filter, offset: start, limit: height * 3, now: now())) ?? []
      state.windowOffset = start
    }
    let selected = state.selectedRow?.id
    state.selectedID = selected
    if selected != detailID || (selected != nil && state.detail == nil) {
      detailID = selected
      state.detailScroll = 0
      state.detail = selected.flatMap { try? source.detail(id: $0, now: now()) }
    }
  }
}

/// Why `$EDITOR` could not edit the reply.
public struct ExternalEditorError: Error, CustomStringConvertible, Sendable {
  public var description: String

  public init(_ description: String) { self.description = description }
}

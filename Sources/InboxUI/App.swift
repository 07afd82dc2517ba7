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
  /// Whether others may have committed since the last look, where the store can tell without a
  /// read (a server's notifications: `ServerChangeSignal.takeNotice`); nil asks the store every
  /// pass (a file's `data_version` is a read of shared memory, not a round trip).
  public var mayHaveChanged: (() -> StoreNews)?
  /// Called when the store answers again after an outage: the change signal listens anew
  /// (`ServerChangeSignal.renew`; its old connection may be dead without knowing it).
  public var storeReturned: (() -> Void)?
  var lastToken: Int64?
  var lastMark: [Int64] = []
  private var lastTick = Date.distantPast
  private var lastWake = Date.distantPast
  var seenNewestID: Int64 = 0
  var dirty = true
  var detailID: Int64?
  private var countsLoaded = false
  /// The escalation pane's data and actions (nil: the pane shows nothing to load).
  public var supervisorSource: (any SupervisorSource)?
  /// The person behind the posts (`p`); nil: the person view cannot open.
  public var personStore: (any PersonStore)?
  var lastBoard = Date.distantPast
  private var lastRules = Date.distantPast
  /// When the first edit not yet saved as a draft was made (wall clock, for the debounce).
  var draftDirtySince: Date?
  /// How long an edit may wait before the draft is saved: kill -9 loses at most this (plus one
  /// loop pass of 100 ms).
  public var draftDelay: TimeInterval = 0.5
  /// Runs `$EDITOR` on a text and returns the edited text (nil: unchanged or failed), with the
  /// terminal suspended around it. Set by the executable; nil in memory.
  public var externalEditor: ((String) -> Result<String?, ExternalEditorError>)?
  /// Opens a post's link in the browser (`O`); nil: the link is shown to copy instead.
  public var linkOpener: (any LinkOpener)?
  /// The filter the queue's length was last asked for, and whether that count is still on its way
  /// (the list's count is then what the loaded rows prove, or the last count).
  var countedFilter: QueueFilter?
  var countPending = false
  /// The loaded rows are the queue's last ones (fetched from its end, or a fetch came back short).
  var windowAtEnd = false
  var lastSelected: Int?
  /// A jump to the end made before the count came: where the selection was left meanwhile.
  var endAfterCount: Int?
  /// Above this position a reload finds its rows by key, not by counting to them.
  static let keysetDepth = 1000
  /// Other processes' changes, read from the store's change feed and taken together.
  var follower = ChangeFollower()
  /// At most one refresh for other processes' changes per this many seconds (0: at once, as
  /// tests want; the executable sets a few per second).
  public var refreshInterval: TimeInterval = 0
  /// At most one recount of the queue and the status line per this many seconds after changes.
  public var countInterval: TimeInterval = 0
  /// The store's change token when the views were last counted (nil: count them next time).
  var viewsCountedAt: Int64?
  /// The views are counted again at most once per this many seconds after changes (0: at once,
  /// as tests want; the executable sets a few seconds: each view is a count of its own).
  public var viewCountInterval: TimeInterval = 0
  var lastViewCount = Date.distantPast
  var viewCountOwed = false
  /// The views and the sources' health (outside the change feed) are read again after others'
  /// changes at most once per this many seconds (0: with every look; the executable sets a few
  /// seconds on a server store, where each is a round trip per commit and per inbox).
  public var sideReadInterval: TimeInterval = 0
  var lastSideReads = Date.distantPast
  var sideReadsOwed = false
  /// Since when a frame for others' changes waits for the counts on their way (`screenChanged`).
  var frameHeldSince: Date?
  /// The last look's answer on the window, for the refresh that asks the same (`App+Look.swift`).
  var lookReach: (question: ReachKey, reaches: Bool)?
  /// The open person view's note and identities as last read, and whether another process
  /// committed since (the feed does not carry notes and links): see `App+PersonFollow.swift`.
  var personMark: PersonMark?
  var personCommitted = false
  var lastPersonCheck = Date.distantPast
  /// Where drafts go while the store cannot take them (nil: nowhere but the store); see
  /// `App+Connection.swift`.
  public var localDrafts: LocalDrafts?
  /// The store was out of reach at the last call: the next that goes through reads all again.
  var offline = false
  /// A draft of the open editor is on this machine, not yet in the store.
  var localDraftKept = false
  /// The last action that failed for want of the store, checked before it is done again.
  var unconfirmed: UnconfirmedAction?
  /// The detail and the timed chores are read on a thread of their own, not the loop's (a server
  /// store: `App+Reads.swift`); a file store reads them here.
  public var readsInBackground = false
  var reader: BackgroundReader?
  /// A background call has waited past `stallLimit`: the store is taken for out of reach.
  var readerStalled = false
  /// How long a background call may wait before the inbox says "reconnecting…" (seconds; tests
  /// set 0), counted from the end of the loop's last long pass (`noteLongPass`).
  public var stallLimit: TimeInterval = 1
  var loopHeldStore = Date.distantPast

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
    guard let first = terminal.nextEvent(timeout: waitTime()) else { return step(nil) }
    var events = [first]
    while events.count < Self.burstLimit, let next = terminal.queuedEvent() { events.append(next) }
    return step(events)
  }

  /// How long a pass waits for a key: the poll interval, or less when changes already seen may be
  /// refreshed sooner (so they are not left for a whole interval more).
  func waitTime() -> Duration {
    let wait = readsWaitTime.map { min(pollInterval, $0) } ?? pollInterval
    guard let due = follower.dueIn(interval: refreshInterval) ?? follower.takeDueIn(interval: refreshInterval)
    else { return wait }
    return min(wait, .milliseconds(Int((due * 1000).rounded(.up))))
  }

  /// At most this many waiting events are handled in one loop pass.
  public static let burstLimit = 256

  /// Loads the first window and draws the first frame; the counts follow in a second frame, so
  /// the queue shows before the store has counted a million mentions.
  public func start() {
    state.closing = source.closing
    configureNotices()
    loadNotices()
    seenNewestID = attempt(.newest) { try source.newestID() } ?? 0
    lastToken = attempt(.changes) { try source.changeToken() }
    lastMark = attempt(.changes) { try source.contentMark() } ?? []
    follower.start(from: source)
    loadViews()
    reload(countLater: true)
    draw()
    reload()
    loadCounts()
    if state.supervisor.active { loadBoard() }
    // The first reads held the store: the reader's first call waited behind them.
    noteLongPass(since: .distantPast)
    draw()
  }

  /// Handles one event (nil: the wait timed out); returns false when the inbox should end.
  @discardableResult
  public func step(_ event: TerminalUI.Event?) -> Bool { step(event.map { [$0] } ?? []) }

  /// One loop pass: handles the events that came in together (a burst of typing, a paste), then
  /// the per-pass chores, then draws once; returns false when the inbox should end.
  @discardableResult
  public func step(_ events: [TerminalUI.Event]) -> Bool {
    let began = Date()
    for event in events {
      if case .key = event { lookedAt() }
      let effects = state.handle(event, keys: keys)
      dirty = true
      for effect in effects {
        if effect == .quit {
          saveDraftIfDue(force: true)
          return false
        }
        showWaiting(for: effect)
        if !applyPerson(effect) { apply(effect) }
        clearWaiting()
      }
      if state.reply?.unsaved == true, draftDirtySince == nil { draftDirtySince = Date() }
    }
    noteLongPass(since: began)
    tick()
    noteLongPass(since: began)
    if dirty { draw() }
    return true
  }

  /// The per-pass chores: other processes' changes, the clock, snoozes waking.
  func tick() {
    takeReads()
    saveDraftIfDue(force: false)
    let time = now()
    // Offline, every pass asks (a call fails at once until the server is back, and the first
    // answer brings the inbox back); else only when the store may have news.
    let news: StoreNews = offline ? .ask : (mayHaveChanged?() ?? .ask)
    if readsInBackground {
      lookForChanges(news)
    } else if news != .nothing, let token = attempt(.changes, { try source.changeToken() }) {
      storeAnswered()
      tokenSeen(token)
    }
    // Others' commits are read from the store at most once per `refreshInterval`, however many
    // there were (issue 17): the feed gives every change since the last look in one read.
    if follower.takeDue(interval: refreshInterval) {
      // The token moved (a look in the background says so itself: `took`).
      if !looksInBackground { othersCommitted() }
      // From the change feed when the store keeps one.
      takeChanges()
    }
    readOutsideTheFeed()
    // Only what changed on screen is drawn again.
    let shown = ScreenFacts(state)
    if let changed = follower.due(interval: refreshInterval) {
      refresh(changed)
    } else if follower.countDue(interval: countInterval) {
      loadCounts()
      loadArrivals()
    }
    // The views' counts put off go with the next recount, or alone once one is not coming.
    if viewCountsOwedNow(), Date().timeIntervalSince(follower.lastCount) >= countInterval { loadCounts() }
    followPersonNoteAndLinks()
    takeCounts()
    if ScreenFacts(state) != shown { screenChanged() }
    takeHeldFrame()
    // The time-based escalation rules run in every inbox; they raise each escalation once.
    if time.timeIntervalSince(lastRules) >= 30, let supervisorSource {
      lastRules = time
      let rules = Unchecked(supervisorSource)
      chore(.escalationRules) { _ = try rules.value.evaluateEscalationRules(now: time) }
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
      // A woken mention moves the change token: the follower reloads for it.
      let snoozes = Unchecked(source)
      chore(.snoozes) { _ = try snoozes.value.wakeSnoozed(now: time) }
    }
    // Ages tick: redraw when a text the clock moves on screen reads differently (the minute, an
    // age, a deadline); a frame that would look the same is not built (issue 17).
    if time.timeIntervalSince(lastTick) >= 1 {
      lastTick = time
      if !dirty, time != state.now {
        let shown = InboxRenderer.clockTexts(state, now: state.now)
        if shown == nil || shown != InboxRenderer.clockTexts(state, now: time) { dirty = true }
      }
      state.now = time
    }
  }

  /// The store's change token as read: when it moved, someone else committed.
  func tokenSeen(_ token: Int64) {
    if token != lastToken {
      lastToken = token
      follower.tokenMoved()
      if looksInBackground { othersCommitted() }
    }
  }

  private func lookedAt() {
    if state.newArrivals > 0 {
      seenNewestID = attempt(.newest) { try source.newestID() } ?? seenNewestID
      state.newArrivals = 0
    }
  }

  func draw() {
    frameHeldSince = nil
    state.now = now()
    // The pass's edits are checked once, here: what is drawn is the checks on the text drawn.
    state.reply?.recheckIfPending()
    terminal.present(InboxRenderer.render(state, theme: theme, keys: keys))
    dirty = false
  }

  /// `n`: the most urgent open mention nobody claimed.
  func jumpToUnclaimed() {
    do {
      try notStalled()
      if let offset = try source.firstUnclaimed(state.filter, now: now()) {
        state.list.select(offset, height: state.layout.queueListHeight)
        state.selectionMoved()
        syncWindow()
      } else {
        state.message = StatusMessage(state.strings[.noUnclaimed])
      }
    } catch {
      actionFailed(error)
    }
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
      jumpToUnclaimed()
    case .perform(let action, let ids):
      perform(action, on: ids)
    case .view(let effect):
      apply(effect)
    case .openNotices, .openNotice: applyNotices(effect)
    case .loadBoard: loadBoard()
    case .supervise(let action):
      do {
        try notStalled()
        let confirmation = try supervisorSource?.supervise(action, actor: state.actor)
        state.message = confirmation.map { StatusMessage($0) }
        ownWriteSeen()
        loadBoard()
      } catch {
        actionFailed(error)
      }
    case .takeBack(let id):
      do {
        try notStalled()
        let mode = try source.takeBackReply(mentionID: id, actor: state.actor)
        guard let detail = try source.detail(id: id, now: now()) else { return }
        let opening = try source.openReply(mentionID: id, actor: state.actor)
        state.openEditor(detail, mode: mode, opening: opening, now: now())
        state.message = StatusMessage(state.strings[.takenBack])
        reload()
      } catch {
        actionFailed(error)
      }
    case .openEditor(let id, let mode):
      do {
        try notStalled()
        guard let detail = try source.detail(id: id, now: now()) else { return }
        var opening = try source.openReply(mentionID: id, actor: state.actor)
        let local = takeLocalDraft(&opening, mentionID: id)
        state.openEditor(detail, mode: mode, opening: opening, now: now())
        if local {
          state.reply?.unsaved = true
          draftDirtySince = .distantPast
          state.message = StatusMessage(state.strings[ConnectionText.draftBackFromHere])
        }
      } catch {
        actionFailed(error)
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
        try notStalled()
        if state.takeAssessment(try source.assessReply(request, now: now())) { apply(.sendReply) }
      } catch {
        actionFailed(error)
      }
    case .sendReply:
      guard let request = state.replyRequest(confirmed: true) else { return }
      do {
        try notStalled()
        let sent = try source.sendReply(request, now: now())
        draftReachedStore(mentionID: request.mentionID)
        draftDirtySince = nil
        state.replySent(sent)
        detailID = nil
        ownWriteSeen()
        reload()
        loadCounts()
      } catch let refusal as ReplyRefusal {
        _ = state.takeAssessment(refusal.assessment)
      } catch {
        actionFailed(error)
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
    case .snippets(let effect): snippets(effect)
    case .openLink(let link): openLink(link)
    case .copyLink(let link):
      terminal.copyToClipboard(link.url)
    case .quit, .openPerson, .morePerson, .personAct, .jumpToMention:  // the person's: App+Person.swift
      break
    }
  }

  /// An action on mentions: done, then the window and counts read again; one that may have
  /// committed before its answer was lost is checked first (`doneAlready`).
  func perform(_ action: InboxAction, on ids: [Int64]) {
    if doneAlready(action, on: ids) {
      state.message = StatusMessage(state.strings[ConnectionText.doneAlready])
      state.marked.removeAll()
      state.selecting = false
      detailID = nil
      reload()
      return
    }
    do {
      try notStalled()
      let confirmation = try source.perform(action, on: ids, actor: state.actor)
      unconfirmed = nil
      state.message = confirmation.map { StatusMessage($0) }
      state.marked.removeAll()
      state.selecting = false
      detailID = nil
      ownWriteSeen()
      reload()
      loadCounts()
    } catch {
      rememberUnconfirmed(action, on: ids)
      actionFailed(error)
    }
  }

  /// Runs one of the store's reads for the loop. When it fails the inbox carries on with what it
  /// has (nil) and the status line says what could not be read and why, in one short line: a store
  /// that fails must not look like an empty queue.
  func attempt<Value>(_ what: StoreRead, _ read: () throws -> Value) -> Value? {
    do {
      try notStalled()
      return try read()
    } catch {
      let message =
        outageMessage(error) ?? StatusMessage(what.failure(error, state.strings.language), isError: true)
      if state.message != message, !(offline && showsOutageNotice) {
        state.message = message
        dirty = true
      }
      return nil
    }
  }
}

/// Why `$EDITOR` could not edit the reply.
public struct ExternalEditorError: Error, CustomStringConvertible, Sendable {
  public var description: String

  public init(_ description: String) { self.description = description }
}

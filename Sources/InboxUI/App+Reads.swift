import Desk
import Foundation
import Inbox

/// The inbox over a slow or cut link (issue 18): a key never waits on the network for what it can
/// show from memory. With `readsInBackground` (a server store: `repute inbox` sets it), moving the
/// selection shows the row at once and the detail pane shows the row's summary with a quiet "…"
/// until the detail arrives from the reader's thread (`BackgroundReader`), on a later pass; the
/// change token and the timed chores (snoozes waking, the escalation rules) are asked there too;
/// actions still wait for the store, with "…" on the status line meanwhile. A read that has waited
/// `stallLimit` says "reconnecting…", and until it ends nothing else is asked of the store: the
/// loop goes on drawing and taking keys while the reader waits out its limit. A file store reads
/// the detail on the loop's thread as before (about a millisecond: no frame of latency added).
extension InboxApp {
  /// How often the loop looks for a background read's result while one is on its way.
  static let readPoll: Duration = .milliseconds(10)
  /// A loop pass this long or longer is taken for one that held the store (`noteLongPass`).
  static let longPass: TimeInterval = 0.05
  /// The status line while an action waits for the store.
  static let waitingText = "…"

  /// Shows the detail of mention `id` (nil: none): read now on a file store, asked of the reader
  /// on a server store (the row's summary meanwhile).
  func loadDetail(_ id: Int64?) {
    guard readsInBackground, let id else {
      state.detailLoading = nil
      state.detail = id.flatMap { id in attempt(.detail) { try source.detail(id: id, now: now()) } ?? nil }
      return
    }
    state.detailLoading = id
    backgroundReader().request(id, now: now())
  }

  /// Runs one of the loop's timed chores: on the reader's thread with `readsInBackground` (its
  /// failure unsaid: an outage shows as the reader's wait, `takeReads`), else here, a failure said
  /// on the status line.
  func chore(_ what: StoreRead, _ body: @escaping @Sendable () throws -> Void) {
    guard readsInBackground else {
      _ = attempt(what, body)
      return
    }
    backgroundReader().run { try? body() }
  }

  func backgroundReader() -> BackgroundReader {
    if let reader { return reader }
    let source = Unchecked(source)
    var look: (@Sendable (ChangeQuestion) throws -> ChangeLook)?
    if let feed = self.source as? any ChangeFeedSource {
      let checked = Unchecked(feed)
      look = { question in try checked.value.look(question) }
    }
    let made = BackgroundReader(
      .init(
        detail: { id, time in try source.value.detail(id: id, now: time) },
        token: { try source.value.changeToken() }, look: look))
    reader = made
    return made
  }

  /// The per-pass part: a detail that arrived is shown (an older one than the selection wants is
  /// dropped: the newer request is on its way), and a read waiting past `stallLimit` says
  /// "reconnecting…".
  func takeReads() {
    guard let reader else { return }
    let stalled = reader.waiting(at: Date(), since: loopHeldStore).map { $0 >= stallLimit } ?? false
    if stalled != readerStalled {
      readerStalled = stalled
      if stalled {
        // The reader's call waits out its limit (5 s in `repute inbox`); the inbox says so now,
        // and reads all again once a call goes through (`storeAnswered`).
        offline = true
        if !showsOutageNotice {
          state.message = StatusMessage(state.strings[ConnectionText.reconnecting], isError: true)
        }
        dirty = true
      }
    }
    if let done = reader.take(), done.id == state.detailLoading {
      state.detailLoading = nil
      state.detail = attempt(.detail) { try done.result.get() } ?? nil
      dirty = true
    }
  }

  /// A pass that took `longPass` or more waited for the store on the loop's thread (an action, a
  /// window): the reader's call may have waited behind it for the store's one connection, and that
  /// wait is not the store's silence. Its stall is counted from the end of such a pass.
  func noteLongPass(since began: Date) {
    guard readsInBackground else { return }
    let time = Date()
    if time.timeIntervalSince(began) >= Self.longPass { loopHeldStore = time }
  }

  /// Throws "reconnecting…" while a background read waits past `stallLimit`: a call now would wait
  /// behind it (a server store takes one call at a time), freezing the screen.
  func notStalled() throws {
    if readerStalled {
      throw InboxError.storeUnavailable("the store has not answered for a second: reconnecting…")
    }
  }

  /// The loop's wait for a key: short while a background read is on its way, so its result shows
  /// on the next pass.
  var readsWaitTime: Duration? { reader?.isBusy == true ? Self.readPoll : nil }

  /// Before an effect that waits for the store: "…" on the status line, drawn now.
  func showWaiting(for effect: InboxEffect) {
    guard readsInBackground, effect.waitsForStore else { return }
    state.message = StatusMessage(Self.waitingText)
    draw()
    // The effect's outcome is drawn at the end of the pass.
    dirty = true
  }

  /// After it: the "…" goes unless the effect said something else.
  func clearWaiting() {
    if state.message?.text == Self.waitingText {
      state.message = nil
      dirty = true
    }
  }
}

extension InboxEffect {
  /// Whether the effect asks the store and waits for its answer on the loop's thread.
  var waitsForStore: Bool {
    switch self {
    case .perform, .jumpToUnclaimed, .openEditor, .takeBack, .closeEditor, .assessReply, .sendReply, .reload,
      .supervise:
      return true
    default:
      return false
    }
  }
}

/// A source handed to the reader's thread. A source the inbox reads in the background takes
/// calls from two threads (a server store's bridge runs one at a time).
struct Unchecked<Value>: @unchecked Sendable {
  let value: Value

  init(_ value: Value) { self.value = value }
}

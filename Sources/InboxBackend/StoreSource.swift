import Desk
import Foundation
import Inbox
import InboxUI
import Policy
import Store

/// The inbox on a store (a file or the team's server: `ReputeStore`), with the policy in force
/// for advice and recategorising.
public final class StoreSource: InboxSource {
  public let store: any ReputeStore
  public let policy: PolicyConfig
  let strings: Strings
  private let details: DetailDesk
  /// The views' filters to count with the next counts (`countViewsNext`).
  let viewsToCount = Locked<[QueueFilter]?>(nil)
  /// The zone the confirmations give times in (the local one; tests fix it).
  public var timeZone: TimeZone = .current

  public init(store: any ReputeStore, policy: PolicyConfig, strings: Strings) {
    self.store = store
    self.policy = policy
    self.strings = strings
    details = DetailDesk(store: store, policy: policy, words: Words(strings.language))
  }

  public var closing: Closing { policy.closing }

  public func changeToken() throws -> Int64 { try store.changeToken() }

  public func count(_ filter: QueueFilter, now: Date) throws -> Int {
    try store.queueCount(filter, now: now)
  }

  public func window(_ filter: QueueFilter, offset: Int, limit: Int, now: Date) throws -> [QueueRow] {
    var rows = try store.queue(filter, limit: limit, offset: offset, now: now).map(QueueRow.init)
    // Who is writing on the rows loaded: one lookup for the window, not one per row.
    let drafting = try store.draftAuthors(mentionIDs: rows.map(\.id))
    if !drafting.isEmpty {
      for i in rows.indices { rows[i].drafting = drafting[rows[i].id] ?? [] }
    }
    return rows
  }

  public func window(_ filter: QueueFilter, page: QueuePage, limit: Int, now: Date) throws -> [QueueRow]? {
    let anchor: QueueAnchor
    switch page {
    case .after(let id): anchor = .after(id)
    case .from(let id): anchor = .from(id)
    case .before(let id): anchor = .before(id)
    case .end: anchor = .end
    }
    return try store.queue(filter, anchor: anchor, limit: limit, now: now)?.map(QueueRow.init)
  }

  public func position(of id: Int64, _ filter: QueueFilter, now: Date) throws -> Int? {
    try store.queuePosition(of: id, filter, now: now)
  }

  /// Whether the queue's length and the status line's counts are computed on a thread of their
  /// own (the real inbox), or on the caller's (tests, which want them at once).
  public var countsInBackground = false
  private(set) lazy var counter = CountWorker(store: store)
  /// The supervisor pane's figures, counted on a thread of their own (see `FiguresWorker`).
  private(set) lazy var figuresWorker = FiguresWorker(store: store)

  public func requestCounts(_ filter: QueueFilter, now: Date) -> Bool {
    guard countsInBackground else { return false }
    counter.request(
      filter,
      views: viewsToCount.withLock { taken in
        defer { taken = nil }
        return taken
      }, now: now)
    return true
  }

  public func finishedCounts() -> (filter: QueueFilter, count: Int, counts: QueueCounts)? {
    guard countsInBackground else { return nil }
    return counter.take()
  }

  public func counts(now: Date) throws -> QueueCounts {
    let t = try store.tally(now: now)
    var counts = QueueCounts(byStatus: t.byStatus, byClock: t.byClock)
    let views = viewsToCount.withLock { taken in
      defer { taken = nil }
      return taken
    }
    if let views { counts.views = try CountWorker.count(views, store: store, now: now) }
    return counts
  }

  public func newestID() throws -> Int64 { try store.newestMentionID() }

  public func arrivals(after id: Int64) throws -> Int { try store.arrivals(after: id) }

  public func firstUnclaimed(_ filter: QueueFilter, now: Date) throws -> Int? {
    try store.firstUnclaimed(filter, now: now)?.offset
  }

  public func wakeSnoozed(now: Date) throws -> Int { try store.wakeSnoozed(now: now) }

  public func contentMark() throws -> [Int64] { try store.contentMark() + store.draftMark() }

  public func searchBacklog() throws -> Int { try store.searchBacklog() }

  /// Keeps the search index caught up on a background thread with its own connection, in
  /// chunks, so neither ingest nor the inbox's own thread waits for it. The same thread copies
  /// the WAL into the store every few seconds, so that a teammate's reply or claim does not
  /// (issue 17: writers do not wait for the disk on others' behalf).
  ///
  /// Only a file store has either to do: the server keeps its search document as it writes and
  /// its WAL is its own, so on a server store no thread is started.
  public func startIndexing() {
    guard let file = store as? SQLiteStore else { return }
    let clock = store.clock
    Thread.detachNewThread {
      guard let indexer = try? file.reopened(clock: clock) else { return }
      var lastCheckpoint = Date.distantPast
      while true {
        let added = (try? indexer.indexSearch(limit: 20_000)) ?? 0
        // One inbox's checkpoint serves them all: none when another copied the WAL lately.
        if Date().timeIntervalSince(lastCheckpoint) >= 3 {
          if !indexer.checkpointedWithin(3) { try? indexer.checkpointInBackground() }
          lastCheckpoint = Date()
        }
        Thread.sleep(forTimeInterval: added == 0 ? 1 : 0.05)
      }
    }
  }

  public func perform(_ action: InboxAction, on ids: [Int64], actor: String) throws -> String? {
    let s = strings
    switch action {
    case .claim:
      var last: String?
      for id in ids { last = try store.toggleClaim(id: id, actor: actor) }
      return last == nil ? s[.released] : s[.claimed]
    case .recategorise(let category):
      try store.recategorise(ids: ids, to: category, policy: policy, actor: actor)
      return "\(s[.recategorised]): \(s.category(category))"
    case .noReply(let reason):
      try store.decideNoReply(ids: ids, reason: reason, policy: policy, actor: actor)
      return s[.decidedNoReply]
    case .reopen:
      try store.reopen(ids: ids, actor: actor)
      return s[.reopenedDone]
    case .watch:
      var watching = false
      for id in ids { watching = try store.toggleWatch(mentionID: id, actor: actor) }
      return watching ? s[.watching] : s[.unwatched]
    case .snooze(let until):
      try store.snooze(ids: ids, until: until, actor: actor)
      return "\(s[.snoozedUntil]) \(Format.dayTime(until, strings: s, timeZone: timeZone))"
    case .escalate(let note):
      for id in ids { try store.escalate(mentionID: id, note: note, actor: actor) }
      return s[.escalated]
    case .note(let text):
      for id in ids { try store.addNote(mentionID: id, text: text, actor: actor) }
      return s[.noteAdded]
    case .assign(let to):
      return try assign(ids, to: to, actor: actor)
    }
  }

  public func detail(id: Int64, now: Date) throws -> MentionDetail? {
    try details.detail(id: id, now: now)
  }

  // MARK: Replies

  var desk: ReplyDesk { ReplyDesk(store: store, policy: policy, messages: strings.language.rawValue) }

  public func openReply(mentionID: Int64, actor: String) throws -> ReplyOpening {
    var opening = try desk.opening(mentionID: mentionID, actor: actor)
    opening.snippets = try approvedSnippets()
    return opening
  }

  public func saveDraft(mentionID: Int64, mode: ReplyMode, text: String, actor: String) throws {
    do {
      try store.saveDraft(
        mentionID: mentionID, author: actor, kind: mode == .holding ? .holding : .reply, text: text)
    } catch let error as ActionError where error == .erased(mentionID) {
      throw MentionErased(error.description)
    }
  }

  public func assessReply(_ request: ReplyRequest, now: Date) throws -> ReplyAssessment {
    try desk.assess(request, now: now)
  }

  public func takeBackReply(mentionID: Int64, actor: String) throws -> ReplyMode {
    let mine = try store.outbox(mentionID: mentionID).last {
      $0.responder == actor && [.queued, .awaitingApproval].contains($0.status) && $0.attempts == 0
    }
    guard let mine else {
      throw InboxError.invalidArgument(
        "no reply of yours on this mention waits to be sent: once delivery started it can only be followed up"
      )
    }
    let done = try store.withdrawReply(
      id: mine.id, reason: "taken back (u)", actor: actor, mayWithdrawOthers: false, keepDraft: true)
    return done.record.kind == .holding ? .holding : .reply
  }

  public func sendReply(_ request: ReplyRequest, now: Date) throws -> SentReply {
    try desk.send(request, now: now)
  }
}

/// Counts the queue and the status line on its own thread: at a million mentions they read
/// hundreds of thousands of index entries (150–270 ms), which no key press should wait for.
/// Only the newest request is worked on; a result is taken once. The thread ends with the worker
/// (or `stop()`).
final class CountWorker: Sendable {
  typealias Counts = (filter: QueueFilter, count: Int, counts: QueueCounts)
  private let finished: Locked<Counts?>
  private let thread: NewestJobThread<Job>

  /// The queue's filter and the time; the views' filters wait in `owedViews` for the next job.
  struct Job: Sendable {
    var filter: QueueFilter
    var now: Date
  }

  init(store: any QueueStore) {
    let finished = Locked<Counts?>(nil)
    self.finished = finished
    // Views asked for and not yet counted: a newer job replacing a waiting one keeps them.
    let owedViews = Locked<[QueueFilter]?>(nil)
    self.owedViews = owedViews
    thread = NewestJobThread { job in
      // A failure (the store gone) still answers, with -1, so the inbox stops waiting.
      var result = (filter: job.filter, count: -1, counts: QueueCounts())
      if let count = try? store.queueCount(job.filter, now: job.now),
        let tally = try? store.tally(now: job.now)
      {
        result = (job.filter, count, QueueCounts(byStatus: tally.byStatus, byClock: tally.byClock))
        let views = owedViews.withLock { owed in
          defer { owed = nil }
          return owed
        }
        // Each view is one indexed count; they follow changes, not keys (App+Views.swift).
        if let views { result.counts.views = try? Self.count(views, store: store, now: job.now) }
      }
      finished.withLock { previous in
        // The views' counts of a result not yet taken are not lost to a newer one without them.
        if result.counts.views == nil { result.counts.views = previous?.counts.views }
        previous = result
      }
    }
  }

  private let owedViews: Locked<[QueueFilter]?>

  func request(_ filter: QueueFilter, views: [QueueFilter]? = nil, now: Date) {
    if let views { owedViews.withLock { $0 = views } }
    thread.submit(Job(filter: filter, now: now))
  }

  /// Each filter's count of the queue.
  static func count(_ filters: [QueueFilter], store: any QueueStore, now: Date) throws -> [QueueFilter: Int] {
    var counts: [QueueFilter: Int] = [:]
    for filter in filters { counts[filter] = try store.queueCount(filter, now: now) }
    return counts
  }

  func take() -> Counts? {
    finished.withLock { result in
      defer { result = nil }
      return result
    }
  }

  /// Ends the counting thread (after the count in hand).
  func stop() { thread.stop() }

  var isRunning: Bool { thread.isRunning }
}

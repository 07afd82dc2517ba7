import Foundation
import Inbox
import InboxUI
import Policy
import Store

/// The inbox on a `SQLiteStore`, with the policy in force for advice and recategorising.
public final class StoreSource: InboxSource {
  public let store: SQLiteStore
  public let policy: PolicyConfig
  let strings: Strings
  private let annotator: PolicyAnnotator
  /// The zone the confirmations give times in (the local one; tests fix it).
  public var timeZone: TimeZone = .current

  public init(store: SQLiteStore, policy: PolicyConfig, strings: Strings) {
    self.store = store
    self.policy = policy
    self.strings = strings
    annotator = PolicyAnnotator(policy: policy)
  }

  static func query(_ f: QueueFilter) -> QueueQuery {
    QueueQuery(
      categories: f.categories, statuses: f.statuses, clocks: f.clocks, platforms: f.platforms,
      search: f.search.isEmpty ? nil : f.search)
  }

  static func row(_ e: QueueEntry) -> QueueRow {
    QueueRow(
      mention: e.mention, claimedBy: e.claimedBy, snoozedUntil: e.snoozedUntil, noReplyReason: e.noReplyReason
    )
  }

  public var closing: Closing { policy.closing }

  public func changeToken() throws -> Int64 { try store.changeToken() }

  public func count(_ filter: QueueFilter, now: Date) throws -> Int {
    try store.queueCount(Self.query(filter), now: now)
  }

  public func window(_ filter: QueueFilter, offset: Int, limit: Int, now: Date) throws -> [QueueRow] {
    var rows = try store.queue(Self.query(filter), limit: limit, offset: offset, now: now).map(Self.row)
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
    return try store.queue(Self.query(filter), anchor: anchor, limit: limit, now: now)?.map(Self.row)
  }

  public func position(of id: Int64, _ filter: QueueFilter, now: Date) throws -> Int? {
    try store.queuePosition(of: id, Self.query(filter), now: now)
  }

  /// Whether the queue's length and the status line's counts are computed on a thread of their
  /// own (the real inbox), or on the caller's (tests, which want them at once).
  public var countsInBackground = false
  private lazy var counter = CountWorker(store: store)

  public func requestCounts(_ filter: QueueFilter, now: Date) -> Bool {
    guard countsInBackground else { return false }
    counter.request(filter, now: now)
    return true
  }

  public func finishedCounts() -> (filter: QueueFilter, count: Int, counts: QueueCounts)? {
    guard countsInBackground else { return nil }
    return counter.take()
  }

  public func counts(now: Date) throws -> QueueCounts {
    let t = try store.tally(now: now)
    return QueueCounts(byStatus: t.byStatus, byClock: t.byClock)
  }

  public func newestID() throws -> Int64 { try store.newestMentionID() }

  public func arrivals(after id: Int64) throws -> Int { try store.arrivals(after: id) }

  public func firstUnclaimed(_ filter: QueueFilter, now: Date) throws -> Int? {
    try store.firstUnclaimed(Self.query(filter), now: now)?.offset
  }

  public func wakeSnoozed(now: Date) throws -> Int { try store.wakeSnoozed(now: now) }

  public func contentMark() throws -> [Int64] { try store.contentMark() + store.draftMark() }

  public func searchBacklog() throws -> Int { try store.searchBacklog() }

  /// Keeps the search index caught up on a background thread with its own connection, in
  /// chunks, so neither ingest nor the inbox's own thread waits for it.
  public func startIndexing() {
    let path = store.path
    let clock = store.clock
    Thread.detachNewThread {
      guard let indexer = try? SQLiteStore(path: path, mode: .existing, clock: clock) else { return }
      while true {
        let added = (try? indexer.indexSearch(limit: 20_000)) ?? 0
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
    }
  }

  public func detail(id: Int64, now: Date) throws -> MentionDetail? {
    guard let entry = try store.entry(id: id) else { return nil }
    let m = entry.mention
    let author = try store.author(of: m)
    let thread = try store.thread(of: m)
    let (classification, advice) = annotator.judge(
      m, thread: thread.map(\.mention),
      priorComplaints: author.earlierComplaints, explainIn: strings.language.rawValue)
    // Evidence without a word of its own (an own experience, a problem put right) shows its kind.
    let signals = classification.signals.prefix(8).map {
      $0.token.isEmpty ? strings.signal($0.kind) : "\(strings.signal($0.kind)) \"\($0.token)\""
    }
    let reopens = thread.contains { t in
      t.mention.createdAt <= m.createdAt && (t.mention.status == .replied || t.mention.status == .noReply)
    }
    let notes = try store.notes(mentionID: id).map { TeamNote(at: $0.at, author: $0.author, text: $0.text) }
    let escalations = try store.escalations(mentionID: id).map { e in
      EscalationInfo(
        reason: e.reason, state: e.state, owner: e.owner, createdAt: e.createdAt, createdBy: e.createdBy,
        notes: e.notes.map { TeamNote(at: $0.at, author: $0.author, text: $0.text) })
    }
    var row = Self.row(entry)
    let drafts = try desk.drafts(mentionID: id)
    row.drafting = drafts.map(\.author)
    return MentionDetail(
      row: row, watched: author.watched, authorMentionCount: author.mentionCount,
      earlier: author.earlier, thread: thread.map(Self.row), reopensConversation: reopens, advice: advice,
      signals: signals, notes: notes, escalations: escalations, events: try store.events(mentionID: id),
      drafts: drafts, replies: try desk.replies(mentionID: id), rumours: classification.rumours,
      earlierCount: author.earlierCount)
  }

  // MARK: Replies

  var desk: ReplyDesk { ReplyDesk(store: store, policy: policy, messages: strings.language.rawValue) }

  public func openReply(mentionID: Int64, actor: String) throws -> ReplyOpening {
    try desk.opening(mentionID: mentionID, actor: actor)
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
    let done = try store.withdrawReply(id: mine.id, reason: "taken back (u)", actor: actor, keepDraft: true)
    return done.record.kind == .holding ? .holding : .reply
  }

  public func sendReply(_ request: ReplyRequest, now: Date) throws -> SentReply {
    try desk.send(request, now: now)
  }
}

/// Counts the queue and the status line on its own thread: at a million mentions they read
/// hundreds of thousands of index entries (150–270 ms), which no key press should wait for.
/// Only the newest request is worked on; a result is taken once.
final class CountWorker: @unchecked Sendable {
  private let store: any QueueStore
  private let condition = NSCondition()
  // Guarded by `condition`.
  private var pending: (filter: QueueFilter, now: Date)?
  private var finished: (filter: QueueFilter, count: Int, counts: QueueCounts)?
  private var started = false

  init(store: any QueueStore) { self.store = store }

  func request(_ filter: QueueFilter, now: Date) {
    condition.lock()
    pending = (filter, now)
    if !started {
      started = true
      Thread.detachNewThread { [self] in work() }
    }
    condition.signal()
    condition.unlock()
  }

  func take() -> (filter: QueueFilter, count: Int, counts: QueueCounts)? {
    condition.lock()
    defer { condition.unlock() }
    let result = finished
    finished = nil
    return result
  }

  private func work() {
    while true {
      condition.lock()
      while pending == nil { condition.wait() }
      let job = pending!
      pending = nil
      condition.unlock()
      // A failure (the store gone) still answers, with -1, so the inbox stops waiting.
      var result = (filter: job.filter, count: -1, counts: QueueCounts())
      if let count = try? store.queueCount(StoreSource.query(job.filter), now: job.now),
        let tally = try? store.tally(now: job.now)
      {
        result = (job.filter, count, QueueCounts(byStatus: tally.byStatus, byClock: tally.byClock))
      }
      condition.lock()
      finished = result
      condition.unlock()
    }
  }
}

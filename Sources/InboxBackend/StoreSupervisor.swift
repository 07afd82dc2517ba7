import Desk
import Foundation
import Inbox
import InboxUI
import Policy
import Store

/// The escalation pane on the store: the board from indexed queries, the supervisor's
/// actions, and the time-based escalation rules of the policy in force.
extension StoreSource: SupervisorSource {
  public func board(now: Date) throws -> SupervisorBoard {
    let escalations = try store.openEscalations(limit: 200).map { e in
      BoardEscalation(
        id: e.escalation.id, reason: e.escalation.reason, state: e.escalation.state,
        owner: e.escalation.owner,
        severity: e.severity, createdAt: e.escalation.createdAt, createdBy: e.escalation.createdBy,
        detail: e.detail,
        notes: e.escalation.notes.map { TeamNote(at: $0.at, author: $0.author, text: $0.text) },
        mention: e.mention,
        claimedBy: e.claimedBy, count: e.escalation.count)
    }
    let watched = try store.watchedAuthors(latest: 2, limit: 30).map { w in
      BoardWatched(
        platform: w.platform, handle: w.author.handle, followers: w.author.followers, since: w.since,
        watchedBy: w.watchedBy, mentionCount: w.mentionCount, latest: w.latest, reactions: w.reactions)
    }
    var board = SupervisorBoard(
      escalations: escalations, approvals: try approvals(), deliveries: try deliveries(now: now),
      overdue: try store.overdueBoard(now: now, limit: 100).map(QueueRow.init),
      overdueTotal: try store.overdueCount(now: now),
      holding: try store.holdingBoard(limit: 100).map(QueueRow.init),
      watched: watched, figures: nil,
      overrides: try store.adviceOverrides(limit: 20).map { o in
        BoardOverride(
          at: o.at, actor: o.actor, rule: o.rule, reason: o.reason,
          mention: try o.mentionID.flatMap { try store.mention(id: $0) })
      })
    board.snippets = try store.snippets(statuses: [.proposed], lang: nil)
    return board
  }

  public func figures(now: Date) -> TeamFigures? {
    figuresWorker.figures(zone: policy.serviceHours?.timeZone ?? .current, now: now)
  }

  /// Replies waiting in the outbox for a supervisor's approval (four eyes), oldest first.
  func approvals() throws -> [BoardApproval] {
    try store.outbox(statuses: [.awaitingApproval], limit: 100).compactMap { r in
      guard let mention = try store.mention(id: r.mentionID) else { return nil }
      let why = try store.approvalReasons(mentionID: r.mentionID, policy: policy)
      return BoardApproval(
        id: r.id, mention: mention, text: r.text, author: r.responder, queuedAt: r.createdAt,
        why: why.map { Category(rawValue: $0).map(strings.category) ?? strings.reason($0) }.joined(
          separator: ", "))
    }
  }

  /// Replies delivery needs a person for: unverified ones, and those that failed within a week.
  func deliveries(now: Date) throws -> [BoardDelivery] {
    try store.deliveriesNeedingAPerson(since: now.addingTimeInterval(-7 * 86_400), limit: 50).compactMap {
      r in
      guard let mention = try store.mention(id: r.mentionID) else { return nil }
      return BoardDelivery(
        id: r.id, mention: mention, status: r.status.rawValue, responder: r.responder, text: r.text,
        message: r.error ?? "", updatedAt: r.updatedAt, nextCheck: r.nextAttemptAt)
    }
  }

  public func supervise(_ action: SupervisorAction, actor: String) throws -> String? {
    let s = strings
    switch action {
    case .acknowledge(let id):
      try store.acknowledge(escalation: id, actor: actor)
      return s[SupervisorText.acknowledged]
    case .resolve(let id, let note):
      try store.resolve(escalation: id, note: note, actor: actor)
      return s[SupervisorText.resolved]
    case .reassign(let id, let to):
      try store.reassign(escalation: id, to: try responder(to), actor: actor)
      return s[SupervisorText.reassigned]
    case .note(let id, let text):
      try store.addNote(escalation: id, text: text, actor: actor)
      return s[SupervisorText.noted]
    case .approve(let id):
      try checkFourEyes(id, actor: actor)
      try store.approveReply(id: id, actor: actor, policy: policy)
      return s[SupervisorText.approved]
    case .sendBack(let id, let note):
      try checkFourEyes(id, actor: actor)
      try store.returnReply(id: id, note: note, actor: actor)
      return s[SupervisorText.sentBack]
    case .approveSnippet, .rejectSnippet:
      return try superviseSnippet(action, actor: actor)
    }
  }

  /// Four eyes are two people: nobody approves or returns their own reply.
  func checkFourEyes(_ id: Int64, actor: String) throws {
    guard let record = try store.outboxRecord(id: id) else { throw OutboxError.noSuchReply(id) }
    if record.responder.lowercased() == actor.lowercased() {
      throw InboxError.permissionDenied("four eyes: someone else must approve or return your own reply")
    }
  }

  /// The responder a reassignment names: a login or name in the roster (any name when there is none).
  func responder(_ text: String) throws -> String {
    guard !policy.team.isEmpty else { return text }
    let t = text.lowercased()
    if let m = policy.team.first(where: {
      $0.login.lowercased() == t || $0.name.lowercased() == t || $0.firstName.lowercased() == t
    }) {
      return m.name
    }
    throw InboxError.invalidArgument(
      "no one called \(TerminalSafe.sanitize(text)) in the roster: "
        + policy.team.map(\.login).joined(separator: ", "))
  }

  public func evaluateEscalationRules(now: Date) throws -> Int {
    try store.evaluateTimedRules(policy.escalation, now: now)
  }
}

/// Counts the team's figures on a thread of its own with its own connection, at most every few
/// seconds and only while someone asks: at a million mentions a count takes seconds, which the
/// inbox's one thread must not wait for. Belongs to the source the supervisor pane reads; its
/// thread ends with it (or `stop()`).
final class FiguresWorker: Sendable {
  private let latest = Locked<(figures: TeamFigures, askedAt: TimeInterval)?>(nil)
  private let thread: NewestJobThread<(now: Date, zone: TimeZone, askedAt: TimeInterval)>

  /// `store`: the store whose figures are counted, on a connection of its own the thread opens
  /// (`reopened`).
  init(store source: any ReputeStore) {
    let latest = latest
    // The thread's connection, opened by the first count and used by the thread only.
    let connection = Locked<(any ReputeStore)?>(nil)
    thread = NewestJobThread { request in
      // Only reads: every query takes its time from the request, never from this clock.
      let store = connection.withLock { store in
        if store == nil { store = try? source.reopened(clock: .fixed(request.now)) }
        return store
      }
      guard let store else { return }
      var calendar = Calendar(identifier: .gregorian)
      calendar.timeZone = request.zone
      let figures = try? store.teamFigures(
        now: request.now, today: calendar.startOfDay(for: request.now),
        since: request.now.addingTimeInterval(-7 * 86_400))
      if let figures { latest.withLock { $0 = (figures, request.askedAt) } }
    }
  }

  /// The latest figures; asks for a fresh count when the last was asked for five seconds ago or
  /// more (real time, so a frozen `REPUTE_NOW` still sees new data).
  func figures(zone: TimeZone, now: Date) -> TeamFigures? {
    let last = latest.current
    let uptime = ProcessInfo.processInfo.systemUptime
    if last == nil || uptime - last!.askedAt >= 5 {
      thread.submit((now, zone, uptime))
    }
    return last?.figures
  }

  /// Ends the counting thread (after the count in hand).
  func stop() { thread.stop() }

  var isRunning: Bool { thread.isRunning }
}

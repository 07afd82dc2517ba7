import Foundation
import Inbox
import InboxUI
import Policy
import Store

/// The escalation pane on a `SQLiteStore`: the board from indexed queries, the supervisor's
/// actions, and the time-based escalation rules of the policy in force.
extension StoreSource: SupervisorSource {
  public func board(now: Date, withFigures: Bool) throws -> SupervisorBoard {
    let escalations = try store.openEscalations(limit: 200).map { e in
      BoardEscalation(
        id: e.escalation.id, reason: e.escalation.reason, state: e.escalation.state,
        owner: e.escalation.owner,
        severity: e.severity, createdAt: e.escalation.createdAt, createdBy: e.escalation.createdBy,
        detail: e.detail,
        notes: e.escalation.notes.map { TeamNote(at: $0.at, author: $0.author, text: $0.text) },
        mention: e.mention,
        claimedBy: e.claimedBy)
    }
    let watched = try store.watchedAuthors(latest: 2, limit: 30).map { w in
      BoardWatched(
        platform: w.platform, handle: w.author.handle, followers: w.author.followers, since: w.since,
        watchedBy: w.watchedBy, mentionCount: w.mentionCount, latest: w.latest, reactions: w.reactions)
    }
    var figures: TeamFigures?
    if withFigures {
      let zone = policy.serviceHours?.timeZone ?? TimeZone.current
      var calendar = Calendar(identifier: .gregorian)
      calendar.timeZone = zone
      figures = try store.teamFigures(
        now: now, today: calendar.startOfDay(for: now), since: now.addingTimeInterval(-7 * 86_400))
    }
    return SupervisorBoard(
      escalations: escalations, approvals: try approvals(),
      overdue: try store.overdueBoard(now: now, limit: 100).map(Self.row),
      overdueTotal: try store.overdueCount(now: now),
      holding: try store.holdingBoard(limit: 100).map(Self.row),
      watched: watched, figures: figures)
  }

  /// Replies waiting for a supervisor's approval (four eyes); the outbox brings them.
  func approvals() throws -> [BoardApproval] { [] }

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
    case .approve, .sendBack:
      throw InboxError.invalidArgument("replies awaiting approval come with the outbox")
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

import Desk
import Foundation
import Inbox
import Policy

/// An escalation as the supervisor's pane shows it.
public struct BoardEscalation: Hashable, Sendable, Identifiable {
  public var id: Int64
  public var reason: String
  public var state: String
  public var owner: String?
  public var severity: Int
  public var createdAt: Date
  public var createdBy: String
  /// The rule's facts (JSON counts), e.g. a volume rise's `last_hour` and `usual`.
  public var detail: String?
  public var notes: [TeamNote]
  public var mention: Mention
  public var claimedBy: String?
  /// How many arrivals it stands for: repeats of the same author and text within an hour (×N).
  public var count: Int

  public init(
    id: Int64, reason: String, state: String, owner: String?, severity: Int, createdAt: Date,
    createdBy: String,
    detail: String? = nil, notes: [TeamNote] = [], mention: Mention, claimedBy: String? = nil, count: Int = 1
  ) {
    self.count = count
    self.id = id
    self.reason = reason
    self.state = state
    self.owner = owner
    self.severity = severity
    self.createdAt = createdAt
    self.createdBy = createdBy
    self.detail = detail
    self.notes = notes
    self.mention = mention
    self.claimedBy = claimedBy
  }
}

/// A reply waiting in the outbox for a supervisor's approval (four eyes).
public struct BoardApproval: Hashable, Sendable, Identifiable {
  public var id: Int64
  public var mention: Mention
  public var text: String
  public var author: String
  public var queuedAt: Date
  /// Why it needs approval: the category or escalation reasons that asked for it.
  public var why: String

  public init(id: Int64, mention: Mention, text: String, author: String, queuedAt: Date, why: String) {
    self.id = id
    self.mention = mention
    self.text = text
    self.author = author
    self.queuedAt = queuedAt
    self.why = why
  }
}

/// A reply delivery could not finish on its own: failed, or unverified (the platform answered
/// without naming a post, so it may be out or not).
public struct BoardDelivery: Hashable, Sendable, Identifiable {
  public var id: Int64
  public var mention: Mention
  /// The outbox status: `failed` or `unverified`.
  public var status: String
  public var responder: String
  public var text: String
  /// The platform's message, or what the courier made of its answer.
  public var message: String
  public var updatedAt: Date
  /// When an unverified reply is checked again.
  public var nextCheck: Date?

  public init(
    id: Int64, mention: Mention, status: String, responder: String, text: String, message: String,
    updatedAt: Date, nextCheck: Date? = nil
  ) {
    self.id = id
    self.mention = mention
    self.status = status
    self.responder = responder
    self.text = text
    self.message = message
    self.updatedAt = updatedAt
    self.nextCheck = nextCheck
  }
}

/// A watched author (S8) with their latest mentions and whether others react to them.
public struct BoardWatched: Hashable, Sendable {
  public var platform: String
  public var handle: String
  public var followers: Int?
  public var since: Date
  public var watchedBy: String
  public var mentionCount: Int
  public var latest: [Mention]
  public var reactions: Int

  public init(
    platform: String, handle: String, followers: Int?, since: Date, watchedBy: String, mentionCount: Int,
    latest: [Mention], reactions: Int
  ) {
    self.platform = platform
    self.handle = handle
    self.followers = followers
    self.since = since
    self.watchedBy = watchedBy
    self.mentionCount = mentionCount
    self.latest = latest
    self.reactions = reactions
  }
}

/// A reply sent against the advice not to reply (S8, S5, S4): who, when, which rule, and why.
public struct BoardOverride: Hashable, Sendable {
  public var at: Date
  public var actor: String
  public var rule: String
  public var reason: String
  /// The mention answered; nil when it was erased since.
  public var mention: Mention?

  public init(at: Date, actor: String, rule: String, reason: String, mention: Mention?) {
    self.at = at
    self.actor = actor
    self.rule = rule
    self.reason = reason
    self.mention = mention
  }
}

/// Everything the supervisor's pane shows, loaded in one go.
public struct SupervisorBoard: Hashable, Sendable {
  public var escalations: [BoardEscalation]
  public var approvals: [BoardApproval]
  /// Deliveries that need a person, newest first (the pane shows the section only when any do).
  public var deliveries: [BoardDelivery]
  public var overdue: [QueueRow]
  /// How many are overdue in all (the source may stop counting past 10,000).
  public var overdueTotal: Int
  public var holding: [QueueRow]
  public var watched: [BoardWatched]
  public var figures: TeamFigures?
  /// The latest replies against the advice, newest first.
  public var overrides: [BoardOverride]
  /// Snippets proposed by responders, waiting for a supervisor (the pane shows them when any are).
  public var snippets: [Snippet] = []

  public init(
    escalations: [BoardEscalation] = [], approvals: [BoardApproval] = [], deliveries: [BoardDelivery] = [],
    overdue: [QueueRow] = [], overdueTotal: Int? = nil, holding: [QueueRow] = [],
    watched: [BoardWatched] = [],
    figures: TeamFigures? = nil, overrides: [BoardOverride] = []
  ) {
    self.overrides = overrides
    self.escalations = escalations
    self.approvals = approvals
    self.deliveries = deliveries
    self.overdue = overdue
    self.overdueTotal = overdueTotal ?? overdue.count
    self.holding = holding
    self.watched = watched
    self.figures = figures
  }
}

/// What the supervisor does on the pane.
public enum SupervisorAction: Hashable, Sendable {
  case acknowledge(escalation: Int64)
  case resolve(escalation: Int64, note: String)
  case reassign(escalation: Int64, to: String)
  case note(escalation: Int64, text: String)
  case approve(reply: Int64)
  case sendBack(reply: Int64, note: String)
  case approveSnippet(Int64)
  case rejectSnippet(Int64, note: String)
}

/// Where the pane reads and acts: the store, behind a protocol so tests can use any.
public protocol SupervisorSource: AnyObject {
  /// The board at `now`, without the figures (see `figures(now:)`).
  func board(now: Date) throws -> SupervisorBoard
  /// The team's figures as last counted, at once (nil until the first count is done); asks for a
  /// fresh count in the background when they are older than a few seconds, so counting a million
  /// mentions never holds up the keys.
  func figures(now: Date) -> TeamFigures?
  /// Carries out a supervisor's action as `actor`; returns a short confirmation or throws a reason.
  func supervise(_ action: SupervisorAction, actor: String) throws -> String?
  /// Runs the time-based escalation rules (overdue, a rise in volume); returns how many were raised.
  func evaluateEscalationRules(now: Date) throws -> Int
}

import Foundation
import Policy

// Escalations, the supervisor's boards and the team's figures as a store serves them.

/// One row of the supervisor's escalation board: the escalation with its mention.
public struct EscalationEntry: Sendable, Hashable {
  public var escalation: EscalationRecord
  public var severity: Int
  /// The rule's facts as JSON (counts), or nil.
  public var detail: String?
  public var mention: Mention
  /// Who claimed the mention (who handles it), if anyone.
  public var claimedBy: String?

  public init(
    escalation: EscalationRecord, severity: Int, detail: String? = nil, mention: Mention,
    claimedBy: String? = nil
  ) {
    self.escalation = escalation
    self.severity = severity
    self.detail = detail
    self.mention = mention
    self.claimedBy = claimedBy
  }
}

/// Why a supervisor's action was refused.
public enum EscalationError: Error, CustomStringConvertible, Equatable {
  case noSuchEscalation(Int64)
  case alreadyResolved(Int64)

  public var description: String {
    switch self {
    case .noSuchEscalation(let id): return "no escalation \(id)"
    case .alreadyResolved(let id): return "escalation \(id) is already resolved"
    }
  }
}

/// A watched author (S8) with their latest mentions and whether others react to them.
public struct WatchedAuthorEntry: Sendable, Hashable {
  public var platform: String
  public var author: Author
  public var since: Date
  public var watchedBy: String
  public var mentionCount: Int
  /// Their latest mentions, newest first.
  public var latest: [Mention]
  /// Posts by others replying to them or in their threads (S8: do others react?).
  public var reactions: Int

  public init(
    platform: String, author: Author, since: Date, watchedBy: String, mentionCount: Int, latest: [Mention],
    reactions: Int
  ) {
    self.platform = platform
    self.author = author
    self.since = since
    self.watchedBy = watchedBy
    self.mentionCount = mentionCount
    self.latest = latest
    self.reactions = reactions
  }
}

/// Escalations and the team's figures: the rules that raise escalations over time, the
/// supervisor's actions and boards, four eyes on replies, and the figures.
public protocol EscalationStore: Sendable {
  /// Evaluates the rules that depend on time (overdue, volume); returns how many were raised.
  @discardableResult
  func evaluateTimedRules(_ rules: Escalation, now: Date, actor: String) throws -> Int
  /// Mentions in the last hour and in each hour of the `days` before.
  func hourVolumes(now: Date, days: Int) throws -> (lastHour: Int, before: [Int])
  /// The supervisor acknowledges an escalation.
  func acknowledge(escalation id: Int64, actor: String) throws
  /// The supervisor resolves an escalation with a note.
  func resolve(escalation id: Int64, note: String, actor: String) throws
  /// The supervisor hands an escalation to someone.
  func reassign(escalation id: Int64, to owner: String, actor: String) throws
  /// A note on an escalation.
  func addNote(escalation id: Int64, text: String, actor: String) throws
  /// The open escalations, most severe first.
  func openEscalations(limit: Int) throws -> [EscalationEntry]
  /// How many escalations are in each state.
  func escalationCounts() throws -> [String: Int]
  /// One escalation, with its notes.
  func escalation(id: Int64) throws -> EscalationRecord?
  /// Four eyes: whether a reply to this mention must wait for a supervisor's approval.
  func replyNeedsApproval(mentionID: Int64, policy: PolicyConfig) throws -> Bool
  /// Why a reply to this mention needs approval (empty when it does not).
  func approvalReasons(mentionID: Int64, policy: PolicyConfig) throws -> [String]

  /// The team's figures for the report and the supervisor's pane.
  func teamFigures(now: Date, today: Date, since: Date) throws -> TeamFigures
  /// Overdue mentions, most overdue first.
  func overdueBoard(now: Date, limit: Int) throws -> [QueueEntry]
  /// How many mentions are overdue, counted up to `cap`.
  func overdueCount(now: Date, cap: Int) throws -> Int
  /// Mentions waiting after a holding reply.
  func holdingBoard(limit: Int) throws -> [QueueEntry]
  /// The watched authors with their latest mentions.
  func watchedAuthors(latest: Int, limit: Int) throws -> [WatchedAuthorEntry]
  /// How many replies failed for good.
  func failedReplyCount() throws -> Int
}

extension EscalationStore {
  @discardableResult
  public func evaluateTimedRules(_ rules: Escalation, now: Date) throws -> Int {
    try evaluateTimedRules(rules, now: now, actor: "policy")
  }

  public func openEscalations() throws -> [EscalationEntry] { try openEscalations(limit: 200) }

  public func overdueBoard(now: Date) throws -> [QueueEntry] { try overdueBoard(now: now, limit: 100) }

  public func overdueCount(now: Date) throws -> Int { try overdueCount(now: now, cap: 10_000) }

  public func holdingBoard() throws -> [QueueEntry] { try holdingBoard(limit: 100) }

  public func watchedAuthors() throws -> [WatchedAuthorEntry] { try watchedAuthors(latest: 2, limit: 50) }
}

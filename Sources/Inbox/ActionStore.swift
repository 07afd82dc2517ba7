import Foundation
import Policy

// The responder's actions on mentions as a store records them.

/// Why an action was refused.
public enum ActionError: Error, CustomStringConvertible, Equatable {
  case noSuchMention(Int64)
  case notClosed(Int64)
  /// The author was forgotten (or the mention purged): nothing may be written about it again.
  case erased(Int64)
  /// Closing without a reply needs one of the policy's reasons for this category (`[closing]`).
  case reasonNotListed(Int64, category: String, reasons: [String])

  public var description: String {
    switch self {
    case .noSuchMention(let id): return "no mention \(id)"
    case .notClosed(let id): return "mention \(id) is not closed by a reply or a no-reply decision"
    case .erased(let id):
      return "mention \(id) was erased (forget or purge): no draft or reply can be kept on it"
    case .reasonNotListed(let id, let category, let reasons):
      let list = reasons.enumerated().map { "\($0.offset + 1) \($0.element)" }.joined(separator: ", ")
      return
        "mention \(id) is a \(category): closing it without a reply takes one of the policy's reasons: \(list)"
    }
  }
}

/// The responder's actions on mentions: each one short write and one event per mention (who,
/// what, which mention).
public protocol ActionStore: Sendable {
  /// Claims the mention for `actor`, or releases it; returns who holds it afterwards.
  @discardableResult
  func toggleClaim(id: Int64, actor: String) throws -> String?
  /// Sets the category by hand; the deadlines follow the new category's window.
  func recategorise(ids: [Int64], to category: Category, policy: PolicyConfig, actor: String) throws
  /// Decides, on purpose, not to reply, with one of the policy's reasons where it lists them.
  func decideNoReply(ids: [Int64], reason: String, policy: PolicyConfig, actor: String) throws
  /// Reopens mentions closed by a reply or a no-reply decision.
  func reopen(ids: [Int64], actor: String) throws
  /// Puts mentions aside until `until` (a snooze never hides a deadline).
  func snooze(ids: [Int64], until: Date, actor: String) throws
  /// Wakes the snoozed mentions whose time has come; returns how many.
  @discardableResult
  func wakeSnoozed(now: Date) throws -> Int
  /// Watches the mention's author, or stops watching; returns whether they are watched now.
  @discardableResult
  func toggleWatch(mentionID: Int64, actor: String) throws -> Bool
  /// Escalates a mention to the supervisor with a note; returns the escalation's id.
  @discardableResult
  func escalate(mentionID: Int64, reason: String, note: String, actor: String) throws -> Int64
  /// Adds an internal note for the team; returns its id.
  @discardableResult
  func addNote(mentionID: Int64, text: String, actor: String) throws -> Int64
  /// Records that the organisation replied outside Repute.
  func markReplied(ids: [Int64], actor: String) throws
  /// Records an event that concerns no single mention's data.
  func record(actor: String, action: String, mentionID: Int64?, detail: String?) throws

  // Said outright, for commands and scripts: the inbox's keys toggle (`toggleClaim`,
  // `toggleWatch`); a script says what it wants and is told what was there. The same rows and
  // events as the toggles, one short transaction each.

  /// Claims the mention for `actor`. Someone else's claim is kept unless `takeOver`; then it is
  /// taken over, and the event says so.
  func claim(id: Int64, actor: String, takeOver: Bool) throws -> ClaimOutcome
  /// Releases the actor's claim on the mention.
  func release(id: Int64, actor: String) throws -> ReleaseOutcome
  /// Watches the mention's author (S8), or stops; false when it was so already (nothing written).
  func setWatched(mentionID: Int64, watching: Bool, actor: String) throws -> Bool
}

/// What `claim` found and did.
public enum ClaimOutcome: Equatable, Sendable {
  /// The mention is now the actor's.
  case claimed
  /// It was the actor's already: nothing written.
  case alreadyYours
  /// Someone else holds it, since then; nothing written (take it over on purpose).
  case heldBy(String, since: Date?)
  /// The actor took it over from someone else.
  case takenOver(from: String)
}

/// What `release` found and did.
public enum ReleaseOutcome: Equatable, Sendable {
  case released
  /// Nobody held it: nothing written.
  case notClaimed
  /// Someone else holds it; nothing written (only they release it, or someone takes it over).
  case heldBy(String)
}

extension ActionStore {
  @discardableResult
  public func escalate(mentionID: Int64, note: String, actor: String) throws -> Int64 {
    try escalate(mentionID: mentionID, reason: "by_hand", note: note, actor: actor)
  }

  public func record(actor: String, action: String) throws {
    try record(actor: actor, action: action, mentionID: nil, detail: nil)
  }
}

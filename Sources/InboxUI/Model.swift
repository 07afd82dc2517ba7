import Desk
import Foundation
import Inbox
import Policy

/// The filter prompt's words: the language is `FilterWords`' (Desk), shared with `repute list`.
extension QueueFilter {
  /// Parses the filter prompt (see `FilterWords.parse`): `me` is who `mine` means, dates are days
  /// in `timeZone`, `team` is the roster a login or first name is read against.
  public static func parse(
    _ text: String, strings: Strings, me: String? = nil, timeZone: TimeZone = .current,
    team: [TeamMember] = []
  )
    -> (filter: QueueFilter, unknown: [String])
  {
    _ = strings
    return FilterWords.parse(text, me: me, timeZone: timeZone, team: team)
  }
}

/// Counts for the status line.
public struct QueueCounts: Hashable, Sendable {
  public var byStatus: [MentionStatus: Int]
  public var byClock: [ClockState: Int]
  /// The saved views' counts, by their filters, when they were counted with these.
  public var views: [QueueFilter: Int]?

  public init(byStatus: [MentionStatus: Int] = [:], byClock: [ClockState: Int] = [:]) {
    self.byStatus = byStatus
    self.byClock = byClock
  }
}

/// What the responder does to mentions (replies come with the editor).
public enum InboxAction: Hashable, Sendable {
  case claim
  case recategorise(Category)
  case noReply(reason: String)
  case reopen
  case watch
  case snooze(until: Date)
  case escalate(note: String)
  case note(String)
  /// A supervisor assigns the mentions to a person on the roster (issue 16).
  case assign(to: String)
}

/// Where the inbox reads and writes: the store, behind one protocol so tests can use any.
/// Every call is short; the inbox calls them from its one thread.
public protocol InboxSource: AnyObject {
  /// The reasons the policy in force lets each category close without a reply with.
  var closing: Closing { get }
  /// Changes whenever any process commits to the store.
  func changeToken() throws -> Int64
  func count(_ filter: QueueFilter, now: Date) throws -> Int
  func window(_ filter: QueueFilter, offset: Int, limit: Int, now: Date) throws -> [QueueRow]
  func detail(id: Int64, now: Date) throws -> MentionDetail?
  func counts(now: Date) throws -> QueueCounts
  /// The highest mention id stored, for "new since you last looked".
  func newestID() throws -> Int64
  /// How many mentions in the queue arrived with an id above `id`.
  func arrivals(after id: Int64) throws -> Int
  /// The queue offset of the most urgent open mention nobody claimed.
  func firstUnclaimed(_ filter: QueueFilter, now: Date) throws -> Int?
  /// Applies an action to mentions as `actor`; returns a short confirmation, or throws a reason.
  func perform(_ action: InboxAction, on ids: [Int64], actor: String) throws -> String?
  /// Wakes snoozed mentions whose time has come; returns how many.
  func wakeSnoozed(now: Date) throws -> Int
  /// Changes when mentions or their events change (not when only an index does), so the inbox
  /// reloads only for changes a responder can see.
  func contentMark() throws -> [Int64]
  /// How many mentions the search index has still to take in.
  func searchBacklog() throws -> Int

  // Replies (issue 5): the editor's store side, shared with `repute reply` through ReplyDesk.
  /// What the editor needs to open on a mention as `actor`: the policy, the signer, the draft.
  func openReply(mentionID: Int64, actor: String) throws -> ReplyOpening
  /// Saves `actor`'s draft (an empty text discards it); throws `MentionErased` when the mention
  /// was erased meanwhile.
  func saveDraft(mentionID: Int64, mode: ReplyMode, text: String, actor: String) throws
  /// The checks and the questions sending this reply would ask.
  func assessReply(_ request: ReplyRequest, now: Date) throws -> ReplyAssessment
  /// Puts the reply in the outbox; throws `ReplyRefusal` when a check blocks or a question was
  /// not confirmed.
  func sendReply(_ request: ReplyRequest, now: Date) throws -> SentReply
  /// Takes the actor's latest reply on the mention back from the outbox into their draft, while
  /// no delivery was attempted (the send delay: undo); returns the kind of reply it was.
  func takeBackReply(mentionID: Int64, actor: String) throws -> ReplyMode
  /// Saves the editor's text as a snippet in the mention's language, with SnippetDesk's rules: the
  /// author's handle and name become placeholders; a responder's is proposed, a supervisor's shared.
  func saveSnippet(mentionID: Int64, title: String, body: String, actor: String) throws -> Snippet
  /// The team's approved snippets, read afresh when the editor's picker opens.
  func approvedSnippets() throws -> [Snippet]
  /// Keyset paging (see the extension's default).
  func window(_ filter: QueueFilter, page: QueuePage, limit: Int, now: Date) throws -> [QueueRow]?
  /// Where a mention stands in the queue (see the extension's default).
  func position(of id: Int64, _ filter: QueueFilter, now: Date) throws -> Int?
  /// Counting off the inbox's thread (see the extension's default).
  func requestCounts(_ filter: QueueFilter, now: Date) -> Bool
  func finishedCounts() -> (filter: QueueFilter, count: Int, counts: QueueCounts)?
}

/// Where a window of the queue starts when it is found by key instead of by position.
public enum QueuePage: Hashable, Sendable {
  /// The rows after this mention.
  case after(Int64)
  /// This mention and the rows after it.
  case from(Int64)
  /// The rows before this mention.
  case before(Int64)
  /// The last rows of the queue.
  case end
}

/// Optional abilities of a source; the defaults keep a source that has none working as before.
extension InboxSource {
  /// Keyset paging: up to `limit` rows next to a mention, in urgency order, found without
  /// counting to them, so a window deep in a million rows costs what a window at the top does.
  /// Nil when the source pages by offset only, or the mention is gone.
  public func window(_ filter: QueueFilter, page: QueuePage, limit: Int, now: Date) throws -> [QueueRow]? {
    nil
  }

  /// How many rows come before the mention in the queue under `filter`; nil when it is not in
  /// that queue. The inbox keeps its selection on a mention through reloads with this. This
  /// default walks the queue by position; a store answers from its indexes.
  public func position(of id: Int64, _ filter: QueueFilter, now: Date) throws -> Int? {
    let page = 500
    var offset = 0
    while true {
      let rows = try window(filter, offset: offset, limit: page, now: now)
      if let local = rows.firstIndex(where: { $0.id == id }) { return offset + local }
      if rows.count < page { return nil }
      offset += page
    }
  }

  /// Starts counting the queue under `filter` and the status line's counts off the inbox's
  /// thread; false when the source counts only on the caller's thread (`count`, `counts`).
  public func requestCounts(_ filter: QueueFilter, now: Date) -> Bool { false }

  /// The counts asked for last, once they are ready: the queue's length under that filter and
  /// the status line's counts.
  public func finishedCounts() -> (filter: QueueFilter, count: Int, counts: QueueCounts)? { nil }
}

/// A draft refused because another process erased the mention meanwhile (forget, purge): the
/// editor closes and keeps nothing, since keeping it would bring the erased text back.
public struct MentionErased: Error, CustomStringConvertible {
  public let description: String

  public init(_ description: String) { self.description = description }
}

extension InboxSource {
  /// The default policy's reasons, for sources without a policy of their own.
  public var closing: Closing { Closing() }
}

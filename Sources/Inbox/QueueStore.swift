import Foundation
import Policy

// The queue and the detail pane as a store serves them.

/// One queue row as the inbox shows it: the mention and who claimed it.
public struct QueueEntry: Sendable, Hashable {
  public var mention: Mention
  public var claimedBy: String?
  public var snoozedUntil: Date?
  public var noReplyReason: String?
  /// Who a supervisor assigned it to (issue 16).
  public var assignedTo: String?

  public init(
    mention: Mention, claimedBy: String?, snoozedUntil: Date? = nil, noReplyReason: String? = nil,
    assignedTo: String? = nil
  ) {
    self.mention = mention
    self.claimedBy = claimedBy
    self.snoozedUntil = snoozedUntil
    self.noReplyReason = noReplyReason
    self.assignedTo = assignedTo
  }
}

/// Counts for the inbox's status line.
public struct QueueTally: Sendable, Hashable {
  public var byStatus: [MentionStatus: Int] = [:]
  public var byClock: [ClockState: Int] = [:]
  public var total = 0

  public init() {}
}

/// Where a keyset window of the queue starts: next to a mention, or at the queue's end.
public enum QueueAnchor: Sendable, Hashable {
  /// The rows after this mention, in urgency order.
  case after(Int64)
  /// This mention's place and the rows after it.
  case from(Int64)
  /// The rows before this mention (returned in urgency order).
  case before(Int64)
  /// The last rows of the queue (returned in urgency order).
  case end
}

/// What a mention carries beside its status and clock: an open escalation, a claim, a watched
/// author (the flags of `repute list --json`).
public struct MentionFlags: Sendable, Hashable {
  public var escalated = false
  public var claimedBy: String?
  public var watched = false
  /// Who a supervisor assigned it to (issue 16).
  public var assignedTo: String?

  public init(
    escalated: Bool = false, claimedBy: String? = nil, watched: Bool = false, assignedTo: String? = nil
  ) {
    self.escalated = escalated
    self.claimedBy = claimedBy
    self.watched = watched
    self.assignedTo = assignedTo
  }
}

/// An internal note for the team on a mention.
public struct NoteRecord: Sendable, Hashable {
  public var id: Int64
  public var at: Date
  public var author: String
  public var text: String

  public init(
    id: Int64, at: Date, author: String, text: String
  ) {
    self.id = id
    self.at = at
    self.author = author
    self.text = text
  }
}

/// An escalation to the supervisor, beside its mention.
public struct EscalationRecord: Sendable, Hashable {
  public var id: Int64
  public var mentionID: Int64
  public var reason: String
  public var state: String
  public var owner: String?
  public var createdAt: Date
  public var createdBy: String
  public var notes: [NoteRecord]
  /// How many arrivals it stands for: repeats of the same author and text within an hour.
  public var count: Int = 1

  public init(
    id: Int64, mentionID: Int64, reason: String, state: String, owner: String? = nil, createdAt: Date,
    createdBy: String, notes: [NoteRecord], count: Int = 1
  ) {
    self.id = id
    self.mentionID = mentionID
    self.reason = reason
    self.state = state
    self.owner = owner
    self.createdAt = createdAt
    self.createdBy = createdBy
    self.notes = notes
    self.count = count
  }
}

/// The author of a mention as the detail pane shows them.
public struct AuthorRecord: Sendable, Hashable {
  public var platform: String
  public var author: Author
  public var watched: Bool
  public var mentionCount: Int
  /// Their latest mentions written before this one, newest first (never one written after it).
  public var earlier: [Mention]
  /// How many mentions they wrote before this one.
  public var earlierCount: Int
  /// How many of those were complaints (the advice's repeat-complainer count).
  public var earlierComplaints: Int

  public init(
    platform: String, author: Author, watched: Bool, mentionCount: Int, earlier: [Mention], earlierCount: Int,
    earlierComplaints: Int
  ) {
    self.platform = platform
    self.author = author
    self.watched = watched
    self.mentionCount = mentionCount
    self.earlier = earlier
    self.earlierCount = earlierCount
    self.earlierComplaints = earlierComplaints
  }
}

/// The queue and the detail pane: what the inbox reads from a store.
///
/// Windows of the queue come by offset (the first screens) or by key, next to a mention (a
/// million rows deep costs what a window costs); counts are for the status line. The search index
/// is the store's own affair (`indexSearch`), asked for by whoever keeps it caught up.
public protocol QueueStore: MentionStore {
  /// One window of the queue in urgency order, narrowed by `query`.
  func queue(_ query: QueueFilter, limit: Int, offset: Int, now: Date) throws -> [QueueEntry]
  /// A window of the queue next to a mention (or at its end); nil when the anchor mention is gone.
  func queue(_ query: QueueFilter, anchor: QueueAnchor, limit: Int, now: Date) throws -> [QueueEntry]?
  /// How many rows come before a mention in the queue under `query`; nil when it is not in it.
  func queuePosition(of id: Int64, _ query: QueueFilter, now: Date) throws -> Int?
  /// How many mentions the queue holds under `query`.
  func queueCount(_ query: QueueFilter, now: Date) throws -> Int
  /// Counts per status and per clock for the status line.
  func tally(now: Date) throws -> QueueTally
  /// The most urgent open mention nobody has claimed, in the first `scan` rows under `query`.
  func firstUnclaimed(_ query: QueueFilter, now: Date, scan: Int) throws -> (offset: Int, id: Int64)?
  /// The highest mention id stored.
  func newestMentionID() throws -> Int64
  /// How many queue mentions (not muted) have an id above `id`.
  func arrivals(after id: Int64) throws -> Int
  /// A value that moves with every ingest and every action.
  func contentMark() throws -> [Int64]
  /// Adds up to `limit` mentions to the full-text index; returns how many.
  @discardableResult
  func indexSearch(limit: Int) throws -> Int
  /// How many mentions wait to be added to the full-text index.
  func searchBacklog() throws -> Int

  /// The queue entry for one mention.
  func entry(id: Int64) throws -> QueueEntry?
  /// The other posts in the mention's thread, oldest first.
  func thread(of mention: Mention, limit: Int) throws -> [QueueEntry]
  /// The author of a mention, with up to `limit` of their earlier mentions.
  func author(of mention: Mention, earlier limit: Int) throws -> AuthorRecord
  /// The team's notes on a mention, oldest first.
  func notes(mentionID: Int64) throws -> [NoteRecord]
  /// The escalations of a mention, with their notes.
  func escalations(mentionID: Int64) throws -> [EscalationRecord]
  /// Whether a mention reopens a conversation the team answered or closed.
  func reopensConversation(_ mention: Mention) throws -> Bool
  /// The flags of these mentions (escalated, claimed, watched author); unknown ids left out.
  func flags(mentionIDs: [Int64]) throws -> [Int64: MentionFlags]
  /// The id of a mention by its platform and the platform's id.
  func mentionID(platform: String, externalID: String) throws -> Int64?
  /// The source record of a mention exactly as it was read.
  func rawRecord(mentionID: Int64) throws -> String?
  /// The whole audit trail, oldest first, from an event id on.
  func allEvents(after id: Int64, limit: Int) throws -> [Event]
  /// The ids of the mentions folded into `head` as its repeats, oldest first.
  func repeats(of head: Int64) throws -> [Int64]
}

extension QueueStore {
  public func firstUnclaimed(_ query: QueueFilter, now: Date) throws -> (offset: Int, id: Int64)? {
    try firstUnclaimed(query, now: now, scan: 5000)
  }

  /// The most urgent open mention nobody has claimed: its offset in the queue under `query`
  /// (no cherry-picking), or nil when there is none in the first `scan` rows. Read in pages of
  /// the queue's own windows, the same on every store.
  public func firstUnclaimed(_ query: QueueFilter, now: Date, scan: Int) throws -> (offset: Int, id: Int64)? {
    var offset = 0
    let page = 500
    while offset < scan {
      let rows = try queue(query, limit: page, offset: offset, now: now)
      if let index = rows.firstIndex(where: {
        $0.claimedBy == nil && ($0.mention.status == .open || $0.mention.status == .holding)
      }) {
        return (offset + index, rows[index].mention.id)
      }
      if rows.count < page { return nil }
      offset += page
    }
    return nil
  }

  @discardableResult
  public func indexSearch() throws -> Int { try indexSearch(limit: 20_000) }

  public func thread(of mention: Mention) throws -> [QueueEntry] { try thread(of: mention, limit: 50) }

  public func author(of mention: Mention) throws -> AuthorRecord { try author(of: mention, earlier: 5) }

  public func allEvents(after id: Int64 = 0) throws -> [Event] { try allEvents(after: id, limit: 10_000) }
}

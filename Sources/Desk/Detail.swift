import Foundation
import Inbox
import Policy

/// One row of the queue.
public struct QueueRow: Hashable, Sendable, Identifiable {
  public var mention: Mention
  public var claimedBy: String?
  public var snoozedUntil: Date?
  public var noReplyReason: String?
  /// Who has a draft on the mention (the queue marks it ✎ for teammates).
  public var drafting: [String]
  /// Who a supervisor assigned it to (issue 16).
  public var assignedTo: String?

  public var id: Int64 { mention.id }

  public init(
    mention: Mention, claimedBy: String? = nil, snoozedUntil: Date? = nil, noReplyReason: String? = nil,
    drafting: [String] = [], assignedTo: String? = nil
  ) {
    self.mention = mention
    self.claimedBy = claimedBy
    self.snoozedUntil = snoozedUntil
    self.noReplyReason = noReplyReason
    self.drafting = drafting
    self.assignedTo = assignedTo
  }
}

/// A note by someone on the team.
public struct TeamNote: Hashable, Sendable {
  public var at: Date
  public var author: String
  public var text: String

  public init(at: Date, author: String, text: String) {
    self.at = at
    self.author = author
    self.text = text
  }
}

/// An escalation as the detail pane lists it.
public struct EscalationInfo: Hashable, Sendable {
  public var reason: String
  public var state: String
  public var owner: String?
  public var createdAt: Date
  public var createdBy: String
  public var notes: [TeamNote]

  public init(
    reason: String, state: String, owner: String?, createdAt: Date, createdBy: String, notes: [TeamNote]
  ) {
    self.reason = reason
    self.state = state
    self.owner = owner
    self.createdAt = createdAt
    self.createdBy = createdBy
    self.notes = notes
  }
}

/// Everything the detail pane shows about one mention.
public struct MentionDetail: Sendable {
  public var row: QueueRow
  public var watched: Bool
  public var authorMentionCount: Int
  /// The author's latest mentions written before this one, newest first.
  public var earlier: [Mention]
  /// How many mentions the author wrote before this one (`earlier` holds the latest few).
  public var earlierCount: Int
  public var thread: [QueueRow]
  public var reopensConversation: Bool
  public var advice: Advice?
  /// The classifier's signals as short labels ("complaint cue: geannuleerd").
  public var signals: [String]
  public var notes: [TeamNote]
  public var escalations: [EscalationInfo]
  public var events: [Inbox.Event]
  /// Drafts on the mention, the newest first: who is writing.
  public var drafts: [DraftInfo]
  /// Replies in the outbox for the mention, oldest first.
  public var replies: [ReplyInfo]
  /// The known rumours the mention repeats (their ids), for a correction's template.
  public var rumours: [String]
  /// The team's note on the person behind the mention (issue 16), when there is one.
  public var personNote: PersonNote?

  public init(
    row: QueueRow, watched: Bool = false, authorMentionCount: Int = 1, earlier: [Mention] = [],
    thread: [QueueRow] = [], reopensConversation: Bool = false, advice: Advice? = nil, signals: [String] = [],
    notes: [TeamNote] = [], escalations: [EscalationInfo] = [], events: [Inbox.Event] = [],
    drafts: [DraftInfo] = [], replies: [ReplyInfo] = [], rumours: [String] = [], earlierCount: Int? = nil
  ) {
    self.earlierCount = earlierCount ?? earlier.count
    self.drafts = drafts
    self.replies = replies
    self.rumours = rumours
    self.row = row
    self.watched = watched
    self.authorMentionCount = authorMentionCount
    self.earlier = earlier
    self.thread = thread
    self.reopensConversation = reopensConversation
    self.advice = advice
    self.signals = signals
    self.notes = notes
    self.escalations = escalations
    self.events = events
  }
}

extension QueueRow {
  /// A queue row as the store serves it; who is drafting is filled in where it is wanted.
  public init(_ entry: QueueEntry) {
    self.init(
      mention: entry.mention, claimedBy: entry.claimedBy, snoozedUntil: entry.snoozedUntil,
      noReplyReason: entry.noReplyReason, assignedTo: entry.assignedTo)
  }
}

/// Where a mention's detail is put together: the inbox's detail pane and `repute show` both come
/// here, so they show the same advice, thread, notes, escalations, drafts and replies.
public struct DetailDesk {
  public let store: any QueueStore & OutboxStore & EscalationStore
  public let policy: PolicyConfig
  /// The language of the advice's explanations and the signals' labels.
  public let words: Words
  private let annotator: PolicyAnnotator

  public init(store: any QueueStore & OutboxStore & EscalationStore, policy: PolicyConfig, words: Words) {
    self.store = store
    self.policy = policy
    self.words = words
    annotator = PolicyAnnotator(policy: policy)
  }

  /// Everything the detail pane shows about one mention; nil when there is no such mention.
  /// The store's part is one read (`DetailRecord.read`: on the server one statement).
  public func detail(id: Int64, now: Date) throws -> MentionDetail? {
    guard let record = try DetailRecord.read(id, from: store) else { return nil }
    let m = record.entry.mention
    let author = record.author
    let thread = record.thread
    let (classification, advice) = annotator.judge(
      m, thread: thread.map(\.mention),
      priorComplaints: author.earlierComplaints, explainIn: words.language.rawValue)
    // Evidence without a word of its own (an own experience, a problem put right) shows its kind.
    let signals = classification.signals.prefix(8).map {
      $0.token.isEmpty ? words.signal($0.kind) : "\(words.signal($0.kind)) \"\($0.token)\""
    }
    let reopens = thread.contains { t in
      t.mention.createdAt <= m.createdAt && (t.mention.status == .replied || t.mention.status == .noReply)
    }
    let notes = record.notes.map { TeamNote(at: $0.at, author: $0.author, text: $0.text) }
    let escalations = record.escalations.map { e in
      EscalationInfo(
        reason: e.reason, state: e.state, owner: e.owner, createdAt: e.createdAt, createdBy: e.createdBy,
        notes: e.notes.map { TeamNote(at: $0.at, author: $0.author, text: $0.text) })
    }
    var row = QueueRow(record.entry)
    let drafts = record.drafts.map(ReplyDesk.draftInfo)
    row.drafting = drafts.map(\.author)
    var detail = MentionDetail(
      row: row, watched: author.watched, authorMentionCount: author.mentionCount,
      earlier: author.earlier, thread: thread.map(QueueRow.init), reopensConversation: reopens,
      advice: advice,
      signals: signals, notes: notes, escalations: escalations, events: record.events,
      drafts: drafts, replies: record.outbox.map(ReplyDesk.info), rumours: classification.rumours,
      earlierCount: author.earlierCount)
    detail.personNote = record.personNote
    return detail
  }
}

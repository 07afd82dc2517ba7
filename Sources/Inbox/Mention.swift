import Foundation
import Policy

/// Who wrote a mention, as the platform shows them.
public struct Author: Sendable, Hashable, Codable {
  /// The handle on the platform, without a leading `@` (e.g. `anna.bsky.social`).
  public var handle: String
  public var name: String?
  public var followers: Int?

  public init(handle: String, name: String? = nil, followers: Int? = nil) {
    self.handle = handle
    self.name = name
    self.followers = followers
  }
}

/// A mention as it arrives from a source, before the store has given it an id.
public struct IncomingMention: Sendable, Hashable {
  /// The platform's name in lower case: `bluesky`, `mastodon`, `x`, `rss`, …
  public var platform: String
  /// The platform's own id (an integer id is kept as its decimal string).
  public var externalID: String
  public var url: String?
  public var author: Author
  public var createdAt: Date
  public var text: String
  public var lang: String?
  /// The platform id of the post this one answers.
  public var inReplyTo: String?
  /// A conversation id grouping a thread.
  public var thread: String?
  /// The author is on the organisation's staff (S5).
  public var staff: Bool
  /// The source record exactly as read, so later formats lose nothing.
  public var raw: String
  /// Set when the platform deleted or withheld the post: why, as the platform says it
  /// (`deleted`, `withheld in IN`). The stored text is kept; the inbox shows the mark.
  public var deletion: String?
  /// A deletion notice that carries no post (an X compliance record, an ActivityPub `Delete`): it
  /// only marks a mention already stored, and is never stored as a mention of its own.
  public var isTombstone: Bool

  public init(
    platform: String, externalID: String, url: String? = nil, author: Author, createdAt: Date,
    text: String, lang: String? = nil, inReplyTo: String? = nil, thread: String? = nil,
    staff: Bool = false, raw: String, deletion: String? = nil
  ) {
    self.deletion = deletion
    self.isTombstone = false
    self.platform = platform
    self.externalID = externalID
    self.url = url
    self.author = author
    self.createdAt = createdAt
    self.text = text
    self.lang = lang
    self.inReplyTo = inReplyTo
    self.thread = thread
    self.staff = staff
    self.raw = raw
  }

  /// A deletion notice for the post `externalID` on `platform`, which marks it deleted if stored.
  public static func tombstone(platform: String, externalID: String, reason: String, raw: String)
    -> IncomingMention
  {
    var notice = IncomingMention(
      platform: platform, externalID: externalID, author: Author(handle: ""),
      createdAt: Date(timeIntervalSince1970: 0), text: "", raw: raw, deletion: reason)
    notice.isTombstone = true
    return notice
  }
}

/// The absolute deadlines of a mention, kept with it so the queue order is a query.
public struct MentionDeadlines: Sendable, Hashable, Codable {
  /// Before this, a reply is too early (cooling-off, S11).
  public var earliestReply: Date?
  /// The first-response target (S12).
  public var firstResponse: Date?
  /// The follow-up target once a holding reply went out (S12), or after the first response (S10).
  public var followUp: Date?
  /// When the holding reply went out: the start of the follow-up span.
  public var holdingSince: Date?
  /// When the first response (a reply or a holding reply) went out.
  public var firstResponseAt: Date?
  /// When the latest reply that answered a pending follow-up went out, and the follow-up target
  /// it answered (the follow-up target itself moves on or is cleared then).
  public var followUpAt: Date?
  public var followUpAnsweredDue: Date?

  public init(
    earliestReply: Date? = nil, firstResponse: Date? = nil, followUp: Date? = nil, holdingSince: Date? = nil,
    firstResponseAt: Date? = nil, followUpAt: Date? = nil, followUpAnsweredDue: Date? = nil
  ) {
    self.followUpAt = followUpAt
    self.followUpAnsweredDue = followUpAnsweredDue
    self.earliestReply = earliestReply
    self.firstResponse = firstResponse
    self.followUp = followUp
    self.holdingSince = holdingSince
    self.firstResponseAt = firstResponseAt
  }
}

/// A mention as the store holds it.
public struct Mention: Sendable, Hashable, Identifiable {
  /// The store's id.
  public var id: Int64
  public var platform: String
  public var externalID: String
  public var url: String?
  public var author: Author
  public var createdAt: Date
  /// When this store first saw the mention.
  public var ingestedAt: Date
  public var text: String
  public var lang: String?
  public var inReplyTo: String?
  public var thread: String?
  public var staff: Bool
  /// Nil until the policy has classified it.
  public var category: Category?
  public var status: MentionStatus
  public var deadlines: MentionDeadlines
  /// How many times the platform edited the text since it was first stored.
  public var editCount: Int
  /// How sure the classifier was (0…1); nil when the policy has not classified it.
  public var confidence: Double?
  /// The classifier's signals as the store keeps them (`PackedSignals`: packed, or JSON from a
  /// store older than the packed form); read as JSON by `signalsJSON` only where wanted. Turning
  /// them into JSON for every row of a window was a third of a view's first window (issue 16).
  public var storedSignals: String?
  /// The classifier's signals as JSON (see `PolicyAnnotator.signalsJSON`); nil when there are
  /// none or the stored text is damaged.
  public var signalsJSON: String? {
    get { storedSignals.flatMap { PackedSignals(stored: $0).json } }
    set { storedSignals = newValue }
  }
  /// The language the classifier read the text in.
  public var detectedLang: String?
  /// Who set the category by hand, when a responder overrode the policy.
  public var categoryBy: String?
  /// Kept out of the queue: muted words or authors, or the organisation's own post.
  public var muted: Bool
  /// Why the platform deleted or withheld the post, when it did; the text stays stored.
  public var deleted: String?
  /// While snoozed: until when, and the status it returns to (whose deadline still runs).
  public var snoozedUntil: Date?
  public var snoozedFrom: MentionStatus?
  /// How many later posts of the same text by the same author were folded into this one
  /// (issue 16): the queue shows it as `×3`, and what is done on it holds for them too.
  public var repeats = 0
  /// The post this one repeats, when it was folded into it.
  public var repeatOf: Int64?

  /// The language to answer in: the mention's own, else the detected one.
  public var language: String? { lang ?? detectedLang }

  public init(
    id: Int64, platform: String, externalID: String, url: String?, author: Author, createdAt: Date,
    ingestedAt: Date, text: String, lang: String?, inReplyTo: String?, thread: String?, staff: Bool,
    category: Category?, status: MentionStatus, deadlines: MentionDeadlines, editCount: Int,
    confidence: Double? = nil, signalsJSON: String? = nil, detectedLang: String? = nil,
    categoryBy: String? = nil, muted: Bool = false, deleted: String? = nil, snoozedUntil: Date? = nil,
    snoozedFrom: MentionStatus? = nil
  ) {
    self.deleted = deleted
    self.snoozedUntil = snoozedUntil
    self.snoozedFrom = snoozedFrom
    self.confidence = confidence
    self.storedSignals = signalsJSON
    self.detectedLang = detectedLang
    self.categoryBy = categoryBy
    self.muted = muted
    self.id = id
    self.platform = platform
    self.externalID = externalID
    self.url = url
    self.author = author
    self.createdAt = createdAt
    self.ingestedAt = ingestedAt
    self.text = text
    self.lang = lang
    self.inReplyTo = inReplyTo
    self.thread = thread
    self.staff = staff
    self.category = category
    self.status = status
    self.deadlines = deadlines
    self.editCount = editCount
  }
}

/// One line of the append-only audit trail: who did what to which mention, and when.
///
/// Events name mentions and people by id or login and never copy personal text, so erasing an
/// author's data leaves the trail intact.
public struct Event: Sendable, Hashable, Identifiable {
  public var id: Int64
  public var at: Date
  /// The login or roster name of the person, or `repute` for the program itself.
  public var actor: String
  /// A verb: `ingest`, `edited`, `claimed`, `replied`, …
  public var action: String
  public var mentionID: Int64?
  /// Extra facts as JSON (counts, ids, a category): never personal text.
  public var detail: String?

  public init(
    id: Int64, at: Date, actor: String, action: String, mentionID: Int64?, detail: String?
  ) {
    self.id = id
    self.at = at
    self.actor = actor
    self.action = action
    self.mentionID = mentionID
    self.detail = detail
  }
}

extension Mention {
  /// The mention's deadlines as the policy module reads them.
  public var policyDeadlines: Deadlines {
    Deadlines(
      arrival: createdAt, earliestReply: deadlines.earliestReply ?? createdAt,
      firstResponse: deadlines.firstResponse, followUp: deadlines.followUp,
      holdingSince: deadlines.holdingSince, respondedAt: deadlines.firstResponseAt)
  }

  /// How the latest answered follow-up went against its target (S12, S10); nil when no reply
  /// answered a follow-up.
  public var followUpOutcome: DeadlineOutcome? {
    guard let due = deadlines.followUpAnsweredDue, let at = deadlines.followUpAt else { return nil }
    return DeadlineOutcome(answeredAt: at, due: due)
  }

  /// The status whose deadline counts at `now`. A snooze never hides a deadline: a snoozed
  /// mention is on the clock of the status it came from once its target has passed (or the snooze
  /// has ended and it has not been woken yet); before that it is off the clock.
  public func clockStatus(now: Date) -> MentionStatus {
    guard status == .snoozed else { return status }
    let phase = snoozedFrom ?? .open
    if let until = snoozedUntil, until <= now { return phase }
    if let target = policyDeadlines.activeTarget(status: phase), target <= now { return phase }
    return .snoozed
  }

  /// Where the mention stands against its response window at `now`; nil before it was classified.
  public func clock(now: Date) -> ClockState? {
    category == nil ? nil : policyDeadlines.clock(status: clockStatus(now: now), now: now)
  }

  /// Seconds until the deadline that counts at `now` (negative when overdue); nil when none.
  public func dueIn(now: Date) -> TimeInterval? {
    policyDeadlines.dueIn(status: clockStatus(now: now), now: now)
  }

  /// The deadline that counts now (the first response, or the follow-up while holding or after a
  /// reply, S10); a snoozed mention's is the one of the status it came from, which keeps running.
  public var nextDeadline: Date? {
    policyDeadlines.activeTarget(status: status == .snoozed ? (snoozedFrom ?? .open) : status)
  }

  /// Answered, with the personal follow-up (S10) still to come.
  public var followUpPending: Bool { policyDeadlines.followUpPending(status: status) }
}

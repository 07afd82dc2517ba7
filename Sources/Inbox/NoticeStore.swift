import Foundation

// Assignment and notices (issue 16): a supervisor gives a mention to a person, and a person is
// told what happened to their work and their people.

/// What a notice tells its recipient.
public enum NoticeKind: String, Sendable, Hashable, CaseIterable {
  /// A supervisor assigned a mention to them.
  case assigned
  /// Their reply was approved (four eyes) and queued for delivery.
  case approved
  /// Their reply was sent back with a note (four eyes).
  case sentBack = "sent_back"
  /// Their reply was delivered.
  case delivered
  /// Their reply could not be delivered (no more attempts).
  case deliveryFailed = "delivery_failed"
  /// A mention they replied to got a new message in its thread.
  case threadReply = "thread_reply"
  /// An author they watch posted again.
  case watchedPosted = "watched_posted"
}

/// One notice for one person. It carries ids and the few words that caused it (who, the note),
/// never the author's text or handle: those are read from the mention when shown, so `forget`
/// erases them with the mention (and the notice with it).
public struct Notice: Sendable, Hashable {
  public var id: Int64
  public var recipient: String
  public var kind: NoticeKind
  public var mentionID: Int64?
  public var outboxID: Int64?
  /// Who caused it (the supervisor, the courier); nil for arrivals.
  public var actor: String?
  /// The text parameter: the send-back note, the platform's error.
  public var note: String?
  public var createdAt: Date
  public var readAt: Date?
  /// The mention's author handle, read when the notice is read (not stored with it).
  public var handle: String?

  public init(
    id: Int64, recipient: String, kind: NoticeKind, mentionID: Int64?, outboxID: Int64?, actor: String?,
    note: String?, createdAt: Date, readAt: Date?, handle: String? = nil
  ) {
    self.id = id
    self.recipient = recipient
    self.kind = kind
    self.mentionID = mentionID
    self.outboxID = outboxID
    self.actor = actor
    self.note = note
    self.createdAt = createdAt
    self.readAt = readAt
    self.handle = handle
  }

  public var isRead: Bool { readAt != nil }
}

/// The newest unread notice and how many are unread, for the inbox's notice line.
public struct NoticeSummary: Sendable, Hashable {
  public var unread: Int
  public var newest: Notice?

  public init(unread: Int = 0, newest: Notice? = nil) {
    self.unread = unread
    self.newest = newest
  }
}

/// Notices per person, kept in the store and created in the same transaction as the event that
/// causes them (assign, approve, send back, delivery, ingest).
public protocol NoticeStore: Sendable {
  /// The person's notices, unread first, newest first within each; read ones only with `all`.
  func notices(for recipient: String, includeRead: Bool, limit: Int) throws -> [Notice]
  /// How many are unread and the newest of them (one indexed read).
  func noticeSummary(for recipient: String) throws -> NoticeSummary
  /// How many are unread and the newest one's id: what the notice line follows.
  func noticeMark(for recipient: String) throws -> NoticeMark
  /// Marks these notices read (only the recipient's own); returns how many changed.
  @discardableResult
  func markNoticesRead(ids: [Int64], recipient: String) throws -> Int
  /// Marks every unread notice of the person read; returns how many.
  @discardableResult
  func markAllNoticesRead(recipient: String) throws -> Int
}

/// What `assign` found and did.
public enum AssignOutcome: Sendable, Hashable {
  /// Assigned; `releasedClaimOf` names a teammate whose claim the assignment released.
  case assigned(releasedClaimOf: String?)
  /// It was assigned to them already: nothing written.
  case alreadyAssigned
  /// The assignment was taken away (`to` nil).
  case unassigned
  /// Nobody was assigned (`to` nil): nothing written.
  case notAssigned
}

/// A supervisor assigns a mention to a person on the roster (the rule is checked by the caller,
/// `Desk.AssignRule`); one short transaction with its event and the assignee's notice.
public protocol AssignStore: Sendable {
  /// Assigns the mention to `to` (a roster name), or takes the assignment away when nil.
  func assign(id: Int64, to: String?, actor: String) throws -> AssignOutcome
}

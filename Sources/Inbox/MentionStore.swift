import Foundation
import Policy

/// What one batch of ingest did.
public struct IngestCounts: Sendable, Hashable {
  public var new = 0
  /// Seen before; edits are counted here too.
  public var duplicate = 0
  /// Duplicates whose text differed: the text was updated, the earlier one kept.
  public var edited = 0
  /// Mentions the policy keeps out of the queue (muted words or authors, the organisation's own posts).
  public var muted = 0
  /// Posts that were forgotten (`repute forget`, `purge`) and so were not stored again.
  public var forgotten = 0
  /// Escalations the rules raised for the new mentions.
  public var escalated = 0
  /// Stored mentions newly marked deleted or withheld by the platform.
  public var deleted = 0
  /// Deletion notices for posts this store never saw (nothing to mark).
  public var unknownDeletions = 0
  /// New mentions folded into an earlier post of their author with the same text (issue 16).
  public var folded = 0

  public init(new: Int = 0, duplicate: Int = 0, edited: Int = 0, muted: Int = 0) {
    self.new = new
    self.duplicate = duplicate
    self.edited = edited
    self.muted = muted
  }

  public static func += (lhs: inout IngestCounts, rhs: IngestCounts) {
    lhs.new += rhs.new
    lhs.duplicate += rhs.duplicate
    lhs.edited += rhs.edited
    lhs.muted += rhs.muted
    lhs.forgotten += rhs.forgotten
    lhs.escalated += rhs.escalated
    lhs.deleted += rhs.deleted
    lhs.unknownDeletions += rhs.unknownDeletions
    lhs.folded += rhs.folded
  }
}

/// The order of a listing.
public enum MentionOrder: Sendable {
  /// Most recent first by the time the mention was written.
  case newest
  /// The policy's urgency order (overdue first).
  case urgency
}

/// The store as the rest of Repute sees it: the UI and the policy never see SQL.
///
/// The local SQLite store implements it today; a server-backed store for teams on several
/// machines will implement it later.
public protocol MentionStore: Sendable {
  /// Stores a batch in one short transaction; the same (platform, id) twice is stored once.
  func ingest(
    _ batch: [IncomingMention], actor: String, annotator: (any MentionAnnotator)?
  ) throws -> IngestCounts
  /// Stores a batch whose verdicts were computed beforehand (`annotations[i]` for `batch[i]`, nil:
  /// none), as `repute ingest` does: it classifies on another thread while the store writes.
  /// `rules` are the policy's escalation rules: the reasons in each annotation are raised as
  /// escalations, and a repeat complainer is found, in the same transaction as the mentions.
  func ingest(
    _ batch: [IncomingMention], annotations: [MentionAnnotation]?, actor: String, rules: Escalation?
  ) throws -> IngestCounts
  /// A window of mentions in the given order.
  func mentions(order: MentionOrder, limit: Int, offset: Int) throws -> [Mention]
  /// One mention by the store's id.
  func mention(id: Int64) throws -> Mention?
  /// The audit trail of one mention, oldest first.
  func events(mentionID: Int64) throws -> [Event]
  /// The earlier texts of an edited mention, oldest first.
  func revisions(mentionID: Int64) throws -> [(text: String, replacedAt: Date)]
  /// How many mentions the store holds.
  func mentionCount() throws -> Int
  /// A number that changes whenever another process commits to the store.
  func changeToken() throws -> Int64
}

import Foundation

/// A position in the store's change feed: the feed's newest entry and the newest mention.
public struct ChangeFeedMark: Hashable, Sendable {
  public var seq: Int64
  public var newestMention: Int64

  public init(seq: Int64, newestMention: Int64) {
    self.seq = seq
    self.newestMention = newestMention
  }
}

/// What an open inbox asks the store after a commit elsewhere: which mentions changed since it
/// last looked, and whether any of them can reach the window it shows (issue 17).
public protocol ChangeFeedStore: Sendable {
  /// What changed after `mark` (from an earlier call; nil: none yet): the mentions whose row,
  /// events or drafts changed, whether new mentions arrived, and the mark for the next call.
  /// `ids` is nil when the feed no longer reaches back to `mark` (or there was none): then
  /// anything may have changed.
  func changedMentions(after mark: ChangeFeedMark?) throws -> (
    mark: ChangeFeedMark, ids: Set<Int64>?, arrived: Bool
  )
  /// Whether a changed or new mention can stand in the queue under `query` up to the mention
  /// `anchor` (the last row loaded; nil: anywhere): any of `ids`, or any mention with an id above
  /// `newAbove`. True when it cannot tell.
  func reachesWindow(ids: Set<Int64>, newAbove: Int64?, anchor: Int64?, _ query: QueueFilter, now: Date)
    throws -> Bool
  /// The change token, the feed after the question's mark, the recipient's unread notices and
  /// whether the changes reach the window, together (`ChangeQuestion`): one snapshot and one round
  /// trip on the server, the calls one by one on a file (`lookCallByCall`).
  func look(_ question: ChangeQuestion) throws -> ChangeLook
}

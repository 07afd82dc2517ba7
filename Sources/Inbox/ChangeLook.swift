import Foundation

/// What an open inbox asks the store after others' commits, as one question (issues 17 and 18):
/// the change token, what the feed holds after the inbox's mark, its person's unread notices, and
/// whether the changes reach the window it shows. On the team's server each of these was a round
/// trip per commit and per open inbox; asked together they are one (`ChangeFeedStore.look`).
public struct ChangeQuestion: Sendable, Hashable {
  /// The inbox's position in the feed (nil: none yet; the look then starts one).
  public var mark: ChangeFeedMark?
  /// Whose unread notices to count (nil: none asked).
  public var recipient: String?
  /// The window to ask about (nil: none asked).
  public var reach: ReachQuestion?

  public init(mark: ChangeFeedMark?, recipient: String? = nil, reach: ReachQuestion? = nil) {
    self.mark = mark
    self.recipient = recipient
    self.reach = reach
  }
}

/// Whether changes reach an inbox's window (`ChangeFeedStore.reachesWindow`), asked with the
/// feed: the mentions the feed names after the mark are asked about with `ids`, and the new ones
/// are those above `newAbove`, or else above the mark's newest mention.
public struct ReachQuestion: Sendable, Hashable {
  /// Mentions changed earlier and not yet looked at again by the inbox.
  public var ids: Set<Int64>
  /// New mentions are those above this; nil: above the mark's newest mention.
  public var newAbove: Int64?
  /// The window's last row (nil: the window holds the queue's end).
  public var anchor: Int64?
  public var filter: QueueFilter
  public var now: Date

  public init(ids: Set<Int64>, newAbove: Int64?, anchor: Int64?, filter: QueueFilter, now: Date) {
    self.ids = ids
    self.newAbove = newAbove
    self.anchor = anchor
    self.filter = filter
    self.now = now
  }
}

/// A person's unread notices in two numbers: an inbox reads its notice line again only when one
/// of them moved.
public struct NoticeMark: Sendable, Hashable {
  public var unread: Int
  /// The newest unread notice's id (0: none).
  public var newest: Int64

  public init(unread: Int, newest: Int64) {
    self.unread = unread
    self.newest = newest
  }
}

/// The store's answer to a `ChangeQuestion`, read in one snapshot where the store can.
public struct ChangeLook: Sendable, Hashable {
  /// The change token (`MentionStore.changeToken`), as of the feed's read or before it.
  public var token: Int64
  /// The feed's answer, as `ChangeFeedStore.changedMentions` gives it.
  public var mark: ChangeFeedMark
  public var ids: Set<Int64>?
  public var arrived: Bool
  /// The recipient's unread notices (nil: not asked).
  public var notices: NoticeMark?
  /// Whether the question's ids, the feed's ids or a new mention reach the window (nil: not
  /// asked, or the feed cannot tell what changed).
  public var reaches: Bool?

  public init(
    token: Int64, mark: ChangeFeedMark, ids: Set<Int64>?, arrived: Bool, notices: NoticeMark? = nil,
    reaches: Bool? = nil
  ) {
    self.token = token
    self.mark = mark
    self.ids = ids
    self.arrived = arrived
    self.notices = notices
    self.reaches = reaches
  }
}

extension ChangeFeedStore where Self: MentionStore & NoticeStore {
  /// The look asked call by call, for a store where each call is cheap (a file: microseconds, no
  /// round trip). The token is read first: a commit after it moves the token again, so none is
  /// missed between the calls.
  public func lookCallByCall(_ question: ChangeQuestion) throws -> ChangeLook {
    let token = try changeToken()
    let feed = try changedMentions(after: question.mark)
    var look = ChangeLook(token: token, mark: feed.mark, ids: feed.ids, arrived: feed.arrived)
    if let recipient = question.recipient { look.notices = try noticeMark(for: recipient) }
    if let reach = question.reach, let ids = feed.ids, let mark = question.mark {
      let asked = reach.ids.union(ids)
      let above = reach.newAbove ?? (feed.arrived ? mark.newestMention : nil)
      look.reaches =
        asked.isEmpty && above == nil
        ? false
        : try reachesWindow(ids: asked, newAbove: above, anchor: reach.anchor, reach.filter, now: reach.now)
    }
    return look
  }
}

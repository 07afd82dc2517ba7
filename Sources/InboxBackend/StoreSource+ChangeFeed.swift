import Foundation
import Inbox
import InboxUI
import Store

extension StoreSource: ChangeFeedSource {
  public func changedMentions(after mark: ChangeMark?) throws -> ChangeDelta {
    let last = mark.map { ChangeFeedMark(seq: $0.seq, newestMention: $0.newestMention) }
    let (newest, ids, arrived) = try store.changedMentions(after: last)
    return ChangeDelta(
      mark: ChangeMark(seq: newest.seq, newestMention: newest.newestMention), ids: ids, arrived: arrived)
  }

  public func reachesWindow(
    ids: Set<Int64>, newAbove: Int64?, anchor: Int64?, filter: QueueFilter, now: Date
  ) throws -> Bool {
    try store.reachesWindow(ids: ids, newAbove: newAbove, anchor: anchor, filter, now: now)
  }

  public func look(_ question: ChangeQuestion) throws -> ChangeLook {
    try store.look(question)
  }
}

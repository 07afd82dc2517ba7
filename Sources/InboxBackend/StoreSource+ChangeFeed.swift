import InboxUI
import Store

extension StoreSource: ChangeFeedSource {
  public func changedMentions(after mark: ChangeMark?) throws -> ChangeDelta {
    let last = mark.map { ChangeFeedMark(seq: $0.seq, newestMention: $0.newestMention) }
    let (newest, ids, arrived) = try store.changedMentions(after: last)
    return ChangeDelta(
      mark: ChangeMark(seq: newest.seq, newestMention: newest.newestMention), ids: ids, arrived: arrived)
  }
}

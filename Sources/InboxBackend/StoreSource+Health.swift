import InboxUI
import Store

/// The live sources' health and failed replies, read from the store (issue 7).
extension StoreSource: SourceHealthReporting {
  public func sourceHealth() throws -> SourceHealth? {
    let states = try store.sourceStates()
    let failed = try store.failedReplyCount()
    if states.isEmpty && failed == 0 { return nil }
    return SourceHealth(
      sources: states.count, failing: states.filter { $0.lastError != nil }.map(\.name), failedReplies: failed
    )
  }
}

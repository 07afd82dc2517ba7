import InboxUI
import Store

/// The live sources' health and failed replies, read from the store (issue 7).
extension StoreSource: SourceHealthReporting {
  public func sourceHealth() throws -> SourceHealth? {
    let states = try store.sourceStates()
    let failed = try store.failedReplyCount()
    if states.isEmpty && failed == 0 { return nil }
    let warning = states.filter { $0.health == .warning }
    return SourceHealth(
      sources: states.count, failing: states.filter { $0.health == .failing }.map(\.name),
      warning: warning.map(\.name), refused: warning.map(\.refusedRecords).reduce(0, +), failedReplies: failed
    )
  }
}

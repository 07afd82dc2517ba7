/// A store reached over the network (the team's PostgreSQL store), as the inbox sees its
/// connection: whether it is reconnecting now, and a limit on how long one call may wait, so a cut
/// link shows on the status line within that limit instead of holding the inbox's thread (issue
/// 19). A file store has no connection and does not answer this.
public protocol StoreConnection: Sendable {
  /// The server was lost and is not back yet: a call now fails at once.
  var isReconnecting: Bool { get }
  /// Every call after this waits at most `seconds` (connecting included).
  func limitWaits(to seconds: Double)
}

import Inbox
import InboxUI

/// Whether the store is reconnecting now (a server store that lost its server); a file store
/// never is.
extension StoreSource: SourceConnection {
  public var isReconnecting: Bool { (store as? any StoreConnection)?.isReconnecting == true }
}

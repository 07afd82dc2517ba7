import Inbox

/// The connection as the inbox watches it (issue 19): see `ServerOutage`.
extension ServerStore: StoreConnection {
  public var isReconnecting: Bool { bridge.outage.isDown }

  public func limitWaits(to seconds: Double) {
    bridge.waitLimit.withLock { $0 = seconds }
  }
}

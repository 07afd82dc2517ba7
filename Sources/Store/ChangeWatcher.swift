import GRDB

/// Notices commits made by other processes, cheaply: `PRAGMA data_version` on one dedicated
/// connection changes whenever another connection commits. GRDB's observation only sees changes
/// made through the same pool, so the inbox's live updates rely on this instead.
final class ChangeWatcher: Sendable {
  private let queue: DatabaseQueue?
  private let path: String

  init(path: String) {
    self.path = path
    var config = Configuration()
    config.readonly = true
    config.busyMode = .timeout(1)
    queue = try? DatabaseQueue(path: path, configuration: config)
  }

  /// The current data version; it differs from the last value read when someone else committed.
  func token() throws -> Int64 {
    guard let queue else { return 0 }
    do {
      // Asked on every pass of every open inbox: prepared once.
      return try queue.inDatabase { try Int64.fetchOne($0.cachedStatement(sql: "PRAGMA data_version")) ?? 0 }
    } catch let error as DatabaseError {
      throw StoreDatabaseError(path: path, error: error)
    }
  }
}

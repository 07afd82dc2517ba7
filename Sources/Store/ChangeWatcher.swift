import Foundation
import GRDB

/// Notices commits made by other processes, cheaply: `PRAGMA data_version` on one dedicated
/// connection changes whenever another connection commits. GRDB's observation only sees changes
/// made through the same pool, so the inbox's live updates rely on this instead.
///
/// The connection is opened at the first `token()`, not with the store: only the inbox asks, and
/// a short command (reply, claim, ingest) then does not pay for a third connection (issue 17).
final class ChangeWatcher: @unchecked Sendable {
  private let path: String
  /// Guards `opened` and `queue`.
  private let lock = NSLock()
  private var opened = false
  private var queue: DatabaseQueue?

  init(path: String) {
    self.path = path
  }

  private func connection() -> DatabaseQueue? {
    lock.lock()
    defer { lock.unlock() }
    if !opened {
      opened = true
      var config = Configuration()
      config.readonly = true
      config.busyMode = .timeout(1)
      queue = try? DatabaseQueue(path: path, configuration: config)
    }
    return queue
  }

  /// The current data version; it differs from the last value read when someone else committed.
  func token() throws -> Int64 {
    guard let queue = connection() else { return 0 }
    do {
      return try queue.inDatabase { try Int64.fetchOne($0, sql: "PRAGMA data_version") ?? 0 }
    } catch let error as DatabaseError {
      throw StoreDatabaseError(path: path, error: error)
    }
  }
}

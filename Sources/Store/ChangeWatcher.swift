import Foundation
import GRDB

/// Notices commits made by other processes, cheaply: `PRAGMA data_version` on one dedicated
/// connection changes whenever another connection commits. GRDB's observation only sees changes
/// made through the same pool, so the inbox's live updates rely on this instead.
///
/// The connection is opened at the first question, not with the store: a command that never asks
/// (a reply, a claim, a report) opens one connection fewer (issue 17: a person's command under a
/// team's load costs what it needs, no more).
final class ChangeWatcher: @unchecked Sendable {
  private let path: String
  private let lock = NSLock()
  /// nil: not opened yet; .some(nil): opening failed (token 0 from then on).
  private var opened: DatabaseQueue??

  init(path: String) {
    self.path = path
  }

  private var queue: DatabaseQueue? {
    lock.withLock {
      if let opened { return opened }
      var config = Configuration()
      config.readonly = true
      config.busyMode = .timeout(1)
      let queue = try? DatabaseQueue(path: path, configuration: config)
      opened = .some(queue)
      return queue
    }
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

import Foundation
import GRDB
import Inbox

extension SQLiteStore: IntegrityStore {
  /// Checks every page of the store (`PRAGMA quick_check`) and, when the store can be written,
  /// records when it was found whole (`verified_at` in `store_meta`).
  @discardableResult public func verify() throws -> Int {
    let (problems, pages) = try pool.read { db in
      (
        try String.fetchAll(db, sql: "PRAGMA quick_check(3)"),
        try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
      )
    }
    guard problems == ["ok"] else {
      throw InboxError.storeUnavailable(
        "the store \(path) is damaged (SQLite: \(problems.joined(separator: "; "))); restore it from a backup"
      )
    }
    // Best effort: a reader that may not write the store still learns that it is whole.
    try? setMeta(Self.verifiedKey, RFC3339.format(clock.now()))
    return pages
  }

  @discardableResult public func verifyIfDue(every: TimeInterval) throws -> Bool {
    let now = clock.now()
    let last = try pool.read { db in
      try String.fetchOne(
        db, sql: "SELECT value FROM store_meta WHERE key = ?", arguments: [Self.verifiedKey])
    }
    // A mark in the future (a clock set back, a pinned time before it) proves nothing: check.
    if let last, let at = RFC3339.parse(last), at <= now, now.timeIntervalSince(at) < every {
      return false
    }
    try verify()
    return true
  }

  static let verifiedKey = "verified_at"
}

import Foundation
import GRDB
import GRDBSQLite

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

// MARK: - Waiting for the write lock, and who checkpoints (issue 17)

extension SQLiteStore {
  /// Installs the store's busy handler on a connection: a writer that finds the write lock taken
  /// looks again after 1, 2, 3, 4 and then every 5 ms, for up to 10 s in all. SQLite's own
  /// (`sqlite3_busy_timeout`) backs off to a look every 50 and then 100 ms, so a reply queued
  /// behind a commit of a few milliseconds slept up to 100 ms for each: under a team's load most
  /// of a slow reply was such sleep (docs/benchmarks-log.md, "A team on one host").
  static func waitForLocks(_ connection: OpaquePointer?) {
    sqlite3_busy_handler(connection, busyHandler, nil)
  }

  /// Takes the write lock only if it is free at once: for background work (the search indexer)
  /// that must never queue in front of a person's write. False when someone holds it.
  static func beginWithoutWaiting(_ db: Database) throws -> Bool {
    sqlite3_busy_handler(db.sqliteConnection, nil, nil)
    defer { waitForLocks(db.sqliteConnection) }
    do {
      try db.execute(sql: "BEGIN IMMEDIATE")
      return true
    } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
      return false
    }
  }

  /// Copies the WAL into the store file without waiting for anyone (PASSIVE). Called by
  /// background work (an inbox's indexer thread, every few seconds), so that the writers' own
  /// commits, whose auto-checkpoint threshold is higher (`writerCheckpointPages`), seldom copy
  /// others' pages and wait for the disk in a person's command. Cheap when there is nothing to copy.
  public func checkpointInBackground() throws {
    try pool.writeWithoutTransaction { db in _ = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(PASSIVE)") }
  }

  /// Whether the store file was written in the last `seconds` of the wall clock: in WAL mode only
  /// a checkpoint writes it, so some process copied the WAL then. Every open inbox's indexer
  /// checkpoints every few seconds; with 25 inboxes that was eight checkpoints a second, each
  /// copying the same hot pages again and waiting for the disk (9 % of an inbox's CPU under a
  /// team's writes, issue 17). An indexer that finds the file freshly written leaves it be.
  public func checkpointedWithin(_ seconds: TimeInterval) -> Bool {
    var info = stat()
    guard stat(StoreFiles.resolve(path), &info) == 0 else { return false }
    let written = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
    return Date().timeIntervalSince1970 - written < seconds
  }

  /// Every writing connection's auto-checkpoint threshold, in pages (160 MiB of WAL with a new
  /// store's 16 KiB pages): a backstop when no background checkpointer runs. With inboxes open,
  /// their indexer threads checkpoint first (`checkpointInBackground`).
  static let writerCheckpointPages = 10_000
}

/// 1, 2, 3, 4 ms, then 5 ms between looks; gives up after about 10 s (2,004 looks).
private let busyHandler: @convention(c) (UnsafeMutableRawPointer?, Int32) -> Int32 = { _, tries in
  if tries >= 2_004 { return 0 }
  usleep(useconds_t(min(Int(tries) + 1, 5) * 1000))
  return 1
}

import Foundation
import GRDB
import GRDBSQLite
import Inbox
import Policy

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The local file store: one SQLite file in WAL mode, shared safely by several processes on one host.
///
/// Write transactions are short (one ingest batch, one action), so a draft save never waits
/// behind a long ingest. Readers never block writers.
///
/// It serves every store protocol of the domain (`MentionStore`, `QueueStore`, `ActionStore`,
/// `OutboxStore`, `EscalationStore`, `ErasureStore`, `SourceStore`, `PolicyStore`), each topic in
/// its own `SQLiteStore+Topic.swift`.
public final class SQLiteStore: MentionStore, @unchecked Sendable {
  /// The store file.
  public let path: String
  /// The store's connections; a database error thrown through them names this file.
  let pool: StorePool
  /// Where this store's actions take their time from: `REPUTE_NOW` in the binary, a fixed moment in tests.
  public let clock: ReputeClock
  // Author ids by (platform, handle), so a busy ingest does not look the same author up each time.
  // Guarded by the pool's writer: only touched inside `pool.write` (SQLiteStore+Ingest.swift).
  var authorCache: [AuthorKey: CachedAuthor] = [:]
  let changeWatcher: ChangeWatcher
  // Set once the writer connection's page cache was enlarged (only touched inside `pool.write`).
  var writerTuned = false
  /// The policy version and its repeat window (ms) ingest last read; used only by the writer.
  var repeatWindowCache: (version: Int64, window: Int64)?
  // What the queue's and the search's reads keep between calls: this store's own, checked against
  // its own change token (see `SegmentCounts`). The inbox's count thread reads through the same
  // store; the search indexer and the figures have stores of their own and never read these.
  let segmentCounts = SegmentCounts()
  let segmentHints = SegmentHints()
  let searchTails = TailMatches()

  /// How the store is opened.
  public enum Mode: Sendable {
    /// Create the store (private, 0600 in a 0700 folder) when it does not exist yet.
    case createIfMissing
    /// Open an existing store; a missing one is an error.
    case existing
    /// `repute init`: create the store, or make one of an empty file named explicitly.
    case initialise
    /// Open an existing store only to read it: for someone who may read the store but not write
    /// it (an auditor, a backup). Every write fails with "read-only access to STORE: …".
    case readOnly
  }

  /// True when this store was opened read-only (`Mode.readOnly`).
  public let isReadOnly: Bool

  /// Opens (and when allowed creates) the store at `path`, bringing its schema up to date.
  public init(path: String, mode: Mode = .createIfMissing, clock: ReputeClock) throws {
    self.path = path
    self.clock = clock
    self.isReadOnly = mode == .readOnly
    // Through a symbolic link the file is its target: modes are checked and set there.
    let file = StoreFiles.resolve(path)
    var info = stat()
    let exists = stat(file, &info) == 0
    if !exists, errno != ENOENT {
      // Not "no store": a folder on the way that may not be searched, or not a folder at all.
      throw InboxError.permissionDenied("cannot reach the store \(path): \(String(cString: strerror(errno)))")
    }
    if !exists {
      guard mode == .createIfMissing || mode == .initialise else {
        throw InboxError.notFound(
          "no store at \(path): ingest mentions first (repute ingest FILE) or run repute init")
      }
      try StoreFiles.createPrivate(path: file)
    } else {
      if access(file, R_OK) != 0 {
        throw InboxError.permissionDenied(
          "cannot read the store \(path): \(String(cString: strerror(errno)))")
      }
      if info.st_mode & S_IFMT == S_IFREG, info.st_size == 0 {
        // New stores never appear empty (`StoreFiles.createStoreFile`): an empty file is
        // something else's, or a failed copy, unless `init` is told to make a store of it.
        guard mode == .initialise else {
          throw InboxError.storeUnavailable(
            "\(path) is empty (0 bytes), not a Repute store: run repute init --store \(path) to make it one")
        }
        try StoreFiles.adoptEmpty(path: file, mode: StoreFiles.intendedMode(file), group: nil)
      }
      if info.st_size != 0 { try Self.checkHeader(file, shown: path) }
      try StoreFiles.checkPrivate(file, shown: path)
      if mode != .readOnly, !StoreFiles.canWrite(file) {
        throw InboxError.permissionDenied(
          "read-only access to \(path): you may read the store but not write it, and this command writes to it"
        )
      }
    }
    var config = Configuration()
    // The busy handler is the store's own (`waitForLocks`), installed on every connection below.
    config.busyMode = .immediateError
    config.label = "repute"
    config.readonly = mode == .readOnly
    let writable = mode != .readOnly
    config.prepareDatabase { db in
      // A new store's pages are 16 KiB: a mention's row is some 600 bytes, and at a million rows
      // the writer did 5-10 % less work than with 4 KiB (docs/benchmarks.md). Only a new, empty
      // file takes it (before the switch to WAL); an existing store keeps the size it has.
      try db.execute(sql: "PRAGMA page_size = 16384")
      try db.execute(sql: "PRAGMA synchronous = NORMAL")
      try db.execute(sql: "PRAGMA foreign_keys = ON")
      Self.waitForLocks(db.sqliteConnection)
      if writable {
        try Self.keepWALFiles(db)
        try db.execute(sql: "PRAGMA wal_autocheckpoint = \(Self.writerCheckpointPages)")
      }
      db.add(function: SearchTail.function)
    }
    do {
      // Opening switches a new file to WAL, which needs the file to itself for a moment: a second
      // process opening the same new store then is told `locked` at once, with no busy wait.
      var lockedTries = 0
      pool = StorePool(
        try Self.retryingWhileLocked(&lockedTries) {
          try DatabasePool(path: path, configuration: config)
        }, path: path)
    } catch let error as DatabaseError {
      if error.resultCode == .SQLITE_NOTADB {
        throw InboxError.storeUnavailable("\(path) is not a Repute store (not an SQLite database)")
      }
      if mode == .readOnly, error.resultCode == .SQLITE_READONLY || error.resultCode == .SQLITE_CANTOPEN {
        // SQLite reads a WAL store read-only only where its -wal and -shm files exist or can be made.
        throw InboxError.permissionDenied(
          "read-only access to \(path): its -wal and -shm files are missing and you may not make them "
            + "in its folder; they come back when someone who may write the store runs a repute command on it"
        )
      }
      throw InboxError.storeUnavailable(
        StoreFailure.describe(error, store: path) ?? "cannot open the store \(path)")
    }
    try Self.migrate(pool.base, path: path, readOnly: mode == .readOnly)
    if writable { StoreFiles.alignCompanions(file) }
    changeWatcher = ChangeWatcher(path: path)
  }

  /// Keeps the WAL and shared-memory files when the last connection closes, so someone who may
  /// only read the store can still open it: SQLite reads a WAL store read-only only where those
  /// files exist or can be made, and a reader may not make them in a folder they cannot write.
  /// (A command that exits without closing leaves them anyway.) The journal size limit keeps at
  /// most 64 MiB of WAL after a checkpoint; `compact` (forget, purge) still cuts it to nothing.
  private static func keepWALFiles(_ db: Database) throws {
    guard let connection = db.sqliteConnection else { return }
    var on: Int32 = 1
    _ = sqlite3_file_control(connection, "main", SQLITE_FCNTL_PERSIST_WAL, &on)
    _ = try Int64.fetchOne(db, sql: "PRAGMA journal_size_limit = 67108864")
  }

  /// Refuses a file that is not an SQLite database, or one shorter than its header says (a cut
  /// copy): cheap checks on the first 100 bytes, before SQLite reads further.
  private static func checkHeader(_ file: String, shown: String) throws {
    // Through a descriptor never closed: closing one would drop this process's SQLite locks on the
    // file when another store on it is already open (`KeptDescriptors`).
    guard let fd = KeptDescriptors.descriptor(for: file) else { return }
    var header = [UInt8](repeating: 0, count: 100)
    let read = header.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 100, 0) }
    guard read == 100 else {
      throw InboxError.storeUnavailable("\(shown) is not a Repute store (not an SQLite database)")
    }
    let bytes = header
    guard bytes[0..<16].elementsEqual(Array("SQLite format 3\u{0}".utf8)) else {
      throw InboxError.storeUnavailable("\(shown) is not a Repute store (not an SQLite database)")
    }
    func big(_ at: Int) -> UInt32 { bytes[at..<(at + 4)].reduce(0) { $0 << 8 | UInt32($1) } }
    let rawPageSize = Int(bytes[16]) << 8 | Int(bytes[17])
    let pageSize = rawPageSize == 1 ? 65_536 : rawPageSize
    // The page count is valid when the change counter matches "version valid for" (SQLite 3.7+).
    guard pageSize >= 512, big(24) == big(92), big(28) > 0 else { return }
    var now = stat()
    let size = fstat(fd, &now) == 0 ? UInt64(now.st_size) : 0
    // A checkpoint may be half done: then the WAL still holds the pages, and SQLite finishes it.
    var wal = stat()
    let walHasFrames = stat(file + "-wal", &wal) == 0 && wal.st_size > 0
    if !walHasFrames, size < UInt64(big(28)) * UInt64(pageSize) {
      throw InboxError.storeUnavailable(
        "the store \(shown) is damaged: \(size) bytes where its header counts \(big(28)) pages of \(pageSize); restore it from a backup"
      )
    }
  }

  private static func migrate(_ pool: DatabasePool, path: String, readOnly: Bool) throws {
    let migrator = Schema.migrator
    do {
      // A process creating the store at this moment may hold it for its first write (the switch
      // to WAL, the first migrations), and SQLite answers that with `locked` rather than waiting.
      var lockedTries = 0
      let (superseded, complete) = try retryingWhileLocked(&lockedTries) {
        try pool.read { db in
          (try migrator.hasBeenSuperseded(db), try migrator.hasCompletedMigrations(db))
        }
      }
      if superseded {
        throw InboxError.storeUnavailable(
          "the store \(path) was written by a newer Repute; upgrade Repute to open it")
      }
      if !complete && readOnly {
        throw InboxError.permissionDenied(
          "read-only access to \(path): the store needs an upgrade to this Repute, by someone who can write it"
        )
      }
      if !complete {
        try migrateAlongsideOthers(migrator, pool)
        // A migration that rewrites every mention (v14-ingest-compact) leaves a WAL as large as
        // the store, and until it is folded back every read goes through it: `list` on a
        // million mentions took 0.5 s instead of 0.1 s, and the first later write paid for the
        // checkpoint. Fold it back and cut it now. Best effort: with a reader on an older
        // snapshot it stops early, and the autocheckpoint finishes the work later.
        _ = try? pool.writeWithoutTransaction { try Row.fetchOne($0, sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
      }
    } catch let error as DatabaseError {
      if error.resultCode == .SQLITE_NOTADB {
        throw InboxError.storeUnavailable("\(path) is not a Repute store (not an SQLite database)")
      }
      throw InboxError.storeUnavailable(
        StoreFailure.describe(error, store: path) ?? "cannot open the store \(path)")
    }
  }

  /// Migrates, allowing for another process migrating the same store at the same moment (two
  /// commands on a new store): GRDB checks what is applied before it takes SQLite's write lock, so
  /// the slower process may repeat a migration the other just committed and fail. Each migration
  /// is its own transaction, so nothing is half done: look again, and continue from there.
  /// Runs `body` again while SQLite says the database is busy or locked, for up to 5 s. Only an
  /// answer given at once is retried (`locked` during another process's switch to WAL): a `busy`
  /// after the 10 s busy wait means someone holds the write lock, and 250 more waits of 10 s
  /// each would keep the command silent for most of an hour.
  private static func retryingWhileLocked<T>(_ tries: inout Int, _ body: () throws -> T) throws -> T {
    let start = Date()
    while true {
      do {
        return try body()
      } catch let error as DatabaseError
        where (error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED) && tries < 250
        && Date().timeIntervalSince(start) < 5
      {
        tries += 1
        usleep(20_000)
      }
    }
  }

  private static func migrateAlongsideOthers(_ migrator: DatabaseMigrator, _ pool: DatabasePool) throws {
    for attempt in 1... {
      do {
        try migrator.migrate(pool)
        return
      } catch let error as DatabaseError {
        var lockedTries = 0
        if try retryingWhileLocked(
          &lockedTries, { try pool.read { try migrator.hasCompletedMigrations($0) } })
        {
          return
        }
        if attempt >= 50 { throw error }
        usleep(20_000)
      }
    }
  }

  /// The identifiers of the migrations applied to this store, oldest first.
  public func appliedMigrations() throws -> [String] {
    let migrator = Schema.migrator
    let applied = try pool.read { try migrator.appliedIdentifiers($0) }
    return migrator.migrations.filter(applied.contains)
  }

  // MARK: - Store settings

  /// Sets a value in the store's own settings.
  public func setMeta(_ key: String, _ value: String) throws {
    try pool.write { db in
      try db.execute(
        sql:
          "INSERT INTO store_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        arguments: [key, value])
    }
  }
}

extension SQLiteStore: QueueStore, ActionStore, OutboxStore, EscalationStore, ErasureStore, SourceStore,
  PolicyStore
{}

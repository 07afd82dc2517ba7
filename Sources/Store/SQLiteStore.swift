import Foundation
import GRDB
import GRDBSQLite
import Inbox
import Policy

#if canImport(Glibc)
  import Glibc
#endif

/// The local file store: one SQLite file in WAL mode, shared safely by several processes on one host.
///
/// Write transactions are short (one ingest batch, one action), so a draft save never waits
/// behind a long ingest. Readers never block writers.
public final class SQLiteStore: MentionStore, @unchecked Sendable {
  /// The store file.
  public let path: String
  let pool: DatabasePool
  /// Where this store's actions take their time from: `REPUTE_NOW` in the binary, a fixed moment in tests.
  public let clock: ReputeClock
  // Author ids by (platform, handle), so a busy ingest does not look the same author up each time.
  // Guarded by the pool's writer: only touched inside `pool.write`.
  private var authorCache: [AuthorKey: CachedAuthor] = [:]
  private let changeWatcher: ChangeWatcher
  // Set once the writer connection's page cache was enlarged (only touched inside `pool.write`).
  private var writerTuned = false

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
    StoreFailure.opened(path)
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
    config.busyMode = .timeout(10)
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
      if writable { try Self.keepWALFiles(db) }
      db.add(function: SearchTail.function)
    }
    do {
      // Opening switches a new file to WAL, which needs the file to itself for a moment: a second
      // process opening the same new store then is told `locked` at once, with no busy wait.
      var lockedTries = 0
      pool = try Self.retryingWhileLocked(&lockedTries) {
        try DatabasePool(path: path, configuration: config)
      }
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
    try Self.migrate(pool, path: path, readOnly: mode == .readOnly)
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

  /// Checks every page of the store (`PRAGMA quick_check`), before a bulk write adds to a damaged
  /// file. It reads the whole store, so only commands that write much call it (`ingest`).
  public func verify() throws {
    let problems = try pool.read { db in try String.fetchAll(db, sql: "PRAGMA quick_check(3)") }
    guard problems != ["ok"] else { return }
    throw InboxError.storeUnavailable(
      "the store \(path) is damaged (SQLite: \(problems.joined(separator: "; "))); restore it from a backup")
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

  // MARK: - Ingest

  public func ingest(
    _ batch: [IncomingMention], actor: String, annotator: (any MentionAnnotator)?
  ) throws -> IngestCounts {
    // Classify outside the write lock: only the inserts hold it.
    try ingest(
      batch, annotations: annotator.map { a in batch.map { a.annotate($0) } }, actor: actor,
      rules: (annotator as? PolicyAnnotator)?.policy.escalation)
  }

  /// Stores a batch whose verdicts were computed beforehand (`annotations[i]` for `batch[i]`), so a
  /// caller can classify on another thread while this one writes.
  /// `rules` are the policy's escalation rules: the reasons in each annotation are raised as
  /// escalations, and a repeat complainer is found, in the same transaction as the mentions.
  public func ingest(
    _ batch: [IncomingMention], annotations: [MentionAnnotation]?, actor: String, rules: Escalation? = nil
  ) throws
    -> IngestCounts
  {
    if batch.isEmpty { return IngestCounts() }
    precondition(annotations == nil || annotations!.count == batch.count, "one annotation per mention")
    let now = clock.now().epochMilliseconds
    do {
      return try write(batch, annotations: annotations, actor: actor, rules: rules, now: now)
    } catch {
      // A rolled-back batch may have cached authors that were never stored.
      resetCaches()
      throw error
    }
  }

  /// Writes one batch; `alongside` runs in the same transaction (a source's cursor, say), given
  /// the range of ids stored new. `rules` raise the escalations of the new mentions (see `ingest`).
  func write(
    _ batch: [IncomingMention], annotations: [MentionAnnotation]?, actor: String, rules: Escalation? = nil,
    now: Int64, alongside: ((Database, ClosedRange<Int64>?) throws -> Void)? = nil
  ) throws -> IngestCounts {
    try pool.write { db in
      if !writerTuned {
        // A larger page cache for the writer keeps the indexes' hot pages in memory during ingest.
        // Fewer, larger checkpoints: each one rewrites the pages the batches touched. Counted in
        // pages: 160 MiB of WAL with a new store's 16 KiB pages. Holding it to 40 MiB (the 4 KiB
        // figure) cost a million-mention ingest 8 % more CPU (docs/benchmarks.md).
        try db.execute(sql: "PRAGMA cache_size = -32768")
        try db.execute(sql: "PRAGMA wal_autocheckpoint = 10000")
        writerTuned = true
      }
      var counts = IngestCounts()
      var firstNew: Int64?
      var lastNew: Int64?
      let statements = try IngestStatements(db)
      let tombstones = try Tombstones(db)
      var texts = RawStatement.Texts()
      var arrivals: [Arrival] = []
      for (index, mention) in batch.enumerated() {
        if mention.isTombstone {
          if try markDeleted(mention, now: now, actor: actor, in: db) {
            counts.deleted += 1
          } else if try !isStored(mention, in: db) {
            counts.unknownDeletions += 1
          }
          continue
        }
        // A forgotten post stays forgotten: a later ingest of it does not bring it back.
        if let tombstones, try tombstones.contains(platform: mention.platform, externalID: mention.externalID)
        {
          counts.forgotten += 1
          continue
        }
        let authorID = try authorID(for: mention, statements)
        let a = annotations?[index]
        let insert = statements.insertMention
        texts.removeAll()
        texts.add(1, mention.platform)
        texts.add(2, mention.externalID)
        texts.add(3, mention.url)
        insert.bind(4, authorID)
        insert.bind(5, mention.createdAt.epochMilliseconds)
        insert.bind(6, now)
        texts.add(7, mention.text)
        texts.add(8, mention.lang)
        texts.add(9, mention.inReplyTo)
        texts.add(10, mention.thread)
        insert.bind(11, mention.staff ? 1 : 0 as Int64)
        texts.add(12, mention.raw)
        if let a {
          texts.add(13, a.category.rawValue)
          texts.add(14, "policy")
          insert.bind(15, a.confidence)
          texts.add(16, a.signals.text)
          insert.bind(17, a.muted ? 1 : 0 as Int64)
          insert.bind(18, a.deadlines.earliestReply?.epochMilliseconds)
          insert.bind(19, a.deadlines.firstResponse?.epochMilliseconds)
          insert.bind(20, a.deadlines.followUp?.epochMilliseconds)
          insert.bind(21, a.deadlines.firstResponse?.epochMilliseconds)
          texts.add(22, mention.lang == nil ? a.detectedLang : nil)
        } else {
          insert.bind(17, 0 as Int64)
        }
        try insert.run(binding: texts)
        let inserted = insert.changes == 1
        let rowID = insert.lastInsertedRowID
        if inserted {
          counts.new += 1
          if firstNew == nil { firstNew = rowID }
          lastNew = rowID
          if a?.muted == true { counts.muted += 1 }
          if let a, !a.muted, !a.escalation.isEmpty || a.category == .complaint {
            arrivals.append(
              Arrival(
                id: rowID, authorID: authorID, createdAt: mention.createdAt.epochMilliseconds,
                reasons: a.escalation, complaint: a.category == .complaint))
          }
          if mention.deletion != nil, try markDeleted(mention, now: now, actor: actor, in: db) {
            counts.deleted += 1
          }
          continue
        }
        counts.duplicate += 1
        if try applyEdit(mention, now: now, actor: actor, statements, in: db) { counts.edited += 1 }
        if mention.deletion != nil, try markDeleted(mention, now: now, actor: actor, in: db) {
          counts.deleted += 1
        }
      }
      if counts.new > 0 || counts.edited > 0 || counts.deleted > 0 {
        var detail = #"{"new":\#(counts.new),"duplicate":\#(counts.duplicate),"edited":\#(counts.edited)"#
        if counts.deleted > 0 { detail += #","deleted":\#(counts.deleted)"# }
        if let firstNew, let lastNew { detail += #","first_id":\#(firstNew),"last_id":\#(lastNew)"# }
        try appendEvent(db, at: now, actor: actor, action: "ingest", mentionID: nil, detail: detail + "}")
      }
      if let alongside {
        try alongside(db, firstNew.flatMap { f in lastNew.map { f...$0 } })
      }
      // The rules raise escalations in the policy's name, not the ingest's.
      counts.escalated = try raiseOnArrival(db, arrivals: arrivals, rules: rules, actor: "policy", now: now)
      return counts
    }
  }

  /// The statements one ingest batch runs for every mention, prepared once per batch.
  private struct IngestStatements {
    let insertMention: RawStatement
    let selectMention: RawStatement
    let selectAuthor: RawStatement
    let insertAuthor: RawStatement
    let updateAuthor: RawStatement

    init(_ db: Database) throws {
      insertMention = try RawStatement(
        db,
        """
        INSERT INTO mentions (platform, external_id, url, author_id, created_at, ingested_at, text,
          lang, in_reply_to, thread, staff, raw, category, category_source, confidence, signals, muted,
          earliest_reply_at, first_response_due_at, follow_up_due_at, due_at, detected_lang)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (platform, external_id) DO NOTHING
        """)
      selectMention = try RawStatement(
        db, "SELECT id, text FROM mentions WHERE platform = ? AND external_id = ?")
      selectAuthor = try RawStatement(
        db, "SELECT id, name, followers FROM authors WHERE platform = ? AND handle = ?")
      insertAuthor = try RawStatement(
        db, "INSERT INTO authors (platform, handle, name, followers) VALUES (?, ?, ?, ?)")
      updateAuthor = try RawStatement(db, "UPDATE authors SET name = ?, followers = ? WHERE id = ?")
    }
  }

  /// The same (platform, id) with another text is an edit: keep the earlier text, store the new one.
  private func applyEdit(
    _ mention: IncomingMention, now: Int64, actor: String, _ statements: IngestStatements,
    in db: Database
  ) throws -> Bool {
    let select = statements.selectMention
    select.bind(1, mention.platform)
    select.bind(2, mention.externalID)
    defer { select.reset() }
    guard try select.step(), let id = select.int64(0), let oldText = select.text(1) else { return false }
    guard oldText != mention.text else { return false }
    try db.execute(
      sql: "INSERT INTO mention_revisions (mention_id, text, replaced_at) VALUES (?, ?, ?)",
      arguments: [id, oldText, now])
    try db.execute(
      sql: "UPDATE mentions SET text = ?, raw = ?, edit_count = edit_count + 1 WHERE id = ?",
      arguments: [mention.text, mention.raw, id])
    try appendEvent(db, at: now, actor: actor, action: "edited", mentionID: id, detail: nil)
    return true
  }

  /// Marks a stored mention deleted (or withheld) by its platform, once; its text stays as it was.
  private func markDeleted(_ mention: IncomingMention, now: Int64, actor: String, in db: Database) throws
    -> Bool
  {
    guard let reason = mention.deletion else { return false }
    try db.execute(
      sql: """
        UPDATE mentions SET deleted = ?, deleted_at = ?
        WHERE platform = ? AND external_id = ? AND deleted IS NULL
        """, arguments: [reason, now, mention.platform, mention.externalID])
    guard db.changesCount == 1 else { return false }
    let id = try Int64.fetchOne(
      db, sql: "SELECT id FROM mentions WHERE platform = ? AND external_id = ?",
      arguments: [mention.platform, mention.externalID])
    try appendEvent(db, at: now, actor: actor, action: "deleted", mentionID: id, detail: nil)
    return true
  }

  private func isStored(_ mention: IncomingMention, in db: Database) throws -> Bool {
    try Bool.fetchOne(
      db, sql: "SELECT 1 FROM mentions WHERE platform = ? AND external_id = ?",
      arguments: [mention.platform, mention.externalID]) ?? false
  }

  private struct AuthorKey: Hashable {
    var platform: String
    var handle: String
  }

  private struct CachedAuthor {
    var id: Int64
    var name: String?
    var followers: Int?
  }

  private func authorID(for mention: IncomingMention, _ statements: IngestStatements) throws
    -> Int64
  {
    let key = AuthorKey(platform: mention.platform, handle: mention.author.handle)
    let author = mention.author
    var cached = authorCache[key]
    let wasCached = cached != nil
    if cached == nil {
      let select = statements.selectAuthor
      select.bind(1, key.platform)
      select.bind(2, key.handle)
      if try select.step(), let id = select.int64(0) {
        cached = CachedAuthor(id: id, name: select.text(1), followers: select.int64(2).map { Int($0) })
      }
      select.reset()
    }
    if var known = cached {
      let name = author.name ?? known.name
      let followers = author.followers ?? known.followers
      // Nearly every mention of a known author changes nothing: then the cache is left as it is
      // (storing it again hashed the key a second time, for every mention).
      if wasCached && name == known.name && followers == known.followers { return known.id }
      if name != known.name || followers != known.followers {
        let update = statements.updateAuthor
        update.bind(1, name)
        update.bind(2, followers.map { Int64($0) })
        update.bind(3, known.id)
        try update.step()
        update.reset()
        known.name = name
        known.followers = followers
      }
      remember(key, known)
      return known.id
    }
    let insert = statements.insertAuthor
    insert.bind(1, key.platform)
    insert.bind(2, key.handle)
    insert.bind(3, author.name)
    insert.bind(4, author.followers.map { Int64($0) })
    try insert.step()
    let id = insert.lastInsertedRowID
    insert.reset()
    remember(key, CachedAuthor(id: id, name: author.name, followers: author.followers))
    return id
  }

  private func remember(_ key: AuthorKey, _ author: CachedAuthor) {
    if authorCache.count >= 100_000 { authorCache.removeAll(keepingCapacity: true) }
    authorCache[key] = author
  }

  /// Forgets cached author rows after a transaction rolled back.
  func resetCaches() {
    _ = try? pool.write { _ in authorCache.removeAll() }
  }

  // MARK: - Events

  func appendEvent(
    _ db: Database, at: Int64, actor: String, action: String, mentionID: Int64?, detail: String?
  ) throws {
    try Self.appendEvent(db, at: at, actor: actor, action: action, mentionID: mentionID, detail: detail)
  }

  static func appendEvent(
    _ db: Database, at: Int64, actor: String, action: String, mentionID: Int64?, detail: String?
  ) throws {
    try db.cachedStatement(
      sql: "INSERT INTO events (at, actor, action, mention_id, detail) VALUES (?, ?, ?, ?, ?)"
    ).execute(arguments: [at, actor, action, mentionID, detail])
  }

  /// Records an event that concerns no single mention's data (a policy change, an ingest run).
  public func record(actor: String, action: String, mentionID: Int64? = nil, detail: String? = nil)
    throws
  {
    let now = clock.now().epochMilliseconds
    try pool.write { db in
      try appendEvent(db, at: now, actor: actor, action: action, mentionID: mentionID, detail: detail)
    }
  }

  /// The ingest event whose batch stored a mention (arguments: the id three times); it reads the
  /// partial index `events_ingest`, not every event.
  static let arrivalEventSQL = """
    SELECT id, at, actor, action, ?, NULL FROM events
    WHERE action = 'ingest' AND json_extract(detail, '$.first_id') <= ?
      AND json_extract(detail, '$.last_id') >= ?
    ORDER BY id LIMIT 1
    """

  public func events(mentionID: Int64) throws -> [Event] {
    try pool.read { db in
      // The batch that stored the mention names its range of new ids, not each mention.
      let arrival = try Row.fetchAll(
        db, sql: Self.arrivalEventSQL, arguments: [mentionID, mentionID, mentionID]
      ).map(Self.event)
      let own = try Row.fetchAll(
        db,
        sql: """
          SELECT id, at, actor, action, mention_id, detail FROM events
          WHERE mention_id = ? ORDER BY id
          """,
        arguments: [mentionID]
      ).map(Self.event)
      return arrival + own
    }
  }

  /// The whole audit trail, oldest first, optionally from an event id on.
  public func allEvents(after id: Int64 = 0, limit: Int = 10_000) throws -> [Event] {
    try pool.read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT id, at, actor, action, mention_id, detail FROM events
          WHERE id > ? ORDER BY id LIMIT ?
          """,
        arguments: [id, limit]
      ).map(Self.event)
    }
  }

  private static func event(_ row: Row) -> Event {
    Event(
      id: row[0], at: Date(epochMilliseconds: row[1]), actor: row[2], action: row[3],
      mentionID: row[4], detail: row[5])
  }

  // MARK: - Reading

  static let mentionColumns = """
    m.id, m.platform, m.external_id, m.url, a.handle, a.name, a.followers, m.created_at,
    m.ingested_at, m.text, m.lang, m.in_reply_to, m.thread, m.staff, m.category, m.status,
    m.earliest_reply_at, m.first_response_due_at, m.follow_up_due_at, m.edit_count, m.confidence,
    m.signals, m.detected_lang, m.category_by, m.muted, m.deleted, m.holding_since, m.first_response_at,
    m.snoozed_until, m.snoozed_from, m.follow_up_at, m.follow_up_answered_due_at
    """

  static func mention(_ row: Row) -> Mention {
    func date(_ index: Int) -> Date? { (row[index] as Int64?).map(Date.init(epochMilliseconds:)) }
    let followers: Int64? = row[6]
    return Mention(
      id: row[0], platform: row[1], externalID: row[2], url: row[3],
      author: Author(handle: row[4], name: row[5], followers: followers.map { Int($0) }),
      createdAt: date(7)!, ingestedAt: date(8)!, text: row[9], lang: row[10], inReplyTo: row[11],
      thread: row[12], staff: row[13], category: (row[14] as String?).flatMap(Category.init(rawValue:)),
      status: MentionStatus(rawValue: row[15]) ?? .open,
      deadlines: MentionDeadlines(
        earliestReply: date(16), firstResponse: date(17), followUp: date(18), holdingSince: date(26),
        firstResponseAt: date(27), followUpAt: date(30), followUpAnsweredDue: date(31)),
      editCount: row[19], confidence: row[20],
      signalsJSON: (row[21] as String?).flatMap { PackedSignals(stored: $0).json }, detectedLang: row[22],
      categoryBy: row[23], muted: row[24], deleted: row[25], snoozedUntil: date(28),
      snoozedFrom: (row[29] as String?).flatMap(MentionStatus.init(rawValue:)))
  }

  public func mentions(order: MentionOrder, limit: Int, offset: Int) throws -> [Mention] {
    switch order {
    case .newest:
      return try pool.read { db in
        try Row.fetchAll(
          db,
          sql: """
            SELECT \(Self.mentionColumns) FROM mentions m JOIN authors a ON a.id = m.author_id
            WHERE m.muted = 0
            ORDER BY m.created_at DESC, m.id DESC LIMIT ? OFFSET ?
            """,
          arguments: [limit, offset]
        ).map(Self.mention)
      }
    case .urgency:
      // The inbox's queue without a filter: three indexed segments (see `queue(_:limit:offset:now:)`).
      return try queue(QueueQuery(), limit: limit, offset: offset, now: clock.now()).map(\.mention)
    }
  }

  public func mention(id: Int64) throws -> Mention? {
    try pool.read { db in
      try Row.fetchOne(
        db,
        sql: """
          SELECT \(Self.mentionColumns) FROM mentions m JOIN authors a ON a.id = m.author_id
          WHERE m.id = ?
          """,
        arguments: [id]
      ).map(Self.mention)
    }
  }

  public func revisions(mentionID: Int64) throws -> [(text: String, replacedAt: Date)] {
    try pool.read { db in
      try Row.fetchAll(
        db, sql: "SELECT text, replaced_at FROM mention_revisions WHERE mention_id = ? ORDER BY id",
        arguments: [mentionID]
      ).map { (text: $0[0], replacedAt: Date(epochMilliseconds: $0[1])) }
    }
  }

  /// The source record of a mention exactly as it was read.
  public func rawRecord(mentionID: Int64) throws -> String? {
    try pool.read {
      try String.fetchOne($0, sql: "SELECT raw FROM mentions WHERE id = ?", arguments: [mentionID])
    }
  }

  public func mentionCount() throws -> Int {
    try pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM mentions")! }
  }

  public func changeToken() throws -> Int64 {
    try changeWatcher.token()
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

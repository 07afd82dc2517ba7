import Foundation
import GRDB
import GRDBSQLite
import Inbox
import Policy

/// What an erasure took away.
public struct ErasureCounts: Sendable, Hashable {
  public var mentions = 0
  public var authors = 0
  public var revisions = 0
  public var notes = 0
  public var replies = 0
  /// Other people's mentions whose text or raw record named or quoted the forgotten author.
  public var quoting = 0

  public init() {}

  static func += (a: inout ErasureCounts, b: ErasureCounts) {
    a.mentions += b.mentions
    a.authors += b.authors
    a.revisions += b.revisions
    a.notes += b.notes
    a.replies += b.replies
    a.quoting += b.quoting
  }
}

/// Forgotten posts, by a salted hash of (platform, id): the store keeps no id of a forgotten post,
/// yet knows one when it is ingested again.
struct Tombstones {
  let salt: String
  let lookup: Statement

  /// Nil when nothing was forgotten yet (then ingest looks nothing up).
  init?(_ db: Database) throws {
    guard try Bool.fetchOne(db, sql: "SELECT 1 FROM tombstones LIMIT 1") != nil else { return nil }
    salt = try String.fetchOne(db, sql: "SELECT value FROM store_meta WHERE key = 'tombstone_salt'") ?? ""
    lookup = try db.cachedStatement(sql: "SELECT 1 FROM tombstones WHERE key = ?")
  }

  func contains(platform: String, externalID: String) throws -> Bool {
    try Bool.fetchOne(lookup, arguments: [Self.key(salt: salt, platform: platform, externalID: externalID)])
      != nil
  }

  /// SHA-256 of salt, platform and id (the policy module's own SHA-256): the store keeps no id of
  /// a forgotten post, and the per-store salt keeps a list of known ids from being checked
  /// against another store's tombstones.
  static func key(salt: String, platform: String, externalID: String) -> String {
    Fingerprint.sha256Hex(Array(salt.utf8) + [0] + Array(platform.utf8) + [0] + Array(externalID.utf8))
  }

  /// The tombstone of a forgotten author: the salted hash of platform (or `*`, any platform) and
  /// lowercased handle, in a namespace of its own ("author" before the platform), so it never
  /// matches a post's.
  static func authorKey(salt: String, platform: String?, handle: String) -> String {
    let bare = handle.hasPrefix("@") ? String(handle.dropFirst()) : handle
    return key(
      salt: salt, platform: "author\u{1}" + (platform?.lowercased() ?? "*"), externalID: bare.lowercased())
  }
}

/// The right to be forgotten and retention: personal data goes, anonymous figures stay.
///
/// A mention is erased in place: its text, raw record, url, ids and signals are cleared, it points
/// to a placeholder author and leaves the queue, while its category, times, deadlines, status and
/// first response stay for the team's figures. Its earlier texts, the team's notes on it and on its
/// escalations, and drafts and replies to it go. A tombstone keeps a later ingest from bringing
/// the post back. Afterwards `compact()` squeezes the bytes out of the file.
extension SQLiteStore {
  /// The handle placeholder erased mentions point to (parentheses are in no platform's handles).
  public static let forgottenHandle = "(forgotten)"

  /// Mentions erased per write transaction: a teammate's write waits for one such batch at most
  /// (a few tens of milliseconds), never for the whole erasure.
  static let erasureBatch = 100

  /// Erases every mention by `handle` (on `platform`, or on every platform) and the author.
  /// The work is done in short write transactions, so others keep writing meanwhile; the last one
  /// removes the author, leaves a salted tombstone of the handle and logs the erasure. Until that
  /// one commits, the author is still there and forget can be run again.
  public func forget(author handle: String, platform: String? = nil, actor: String) throws -> ErasureCounts {
    let normalised = handle.hasPrefix("@") ? String(handle.dropFirst()) : handle
    let authors = try pool.read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT id, platform, handle FROM authors WHERE (handle = ? OR lower(handle) = lower(?))
            AND (? IS NULL OR platform = ?) AND handle != ?
          """, arguments: [normalised, normalised, platform, platform, Self.forgottenHandle])
    }
    let ids: [Int64] = authors.map { $0[0] }
    // Other people's mentions, replies, drafts and notes that name or quote them, first: a crash
    // before the end leaves the author in the store, so running forget again does it all (the
    // redaction finds nothing twice).
    var counts = ErasureCounts()
    let redactor =
      authors.isEmpty || normalised.isEmpty ? nil : try self.redactor(author: handle, platform: platform)
    var about = Set<Int64>()
    if let redactor {
      let redacted = try redact(redactor, sparing: ids)
      counts.quoting += redacted.quoting
      counts.replies += redacted.replies
      about = redacted.about
    }
    for author in ids {
      while true {
        let batch = try pool.read { db in
          try Int64.fetchAll(
            db, sql: "SELECT id FROM mentions WHERE author_id = ? ORDER BY id LIMIT ?",
            arguments: [author, Self.erasureBatch])
        }
        if batch.isEmpty { break }
        let started = Date()
        counts += try erase(batch)
        breathe(since: started)
      }
    }
    let now = clock.now().epochMilliseconds
    try pool.write { db in
      try db.execute(sql: "PRAGMA secure_delete = ON")
      let salt = try Self.tombstoneSalt(db)
      for row in authors {
        let (author, on, stored): (Int64, String, String) = (row[0], row[1], row[2])
        try db.execute(sql: "DELETE FROM watched_authors WHERE author_id = ?", arguments: [author])
        try db.execute(sql: "DELETE FROM authors WHERE id = ?", arguments: [author])
        counts.authors += db.changesCount
        for key in [
          Tombstones.authorKey(salt: salt, platform: on, handle: stored),
          Tombstones.authorKey(salt: salt, platform: nil, handle: stored),
        ] {
          try db.execute(
            sql: "INSERT OR IGNORE INTO tombstones (key, at) VALUES (?, ?)", arguments: [key, now])
        }
      }
      // The trail keeps only how many (never the handle), in the transaction that ends the
      // erasure: an erasure that committed is logged.
      var w = JSONWriter()
      w.int("mentions", counts.mentions)
      w.int("authors", counts.authors)
      w.int("quoting", counts.quoting)
      try appendEvent(db, at: now, actor: actor, action: "forget", mentionID: nil, detail: w.finish())
    }
    resetCaches()
    eraseExports(redacting: redactor, about: about)
    endSecureDelete()
    return counts
  }

  /// Whether an author of this handle (on `platform`, or on any) was forgotten here: their
  /// tombstone, a salted hash of platform and handle, says so without keeping the handle.
  public func wasForgotten(author handle: String, platform: String? = nil) throws -> Bool {
    let normalised = handle.hasPrefix("@") ? String(handle.dropFirst()) : handle
    return try pool.read { db in
      let salt = try Self.tombstoneSalt(db)
      return try Bool.fetchOne(
        db, sql: "SELECT 1 FROM tombstones WHERE key = ?",
        arguments: [Tombstones.authorKey(salt: salt, platform: platform, handle: normalised)]) != nil
    }
  }

  static func tombstoneSalt(_ db: Database) throws -> String {
    try String.fetchOne(db, sql: "SELECT value FROM store_meta WHERE key = 'tombstone_salt'") ?? ""
  }

  /// Erases every mention written before `cutoff` (retention), and the authors left without one.
  public func purge(before cutoff: Date, actor: String) throws -> ErasureCounts {
    var counts = ErasureCounts()
    let at = cutoff.epochMilliseconds
    while true {
      let ids = try pool.read { db in
        try Int64.fetchAll(
          db,
          sql: """
            SELECT m.id FROM mentions m INDEXED BY mentions_by_created JOIN authors a ON a.id = m.author_id
            WHERE m.created_at < ? AND a.handle != ? ORDER BY m.created_at LIMIT ?
            """, arguments: [at, Self.forgottenHandle, Self.erasureBatch])
      }
      if ids.isEmpty { break }
      // Retention may erase a million: the purge event names the cutoff instead of each mention.
      let started = Date()
      counts += try erase(ids, eventPerMention: false)
      breathe(since: started)
    }
    // Authors left without a mention, a few hundred a transaction.
    var after: Int64 = 0
    while true {
      let batch = try pool.read { db in
        try Int64.fetchAll(
          db,
          sql: """
            SELECT id FROM authors WHERE id > ? AND handle != ? AND NOT EXISTS
              (SELECT 1 FROM mentions m WHERE m.author_id = authors.id) ORDER BY id LIMIT ?
            """, arguments: [after, Self.forgottenHandle, Self.erasureBatch])
      }
      guard let last = batch.last else { break }
      after = last
      let list = batch.map(String.init).joined(separator: ",")
      try pool.write { db in
        try db.execute(sql: "PRAGMA secure_delete = ON")
        try db.execute(sql: "DELETE FROM watched_authors WHERE author_id IN (\(list))")
        // Checked again: an ingest may have given one of them a mention meanwhile.
        try db.execute(
          sql: """
            DELETE FROM authors WHERE id IN (\(list)) AND NOT EXISTS
              (SELECT 1 FROM mentions m WHERE m.author_id = authors.id)
            """)
        counts.authors += db.changesCount
      }
    }
    let now = clock.now().epochMilliseconds
    var w = JSONWriter()
    w.string("before", RFC3339.format(cutoff))
    w.int("mentions", counts.mentions)
    w.int("authors", counts.authors)
    try pool.write { db in
      try appendEvent(db, at: now, actor: actor, action: "purge", mentionID: nil, detail: w.finish())
    }
    resetCaches()
    eraseExports(redacting: nil)
    endSecureDelete()
    return counts
  }

  /// Erases these mentions in one transaction (see the type's comment), each with an `erased`
  /// event unless `eventPerMention` is off.
  func erase(_ ids: [Int64], eventPerMention: Bool = true) throws -> ErasureCounts {
    let now = clock.now().epochMilliseconds
    return try pool.write { db in
      try db.execute(sql: "PRAGMA secure_delete = ON")
      var counts = ErasureCounts()
      let salt = try Self.tombstoneSalt(db)
      let list = ids.map(String.init).joined(separator: ",")
      for row in try Row.fetchAll(db, sql: "SELECT platform, external_id FROM mentions WHERE id IN (\(list))")
      {
        let key = Tombstones.key(salt: salt, platform: row[0], externalID: row[1])
        try db.execute(
          sql: "INSERT OR IGNORE INTO tombstones (key, at) VALUES (?, ?)", arguments: [key, now])
      }
      try db.execute(sql: "DELETE FROM mention_revisions WHERE mention_id IN (\(list))")
      counts.revisions = db.changesCount
      try db.execute(sql: "DELETE FROM notes WHERE mention_id IN (\(list))")
      counts.notes = db.changesCount
      try db.execute(
        sql: """
          DELETE FROM escalation_notes WHERE escalation_id IN
            (SELECT id FROM escalations WHERE mention_id IN (\(list)))
          """)
      counts.notes += db.changesCount
      counts.replies = try eraseReplies(db, list)
      // One placeholder author per platform.
      try db.execute(
        sql: """
          INSERT OR IGNORE INTO authors (platform, handle, name, followers)
          SELECT DISTINCT platform, ?, NULL, NULL FROM mentions WHERE id IN (\(list))
          """, arguments: [Self.forgottenHandle])
      // Text first, in its own statement, while the author row still names the old handle: the
      // search index's trigger removes exactly what it indexed.
      try db.execute(
        sql: """
          UPDATE mentions SET text = '', author_id = (SELECT id FROM authors a
            WHERE a.platform = mentions.platform AND a.handle = ?)
          WHERE id IN (\(list))
          """, arguments: [Self.forgottenHandle])
      counts.mentions = db.changesCount
      try db.execute(
        sql: """
          UPDATE mentions SET raw = '', url = NULL, external_id = 'forgotten-' || id, in_reply_to = NULL,
            thread = NULL, signals = NULL, muted = 1, due_at = NULL, snoozed_until = NULL,
            snoozed_from = NULL, no_reply_reason = NULL
          WHERE id IN (\(list))
          """)
      for id in ids where eventPerMention {
        try appendEvent(db, at: now, actor: "repute", action: "erased", mentionID: id, detail: nil)
      }
      return counts
    }
  }

  /// Drafts and outbox replies to erased mentions (they quote and name the author).
  func eraseReplies(_ db: Database, _ list: String) throws -> Int {
    var erased = 0
    for table in ["drafts", "outbox"] where try db.tableExists(table) {
      let columns = try db.columns(in: table).map(\.name)
      guard columns.contains("mention_id") else { continue }
      try db.execute(sql: "DELETE FROM \(table) WHERE mention_id IN (\(list))")
      erased += db.changesCount
    }
    return erased
  }

  /// Where replies for platforms without a reply API (X) are written for sending by hand:
  /// `export/` beside the store.
  public var exportFolder: String {
    URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent().appendingPathComponent(
      "export"
    ).path
  }

  /// The written-out replies (`export/reply-ID-x.txt`) quote the author and name them: a file whose
  /// outbox reply was erased goes, and in the others the forgotten author's handle and name (with
  /// `redactor`) are replaced as in the outbox. A file left by a crash between the erasure and this
  /// sweep goes on the next erasure.
  /// Erasure overwrites freed pages (`secure_delete`) on the writer's connection; later writes in
  /// the same process (an inbox that ran `forget`) need not pay for it.
  func endSecureDelete() {
    _ = try? pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA secure_delete = OFF") }
  }

  func eraseExports(redacting redactor: Redactor?, about: Set<Int64> = []) {
    let fm = FileManager.default
    let folder = exportFolder
    guard let names = try? fm.contentsOfDirectory(atPath: folder) else { return }
    for name in names where name.hasPrefix("reply-") && name.hasSuffix("-x.txt") {
      guard let id = Int64(name.dropFirst(6).dropLast(6)) else { continue }
      let file = folder + "/" + name
      let record: OutboxRecord?
      do { record = try outboxRecord(id: id) } catch { continue }
      guard let record else {
        try? fm.removeItem(atPath: file)
        continue
      }
      guard let redactor, let data = fm.contents(atPath: file), let text = String(data: data, encoding: .utf8)
      else { continue }
      // Their name only in a reply to a mention that answers or quotes them, as in the outbox.
      let names = about.contains(record.mentionID)
      // The reply is in the file twice: as text, and percent-encoded as the composer link's
      // `text=` value. The value is decoded, redacted by the same word rules, and encoded again, so
      // "Joanna" keeps its letters when "@anna" is forgotten.
      var query = CharacterSet.alphanumerics
      query.insert(charactersIn: "-._~")
      var erased = ""
      for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
        if let marker = line.range(of: "&text=") {
          let value = line[marker.upperBound...]
          let end = value.firstIndex(where: { $0 == "&" || $0.isWhitespace }) ?? value.endIndex
          if let decoded = String(value[..<end]).removingPercentEncoding {
            let redacted = redactor.redact(decoded, names: names).text
            let again = redacted.addingPercentEncoding(withAllowedCharacters: query) ?? String(value[..<end])
            erased +=
              redactor.redact(String(line[..<marker.upperBound]), names: names).text + again + line[end...]
              + "\n"
            continue
          }
        }
        erased += redactor.redact(String(line), names: names).text + "\n"
      }
      erased.removeLast()
      guard erased != text else { continue }
      StoreFiles.rewriteKeepingTimes(file, contents: Data(erased.utf8))
    }
  }

  /// Pages of the search index merged per write transaction by `compact()`.
  static let mergeStep = 100
  /// Free pages handed back to the file system per step (stores with incremental auto-vacuum).
  static let vacuumStep = 512

  /// Squeezes erased bytes out of the file without holding the store: the search index is merged
  /// a few hundred pages per write transaction until it is one segment again (which drops what
  /// was deleted from it; freed pages are zeroed, `secure_delete`), a store with incremental
  /// auto-vacuum gives its free pages back in steps, and the WAL is checkpointed and truncated
  /// with a short busy wait, retried, so the old page images in it go too. No VACUUM: it held the
  /// write lock for the whole file (48 s on a million mentions). Other processes wait for one
  /// step at most. Returns false when the WAL could not be emptied (someone kept reading).
  @discardableResult
  public func compact() throws -> Bool {
    defer { endSecureDelete() }
    // FTS5's 'merge' with a negative page count merges toward one segment, as 'optimize' does,
    // a bounded amount at a time; fewer than 2 changes means there was nothing left to merge.
    while true {
      let started = Date()
      let worked = try pool.write { db -> Bool in
        try db.execute(sql: "PRAGMA secure_delete = ON")
        let before = db.totalChangesCount
        try db.execute(
          sql: "INSERT INTO mention_search (mention_search, rank) VALUES ('merge', ?)",
          arguments: [-Self.mergeStep])
        return db.totalChangesCount - before >= 2
      }
      breathe(since: started)
      if !worked { break }
    }
    // Stores created with auto_vacuum = INCREMENTAL (2) shrink; others keep the zeroed free pages
    // for later ingests.
    if try pool.read({ try Int.fetchOne($0, sql: "PRAGMA auto_vacuum") }) == 2 {
      while try pool.read({ try Int.fetchOne($0, sql: "PRAGMA freelist_count") ?? 0 }) > 0 {
        try pool.writeWithoutTransaction { db in
          try db.execute(sql: "PRAGMA incremental_vacuum(\(Self.vacuumStep))")
        }
      }
    }
    return try truncateWAL()
  }

  /// What an erasure does after each of its write transactions (begun at `started`), so that it
  /// never holds the store for long: copies the WAL into the file without waiting for anyone
  /// (PASSIVE; otherwise a teammate's commit that crosses SQLite's auto-checkpoint threshold
  /// copies the erasure's pages itself), then pauses as long as the step took. Back-to-back
  /// transactions starve a waiting writer, whose busy handler looks again only every 100 ms;
  /// measured: 0.95 s waits without the pause, at half the erasure's speed with it.
  func breathe(since started: Date) {
    _ = try? pool.writeWithoutTransaction { db in try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(PASSIVE)")
    }
    Thread.sleep(forTimeInterval: min(max(Date().timeIntervalSince(started), 0.005), 0.2))
  }

  /// Checkpoints and truncates the WAL, waiting at most 200 ms for readers at each try (the
  /// checkpoint keeps writers out while it waits), for up to about 10 s in all.
  func truncateWAL() throws -> Bool {
    try pool.writeWithoutTransaction { db in
      _ = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(PASSIVE)")
      sqlite3_busy_timeout(db.sqliteConnection, 200)
      defer { sqlite3_busy_timeout(db.sqliteConnection, 10_000) }
      for _ in 0..<30 {
        if let row = try? Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)"), (row[0] as Int?) == 0 {
          return true
        }
        Thread.sleep(forTimeInterval: 0.1)
      }
      return false
    }
  }
}

extension SQLiteStore {
  /// What names the author `forget(author:platform:actor:)` erases in other people's text: the
  /// handle as given, and the handles and display names of the matching authors. Ask before the
  /// erasure, while the author rows exist (the CLI cleans the spool's copies with it first).
  public func redactor(author handle: String, platform: String? = nil) throws -> Redactor {
    let normalised = handle.hasPrefix("@") ? String(handle.dropFirst()) : handle
    let rows = try pool.read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT handle, name FROM authors WHERE (handle = ? OR lower(handle) = lower(?))
            AND (? IS NULL OR platform = ?) AND handle != ?
          """, arguments: [normalised, normalised, platform, platform, Self.forgottenHandle])
    }
    // Their posts, by platform and id: a mention that answers or quotes one of them is about them.
    let posts = try pool.read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT m.platform, m.external_id FROM mentions m JOIN authors a ON a.id = m.author_id
          WHERE (a.handle = ? OR lower(a.handle) = lower(?)) AND (? IS NULL OR a.platform = ?) AND a.handle != ?
          """, arguments: [normalised, normalised, platform, platform, Self.forgottenHandle]
      ).map { Redactor.Post(platform: $0[0], id: $0[1]) }
    }
    return Redactor(
      handles: [normalised] + rows.map { $0[0] as String }, names: rows.compactMap { $0[1] as String? },
      posts: posts)
  }

  /// How many mentions `forget(author:platform:actor:)` would erase.
  public func mentionCount(author handle: String, platform: String? = nil) throws -> Int {
    let normalised = handle.hasPrefix("@") ? String(handle.dropFirst()) : handle
    return try pool.read { db in
      try Int.fetchOne(
        db,
        sql: """
          SELECT count(*) FROM mentions m JOIN authors a ON a.id = m.author_id
          WHERE (a.handle = ? OR lower(a.handle) = lower(?)) AND (? IS NULL OR a.platform = ?) AND a.handle != ?
          """, arguments: [normalised, normalised, platform, platform, Self.forgottenHandle]) ?? 0
    }
  }

  /// How many authors `forget(author:platform:actor:)` would erase: none means the name matches
  /// nobody in the store (a typo, or forgotten already).
  public func authorCount(handle: String, platform: String? = nil) throws -> Int {
    let normalised = handle.hasPrefix("@") ? String(handle.dropFirst()) : handle
    return try pool.read { db in
      try Int.fetchOne(
        db,
        sql: """
          SELECT count(*) FROM authors WHERE (handle = ? OR lower(handle) = lower(?))
            AND (? IS NULL OR platform = ?) AND handle != ?
          """, arguments: [normalised, normalised, platform, platform, Self.forgottenHandle]) ?? 0
    }
  }

  /// How many mentions `purge(before:actor:)` would erase.
  public func mentionCount(before cutoff: Date) throws -> Int {
    try pool.read { db in
      try Int.fetchOne(
        db,
        sql: """
          SELECT count(*) FROM mentions m INDEXED BY mentions_by_created JOIN authors a ON a.id = m.author_id
          WHERE m.created_at < ? AND a.handle != ?
          """, arguments: [cutoff.epochMilliseconds, Self.forgottenHandle]) ?? 0
    }
  }
}

extension SQLiteStore {
  /// Ids a redaction pass reads per read transaction (reads never keep a writer waiting).
  static let redactionSlice: Int64 = 50_000
  /// Rows a redaction pass rewrites per write transaction.
  static let redactionBatch = 50

  /// Takes a forgotten author out of what others wrote where it refers to them (see `Redactor`):
  /// the text and raw record of other people's mentions (the search index follows the text
  /// through its trigger), their earlier texts, the team's notes, drafts and outbox replies. The
  /// handle goes everywhere; the name only in what hangs on a mention that answers or quotes one
  /// of their posts. Others' own names and handles are never touched. The mentions keep their ids,
  /// category, status and figures.
  ///
  /// Rows are looked at in read transactions (an `instr` on a lowercased column picks them) and
  /// rewritten a couple of hundred per write transaction, each update guarded by the value it
  /// read: a row changed meanwhile (an edit) is read again and redacted in that transaction.
  /// The mentions of `authors` (about to be erased) are not looked at.
  func redact(_ redactor: Redactor, sparing authors: [Int64] = []) throws -> (
    quoting: Int, replies: Int, about: Set<Int64>
  ) {
    let handleNeedles = redactor.handleNeedles
    let nameNeedles = redactor.needles.filter { !handleNeedles.contains($0) }
    guard !handleNeedles.isEmpty else { return (0, 0, []) }
    func picks(_ columns: [String], _ needles: [String]) -> (String, [String]) {
      var terms: [String] = []
      var arguments: [String] = []
      for column in columns {
        for needle in needles {
          // SQLite's lower() folds ASCII only; a name with other letters is folded in Swift.
          let folded =
            needle.unicodeScalars.allSatisfy(\.isASCII) ? "lower(\(column))" : "repute_fold(\(column))"
          terms.append("instr(\(folded), ?) > 0")
          arguments.append(needle)
        }
      }
      return ("(" + (terms.isEmpty ? "0" : terms.joined(separator: " OR ")) + ")", arguments)
    }
    let spared = authors.map(String.init).joined(separator: ",")

    // The mentions that answer one of their posts (by the reply and thread indexes).
    var context = Set<Int64>()
    try pool.read { db in
      for post in redactor.posts {
        context.formUnion(
          try Int64.fetchAll(
            db,
            sql: """
              SELECT id FROM mentions WHERE platform = ? AND in_reply_to = ?
              UNION SELECT id FROM mentions WHERE platform = ? AND thread = ?
              """, arguments: [post.platform, post.id, post.platform, post.id]))
      }
    }

    /// One redaction of a column: what it read, what it writes.
    struct Change {
      var rowid: Int64
      var column: String
      var old: String
      var new: String
      var names: Bool
      var own: [String]
    }
    func redacted(_ column: String, _ value: String, names: Bool, own: [String]) -> String? {
      let out =
        column == "raw"
        ? redactor.redactRaw(value, names: names, own: own) : redactor.redact(value, names: names).text
      return out == value ? nil : out
    }
    /// Writes the changes a batch a transaction; returns the rows changed. The event log refuses
    /// updates (`appendOnly`): its guard is lifted and put back inside each such transaction.
    func write(_ table: String, _ changes: [Change], appendOnly: Bool = false) throws -> Int {
      var rows = Set<Int64>()
      var start = 0
      while start < changes.count {
        var end = start
        var batchRows = Set<Int64>()
        while end < changes.count
          && (batchRows.count < Self.redactionBatch || batchRows.contains(changes[end].rowid))
        {
          batchRows.insert(changes[end].rowid)
          end += 1
        }
        let started = Date()
        try pool.write { db in
          try db.execute(sql: "PRAGMA secure_delete = ON")
          let guardSQL = appendOnly ? try Self.liftAppendOnlyGuard(db) : nil
          // Text first, in its own statement: the search index's trigger swaps exactly the old
          // text for the new.
          for change in changes[start..<end] {
            try db.execute(
              sql: "UPDATE \(table) SET \(change.column) = ? WHERE rowid = ? AND \(change.column) = ?",
              arguments: [change.new, change.rowid, change.old])
            if db.changesCount == 0,
              let now = try String.fetchOne(
                db, sql: "SELECT \(change.column) FROM \(table) WHERE rowid = ?", arguments: [change.rowid]),
              let again = redacted(change.column, now, names: change.names, own: change.own)
            {
              try db.execute(
                sql: "UPDATE \(table) SET \(change.column) = ? WHERE rowid = ?",
                arguments: [again, change.rowid])
            }
          }
          if let guardSQL { try db.execute(sql: guardSQL) }
        }
        breathe(since: started)
        rows.formUnion(batchRows)
        start = end
      }
      return rows.count
    }
    /// Slices of rowids read one read transaction each.
    func slices(_ table: String, _ body: (Database, Int64, Int64) throws -> [Change]) throws -> [Change] {
      var changes: [Change] = []
      var from: Int64 = 0
      let last = try pool.read { db in try Int64.fetchOne(db, sql: "SELECT max(rowid) FROM \(table)") } ?? 0
      while from < last {
        let to = from + Self.redactionSlice
        changes += try pool.read { db in
          db.add(function: Self.foldFunction)
          return try body(db, from, to)
        }
        from = to
      }
      return changes
    }
    let contextList = "(" + context.map(String.init).joined(separator: ",") + ")"

    // Other people's mentions: text and raw record.
    let (handlePick, handleArgs) = picks(["m.text", "m.raw"], handleNeedles)
    let (namePick, nameArgs) = picks(["m.text", "m.raw"], nameNeedles)
    var quoting = Set<Int64>()
    let mentionChanges = try slices("mentions") { db, from, to in
      var out: [Change] = []
      let rows = try Row.fetchAll(
        db,
        sql: """
          SELECT m.id, m.text, m.raw, m.platform, a.handle, a.name FROM mentions m JOIN authors a ON a.id = m.author_id
          WHERE m.id > ? AND m.id <= ? AND a.handle != ?\(spared.isEmpty ? "" : " AND m.author_id NOT IN (\(spared))")
            AND (\(handlePick)\(context.isEmpty ? "" : " OR (m.id IN \(contextList) AND \(namePick))"))
          """,
        arguments: StatementArguments([from, to] as [Int64]) + [Self.forgottenHandle]
          + StatementArguments(handleArgs) + StatementArguments(context.isEmpty ? [] : nameArgs))
      for row in rows {
        let id: Int64 = row[0]
        let text: String = row[1]
        let raw: String = row[2]
        let own = [row[4] as String?, row[5] as String?].compactMap { $0 }
        let names = context.contains(id) || redactor.quotes(raw, platform: row[3])
        if names { quoting.insert(id) }
        if let new = redacted("text", text, names: names, own: own) {
          out.append(Change(rowid: id, column: "text", old: text, new: new, names: names, own: own))
        }
        if let new = redacted("raw", raw, names: names, own: own) {
          out.append(Change(rowid: id, column: "raw", old: raw, new: new, names: names, own: own))
        }
      }
      return out
    }
    let quotingCount = try write("mentions", mentionChanges)
    let about = context.union(quoting)
    let aboutList = "(" + about.map(String.init).joined(separator: ",") + ")"

    /// What hangs on a mention (`mention` is the SQL of its mention id): the handle everywhere,
    /// the name where the mention is about them. What hangs on their own mentions goes with them
    /// in `erase`: not looked at.
    ///
    /// `column` is the free text looked at. What hangs on their own mentions is left to `erase`,
    /// except with `theirsToo` (what `erase` keeps: the event log), where it is redacted with
    /// their names too.
    func pass(
      _ table: String, mention: String, column: String = "text", theirsToo: Bool = false,
      appendOnly: Bool = false
    ) throws -> Int {
      let (handlePick, handleArgs) = picks([column], handleNeedles)
      let (namePick, nameArgs) = picks([column], nameNeedles)
      let ofTheirs =
        spared.isEmpty ? "0" : "\(mention) IN (SELECT id FROM mentions WHERE author_id IN (\(spared)))"
      let theirs = spared.isEmpty || theirsToo ? "" : " AND NOT \(ofTheirs)"
      var nameScope: [String] = []
      if !about.isEmpty { nameScope.append("\(mention) IN \(aboutList)") }
      if theirsToo && !spared.isEmpty { nameScope.append(ofTheirs) }
      let names = nameScope.isEmpty ? "" : " OR ((\(nameScope.joined(separator: " OR "))) AND \(namePick))"
      let changes = try slices(table) { db, from, to in
        try Row.fetchAll(
          db,
          sql: """
            SELECT rowid, \(column), \(mention), \(theirsToo ? ofTheirs : "0") FROM \(table)
            WHERE rowid > ? AND rowid <= ?\(theirs) AND (\(handlePick)\(names))
            """,
          arguments: StatementArguments([from, to] as [Int64]) + StatementArguments(handleArgs)
            + StatementArguments(nameScope.isEmpty ? [] : nameArgs)
        ).compactMap { row -> Change? in
          guard let text: String = row[1] else { return nil }
          let names = (row[2] as Int64?).map(about.contains) ?? false || (row[3] as Bool? ?? false)
          guard let new = redacted(column, text, names: names, own: []) else { return nil }
          return Change(rowid: row[0], column: column, old: text, new: new, names: names, own: [])
        }
      }
      return try write(table, changes, appendOnly: appendOnly)
    }
    _ = try pass("mention_revisions", mention: "mention_id")
    _ = try pass("notes", mention: "mention_id")
    _ = try pass(
      "escalation_notes",
      mention: "(SELECT e.mention_id FROM escalations e WHERE e.id = escalation_notes.escalation_id)")
    var replies = 0
    for table in ["drafts", "outbox"] where try pool.read({ try $0.tableExists(table) }) {
      replies += try pass(table, mention: "mention_id")
    }
    // Reasons typed by the team: closing others' mentions without a reply, and in the trail
    // (overriding the advice, escalating) on any mention, their own included.
    _ = try pass("mentions", mention: "id", column: "no_reply_reason")
    _ = try pass("events", mention: "mention_id", column: "detail", theirsToo: true, appendOnly: true)
    return (quotingCount, replies, about)
  }

  /// Drops the trigger that keeps the event log append only, for the one writer allowed to rewrite
  /// an event's detail (erasure), and returns the SQL that puts it back: run it before the
  /// transaction ends, so no other connection ever sees the log unguarded.
  static func liftAppendOnlyGuard(_ db: Database) throws -> String? {
    guard
      let sql = try String.fetchOne(
        db, sql: "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'events_append_only_update'"
      )
    else { return nil }
    try db.execute(sql: "DROP TRIGGER events_append_only_update")
    return sql
  }

  /// `repute_fold(text)`: lowercased by Swift, for needles SQLite's ASCII-only `lower` cannot fold.
  static let foldFunction = DatabaseFunction("repute_fold", argumentCount: 1, pure: true) { values in
    String.fromDatabaseValue(values[0])?.lowercased()
  }
}

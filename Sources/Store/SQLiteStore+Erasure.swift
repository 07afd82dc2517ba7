import Foundation
import GRDB
import GRDBSQLite
import Inbox
import Policy

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
        // The person's note and links describe and name them (issue 16).
        try Self.erasePerson(db, of: author)
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
        // An identity that goes leaves its person to the others, with the note (issue 16).
        for gone in try Int64.fetchAll(
          db,
          sql: """
            SELECT id FROM authors WHERE id IN (\(list)) AND NOT EXISTS
              (SELECT 1 FROM mentions m WHERE m.author_id = authors.id)
            """)
        {
          try Self.detach(db, gone)
          try db.execute(sql: "DELETE FROM person_notes WHERE person_id = ?", arguments: [gone])
        }
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
    // Notices about them (issue 16) name the mention and may quote a note on it: they go too.
    if try db.tableExists("notices") {
      try db.execute(sql: "DELETE FROM notices WHERE mention_id IN (\(list))")
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
      defer { Self.waitForLocks(db.sqliteConnection) }
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

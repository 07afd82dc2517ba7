import Foundation
import GRDB
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

  /// Erases every mention by `handle` (on `platform`, or on every platform) and the author.
  public func forget(author handle: String, platform: String? = nil, actor: String) throws -> ErasureCounts {
    let normalised = handle.hasPrefix("@") ? String(handle.dropFirst()) : handle
    let authors = try pool.read { db in
      try Int64.fetchAll(
        db,
        sql: """
          SELECT id FROM authors WHERE (handle = ? OR lower(handle) = lower(?))
            AND (? IS NULL OR platform = ?) AND handle != ?
          """, arguments: [normalised, normalised, platform, platform, Self.forgottenHandle])
    }
    // Other people's mentions, replies, drafts and notes that name or quote them, first: a crash
    // before the end leaves the author in the store, so running forget again does it all (the
    // redaction finds nothing twice).
    var counts = ErasureCounts()
    let redactor =
      authors.isEmpty || normalised.isEmpty ? nil : try self.redactor(author: handle, platform: platform)
    if let redactor {
      let redacted = try redact(redactor, sparing: authors)
      counts.quoting += redacted.quoting
      counts.replies += redacted.replies
    }
    for author in authors {
      while true {
        let ids = try pool.read { db in
          try Int64.fetchAll(
            db, sql: "SELECT id FROM mentions WHERE author_id = ? ORDER BY id LIMIT 2000", arguments: [author]
          )
        }
        if ids.isEmpty { break }
        counts += try erase(ids)
      }
      try pool.write { db in
        try db.execute(sql: "DELETE FROM watched_authors WHERE author_id = ?", arguments: [author])
        try db.execute(sql: "DELETE FROM authors WHERE id = ?", arguments: [author])
        counts.authors += db.changesCount
      }
    }
    resetCaches()
    eraseExports(redacting: redactor)
    endSecureDelete()
    // The trail keeps only how many (never the handle).
    var w = JSONWriter()
    w.int("mentions", counts.mentions)
    w.int("authors", counts.authors)
    w.int("quoting", counts.quoting)
    try record(actor: actor, action: "forget", detail: w.finish())
    return counts
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
            WHERE m.created_at < ? AND a.handle != ? ORDER BY m.created_at LIMIT 2000
            """, arguments: [at, Self.forgottenHandle])
      }
      if ids.isEmpty { break }
      // Retention may erase a million: the purge event names the cutoff instead of each mention.
      counts += try erase(ids, eventPerMention: false)
    }
    try pool.write { db in
      try db.execute(
        sql: """
          DELETE FROM watched_authors WHERE author_id NOT IN (SELECT DISTINCT author_id FROM mentions)
          """)
      try db.execute(
        sql: """
          DELETE FROM authors WHERE handle != ? AND NOT EXISTS
            (SELECT 1 FROM mentions m WHERE m.author_id = authors.id)
          """, arguments: [Self.forgottenHandle])
      counts.authors += db.changesCount
    }
    resetCaches()
    eraseExports(redacting: nil)
    endSecureDelete()
    var w = JSONWriter()
    w.string("before", RFC3339.format(cutoff))
    w.int("mentions", counts.mentions)
    w.int("authors", counts.authors)
    try record(actor: actor, action: "purge", detail: w.finish())
    return counts
  }

  /// Erases these mentions in one transaction (see the type's comment), each with an `erased`
  /// event unless `eventPerMention` is off.
  func erase(_ ids: [Int64], eventPerMention: Bool = true) throws -> ErasureCounts {
    let now = clock.now().epochMilliseconds
    return try pool.write { db in
      try db.execute(sql: "PRAGMA secure_delete = ON")
      var counts = ErasureCounts()
      let salt =
        try String.fetchOne(db, sql: "SELECT value FROM store_meta WHERE key = 'tombstone_salt'") ?? ""
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

  func eraseExports(redacting redactor: Redactor?) {
    let fm = FileManager.default
    let folder = exportFolder
    guard let names = try? fm.contentsOfDirectory(atPath: folder) else { return }
    for name in names where name.hasPrefix("reply-") && name.hasSuffix("-x.txt") {
      guard let id = Int64(name.dropFirst(6).dropLast(6)) else { continue }
      let file = folder + "/" + name
      guard let kept = try? (outboxRecord(id: id) != nil) else { continue }
      if !kept {
        try? fm.removeItem(atPath: file)
        continue
      }
      guard let redactor, let data = fm.contents(atPath: file), let text = String(data: data, encoding: .utf8)
      else { continue }
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
            let redacted = redactor.redact(decoded).text
            let again = redacted.addingPercentEncoding(withAllowedCharacters: query) ?? String(value[..<end])
            erased += redactor.redact(String(line[..<marker.upperBound])).text + again + line[end...] + "\n"
            continue
          }
        }
        erased += redactor.redact(String(line)).text + "\n"
      }
      erased.removeLast()
      guard erased != text else { continue }
      StoreFiles.rewriteKeepingTimes(file, contents: Data(erased.utf8))
    }
  }

  /// Squeezes erased bytes out of the file: merges the search index (dropping what was deleted
  /// from it), checkpoints the WAL, rebuilds the file (VACUUM) and truncates the WAL. Works while
  /// other processes have the store open; a reader in the middle of a long read is waited for up
  /// to the busy timeout. Returns false when the WAL could not be emptied (someone kept reading).
  @discardableResult
  public func compact() throws -> Bool {
    try pool.write { db in
      try db.execute(sql: "INSERT INTO mention_search (mention_search) VALUES ('optimize')")
    }
    defer { endSecureDelete() }
    return try pool.writeWithoutTransaction { db in
      try db.execute(sql: "PRAGMA secure_delete = ON")
      _ = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
      try db.execute(sql: "VACUUM")
      for _ in 0..<50 {
        let row = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
        if (row?[0] as Int?) == 0 { return true }
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
    return Redactor(
      handles: [normalised] + rows.map { $0[0] as String }, names: rows.compactMap { $0[1] as String? })
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
  /// Ids a redaction pass reads per write transaction: a teammate's write waits at most for one
  /// such slice (a scan of 50,000 rows, well under the busy timeout).
  static let redactionSlice: Int64 = 50_000

  /// Takes a forgotten author out of everything others wrote (see `Redactor`): the text and raw
  /// record of other people's mentions (the search index follows the text through its trigger),
  /// their earlier texts, the team's notes, drafts and outbox replies. The mentions keep their
  /// ids, category, status and figures. One pass over each table, in slices of ids, with rows
  /// picked by `instr` on a lowercased column before the Swift redaction looks at them.
  /// The mentions of `authors` (about to be erased) are not looked at.
  func redact(_ redactor: Redactor, sparing authors: [Int64] = []) throws -> (quoting: Int, replies: Int) {
    let needles = redactor.needles
    guard !needles.isEmpty else { return (0, 0) }
    func picks(_ columns: [String]) -> (String, [String]) {
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
      return ("(" + terms.joined(separator: " OR ") + ")", arguments)
    }
    /// Redacts `columns` of `table` slice by slice; returns how many rows changed.
    func pass(_ table: String, _ columns: [String], where extra: String = "1") throws -> Int {
      let (pick, arguments) = picks(columns)
      var changed = 0
      var from: Int64 = 0
      let last = try pool.read { db in try Int64.fetchOne(db, sql: "SELECT max(rowid) FROM \(table)") } ?? 0
      while from < last {
        let to = from + Self.redactionSlice
        changed += try pool.write { db in
          try db.execute(sql: "PRAGMA secure_delete = ON")
          db.add(function: Self.foldFunction)
          var n = 0
          let rows = try Row.fetchAll(
            db,
            sql:
              "SELECT rowid, \(columns.joined(separator: ", ")) FROM \(table) WHERE rowid > ? AND rowid <= ? AND \(extra) AND \(pick)",
            arguments: StatementArguments([from, to] as [Int64]) + StatementArguments(arguments))
          for row in rows {
            var sets: [String] = []
            var values: [String] = []
            for (index, column) in columns.enumerated() {
              guard let value: String = row[index + 1] else { continue }
              let redacted = column == "raw" ? redactor.redactRaw(value) : redactor.redact(value).text
              if let redacted, redacted != value {
                sets.append("\(column) = ?")
                values.append(redacted)
              }
            }
            guard !sets.isEmpty else { continue }
            // Text first, in its own statement: the search index's trigger swaps exactly the old
            // text for the new.
            for (set, value) in zip(sets, values) {
              try db.execute(
                sql: "UPDATE \(table) SET \(set) WHERE rowid = ?",
                arguments: [value, row[0] as Int64])
            }
            n += 1
          }
          return n
        }
        from = to
      }
      return changed
    }
    let spared = authors.map(String.init).joined(separator: ",")
    let forgotten =
      "author_id NOT IN (SELECT id FROM authors WHERE handle = '\(Self.forgottenHandle)')"
      + (spared.isEmpty ? "" : " AND author_id NOT IN (\(spared))")
    let quoting = try pass("mentions", ["text", "raw"], where: forgotten)
    // What hangs on their own mentions goes with them in `erase`: not counted twice.
    let theirs =
      spared.isEmpty ? "1" : "mention_id NOT IN (SELECT id FROM mentions WHERE author_id IN (\(spared)))"
    _ = try pass("mention_revisions", ["text"], where: theirs)
    _ = try pass("notes", ["text"], where: theirs)
    _ = try pass(
      "escalation_notes", ["text"],
      where: spared.isEmpty
        ? "1"
        : "escalation_id NOT IN (SELECT e.id FROM escalations e JOIN mentions m ON m.id = e.mention_id WHERE m.author_id IN (\(spared)))"
    )
    var replies = 0
    for table in ["drafts", "outbox"] where try pool.read({ try $0.tableExists(table) }) {
      replies += try pass(table, ["text"], where: theirs)
    }
    return (quoting, replies)
  }

  /// `repute_fold(text)`: lowercased by Swift, for needles SQLite's ASCII-only `lower` cannot fold.
  static let foldFunction = DatabaseFunction("repute_fold", argumentCount: 1, pure: true) { values in
    String.fromDatabaseValue(values[0])?.lowercased()
  }
}

import Foundation
import Inbox
import Policy
import PostgresNIO

// The right to be forgotten and retention on the server, as `SQLiteStore+Erasure` does them: a
// mention is erased in place (text, raw record, url, ids and signals cleared, pointed to a
// placeholder author, out of the queue) while its category, times, status and first response stay
// for the figures; its earlier texts, the team's notes on it and its escalations, drafts, replies
// and notices go; a salted tombstone keeps a later ingest from bringing it back. What others wrote
// about the author is redacted first (`ServerStore+Redaction`). The search document follows the
// text through its trigger (migration 3). `compact()` vacuums the tables erasure touched, so the
// dead row versions holding the old text go (docs/guide/team-server.md, "Erasure on the server").

extension ServerStore: ErasureStore {
  /// Mentions erased per write transaction: a teammate's write waits for one such batch at most.
  static let erasureBatch = 100

  /// The tables erasure changes: what `compact()` vacuums.
  static let erasedTables = [
    "mentions", "mention_revisions", "authors", "notes", "escalation_notes", "drafts", "outbox", "notices",
    "events", "watched_authors", "person_notes", "person_links", "tombstones",
  ]

  /// The matching authors (as SQLite matches them: the handle as stored, or its lower case), by
  /// id, platform and stored handle.
  func matchingAuthors(_ handle: String, platform: String?) throws -> [(Int64, String, String, String?)] {
    let normalised = Self.bare(handle)
    return try read { session in
      try await session.rows(
        """
        SELECT id, platform, handle, name FROM authors WHERE (handle = $1 OR lower(handle) = lower($1))
          AND ($2::text IS NULL OR platform = $2::text) AND handle <> $3 ORDER BY id
        """, binds: .of(normalised, platform, ReplySQL.forgottenHandle),
        as: (Int64, String, String, String?).self)
    }
  }

  static func bare(_ handle: String) -> String {
    handle.hasPrefix("@") ? String(handle.dropFirst()) : handle
  }

  public func redactor(author handle: String, platform: String?) throws -> Redactor {
    let normalised = Self.bare(handle)
    let rows = try matchingAuthors(handle, platform: platform)
    let posts = try read { session in
      try await session.rows(
        """
        SELECT m.platform, m.external_id FROM mentions m JOIN authors a ON a.id = m.author_id
        WHERE (a.handle = $1 OR lower(a.handle) = lower($1)) AND ($2::text IS NULL OR a.platform = $2::text)
          AND a.handle <> $3
        """, binds: .of(normalised, platform, ReplySQL.forgottenHandle), as: (String, String).self)
    }
    return Redactor(
      handles: [normalised] + rows.map { $0.2 }, names: rows.compactMap { $0.3 },
      posts: posts.map { Redactor.Post(platform: $0.0, id: $0.1) })
  }

  /// Erases every mention by `handle` (on `platform`, or on every platform) and the author, in
  /// short write transactions; the last removes the author, leaves the salted tombstones of the
  /// handle and logs the erasure. Until that one commits the author is still there, and forget can
  /// be run again to finish.
  public func forget(author handle: String, platform: String?, actor: String) throws -> ErasureCounts {
    let normalised = Self.bare(handle)
    let authors = try matchingAuthors(handle, platform: platform)
    let ids = authors.map { $0.0 }
    var counts = ErasureCounts()
    if !authors.isEmpty && !normalised.isEmpty {
      let redacted = try redact(try redactor(author: handle, platform: platform), sparing: ids)
      counts.quoting += redacted.quoting
      counts.replies += redacted.replies
    }
    for author in ids {
      while true {
        let batch = try read { session in
          try await session.values(
            "SELECT id FROM mentions WHERE author_id = $1 ORDER BY id LIMIT $2",
            binds: .of(author, Self.erasureBatch), as: Int64.self)
        }
        if batch.isEmpty { break }
        counts += try erase(batch)
      }
    }
    let now = nowMilliseconds
    let gone = authors.map { ($0.0, $0.1, $0.2) }
    let before = counts
    counts.authors = try write { session in
      let salt = try await Self.tombstoneSalt(session)
      var removed = 0
      for (author, on, stored) in gone {
        try await session.execute("DELETE FROM watched_authors WHERE author_id = $1", .of(author))
        // The person's note and links describe and name them (issue 16).
        try await Self.forgetPerson(session, of: author)
        removed += try await session.changedRows("DELETE FROM authors WHERE id = $1", .of(author))
        for key in [
          Self.authorTombstoneKey(salt: salt, platform: on, handle: stored),
          Self.authorTombstoneKey(salt: salt, platform: nil, handle: stored),
        ] {
          try await session.execute(
            "INSERT INTO tombstones (key, at) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING", .of(key, now))
        }
      }
      // The trail keeps only how many (never the handle), in the transaction that ends the erasure.
      var w = JSONWriter()
      w.int("mentions", before.mentions)
      w.int("authors", before.authors + removed)
      w.int("quoting", before.quoting)
      try await session.appendEvent(
        at: now, actor: actor, action: "forget", mentionID: nil, detail: w.finish())
      return before.authors + removed
    }
    return counts
  }

  /// Whether an author of this handle (on `platform`, or on any) was forgotten: their tombstone.
  public func wasForgotten(author handle: String, platform: String?) throws -> Bool {
    let normalised = Self.bare(handle)
    return try read { session in
      let salt = try await Self.tombstoneSalt(session)
      let key = Self.authorTombstoneKey(salt: salt, platform: platform, handle: normalised)
      let found = try await session.values(
        "SELECT 1 FROM tombstones WHERE key = $1", binds: .of(key), as: Int.self)
      return !found.isEmpty
    }
  }

  /// Erases every mention written before `cutoff` (retention), and the authors left without one.
  public func purge(before cutoff: Date, actor: String) throws -> ErasureCounts {
    var counts = ErasureCounts()
    let at = cutoff.epochMilliseconds
    while true {
      let ids = try read { session in
        try await session.values(
          """
          SELECT m.id FROM mentions m JOIN authors a ON a.id = m.author_id
          WHERE m.created_at < $1 AND a.handle <> $2 ORDER BY m.created_at, m.id LIMIT $3
          """, binds: .of(at, ReplySQL.forgottenHandle, Self.erasureBatch), as: Int64.self)
      }
      if ids.isEmpty { break }
      // Retention may erase a million: the purge event names the cutoff instead of each mention.
      counts += try erase(ids, eventPerMention: false)
    }
    // Authors left without a mention, a batch a transaction.
    var after: Int64 = 0
    while true {
      let from = after
      let batch = try read { session in
        try await session.values(
          """
          SELECT id FROM authors WHERE id > $1 AND handle <> $2 AND NOT EXISTS
            (SELECT 1 FROM mentions m WHERE m.author_id = authors.id) ORDER BY id LIMIT $3
          """, binds: .of(from, ReplySQL.forgottenHandle, Self.erasureBatch), as: Int64.self)
      }
      guard let last = batch.last else { break }
      after = last
      counts.authors += try write { session in
        let orphans = """
          id = ANY($1::bigint[]) AND NOT EXISTS (SELECT 1 FROM mentions m WHERE m.author_id = authors.id)
          """
        try await session.execute(
          "DELETE FROM watched_authors WHERE author_id = ANY($1::bigint[])", .of(batch))
        // An identity that goes leaves its person to the others, with the note (issue 16).
        for gone in try await session.values(
          "SELECT id FROM authors WHERE \(orphans) ORDER BY id", binds: .of(batch), as: Int64.self)
        {
          try await PersonSQL.detach(session, gone)
          try await session.execute("DELETE FROM person_notes WHERE person_id = $1", .of(gone))
        }
        // Checked again: an ingest may have given one of them a mention meanwhile.
        return try await session.changedRows("DELETE FROM authors WHERE \(orphans)", .of(batch))
      }
    }
    var w = JSONWriter()
    w.string("before", RFC3339.format(cutoff))
    w.int("mentions", counts.mentions)
    w.int("authors", counts.authors)
    let detail = w.finish()
    let now = nowMilliseconds
    try write { session in
      try await session.appendEvent(at: now, actor: actor, action: "purge", mentionID: nil, detail: detail)
    }
    return counts
  }

  /// Erases these mentions in one transaction, each with an `erased` event unless
  /// `eventPerMention` is off.
  func erase(_ ids: [Int64], eventPerMention: Bool = true) throws -> ErasureCounts {
    let now = nowMilliseconds
    return try write { session in
      var counts = ErasureCounts()
      let salt = try await Self.tombstoneSalt(session)
      let list = PostgresBindings.of(ids)
      for (platform, external) in try await session.rows(
        "SELECT platform, external_id FROM mentions WHERE id = ANY($1::bigint[])", binds: list,
        as: (String, String).self)
      {
        let key = Self.tombstoneKey(salt: salt, platform: platform, externalID: external)
        try await session.execute(
          "INSERT INTO tombstones (key, at) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING", .of(key, now))
      }
      counts.revisions = try await session.changedRows(
        "DELETE FROM mention_revisions WHERE mention_id = ANY($1::bigint[])", list)
      counts.notes = try await session.changedRows(
        "DELETE FROM notes WHERE mention_id = ANY($1::bigint[])", list)
      counts.notes += try await session.changedRows(
        """
        DELETE FROM escalation_notes WHERE escalation_id IN
          (SELECT id FROM escalations WHERE mention_id = ANY($1::bigint[]))
        """, list)
      // Drafts and outbox replies quote and name the author; notices name the mention and may
      // quote a note on it.
      counts.replies = try await session.changedRows(
        "DELETE FROM drafts WHERE mention_id = ANY($1::bigint[])", list)
      counts.replies += try await session.changedRows(
        "DELETE FROM outbox WHERE mention_id = ANY($1::bigint[])", list)
      try await session.execute("DELETE FROM notices WHERE mention_id = ANY($1::bigint[])", list)
      // One placeholder author per platform.
      try await session.execute(
        """
        INSERT INTO authors (platform, handle, name, followers)
        SELECT DISTINCT platform, $2, NULL::text, NULL::bigint FROM mentions WHERE id = ANY($1::bigint[])
        ON CONFLICT (platform, handle) DO NOTHING
        """, .of(ids, ReplySQL.forgottenHandle))
      // The search document is made again from the new text and author by its trigger.
      counts.mentions = try await session.changedRows(
        """
        UPDATE mentions SET text = '', author_id = (SELECT a.id FROM authors a
            WHERE a.platform = mentions.platform AND a.handle = $2),
          raw = '', url = NULL, external_id = 'forgotten-' || id, in_reply_to = NULL, thread = NULL,
          signals = NULL, muted = true, due_at = NULL, snoozed_until = NULL, snoozed_from = NULL,
          no_reply_reason = NULL
        WHERE id = ANY($1::bigint[])
        """, .of(ids, ReplySQL.forgottenHandle))
      for id in ids where eventPerMention {
        try await session.appendEvent(at: now, actor: "repute", action: "erased", mentionID: id, detail: nil)
      }
      return counts
    }
  }

  /// The store's tombstone salt (migration 4; empty in a store that has none, as on SQLite).
  static func tombstoneSalt(_ session: ServerSession) async throws -> String {
    try await session.values(
      "SELECT value FROM store_meta WHERE key = 'tombstone_salt'", as: String.self
    ).first ?? ""
  }

  /// A forgotten author's tombstone, as `Tombstones.authorKey` on SQLite: the salted hash of
  /// platform (or `*`) and lowercased handle, in a namespace of its own.
  static func authorTombstoneKey(salt: String, platform: String?, handle: String) -> String {
    tombstoneKey(
      salt: salt, platform: "author\u{1}" + (platform?.lowercased() ?? "*"),
      externalID: bare(handle).lowercased())
  }

  /// Vacuums the tables erasure touched, outside a transaction, index pages included: the dead row
  /// versions that still held the erased text become free space. What it cannot reach (a row
  /// version an older snapshot still sees, the WAL, backups) is in the guide.
  @discardableResult
  public func compact() throws -> Bool {
    let tables = Self.erasedTables
    // The server skips a table the role may not vacuum with only a warning: asked first, so a
    // cleanup that cannot happen is said, never passed over in silence.
    let barred = try read { session in try await Self.unvacuumable(tables, session) }
    if !barred.isEmpty {
      let owners = Set(barred.map(\.owner)).sorted().joined(separator: ", ")
      throw InboxError.permissionDenied(
        "the role \(try actingLogin()) may not VACUUM \(barred.map(\.table).joined(separator: ", ")) "
          + "(only their owner, \(owners), or the database's owner may): the erased text stays in "
          + "dead row versions until autovacuum reaches them or \(owners) runs the compaction")
    }
    return try read(timeout: 600) { session in
      for table in tables {
        try await session.execute("VACUUM (INDEX_CLEANUP ON) \(table)")
      }
      return true
    }
  }

  /// The tables of `tables` (in the store's schema) the connected role may not vacuum, with
  /// their owners: as PostgreSQL 15 decides, only a superuser, the table's owner (or a role that
  /// has its rights) or the database's owner may.
  static func unvacuumable(_ tables: [String], _ session: ServerSession) async throws -> [(
    table: String, owner: String
  )] {
    var binds = PostgresBindings()
    binds.append(tables)
    return try await session.rows(
      """
      SELECT c.relname::text, c.relowner::regrole::text FROM pg_class c
      WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) AND c.relname = ANY($1::text[])
        AND NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
        AND NOT pg_has_role(current_user, c.relowner, 'USAGE')
        AND NOT pg_has_role(current_user,
          (SELECT datdba FROM pg_database WHERE datname = current_database()), 'USAGE')
      ORDER BY c.relname
      """, binds: binds, as: (String, String).self
    ).map { (table: $0.0, owner: $0.1) }
  }

  public func mentionCount(author handle: String, platform: String?) throws -> Int {
    let normalised = Self.bare(handle)
    return try read { session in
      try await session.values(
        """
        SELECT count(*) FROM mentions m JOIN authors a ON a.id = m.author_id
        WHERE (a.handle = $1 OR lower(a.handle) = lower($1)) AND ($2::text IS NULL OR a.platform = $2::text)
          AND a.handle <> $3
        """, binds: .of(normalised, platform, ReplySQL.forgottenHandle), as: Int.self
      ).first ?? 0
    }
  }

  public func authorCount(handle: String, platform: String?) throws -> Int {
    try matchingAuthors(handle, platform: platform).count
  }

  public func mentionCount(before cutoff: Date) throws -> Int {
    try read { session in
      try await session.values(
        """
        SELECT count(*) FROM mentions m JOIN authors a ON a.id = m.author_id
        WHERE m.created_at < $1 AND a.handle <> $2
        """, binds: .of(cutoff.epochMilliseconds, ReplySQL.forgottenHandle), as: Int.self
      ).first ?? 0
    }
  }
}

extension ServerStore {
  /// Forget: the person's links and note go (they name and describe the one forgotten), and the
  /// other identities are persons of their own again (`SQLiteStore.erasePerson`).
  static func forgetPerson(_ session: ServerSession, of authorID: Int64) async throws {
    let person = try await PersonSQL.anchor(session, of: authorID)
    try await session.execute("DELETE FROM person_notes WHERE person_id IN ($1, $2)", .of(person, authorID))
    try await session.execute(
      "DELETE FROM person_links WHERE person_id = $1 OR author_id = $2", .of(person, authorID))
  }
}

extension ServerSession {
  /// Runs a DELETE or UPDATE and returns how many rows it changed.
  func changedRows(_ sql: String, _ binds: PostgresBindings) async throws -> Int {
    try await values(
      "WITH changed AS (\(sql) RETURNING 1) SELECT count(*) FROM changed", binds: binds, as: Int.self
    )
    .first ?? 0
  }
}

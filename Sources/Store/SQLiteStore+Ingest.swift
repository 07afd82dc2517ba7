import Foundation
import GRDB
import Inbox
import Policy

extension SQLiteStore {
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
    // A NUL is stored as U+FFFD: SQLite reads a text back only up to one (`withoutNUL`).
    let batch = batch.map(\.withoutNUL)
    return try pool.write { db in
      if !writerTuned {
        // A larger page cache for the writer keeps the indexes' hot pages in memory during ingest.
        // Fewer, larger checkpoints: each one rewrites the pages the batches touched. Counted in
        // pages: 160 MiB of WAL with a new store's 16 KiB pages. Holding it to 40 MiB (the 4 KiB
        // figure) cost a million-mention ingest 8 % more CPU (docs/benchmarks.md).
        try db.execute(sql: "PRAGMA cache_size = -\(Self.ingestCacheMiB * 1024)")
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
      var pending = PendingTotals()
      // Who new mentions could notify (issue 16): nobody in most batches, then nothing is kept.
      let noticing = try ArrivalNotices(db)
      var links: [ArrivalLinks] = []
      let folder = try RepeatFolder(db, window: try repeatWindow(db))
      for (index, mention) in batch.enumerated() {
        if mention.isTombstone {
          try pending.flush(self, db)
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
        Self.bind(insert, &texts, mention, a, authorID: authorID, now: now)
        try insert.run(binding: texts)
        let inserted = insert.changes == 1
        let rowID = insert.lastInsertedRowID
        if inserted {
          counts.new += 1
          if firstNew == nil { firstNew = rowID }
          lastNew = rowID
          pending.stored(rowID)
          if noticing.anyone {
            links.append(
              ArrivalLinks(
                id: rowID, authorID: authorID, platform: mention.platform, inReplyTo: mention.inReplyTo,
                thread: mention.thread, staff: mention.staff))
          }
          if a?.muted == true { counts.muted += 1 }
          // A repeat of an open post is folded into it (issue 16): no arrival of its own.
          var folded = false
          if a?.muted != true {
            folded =
              try Self.foldRepeat(
                folder, id: rowID, authorID: authorID, createdAt: mention.createdAt.epochMilliseconds,
                text: mention.text, known: a?.repeatKey, beforeMark: { try pending.flush(self, db) }) != nil
          }
          if folded { counts.folded += 1 }
          if let a, !folded, !a.muted, !a.escalation.isEmpty || a.category == .complaint {
            arrivals.append(
              Arrival(
                id: rowID, authorID: authorID, createdAt: mention.createdAt.epochMilliseconds,
                reasons: a.escalation, complaint: a.category == .complaint))
          }
          if mention.deletion != nil {
            try pending.flush(self, db)
            if try markDeleted(mention, now: now, actor: actor, in: db) { counts.deleted += 1 }
          }
          continue
        }
        counts.duplicate += 1
        try pending.flush(self, db)
        if try applyEdit(mention, now: now, actor: actor, statements, in: db) { counts.edited += 1 }
        if mention.deletion != nil, try markDeleted(mention, now: now, actor: actor, in: db) {
          counts.deleted += 1
        }
      }
      // Before anything else in the batch can change the new rows: the totals count them as stored.
      try pending.flush(self, db)
      if counts.new > 0 || counts.edited > 0 || counts.deleted > 0 {
        var detail = #"{"new":\#(counts.new),"duplicate":\#(counts.duplicate),"edited":\#(counts.edited)"#
        if counts.deleted > 0 { detail += #","deleted":\#(counts.deleted)"# }
        if let firstNew, let lastNew { detail += #","first_id":\#(firstNew),"last_id":\#(lastNew)"# }
        try appendEvent(db, at: now, actor: actor, action: "ingest", mentionID: nil, detail: detail + "}")
      }
      if let alongside {
        try alongside(db, firstNew.flatMap { f in lastNew.map { f...$0 } })
      }
      // Notices for watchers and responders (issue 16), in the same transaction.
      try noticing.write(db, links, at: now)
      // The rules raise escalations in the policy's name, not the ingest's.
      counts.escalated = try raiseOnArrival(db, arrivals: arrivals, rules: rules, actor: "policy", now: now)
      return counts
    }
  }

  /// Binds one mention and its annotation to the batch's insert statement (`texts` keeps the
  /// strings alive until the statement runs).
  static func bind(
    _ insert: RawStatement, _ texts: inout RawStatement.Texts, _ mention: IncomingMention,
    _ a: MentionAnnotation?, authorID: Int64, now: Int64
  ) {
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
  }

  /// The new rows of a batch not yet in the running totals and the figures' summary (v23):
  /// ingest adds them with one aggregate over their ids, but first whenever a statement of the
  /// batch is about to update a stored row (a repeat folded into an earlier post, a deletion, an
  /// edit), because the update triggers move a row's share and must find it counted.
  struct PendingTotals {
    private var first: Int64?
    private var last: Int64?

    mutating func stored(_ id: Int64) {
      if first == nil { first = id }
      last = id
    }

    mutating func flush(_ store: SQLiteStore, _ db: Database) throws {
      guard let first, let last else { return }
      try store.addToTotals(db, ids: first...last)
      try store.addToFigures(db, ids: first...last)
      self.first = nil
      self.last = nil
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

  struct AuthorKey: Hashable {
    var platform: String
    var handle: String
  }

  struct CachedAuthor {
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
}

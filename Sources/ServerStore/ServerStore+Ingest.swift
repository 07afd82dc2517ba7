import Foundation
import Inbox
import Policy
import PostgresNIO

/// Ingest on the server: `MentionStore.ingest` behaving as `SQLiteStore`'s (`SQLiteStore+Ingest.swift`)
/// does, call for call: the same counts, the same rows, the same events, the same escalations.
///
/// A batch is one transaction of a few statements of many rows each: what the store holds of the
/// batch's posts and authors is read first, the batch is worked out in memory in its order
/// (`IngestPlan`), then written with multi-row statements (authors, mentions, revisions, edits,
/// deletion marks, folded repeats, escalations, notices, events). The first statement takes the
/// writers' turn (the change counter's row, migration 2), so two machines ingesting at once take
/// turns per batch, as two processes do on a SQLite store, and what was read stays true until
/// the commit.
extension ServerStore: MentionStore {
  public func ingest(
    _ batch: [IncomingMention], actor: String, annotator: (any MentionAnnotator)?
  ) throws -> IngestCounts {
    try ingest(
      batch, annotations: annotator.map { a in batch.map { a.annotate($0) } }, actor: actor,
      rules: (annotator as? PolicyAnnotator)?.policy.escalation)
  }

  /// Stores a batch whose verdicts were computed beforehand (`annotations[i]` for `batch[i]`), as
  /// `SQLiteStore.ingest(_:annotations:actor:rules:)` does; `rules` raise the escalations of the
  /// new mentions in the same transaction.
  public func ingest(
    _ batch: [IncomingMention], annotations: [MentionAnnotation]?, actor: String, rules: Escalation? = nil
  ) throws -> IngestCounts {
    if batch.isEmpty { return IngestCounts() }
    return try ingest(prepareIngest(batch, annotations: annotations), actor: actor, rules: rules)
  }

  /// Stores a batch made ready beforehand (`prepareIngest`), as `ingest(_:annotations:actor:rules:)`.
  public func ingest(_ prepared: ServerIngestBatch, actor: String, rules: Escalation? = nil) throws
    -> IngestCounts
  {
    if prepared.mentions.isEmpty { return IngestCounts() }
    let now = clock.now().epochMilliseconds
    let timeout = 60 + Double(prepared.mentions.count) / 1000
    // One batch of this process at a time: its authors' memory is read by the batch and added to
    // after it (in place: the memory is a class, so the batch holds no copy of the dictionary).
    return try ingestAuthors.withLock { memory in
      do {
        let (written, counter) = try bridge.run(timeout: timeout) { [memory] session in
          try await session.transaction { session in
            let written = try await Self.write(
              session, prepared, actor: actor, rules: rules, now: now, memory: memory)
            // The last statement of the batch: what the next one finds when nobody wrote since.
            let counter = try await session.values("SELECT n FROM change_counter", as: Int64.self).first
            return (written, counter)
          }
        }
        let (counts, authors) = (written.counts, written.authors)
        if let salt = written.salt { ingestSalt.withLock { $0 = salt } }
        if !authors.continued || memory.authors.count + authors.known.count > IngestAuthorMemory.limit {
          memory.authors = [:]
        }
        memory.authors.merge(authors.known) { _, after in after }
        memory.remember(authors.traces, continued: authors.continued)
        memory.counter = counter
        return counts
      } catch {
        memory.clear()
        throw error
      }
    }
  }

  /// Writes one batch in the caller's transaction.
  ///
  /// `memory`: the authors this process's last batch left (`IngestAuthorMemory`), used when the
  /// change counter says nobody wrote since; the batch's authors are returned for the next one.
  static func write(
    _ session: ServerSession, _ batch: [IncomingMention], annotations: [MentionAnnotation]?, actor: String,
    rules: Escalation?, now: Int64, memory: IngestAuthorMemory? = nil
  ) async throws -> (counts: IngestCounts, authors: IngestAuthors, salt: String?) {
    try await write(
      session, ServerIngestBatch(batch, annotations: annotations, salt: nil), actor: actor, rules: rules,
      now: now, memory: memory)
  }

  /// Writes one batch made ready beforehand in the caller's transaction; also returns the
  /// tombstones' salt it found (nil: none asked), for preparing the next.
  static func write(
    _ session: ServerSession, _ prepared: ServerIngestBatch, actor: String, rules: Escalation?, now: Int64,
    memory: IngestAuthorMemory? = nil
  ) async throws -> (counts: IngestCounts, authors: IngestAuthors, salt: String?) {
    let batch = prepared.mentions
    let annotations = prepared.annotations
    // The writers' turn first: another machine's batch commits before this one reads.
    let turn = try await session.values("UPDATE change_counter SET n = n + 1 RETURNING n", as: Int64.self)
      .first
    let continued = memory?.counter != nil && turn == memory?.counter.map { $0 + 1 }
    let posts = batch.filter { !$0.isTombstone }
    // What the client works out while the server answers (`Reckoning`): each part on another
    // thread beside a statement it does not depend on, so the server does not wait between them.
    let remembered = continued ? memory?.authors ?? [:] : [:]
    let asking = Reckoning { AuthorsToAsk(prepared.authors, remembered: remembered) }
    let (forgotten, salt) = try await Self.forgotten(session, posts, prepared: prepared)
    let stored = try await Self.stored(session, prepared.keys)
    let planning = Reckoning { IngestPlan(batch, stored: stored, forgotten: forgotten, now: now) }
    // The authors of the posts not forgotten (nearly always all of them: worked out beforehand).
    let toAsk =
      forgotten.isEmpty
      ? await asking.value
      : AuthorsToAsk(
        WantedAuthors(
          posts.filter { post in
            !forgotten.contains(IngestPlan.Key(platform: post.platform, externalID: post.externalID))
          }), remembered: remembered)
    let history = continued ? memory : nil
    var authors = try await Self.upsertAuthors(session, toAsk)
    authors.continued = continued
    var plan = await planning.value
    plan.assignAuthors(authors.ids)
    plan.guessEscalated(
      annotations: annotations, rules: rules, arrivals: ArrivalAuthors(fresh: authors.added, history: history)
    )
    let window = try await Self.repeatWindow(session)
    let ids: [Int64]
    let arrivals: ArrivalWork
    if plan.newRows.count >= copyThreshold {
      ids = try await idRange(session, count: plan.newRows.count)
      // The arrival work's reckoning needs the ids, not the rows stored: it runs beside the COPY.
      let reckoning = Reckoning { [plan, added = authors.added] in
        ArrivalWork(
          plan: plan, ids: ids, annotations: annotations, freshAuthors: added, history: history,
          window: window)
      }
      try await copyInsert(
        session, plan.newRows, ids: ids, annotations: annotations, now: now, prepared: prepared.rows)
      arrivals = await reckoning.value
    } else {
      ids = try await insert(session, plan.newRows, annotations: annotations, now: now)
      arrivals = ArrivalWork(
        plan: plan, ids: ids, annotations: annotations, freshAuthors: authors.added, history: history,
        window: window)
    }
    for row in plan.newRows where annotations?[row.index].muted == true { plan.counts.muted += 1 }
    func id(_ ref: IngestPlan.Ref) -> Int64 {
      switch ref {
      case .stored(let id): return id
      case .new(let n): return ids[n]
      }
    }
    try await Self.writeChanges(session, plan, id: id, now: now)
    let folded = try await arrivals.fold(session, window: window)
    plan.counts.folded = folded.count
    var events = plan.events.map { PlannedRow(action: $0.action, mentionID: id($0.ref), detail: nil) }
    let counts = plan.counts
    if counts.new > 0 || counts.edited > 0 || counts.deleted > 0 {
      var detail = #"{"new":\#(counts.new),"duplicate":\#(counts.duplicate),"edited":\#(counts.edited)"#
      if counts.deleted > 0 { detail += #","deleted":\#(counts.deleted)"# }
      if let first = ids.first, let last = ids.last { detail += #","first_id":\#(first),"last_id":\#(last)"# }
      events.append(PlannedRow(action: "ingest", mentionID: nil, detail: detail + "}"))
    }
    try await arrivals.notify(session, folded: folded, now: now)
    let escalated = try await arrivals.escalate(session, folded: folded, rules: rules, now: now)
    plan.counts.escalated = escalated.raised
    try await Self.unflagUnescalated(session, plan, ids: ids, escalated: escalated.mentions)
    authors.traces =
      plan.editOrder.isEmpty ? arrivals.traced(folded: folded, escalated: escalated.mentions) : nil
    try await Self.appendEvents(session, events, actor: actor, now: now)
    try await Self.appendEvents(session, escalated.events, actor: "policy", now: now)
    return (plan.counts, authors, salt)
  }

  /// An event to append: its action, mention and detail.
  struct PlannedRow {
    var action: String
    var mentionID: Int64?
    var detail: String?
  }

  /// Appends `events` in order, many rows a statement.
  static func appendEvents(_ session: ServerSession, _ events: [PlannedRow], actor: String, now: Int64)
    async throws
  {
    for chunk in events.chunked(1000) {
      var binds = PostgresBindings()
      for event in chunk {
        binds.append(event.action)
        binds.append(event.mentionID)
        binds.append(event.detail)
      }
      binds.append(now)
      binds.append(actor)
      let n = chunk.count * 3
      try await session.ingestStatement(
        """
        INSERT INTO events (at, actor, action, mention_id, detail)
        SELECT $\(n + 1), $\(n + 2), v.action, v.mention_id, v.detail
        FROM (VALUES \(placeholders(rows: chunk.count, types: ["text", "bigint", "text"]))) AS v(action, mention_id, detail)
        """, binds: binds)
    }
  }

  /// `(… ), (…)` with `rows` rows of `types.count` numbered placeholders each, cast to `types`,
  /// starting at `$first`.
  static func placeholders(rows: Int, types: [String], first: Int = 1) -> String {
    var out = ""
    out.reserveCapacity(rows * types.count * 12)
    var n = first
    for row in 0..<rows {
      out += row == 0 ? "(" : ", ("
      for (column, type) in types.enumerated() {
        if column > 0 { out += ", " }
        out += "$\(n)::\(type)"
        n += 1
      }
      out += ")"
    }
    return out
  }

  // MARK: - What the store holds of the batch

  /// The batch's posts that were forgotten (`repute forget`, `purge`): their salted keys are
  /// among the tombstones (`Tombstones` on SQLite, the same key). Asked of `forgotten_among`
  /// (migration 13), which answers for these keys only: a responder may not read the tombstones.
  static func forgotten(
    _ session: ServerSession, _ posts: [IncomingMention], prepared: ServerIngestBatch
  ) async throws -> (keys: Set<IngestPlan.Key>, salt: String?) {
    guard !posts.isEmpty else { return ([], nil) }
    let salt =
      try await session.values(
        "SELECT coalesce((SELECT value FROM store_meta WHERE key = 'tombstone_salt'), '')", as: String.self
      ).first ?? ""
    // Worked out beforehand with the salt the last batch found; again if the store has another.
    let byKey = prepared.salt == salt ? prepared.tombstones : tombstoneKeys(posts, salt: salt)
    var binds = PostgresBindings()
    binds.append(Array(byKey.keys))
    let found = try await session.values(
      "SELECT forgotten_among($1::text[])", binds: binds, as: String.self)
    return (Set(found.compactMap { byKey[$0] }), salt)
  }

  /// A forgotten post's tombstone: SHA-256 of salt, platform and id, as `Tombstones.key` on SQLite.
  static func tombstoneKey(salt: String, platform: String, externalID: String) -> String {
    Fingerprint.sha256Hex(Array(salt.utf8) + [0] + Array(platform.utf8) + [0] + Array(externalID.utf8))
  }

  /// The batch's posts (and the posts its deletion notices name) the store holds already: each key
  /// looked up on the unique index (the `LIMIT` keeps the lookup per key: as a join, the planner
  /// that sees 10,000 keys hashes them and reads the whole table for every batch).
  static func stored(_ session: ServerSession, _ keys: PostgresBindings) async throws
    -> [IngestPlan.Key: IngestPlan.Stored]
  {
    let binds = keys
    let rows = try await session.rows(
      """
      SELECT k.platform, k.external_id, m.id, m.text, m.deleted IS NOT NULL
      FROM unnest($1::text[], $2::text[]) AS k(platform, external_id)
      CROSS JOIN LATERAL (
        SELECT id, text, deleted FROM mentions
        WHERE platform = k.platform AND external_id = k.external_id LIMIT 1) AS m
      """, binds: binds, as: (String, String, Int64, String, Bool).self)
    var out: [IngestPlan.Key: IngestPlan.Stored] = [:]
    for (platform, externalID, id, text, deleted) in rows {
      out[IngestPlan.Key(platform: platform, externalID: externalID)] = IngestPlan.Stored(
        id: id, text: text, deleted: deleted)
    }
    return out
  }

  // MARK: - Writing the batch

  /// The columns a new mention is inserted with, and their types.
  static let insertColumns: [(name: String, type: String)] = [
    ("platform", "text"), ("external_id", "text"), ("url", "text"), ("author_id", "bigint"),
    ("created_at", "bigint"), ("ingested_at", "bigint"), ("text", "text"), ("lang", "text"),
    ("in_reply_to", "text"), ("thread", "text"), ("staff", "boolean"), ("raw", "text"), ("category", "text"),
    ("category_source", "text"), ("confidence", "double precision"), ("signals", "text"),
    ("muted", "boolean"),
    ("earliest_reply_at", "bigint"), ("first_response_due_at", "bigint"), ("follow_up_due_at", "bigint"),
    ("due_at", "bigint"), ("detected_lang", "text"), ("edit_count", "integer"), ("deleted", "text"),
    ("deleted_at", "bigint"), ("escalated", "boolean"),
  ]

  /// Binds one new row in `insertColumns`' order.
  static func bind(
    _ binds: inout PostgresBindings, _ row: IngestPlan.NewRow, _ a: MentionAnnotation?, now: Int64
  ) {
    let m = row.mention
    binds.append(m.platform)
    binds.append(m.externalID)
    binds.append(m.url)
    binds.append(row.authorID)
    binds.append(m.createdAt.epochMilliseconds)
    binds.append(now)
    binds.append(row.text)
    binds.append(m.lang)
    binds.append(m.inReplyTo)
    binds.append(m.thread)
    binds.append(m.staff)
    binds.append(row.raw)
    binds.append(a?.category.rawValue)
    binds.append(a == nil ? nil : "policy")
    binds.append(a?.confidence)
    binds.append(a?.signals.text)
    binds.append(a?.muted ?? false)
    binds.append(a?.deadlines.earliestReply?.epochMilliseconds)
    binds.append(a?.deadlines.firstResponse?.epochMilliseconds)
    binds.append(a?.deadlines.followUp?.epochMilliseconds)
    binds.append(a?.deadlines.firstResponse?.epochMilliseconds)
    binds.append(a != nil && m.lang == nil ? a?.detectedLang : nil)
    binds.append(Int64(row.editCount))
    binds.append(row.deleted)
    binds.append(row.deletedAt)
    binds.append(row.escalated)
  }

  /// Inserts the new rows in the batch's order; returns their ids in that order.
  static func insert(
    _ session: ServerSession, _ rows: [IngestPlan.NewRow], annotations: [MentionAnnotation]?, now: Int64
  ) async throws -> [Int64] {
    var ids: [Int64] = []
    ids.reserveCapacity(rows.count)
    let columns = insertColumns.map(\.name).joined(separator: ", ")
    let types = insertColumns.map(\.type)
    for chunk in rows.chunked(1000) {
      var binds = PostgresBindings()
      for row in chunk { bind(&binds, row, annotations?[row.index], now: now) }
      let inserted = try await session.values(
        """
        INSERT INTO mentions (\(columns)) VALUES \(placeholders(rows: chunk.count, types: types))
        ON CONFLICT (platform, external_id) DO NOTHING RETURNING id
        """, binds: binds, as: Int64.self)
      // The batch holds the writers' turn, so nobody stored these in between; should anybody have
      // (a writer that did not take the turn), the batch fails whole rather than miscount.
      guard inserted.count == chunk.count else {
        throw ServerStore.raced
      }
      ids += inserted.sorted()
    }
    return ids
  }

  /// The plan's revisions, edits of stored mentions and deletion marks.
  static func writeChanges(
    _ session: ServerSession, _ plan: IngestPlan, id: (IngestPlan.Ref) -> Int64, now: Int64
  )
    async throws
  {
    for chunk in plan.revisions.chunked(1000) {
      var binds = PostgresBindings()
      for revision in chunk {
        binds.append(id(revision.ref))
        binds.append(revision.text)
      }
      binds.append(now)
      let n = chunk.count * 2
      try await session.ingestStatement(
        """
        INSERT INTO mention_revisions (mention_id, text, replaced_at)
        SELECT v.mention_id, v.text, $\(n + 1) FROM (VALUES \(placeholders(rows: chunk.count, types: ["bigint", "text"]))) AS v(mention_id, text)
        """, binds: binds)
    }
    for chunk in plan.editOrder.chunked(1000) {
      var binds = PostgresBindings()
      for stored in chunk {
        let edit = plan.edits[stored]!
        binds.append(stored)
        binds.append(edit.text)
        binds.append(edit.raw)
        binds.append(Int64(edit.count))
      }
      try await session.ingestStatement(
        """
        UPDATE mentions SET text = v.text, raw = v.raw, edit_count = edit_count + v.n
        FROM (VALUES \(placeholders(rows: chunk.count, types: ["bigint", "text", "text", "integer"]))) AS v(id, text, raw, n)
        WHERE mentions.id = v.id
        """, binds: binds)
    }
    for chunk in plan.deletions.chunked(1000) {
      var binds = PostgresBindings()
      for deletion in chunk {
        binds.append(deletion.id)
        binds.append(deletion.reason)
      }
      binds.append(now)
      let n = chunk.count * 2
      try await session.ingestStatement(
        """
        UPDATE mentions SET deleted = v.reason, deleted_at = $\(n + 1)
        FROM (VALUES \(placeholders(rows: chunk.count, types: ["bigint", "text"]))) AS v(id, reason)
        WHERE mentions.id = v.id AND mentions.deleted IS NULL
        """, binds: binds)
    }
  }

  /// The policy in force's repeat window in milliseconds (0: no folding), as SQLite's
  /// `repeatWindow`: a store nobody set up (no policy) folds nothing.
  static func repeatWindow(_ session: ServerSession) async throws -> Int64 {
    guard
      let source = try await session.values(
        "SELECT source FROM policies ORDER BY version DESC LIMIT 1", as: String.self
      ).first
    else { return 0 }
    if let cached = windowCache.current, cached.source == source { return cached.window }
    let policy = (try? PolicyFile.parse(text: source, path: "policy", stored: true)) ?? .default
    let d = policy.repeatWindow
    let window = d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000
    windowCache.withLock { $0 = (source, window) }
    return window
  }

  /// The last policy's repeat window, by its text: read once per policy, not once per batch.
  static let windowCache = Locked<(source: String, window: Int64)?>(nil)
}

extension Array {
  /// The array in consecutive slices of at most `size` elements.
  func chunked(_ size: Int) -> [ArraySlice<Element>] {
    stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
  }
}

import Foundation
import Inbox
import Policy
import PostgresNIO

/// The mention reads of `MentionStore` on the server, as `SQLiteStore+Mentions.swift` has them:
/// the same columns in the same places, the same orders, the same trail.
extension ServerStore {
  /// The columns every read of a mention starts with, in `mentionColumns`' order on SQLite.
  static let mentionColumns = """
    m.id, m.platform, m.external_id, m.url, a.handle, a.name, a.followers, m.created_at,
    m.ingested_at, m.text, m.lang, m.in_reply_to, m.thread, m.staff, m.category, m.status,
    m.earliest_reply_at, m.first_response_due_at, m.follow_up_due_at, m.edit_count, m.confidence,
    m.signals, m.detected_lang, m.category_by, m.muted, m.deleted, m.holding_since, m.first_response_at,
    m.snoozed_until, m.snoozed_from, m.follow_up_at, m.follow_up_answered_due_at, m.repeats, m.repeat_of
    """

  /// How many columns `mentionColumns` names.
  static let mentionColumnCount = 34

  /// A row that starts with `mentionColumns` as a `Mention`.
  static func mention(_ row: PostgresRow) throws -> Mention { try mention(row, from: 0) }

  /// A row with `mentionColumns` from column `base` on as a `Mention`.
  static func mention(_ row: PostgresRow, from base: Int) throws -> Mention {
    let r = row.makeRandomAccess()
    func date(_ index: Int) throws -> Date? {
      try r[base + index].decode(Int64?.self).map(Date.init(epochMilliseconds:))
    }
    var m = Mention(
      id: try r[base + 0].decode(Int64.self), platform: try r[base + 1].decode(String.self),
      externalID: try r[base + 2].decode(String.self), url: try r[base + 3].decode(String?.self),
      author: Author(
        handle: try r[base + 4].decode(String.self), name: try r[base + 5].decode(String?.self),
        followers: try r[base + 6].decode(Int?.self)),
      createdAt: try date(7)!, ingestedAt: try date(8)!, text: try r[base + 9].decode(String.self),
      lang: try r[base + 10].decode(String?.self), inReplyTo: try r[base + 11].decode(String?.self),
      thread: try r[base + 12].decode(String?.self), staff: try r[base + 13].decode(Bool.self),
      category: try r[base + 14].decode(String?.self).flatMap(Category.init(rawValue:)),
      status: MentionStatus(rawValue: try r[base + 15].decode(String.self)) ?? .open,
      deadlines: MentionDeadlines(
        earliestReply: try date(16), firstResponse: try date(17), followUp: try date(18),
        holdingSince: try date(26), firstResponseAt: try date(27), followUpAt: try date(30),
        followUpAnsweredDue: try date(31)),
      editCount: try r[base + 19].decode(Int.self), confidence: try r[base + 20].decode(Double?.self),
      detectedLang: try r[base + 22].decode(String?.self), categoryBy: try r[base + 23].decode(String?.self),
      muted: try r[base + 24].decode(Bool.self), deleted: try r[base + 25].decode(String?.self),
      snoozedUntil: try date(28),
      snoozedFrom: try r[base + 29].decode(String?.self).flatMap(MentionStatus.init(rawValue:)))
    m.repeats = try r[base + 32].decode(Int?.self) ?? 0
    m.storedSignals = try r[base + 21].decode(String?.self)
    m.repeatOf = try r[base + 33].decode(Int64?.self)
    return m
  }

  /// Runs `sql` and turns each row into a value with `transform` (for rows too wide for a tuple).
  static func records<T: Sendable>(
    _ session: ServerSession, _ sql: String, binds: PostgresBindings = PostgresBindings(),
    _ transform: (PostgresRow) throws -> T
  ) async throws -> [T] {
    var out: [T] = []
    let sequence = try await session.connection.query(
      PostgresQuery(unsafeSQL: sql, binds: binds), logger: session.logger)
    for try await row in sequence { out.append(try transform(row)) }
    return out
  }

  public func mentions(order: MentionOrder, limit: Int, offset: Int) throws -> [Mention] {
    var binds = PostgresBindings()
    binds.append(Int64(limit))
    binds.append(Int64(offset))
    let sql: String
    switch order {
    case .newest:
      sql = """
        SELECT \(Self.mentionColumns) FROM mentions m JOIN authors a ON a.id = m.author_id
        WHERE NOT m.muted
        ORDER BY m.created_at DESC, m.id DESC LIMIT $1 OFFSET $2
        """
    case .urgency:
      binds.append(clock.now().epochMilliseconds)
      sql = Self.urgencySQL
    }
    let query = sql
    let bound = binds
    return try bridge.run { session in
      try await Self.records(session, query, binds: bound, Self.mention)
    }
  }

  /// The inbox's queue without a filter, in one statement: what can be answered now by its
  /// target, then what is cooling off by when it may be answered, then what has no target, newest
  /// first; muted mentions and snoozed ones still asleep left out (`QueueSegment.all` on SQLite,
  /// which reads each segment from its own index; the queue's own window on the server is the
  /// QueueStore's). `$3` is the store's clock.
  static let urgencySQL = """
    SELECT \(mentionColumns) FROM mentions m JOIN authors a ON a.id = m.author_id
    WHERE NOT m.muted
      AND NOT (m.status = 'snoozed' AND coalesce(m.snoozed_until, 0) > $3 AND (m.due_at IS NULL OR m.due_at > $3))
    ORDER BY
      CASE WHEN m.due_at IS NULL THEN 2 WHEN m.earliest_reply_at IS NULL OR m.earliest_reply_at <= $3 THEN 0 ELSE 1 END,
      CASE WHEN m.due_at IS NULL THEN -m.created_at
        WHEN m.earliest_reply_at IS NULL OR m.earliest_reply_at <= $3 THEN m.due_at ELSE m.earliest_reply_at END,
      CASE WHEN m.due_at IS NULL THEN -m.id ELSE m.id END
    LIMIT $1 OFFSET $2
    """

  public func mention(id: Int64) throws -> Mention? {
    var binds = PostgresBindings()
    binds.append(id)
    let bound = binds
    return try bridge.run { session in
      try await Self.records(
        session,
        """
        SELECT \(Self.mentionColumns) FROM mentions m JOIN authors a ON a.id = m.author_id
        WHERE m.id = $1
        """, binds: bound, Self.mention
      ).first
    }
  }

  /// The ingest event whose batch stored a mention (`$1`): it names the range of new ids in its
  /// detail, not each mention (`arrivalEventSQL` on SQLite).
  static let arrivalEventSQL = """
    SELECT id, at, actor, action, $1::bigint, NULL::text FROM events
    WHERE action = 'ingest' AND (detail::jsonb ->> 'first_id')::bigint <= $1
      AND (detail::jsonb ->> 'last_id')::bigint >= $1
    ORDER BY id LIMIT 1
    """

  public func events(mentionID: Int64) throws -> [Event] {
    var binds = PostgresBindings()
    binds.append(mentionID)
    let bound = binds
    return try bridge.run { session in
      let arrival = try await session.rows(
        Self.arrivalEventSQL, binds: bound, as: (Int64, Int64, String, String, Int64?, String?).self)
      let own = try await session.rows(
        """
        SELECT id, at, actor, action, mention_id, detail FROM events WHERE mention_id = $1 ORDER BY id
        """, binds: bound, as: (Int64, Int64, String, String, Int64?, String?).self)
      return (arrival + own).map { row in
        Event(
          id: row.0, at: Date(epochMilliseconds: row.1), actor: row.2, action: row.3, mentionID: row.4,
          detail: row.5)
      }
    }
  }

  public func revisions(mentionID: Int64) throws -> [(text: String, replacedAt: Date)] {
    var binds = PostgresBindings()
    binds.append(mentionID)
    let bound = binds
    let rows = try bridge.run { session in
      try await session.rows(
        "SELECT text, replaced_at FROM mention_revisions WHERE mention_id = $1 ORDER BY id", binds: bound,
        as: (String, Int64).self)
    }
    return rows.map { (text: $0.0, replacedAt: Date(epochMilliseconds: $0.1)) }
  }

  public func mentionCount() throws -> Int {
    try bridge.run { session in
      try await session.values("SELECT count(*) FROM mentions", as: Int.self).first ?? 0
    }
  }

  /// The change counter (migration 2): a statement-level trigger on every table moves it in the
  /// writer's transaction, so it changes exactly when a commit by anyone becomes visible.
  public func changeToken() throws -> Int64 {
    try bridge.run { session in
      try await session.values("SELECT n FROM change_counter", as: Int64.self).first ?? 0
    }
  }
}

import Foundation
import GRDB
import Inbox
import Policy

extension SQLiteStore {
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
        cached: db, sql: Self.arrivalEventSQL, arguments: [mentionID, mentionID, mentionID]
      ).map(Self.event)
      let own = try Row.fetchAll(
        cached: db,
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
    m.snoozed_until, m.snoozed_from, m.follow_up_at, m.follow_up_answered_due_at, m.repeats, m.repeat_of
    """

  static func mention(_ row: Row) -> Mention {
    func date(_ index: Int) -> Date? { (row[index] as Int64?).map(Date.init(epochMilliseconds:)) }
    let followers: Int64? = row[6]
    var m = Mention(
      id: row[0], platform: row[1], externalID: row[2], url: row[3],
      author: Author(handle: row[4], name: row[5], followers: followers.map { Int($0) }),
      createdAt: date(7)!, ingestedAt: date(8)!, text: row[9], lang: row[10], inReplyTo: row[11],
      thread: row[12], staff: row[13], category: (row[14] as String?).flatMap(Category.init(rawValue:)),
      status: MentionStatus(rawValue: row[15]) ?? .open,
      deadlines: MentionDeadlines(
        earliestReply: date(16), firstResponse: date(17), followUp: date(18), holdingSince: date(26),
        firstResponseAt: date(27), followUpAt: date(30), followUpAnsweredDue: date(31)),
      editCount: row[19], confidence: row[20],
      detectedLang: row[22],
      categoryBy: row[23], muted: row[24], deleted: row[25], snoozedUntil: date(28),
      snoozedFrom: (row[29] as String?).flatMap(MentionStatus.init(rawValue:)))
    // By place, as the others: every read of a mention starts with `mentionColumns` (a lookup by
    // name lowercased both names for every column it passed, on every row).
    m.repeats = row[32] ?? 0
    // Packed as stored: turned into JSON only where read (`Mention.signalsJSON`).
    m.storedSignals = row[21]
    m.repeatOf = row[33]
    return m
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
      return try queue(QueueFilter(), limit: limit, offset: offset, now: clock.now()).map(\.mention)
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
}

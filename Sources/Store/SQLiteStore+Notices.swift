import Foundation
import GRDB
import Inbox

// MARK: - Writing notices, in the transaction of what caused them

extension SQLiteStore {
  /// Adds one notice for `recipient`, in the caller's transaction.
  static func notify(
    _ db: Database, recipient: String, kind: NoticeKind, mentionID: Int64?, outboxID: Int64? = nil,
    actor: String? = nil, note: String? = nil, at: Int64
  ) throws {
    try db.cachedStatement(
      sql: """
        INSERT INTO notices (recipient, kind, mention_id, outbox_id, actor, note, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        """
    ).execute(arguments: [recipient, kind.rawValue, mentionID, outboxID, actor, note, at])
  }

  /// Tells the responder of an outbox reply what happened to it (approved, sent back, delivered,
  /// failed), in the caller's transaction. Nobody is told of their own doing.
  static func notifyResponder(
    _ db: Database, of record: OutboxRecord, kind: NoticeKind, actor: String, note: String? = nil, at: Int64
  ) throws {
    guard record.responder.lowercased() != actor.lowercased() else { return }
    try notify(
      db, recipient: record.responder, kind: kind, mentionID: record.mentionID, outboxID: record.id,
      actor: actor, note: note, at: at)
  }

  /// The outbox statuses of a reply that went (or is going) out: its responder replied.
  static let repliedStatuses = "('queued', 'sent', 'unverified')"
}

/// The notices new mentions cause, for one ingest batch (in its transaction): a watched author
/// posted again (the watcher is told), and a message arrived in the thread of a mention someone
/// replied to (each responder is told once per new mention). Each is an indexed lookup per new
/// mention that could cause one (the watched authors by author; the replied-to parent by platform
/// and post id, our reply by its post id); a batch with nobody watched and no reply in the outbox
/// reads two rows and nothing more.
struct ArrivalNotices {
  let watched: Bool
  let replied: Bool

  init(_ db: Database) throws {
    watched = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM watched_authors)") ?? false
    replied =
      try Bool.fetchOne(
        db,
        sql: """
          SELECT EXISTS (SELECT 1 FROM outbox INDEXED BY outbox_by_status
            WHERE status IN \(SQLiteStore.repliedStatuses))
          """) ?? false
  }

  /// Whether any new mention could notify anybody.
  var anyone: Bool { watched || replied }

  func write(_ db: Database, _ arrivals: [ArrivalLinks], at: Int64) throws {
    for arrival in arrivals where !arrival.staff {
      if watched {
        try db.cachedStatement(
          sql: """
            INSERT OR IGNORE INTO notices (recipient, kind, mention_id, created_at)
            SELECT watched_by, 'watched_posted', ?, ? FROM watched_authors WHERE author_id = ?
            """
        ).execute(arguments: [arrival.id, at, arrival.authorID])
      }
      guard replied, arrival.inReplyTo != nil || arrival.thread != nil else { continue }
      // A reply to the replied-to mention (or to its thread's root), and a reply to our reply's post.
      try db.cachedStatement(
        sql: """
          INSERT OR IGNORE INTO notices (recipient, kind, mention_id, created_at)
          SELECT DISTINCT o.responder, 'thread_reply', :id, :at FROM mentions p
            JOIN outbox o ON o.mention_id = p.id AND o.status IN \(SQLiteStore.repliedStatuses)
          WHERE p.platform = :platform AND p.external_id IN (:parent, :thread) AND p.id <> :id
          UNION
          SELECT o.responder, 'thread_reply', :id, :at FROM outbox o
            JOIN mentions p ON p.id = o.mention_id AND p.platform = :platform
          WHERE o.platform_post_id = :parent AND o.status IN \(SQLiteStore.repliedStatuses)
          """
      ).execute(arguments: [
        "id": arrival.id, "at": at, "platform": arrival.platform, "parent": arrival.inReplyTo,
        "thread": arrival.thread,
      ])
    }
  }
}

/// What a newly stored mention links to, for the notices its arrival causes.
struct ArrivalLinks {
  var id: Int64
  var authorID: Int64
  var platform: String
  var inReplyTo: String?
  var thread: String?
  var staff: Bool
}

// MARK: - Reading and marking

extension SQLiteStore: NoticeStore {
  static let noticeColumns = """
    n.id, n.recipient, n.kind, n.mention_id, n.outbox_id, n.actor, n.note, n.created_at, n.read_at, a.handle
    """

  static func notice(_ row: Row) -> Notice {
    let read: Int64? = row[8]
    return Notice(
      id: row[0], recipient: row[1], kind: NoticeKind(rawValue: row[2]) ?? .assigned, mentionID: row[3],
      outboxID: row[4], actor: row[5], note: row[6], createdAt: Date(epochMilliseconds: row[7]),
      readAt: read.map(Date.init(epochMilliseconds:)), handle: row[9])
  }

  /// The notices read from `index`, with the mention's author (for the handle).
  static func noticesFrom(_ index: String) -> String {
    """
    FROM notices n INDEXED BY \(index)
      LEFT JOIN mentions m ON m.id = n.mention_id LEFT JOIN authors a ON a.id = m.author_id
    """
  }

  public func notices(for recipient: String, includeRead: Bool = false, limit: Int = 200) throws -> [Notice] {
    try pool.read { db in
      var out = try Row.fetchAll(
        db,
        sql: """
          SELECT \(Self.noticeColumns) \(Self.noticesFrom("notices_unread"))
          WHERE n.recipient = ? AND n.read_at IS NULL ORDER BY n.id DESC LIMIT ?
          """, arguments: [recipient, limit]
      ).map(Self.notice)
      if includeRead && out.count < limit {
        out += try Row.fetchAll(
          db,
          sql: """
            SELECT \(Self.noticeColumns) \(Self.noticesFrom("notices_by_recipient"))
            WHERE n.recipient = ? AND n.read_at IS NOT NULL ORDER BY n.id DESC LIMIT ?
            """, arguments: [recipient, limit - out.count]
        ).map(Self.notice)
      }
      return out
    }
  }

  public func noticeSummary(for recipient: String) throws -> NoticeSummary {
    try pool.read { db in
      let unread =
        try Int.fetchOne(
          db.cachedStatement(
            sql:
              "SELECT count(*) FROM notices INDEXED BY notices_unread WHERE recipient = ? AND read_at IS NULL"
          ),
          arguments: [recipient]) ?? 0
      guard unread > 0 else { return NoticeSummary() }
      let newest = try Row.fetchOne(
        db,
        sql: """
          SELECT \(Self.noticeColumns) \(Self.noticesFrom("notices_unread"))
          WHERE n.recipient = ? AND n.read_at IS NULL ORDER BY n.id DESC LIMIT 1
          """, arguments: [recipient]
      ).map(Self.notice)
      return NoticeSummary(unread: unread, newest: newest)
    }
  }

  public func noticeMark(for recipient: String) throws -> NoticeMark {
    try pool.read { db in
      let row = try Row.fetchOne(
        db.cachedStatement(
          sql: """
            SELECT count(*), coalesce(max(id), 0) FROM notices INDEXED BY notices_unread
            WHERE recipient = ? AND read_at IS NULL
            """),
        arguments: [recipient])
      return NoticeMark(unread: row?[0] ?? 0, newest: row?[1] ?? 0)
    }
  }

  @discardableResult
  public func markNoticesRead(ids: [Int64], recipient: String) throws -> Int {
    if ids.isEmpty { return 0 }
    let now = clock.now().epochMilliseconds
    return try pool.write { db in
      var changed = 0
      for id in ids {
        try db.execute(
          sql: "UPDATE notices SET read_at = ? WHERE id = ? AND recipient = ? AND read_at IS NULL",
          arguments: [now, id, recipient])
        changed += db.changesCount
      }
      return changed
    }
  }

  @discardableResult
  public func markAllNoticesRead(recipient: String) throws -> Int {
    let now = clock.now().epochMilliseconds
    return try pool.write { db in
      try db.execute(
        sql: "UPDATE notices SET read_at = ? WHERE recipient = ? AND read_at IS NULL",
        arguments: [now, recipient])
      return db.changesCount
    }
  }
}

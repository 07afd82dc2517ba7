import Foundation
import Inbox
import PostgresNIO

/// A person's notices on the server, read and marked as `SQLiteStore+Notices` does: unread first
/// from `notices_unread (recipient, id) WHERE read_at IS NULL`, then the read ones from
/// `notices_by_recipient`, each newest first, with the mention's author's handle read when shown.
/// The notices themselves are written by the writes that cause them (assign, the four eyes,
/// delivery, ingest), in their transactions.
extension ServerStore: NoticeStore {
  static let noticeColumns = """
    n.id, n.recipient, n.kind, n.mention_id, n.outbox_id, n.actor, n.note, n.created_at, n.read_at, a.handle
    """

  typealias NoticeRow = (Int64, String, String, Int64?, Int64?, String?, String?, Int64, Int64?, String?)

  static func notice(_ row: NoticeRow) -> Notice {
    Notice(
      id: row.0, recipient: row.1, kind: NoticeKind(rawValue: row.2) ?? .assigned, mentionID: row.3,
      outboxID: row.4, actor: row.5, note: row.6, createdAt: Date(epochMilliseconds: row.7),
      readAt: row.8.map { Date(epochMilliseconds: $0) }, handle: row.9)
  }

  /// Up to `limit` of the recipient's notices, read or unread, newest first: the page taken from
  /// the index first, then its mentions' handles (joined before the limit, the planner read the
  /// handle of every unread notice to show 200 of them).
  static func notices(_ session: ServerSession, recipient: String, read: Bool, limit: Int) async throws
    -> [Notice]
  {
    try await session.rows(
      """
      SELECT \(noticeColumns)
      FROM (SELECT * FROM notices WHERE recipient = $1 AND read_at IS \(read ? "NOT NULL" : "NULL")
        ORDER BY id DESC LIMIT $2) n
        LEFT JOIN mentions m ON m.id = n.mention_id LEFT JOIN authors a ON a.id = m.author_id
      ORDER BY n.id DESC
      """, binds: .of(recipient, Int64(limit)), as: NoticeRow.self
    ).map(notice)
  }

  public func notices(for recipient: String, includeRead: Bool = false, limit: Int = 200) throws -> [Notice] {
    try read { session in
      try await session.snapshot { session in
        var out = try await Self.notices(session, recipient: recipient, read: false, limit: limit)
        if includeRead && out.count < limit {
          out += try await Self.notices(session, recipient: recipient, read: true, limit: limit - out.count)
        }
        return out
      }
    }
  }

  public func noticeSummary(for recipient: String) throws -> NoticeSummary {
    try read { session in
      try await session.snapshot { session in
        let unread =
          try await session.values(
            "SELECT count(*) FROM notices WHERE recipient = $1 AND read_at IS NULL", binds: .of(recipient),
            as: Int64.self
          ).first ?? 0
        guard unread > 0 else { return NoticeSummary() }
        let newest = try await Self.notices(session, recipient: recipient, read: false, limit: 1).first
        return NoticeSummary(unread: Int(unread), newest: newest)
      }
    }
  }

  @discardableResult
  public func markNoticesRead(ids: [Int64], recipient: String) throws -> Int {
    if ids.isEmpty { return 0 }
    let now = nowMilliseconds
    return try write { session in
      // An id named twice is marked once, as SQLite's one update per id counts it once.
      try await session.values(
        """
        UPDATE notices SET read_at = $1 WHERE id = ANY($2::bigint[]) AND recipient = $3 AND read_at IS NULL
        RETURNING id
        """, binds: .of(now, ids, recipient), as: Int64.self
      ).count
    }
  }

  @discardableResult
  public func markAllNoticesRead(recipient: String) throws -> Int {
    let now = nowMilliseconds
    return try write { session in
      try await session.values(
        "UPDATE notices SET read_at = $1 WHERE recipient = $2 AND read_at IS NULL RETURNING id",
        binds: .of(now, recipient), as: Int64.self
      ).count
    }
  }
}

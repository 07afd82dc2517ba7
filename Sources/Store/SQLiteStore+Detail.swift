import Foundation
import GRDB
import Inbox
import Policy

extension SQLiteStore {
  /// The flags of these mentions, 500 ids a query, each answered from an index (escalations by
  /// mention, watched authors by author, the claim in the row itself). Unknown ids are left out.
  public func flags(mentionIDs: [Int64]) throws -> [Int64: MentionFlags] {
    var out: [Int64: MentionFlags] = [:]
    try pool.read { db in
      for start in stride(from: 0, to: mentionIDs.count, by: 500) {
        let slice = mentionIDs[start..<min(start + 500, mentionIDs.count)]
        let rows = try Row.fetchAll(
          db,
          sql: """
            SELECT m.id, m.claimed_by, m.assigned_to,
              EXISTS (SELECT 1 FROM escalations e WHERE e.mention_id = m.id AND e.state != 'resolved'),
              EXISTS (SELECT 1 FROM watched_authors w WHERE w.author_id = m.author_id)
            FROM mentions m WHERE m.id IN (\(slice.map { _ in "?" }.joined(separator: ",")))
            """, arguments: StatementArguments(Array(slice)))
        for row in rows {
          out[row[0]] = MentionFlags(
            escalated: row[3], claimedBy: row[1], watched: row[4], assignedTo: row[2])
        }
      }
    }
    return out
  }
}

// MARK: - Reading for the detail pane

extension SQLiteStore {
  /// The queue entry for one mention.
  public func entry(id: Int64) throws -> QueueEntry? {
    try pool.read { db in
      try Row.fetchOne(
        cached: db,
        sql:
          "SELECT \(Self.entryColumns) FROM mentions m JOIN authors a ON a.id = m.author_id WHERE m.id = ?",
        arguments: [id]
      ).map(Self.entry)
    }
  }

  /// The other posts in the mention's thread (the same thread id, or replies linked either way),
  /// oldest first, including muted ones: the organisation's own answers are muted (S11).
  public func thread(of mention: Mention, limit: Int = 50) throws -> [QueueEntry] {
    try pool.read { db in
      var threadKey = mention.thread
      if threadKey == nil, let parent = mention.inReplyTo {
        threadKey = try String.fetchOne(
          cached: db, sql: "SELECT thread FROM mentions WHERE platform = ? AND external_id = ?",
          arguments: [mention.platform, parent])
      }
      // One indexed lookup per link (an OR over three columns would scan the platform's rows).
      var links = """
        SELECT id FROM mentions WHERE platform = :platform AND in_reply_to = :external
        UNION SELECT id FROM mentions WHERE platform = :platform AND external_id = :parent
        """
      var args: [String: DatabaseValueConvertible?] = [
        "platform": mention.platform, "id": mention.id, "external": mention.externalID,
        "parent": mention.inReplyTo,
      ]
      if let threadKey {
        links += "\nUNION SELECT id FROM mentions WHERE platform = :platform AND thread = :thread"
        args["thread"] = threadKey
      }
      let sql = """
        SELECT \(Self.entryColumns) FROM mentions m JOIN authors a ON a.id = m.author_id
        WHERE m.id IN (\(links)) AND m.id != :id ORDER BY m.created_at, m.id LIMIT :limit
        """
      args["limit"] = limit
      return try Row.fetchAll(cached: db, sql: sql, arguments: StatementArguments(args)).map(Self.entry)
    }
  }

  /// The author of a mention: whether watched, how many mentions, and what they wrote before it.
  ///
  /// Earlier means created before the mention (at the same moment: stored before it), whatever
  /// order the posts were stored in: a post written after the one shown is not its history.
  public func author(of mention: Mention, earlier limit: Int = 5) throws -> AuthorRecord {
    try pool.read { db in
      let authorID =
        try Int64.fetchOne(
          cached: db, sql: "SELECT author_id FROM mentions WHERE id = ?", arguments: [mention.id])
        ?? -1
      let watched =
        try Bool.fetchOne(
          cached: db, sql: "SELECT 1 FROM watched_authors WHERE author_id = ?", arguments: [authorID])
        ?? false
      let count =
        try Int.fetchOne(
          cached: db, sql: "SELECT count(*) FROM mentions WHERE author_id = ?", arguments: [authorID])
        ?? 0
      let before = "(m.created_at < :at OR (m.created_at = :at AND m.id < :id))"
      let args: StatementArguments = [
        "author": authorID, "at": mention.createdAt.epochMilliseconds, "id": mention.id, "limit": limit,
      ]
      let earlier = try Row.fetchAll(
        cached: db,
        sql: """
          SELECT \(Self.mentionColumns) FROM mentions m JOIN authors a ON a.id = m.author_id
          WHERE m.author_id = :author AND \(before) ORDER BY m.created_at DESC, m.id DESC LIMIT :limit
          """, arguments: args
      ).map(Self.mention)
      // Both counts from `mentions_by_author (author_id, created_at, category)` alone.
      let counts = try Row.fetchOne(
        cached: db,
        sql: """
          SELECT count(*), count(*) FILTER (WHERE m.category = 'complaint') FROM mentions m
          WHERE m.author_id = :author AND \(before)
          """, arguments: args)
      var complaints: Int = counts?[1] ?? 0
      if complaints > 0 {
        // A repeat folded into its first post (issue 16) is one complaint, not two: counted
        // again without the repeats, looking up only the complaints' rows.
        complaints =
          try Int.fetchOne(
            cached: db,
            sql: """
              SELECT count(*) FROM mentions m
              WHERE m.author_id = :author AND \(before) AND m.category = 'complaint' AND m.repeat_of IS NULL
              """, arguments: args) ?? 0
      }
      return AuthorRecord(
        platform: mention.platform, author: mention.author, watched: watched, mentionCount: count,
        earlier: earlier, earlierCount: counts?[0] ?? 0, earlierComplaints: complaints)
    }
  }

  /// The team's notes on a mention, oldest first.
  public func notes(mentionID: Int64) throws -> [NoteRecord] {
    try pool.read { db in
      try Row.fetchAll(
        cached: db, sql: "SELECT id, at, author, text FROM notes WHERE mention_id = ? ORDER BY id",
        arguments: [mentionID]
      ).map { NoteRecord(id: $0[0], at: Date(epochMilliseconds: $0[1]), author: $0[2], text: $0[3]) }
    }
  }

  /// The escalations of a mention, with their notes.
  public func escalations(mentionID: Int64) throws -> [EscalationRecord] {
    try pool.read { db in
      try Row.fetchAll(
        cached: db,
        sql: """
          SELECT id, mention_id, reason, state, owner, created_at, created_by, repeats FROM escalations
          WHERE mention_id = ? ORDER BY id
          """, arguments: [mentionID]
      ).map { row in
        let id: Int64 = row[0]
        let notes = try Row.fetchAll(
          cached: db,
          sql: "SELECT id, at, author, text FROM escalation_notes WHERE escalation_id = ? ORDER BY id",
          arguments: [id]
        ).map { NoteRecord(id: $0[0], at: Date(epochMilliseconds: $0[1]), author: $0[2], text: $0[3]) }
        return EscalationRecord(
          id: id, mentionID: row[1], reason: row[2], state: row[3], owner: row[4],
          createdAt: Date(epochMilliseconds: row[5]), createdBy: row[6], notes: notes, count: row[7])
      }
    }
  }

  /// Whether a mention reopens a conversation: an earlier post in its thread (not the
  /// organisation's own) was replied to or closed with a no-reply decision by the team.
  public func reopensConversation(_ mention: Mention) throws -> Bool {
    guard mention.thread != nil || mention.inReplyTo != nil else { return false }
    return try thread(of: mention).contains { other in
      other.mention.createdAt <= mention.createdAt
        && (other.mention.status == .replied || other.mention.status == .noReply)
    }
  }

  /// The id of a mention by its platform and the platform's id.
  public func mentionID(platform: String, externalID: String) throws -> Int64? {
    try pool.read {
      try Int64.fetchOne(
        cached: $0, sql: "SELECT id FROM mentions WHERE platform = ? AND external_id = ?",
        arguments: [platform, externalID])
    }
  }
}

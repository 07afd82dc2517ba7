import Foundation
import Inbox
import Policy
import PostgresNIO

// MARK: - Reading for the detail pane

extension ServerStore {
  /// The queue entry for one mention.
  public func entry(id: Int64) throws -> QueueEntry? {
    try bridge.run { session in
      var binds = ServerBinds()
      let sql = """
        SELECT \(ServerQueueSQL.entryColumns) FROM mentions m JOIN authors a ON a.id = m.author_id
        WHERE m.id = \(binds.add(id))
        """
      return try await ServerStore.records(session, sql, binds: binds.bindings, ServerRows.entry).first
    }
  }

  /// The other posts in the mention's thread (the same thread id, or replies linked either way),
  /// oldest first, including muted ones: the organisation's own answers are muted (S11).
  public func thread(of mention: Mention, limit: Int) throws -> [QueueEntry] {
    let (platform, id, external, parent, thread) = (
      mention.platform, mention.id, mention.externalID, mention.inReplyTo, mention.thread
    )
    return try bridge.run { session in
      try await session.snapshot { session in
        var threadKey = thread
        if threadKey == nil, let parent {
          var binds = ServerBinds()
          let sql =
            "SELECT thread FROM mentions WHERE platform = \(binds.add(platform)) AND external_id = \(binds.add(parent))"
          threadKey = try await session.one(sql, binds: binds.bindings, as: String.self)
        }
        // One indexed lookup per link.
        var binds = ServerBinds()
        let p = binds.add(platform)
        var links = """
          SELECT id FROM mentions WHERE platform = \(p) AND in_reply_to = \(binds.add(external))
          UNION SELECT id FROM mentions WHERE platform = \(p) AND external_id = \(parent.map { binds.add($0) } ?? "NULL")
          """
        if let threadKey {
          links +=
            "\nUNION SELECT id FROM mentions WHERE platform = \(p) AND thread = \(binds.add(threadKey))"
        }
        let sql = """
          SELECT \(ServerQueueSQL.entryColumns) FROM mentions m JOIN authors a ON a.id = m.author_id
          WHERE m.id IN (\(links)) AND m.id <> \(binds.add(id)) ORDER BY m.created_at, m.id LIMIT \(binds.add(limit))
          """
        return try await ServerStore.records(session, sql, binds: binds.bindings, ServerRows.entry)
      }
    }
  }

  /// The author of a mention: whether watched, how many mentions, and what they wrote before it
  /// (created before it, or at the same moment and stored before it), as on SQLite.
  public func author(of mention: Mention, earlier limit: Int) throws -> AuthorRecord {
    let (id, createdAt) = (mention.id, mention.createdAt.epochMilliseconds)
    let found = try bridge.run { session in
      try await session.snapshot { session in
        var binds = ServerBinds()
        let authorID =
          try await session.one(
            "SELECT author_id FROM mentions WHERE id = \(binds.add(id))", binds: binds.bindings,
            as: Int64.self)
          ?? -1
        binds = ServerBinds()
        let a = binds.add(authorID)
        let head = try await session.decoded(
          """
          SELECT EXISTS (SELECT 1 FROM watched_authors WHERE author_id = \(a)),
            (SELECT count(*) FROM mentions WHERE author_id = \(a))
          """, binds: binds.bindings
        ) { (try $0[0].decode(Bool.self), try $0[1].decode(Int.self)) }
        binds = ServerBinds()
        let author = binds.add(authorID)
        let at = binds.add(createdAt)
        let before = "(m.created_at < \(at) OR (m.created_at = \(at) AND m.id < \(binds.add(id))))"
        let earlier = try await ServerStore.records(
          session,
          """
          SELECT \(ServerStore.mentionColumns) FROM mentions m JOIN authors a ON a.id = m.author_id
          WHERE m.author_id = \(author) AND \(before) ORDER BY m.created_at DESC, m.id DESC
          LIMIT \(binds.add(limit))
          """, binds: binds.bindings, ServerStore.mention)
        binds = ServerBinds()
        let sameAuthor = binds.add(authorID)
        let sameAt = binds.add(createdAt)
        let earlierThan =
          "(m.created_at < \(sameAt) OR (m.created_at = \(sameAt) AND m.id < \(binds.add(id))))"
        // A repeat folded into its first post (issue 16) is one complaint, not two.
        let counts = try await session.decoded(
          """
          SELECT count(*),
            count(*) FILTER (WHERE m.category = 'complaint' AND m.repeat_of IS NULL)
          FROM mentions m WHERE m.author_id = \(sameAuthor) AND \(earlierThan)
          """, binds: binds.bindings
        ) { (try $0[0].decode(Int.self), try $0[1].decode(Int.self)) }
        return (head.first ?? (false, 0), earlier, counts.first ?? (0, 0))
      }
    }
    return AuthorRecord(
      platform: mention.platform, author: mention.author, watched: found.0.0, mentionCount: found.0.1,
      earlier: found.1, earlierCount: found.2.0, earlierComplaints: found.2.1)
  }

  /// The team's notes on a mention, oldest first.
  public func notes(mentionID: Int64) throws -> [NoteRecord] {
    try bridge.run { session in
      var binds = ServerBinds()
      let sql =
        "SELECT id, at, author, text FROM notes WHERE mention_id = \(binds.add(mentionID)) ORDER BY id"
      return try await session.decoded(sql, binds: binds.bindings, Self.note)
    }
  }

  static func note(_ row: PostgresRandomAccessRow) throws -> NoteRecord {
    NoteRecord(
      id: try row[0].decode(Int64.self), at: Date(epochMilliseconds: try row[1].decode(Int64.self)),
      author: try row[2].decode(String.self), text: try row[3].decode(String.self))
  }

  /// The escalations of a mention, with their notes.
  public func escalations(mentionID: Int64) throws -> [EscalationRecord] {
    try bridge.run { session in
      try await session.snapshot { session in
        var binds = ServerBinds()
        let sql = """
          SELECT id, mention_id, reason, state, owner, created_at, created_by, repeats FROM escalations
          WHERE mention_id = \(binds.add(mentionID)) ORDER BY id
          """
        let rows = try await session.decoded(sql, binds: binds.bindings) { row in
          EscalationRecord(
            id: try row[0].decode(Int64.self), mentionID: try row[1].decode(Int64.self),
            reason: try row[2].decode(String.self), state: try row[3].decode(String.self),
            owner: try row[4].decode(String?.self),
            createdAt: Date(epochMilliseconds: try row[5].decode(Int64.self)),
            createdBy: try row[6].decode(String.self), notes: [], count: try row[7].decode(Int.self))
        }
        var out: [EscalationRecord] = []
        for var record in rows {
          var binds = ServerBinds()
          let sql = """
            SELECT id, at, author, text FROM escalation_notes WHERE escalation_id = \(binds.add(record.id))
            ORDER BY id
            """
          record.notes = try await session.decoded(sql, binds: binds.bindings, Self.note)
          out.append(record)
        }
        return out
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

  /// The flags of these mentions (escalated, claimed, watched author); unknown ids left out.
  public func flags(mentionIDs: [Int64]) throws -> [Int64: MentionFlags] {
    guard !mentionIDs.isEmpty else { return [:] }
    return try bridge.run { session in
      var binds = ServerBinds()
      let sql = """
        SELECT m.id, m.claimed_by, m.assigned_to,
          EXISTS (SELECT 1 FROM escalations e WHERE e.mention_id = m.id AND e.state <> 'resolved'),
          EXISTS (SELECT 1 FROM watched_authors w WHERE w.author_id = m.author_id)
        FROM mentions m WHERE m.id = ANY(\(binds.add(mentionIDs)))
        """
      var out: [Int64: MentionFlags] = [:]
      for (id, flags) in try await session.decoded(
        sql, binds: binds.bindings,
        { row in
          (
            try row[0].decode(Int64.self),
            MentionFlags(
              escalated: try row[3].decode(Bool.self), claimedBy: try row[1].decode(String?.self),
              watched: try row[4].decode(Bool.self), assignedTo: try row[2].decode(String?.self))
          )
        })
      {
        out[id] = flags
      }
      return out
    }
  }

  /// The id of a mention by its platform and the platform's id.
  public func mentionID(platform: String, externalID: String) throws -> Int64? {
    try bridge.run { session in
      var binds = ServerBinds()
      let sql =
        "SELECT id FROM mentions WHERE platform = \(binds.add(platform)) AND external_id = \(binds.add(externalID))"
      return try await session.one(sql, binds: binds.bindings, as: Int64.self)
    }
  }

  /// The source record of a mention exactly as it was read.
  public func rawRecord(mentionID: Int64) throws -> String? {
    try bridge.run { session in
      var binds = ServerBinds()
      return try await session.one(
        "SELECT raw FROM mentions WHERE id = \(binds.add(mentionID))", binds: binds.bindings, as: String.self)
    }
  }

  /// The whole audit trail, oldest first, from an event id on.
  public func allEvents(after id: Int64, limit: Int) throws -> [Event] {
    try bridge.run { session in
      var binds = ServerBinds()
      let sql = """
        SELECT id, at, actor, action, mention_id, detail FROM events
        WHERE id > \(binds.add(id)) ORDER BY id LIMIT \(binds.add(limit))
        """
      return try await session.decoded(sql, binds: binds.bindings) { row in
        Event(
          id: try row[0].decode(Int64.self), at: Date(epochMilliseconds: try row[1].decode(Int64.self)),
          actor: try row[2].decode(String.self), action: try row[3].decode(String.self),
          mentionID: try row[4].decode(Int64?.self), detail: try row[5].decode(String?.self))
      }
    }
  }
}

extension ServerStore: QueueStore {}

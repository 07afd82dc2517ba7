import Foundation
import Inbox
import Policy
import PostgresNIO

/// Drafts on the server, as `SQLiteStore+Drafts.swift` keeps them: one per mention and responder,
/// saved as it is typed, no event (sending it is the event).
extension ServerStore {
  public func saveDraft(mentionID: Int64, author: String, kind: ReplyKind, text: String) throws {
    let now = clock.now().epochMilliseconds
    try replyRun { session in
      try await session.transaction { session in
        try await ReplySQL.writerTurn(session)
        if text.isEmpty {
          // Nothing to drop writes nothing: a statement that deletes no row still moves the
          // change counter, and every inbox would look again.
          let kept = try await session.values(
            "SELECT EXISTS (SELECT 1 FROM drafts WHERE mention_id = $1 AND author = $2)",
            binds: ReplySQL.binds(mentionID, author), as: Bool.self)
          guard kept.first == true else { return }
          try await ReplySQL.exec(
            session, "DELETE FROM drafts WHERE mention_id = $1 AND author = $2",
            ReplySQL.binds(mentionID, author))
          return
        }
        // An editor may still be open on a mention another process just forgot: its next save
        // must not bring the text back.
        try await ReplySQL.requireWritable(session, mentionID: mentionID)
        try await ReplySQL.exec(
          session,
          """
          INSERT INTO drafts (mention_id, author, kind, text, started_at, updated_at)
          VALUES ($1, $2, $3, $4, $5, $5)
          ON CONFLICT (mention_id, author) DO UPDATE SET
            kind = excluded.kind, text = excluded.text, updated_at = excluded.updated_at
          """, ReplySQL.binds(mentionID, author, kind.rawValue, text, now))
      }
    }
  }

  public func discardDraft(mentionID: Int64, author: String) throws {
    try saveDraft(mentionID: mentionID, author: author, kind: .reply, text: "")
  }

  public func draft(mentionID: Int64, author: String) throws -> DraftRecord? {
    try replyRun { session in
      try await Self.drafts(
        session, "SELECT \(Self.draftColumns) FROM drafts WHERE mention_id = $1 AND author = $2",
        ReplySQL.binds(mentionID, author)
      ).first
    }
  }

  /// Every draft on a mention, newest first.
  public func drafts(mentionID: Int64) throws -> [DraftRecord] {
    try replyRun { session in
      try await Self.drafts(
        session, "SELECT \(Self.draftColumns) FROM drafts WHERE mention_id = $1 ORDER BY updated_at DESC",
        ReplySQL.binds(mentionID))
    }
  }

  /// The authors with a draft on each of `mentionIDs` (only the mentions that have one), newest
  /// first: one query with the ids as an array.
  public func draftAuthors(mentionIDs: [Int64]) throws -> [Int64: [String]] {
    guard !mentionIDs.isEmpty else { return [:] }
    return try replyRun { session in
      var out: [Int64: [String]] = [:]
      for (id, author) in try await session.rows(
        "SELECT mention_id, author FROM drafts WHERE mention_id = ANY($1) ORDER BY updated_at DESC",
        binds: ReplySQL.binds(mentionIDs), as: (Int64, String).self)
      {
        out[id, default: []].append(author)
      }
      return out
    }
  }

  /// Changes whenever a draft is saved, replaced or discarded: the same three figures as on SQLite.
  public func draftMark() throws -> [Int64] {
    try replyRun { session in
      let rows = try await session.rows(
        """
        SELECT count(*)::bigint, coalesce(max(updated_at), 0)::bigint,
          coalesce(sum(updated_at % 1000003), 0)::bigint FROM drafts
        """, as: (Int64, Int64, Int64).self)
      guard let (count, newest, sum) = rows.first else { return [0, 0, 0] }
      return [count, newest, sum]
    }
  }

  static let draftColumns = "mention_id, author, kind, text, started_at, updated_at"

  static func drafts(_ session: ServerSession, _ sql: String, _ binds: PostgresBindings) async throws
    -> [DraftRecord]
  {
    try await session.rows(sql, binds: binds, as: (Int64, String, String, String, Int64, Int64).self).map {
      DraftRecord(
        mentionID: $0.0, author: $0.1, kind: ReplyKind(rawValue: $0.2) ?? .reply, text: $0.3,
        startedAt: Date(epochMilliseconds: $0.4), updatedAt: Date(epochMilliseconds: $0.5))
    }
  }
}

import Foundation
import GRDB
import Inbox
import Policy

// MARK: - Drafts

extension SQLiteStore {
  /// Saves the draft `author` is writing on a mention; empty text discards it. No event: a draft
  /// is work in progress, saved about once a second while typing; sending it is the event.
  public func saveDraft(mentionID: Int64, author: String, kind: ReplyKind, text: String) throws {
    let now = clock.now().epochMilliseconds
    try pool.write { db in
      if text.isEmpty {
        try db.execute(
          sql: "DELETE FROM drafts WHERE mention_id = ? AND author = ?", arguments: [mentionID, author])
        return
      }
      try Self.requireWritable(db, mentionID: mentionID)
      try db.execute(
        sql: """
          INSERT INTO drafts (mention_id, author, kind, text, started_at, updated_at)
          VALUES (?, ?, ?, ?, ?, ?)
          ON CONFLICT (mention_id, author) DO UPDATE SET
            kind = excluded.kind, text = excluded.text, updated_at = excluded.updated_at
          """, arguments: [mentionID, author, kind.rawValue, text, now, now])
    }
  }

  /// The mention exists and was not erased. An inbox may still hold an editor open on a mention
  /// that another process just forgot: its next save must not bring the text back.
  static func requireWritable(_ db: Database, mentionID: Int64) throws {
    guard
      let handle = try String.fetchOne(
        db, sql: "SELECT a.handle FROM mentions m JOIN authors a ON a.id = m.author_id WHERE m.id = ?",
        arguments: [mentionID])
    else { throw ActionError.noSuchMention(mentionID) }
    if handle == forgottenHandle { throw ActionError.erased(mentionID) }
  }

  /// Throws away `author`'s draft on a mention, if any.
  public func discardDraft(mentionID: Int64, author: String) throws {
    try saveDraft(mentionID: mentionID, author: author, kind: .reply, text: "")
  }

  /// `author`'s draft on a mention, to restore when the editor opens again.
  public func draft(mentionID: Int64, author: String) throws -> DraftRecord? {
    try pool.read { db in
      try Row.fetchOne(
        db, sql: "SELECT \(Self.draftColumns) FROM drafts WHERE mention_id = ? AND author = ?",
        arguments: [mentionID, author]
      ).map(Self.draftRecord)
    }
  }

  /// Every draft on a mention, newest first: teammates see that someone is writing, and who.
  public func drafts(mentionID: Int64) throws -> [DraftRecord] {
    try pool.read { db in
      try Row.fetchAll(
        cached: db,
        sql: "SELECT \(Self.draftColumns) FROM drafts WHERE mention_id = ? ORDER BY updated_at DESC",
        arguments: [mentionID]
      ).map(Self.draftRecord)
    }
  }

  static let draftColumns = "mention_id, author, kind, text, started_at, updated_at"

  static func draftRecord(_ row: Row) -> DraftRecord {
    DraftRecord(
      mentionID: row[0], author: row[1], kind: ReplyKind(rawValue: row[2]) ?? .reply, text: row[3],
      startedAt: Date(epochMilliseconds: row[4]), updatedAt: Date(epochMilliseconds: row[5]))
  }
}

// What the inbox shows about drafts without reading their text: who writes on which mention, and
// a mark that changes when any draft does, so teammates' inboxes notice within their poll.

extension SQLiteStore {
  /// The authors with a draft on each of `mentionIDs` (only the mentions that have one), newest
  /// first. One indexed query for a window of the queue.
  public func draftAuthors(mentionIDs: [Int64]) throws -> [Int64: [String]] {
    guard !mentionIDs.isEmpty else { return [:] }
    return try pool.read { db in
      let marks = mentionIDs.map { _ in "?" }.joined(separator: ", ")
      var out: [Int64: [String]] = [:]
      for row in try Row.fetchAll(
        db,
        sql: "SELECT mention_id, author FROM drafts WHERE mention_id IN (\(marks)) ORDER BY updated_at DESC",
        arguments: StatementArguments(mentionIDs))
      {
        out[row[0], default: []].append(row[1])
      }
      return out
    }
  }

  /// Changes whenever a draft is saved, replaced or discarded (drafts record no event).
  public func draftMark() throws -> [Int64] {
    try pool.read { db in
      guard
        let row = try Row.fetchOne(
          db,
          sql:
            "SELECT count(*), coalesce(max(updated_at), 0), coalesce(sum(updated_at % 1000003), 0) FROM drafts"
        )
      else { return [0, 0, 0] }
      return [row[0], row[1], row[2]]
    }
  }
}

import Foundation
import GRDB
import Inbox

/// The team's snippets (issue 16). Each change checks the snippet's status and writes its event in
/// one transaction, so two supervisors acting at once cannot both approve, or approve a retired one.
extension SQLiteStore: SnippetStore {
  static let snippetColumns = """
    id, lang, title, body, status, created_by, created_at, updated_at, approved_by, approved_at,
    reviewed_by, review_note
    """

  static func snippet(_ row: Row) -> Snippet {
    Snippet(
      id: row[0], lang: row[1], title: row[2], body: row[3],
      status: SnippetStatus(rawValue: row[4]) ?? .retired, createdBy: row[5],
      createdAt: Date(epochMilliseconds: row[6]), updatedAt: Date(epochMilliseconds: row[7]),
      approvedBy: row[8], approvedAt: (row[9] as Int64?).map { Date(epochMilliseconds: $0) },
      reviewedBy: row[10], reviewNote: row[11])
  }

  static func fetchSnippet(_ db: Database, id: Int64) throws -> Snippet? {
    try Row.fetchOne(db, sql: "SELECT \(snippetColumns) FROM snippets WHERE id = ?", arguments: [id])
      .map(snippet)
  }

  public func addSnippet(lang: String, title: String, body: String, actor: String, approved: Bool) throws
    -> Snippet
  {
    let now = clock.now().epochMilliseconds
    return try pool.write { db in
      if let taken = try Int64.fetchOne(
        db,
        sql: """
          SELECT id FROM snippets WHERE lang = ? AND lower(title) = lower(?)
            AND status IN ('proposed', 'approved')
          """, arguments: [lang, title])
      {
        throw SnippetError.titleTaken(title, lang: lang, id: taken)
      }
      try db.execute(
        sql: """
          INSERT INTO snippets (lang, title, body, status, created_by, created_at, updated_at, approved_by,
            approved_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          lang, title, body, approved ? "approved" : "proposed", actor, now, now, approved ? actor : nil,
          approved ? now : nil,
        ])
      let id = db.lastInsertedRowID
      try appendEvent(
        db, at: now, actor: actor, action: "snippet_propose", mentionID: nil,
        detail: #"{"snippet_id":\#(id),"lang":\#(JSONWriter.quoted(lang))}"#)
      if approved {
        // A supervisor's own snippet is shared at once: they are the second pair of eyes, as for
        // their replies (docs/DECISIONS.md). The trail still says who approved it.
        try appendEvent(
          db, at: now, actor: actor, action: "snippet_approve", mentionID: nil,
          detail: #"{"snippet_id":\#(id),"own":true}"#)
      }
      guard let stored = try Self.fetchSnippet(db, id: id) else { throw SnippetError.noSuchSnippet(id) }
      return stored
    }
  }

  public func snippet(id: Int64) throws -> Snippet? {
    try pool.read { db in try Self.fetchSnippet(db, id: id) }
  }

  public func snippets(statuses: Set<SnippetStatus>, lang: String?) throws -> [Snippet] {
    var clauses: [String] = []
    var arguments: [DatabaseValueConvertible?] = []
    if !statuses.isEmpty {
      let sorted = statuses.map(\.rawValue).sorted()
      clauses.append("status IN (\(sorted.map { _ in "?" }.joined(separator: ", ")))")
      arguments += sorted
    }
    if let lang {
      clauses.append("lang = ?")
      arguments.append(lang)
    }
    let whereSQL = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
    return try pool.read { db in
      try Row.fetchAll(
        db, sql: "SELECT \(Self.snippetColumns) FROM snippets \(whereSQL) ORDER BY lower(title), lang, id",
        arguments: StatementArguments(arguments) ?? []
      ).map(Self.snippet)
    }
  }

  public func approveSnippet(id: Int64, actor: String) throws -> Snippet {
    try review(id: id, actor: actor, action: "snippet_approve") { db, now in
      try db.execute(
        sql: """
          UPDATE snippets SET status = 'approved', approved_by = ?, approved_at = ?, updated_at = ?
          WHERE id = ?
          """, arguments: [actor, now, now, id])
    }
  }

  public func rejectSnippet(id: Int64, note: String, actor: String) throws -> Snippet {
    try review(id: id, actor: actor, action: "snippet_reject") { db, now in
      try db.execute(
        sql: """
          UPDATE snippets SET status = 'rejected', reviewed_by = ?, review_note = ?, updated_at = ?
          WHERE id = ?
          """, arguments: [actor, note, now, id])
    }
  }

  /// Approving and rejecting: a proposal only, and never by the one who proposed it (four eyes).
  private func review(
    id: Int64, actor: String, action: String, change: (Database, Int64) throws -> Void
  ) throws -> Snippet {
    let now = clock.now().epochMilliseconds
    return try pool.write { db in
      guard let s = try Self.fetchSnippet(db, id: id) else { throw SnippetError.noSuchSnippet(id) }
      guard s.status == .proposed else { throw SnippetError.notProposed(id, status: s.status) }
      guard s.createdBy.lowercased() != actor.lowercased() else { throw SnippetError.ownSnippet(id) }
      try change(db, now)
      // The note stays on the snippet's row: an event's detail holds facts, never free text.
      try appendEvent(
        db, at: now, actor: actor, action: action, mentionID: nil, detail: #"{"snippet_id":\#(id)}"#)
      guard let stored = try Self.fetchSnippet(db, id: id) else { throw SnippetError.noSuchSnippet(id) }
      return stored
    }
  }

  public func retireSnippet(id: Int64, actor: String) throws -> Snippet {
    let now = clock.now().epochMilliseconds
    return try pool.write { db in
      guard let s = try Self.fetchSnippet(db, id: id) else { throw SnippetError.noSuchSnippet(id) }
      guard s.status == .proposed || s.status == .approved else {
        throw SnippetError.notLive(id, status: s.status)
      }
      try db.execute(
        sql: "UPDATE snippets SET status = 'retired', reviewed_by = ?, updated_at = ? WHERE id = ?",
        arguments: [actor, now, id])
      try appendEvent(
        db, at: now, actor: actor, action: "snippet_retire", mentionID: nil, detail: #"{"snippet_id":\#(id)}"#
      )
      guard let stored = try Self.fetchSnippet(db, id: id) else { throw SnippetError.noSuchSnippet(id) }
      return stored
    }
  }
}

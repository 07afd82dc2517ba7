import Foundation
import Inbox
import PostgresNIO

/// The team's snippets on the server, as `SQLiteStore+Snippets` keeps them. Each change checks the
/// snippet and writes its event in one transaction in the writers' turn, so two supervisors on two
/// machines cannot both approve a proposal, or approve one being retired, and a live title is
/// taken once.
extension ServerStore: SnippetStore {
  static let snippetColumns = """
    id, lang, title, body, status, created_by, created_at, updated_at, approved_by, approved_at,
    reviewed_by, review_note
    """

  typealias SnippetRow = (
    Int64, String, String, String, String, String, Int64, Int64, String?, Int64?, String?, String?
  )

  static func snippet(_ row: SnippetRow) -> Snippet {
    Snippet(
      id: row.0, lang: row.1, title: row.2, body: row.3, status: SnippetStatus(rawValue: row.4) ?? .retired,
      createdBy: row.5, createdAt: Date(epochMilliseconds: row.6), updatedAt: Date(epochMilliseconds: row.7),
      approvedBy: row.8, approvedAt: row.9.map { Date(epochMilliseconds: $0) }, reviewedBy: row.10,
      reviewNote: row.11)
  }

  static func fetchSnippet(_ session: ServerSession, id: Int64) async throws
    -> Snippet?
  {
    try await session.rows(
      "SELECT \(snippetColumns) FROM snippets WHERE id = $1", binds: .of(id),
      as: SnippetRow.self
    ).first.map(snippet)
  }

  public func addSnippet(lang: String, title: String, body: String, actor: String, approved: Bool) throws
    -> Snippet
  {
    let now = nowMilliseconds
    return try write { session in
      // `lower` as the unique index `snippets_live_title` has it (see docs/DECISIONS.md).
      if let taken = try await session.values(
        """
        SELECT id FROM snippets WHERE lang = $1 AND lower(title) = lower($2)
          AND status IN ('proposed', 'approved')
        """, binds: .of(lang, title), as: Int64.self
      ).first {
        throw SnippetError.titleTaken(title, lang: lang, id: taken)
      }
      let id = try await session.values(
        """
        INSERT INTO snippets (lang, title, body, status, created_by, created_at, updated_at, approved_by,
          approved_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text, $9::bigint) RETURNING id
        """,
        binds: .of(
          lang, title, body, approved ? "approved" : "proposed", actor, now, now, approved ? actor : nil,
          approved ? now : nil),
        as: Int64.self)[0]
      try await session.appendEvent(
        at: now, actor: actor, action: "snippet_propose", mentionID: nil,
        detail: #"{"snippet_id":\#(id),"lang":\#(JSONWriter.quoted(lang))}"#)
      if approved {
        // A supervisor's own snippet is shared at once, as on SQLite; the trail says who approved it.
        try await session.appendEvent(
          at: now, actor: actor, action: "snippet_approve", mentionID: nil,
          detail: #"{"snippet_id":\#(id),"own":true}"#)
      }
      guard let stored = try await Self.fetchSnippet(session, id: id) else {
        throw SnippetError.noSuchSnippet(id)
      }
      return stored
    }
  }

  public func snippet(id: Int64) throws -> Snippet? {
    try read { session in try await Self.fetchSnippet(session, id: id) }
  }

  /// By title as SQLite orders them: its `lower` folds ASCII letters only, and compares bytes.
  public func snippets(statuses: Set<SnippetStatus>, lang: String?) throws -> [Snippet] {
    let sorted = statuses.map(\.rawValue).sorted()
    return try read { session in
      try await session.rows(
        """
        SELECT \(Self.snippetColumns) FROM snippets
        WHERE (cardinality($1::text[]) = 0 OR status = ANY($1::text[])) AND ($2::text IS NULL OR lang = $2::text)
        ORDER BY translate(title, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') COLLATE "C",
          lang COLLATE "C", id
        """, binds: .of(sorted, lang), as: SnippetRow.self
      ).map(Self.snippet)
    }
  }

  public func approveSnippet(id: Int64, actor: String) throws -> Snippet {
    try review(id: id, actor: actor, action: "snippet_approve") { session, now in
      try await session.execute(
        """
        UPDATE snippets SET status = 'approved', approved_by = $1, approved_at = $2, updated_at = $2
        WHERE id = $3
        """, .of(actor, now, id))
    }
  }

  public func rejectSnippet(id: Int64, note: String, actor: String) throws -> Snippet {
    try review(id: id, actor: actor, action: "snippet_reject") { session, now in
      try await session.execute(
        """
        UPDATE snippets SET status = 'rejected', reviewed_by = $1, review_note = $2, updated_at = $3
        WHERE id = $4
        """, .of(actor, note, now, id))
    }
  }

  /// Approving and rejecting: a proposal only, and never by the one who proposed it (four eyes).
  private func review(
    id: Int64, actor: String, action: String,
    change: @escaping @Sendable (ServerSession, Int64) async throws -> Void
  ) throws -> Snippet {
    let now = nowMilliseconds
    return try write { session in
      guard let s = try await Self.fetchSnippet(session, id: id) else {
        throw SnippetError.noSuchSnippet(id)
      }
      guard s.status == .proposed else { throw SnippetError.notProposed(id, status: s.status) }
      guard s.createdBy.lowercased() != actor.lowercased() else { throw SnippetError.ownSnippet(id) }
      try await change(session, now)
      // The note stays on the snippet's row: an event's detail holds facts, never free text.
      try await session.appendEvent(
        at: now, actor: actor, action: action, mentionID: nil, detail: #"{"snippet_id":\#(id)}"#)
      guard let stored = try await Self.fetchSnippet(session, id: id) else {
        throw SnippetError.noSuchSnippet(id)
      }
      return stored
    }
  }

  public func retireSnippet(id: Int64, actor: String) throws -> Snippet {
    let now = nowMilliseconds
    return try write { session in
      guard let s = try await Self.fetchSnippet(session, id: id) else {
        throw SnippetError.noSuchSnippet(id)
      }
      guard s.status == .proposed || s.status == .approved else {
        throw SnippetError.notLive(id, status: s.status)
      }
      try await session.execute(
        "UPDATE snippets SET status = 'retired', reviewed_by = $1, updated_at = $2 WHERE id = $3",
        .of(actor, now, id))
      try await session.appendEvent(
        at: now, actor: actor, action: "snippet_retire", mentionID: nil, detail: #"{"snippet_id":\#(id)}"#)
      guard let stored = try await Self.fetchSnippet(session, id: id) else {
        throw SnippetError.noSuchSnippet(id)
      }
      return stored
    }
  }
}

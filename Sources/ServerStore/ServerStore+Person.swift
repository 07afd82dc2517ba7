import Foundation
import Inbox
import PostgresNIO

/// The person behind the posts on the server (issue 16), as `SQLiteStore+Person` keeps them: the
/// person's authors from `person_links`, their posts from `mentions_by_author (author_id,
/// created_at, category)`, what the team did on a page of posts from the outbox's, notes',
/// escalations' and events' indexes by mention, a handle from `authors_by_folded_handle`
/// (migration 6). A read of several statements sees one snapshot, as a SQLite read does (a link
/// committed meanwhile is in all of it or none). The note, a link and an unlink are each one
/// transaction in the writers' turn, with their audit event.
extension ServerStore: PersonStore {
  public func identity(mentionID: Int64) throws -> Identity? {
    try read { session in
      try await session.rows(
        "SELECT a.id, a.platform, a.handle FROM mentions m JOIN authors a ON a.id = m.author_id WHERE m.id = $1",
        binds: .of(mentionID), as: (Int64, String, String).self
      ).first.map { Identity(authorID: $0.0, platform: $0.1, handle: $0.2) }
    }
  }

  /// The exact handle when an author has it, else the handle in any case (SQLite's `lower`, which
  /// folds ASCII letters only): one read of the folded handle's index, the exact ones picked here.
  public func identities(handle: String, platform: String?) throws -> [Identity] {
    let bare = handle.hasPrefix("@") ? String(handle.dropFirst()) : handle
    let found = try read { session in
      try await session.rows(
        """
        SELECT id, platform, handle FROM authors
        WHERE \(PersonSQL.foldedHandle) = $1 AND ($2::text IS NULL OR platform = $2::text) AND handle <> $3
        ORDER BY id
        """, binds: .of(PersonSQL.folded(bare), platform, ReplySQL.forgottenHandle),
        as: (Int64, String, String).self
      ).map { Identity(authorID: $0.0, platform: $0.1, handle: $0.2) }
    }
    let exact = found.filter { $0.handle == bare }
    return exact.isEmpty ? found : exact
  }

  public func person(of authorID: Int64, now: Date) throws -> PersonSummary {
    try read { session in
      try await session.snapshot { session in
        let members = try await PersonSQL.members(session, of: authorID)
        var identities = try await session.rows(
          "SELECT id, platform, handle FROM authors WHERE id = ANY($1::bigint[]) ORDER BY id",
          binds: .of(members),
          as: (Int64, String, String).self
        ).map { Identity(authorID: $0.0, platform: $0.1, handle: $0.2) }
        if let own = identities.firstIndex(where: { $0.authorID == authorID }) {
          identities.insert(identities.remove(at: own), at: 0)
        }
        let watched =
          try await session.values(
            "SELECT EXISTS (SELECT 1 FROM watched_authors WHERE author_id = ANY($1::bigint[]))",
            binds: .of(members), as: Bool.self
          ).first ?? false
        let day: Int64 = 86_400_000
        let at = now.epochMilliseconds
        // A repeated post (folded into the first) is one complaint, not three.
        let complaint = "category = 'complaint' AND repeat_of IS NULL AND created_at <= $4"
        let row = try await session.rows(
          """
          SELECT count(*),
            count(*) FILTER (WHERE \(complaint) AND created_at >= $2),
            count(*) FILTER (WHERE \(complaint) AND created_at >= $3),
            max(created_at) FILTER (WHERE \(complaint))
          FROM mentions WHERE author_id = ANY($1::bigint[])
          """, binds: .of(members, at - 30 * day, at - 90 * day, at), as: (Int64, Int64, Int64, Int64?).self
        ).first
        let person = try await PersonSQL.anchor(session, of: authorID)
        return PersonSummary(
          identities: identities, watched: watched, note: try await PersonSQL.note(session, person: person),
          posts: Int(row?.0 ?? 0), complaints30: Int(row?.1 ?? 0), complaints90: Int(row?.2 ?? 0),
          lastComplaint: row?.3.map { Date(epochMilliseconds: $0) })
      }
    }
  }

  public func timeline(of authorID: Int64, after cursor: TimelineCursor?, limit: Int) throws -> TimelinePage {
    try read { session in
      try await session.snapshot { session in
        let members = try await PersonSQL.members(session, of: authorID)
        var binds = PostgresBindings.of(members, Int64(limit + 1))
        var before = ""
        if let cursor {
          // `created_at <= $3` said apart: an index condition, so a deep page starts at the cursor.
          before = "AND created_at <= $3 AND (created_at < $3 OR id < $4)"
          binds.append(cursor.at.epochMilliseconds)
          binds.append(cursor.mentionID)
        }
        // A page from each identity's newest posts (`mentions_by_author`), then the newest of them:
        // the planner, asked for the person's posts in time order at once, walks every mention
        // backwards by `mentions_by_created` until it has a page, 100,000 for a person last seen
        // weeks ago (44 ms at 100k against 0.14: scripts/explain-pg-person.sh).
        let posts = try await session.rows(
          """
          SELECT m.id, m.created_at, a.handle, m.text, m.platform, coalesce(m.category, ''), m.status
          FROM unnest($1::bigint[]) AS p(author_id)
            CROSS JOIN LATERAL (
              SELECT id, created_at, author_id, text, platform, category, status FROM mentions
              WHERE author_id = p.author_id \(before) ORDER BY created_at DESC, id DESC LIMIT $2) m
            JOIN authors a ON a.id = m.author_id
          ORDER BY m.created_at DESC, m.id DESC LIMIT $2
          """,
          binds: binds,
          as: (Int64, Int64, String, String, String, String, String).self)
        var items = posts.prefix(limit).map { r in
          TimelineItem(
            kind: .mention, at: Date(epochMilliseconds: r.1), mentionID: r.0, actor: r.2, text: r.3,
            platform: r.4, state: [r.5, r.6].filter { !$0.isEmpty }.joined(separator: " · "))
        }
        let next =
          posts.count > limit ? items.last.map { TimelineCursor(at: $0.at, mentionID: $0.mentionID) } : nil
        if !items.isEmpty {
          items += try await PersonSQL.activity(session, on: items.map(\.mentionID))
        }
        items.sort {
          ($0.at, $0.kind == .mention ? 0 : 1, $0.mentionID) > (
            $1.at, $1.kind == .mention ? 0 : 1, $1.mentionID
          )
        }
        return TimelinePage(items: items, next: next)
      }
    }
  }

  public func personNote(of authorID: Int64) throws -> PersonNote? {
    try read { session in
      try await session.snapshot { session in
        try await PersonSQL.note(session, person: PersonSQL.anchor(session, of: authorID))
      }
    }
  }

  public func setPersonNote(of authorID: Int64, text: String, actor: String) throws {
    let now = nowMilliseconds
    try write { session in
      try await PersonSQL.requireAuthor(session, authorID)
      let person = try await PersonSQL.anchor(session, of: authorID)
      let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
      if trimmed.isEmpty {
        try await session.execute("DELETE FROM person_notes WHERE person_id = $1", .of(person))
      } else {
        try await PersonSQL.putNote(session, person: person, text: trimmed, by: actor, at: now)
      }
      // The trail says who and on whom (an id, never the handle or the text: forget erases those).
      try await session.appendEvent(
        at: now, actor: actor, action: trimmed.isEmpty ? "person_note_removed" : "person_note",
        mentionID: nil, detail: #"{"author_id":\#(authorID),"person_id":\#(person)}"#)
    }
  }

  public func link(_ authorID: Int64, with other: Int64, actor: String) throws {
    let now = nowMilliseconds
    try write { session in
      try await PersonSQL.requireAuthor(session, authorID)
      try await PersonSQL.requireAuthor(session, other)
      let a = try await PersonSQL.anchor(session, of: authorID)
      let b = try await PersonSQL.anchor(session, of: other)
      guard a != b else { throw PersonError.sameIdentity }
      // The older anchor (the lower id) stays the person's; the other's identities and note join it.
      let (keep, join) = (min(a, b), max(a, b))
      try await session.execute(
        """
        INSERT INTO person_links (author_id, person_id) SELECT unnest($1::bigint[]), $2
        ON CONFLICT (author_id) DO UPDATE SET person_id = excluded.person_id
        """, .of(try await PersonSQL.members(session, of: join) + [keep], keep))
      if let joining = try await PersonSQL.note(session, person: join) {
        let kept = try await PersonSQL.note(session, person: keep)
        let text = [kept?.text, joining.text].compactMap { $0 }.joined(separator: "\n")
        try await session.execute("DELETE FROM person_notes WHERE person_id = $1", .of(join))
        try await PersonSQL.putNote(session, person: keep, text: text, by: actor, at: now)
      }
      try await session.appendEvent(
        at: now, actor: actor, action: "person_link", mentionID: nil,
        detail: #"{"author_id":\#(authorID),"with":\#(other),"person_id":\#(keep)}"#)
    }
  }

  public func unlink(_ authorID: Int64, actor: String) throws {
    let now = nowMilliseconds
    try write { session in
      try await PersonSQL.requireAuthor(session, authorID)
      guard let person = try await PersonSQL.detach(session, authorID) else {
        let handle = try await session.values(
          "SELECT handle FROM authors WHERE id = $1", binds: .of(authorID), as: String.self
        ).first
        throw PersonError.notLinked("@" + (handle ?? String(authorID)))
      }
      try await session.appendEvent(
        at: now, actor: actor, action: "person_unlink", mentionID: nil,
        detail: #"{"author_id":\#(authorID),"person_id":\#(person)}"#)
    }
  }
}

/// The person's rows inside a read or a write, as `SQLiteStore`'s helpers of the same names read
/// and change them.
enum PersonSQL {
  /// A handle folded as SQLite's `lower` folds it (ASCII letters only), as the index has it.
  static let foldedHandle = "translate(handle, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"

  /// `text` with its ASCII letters in lower case and everything else as it is.
  static func folded(_ text: String) -> String {
    String(
      String.UnicodeScalarView(
        text.unicodeScalars.map { ("A"..."Z").contains($0) ? Unicode.Scalar($0.value + 32)! : $0 }))
  }

  /// The person an author belongs to: the anchor's id (the author's own when not linked).
  static func anchor(_ session: ServerSession, of authorID: Int64) async throws -> Int64 {
    try await session.values(
      "SELECT person_id FROM person_links WHERE author_id = $1", binds: .of(authorID), as: Int64.self
    ).first ?? authorID
  }

  /// Every author of the person `authorID` belongs to (the author alone when not linked).
  static func members(_ session: ServerSession, of authorID: Int64) async throws -> [Int64] {
    let linked = try await session.values(
      """
      SELECT author_id FROM person_links
      WHERE person_id = coalesce((SELECT person_id FROM person_links WHERE author_id = $1), $1)
      ORDER BY author_id
      """, binds: .of(authorID), as: Int64.self)
    return linked.isEmpty ? [authorID] : linked
  }

  static func note(_ session: ServerSession, person: Int64) async throws -> PersonNote? {
    try await session.rows(
      "SELECT text, updated_by, updated_at FROM person_notes WHERE person_id = $1", binds: .of(person),
      as: (String, String, Int64).self
    ).first.map { PersonNote(text: $0.0, by: $0.1, at: Date(epochMilliseconds: $0.2)) }
  }

  static func putNote(_ session: ServerSession, person: Int64, text: String, by actor: String, at now: Int64)
    async throws
  {
    try await session.execute(
      """
      INSERT INTO person_notes (person_id, text, updated_by, updated_at) VALUES ($1, $2, $3, $4)
      ON CONFLICT (person_id) DO UPDATE SET text = excluded.text, updated_by = excluded.updated_by,
        updated_at = excluded.updated_at
      """, .of(person, text, actor, now))
  }

  static func requireAuthor(_ session: ServerSession, _ authorID: Int64) async throws {
    let found = try await session.values(
      "SELECT EXISTS (SELECT 1 FROM authors WHERE id = $1)", binds: .of(authorID), as: Bool.self)
    guard found.first == true else { throw PersonError.noSuchAuthor("#\(authorID)") }
  }

  /// Takes an author out of their person: the others keep the person and its note (a new anchor,
  /// the lowest id left, when the anchor leaves); a person of one is no link at all. Returns the
  /// person the author left, or nil when they were not linked.
  @discardableResult
  static func detach(_ session: ServerSession, _ authorID: Int64) async throws -> Int64? {
    guard
      let person = try await session.values(
        "DELETE FROM person_links WHERE author_id = $1 RETURNING person_id", binds: .of(authorID),
        as: Int64.self
      ).first
    else { return nil }
    let rest = try await session.values(
      "SELECT author_id FROM person_links WHERE person_id = $1 ORDER BY author_id", binds: .of(person),
      as: Int64.self)
    let anchor = rest.first
    if person == authorID, let anchor {
      try await session.execute(
        "UPDATE person_links SET person_id = $1 WHERE person_id = $2", .of(anchor, person))
      try await session.execute(
        "UPDATE person_notes SET person_id = $1 WHERE person_id = $2", .of(anchor, person))
    }
    if rest.count == 1, let only = anchor {
      try await session.execute("DELETE FROM person_links WHERE author_id = $1", .of(only))
    }
    return person
  }

  /// What the team did on these mentions: replies, notes, escalations, watching the author; each
  /// in the order it was written, as SQLite reads them.
  static func activity(_ session: ServerSession, on ids: [Int64]) async throws -> [TimelineItem] {
    let queries: [(TimelineItem.Kind?, String)] = [
      (.reply, "SELECT mention_id, created_at, responder, text, status FROM outbox"),
      (.note, "SELECT mention_id, at, author, text, '' FROM notes"),
      (.escalation, "SELECT mention_id, created_at, created_by, reason, state FROM escalations"),
      (nil, "SELECT mention_id, at, actor, '', action FROM events"),
    ]
    var items: [TimelineItem] = []
    for (kind, select) in queries {
      let watching = kind == nil ? " AND action IN ('watch', 'unwatch')" : ""
      let rows = try await session.rows(
        "\(select) WHERE mention_id = ANY($1::bigint[])\(watching) ORDER BY id", binds: .of(ids),
        as: (Int64, Int64, String, String, String).self)
      for r in rows {
        let kind = kind ?? (r.4 == "watch" ? .watch : .unwatch)
        items.append(
          TimelineItem(
            kind: kind, at: Date(epochMilliseconds: r.1), mentionID: r.0, actor: r.2, text: r.3,
            state: kind == .watch || kind == .unwatch ? "" : r.4))
      }
    }
    return items
  }
}

import Foundation
import GRDB
import Inbox

/// The person behind the posts (issue 16): identities linked by hand, the note on the person and
/// the timeline. Each read is answered from indexes: the person's authors from `person_links`,
/// their posts from `mentions_by_author (author_id, created_at, category)`, what the team did on
/// a page of posts from the outbox's, notes', escalations' and events' indexes by mention.
extension SQLiteStore: PersonStore {
  public func identity(mentionID: Int64) throws -> Identity? {
    try pool.read { db in
      try Row.fetchOne(
        cached: db,
        sql:
          "SELECT a.id, a.platform, a.handle FROM mentions m JOIN authors a ON a.id = m.author_id WHERE m.id = ?",
        arguments: [mentionID]
      ).map { Identity(authorID: $0[0], platform: $0[1], handle: $0[2]) }
    }
  }

  public func identities(handle: String, platform: String?) throws -> [Identity] {
    let bare = handle.hasPrefix("@") ? String(handle.dropFirst()) : handle
    return try pool.read { db in
      // The exact handle first (the unique index when the platform is named); else any case.
      for sql in [
        "SELECT id, platform, handle FROM authors WHERE handle = ? AND (? IS NULL OR platform = ?) AND handle != ?",
        "SELECT id, platform, handle FROM authors WHERE lower(handle) = lower(?) AND (? IS NULL OR platform = ?) AND handle != ?",
      ] {
        let found = try Row.fetchAll(
          db, sql: sql, arguments: [bare, platform, platform, Self.forgottenHandle]
        )
        .map { Identity(authorID: $0[0], platform: $0[1], handle: $0[2]) }
        if !found.isEmpty { return found }
      }
      return []
    }
  }

  public func person(of authorID: Int64, now: Date) throws -> PersonSummary {
    try pool.read { db in
      let members = try Self.members(db, of: authorID)
      let list = members.map(String.init).joined(separator: ",")
      var identities = try Row.fetchAll(
        db, sql: "SELECT id, platform, handle FROM authors WHERE id IN (\(list)) ORDER BY id"
      ).map { Identity(authorID: $0[0], platform: $0[1], handle: $0[2]) }
      if let own = identities.firstIndex(where: { $0.authorID == authorID }) {
        identities.insert(identities.remove(at: own), at: 0)
      }
      let watched =
        try Bool.fetchOne(db, sql: "SELECT 1 FROM watched_authors WHERE author_id IN (\(list)) LIMIT 1")
        ?? false
      let day: Int64 = 86_400_000
      let at = now.epochMilliseconds
      // From `mentions_by_author (author_id, created_at, category)`; a repeated post (folded into
      // the first) is one complaint, not three.
      let complaint = "category = 'complaint' AND repeat_of IS NULL AND created_at <= :now"
      let row = try Row.fetchOne(
        db,
        sql: """
          SELECT count(*),
            count(*) FILTER (WHERE \(complaint) AND created_at >= :d30),
            count(*) FILTER (WHERE \(complaint) AND created_at >= :d90),
            max(created_at) FILTER (WHERE \(complaint))
          FROM mentions WHERE author_id IN (\(list))
          """, arguments: ["d30": at - 30 * day, "d90": at - 90 * day, "now": at])
      return PersonSummary(
        identities: identities, watched: watched,
        note: try Self.note(db, person: Self.anchor(db, of: authorID)),
        posts: row?[0] ?? 0, complaints30: row?[1] ?? 0, complaints90: row?[2] ?? 0,
        lastComplaint: (row?[3] as Int64?).map(Date.init(epochMilliseconds:)))
    }
  }

  public func timeline(of authorID: Int64, after cursor: TimelineCursor?, limit: Int) throws -> TimelinePage {
    try pool.read { db in
      let list = try Self.members(db, of: authorID).map(String.init).joined(separator: ",")
      var args: [String: DatabaseValueConvertible?] = ["limit": limit + 1]
      var before = ""
      if let cursor {
        before = "AND (m.created_at < :at OR (m.created_at = :at AND m.id < :id))"
        args["at"] = cursor.at.epochMilliseconds
        args["id"] = cursor.mentionID
      }
      let posts = try Row.fetchAll(
        db,
        sql: """
          SELECT m.id, m.created_at, a.handle, m.text, m.platform, coalesce(m.category, ''), m.status
          FROM mentions m JOIN authors a ON a.id = m.author_id
          WHERE m.author_id IN (\(list)) \(before) ORDER BY m.created_at DESC, m.id DESC LIMIT :limit
          """, arguments: StatementArguments(args))
      var items = posts.prefix(limit).map { r in
        TimelineItem(
          kind: .mention, at: Date(epochMilliseconds: r[1]), mentionID: r[0], actor: r[2], text: r[3],
          platform: r[4],
          state: [r[5] as String, r[6] as String].filter { !$0.isEmpty }.joined(separator: " · "))
      }
      let next =
        posts.count > limit ? items.last.map { TimelineCursor(at: $0.at, mentionID: $0.mentionID) } : nil
      let ids = items.map { String($0.mentionID) }.joined(separator: ",")
      if !ids.isEmpty {
        items += try Self.activity(db, on: ids)
      }
      items.sort {
        ($0.at, $0.kind == .mention ? 0 : 1, $0.mentionID) > (
          $1.at, $1.kind == .mention ? 0 : 1, $1.mentionID
        )
      }
      return TimelinePage(items: items, next: next)
    }
  }

  /// What the team did on these mentions: replies, notes, escalations, watching the author.
  static func activity(_ db: Database, on ids: String) throws -> [TimelineItem] {
    let queries: [(TimelineItem.Kind?, String)] = [
      (
        .reply,
        "SELECT mention_id, created_at, responder, text, status FROM outbox WHERE mention_id IN (\(ids))"
      ),
      (.note, "SELECT mention_id, at, author, text, '' FROM notes WHERE mention_id IN (\(ids))"),
      (
        .escalation,
        "SELECT mention_id, created_at, created_by, reason, state FROM escalations WHERE mention_id IN (\(ids))"
      ),
      (
        nil,
        """
        SELECT mention_id, at, actor, '', action FROM events
        WHERE mention_id IN (\(ids)) AND action IN ('watch', 'unwatch')
        """
      ),
    ]
    var items: [TimelineItem] = []
    for (kind, sql) in queries {
      for r in try Row.fetchAll(db, sql: sql) {
        let state: String = r[4]
        let kind = kind ?? (state == "watch" ? .watch : .unwatch)
        items.append(
          TimelineItem(
            kind: kind, at: Date(epochMilliseconds: r[1]), mentionID: r[0], actor: r[2], text: r[3],
            state: kind == .watch || kind == .unwatch ? "" : state))
      }
    }
    return items
  }

  public func personNote(of authorID: Int64) throws -> PersonNote? {
    try pool.read { db in try Self.note(db, person: Self.anchor(db, of: authorID)) }
  }

  public func setPersonNote(of authorID: Int64, text: String, actor: String) throws {
    let now = clock.now().epochMilliseconds
    try pool.write { db in
      try Self.requireAuthor(db, authorID)
      let person = try Self.anchor(db, of: authorID)
      let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
      if trimmed.isEmpty {
        try db.execute(sql: "DELETE FROM person_notes WHERE person_id = ?", arguments: [person])
      } else {
        try db.execute(
          sql: """
            INSERT INTO person_notes (person_id, text, updated_by, updated_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (person_id) DO UPDATE SET text = excluded.text, updated_by = excluded.updated_by,
              updated_at = excluded.updated_at
            """, arguments: [person, trimmed, actor, now])
      }
      // The trail says who and on whom (an id, never the handle or the text: forget erases those).
      try appendEvent(
        db, at: now, actor: actor, action: trimmed.isEmpty ? "person_note_removed" : "person_note",
        mentionID: nil, detail: #"{"author_id":\#(authorID),"person_id":\#(person)}"#)
    }
  }

  public func link(_ authorID: Int64, with other: Int64, actor: String) throws {
    let now = clock.now().epochMilliseconds
    try pool.write { db in
      try Self.requireAuthor(db, authorID)
      try Self.requireAuthor(db, other)
      let (a, b) = (try Self.anchor(db, of: authorID), try Self.anchor(db, of: other))
      guard a != b else { throw PersonError.sameIdentity }
      // The older anchor (the lower id) stays the person's; the other's identities and note join it.
      let (keep, join) = (min(a, b), max(a, b))
      for member in try Self.members(db, of: join) + [keep] {
        try db.execute(
          sql: """
            INSERT INTO person_links (author_id, person_id) VALUES (?, ?)
            ON CONFLICT (author_id) DO UPDATE SET person_id = excluded.person_id
            """, arguments: [member, keep])
      }
      if let joining = try Self.note(db, person: join) {
        let kept = try Self.note(db, person: keep)
        let text = [kept?.text, joining.text].compactMap { $0 }.joined(separator: "\n")
        try db.execute(sql: "DELETE FROM person_notes WHERE person_id = ?", arguments: [join])
        try db.execute(
          sql: """
            INSERT INTO person_notes (person_id, text, updated_by, updated_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (person_id) DO UPDATE SET text = excluded.text, updated_by = excluded.updated_by,
              updated_at = excluded.updated_at
            """, arguments: [keep, text, actor, now])
      }
      try appendEvent(
        db, at: now, actor: actor, action: "person_link", mentionID: nil,
        detail: #"{"author_id":\#(authorID),"with":\#(other),"person_id":\#(keep)}"#)
    }
  }

  public func unlink(_ authorID: Int64, actor: String) throws {
    let now = clock.now().epochMilliseconds
    try pool.write { db in
      try Self.requireAuthor(db, authorID)
      guard let person = try Self.detach(db, authorID) else {
        let handle = try String.fetchOne(
          db, sql: "SELECT handle FROM authors WHERE id = ?", arguments: [authorID])
        throw PersonError.notLinked("@" + (handle ?? String(authorID)))
      }
      try appendEvent(
        db, at: now, actor: actor, action: "person_unlink", mentionID: nil,
        detail: #"{"author_id":\#(authorID),"person_id":\#(person)}"#)
    }
  }

  // MARK: - Helpers inside a transaction

  /// The person an author belongs to: the anchor's id (the author's own when not linked).
  static func anchor(_ db: Database, of authorID: Int64) throws -> Int64 {
    try Int64.fetchOne(
      cached: db, sql: "SELECT person_id FROM person_links WHERE author_id = ?", arguments: [authorID])
      ?? authorID
  }

  /// Every author of the person `authorID` belongs to (the author alone when not linked).
  static func members(_ db: Database, of authorID: Int64) throws -> [Int64] {
    let person = try anchor(db, of: authorID)
    let linked = try Int64.fetchAll(
      db, sql: "SELECT author_id FROM person_links WHERE person_id = ? ORDER BY author_id",
      arguments: [person])
    return linked.isEmpty ? [authorID] : linked
  }

  static func note(_ db: Database, person: Int64) throws -> PersonNote? {
    try Row.fetchOne(
      cached: db, sql: "SELECT text, updated_by, updated_at FROM person_notes WHERE person_id = ?",
      arguments: [person]
    ).map { PersonNote(text: $0[0], by: $0[1], at: Date(epochMilliseconds: $0[2])) }
  }

  static func requireAuthor(_ db: Database, _ authorID: Int64) throws {
    guard try Bool.fetchOne(db, sql: "SELECT 1 FROM authors WHERE id = ?", arguments: [authorID]) != nil
    else {
      throw PersonError.noSuchAuthor("#\(authorID)")
    }
  }

  /// Takes an author out of their person: the others keep the person and its note (a new anchor,
  /// the lowest id left, when the anchor leaves); a person of one is no link at all. Returns the
  /// person the author left, or nil when they were not linked.
  @discardableResult
  static func detach(_ db: Database, _ authorID: Int64) throws -> Int64? {
    guard
      let person = try Int64.fetchOne(
        db, sql: "SELECT person_id FROM person_links WHERE author_id = ?", arguments: [authorID])
    else { return nil }
    try db.execute(sql: "DELETE FROM person_links WHERE author_id = ?", arguments: [authorID])
    let rest = try Int64.fetchAll(
      db, sql: "SELECT author_id FROM person_links WHERE person_id = ? ORDER BY author_id",
      arguments: [person])
    let anchor = rest.first
    if person == authorID, let anchor {
      try db.execute(
        sql: "UPDATE person_links SET person_id = ? WHERE person_id = ?", arguments: [anchor, person])
      try db.execute(
        sql: "UPDATE person_notes SET person_id = ? WHERE person_id = ?", arguments: [anchor, person])
    }
    if rest.count == 1, let only = anchor {
      try db.execute(sql: "DELETE FROM person_links WHERE author_id = ?", arguments: [only])
    }
    return person
  }

  /// Forget: the person's links and note go (they name and describe the one forgotten), and the
  /// other identities are persons of their own again.
  static func erasePerson(_ db: Database, of authorID: Int64) throws {
    let person = try anchor(db, of: authorID)
    try db.execute(sql: "DELETE FROM person_notes WHERE person_id IN (?, ?)", arguments: [person, authorID])
    try db.execute(
      sql: "DELETE FROM person_links WHERE person_id = ? OR author_id = ?", arguments: [person, authorID])
  }
}

import Foundation
import Inbox
import PostgresNIO

/// Claims, releases and watches said outright (commands, scripts), as `SQLiteStore+Claims` writes
/// them: the same rows and events as the inbox's toggles.
///
/// A claim is atomic across machines: it is read and written in the writers' turn (`write`), so of
/// two people claiming at once the second waits for the first's commit, then reads its claim and is
/// told who holds it (`heldBy`), with nothing written.
extension ServerStore {
  public func claim(id: Int64, actor: String, takeOver: Bool = false) throws -> ClaimOutcome {
    let now = nowMilliseconds
    return try write { session in
      guard
        let (holder, since) = try await session.rows(
          "SELECT claimed_by, claimed_at FROM mentions WHERE id = $1", binds: .of(id),
          as: (String?, Int64?).self
        ).first
      else { throw ActionError.noSuchMention(id) }
      if holder == actor { return .alreadyYours }
      if let holder, !takeOver { return .heldBy(holder, since: since.map(Date.init(epochMilliseconds:))) }
      try await session.execute(
        "UPDATE mentions SET claimed_by = $1, claimed_at = $2 WHERE id = $3", .of(actor, now, id))
      try await session.appendEvent(
        at: now, actor: actor, action: "claim", mentionID: id,
        detail: holder == nil ? nil : #"{"taken_over":true}"#)
      return holder.map { .takenOver(from: $0) } ?? .claimed
    }
  }

  public func release(id: Int64, actor: String) throws -> ReleaseOutcome {
    let now = nowMilliseconds
    return try write { session in
      guard
        let holder = try await session.rows(
          "SELECT claimed_by FROM mentions WHERE id = $1", binds: .of(id), as: String?.self
        ).first
      else { throw ActionError.noSuchMention(id) }
      guard let holder else { return .notClaimed }
      guard holder == actor else { return .heldBy(holder) }
      try await session.execute(
        "UPDATE mentions SET claimed_by = NULL, claimed_at = NULL WHERE id = $1", .of(id))
      try await session.appendEvent(at: now, actor: actor, action: "release", mentionID: id, detail: nil)
      return .released
    }
  }

  public func setWatched(mentionID: Int64, watching: Bool, actor: String) throws -> Bool {
    let now = nowMilliseconds
    return try write { session in
      let authorID = try await Self.author(session, mentionID: mentionID)
      let changed: [Int64]
      if watching {
        changed = try await session.values(
          """
          INSERT INTO watched_authors (author_id, since, watched_by) VALUES ($1, $2, $3)
          ON CONFLICT DO NOTHING RETURNING author_id
          """, binds: .of(authorID, now, actor), as: Int64.self)
      } else {
        changed = try await session.values(
          "DELETE FROM watched_authors WHERE author_id = $1 RETURNING author_id", binds: .of(authorID),
          as: Int64.self)
      }
      guard changed.count == 1 else { return false }
      try await session.appendEvent(
        at: now, actor: actor, action: watching ? "watch" : "unwatch", mentionID: mentionID, detail: nil)
      return true
    }
  }
}

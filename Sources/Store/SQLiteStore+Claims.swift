import Foundation
import GRDB
import Inbox

/// Claims, releases and watches said outright, for commands and scripts: the inbox's keys toggle,
/// a script says what it wants and is told what was there. The same rows and events as the
/// inbox's toggles (`claim`, `release`, `watch`, `unwatch`), one short transaction each.
extension SQLiteStore {
  /// Claims the mention for `actor`. Someone else's claim is kept unless `takeOver`; then it is
  /// taken over, as the inbox does, and the event says so.
  public func claim(id: Int64, actor: String, takeOver: Bool = false) throws -> ClaimOutcome {
    let now = clock.now().epochMilliseconds
    return try pool.write { db in
      guard
        let row = try Row.fetchOne(
          db, sql: "SELECT claimed_by, claimed_at FROM mentions WHERE id = ?", arguments: [id])
      else { throw ActionError.noSuchMention(id) }
      let holder: String? = row[0]
      let since: Int64? = row[1]
      if holder == actor { return .alreadyYours }
      if let holder, !takeOver { return .heldBy(holder, since: since.map(Date.init(epochMilliseconds:))) }
      try db.execute(
        sql: "UPDATE mentions SET claimed_by = ?, claimed_at = ? WHERE id = ?", arguments: [actor, now, id])
      try appendEvent(
        db, at: now, actor: actor, action: "claim", mentionID: id,
        detail: holder == nil ? nil : #"{"taken_over":true}"#)
      return holder.map { .takenOver(from: $0) } ?? .claimed
    }
  }

  /// Releases the actor's claim on the mention.
  public func release(id: Int64, actor: String) throws -> ReleaseOutcome {
    let now = clock.now().epochMilliseconds
    return try pool.write { db in
      guard
        let row = try Row.fetchOne(db, sql: "SELECT claimed_by FROM mentions WHERE id = ?", arguments: [id])
      else { throw ActionError.noSuchMention(id) }
      let holder: String? = row[0]
      guard let holder else { return .notClaimed }
      guard holder == actor else { return .heldBy(holder) }
      try db.execute(
        sql: "UPDATE mentions SET claimed_by = NULL, claimed_at = NULL WHERE id = ?", arguments: [id])
      try appendEvent(db, at: now, actor: actor, action: "release", mentionID: id, detail: nil)
      return .released
    }
  }

  /// Watches the mention's author (S8), or stops; returns false when it was so already (nothing
  /// written).
  public func setWatched(mentionID: Int64, watching: Bool, actor: String) throws -> Bool {
    let now = clock.now().epochMilliseconds
    return try pool.write { db in
      guard
        let authorID = try Int64.fetchOne(
          db, sql: "SELECT author_id FROM mentions WHERE id = ?", arguments: [mentionID])
      else { throw ActionError.noSuchMention(mentionID) }
      if watching {
        try db.execute(
          sql:
            "INSERT INTO watched_authors (author_id, since, watched_by) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
          arguments: [authorID, now, actor])
      } else {
        try db.execute(sql: "DELETE FROM watched_authors WHERE author_id = ?", arguments: [authorID])
      }
      guard db.changesCount == 1 else { return false }
      try appendEvent(
        db, at: now, actor: actor, action: watching ? "watch" : "unwatch", mentionID: mentionID, detail: nil)
      return true
    }
  }
}

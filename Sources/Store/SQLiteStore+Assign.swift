import Foundation
import GRDB
import Inbox

extension SQLiteStore: AssignStore {
  /// Assigns the mention to `to` (a roster name; the caller checked the supervisor rule and the
  /// roster), or takes the assignment away when `to` is nil. A claim held by someone other than
  /// the assignee is released in the same write: the supervisor moved the work, and a stale claim
  /// would keep the assignee out of it. The assignee's own claim stays. The event says both, and
  /// the assignee gets a notice unless they assigned it to themselves.
  public func assign(id: Int64, to assignee: String?, actor: String) throws -> AssignOutcome {
    let now = clock.now().epochMilliseconds
    return try pool.write { db in
      guard
        let row = try Row.fetchOne(
          db, sql: "SELECT assigned_to, claimed_by FROM mentions WHERE id = ?", arguments: [id])
      else { throw ActionError.noSuchMention(id) }
      let current: String? = row[0]
      let holder: String? = row[1]
      guard let assignee else {
        guard let current else { return .notAssigned }
        try db.execute(sql: "UPDATE mentions SET assigned_to = NULL WHERE id = ?", arguments: [id])
        var w = JSONWriter()
        w.string("from", current)
        try appendEvent(db, at: now, actor: actor, action: "unassign", mentionID: id, detail: w.finish())
        return .unassigned
      }
      if current == assignee { return .alreadyAssigned }
      let released = holder.flatMap { $0 == assignee ? nil : $0 }
      try db.execute(
        sql: """
          UPDATE mentions SET assigned_to = :to,
            claimed_by = CASE WHEN :release THEN NULL ELSE claimed_by END,
            claimed_at = CASE WHEN :release THEN NULL ELSE claimed_at END
          WHERE id = :id
          """, arguments: ["to": assignee, "release": released != nil, "id": id])
      var w = JSONWriter()
      w.string("to", assignee)
      if let current { w.string("from", current) }
      if let released { w.string("released_claim_of", released) }
      try appendEvent(db, at: now, actor: actor, action: "assign", mentionID: id, detail: w.finish())
      if assignee != actor {
        try Self.notify(db, recipient: assignee, kind: .assigned, mentionID: id, actor: actor, at: now)
      }
      return .assigned(releasedClaimOf: released)
    }
  }
}

import Foundation
import Inbox
import PostgresNIO

/// A supervisor's assignment on the server, as `SQLiteStore+Assign` writes it: one transaction
/// with its event and the assignee's notice; a claim held by someone other than the assignee is
/// released in it. In the writers' turn, so an assignment and a claim at once take turns.
extension ServerStore: AssignStore {
  public func assign(id: Int64, to assignee: String?, actor: String) throws -> AssignOutcome {
    let now = nowMilliseconds
    return try write { session in
      guard
        let (current, holder) = try await session.rows(
          "SELECT assigned_to, claimed_by FROM mentions WHERE id = $1", binds: .of(id),
          as: (String?, String?).self
        ).first
      else { throw ActionError.noSuchMention(id) }
      guard let assignee else {
        guard let current else { return .notAssigned }
        try await session.execute("UPDATE mentions SET assigned_to = NULL WHERE id = $1", .of(id))
        var w = JSONWriter()
        w.string("from", current)
        try await session.appendEvent(
          at: now, actor: actor, action: "unassign", mentionID: id, detail: w.finish())
        return .unassigned
      }
      if current == assignee { return .alreadyAssigned }
      let released = holder.flatMap { $0 == assignee ? nil : $0 }
      try await session.execute(
        """
        UPDATE mentions SET assigned_to = $1,
          claimed_by = CASE WHEN $2 THEN NULL ELSE claimed_by END,
          claimed_at = CASE WHEN $2 THEN NULL ELSE claimed_at END
        WHERE id = $3
        """, .of(assignee, released != nil, id))
      var w = JSONWriter()
      w.string("to", assignee)
      if let current { w.string("from", current) }
      if let released { w.string("released_claim_of", released) }
      try await session.appendEvent(
        at: now, actor: actor, action: "assign", mentionID: id, detail: w.finish())
      if assignee != actor {
        try await session.execute(
          """
          INSERT INTO notices (recipient, kind, mention_id, actor, created_at) VALUES ($1, $2, $3, $4, $5)
          """, .of(assignee, NoticeKind.assigned.rawValue, id, actor, now))
      }
      return .assigned(releasedClaimOf: released)
    }
  }
}

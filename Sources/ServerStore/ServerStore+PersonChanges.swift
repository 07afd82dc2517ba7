import Foundation
import Inbox
import PostgresNIO

/// An open person view following other processes' changes on the server (issue 16), as
/// `SQLiteStore+PersonChanges` answers it: the person's identities from `person_links`, the note
/// by its key, whose the changed mentions are by their primary key (a refresh's few rows, never
/// the person's posts scanned).
extension ServerStore: PersonChangeSource {
  public func personMark(of authorID: Int64) throws -> PersonMark {
    try read { session in
      try await session.snapshot { session in
        PersonMark(
          identities: try await PersonSQL.members(session, of: authorID),
          note: try await PersonSQL.note(session, person: PersonSQL.anchor(session, of: authorID)))
      }
    }
  }

  public func touchesPerson(of authorID: Int64, ids: Set<Int64>, newAbove: Int64?) throws -> Bool {
    try read { session in
      try await session.snapshot { session in
        let members = try await PersonSQL.members(session, of: authorID)
        if !ids.isEmpty {
          let changed = try await session.values(
            """
            SELECT EXISTS (SELECT 1 FROM mentions WHERE id = ANY($1::bigint[]) AND author_id = ANY($2::bigint[]))
            """, binds: .of(ids.sorted(), members), as: Bool.self)
          if changed.first == true { return true }
        }
        guard let newAbove else { return false }
        return try await session.values(
          "SELECT EXISTS (SELECT 1 FROM mentions WHERE id > $1 AND author_id = ANY($2::bigint[]))",
          binds: .of(newAbove, members), as: Bool.self
        ).first ?? false
      }
    }
  }
}

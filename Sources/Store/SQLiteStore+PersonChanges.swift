import Foundation
import GRDB
import Inbox

/// An open person view following other processes' changes (issue 16): the person's identities
/// from `person_links`, the note by its key, whose the changed mentions are by their rowids.
extension SQLiteStore: PersonChangeSource {
  public func personMark(of authorID: Int64) throws -> PersonMark {
    try pool.read { db in
      PersonMark(
        identities: try Self.members(db, of: authorID),
        note: try Self.note(db, person: Self.anchor(db, of: authorID)))
    }
  }

  public func touchesPerson(of authorID: Int64, ids: Set<Int64>, newAbove: Int64?) throws -> Bool {
    try pool.read { db in
      let members = try Self.members(db, of: authorID)
      let among = "(" + members.map(String.init).joined(separator: ",") + ")"
      if !ids.isEmpty {
        // The changed rows looked up by id (a refresh's few), not the person's posts scanned.
        let json = "[" + ids.map(String.init).joined(separator: ",") + "]"
        let changed = try Bool.fetchOne(
          db,
          sql: """
            SELECT 1 FROM mentions WHERE id IN (SELECT value FROM json_each(?)) AND +author_id IN \(among) LIMIT 1
            """, arguments: [json])
        if changed == true { return true }
      }
      guard let newAbove else { return false }
      return try Bool.fetchOne(
        db, sql: "SELECT 1 FROM mentions WHERE id > ? AND author_id IN \(among) LIMIT 1",
        arguments: [newAbove])
        ?? false
    }
  }
}

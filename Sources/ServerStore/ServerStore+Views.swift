import Foundation
import Inbox
import PostgresNIO

/// The team's saved views on the server, as `SQLiteStore+Views` keeps them: each change one
/// transaction with its event (`view_save`, `view_rename`, `view_delete`), in the writers' turn, so
/// a check (a name or a position free) holds for the write it allows even when two machines save
/// at once.
extension ServerStore: ViewStore {
  public func savedViews() throws -> [SavedView] {
    try read { session in
      try await session.rows(
        "SELECT name, filter, position, created_by, updated_at FROM views ORDER BY position",
        as: (String, String, Int, String, Int64).self
      ).map { name, filter, position, by, at in
        SavedView(
          name: name, filter: filter, position: position, createdBy: by,
          updatedAt: Date(epochMilliseconds: at))
      }
    }
  }

  public func saveView(_ view: SavedView, actor: String, mayChangeOthers: Bool) throws {
    let name = view.name.trimmingCharacters(in: .whitespaces)
    guard Self.isViewName(name) else { throw ViewError.badName(view.name) }
    guard SavedView.positions.contains(view.position) else { throw ViewError.badPosition(view.position) }
    let key = SavedView.key(name)
    let now = nowMilliseconds
    try write { session in
      let existing = try await session.values(
        "SELECT created_by FROM views WHERE key = $1", binds: .of(key), as: String.self
      ).first
      if let by = existing, !mayChangeOthers, by.lowercased() != actor.lowercased() {
        throw ViewError.notYours(name, createdBy: by)
      }
      if let holder = try await session.values(
        "SELECT name FROM views WHERE position = $1 AND key <> $2", binds: .of(view.position, key),
        as: String.self
      ).first {
        throw ViewError.positionTaken(view.position, by: holder)
      }
      try await session.execute(
        """
        INSERT INTO views (key, name, filter, position, created_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
        ON CONFLICT (key) DO UPDATE SET name = excluded.name, filter = excluded.filter,
          position = excluded.position, updated_at = excluded.updated_at
        """, .of(key, name, view.filter, view.position, actor, now))
      var w = JSONWriter()
      w.string("name", name)
      w.string("filter", view.filter)
      w.int("position", Int64(view.position))
      w.bool("changed", existing != nil)
      try await session.appendEvent(
        at: now, actor: actor, action: "view_save", mentionID: nil, detail: w.finish())
    }
  }

  public func renameView(_ name: String, to newName: String, actor: String, mayChangeOthers: Bool) throws {
    let renamed = newName.trimmingCharacters(in: .whitespaces)
    guard Self.isViewName(renamed) else { throw ViewError.badName(newName) }
    let now = nowMilliseconds
    try write { session in
      let (old, _) = try await Self.ownedView(session, name, actor: actor, mayChangeOthers: mayChangeOthers)
      let key = SavedView.key(renamed)
      if key != SavedView.key(old),
        try await !session.values("SELECT key FROM views WHERE key = $1", binds: .of(key), as: String.self)
          .isEmpty
      {
        throw ViewError.nameTaken(renamed)
      }
      try await session.execute(
        "UPDATE views SET key = $1, name = $2, updated_at = $3 WHERE key = $4",
        .of(key, renamed, now, SavedView.key(old)))
      var w = JSONWriter()
      w.string("name", renamed)
      w.string("was", old)
      try await session.appendEvent(
        at: now, actor: actor, action: "view_rename", mentionID: nil, detail: w.finish())
    }
  }

  public func deleteView(_ name: String, actor: String, mayChangeOthers: Bool) throws {
    let now = nowMilliseconds
    try write { session in
      let (old, filter) = try await Self.ownedView(
        session, name, actor: actor, mayChangeOthers: mayChangeOthers)
      try await session.execute("DELETE FROM views WHERE key = $1", .of(SavedView.key(old)))
      var w = JSONWriter()
      w.string("name", old)
      w.string("filter", filter)
      try await session.appendEvent(
        at: now, actor: actor, action: "view_delete", mentionID: nil, detail: w.finish())
    }
  }

  /// The saved view's name and filter, when it exists and `actor` may change it.
  private static func ownedView(
    _ session: ServerSession, _ name: String, actor: String, mayChangeOthers: Bool
  )
    async throws -> (name: String, filter: String)
  {
    let key = SavedView.key(name.trimmingCharacters(in: .whitespaces))
    guard
      let (found, filter, by) = try await session.rows(
        "SELECT name, filter, created_by FROM views WHERE key = $1", binds: .of(key),
        as: (String, String, String).self
      ).first
    else { throw ViewError.noSuchView(name) }
    guard mayChangeOthers || by.lowercased() == actor.lowercased() else {
      throw ViewError.notYours(found, createdBy: by)
    }
    return (found, filter)
  }

  /// A name fits on the status line and in a command: printable, at most 32 characters (as on
  /// SQLite).
  static func isViewName(_ name: String) -> Bool {
    !name.isEmpty && name.count <= 32
      && !name.unicodeScalars.contains { $0.properties.generalCategory == .control }
  }
}

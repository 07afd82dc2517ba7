import Foundation
import GRDB
import Inbox

/// The team's saved views (issue 16), in the `views` table (v25). Each change is one write
/// transaction with its event, so the audit trail says who saved, renamed or deleted which view.
extension SQLiteStore: ViewStore {
  public func savedViews() throws -> [SavedView] {
    try pool.read { db in
      // Read by every open inbox after every commit elsewhere: prepared once per connection.
      try Row.fetchAll(
        db.cachedStatement(
          sql: "SELECT name, filter, position, created_by, updated_at FROM views ORDER BY position")
      ).map { row in
        SavedView(
          name: row[0], filter: row[1], position: row[2], createdBy: row[3],
          updatedAt: Date(epochMilliseconds: row[4]))
      }
    }
  }

  public func saveView(_ view: SavedView, actor: String, mayChangeOthers: Bool) throws {
    let name = view.name.trimmingCharacters(in: .whitespaces)
    guard Self.isViewName(name) else { throw ViewError.badName(view.name) }
    guard SavedView.positions.contains(view.position) else { throw ViewError.badPosition(view.position) }
    let key = SavedView.key(name)
    let now = clock.now().epochMilliseconds
    try pool.write { db in
      let existing = try Row.fetchOne(db, sql: "SELECT created_by FROM views WHERE key = ?", arguments: [key])
      if let existing {
        let by: String = existing[0]
        guard mayChangeOthers || by.lowercased() == actor.lowercased() else {
          throw ViewError.notYours(name, createdBy: by)
        }
      }
      if let holder = try String.fetchOne(
        db, sql: "SELECT name FROM views WHERE position = ? AND key <> ?", arguments: [view.position, key])
      {
        throw ViewError.positionTaken(view.position, by: holder)
      }
      try db.execute(
        sql: """
          INSERT INTO views (key, name, filter, position, created_by, updated_at) VALUES (?, ?, ?, ?, ?, ?)
          ON CONFLICT (key) DO UPDATE SET name = excluded.name, filter = excluded.filter,
            position = excluded.position, updated_at = excluded.updated_at
          """, arguments: [key, name, view.filter, view.position, actor, now])
      var w = JSONWriter()
      w.string("name", name)
      w.string("filter", view.filter)
      w.int("position", Int64(view.position))
      w.bool("changed", existing != nil)
      try appendEvent(db, at: now, actor: actor, action: "view_save", mentionID: nil, detail: w.finish())
    }
  }

  public func renameView(_ name: String, to newName: String, actor: String, mayChangeOthers: Bool) throws {
    let renamed = newName.trimmingCharacters(in: .whitespaces)
    guard Self.isViewName(renamed) else { throw ViewError.badName(newName) }
    let now = clock.now().epochMilliseconds
    try pool.write { db in
      let (old, _) = try Self.ownedView(db, name, actor: actor, mayChangeOthers: mayChangeOthers)
      let key = SavedView.key(renamed)
      if key != SavedView.key(old),
        try Int.fetchOne(db, sql: "SELECT count(*) FROM views WHERE key = ?", arguments: [key]) ?? 0 > 0
      {
        throw ViewError.nameTaken(renamed)
      }
      try db.execute(
        sql: "UPDATE views SET key = ?, name = ?, updated_at = ? WHERE key = ?",
        arguments: [key, renamed, now, SavedView.key(old)])
      var w = JSONWriter()
      w.string("name", renamed)
      w.string("was", old)
      try appendEvent(db, at: now, actor: actor, action: "view_rename", mentionID: nil, detail: w.finish())
    }
  }

  public func deleteView(_ name: String, actor: String, mayChangeOthers: Bool) throws {
    let now = clock.now().epochMilliseconds
    try pool.write { db in
      let (old, filter) = try Self.ownedView(db, name, actor: actor, mayChangeOthers: mayChangeOthers)
      try db.execute(sql: "DELETE FROM views WHERE key = ?", arguments: [SavedView.key(old)])
      var w = JSONWriter()
      w.string("name", old)
      w.string("filter", filter)
      try appendEvent(db, at: now, actor: actor, action: "view_delete", mentionID: nil, detail: w.finish())
    }
  }

  /// The saved view's name and filter, when it exists and `actor` may change it.
  private static func ownedView(_ db: Database, _ name: String, actor: String, mayChangeOthers: Bool) throws
    -> (name: String, filter: String)
  {
    let key = SavedView.key(name.trimmingCharacters(in: .whitespaces))
    guard
      let row = try Row.fetchOne(
        db, sql: "SELECT name, filter, created_by FROM views WHERE key = ?", arguments: [key])
    else { throw ViewError.noSuchView(name) }
    let by: String = row[2]
    guard mayChangeOthers || by.lowercased() == actor.lowercased() else {
      throw ViewError.notYours(row[0], createdBy: by)
    }
    return (row[0], row[1])
  }

  /// A name fits on the status line and in a command: printable, at most 32 characters.
  static func isViewName(_ name: String) -> Bool {
    !name.isEmpty && name.count <= 32
      && !name.unicodeScalars.contains { $0.properties.generalCategory == .control }
  }
}

extension SQLiteStore {
  /// SQLite's plan for counting the queue under `query` as `queueCount` counts it (its filtered,
  /// unsearched form), one step a line: the tests check that each default view's count starts
  /// from an index, not a scan of a million rows.
  public func queueCountPlan(_ query: QueueFilter, now: Date) throws -> [String] {
    let at = now.epochMilliseconds
    let (filter, arguments) = try filterSQL(query, now: at)
    var args = arguments
    args["now"] = at
    return try pool.read { db in
      try Row.fetchAll(
        db,
        sql:
          "EXPLAIN QUERY PLAN SELECT count(*) FROM mentions m WHERE m.muted = 0 AND NOT \(Self.asleepSQL) \(filter)",
        arguments: StatementArguments(args)
      ).map { $0["detail"] as String }
    }
  }

  /// SQLite's plan for the first window of the queue's first segment under `query`, as
  /// `queue(_:limit:offset:now:)` reads it.
  public func queueWindowPlan(_ query: QueueFilter, now: Date) throws -> [String] {
    let at = now.epochMilliseconds
    let (filter, arguments) = try filterSQL(query, now: at, window: true)
    var args = arguments
    args["now"] = at
    args["limit"] = 50
    args["offset"] = 0
    return try pool.read { db in
      let sql = QueueSegment.all[0].select(
        filter: filter, offset: true, route: try Self.windowRoute(query, db, limit: 50))
      return try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: StatementArguments(args)).map {
        $0["detail"] as String
      }
    }
  }
}

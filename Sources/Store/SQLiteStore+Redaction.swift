import Foundation
import GRDB
import Inbox
import Policy

extension SQLiteStore {
  /// What names the author `forget(author:platform:actor:)` erases in other people's text: the
  /// handle as given, and the handles and display names of the matching authors. Ask before the
  /// erasure, while the author rows exist (the CLI cleans the spool's copies with it first).
  public func redactor(author handle: String, platform: String? = nil) throws -> Redactor {
    let normalised = handle.hasPrefix("@") ? String(handle.dropFirst()) : handle
    let rows = try pool.read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT handle, name FROM authors WHERE (handle = ? OR lower(handle) = lower(?))
            AND (? IS NULL OR platform = ?) AND handle != ?
          """, arguments: [normalised, normalised, platform, platform, Self.forgottenHandle])
    }
    // Their posts, by platform and id: a mention that answers or quotes one of them is about them.
    let posts = try pool.read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT m.platform, m.external_id FROM mentions m JOIN authors a ON a.id = m.author_id
          WHERE (a.handle = ? OR lower(a.handle) = lower(?)) AND (? IS NULL OR a.platform = ?) AND a.handle != ?
          """, arguments: [normalised, normalised, platform, platform, Self.forgottenHandle]
      ).map { Redactor.Post(platform: $0[0], id: $0[1]) }
    }
    return Redactor(
      handles: [normalised] + rows.map { $0[0] as String }, names: rows.compactMap { $0[1] as String? },
      posts: posts)
  }

  /// How many mentions `forget(author:platform:actor:)` would erase.
  public func mentionCount(author handle: String, platform: String? = nil) throws -> Int {
    let normalised = handle.hasPrefix("@") ? String(handle.dropFirst()) : handle
    return try pool.read { db in
      try Int.fetchOne(
        db,
        sql: """
          SELECT count(*) FROM mentions m JOIN authors a ON a.id = m.author_id
          WHERE (a.handle = ? OR lower(a.handle) = lower(?)) AND (? IS NULL OR a.platform = ?) AND a.handle != ?
          """, arguments: [normalised, normalised, platform, platform, Self.forgottenHandle]) ?? 0
    }
  }

  /// How many authors `forget(author:platform:actor:)` would erase: none means the name matches
  /// nobody in the store (a typo, or forgotten already).
  public func authorCount(handle: String, platform: String? = nil) throws -> Int {
    let normalised = handle.hasPrefix("@") ? String(handle.dropFirst()) : handle
    return try pool.read { db in
      try Int.fetchOne(
        db,
        sql: """
          SELECT count(*) FROM authors WHERE (handle = ? OR lower(handle) = lower(?))
            AND (? IS NULL OR platform = ?) AND handle != ?
          """, arguments: [normalised, normalised, platform, platform, Self.forgottenHandle]) ?? 0
    }
  }

  /// How many mentions `purge(before:actor:)` would erase.
  public func mentionCount(before cutoff: Date) throws -> Int {
    try pool.read { db in
      try Int.fetchOne(
        db,
        sql: """
          SELECT count(*) FROM mentions m INDEXED BY mentions_by_created JOIN authors a ON a.id = m.author_id
          WHERE m.created_at < ? AND a.handle != ?
          """, arguments: [cutoff.epochMilliseconds, Self.forgottenHandle]) ?? 0
    }
  }
}

extension SQLiteStore {
  /// Ids a redaction pass reads per read transaction (reads never keep a writer waiting).
  static let redactionSlice: Int64 = 50_000
  /// Rows a redaction pass rewrites per write transaction.
  static let redactionBatch = 50

  /// Takes a forgotten author out of what others wrote where it refers to them (see `Redactor`):
  /// the text and raw record of other people's mentions (the search index follows the text
  /// through its trigger), their earlier texts, the team's notes, drafts and outbox replies. The
  /// handle goes everywhere; the name only in what hangs on a mention that answers or quotes one
  /// of their posts. Others' own names and handles are never touched. The mentions keep their ids,
  /// category, status and figures.
  ///
  /// Rows are looked at in read transactions (an `instr` on a lowercased column picks them) and
  /// rewritten a couple of hundred per write transaction, each update guarded by the value it
  /// read: a row changed meanwhile (an edit) is read again and redacted in that transaction.
  /// The mentions of `authors` (about to be erased) are not looked at.
  func redact(_ redactor: Redactor, sparing authors: [Int64] = []) throws -> (
    quoting: Int, replies: Int, about: Set<Int64>
  ) {
    let pass = RedactionPass(store: self, redactor: redactor, sparing: authors)
    guard !pass.handleNeedles.isEmpty else { return (0, 0, []) }
    let context = try pass.answers()
    let (mentionChanges, quoting) = try pass.mentionChanges(context: context)
    let quotingCount = try pass.write("mentions", mentionChanges)
    let about = context.union(quoting)
    _ = try pass.pass("mention_revisions", mention: "mention_id", about: about)
    _ = try pass.pass("notes", mention: "mention_id", about: about)
    _ = try pass.pass(
      "escalation_notes",
      mention: "(SELECT e.mention_id FROM escalations e WHERE e.id = escalation_notes.escalation_id)",
      about: about)
    var replies = 0
    for table in ["drafts", "outbox"] where try pool.read({ try $0.tableExists(table) }) {
      replies += try pass.pass(table, mention: "mention_id", about: about)
    }
    // Reasons typed by the team: closing others' mentions without a reply, and in the trail
    // (overriding the advice, escalating) on any mention, their own included.
    _ = try pass.pass("mentions", mention: "id", about: about, column: "no_reply_reason")
    _ = try pass.pass("outbox", mention: "mention_id", about: about, column: "withdraw_reason")
    _ = try pass.pass(
      "events", mention: "mention_id", about: about, column: "detail", theirsToo: true, appendOnly: true)
    return (quotingCount, replies, about)
  }

  /// Drops the trigger that keeps the event log append only, for the one writer allowed to rewrite
  /// an event's detail (erasure), and returns the SQL that puts it back: run it before the
  /// transaction ends, so no other connection ever sees the log unguarded.
  static func liftAppendOnlyGuard(_ db: Database) throws -> String? {
    guard
      let sql = try String.fetchOne(
        db, sql: "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'events_append_only_update'"
      )
    else { return nil }
    try db.execute(sql: "DROP TRIGGER events_append_only_update")
    return sql
  }

  /// `repute_fold(text)`: lowercased by Swift, for needles SQLite's ASCII-only `lower` cannot fold.
  static let foldFunction = DatabaseFunction("repute_fold", argumentCount: 1, pure: true) { values in
    String.fromDatabaseValue(values[0])?.lowercased()
  }
}

/// One redaction of a forgotten author's handle and names (`SQLiteStore.redact`): what it looks
/// for, and the steps that pick rows in read transactions and rewrite them in small writes.
private struct RedactionPass {
  let store: SQLiteStore
  let redactor: Redactor
  let handleNeedles: [String]
  let nameNeedles: [String]
  /// The authors about to be erased, as an SQL list: their mentions are not looked at.
  let spared: String

  init(store: SQLiteStore, redactor: Redactor, sparing authors: [Int64]) {
    self.store = store
    self.redactor = redactor
    handleNeedles = redactor.handleNeedles
    nameNeedles = redactor.needles.filter { !redactor.handleNeedles.contains($0) }
    spared = authors.map(String.init).joined(separator: ",")
  }

  /// One redaction of a column: what it read, what it writes.
  struct Change {
    var rowid: Int64
    var column: String
    var old: String
    var new: String
    var names: Bool
    var own: [String]
  }

  /// The condition that picks rows holding one of `needles` in one of `columns`, and its arguments.
  func picks(_ columns: [String], _ needles: [String]) -> (String, [String]) {
    var terms: [String] = []
    var arguments: [String] = []
    for column in columns {
      for needle in needles {
        // SQLite's lower() folds ASCII only; a name with other letters is folded in Swift.
        let folded =
          needle.unicodeScalars.allSatisfy(\.isASCII) ? "lower(\(column))" : "repute_fold(\(column))"
        terms.append("instr(\(folded), ?) > 0")
        arguments.append(needle)
      }
    }
    return ("(" + (terms.isEmpty ? "0" : terms.joined(separator: " OR ")) + ")", arguments)
  }

  /// The column's value redacted, or nil when nothing in it changes.
  func redacted(_ column: String, _ value: String, names: Bool, own: [String]) -> String? {
    let out =
      column == "raw"
      ? redactor.redactRaw(value, names: names, own: own) : redactor.redact(value, names: names).text
    return out == value ? nil : out
  }

  /// The mentions that answer one of their posts (by the reply and thread indexes).
  func answers() throws -> Set<Int64> {
    var context = Set<Int64>()
    try store.pool.read { db in
      for post in redactor.posts {
        context.formUnion(
          try Int64.fetchAll(
            db,
            sql: """
              SELECT id FROM mentions WHERE platform = ? AND in_reply_to = ?
              UNION SELECT id FROM mentions WHERE platform = ? AND thread = ?
              """, arguments: [post.platform, post.id, post.platform, post.id]))
      }
    }
    return context
  }

  /// Writes the changes a batch a transaction; returns the rows changed. The event log refuses
  /// updates (`appendOnly`): its guard is lifted and put back inside each such transaction.
  func write(_ table: String, _ changes: [Change], appendOnly: Bool = false) throws -> Int {
    var rows = Set<Int64>()
    var start = 0
    while start < changes.count {
      var end = start
      var batchRows = Set<Int64>()
      while end < changes.count
        && (batchRows.count < SQLiteStore.redactionBatch || batchRows.contains(changes[end].rowid))
      {
        batchRows.insert(changes[end].rowid)
        end += 1
      }
      let started = Date()
      try store.pool.write { db in
        try db.execute(sql: "PRAGMA secure_delete = ON")
        let guardSQL = appendOnly ? try SQLiteStore.liftAppendOnlyGuard(db) : nil
        // Text first, in its own statement: the search index's trigger swaps exactly the old
        // text for the new.
        for change in changes[start..<end] {
          try db.execute(
            sql: "UPDATE \(table) SET \(change.column) = ? WHERE rowid = ? AND \(change.column) = ?",
            arguments: [change.new, change.rowid, change.old])
          if db.changesCount == 0,
            let now = try String.fetchOne(
              db, sql: "SELECT \(change.column) FROM \(table) WHERE rowid = ?", arguments: [change.rowid]),
            let again = redacted(change.column, now, names: change.names, own: change.own)
          {
            try db.execute(
              sql: "UPDATE \(table) SET \(change.column) = ? WHERE rowid = ?",
              arguments: [again, change.rowid])
          }
        }
        if let guardSQL { try db.execute(sql: guardSQL) }
      }
      store.breathe(since: started)
      rows.formUnion(batchRows)
      start = end
    }
    return rows.count
  }

  /// Slices of rowids read one read transaction each.
  func slices(_ table: String, _ body: (Database, Int64, Int64) throws -> [Change]) throws -> [Change] {
    var changes: [Change] = []
    var from: Int64 = 0
    let last =
      try store.pool.read { db in try Int64.fetchOne(db, sql: "SELECT max(rowid) FROM \(table)") } ?? 0
    while from < last {
      let to = from + SQLiteStore.redactionSlice
      changes += try store.pool.read { db in
        db.add(function: SQLiteStore.foldFunction)
        return try body(db, from, to)
      }
      from = to
    }
    return changes
  }

  /// Other people's mentions: the changes to their text and raw record, and the mentions that
  /// quote or answer the author (where the name goes too).
  func mentionChanges(context: Set<Int64>) throws -> (changes: [Change], quoting: Set<Int64>) {
    let contextList = "(" + context.map(String.init).joined(separator: ",") + ")"
    let (handlePick, handleArgs) = picks(["m.text", "m.raw"], handleNeedles)
    let (namePick, nameArgs) = picks(["m.text", "m.raw"], nameNeedles)
    var quoting = Set<Int64>()
    let changes = try slices("mentions") { db, from, to in
      var out: [Change] = []
      let rows = try Row.fetchAll(
        db,
        sql: """
          SELECT m.id, m.text, m.raw, m.platform, a.handle, a.name FROM mentions m JOIN authors a ON a.id = m.author_id
          WHERE m.id > ? AND m.id <= ? AND a.handle != ?\(spared.isEmpty ? "" : " AND m.author_id NOT IN (\(spared))")
            AND (\(handlePick)\(context.isEmpty ? "" : " OR (m.id IN \(contextList) AND \(namePick))"))
          """,
        arguments: StatementArguments([from, to] as [Int64]) + [SQLiteStore.forgottenHandle]
          + StatementArguments(handleArgs) + StatementArguments(context.isEmpty ? [] : nameArgs))
      for row in rows {
        let id: Int64 = row[0]
        let text: String = row[1]
        let raw: String = row[2]
        let own = [row[4] as String?, row[5] as String?].compactMap { $0 }
        let names = context.contains(id) || redactor.quotes(raw, platform: row[3])
        if names { quoting.insert(id) }
        if let new = redacted("text", text, names: names, own: own) {
          out.append(Change(rowid: id, column: "text", old: text, new: new, names: names, own: own))
        }
        if let new = redacted("raw", raw, names: names, own: own) {
          out.append(Change(rowid: id, column: "raw", old: raw, new: new, names: names, own: own))
        }
      }
      return out
    }
    return (changes, quoting)
  }

  /// What hangs on a mention (`mention` is the SQL of its mention id): the handle everywhere,
  /// the name where the mention is `about` them.
  ///
  /// `column` is the free text looked at. What hangs on their own mentions is left to `erase`,
  /// except with `theirsToo` (what `erase` keeps: the event log), where it is redacted with
  /// their names too.
  func pass(
    _ table: String, mention: String, about: Set<Int64>, column: String = "text", theirsToo: Bool = false,
    appendOnly: Bool = false
  ) throws -> Int {
    let aboutList = "(" + about.map(String.init).joined(separator: ",") + ")"
    let (handlePick, handleArgs) = picks([column], handleNeedles)
    let (namePick, nameArgs) = picks([column], nameNeedles)
    let ofTheirs =
      spared.isEmpty ? "0" : "\(mention) IN (SELECT id FROM mentions WHERE author_id IN (\(spared)))"
    let theirs = spared.isEmpty || theirsToo ? "" : " AND NOT \(ofTheirs)"
    var nameScope: [String] = []
    if !about.isEmpty { nameScope.append("\(mention) IN \(aboutList)") }
    if theirsToo && !spared.isEmpty { nameScope.append(ofTheirs) }
    let names = nameScope.isEmpty ? "" : " OR ((\(nameScope.joined(separator: " OR "))) AND \(namePick))"
    let changes = try slices(table) { db, from, to in
      try Row.fetchAll(
        db,
        sql: """
          SELECT rowid, \(column), \(mention), \(theirsToo ? ofTheirs : "0") FROM \(table)
          WHERE rowid > ? AND rowid <= ?\(theirs) AND (\(handlePick)\(names))
          """,
        arguments: StatementArguments([from, to] as [Int64]) + StatementArguments(handleArgs)
          + StatementArguments(nameScope.isEmpty ? [] : nameArgs)
      ).compactMap { row -> Change? in
        guard let text: String = row[1] else { return nil }
        let names = (row[2] as Int64?).map(about.contains) ?? false || (row[3] as Bool? ?? false)
        guard let new = redacted(column, text, names: names, own: []) else { return nil }
        return Change(rowid: row[0], column: column, old: text, new: new, names: names, own: [])
      }
    }
    return try write(table, changes, appendOnly: appendOnly)
  }
}

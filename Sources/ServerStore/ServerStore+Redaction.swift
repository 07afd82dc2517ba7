import Foundation
import Inbox
import PostgresNIO

// A forgotten author taken out of what others wrote, where it refers to them (`Redactor`), as
// `SQLiteStore.redact` does it: the text and raw record of other people's mentions (the search
// document follows the text through its trigger), their earlier texts, the team's notes, drafts
// and outbox replies, the reasons the team typed, and the event log's details. The handle goes
// everywhere; the name only in what hangs on a mention that answers or quotes one of their posts.
// Rows are picked in reads (a `strpos` on `lower(…)`), then rewritten a few dozen per write
// transaction, each update guarded by the value it read: a row changed meanwhile is read again
// and redacted in that transaction.

extension ServerStore {
  /// Ids a redaction pass reads per query.
  static let redactionSlice: Int64 = 50_000
  /// Rows a redaction pass rewrites per write transaction.
  static let redactionBatch = 50

  /// Redacts the author out of others' rows; the mentions of `authors` (about to be erased) are not
  /// looked at. Returns the quoting mentions redacted, the drafts and replies redacted, and the
  /// mentions about them (answering or quoting them).
  func redact(_ redactor: Redactor, sparing authors: [Int64]) throws -> (
    quoting: Int, replies: Int, about: Set<Int64>
  ) {
    let pass = ServerRedaction(store: self, redactor: redactor, spared: authors)
    guard !pass.handleNeedles.isEmpty else { return (0, 0, []) }
    let context = try pass.answers()
    let (mentionChanges, quoting) = try pass.mentionChanges(context: context)
    let quotingCount = try pass.write(.mentions, mentionChanges)
    let about = context.union(quoting)
    _ = try pass.pass(.of("mention_revisions"), mention: "mention_id", about: about)
    _ = try pass.pass(.of("notes"), mention: "mention_id", about: about)
    _ = try pass.pass(
      .of("escalation_notes"),
      mention: "(SELECT e.mention_id FROM escalations e WHERE e.id = escalation_notes.escalation_id)",
      about: about)
    var replies = try pass.pass(.drafts, mention: "mention_id", about: about)
    replies += try pass.pass(.of("outbox"), mention: "mention_id", about: about)
    // Reasons typed by the team: closing others' mentions without a reply, and in the trail
    // (overriding the advice, escalating) on any mention, their own included.
    _ = try pass.pass(.mentions, mention: "id", about: about, column: "no_reply_reason")
    _ = try pass.pass(.of("outbox"), mention: "mention_id", about: about, column: "withdraw_reason")
    _ = try pass.pass(
      .of("events"), mention: "mention_id", about: about, column: "detail", theirsToo: true, appendOnly: true)
    return (quotingCount, replies, about)
  }
}

/// `$1`, `$2`, … in the order values are added.
struct RedactionBinder {
  var binds = PostgresBindings()
  var count = 0

  mutating func add(_ value: some PostgresDynamicTypeEncodable) -> String {
    binds.append(value)
    count += 1
    return "$\(count)"
  }
}

/// One redaction of a forgotten author's handle and names on the server.
struct ServerRedaction: Sendable {
  let store: ServerStore
  let redactor: Redactor
  let handleNeedles: [String]
  let nameNeedles: [String]
  /// The authors about to be erased: their mentions are not looked at.
  let spared: [Int64]

  init(store: ServerStore, redactor: Redactor, spared: [Int64]) {
    self.store = store
    self.redactor = redactor
    self.spared = spared
    handleNeedles = redactor.handleNeedles
    nameNeedles = redactor.needles.filter { !redactor.handleNeedles.contains($0) }
  }

  /// A table as a pass reads and rewrites it: by `id`, or (drafts) by mention and author.
  struct Table: Sendable {
    let name: String
    /// The column rows are sliced by and known by.
    let key: String
    /// The second key column, if any.
    let author: String?

    static func of(_ name: String) -> Table { Table(name: name, key: "id", author: nil) }
    static let mentions = Table.of("mentions")
    static let drafts = Table(name: "drafts", key: "mention_id", author: "author")
  }

  /// One redaction of a column: what it read, what it writes.
  struct Change: Sendable {
    var id: Int64
    var author: String?
    var column: String
    var old: String
    var new: String
    var names: Bool
    var own: [String]
  }

  /// The condition that picks rows holding one of `needles` in one of `columns`. The server's
  /// `lower` may fold ASCII only (a database in the C locale): a needle with other letters picks
  /// by its longest ASCII run, or every row when it has none of three letters; the redactor decides.
  func picks(_ columns: [String], _ needles: [String], _ binder: inout RedactionBinder) -> String {
    var terms: [String] = []
    for column in columns {
      for needle in needles {
        let probe: String
        if needle.unicodeScalars.allSatisfy(\.isASCII) {
          probe = needle
        } else {
          let runs = needle.split(whereSeparator: { !$0.isASCII })
          guard let longest = runs.max(by: { $0.count < $1.count }), longest.count >= 3 else {
            terms.append("\(column) IS NOT NULL")
            continue
          }
          probe = String(longest)
        }
        terms.append("strpos(lower(\(column)), \(binder.add(probe))::text) > 0")
      }
    }
    return "(" + (terms.isEmpty ? "false" : terms.joined(separator: " OR ")) + ")"
  }

  /// The column's value redacted, or nil when nothing in it changes.
  func redacted(_ column: String, _ value: String, names: Bool, own: [String]) -> String? {
    let out =
      column == "raw"
      ? redactor.redactRaw(value, names: names, own: own) : redactor.redact(value, names: names).text
    return out == value ? nil : out
  }

  /// The mentions that answer one of their posts, or sit in a thread under one.
  func answers() throws -> Set<Int64> {
    let posts = Array(redactor.posts)
    guard !posts.isEmpty else { return [] }
    let binds = PostgresBindings.of(posts.map(\.platform), posts.map(\.id))
    return Set(
      try store.read { session in
        try await session.values(
          """
          SELECT m.id FROM unnest($1::text[], $2::text[]) AS p(platform, id)
          JOIN mentions m ON m.platform = p.platform AND (m.in_reply_to = p.id OR m.thread = p.id)
          """, binds: binds, as: Int64.self)
      })
  }

  /// The ranges of a table's key read one query each.
  func slices(
    _ table: Table, _ body: @escaping @Sendable (ServerSession, Int64, Int64) async throws -> [Change]
  )
    throws -> [Change]
  {
    let last =
      try store.read { session in
        try await session.values("SELECT max(\(table.key)) FROM \(table.name)", as: Int64?.self).first ?? nil
      } ?? 0
    var changes: [Change] = []
    var from: Int64 = 0
    while from < last {
      let to = from + ServerStore.redactionSlice
      let lower = from
      changes += try store.read { session in try await body(session, lower, to) }
      from = to
    }
    return changes
  }

  /// Other people's mentions: the changes to their text and raw record, and the mentions that
  /// quote or answer the author (where the name goes too).
  func mentionChanges(context: Set<Int64>) throws -> (changes: [Change], quoting: Set<Int64>) {
    let pass = self
    let quoting = Locked(Set<Int64>())
    let changes = try slices(.mentions) { session, from, to in
      var b = RedactionBinder()
      let sql = """
        SELECT m.id, m.text, m.raw, m.platform, a.handle, a.name FROM mentions m JOIN authors a ON a.id = m.author_id
        WHERE m.id > \(b.add(from)) AND m.id <= \(b.add(to)) AND a.handle <> \(b.add(ReplySQL.forgottenHandle))
          AND NOT (m.author_id = ANY(\(b.add(pass.spared))::bigint[]))
          AND (\(pass.picks(["m.text", "m.raw"], pass.handleNeedles, &b))
            OR (m.id = ANY(\(b.add(Array(context)))::bigint[]) AND \(pass.picks(["m.text", "m.raw"], pass.nameNeedles, &b))))
        """
      var out: [Change] = []
      for (id, text, raw, platform, handle, name) in try await session.rows(
        sql, binds: b.binds, as: (Int64, String, String, String, String, String?).self)
      {
        let own = [handle, name].compactMap { $0 }
        let names = context.contains(id) || pass.redactor.quotes(raw, platform: platform)
        if names { quoting.withLock { _ = $0.insert(id) } }
        if let new = pass.redacted("text", text, names: names, own: own) {
          out.append(Change(id: id, column: "text", old: text, new: new, names: names, own: own))
        }
        if let new = pass.redacted("raw", raw, names: names, own: own) {
          out.append(Change(id: id, column: "raw", old: raw, new: new, names: names, own: own))
        }
      }
      return out
    }
    return (changes, quoting.withLock { $0 })
  }

  /// What hangs on a mention (`mention` is the SQL of its mention id): the handle everywhere, the
  /// name where the mention is `about` them. What hangs on their own mentions is left to `erase`,
  /// except with `theirsToo` (what `erase` keeps: the event log), redacted with their names too.
  func pass(
    _ table: Table, mention: String, about: Set<Int64>, column: String = "text", theirsToo: Bool = false,
    appendOnly: Bool = false
  ) throws -> Int {
    let pass = self
    let changes = try slices(table) { session, from, to in
      var b = RedactionBinder()
      let ofTheirs =
        pass.spared.isEmpty
        ? "false"
        : "\(mention) IN (SELECT id FROM mentions WHERE author_id = ANY(\(b.add(pass.spared))::bigint[]))"
      let theirs = pass.spared.isEmpty || theirsToo ? "" : " AND NOT \(ofTheirs)"
      var scope: [String] = []
      if !about.isEmpty { scope.append("\(mention) = ANY(\(b.add(Array(about)))::bigint[])") }
      if theirsToo && !pass.spared.isEmpty { scope.append(ofTheirs) }
      let handles = pass.picks([column], pass.handleNeedles, &b)
      let names =
        scope.isEmpty
        ? "" : " OR ((\(scope.joined(separator: " OR "))) AND \(pass.picks([column], pass.nameNeedles, &b)))"
      let sql = """
        SELECT \(table.key), \(table.author.map { "\($0)::text" } ?? "NULL::text"), \(column), \(mention),
          \(theirsToo ? ofTheirs : "false")
        FROM \(table.name)
        WHERE \(table.key) > \(b.add(from)) AND \(table.key) <= \(b.add(to))\(theirs) AND (\(handles)\(names))
        """
      return try await session.rows(sql, binds: b.binds, as: (Int64, String?, String?, Int64?, Bool?).self)
        .compactMap { id, author, text, on, ofThem -> Change? in
          guard let text else { return nil }
          let names = on.map(about.contains) ?? false || (ofThem ?? false)
          guard let new = pass.redacted(column, text, names: names, own: []) else { return nil }
          return Change(id: id, author: author, column: column, old: text, new: new, names: names, own: [])
        }
    }
    return try write(table, changes, appendOnly: appendOnly)
  }

  /// Writes the changes a batch a transaction; returns the rows changed. The event log refuses
  /// updates (`appendOnly`) except those of a transaction that says it redacts (migration 4).
  func write(_ table: Table, _ changes: [Change], appendOnly: Bool = false) throws -> Int {
    struct Row: Hashable {
      var id: Int64
      var author: String?
    }
    var rows = Set<Row>()
    var start = 0
    let pass = self
    while start < changes.count {
      var end = start
      var batchRows = Set<Row>()
      while end < changes.count {
        let row = Row(id: changes[end].id, author: changes[end].author)
        guard batchRows.count < ServerStore.redactionBatch || batchRows.contains(row) else { break }
        batchRows.insert(row)
        end += 1
      }
      let batch = Array(changes[start..<end])
      try store.write { session in
        if appendOnly {
          try await session.execute("SELECT set_config('repute.redacting', 'on', true)", PostgresBindings())
        }
        for change in batch {
          var b = RedactionBinder()
          let new = b.add(change.new)
          let which =
            "\(table.key) = \(b.add(change.id))"
            + (table.author.map { " AND \($0) = \(b.add(change.author ?? ""))" } ?? "")
          let guarded = b.add(change.old)
          let changed = try await session.changedRows(
            "UPDATE \(table.name) SET \(change.column) = \(new) WHERE \(which) AND \(change.column) = \(guarded)",
            b.binds)
          guard changed == 0 else { continue }
          // Changed meanwhile (an edit): read again and redacted as it is now.
          var r = RedactionBinder()
          let again =
            "\(table.key) = \(r.add(change.id))"
            + (table.author.map { " AND \($0) = \(r.add(change.author ?? ""))" } ?? "")
          guard
            let now = try await session.values(
              "SELECT \(change.column) FROM \(table.name) WHERE \(again)", binds: r.binds, as: String?.self
            ).first ?? nil,
            let redone = pass.redacted(change.column, now, names: change.names, own: change.own)
          else { continue }
          var u = RedactionBinder()
          let value = u.add(redone)
          let target =
            "\(table.key) = \(u.add(change.id))"
            + (table.author.map { " AND \($0) = \(u.add(change.author ?? ""))" } ?? "")
          try await session.execute(
            "UPDATE \(table.name) SET \(change.column) = \(value) WHERE \(target)", u.binds)
        }
      }
      rows.formUnion(batchRows)
      start = end
    }
    return rows.count
  }
}

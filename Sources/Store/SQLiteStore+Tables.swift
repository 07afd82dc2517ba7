import GRDB
import Inbox

/// The store's tables as they are, for `repute migrate` (`StoreTableAccess`): read in key order,
/// written by key. Table and column names come from `StoreTables` only; values go as arguments.
extension SQLiteStore: StoreTableAccess {
  public var tableAddress: String { path }

  public func tableRows(_ table: StoreTable, after: [TableValue]?, limit: Int) throws -> [[TableValue]] {
    let keys = "(\(table.key.joined(separator: ", ")))"
    var conditions: [String] = []
    var arguments: [DatabaseValue] = []
    if let after {
      conditions.append("\(keys) > (\(Self.placeholders(after.count)))")
      arguments += after.map(\.databaseValue)
    }
    if table.name == StoreTables.meta.name {
      conditions.append("key NOT IN (\(Self.placeholders(StoreTables.ownMetaKeys.count)))")
      arguments += StoreTables.ownMetaKeys.sorted().map { $0.databaseValue }
    }
    let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
    let sql = """
      SELECT \(table.columns.joined(separator: ", ")) FROM \(table.name) \(filter)
      ORDER BY \(table.key.joined(separator: ", ")) LIMIT \(limit)
      """
    return try pool.read { db in
      try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map(Self.values)
    }
  }

  public func insertRows(_ table: StoreTable, _ rows: [[TableValue]]) throws -> Int {
    guard !rows.isEmpty else { return 0 }
    let sql = """
      INSERT INTO \(table.name) (\(table.columns.joined(separator: ", ")))
      VALUES (\(Self.placeholders(table.columns.count)))
      ON CONFLICT (\(table.key.joined(separator: ", "))) DO NOTHING
      """
    return try pool.write { db in
      let statement = try db.makeStatement(sql: sql)
      var inserted = 0
      for row in rows {
        try statement.execute(arguments: StatementArguments(row.map(\.databaseValue)))
        inserted += db.changesCount
      }
      return inserted
    }
  }

  public func replaceMeta(_ rows: [[TableValue]]) throws -> Int {
    let own = StoreTables.ownMetaKeys
    return try pool.write { db in
      var kept: [String: String] = [:]
      for row in try Row.fetchAll(db, sql: "SELECT key, value FROM store_meta") {
        kept[row[0]] = row[1]
      }
      var wanted: [String: String] = [:]
      for row in rows {
        if case .text(let key) = row[0], case .text(let value) = row[1], !own.contains(key) {
          wanted[key] = value
        }
      }
      for key in kept.keys where !own.contains(key) && wanted[key] == nil {
        try db.execute(sql: "DELETE FROM store_meta WHERE key = ?", arguments: [key])
      }
      var changed = 0
      for (key, value) in wanted where kept[key] != value {
        try db.execute(
          sql:
            "INSERT INTO store_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
          arguments: [key, value])
        changed += 1
      }
      return changed
    }
  }

  public func hasRows(_ table: StoreTable) throws -> Bool {
    if table.name == StoreTables.meta.name { return try !tableRows(table, after: nil, limit: 1).isEmpty }
    return try pool.read { db in
      try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM \(table.name))") ?? false
    }
  }

  /// Nothing to keep beside a table: a rowid goes on from the largest.
  public func finishTable(_ table: StoreTable) throws {}

  /// The running totals and the figures' summary, built again from the copied mentions (ingest
  /// and the triggers keep them as rows change; a copy inserts rows as they are). The search
  /// index catches up from its own mark, as it does after an ingest.
  public func finishTableCopy() throws {
    try pool.write { db in
      try db.execute(
        sql: """
          DELETE FROM queue_totals;
          INSERT INTO queue_totals
            SELECT \(Schema.totalsKey("")), count(*) FROM mentions GROUP BY \(Schema.totalsKey(""));
          DELETE FROM figure_hours;
          INSERT INTO figure_hours \(FigureSummary.aggregate(where: "true"));
          """)
    }
    while try indexSearch(limit: 50_000) > 0 {}
  }

  private static func placeholders(_ count: Int) -> String {
    Array(repeating: "?", count: count).joined(separator: ", ")
  }

  private static func values(_ row: Row) -> [TableValue] {
    (0..<row.count).map { index in
      let value: DatabaseValue = row[index]
      switch value.storage {
      case .null: return .null
      case .int64(let number): return .integer(number)
      case .double(let number): return .real(number)
      case .string(let text): return .text(text)
      case .blob(let data): return .text(String(decoding: data, as: UTF8.self))
      }
    }
  }
}

extension TableValue {
  fileprivate var databaseValue: DatabaseValue {
    switch self {
    case .null: return .null
    case .integer(let number): return number.databaseValue
    case .real(let number): return number.databaseValue
    case .text(let text): return text.databaseValue
    }
  }
}

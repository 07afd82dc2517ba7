import Foundation
import Inbox
import NIOCore
import PostgresNIO

/// The store's tables as they are, for `repute migrate` (`StoreTableAccess`): read in key order,
/// written by key through `COPY … FROM STDIN`. Table and column names come from `StoreTables`
/// only; values go as binds or in COPY's own escaped text, never into the SQL.
///
/// Text keys compare byte by byte (`COLLATE "C"`), as SQLite's do, so both stores walk a table in
/// the same order whatever the database's collation.
extension ServerStore: StoreTableAccess {
  public var tableAddress: String { address.description }

  public func tableRows(_ table: StoreTable, after: [TableValue]?, limit: Int) throws -> [[TableValue]] {
    var binds = PostgresBindings()
    var conditions: [String] = []
    if let after {
      conditions.append("(\(Self.keyList(table))) > (\(Self.append(after, to: &binds)))")
    }
    if table.name == StoreTables.meta.name {
      for key in StoreTables.ownMetaKeys.sorted() {
        binds.append(key)
        conditions.append("key <> $\(binds.count)")
      }
    }
    let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
    let sql = """
      SELECT \(table.columns.joined(separator: ", ")) FROM \(table.name) \(filter)
      ORDER BY \(Self.keyList(table)) LIMIT \(limit)
      """
    let query = PostgresQuery(unsafeSQL: sql, binds: binds)
    return try bridge.run(timeout: 120) { session in
      try await Self.rows(session, query, kinds: table.kinds)
    }
  }

  public func insertRows(_ table: StoreTable, _ rows: [[TableValue]]) throws -> Int {
    guard let first = rows.first, let last = rows.last else { return 0 }
    // The keys of this batch's range the table holds already (a copy run before): left out, so
    // COPY inserts only new rows, and a key there twice still fails as it should.
    var binds = PostgresBindings()
    let low = Self.append(table.key(of: first), to: &binds)
    let high = Self.append(table.key(of: last), to: &binds)
    let keys = Self.keyList(table)
    let present = PostgresQuery(
      unsafeSQL: """
        SELECT \(table.key.joined(separator: ", ")) FROM \(table.name)
        WHERE (\(keys)) >= (\(low)) AND (\(keys)) <= (\(high))
        """, binds: binds)
    let keyKinds = table.keyKinds
    return try bridge.run(timeout: 300) { session in
      try await session.transaction { session in
        let there = Set(try await Self.rows(session, present, kinds: keyKinds))
        let fresh = there.isEmpty ? rows : rows.filter { !there.contains(table.key(of: $0)) }
        guard !fresh.isEmpty else { return 0 }
        try await session.connection.copyFrom(
          table: table.name, columns: table.columns, logger: session.logger
        ) { writer in
          var buffer = ByteBuffer()
          buffer.reserveCapacity(1 << 20)
          for row in fresh {
            TableCopyText.append(row, kinds: table.kinds, to: &buffer)
            if buffer.readableBytes >= 1 << 20 {
              try await writer.write(buffer)
              buffer.clear()
            }
          }
          if buffer.readableBytes > 0 { try await writer.write(buffer) }
        }
        return fresh.count
      }
    }
  }

  public func replaceMeta(_ rows: [[TableValue]]) throws -> Int {
    let own = StoreTables.ownMetaKeys
    var wanted: [String: String] = [:]
    for row in rows {
      if case .text(let key) = row[0], case .text(let value) = row[1], !own.contains(key) {
        wanted[key] = value
      }
    }
    let target = wanted
    return try bridge.run(timeout: 60) { session in
      try await session.transaction { session in
        var kept: [String: String] = [:]
        for (key, value) in try await session.rows(
          "SELECT key, value FROM store_meta", as: (String, String).self)
        {
          kept[key] = value
        }
        for key in kept.keys where !own.contains(key) && target[key] == nil {
          var binds = PostgresBindings()
          binds.append(key)
          _ = try await session.values(
            "DELETE FROM store_meta WHERE key = $1 RETURNING 1", binds: binds, as: Int.self)
        }
        var changed = 0
        for (key, value) in target where kept[key] != value {
          var binds = PostgresBindings()
          binds.append(key)
          binds.append(value)
          _ = try await session.values(
            """
            INSERT INTO store_meta (key, value) VALUES ($1, $2)
            ON CONFLICT (key) DO UPDATE SET value = excluded.value RETURNING 1
            """, binds: binds, as: Int.self)
          changed += 1
        }
        return changed
      }
    }
  }

  public func hasRows(_ table: StoreTable) throws -> Bool {
    if table.name == StoreTables.meta.name { return try !tableRows(table, after: nil, limit: 1).isEmpty }
    let sql = "SELECT EXISTS (SELECT 1 FROM \(table.name))"
    return try bridge.run { session in try await session.values(sql, as: Bool.self).first ?? false }
  }

  /// An identity's sequence set past the largest copied id, so the next row the store makes
  /// takes a new one (ids are copied as they are: `GENERATED BY DEFAULT`).
  public func finishTable(_ table: StoreTable) throws {
    guard table.identity, let column = table.key.first else { return }
    var binds = PostgresBindings()
    binds.append(table.name)
    binds.append(column)
    let sql = """
      SELECT setval(pg_get_serial_sequence($1, $2), coalesce(max(\(column)), 0) + 1, false) FROM \(table.name)
      """
    let sequence = binds
    _ = try bridge.run { session in try await session.values(sql, binds: sequence, as: Int64.self) }
  }

  /// The running totals built again from the copied mentions (the triggers kept them as rows came
  /// in; this makes sure, as a file target rebuilds its own), then the planner's statistics
  /// brought up to date after the bulk load.
  public func finishTableCopy() throws {
    try rebuildTotals()
    try syncTeam()
    let names = StoreTables.all.map(\.name).joined(separator: ", ")
    try bridge.run(timeout: 600) { session in try await session.execute("ANALYZE \(names)") }
  }

  /// After a bulk ingest (`repute ingest` of `newMentions` ≥ `bulkAnalyzeFrom`): the planner's
  /// statistics of the mentions and their authors brought up to date at once, as after a table copy.
  /// Until autovacuum's next look (a minute, if it is on at all) the planner took a million new
  /// rows for a few hundred and chose plans by it: a filtered window of the queue that an index
  /// walk reads in 0.4 ms took 2.3 s as a sort of 700,000 rows. A role that does not own the tables
  /// is skipped by PostgreSQL with a warning; an error here never fails the ingest that committed.
  public func refreshStatistics(newMentions: Int, from: Int = bulkAnalyzeFrom) {
    guard newMentions >= from else { return }
    _ = try? bridge.run(timeout: 600) { session in try await session.execute("ANALYZE mentions, authors") }
  }

  public static let bulkAnalyzeFrom = 20_000

  /// `refreshStatistics` started now on a connection of its own, beside the ingest's last batches
  /// (the server's second core is idle then): the statistics of a table that has all but those
  /// batches' rows. Returns a wait for it to end. `repute ingest` starts it once its input is read,
  /// when what is still to be written is at most a tenth of what was read (`ServerStore.write`'s
  /// ANALYZE at the end took 1.4 s at a million mentions on one core, the server's busy one).
  public func refreshStatisticsBeside() -> @Sendable () -> Void {
    let done = DispatchSemaphore(value: 0)
    let address = address
    let clock = clock
    Thread.detachNewThread {
      defer { done.signal() }
      guard let beside = try? ServerStore(address: address, clock: clock) else { return }
      beside.refreshStatistics(newMentions: Self.bulkAnalyzeFrom)
      beside.close()
    }
    return { done.wait() }
  }

  /// The key's columns for comparing and ordering, text ones byte by byte.
  private static func keyList(_ table: StoreTable) -> String {
    zip(table.key, table.keyKinds).map { $1 == .text ? "\($0) COLLATE \"C\"" : $0 }.joined(separator: ", ")
  }

  /// Appends `values` as binds; returns their placeholders (`$3, $4`).
  private static func append(_ values: [TableValue], to binds: inout PostgresBindings) -> String {
    values.map { value -> String in
      switch value {
      case .null: binds.appendNull()
      case .integer(let number): binds.append(number)
      case .real(let number): binds.append(number)
      case .text(let text): binds.append(text)
      }
      return "$\(binds.count)"
    }.joined(separator: ", ")
  }

  private static func rows(_ session: ServerSession, _ query: PostgresQuery, kinds: [StoreTable.Kind])
    async throws -> [[TableValue]]
  {
    var out: [[TableValue]] = []
    for try await row in try await session.connection.query(query, logger: session.logger) {
      var values: [TableValue] = []
      values.reserveCapacity(kinds.count)
      for (cell, kind) in zip(row, kinds) {
        switch kind {
        case .integer: values.append(try cell.decode(Int64?.self).map(TableValue.integer) ?? .null)
        case .boolean: values.append(try cell.decode(Bool?.self).map { .integer($0 ? 1 : 0) } ?? .null)
        case .real: values.append(try cell.decode(Double?.self).map(TableValue.real) ?? .null)
        case .text: values.append(try cell.decode(String?.self).map(TableValue.text) ?? .null)
        }
      }
      out.append(values)
    }
    return out
  }
}

/// Rows in `COPY`'s text format: tab between columns, newline after each row, `\N` for NULL, and
/// a backslash, tab, newline or carriage return inside a value escaped.
enum TableCopyText {
  static func append(_ row: [TableValue], kinds: [StoreTable.Kind], to buffer: inout ByteBuffer) {
    for (index, value) in row.enumerated() {
      if index > 0 { buffer.writeInteger(UInt8(ascii: "\t")) }
      switch value {
      case .null: buffer.writeStaticString("\\N")
      case .integer(let number):
        if kinds[index] == .boolean {
          buffer.writeStaticString(number != 0 ? "t" : "f")
        } else {
          buffer.writeString(String(number))
        }
      case .real(let number): buffer.writeString(real(number))
      case .text(let text): escaped(text, to: &buffer)
      }
    }
    buffer.writeInteger(UInt8(ascii: "\n"))
  }

  /// A double as PostgreSQL reads it back exactly: Swift's shortest round-trip form.
  static func real(_ number: Double) -> String {
    if number.isNaN { return "NaN" }
    if number.isInfinite { return number < 0 ? "-Infinity" : "Infinity" }
    return "\(number)"
  }

  static func escaped(_ text: String, to buffer: inout ByteBuffer) {
    let utf8 = text.utf8
    guard utf8.contains(where: { $0 == 0x5C || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) else {
      buffer.writeString(text)
      return
    }
    for byte in utf8 {
      switch byte {
      case 0x5C: buffer.writeStaticString("\\\\")
      case 0x09: buffer.writeStaticString("\\t")
      case 0x0A: buffer.writeStaticString("\\n")
      case 0x0D: buffer.writeStaticString("\\r")
      default: buffer.writeInteger(byte)
      }
    }
  }
}

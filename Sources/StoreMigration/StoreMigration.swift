import Inbox

/// `repute migrate`: a store copied whole into another, table by table, in batches, and both sides
/// counted and summed afterwards (docs/guide/team-server.md, "Moving a team").
///
/// Either side is a `StoreTableAccess`: a SQLite file or a PostgreSQL store, so the same walk
/// moves a team onto the server and makes an archive file of it again. The source is only read.
/// Each batch is one transaction on the target; a row whose key the target has is skipped and
/// counted as such, so a copy cut short goes on where it stopped, and a second run copies nothing.
public enum StoreMigration {
  /// Rows per batch: one read of the source, one transaction on the target.
  public static let defaultBatch = 5_000

  /// What happened to one table, and how both sides compare.
  public struct TableReport: Sendable, Equatable {
    public let table: String
    public let sourceRows: Int
    /// Rows this run wrote into the target (store_meta: keys added or changed).
    public let copied: Int
    /// Rows the target had already, by key.
    public let skipped: Int
    public let targetRows: Int
    public let sourceChecksum: String
    public let targetChecksum: String
    public var equal: Bool { sourceRows == targetRows && sourceChecksum == targetChecksum }
  }

  public struct Report: Sendable, Equatable {
    public let source: String
    public let target: String
    public let tables: [TableReport]
    public var equal: Bool { tables.allSatisfy(\.equal) }
    public var copied: Int { tables.reduce(0) { $0 + $1.copied } }
    public var skipped: Int { tables.reduce(0) { $0 + $1.skipped } }
  }

  /// Copies every table of `source` into `target` and compares them. The target must hold no rows
  /// yet, or be an earlier copy of the same store (the same `tombstone_salt`, which every store
  /// draws at random when it is made): anything else is refused before a row is written.
  public static func run(
    from source: any StoreTableAccess, to target: any StoreTableAccess, batch: Int = defaultBatch,
    progress: (String) -> Void = { _ in }
  ) throws -> Report {
    let sourceMeta = try source.tableRows(StoreTables.meta, after: nil, limit: Int(Int32.max))
    try refuseForeign(target, sourceMeta: sourceMeta, source: source.tableAddress)
    var copies: [(table: StoreTable, rows: Int, copied: Int, checksum: String)] = []
    for table in StoreTables.all {
      progress("copying \(table.name)")
      if table == StoreTables.meta {
        var sum = TableChecksum(table)
        sourceMeta.forEach { sum.add($0) }
        let changed = try target.replaceMeta(sourceMeta)
        copies.append((table, sourceMeta.count, changed, sum.finish()))
        continue
      }
      var sum = TableChecksum(table)
      var after: [TableValue]?
      var copied = 0
      while true {
        let rows = try source.tableRows(table, after: after, limit: batch)
        guard let last = rows.last else { break }
        rows.forEach { sum.add($0) }
        copied += try target.insertRows(table, rows)
        after = table.key(of: last)
      }
      try target.finishTable(table)
      copies.append((table, sum.rows, copied, sum.finish()))
    }
    progress("rebuilding what the target derives from its rows")
    try target.finishTableCopy()
    var reports: [TableReport] = []
    for copy in copies {
      progress("summing \(copy.table.name) on the target")
      let (rows, checksum) = try self.checksum(of: copy.table, in: target, batch: batch)
      reports.append(
        TableReport(
          table: copy.table.name, sourceRows: copy.rows, copied: copy.copied,
          skipped: copy.rows - copy.copied,
          targetRows: rows, sourceChecksum: copy.checksum, targetChecksum: checksum))
    }
    return Report(source: source.tableAddress, target: target.tableAddress, tables: reports)
  }

  /// A table's rows and checksum in `store`, read in key order.
  public static func checksum(of table: StoreTable, in store: any StoreTableAccess, batch: Int = defaultBatch)
    throws -> (rows: Int, checksum: String)
  {
    var sum = TableChecksum(table)
    var after: [TableValue]?
    while true {
      let rows = try store.tableRows(table, after: after, limit: batch)
      guard let last = rows.last else { break }
      rows.forEach { sum.add($0) }
      after = table.key(of: last)
    }
    return (sum.rows, sum.finish())
  }

  /// Refuses a target with rows of another store (or of none that says which it is).
  static func refuseForeign(_ target: any StoreTableAccess, sourceMeta: [[TableValue]], source: String) throws
  {
    guard
      let filled = try StoreTables.all.first(where: { try $0 != StoreTables.meta && target.hasRows($0) })
    else { return }
    let targetMeta = try target.tableRows(StoreTables.meta, after: nil, limit: Int(Int32.max))
    if let salt = salt(sourceMeta), salt == self.salt(targetMeta) { return }
    throw InboxError.invalidArgument(
      "the target \(target.tableAddress) holds another store's data (its \(filled.name) has rows, and it is not "
        + "an earlier copy of \(source)): migrate copies into an empty store only; pick another, or empty this one"
    )
  }

  private static func salt(_ meta: [[TableValue]]) -> String? {
    for row in meta {
      if row.first == .text("tombstone_salt"), case .text(let value) = row[1] { return value }
    }
    return nil
  }
}

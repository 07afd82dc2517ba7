import ArgumentParser
import Foundation
import Inbox
import ServerStore
import Store
import StoreMigration

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `repute migrate --from STORE --to STORE`: a store copied whole, table by table, with counts and
/// a checksum per table on both sides (issue 18, "Moving a team").
struct MigrateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "migrate",
    abstract: "Copy a store whole into another: a store file onto a PostgreSQL server, or back into a file.",
    discussion: """
      Each of --from and --to is a store file or postgres://[user@][host][:port]/dbname. The source \
      is only read (a store file must be at this repute's schema: repute check --store FILE, run by \
      someone who may write it, brings it up to date). The target is made when missing (as repute init would), and must be empty or an \
      earlier copy of the same store: a run cut short, or run again, skips the rows already there \
      and copies the rest. Every table is then counted and summed on both sides. Stop the team's \
      writing to the source while it runs (repute watch, the inboxes). Exits 0 when every table is \
      equal, 1 when a count or checksum differs, 2 on a store error or a target that holds another \
      store. With --json, one object: from, to, equal, copied, skipped, tables (table, source_rows, \
      copied, skipped, target_rows, source_checksum, target_checksum, equal).
      """)

  @Option(help: "The store to copy: a store file, or postgres://... (only read).")
  var from: String

  @Option(help: "The store to copy into: a store file, or postgres://... (made when missing).")
  var to: String

  @Option(help: "Rows per batch: one read of the source, one transaction on the target.")
  var batch: Int = StoreMigration.defaultBatch

  @Flag(help: "Print JSON.")
  var json = false

  func validate() throws {
    guard batch >= 1 && batch <= 1_000_000 else { throw ValidationError("--batch takes 1 to 1000000 rows") }
  }

  func run() throws {
    let source = try guarded { try StoreLocation.address(explicit: from) }
    let target = try guarded { try StoreLocation.address(explicit: to) }
    if Self.same(source, target) { throw ValidationError("--from and --to name the same store (\(source))") }
    for case .server(let address) in [source, target] {
      for warning in address.warnings { Output.error("repute: warning: \(warning)") }
    }
    let report = try guarded {
      let clock = try ReputeClock.fromEnvironment()
      let from = try Self.open(source, clock: clock, asTarget: false)
      defer { Self.close(from) }
      let to = try Self.open(target, clock: clock, asTarget: true)
      defer { Self.close(to) }
      do {
        let verbose = !json && isatty(2) == 1
        return try StoreMigration.run(from: from, to: to, batch: batch) { step in
          if verbose { Output.error("repute: \(step)…") }
        }
      } catch let error as ServerStoreError {
        throw InboxError.storeUnavailable(error.description)
      }
    }
    print(report)
    if !report.equal {
      let differing = report.tables.filter { !$0.equal }.map(\.table)
      throw fail(
        "the copy differs from the source in \(differing.joined(separator: ", ")): a source written "
          + "to during the copy, or a target copied from an older state; copy into an empty store again",
        code: 1)
    }
  }

  private func print(_ report: StoreMigration.Report) {
    if json {
      var w = JSONWriter()
      w.string("from", report.source)
      w.string("to", report.target)
      w.bool("equal", report.equal)
      w.int("copied", report.copied)
      w.int("skipped", report.skipped)
      w.objects("tables", report.tables) { w, table in
        w.string("table", table.table)
        w.int("source_rows", table.sourceRows)
        w.int("copied", table.copied)
        w.int("skipped", table.skipped)
        w.int("target_rows", table.targetRows)
        w.string("source_checksum", table.sourceChecksum)
        w.string("target_checksum", table.targetChecksum)
        w.bool("equal", table.equal)
      }
      Output.line(w.finish())
      return
    }
    Output.line("copied \(report.source) into \(report.target)")
    let header = ["table", "source", "copied", "skipped", "target", "checksum", ""]
    var lines = [header]
    for table in report.tables {
      let sum =
        table.sourceChecksum == table.targetChecksum
        ? String(table.sourceChecksum.prefix(16))
        : "\(table.sourceChecksum.prefix(16)) / \(table.targetChecksum.prefix(16))"
      lines.append([
        table.table, String(table.sourceRows), String(table.copied), String(table.skipped),
        String(table.targetRows), sum, table.equal ? "equal" : "DIFFERS",
      ])
    }
    let widths = header.indices.map { column in lines.map { $0[column].count }.max() ?? 0 }
    for line in lines {
      let cells = line.enumerated().map { column, cell in
        let pad = String(repeating: " ", count: widths[column] - cell.count)
        return (1...4).contains(column) ? pad + cell : cell + pad
      }
      Output.line(cells.joined(separator: "  ").trimmingCharacters(in: .whitespaces))
    }
    if report.equal {
      Output.line(
        "every table is equal on both sides: \(report.copied) rows copied, \(report.skipped) already there")
    }
  }

  /// The same store on both sides: one file, or one schema of one database on one server.
  static func same(_ a: StoreAddress, _ b: StoreAddress) -> Bool {
    switch (a, b) {
    case (.file(let x), .file(let y)):
      return StoreFiles.resolve(x) == StoreFiles.resolve(y)
    case (.server(let x), .server(let y)):
      return x.endpoint == y.endpoint && x.database == y.database && x.schema == y.schema
    default: return false
    }
  }

  /// Opens one side: the source only to read (a server store must exist there), the target made
  /// when missing.
  static func open(_ address: StoreAddress, clock: ReputeClock, asTarget: Bool) throws -> any StoreTableAccess
  {
    switch address {
    case .file(let path):
      let store = try SQLiteStore(path: path, mode: asTarget ? .initialise : .readOnly, clock: clock)
      // The copy writes as ingest does, a batch at a time into every index: the same page cache.
      if asTarget { try store.reserveBulkIngestCache() }
      return store
    case .server(let server):
      let store = try ServerStore(address: server, clock: clock)
      do {
        if asTarget {
          _ = try store.initialize()
        } else if try store.status().schemaVersion == nil {
          throw InboxError.notFound("no store in schema \(server.schema) at \(server) to copy")
        }
      } catch {
        store.close()
        if let error = error as? ServerStoreError { throw InboxError.storeUnavailable(error.description) }
        throw error
      }
      return store
    }
  }

  static func close(_ store: any StoreTableAccess) {
    (store as? ServerStore)?.close()
  }
}

import Feeds
import Foundation
import Inbox
import Store

/// A folder that takes dropped files: each is ingested, then moved into `processed/` beside it
/// (a file with no readable record goes to `failed/`). Every format `repute ingest --format auto`
/// tells apart is taken: native JSON Lines, Mastodon, Bluesky, X, RSS/Atom and CSV (with the
/// mapping of the spool's `csv_config`, else the usual column names). Write a file under a name starting with `.` or ending in `.tmp` or
/// `.part` and rename it when complete: those are left alone.
///
/// A watcher killed between storing a file and moving it reads the file again next time; the
/// store keeps each mention once, so nothing is doubled.
public struct SpoolSource: ConfiguredSource {
  public let config: SpoolConfig
  public var kind: String { "spool" }
  public var batchSize = 1_000

  public init(config: SpoolConfig) {
    self.config = config
  }

  /// The files waiting in the folder, oldest name first.
  public func waiting() throws -> [String] {
    let fm = FileManager.default
    var isDir: ObjCBool = false
    guard fm.fileExists(atPath: config.path, isDirectory: &isDir), isDir.boolValue else {
      throw InboxError.notFound("\(config.path): the spool folder does not exist")
    }
    return try fm.contentsOfDirectory(atPath: config.path).filter { item in
      guard !item.hasPrefix("."), !item.hasSuffix(".tmp"), !item.hasSuffix(".part") else { return false }
      var dir: ObjCBool = false
      return fm.fileExists(atPath: config.path + "/" + item, isDirectory: &dir) && !dir.boolValue
    }.sorted()
  }

  public func poll(from state: SourceState?, context: PollContext) throws -> PollReport {
    var report = PollReport()
    // Read each poll, so an edited mapping applies to the next file; a bad one stops the poll
    // (its FILE:LINE is the source's error) before any file is moved.
    let csv = try config.csvConfig.map(CSVMapping.load) ?? CSVMapping()
    for item in try waiting() {
      let path = config.path + "/" + item
      var stored = 0
      var refused = 0
      // JSON Lines and CSV stream in batches; a one-document file is read whole (up to 256 MiB).
      try Ingester(batchSize: batchSize, format: .auto, csv: csv).read(
        path,
        batch: { batch in
          report.new += try context.commit(SourcePage(mentions: batch, cursor: nil))
          report.pages += 1
          stored += batch.count
        },
        reject: { record in
          // Noted one by one (a file may refuse a million lines): only the first is kept.
          context.note(record.description)
          refused += 1
          if report.firstRejection == nil { report.firstRejection = record.description }
        })
      report.rejected += refused
      try move(item, to: stored == 0 && refused > 0 ? "failed" : "processed")
    }
    return report
  }

  /// Moves a file into a subfolder, never over an earlier file of the same name.
  func move(_ item: String, to folder: String) throws {
    let fm = FileManager.default
    let target = config.path + "/" + folder
    // Private like the store: the files hold what people wrote.
    try fm.createDirectory(
      atPath: target, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    var destination = target + "/" + item
    var n = 1
    while fm.fileExists(atPath: destination) {
      n += 1
      destination = target + "/" + item + ".\(n)"
    }
    try fm.moveItem(atPath: config.path + "/" + item, toPath: destination)
  }
}

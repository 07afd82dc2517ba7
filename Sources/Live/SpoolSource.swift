import Feeds
import Foundation
import Inbox
import Store

/// A folder that takes dropped files: each is ingested, then moved into `processed/` beside it
/// (a file no format can read goes to `failed/`). Write a file under a name starting with `.` or
/// ending in `.tmp` or `.part` and rename it when complete: those are left alone.
///
/// A watcher killed between storing a file and moving it reads the file again next time; the
/// store keeps each mention once, so nothing is doubled.
public struct SpoolSource: LiveSource {
  public let config: SpoolConfig
  /// The parser for a file that is not native JSON Lines (by extension); nil: not readable here.
  public let parserFor: @Sendable (String) -> (any PayloadParser)?
  public var name: String { config.name }
  public var kind: String { "spool" }
  public var interval: TimeInterval? { config.interval }
  public var batchSize = 1_000

  public init(
    config: SpoolConfig, parserFor: @escaping @Sendable (String) -> (any PayloadParser)? = { _ in nil }
  ) {
    self.config = config
    self.parserFor = parserFor
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
    for item in try waiting() {
      let path = config.path + "/" + item
      if item.hasSuffix(".jsonl") {
        let rejected = Counter()
        try Ingester(batchSize: batchSize).read(
          path,
          batch: { batch in
            report.new += try context.commit(SourcePage(mentions: batch, cursor: nil))
            report.pages += 1
          },
          reject: { record in
            rejected.add()
            context.note(record.description)
          })
        report.rejected += rejected.value
        try move(item, to: "processed")
      } else if let parser = parserFor(item) {
        do {
          let data = try Data(contentsOf: URL(fileURLWithPath: path))
          let mentions = try parser.mentions(from: data, origin: path)
          report.new += try context.commit(SourcePage(mentions: mentions, cursor: nil))
          report.pages += 1
          try move(item, to: "processed")
        } catch let error as PayloadError {
          context.note(error.description)
          report.rejected += 1
          try move(item, to: "failed")
        }
      } else {
        context.note("\(path): not a format the spool reads (native .jsonl); moved to failed/")
        report.rejected += 1
        try move(item, to: "failed")
      }
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

private final class Counter: @unchecked Sendable {
  private let lock = NSLock()
  private var count = 0

  func add() {
    lock.lock()
    count += 1
    lock.unlock()
  }

  var value: Int {
    lock.lock()
    defer { lock.unlock() }
    return count
  }
}

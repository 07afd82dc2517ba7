import Foundation
import Inbox

#if canImport(Glibc)
  import Glibc
#endif

/// Streams native JSON Lines from files, folders or standard input into batches.
///
/// Memory stays constant whatever the input's size: one read buffer and one batch at a time.
public struct Ingester: Sendable {
  /// Mentions per batch: one write transaction each. 10,000 keeps a transaction near 100 ms (a
  /// teammate's action waits at most that long) while a million-mention ingest commits only 100
  /// times; 2,000 per batch made ingest twice as slow through WAL rewrites.
  public var batchSize: Int
  private let format = NativeFormat()

  public init(batchSize: Int = 10_000) {
    self.batchSize = batchSize
  }

  /// The files named by `paths`: a folder stands for every `*.jsonl` inside it (recursively,
  /// sorted), `-` for standard input. A path that does not exist is an error before anything is read.
  public static func expand(_ paths: [String]) throws -> [String] {
    var files: [String] = []
    let fm = FileManager.default
    for path in paths {
      if path == "-" {
        files.append(path)
        continue
      }
      var isDir: ObjCBool = false
      guard fm.fileExists(atPath: path, isDirectory: &isDir) else {
        throw InboxError.notFound("\(path): no such file or folder")
      }
      if isDir.boolValue {
        guard let walker = fm.enumerator(atPath: path) else {
          throw InboxError.permissionDenied("\(path): cannot read the folder")
        }
        var inside: [String] = []
        while let item = walker.nextObject() as? String {
          if item.hasSuffix(".jsonl") { inside.append(path + "/" + item) }
        }
        files += inside.sorted()
      } else {
        files.append(path)
      }
    }
    return files
  }

  /// Reads one file (or `-`), calling `batch` with each full batch and `reject` with each bad record.
  public func read(
    _ path: String,
    batch: ([IncomingMention]) throws -> Void,
    reject: (RejectedRecord) -> Void
  ) throws {
    let name = path == "-" ? "<stdin>" : path
    let fd: Int32
    if path == "-" {
      fd = 0
    } else {
      fd = open(path, O_RDONLY | O_CLOEXEC)
      guard fd >= 0 else {
        throw InboxError.notFound("\(path): \(String(cString: strerror(errno)))")
      }
    }
    var reader = LineReader(fd: fd, ownsDescriptor: path != "-")
    var pending: [IncomingMention] = []
    pending.reserveCapacity(batchSize)
    do {
      try reader.forEachLine { line in
        switch line {
        case .tooLong(let number):
          reject(RejectedRecord(file: name, line: number, reason: "line longer than 1 MiB"))
        case .bytes(let number, let bytes):
          if Self.isBlank(bytes) { return }
          switch Result(catching: { () throws(NativeFormat.RecordError) in try format.parse(bytes) }) {
          case .success(let mention): pending.append(mention)
          case .failure(let error): reject(RejectedRecord(file: name, line: number, reason: error.reason))
          }
          if pending.count >= batchSize {
            try batch(pending)
            pending.removeAll(keepingCapacity: true)
          }
        }
      }
    } catch let error as InboxError {
      if case .storeUnavailable(let message) = error, message.hasPrefix("read error") {
        throw InboxError.storeUnavailable("\(name): \(message)")
      }
      throw error
    }
    if !pending.isEmpty { try batch(pending) }
  }

  private static func isBlank(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    bytes.allSatisfy { $0 == 32 || $0 == 9 || $0 == 13 }
  }
}

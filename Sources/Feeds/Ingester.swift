import Foundation
import Inbox

#if canImport(Glibc)
  import Glibc
#endif

/// Streams mentions from files, folders or standard input into batches: native JSON Lines, or
/// one of the platform formats (`format`, `auto` to tell them apart by content).
///
/// Native JSON Lines, platform JSON Lines (twarc2 pages) and CSV files stream in constant memory;
/// a one-document JSON file or a feed is read whole, up to 256 MiB.
public struct Ingester: Sendable {
  /// Mentions per batch: one write transaction each. 10,000 keeps a transaction near 100 ms (a
  /// teammate's action waits at most that long) while a million-mention ingest commits only 100
  /// times; 2,000 per batch made ingest twice as slow through WAL rewrites.
  public var batchSize: Int
  private let native = NativeFormat()
  /// The input format; `.jsonl` (the default) reads native JSON Lines without looking first.
  public var format: MentionFormat
  /// The CSV column mapping, for `.csv` (or CSV found by `.auto`).
  public var csv: CSVMapping

  public init(batchSize: Int = 10_000, format: MentionFormat = .jsonl, csv: CSVMapping = CSVMapping()) {
    self.batchSize = batchSize
    self.format = format
    self.csv = csv
  }

  /// The files named by `paths`: a folder stands for every `*.jsonl` inside it (recursively,
  /// sorted; with `extensions`, every file with one of those), `-` for standard input. A path
  /// that does not exist is an error before anything is read.
  public static func expand(_ paths: [String], extensions: [String] = [".jsonl"]) throws -> [String] {
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
          if extensions.contains(where: { item.lowercased().hasSuffix($0) }) {
            inside.append(path + "/" + item)
          }
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
    var chosen = format
    var prefix: [UInt8] = []
    if format != .jsonl {
      // Look at the first 64 KiB to tell the format; the readers below take them first.
      prefix = try Self.readPrefix(fd, name: name)
      if format == .auto {
        guard let detected = MentionFormat.detect(prefix, name: name) else {
          if path != "-" { close(fd) }
          if !prefix.isEmpty {
            reject(
              RejectedRecord(file: name, line: 1, reason: "cannot tell the format; name it with --format"))
          }
          return
        }
        chosen = detected
      }
    }
    if chosen != .jsonl {
      try readPlatform(
        fd: fd, path: path, name: name, format: chosen, prefix: prefix, batch: batch, reject: reject)
      return
    }
    var reader = LineReader(fd: fd, ownsDescriptor: path != "-", prefix: prefix)
    var pending: [IncomingMention] = []
    pending.reserveCapacity(batchSize)
    do {
      try reader.forEachLine { line in
        switch line {
        case .tooLong(let number):
          reject(RejectedRecord(file: name, line: number, reason: "line longer than 1 MiB"))
        case .bytes(let number, let bytes):
          if Self.isBlank(bytes) { return }
          switch Result(catching: { () throws(NativeFormat.RecordError) in try native.parse(bytes) }) {
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

  /// A platform format: JSON Lines and CSV files stream; anything else is read whole (256 MiB at most).
  private func readPlatform(
    fd: Int32, path: String, name: String, format: MentionFormat, prefix: [UInt8],
    batch: ([IncomingMention]) throws -> Void, reject: (RejectedRecord) -> Void
  ) throws {
    var pending: [IncomingMention] = []
    func add(_ mention: IncomingMention) throws {
      pending.append(mention)
      if pending.count >= batchSize {
        try batch(pending)
        pending.removeAll(keepingCapacity: true)
      }
    }
    var size = -1
    if path != "-" {
      var info = stat()
      if fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG { size = Int(info.st_size) }
    }
    let limit = FormatReader.maximumDocumentSize
    if format == .csv && path != "-", let stream = InputStream(fileAtPath: path) {
      close(fd)
      try csv.read(stream: stream, header: prefix, name: name, mention: add, reject: reject)
    } else if size > limit && [.mastodon, .bluesky, .x].contains(format) {
      // Too large for one document: only JSON Lines (one record a line) can be this big.
      var reader = LineReader(fd: fd, ownsDescriptor: true, maximumLineLength: 64 << 20, prefix: prefix)
      var stop = false
      try reader.forEachLine { line in
        if stop { return }
        switch line {
        case .tooLong(let number):
          reject(RejectedRecord(file: name, line: number, reason: "line longer than 64 MiB"))
        case .bytes(let number, let bytes):
          if bytes.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) { return }
          if number == 1 && JSONDocuments.decode(bytes) == nil
            && JSONDocuments.firstValueEnd(bytes) == nil
          {
            reject(
              RejectedRecord(
                file: name, line: 1,
                reason: "one JSON document larger than 256 MiB; write the records as JSON Lines (one a line)")
            )
            stop = true
            return
          }
          var out = ParsedInput()
          switch format {
          case .mastodon:
            JSONDocuments.readLine(bytes, name: name, number: number, format: MastodonFormat(), into: &out)
          case .bluesky:
            JSONDocuments.readLine(bytes, name: name, number: number, format: BlueskyFormat(), into: &out)
          default: JSONDocuments.readLine(bytes, name: name, number: number, format: XFormat(), into: &out)
          }
          out.rejections.forEach(reject)
          for m in out.mentions { try add(m) }
        }
      }
    } else {
      guard let bytes = try Self.readAll(fd, prefix: prefix, limit: limit, owns: path != "-", name: name)
      else {
        reject(
          RejectedRecord(
            file: name, line: 1,
            reason:
              "more than 256 MiB on standard input in \(format.rawValue); pass it as a file, or as JSON Lines"
          ))
        return
      }
      let parsed = FormatReader(format: format, csv: csv).parse(bytes, name: name)
      parsed.rejections.forEach(reject)
      for m in parsed.mentions { try add(m) }
    }
    if !pending.isEmpty { try batch(pending) }
  }

  /// Up to 64 KiB from the start of `fd`.
  static func readPrefix(_ fd: Int32, name: String) throws -> [UInt8] {
    var prefix = [UInt8](repeating: 0, count: 1 << 16)
    var count = 0
    while count < prefix.count {
      let n = prefix.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + count, $0.count - count) }
      if n < 0 {
        if errno == EINTR { continue }
        throw InboxError.storeUnavailable("\(name): read error: \(String(cString: strerror(errno)))")
      }
      if n == 0 { break }
      count += n
    }
    prefix.removeSubrange(count...)
    return prefix
  }

  /// The rest of `fd` after `prefix`; nil when it holds more than `limit` bytes.
  static func readAll(_ fd: Int32, prefix: [UInt8], limit: Int, owns: Bool, name: String) throws -> [UInt8]? {
    defer { if owns { close(fd) } }
    var bytes = prefix
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    while true {
      let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
      if n < 0 {
        if errno == EINTR { continue }
        throw InboxError.storeUnavailable("\(name): read error: \(String(cString: strerror(errno)))")
      }
      if n == 0 { return bytes }
      bytes += chunk[0..<n]
      if bytes.count > limit { return nil }
    }
  }
}

import Foundation
import Inbox

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
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

  /// Whether `path` (`-` for standard input) is input that arrives over time, a pipe or a FIFO,
  /// whose native JSON Lines are stored as they arrive (`LiveInput`).
  public static func isLive(_ path: String) -> Bool {
    if path == "-" { return LiveInput.isLive(0) }
    var info = stat()
    return stat(path, &info) == 0 && LiveInput.isLive(mode: info.st_mode)
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
      // Look at the first 64 KiB to tell the format; the readers below take them first, then the
      // rest of the same descriptor: the input is read once, so a pipe or a FIFO reads like a file.
      prefix = try Self.readPrefix(fd, name: name)
      if let nul = Self.binaryOffset(prefix, format: format) {
        if path != "-" { close(fd) }
        let line = 1 + prefix[..<nul].filter { $0 == 0x0A }.count
        reject(
          RejectedRecord(
            file: name, line: line,
            reason: "a NUL byte at byte \(nul + 1): binary data, not text; the rest is skipped"))
        return
      }
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
    let skipLimit = reader.maximumSkippedBytes
    var pending: [IncomingMention] = []
    pending.reserveCapacity(batchSize)
    // A pipe or FIFO fed over time is stored as it arrives, not when a batch is full (`LiveInput`).
    var live = LiveInput()
    let isLive = LiveInput.isLive(fd)
    do {
      try reader.forEachLine(beforeWaiting: { fd in
        guard isLive, live.dueBeforeReading(fd) else { return }
        try batch(pending)
        pending.removeAll(keepingCapacity: true)
        live.handedOn()
      }) { line in
        switch line {
        case .tooLong(let number):
          reject(RejectedRecord(file: name, line: number, reason: "line longer than 1 MiB"))
        case .binary(let number):
          reject(RejectedRecord(file: name, line: number, reason: Self.binaryLine))
        case .endless(let number):
          reject(RejectedRecord(file: name, line: number, reason: Self.endlessLine(skipLimit)))
        case .bytes(let number, var bytes):
          if number == 1 { bytes = Self.withoutByteOrderMark(bytes) }
          if Self.isBlank(bytes) { return }
          switch Result(catching: { () throws(NativeFormat.RecordError) in try native.parse(bytes) }) {
          case .success(let mention):
            pending.append(mention)
            live.arrived()
          case .failure(let error): reject(RejectedRecord(file: name, line: number, reason: error.reason))
          }
          if pending.count >= batchSize {
            try batch(pending)
            pending.removeAll(keepingCapacity: true)
            live.handedOn()
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

  static let binaryLine = "a NUL byte in a line longer than 1 MiB: binary data, not text; the rest is skipped"

  static func endlessLine(_ limit: Int) -> String {
    "a line longer than \(FormatReader.describe(limit)) with no end in sight; the rest is skipped"
  }

  /// The line without a UTF-8 byte-order mark at its start (which only the first line can have).
  static func withoutByteOrderMark(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
    bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? UnsafeBufferPointer(rebasing: bytes[3...]) : bytes
  }

  /// Where the first NUL byte of `prefix` is, when the format is text that cannot hold one (all
  /// but a feed in UTF-16, which starts with its byte-order mark).
  static func binaryOffset(_ prefix: [UInt8], format: MentionFormat) -> Int? {
    if format == .rss || format == .auto,
      prefix.starts(with: [0xFF, 0xFE]) || prefix.starts(with: [0xFE, 0xFF])
    {
      return nil
    }
    return prefix.firstIndex(of: 0)
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
    let jsonFormats: [MentionFormat] = [.mastodon, .bluesky, .x]
    if format == .csv {
      try csv.read(
        fd: fd, prefix: prefix, ownsDescriptor: path != "-", name: name, mention: add, reject: reject)
    } else if jsonFormats.contains(format) && (size > limit || (size < 0 && Self.looksLikeJSONLines(prefix)))
    {
      // Too large for one document, or a pipe of unknown size that starts as JSON Lines: one
      // record a line, streamed.
      var reader = LineReader(
        fd: fd, ownsDescriptor: path != "-", maximumLineLength: 64 << 20, prefix: prefix)
      let skipLimit = reader.maximumSkippedBytes
      var stop = false
      try reader.forEachLine { line in
        if stop { return }
        switch line {
        case .tooLong(let number):
          reject(RejectedRecord(file: name, line: number, reason: "line longer than 64 MiB"))
        case .binary(let number):
          reject(RejectedRecord(file: name, line: number, reason: Self.binaryLine))
        case .endless(let number):
          reject(RejectedRecord(file: name, line: number, reason: Self.endlessLine(skipLimit)))
        case .bytes(let number, var bytes):
          if number == 1 { bytes = Self.withoutByteOrderMark(bytes) }
          if Self.isBlank(bytes) { return }
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
        // A stream that is not a regular file (a pipe, a device) and no JSON Lines.
        let what =
          format == .rss
          ? "a feed larger than \(FormatReader.describe(limit))"
          : "one \(format.rawValue) JSON document larger than \(FormatReader.describe(limit)); write the records as JSON Lines (one a line)"
        reject(RejectedRecord(file: name, line: 1, reason: what))
        return
      }
      let parsed = FormatReader(format: format, csv: csv).parse(bytes, name: name)
      parsed.rejections.forEach(reject)
      for m in parsed.mentions { try add(m) }
    }
    if !pending.isEmpty { try batch(pending) }
  }

  /// Whether the first bytes hold one complete JSON value with more after it: JSON Lines.
  static func looksLikeJSONLines(_ prefix: [UInt8]) -> Bool {
    prefix.withUnsafeBufferPointer { all in
      let body = withoutByteOrderMark(all)
      guard let end = JSONDocuments.firstValueEnd(body) else { return false }
      return JSONDocuments.hasMoreContent(body, after: end)
    }
  }

  /// Up to 64 KiB from the start of `fd`.
  static func readPrefix(_ fd: Int32, name: String) throws -> [UInt8] {
    var prefix = [UInt8](repeating: 0, count: 1 << 16)
    var count = 0
    while count < prefix.count {
      let n = prefix.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress! + count, $0.count - count) }
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
      let n = chunk.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress!, $0.count) }
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

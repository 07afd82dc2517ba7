import Feeds
import Foundation
import Inbox
import Store

#if canImport(Glibc)
  import Glibc
#endif

/// The spool's kept copies (`processed/` and `failed/`) under forget and purge: they hold the
/// posts and handles the store has erased.
///
/// Forget rewrites a JSON Lines or CSV file without the author's records (the line or row goes)
/// and with their handle and name redacted in other people's lines, as in the store; a line that
/// embeds a post of theirs (a quote, a boost) goes whole, since the spool's copy is an archive,
/// not the inbox. Any other file (one JSON document, a feed) that holds them is deleted: a
/// rewrite of those formats would not be the file that was dropped any more. Every rewrite is
/// atomic (a private temporary file beside it, fsync, rename, then fsync of the folder), 0600.
public struct SpoolErasure {
  /// What happened (or, in a dry run, would happen) to one file.
  public enum Outcome: Sendable, Hashable {
    /// Lines or rows dropped, and lines in which the handle or name were redacted.
    case rewritten(dropped: Int, redacted: Int)
    /// The whole file went: it holds the author and is not line by line, or nothing else was left,
    /// or (purge) it was older than the cutoff.
    case deleted(reason: String)
  }

  public struct FileReport: Sendable, Hashable {
    public var path: String
    public var outcome: Outcome

    /// `processed/a.jsonl: 2 lines dropped, 1 redacted` (sanitised for the terminal).
    public var description: String {
      let name = TerminalSafe.sanitize(path)
      switch outcome {
      case .rewritten(let dropped, let redacted):
        return "\(name): \(dropped) \(dropped == 1 ? "line" : "lines") dropped, \(redacted) redacted"
      case .deleted(let reason): return "\(name): deleted (\(reason))"
      }
    }
  }

  public let spool: SpoolConfig
  /// Only look, change nothing.
  public var dryRun = false

  public init(spool: SpoolConfig, dryRun: Bool = false) {
    self.spool = spool
    self.dryRun = dryRun
  }

  /// The kept copies: every file in `processed/` and `failed/`, by name.
  public func keptFiles() -> [String] {
    let fm = FileManager.default
    var files: [String] = []
    for folder in ["processed", "failed"] {
      let dir = spool.path + "/" + folder
      guard let names = try? fm.contentsOfDirectory(atPath: dir) else { continue }
      for name in names.sorted() where !name.hasPrefix(".") {
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: dir + "/" + name, isDirectory: &isDir), !isDir.boolValue {
          files.append(dir + "/" + name)
        }
      }
    }
    return files
  }

  /// Takes the author out of every kept copy. `platform` narrows whose records are dropped, as
  /// `repute forget --platform` does; a file that cannot be read is left and reported as an error.
  public func forget(_ redactor: Redactor, platform: String? = nil) throws -> [FileReport] {
    let csv = try spool.csvConfig.map(CSVMapping.load) ?? CSVMapping()
    var reports: [FileReport] = []
    for file in keptFiles() {
      guard let data = FileManager.default.contents(atPath: file) else {
        throw InboxError.permissionDenied("\(file): cannot read the spool's copy")
      }
      if let outcome = try forget(file: file, data: data, redactor: redactor, platform: platform, csv: csv) {
        reports.append(FileReport(path: file, outcome: outcome))
      }
    }
    return reports
  }

  /// Deletes the kept copies last changed before `cutoff` (retention: they are older than any
  /// mention purge keeps).
  public func purge(before cutoff: Date) throws -> [FileReport] {
    var reports: [FileReport] = []
    for file in keptFiles() {
      guard
        let changed = (try? FileManager.default.attributesOfItem(atPath: file))?[.modificationDate] as? Date,
        changed < cutoff
      else { continue }
      if !dryRun { try FileManager.default.removeItem(atPath: file) }
      reports.append(FileReport(path: file, outcome: .deleted(reason: "older than the cutoff")))
    }
    return reports
  }

  func isAuthor(_ mention: IncomingMention, _ redactor: Redactor, _ platform: String?) -> Bool {
    if let platform, mention.platform.lowercased() != platform.lowercased() { return false }
    let handle =
      mention.author.handle.hasPrefix("@") ? String(mention.author.handle.dropFirst()) : mention.author.handle
    return redactor.handles.contains { $0.caseInsensitiveCompare(handle) == .orderedSame }
  }

  func forget(file: String, data: Data, redactor: Redactor, platform: String?, csv: CSVMapping) throws
    -> Outcome?
  {
    let bytes = [UInt8](data)
    let name = (file as NSString).lastPathComponent
    let format = MentionFormat.detect(Array(bytes.prefix(64 << 10)), name: name)
    let text = String(decoding: bytes, as: UTF8.self)
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let trailingNewline = lines.last == ""
    if trailingNewline { lines.removeLast() }
    let nonBlank = lines.filter { !$0.allSatisfy(\.isWhitespace) }
    let holds: Bool = {
      if redactor.names(text) { return true }
      let parsed = FormatReader(format: format ?? .jsonl, csv: csv).parse(bytes, name: name)
      return parsed.mentions.contains { isAuthor($0, redactor, platform) }
    }()
    guard holds else { return nil }
    // Line by line: native JSON Lines, platform JSON Lines (a record a line), CSV without a
    // quoted line break (an odd number of quotes on a line means a field runs on).
    let jsonLines =
      format != .csv && format != .rss && nonBlank.count > 1
      && nonBlank.allSatisfy { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) != nil }
    let csvRows =
      format == .csv && nonBlank.count > 1 && lines.allSatisfy { $0.filter { $0 == "\"" }.count % 2 == 0 }
    let nativeOne = format == .jsonl && nonBlank.count == 1
    guard jsonLines || csvRows || nativeOne else {
      if !dryRun { try FileManager.default.removeItem(atPath: file) }
      return .deleted(reason: "holds the author and is not line by line")
    }
    var kept: [String] = []
    var dropped = 0
    var redacted = 0
    for (index, line) in lines.enumerated() {
      if line.allSatisfy(\.isWhitespace) || (csvRows && index == 0) {
        kept.append(line)
        continue
      }
      let record = csvRows ? lines[0] + "\n" + line : line
      let parsed = FormatReader(format: format ?? .jsonl, csv: csv).parse(Array(record.utf8), name: name)
      if parsed.mentions.contains(where: { isAuthor($0, redactor, platform) }) {
        dropped += 1
        continue
      }
      let cleaned: String
      if csvRows {
        cleaned = redactor.redact(line).text
      } else {
        cleaned = redactor.redactRaw(line) ?? line
      }
      // What still names them after the redaction is an embedded post of theirs: the line goes.
      if cleaned != line {
        if redactor.names(cleaned) || embedsTheirs(line, cleaned, redactor) {
          dropped += 1
          continue
        }
        redacted += 1
      }
      kept.append(cleaned)
    }
    let records = kept.enumerated().filter {
      !$0.element.allSatisfy(\.isWhitespace) && !(csvRows && $0.offset == 0)
    }
    if records.isEmpty {
      if !dryRun { try FileManager.default.removeItem(atPath: file) }
      return .deleted(reason: "every record was the author's")
    }
    if !dryRun {
      try Self.replace(file, with: kept.joined(separator: "\n") + (trailingNewline ? "\n" : ""))
    }
    return .rewritten(dropped: dropped, redacted: redacted)
  }

  /// Whether the redaction took a whole embedded post of theirs out of a JSON line (a quote or a
  /// boost of another person's record): that line goes, since it carried their post.
  func embedsTheirs(_ before: String, _ after: String, _ redactor: Redactor) -> Bool {
    guard let object = try? JSONSerialization.jsonObject(with: Data(before.utf8)) else { return false }
    // Redacting strings only (no objects dropped) gives the same record with the strings changed.
    func strings(_ value: Any) -> Int {
      if let o = value as? [String: Any] { return o.values.reduce(1) { $0 + strings($1) } }
      if let a = value as? [Any] { return a.reduce(1) { $0 + strings($1) } }
      return 1
    }
    guard let cleaned = try? JSONSerialization.jsonObject(with: Data(after.utf8)) else { return false }
    return strings(cleaned) < strings(object)
  }

  /// Writes `text` over `file` atomically: a 0600 temporary file beside it, fsync, rename, fsync
  /// of the folder. A crash leaves the old file or the new one, never half of either.
  static func replace(_ file: String, with text: String) throws {
    let folder = (file as NSString).deletingLastPathComponent
    let temporary = folder + "/." + (file as NSString).lastPathComponent + ".forget.tmp"
    unlink(temporary)
    let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    guard fd >= 0 else {
      throw InboxError.permissionDenied("\(temporary): \(String(cString: strerror(errno)))")
    }
    let bytes = Array(text.utf8)
    var written = 0
    while written < bytes.count {
      let n = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
      if n < 0 {
        if errno == EINTR { continue }
        let reason = String(cString: strerror(errno))
        close(fd)
        unlink(temporary)
        throw InboxError.storeUnavailable("\(temporary): \(reason)")
      }
      written += n
    }
    guard fsync(fd) == 0 else {
      let reason = String(cString: strerror(errno))
      close(fd)
      unlink(temporary)
      throw InboxError.storeUnavailable("\(temporary): \(reason)")
    }
    close(fd)
    guard rename(temporary, file) == 0 else {
      let reason = String(cString: strerror(errno))
      unlink(temporary)
      throw InboxError.storeUnavailable("\(file): \(reason)")
    }
    let dir = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if dir >= 0 {
      fsync(dir)
      close(dir)
    }
  }
}

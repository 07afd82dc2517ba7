import Feeds
import Foundation
import Inbox
import Store

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The spool's kept copies (`processed/` and `failed/`) under forget and purge: they hold the
/// posts and handles the store has erased.
///
/// Forget rewrites a JSON Lines or CSV file without the author's records (the line or row goes)
/// and with their handle redacted in other people's lines, and their name only in a line that
/// answers or quotes a post of theirs, as in the store (others' own names stay); a line that
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
      if let outcome = try forget(file: file, redactor: redactor, platform: platform, csv: csv) {
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

  /// Why a file cannot be taken line by line after all (a CSV field with a line break in it).
  struct NotLineByLine: Error {}

  /// One file: line by line when it is JSON Lines (its first line is a whole JSON value) or CSV,
  /// streamed in constant memory with a cheap look for the author's names before any line is
  /// parsed; whole otherwise. Nil when nothing in it is theirs.
  func forget(file: String, redactor: Redactor, platform: String?, csv: CSVMapping) throws -> Outcome? {
    let name = (file as NSString).lastPathComponent
    guard let handle = FileHandle(forReadingAtPath: file) else {
      throw InboxError.permissionDenied("\(file): cannot read the spool's copy")
    }
    let prefix = [UInt8](handle.readData(ofLength: 64 << 10))
    try? handle.close()
    let format = MentionFormat.detect(prefix, name: name)
    let firstLine = String(decoding: prefix.prefix { $0 != 0x0A }, as: UTF8.self)
    let isJSONLines =
      format != nil && format != .csv && format != .rss
      && (try? JSONSerialization.jsonObject(with: Data(firstLine.utf8), options: [.fragmentsAllowed])) != nil
    if format == .csv || isJSONLines {
      do {
        return try forgetLines(
          file: file, name: name, format: format ?? .jsonl, csv: format == .csv, mapping: csv,
          redactor: redactor,
          platform: platform)
      } catch is NotLineByLine {}
    }
    guard let data = FileManager.default.contents(atPath: file) else {
      throw InboxError.permissionDenied("\(file): cannot read the spool's copy")
    }
    let bytes = [UInt8](data)
    let holds =
      redactor.holds(String(decoding: bytes, as: UTF8.self))
      || FormatReader(format: format ?? .auto, csv: csv).parse(bytes, name: name).mentions.contains {
        isAuthor($0, redactor, platform)
      }
    guard holds else { return nil }
    if !dryRun { try FileManager.default.removeItem(atPath: file) }
    return .deleted(reason: "holds the author and is not line by line")
  }

  func forgetLines(
    file: String, name: String, format: MentionFormat, csv: Bool, mapping: CSVMapping, redactor: Redactor,
    platform: String?
  ) throws -> Outcome? {
    let needles = redactor.needles
    let reader = FormatReader(format: format, csv: mapping)
    let fd = open(file, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw InboxError.permissionDenied("\(file): \(String(cString: strerror(errno)))") }
    var lines = LineReader(fd: fd, ownsDescriptor: true, maximumLineLength: 64 << 20)
    let writer = dryRun ? nil : try AtomicFile(replacing: file)
    defer { writer?.abandon() }
    var header: String?
    var dropped = 0
    var redacted = 0
    var records = 0
    try lines.forEachLine { line in
      guard case .bytes(_, let bytes) = line else { throw NotLineByLine() }
      let text = String(decoding: bytes, as: UTF8.self)
      func keep(_ s: String) throws { try writer?.append(s + "\n") }
      if text.allSatisfy(\.isWhitespace) { return try keep(text) }
      if csv && text.filter({ $0 == "\"" }).count % 2 != 0 { throw NotLineByLine() }
      if csv && header == nil {
        header = text
        return try keep(text)
      }
      // Most lines name nobody: kept as they are, unparsed.
      let lower = text.lowercased()
      guard needles.contains(where: { lower.contains($0) }) else {
        records += 1
        return try keep(text)
      }
      let record = csv ? (header ?? "") + "\n" + text : text
      let parsed = reader.parse(Array(record.utf8), name: name).mentions
      if parsed.contains(where: { isAuthor($0, redactor, platform) }) {
        dropped += 1
        return
      }
      // Their name counts only in a record that answers or quotes a post of theirs; the record's
      // own author keeps their name and handle.
      let names = parsed.contains {
        redactor.answers(platform: $0.platform, inReplyTo: $0.inReplyTo, thread: $0.thread)
          || redactor.quotes($0.raw, platform: $0.platform)
      }
      let own = parsed.flatMap { [$0.author.handle, $0.author.name].compactMap { $0 } }
      let cleaned = redactor.redactRaw(text, names: names, own: own) ?? text
      if cleaned != text {
        // What still names them after the redaction is an embedded post of theirs: the line goes.
        if redactor.names(cleaned, names: false) || embedsTheirs(text, cleaned, redactor) {
          dropped += 1
          return
        }
        redacted += 1
      }
      records += 1
      try keep(cleaned)
    }
    guard dropped + redacted > 0 else { return nil }
    if records == 0 {
      if !dryRun { try FileManager.default.removeItem(atPath: file) }
      return .deleted(reason: "every record was the author's")
    }
    try writer?.commit()
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

}

/// A file written beside the one it replaces and renamed over it when complete: a 0600 temporary
/// file, fsync, rename, fsync of the folder. A crash leaves the old file or the new one, never
/// half of either; an abandoned one leaves the old file.
final class AtomicFile {
  let target: String
  let temporary: String
  private var fd: Int32
  private var buffer: [UInt8] = []

  init(replacing target: String) throws {
    self.target = target
    temporary =
      (target as NSString).deletingLastPathComponent + "/." + (target as NSString).lastPathComponent
      + ".forget.tmp"
    unlink(temporary)
    fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    guard fd >= 0 else {
      throw InboxError.permissionDenied("\(temporary): \(String(cString: strerror(errno)))")
    }
  }

  func append(_ text: String) throws {
    buffer.append(contentsOf: text.utf8)
    if buffer.count >= 1 << 20 { try flush() }
  }

  private func flush() throws {
    var written = 0
    while written < buffer.count {
      let n = buffer[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
      if n < 0 {
        if errno == EINTR { continue }
        throw InboxError.storeUnavailable("\(temporary): \(String(cString: strerror(errno)))")
      }
      written += n
    }
    buffer.removeAll(keepingCapacity: true)
  }

  /// Puts the new file in place of the old.
  func commit() throws {
    try flush()
    guard fsync(fd) == 0 else {
      throw InboxError.storeUnavailable("\(temporary): \(String(cString: strerror(errno)))")
    }
    close(fd)
    fd = -1
    // The copy keeps the age it had: `purge --older-than` goes by it, and an erasure is no new file.
    let old = StoreFiles.times(target)
    guard rename(temporary, target) == 0 else {
      let reason = String(cString: strerror(errno))
      unlink(temporary)
      throw InboxError.storeUnavailable("\(target): \(reason)")
    }
    StoreFiles.restore(old, to: target)
    let dir = open((target as NSString).deletingLastPathComponent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if dir >= 0 {
      fsync(dir)
      close(dir)
    }
  }

  /// Leaves the old file as it was (after a commit, nothing is left to do).
  func abandon() {
    if fd >= 0 {
      close(fd)
      fd = -1
      unlink(temporary)
    }
  }
}

import Desk
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Drafts kept on this machine while the store cannot take them (issue 19): the server restarted
/// or the link is down, and the person goes on typing. Each save the store refuses for want of a
/// connection writes the draft here instead (a file per store, person and mention, mode 0600 in a
/// folder of mode 0700); the inbox writes it to the store as soon as the store is back and removes
/// the file. An inbox that ended meanwhile (a crash, a closed terminal) finds the file when the
/// editor opens on that mention again, and takes it over the store's older draft.
public struct LocalDrafts: Sendable {
  /// The folder the files are in (`~/.cache/repute/drafts` by default).
  public let folder: URL
  /// The store the drafts are for, as a name (its address without a password).
  public let store: String

  public init(folder: URL, store: String) {
    self.folder = folder
    self.store = store
  }

  /// `$XDG_CACHE_HOME/repute/drafts`, else `~/.cache/repute/drafts`.
  public static func defaultFolder(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL
  {
    if let cache = environment["XDG_CACHE_HOME"], cache.hasPrefix("/") {
      return URL(fileURLWithPath: cache).appendingPathComponent("repute/drafts")
    }
    let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
    return URL(fileURLWithPath: home).appendingPathComponent(".cache/repute/drafts")
  }

  /// The file of `actor`'s draft on a mention: named by a stable hash of the store and the person
  /// (no address or name in a file name), and the mention's id.
  public func file(mentionID: Int64, actor: String) -> URL {
    folder.appendingPathComponent("\(Self.fnv1a(store + "\n" + actor))-\(mentionID).draft")
  }

  /// Writes the draft (its mode on the first line, then the text): a file of its own first, then
  /// renamed over the old one, so a crash leaves the old draft or the new one.
  public func save(mentionID: Int64, actor: String, mode: ReplyMode, text: String) throws {
    try FileManager.default.createDirectory(
      at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    let target = file(mentionID: mentionID, actor: actor)
    let temporary = target.path + ".new"
    let data = Data(((mode == .holding ? "holding" : "reply") + "\n" + text).utf8)
    let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    guard fd >= 0 else { throw LocalDraftError(path: temporary, errno: errno) }
    let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    let synced = fsync(fd)
    close(fd)
    guard written == data.count, synced == 0, rename(temporary, target.path) == 0 else {
      let code = errno
      unlink(temporary)
      throw LocalDraftError(path: target.path, errno: code)
    }
  }

  /// The draft kept here for the mention, if any.
  public func load(mentionID: Int64, actor: String) -> (mode: ReplyMode, text: String)? {
    guard let data = FileManager.default.contents(atPath: file(mentionID: mentionID, actor: actor).path)
    else { return nil }
    let content = String(decoding: data, as: UTF8.self)
    guard let newline = content.firstIndex(of: "\n") else { return nil }
    let mode: ReplyMode = content[..<newline] == "holding" ? .holding : .reply
    return (mode, String(content[content.index(after: newline)...]))
  }

  /// Forgets the draft kept here (it is in the store now, or sent).
  public func remove(mentionID: Int64, actor: String) {
    unlink(file(mentionID: mentionID, actor: actor).path)
  }

  /// FNV-1a, 64 bits, in hex: the same on every run (Swift's `Hasher` is seeded per process).
  static func fnv1a(_ text: String) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 {
      hash ^= UInt64(byte)
      hash = hash &* 0x100_0000_01b3
    }
    return String(hash, radix: 16)
  }
}

/// A draft that could not be written to this machine either.
public struct LocalDraftError: Error, CustomStringConvertible {
  public let path: String
  public let errno: Int32

  public var description: String { "cannot keep the draft in \(path): \(String(cString: strerror(errno)))" }
}

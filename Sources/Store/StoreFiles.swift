import Foundation
import GRDB
import Inbox

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Creates store files with the right owner and mode: private (0600 in a 0700 folder) by default,
/// or shared with one Unix group (0660 in a setgid 0770 folder) for a team on one host.
public enum StoreFiles {
  /// Creates a new private store file (0600), and its folder (0700) when missing.
  static func createPrivate(path: String) throws {
    try makeFolder(for: path, mode: 0o700, group: nil)
    try createStoreFile(path, mode: 0o600, group: nil)
  }

  /// The file a store path stands for: symbolic links followed to the last one's target, which
  /// need not exist yet. Modes are set on that file, not on a link (whose own mode means nothing).
  public static func resolve(_ path: String) -> String {
    var current = path
    for _ in 0..<40 {
      var info = stat()
      guard lstat(current, &info) == 0, info.st_mode & S_IFMT == S_IFLNK else { return current }
      var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
      let n = readlink(current, &buffer, buffer.count - 1)
      guard n > 0 else { return current }
      let target = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
      current =
        target.hasPrefix("/")
        ? target
        : URL(fileURLWithPath: current).deletingLastPathComponent().appendingPathComponent(target).path
    }
    return current
  }

  /// A new store file with `mode` (and `group`), made whole before it appears at `path`: an
  /// SQLite file with its page size and WAL set is written under a temporary name and linked into
  /// place. So `path` is never an empty file another process could take for a store, and a
  /// second process creating the same store at the same moment finds it complete.
  private static func createStoreFile(_ path: String, mode: mode_t, group: gid_t?) throws {
    let temporary = path + ".new-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    try createFile(temporary, mode: mode, group: group)
    defer {
      for suffix in ["", "-wal", "-shm", "-journal"] { unlink(temporary + suffix) }
    }
    do {
      let queue = try DatabaseQueue(path: temporary)
      try queue.writeWithoutTransaction { db in
        // A new store's pages are 16 KiB (see `SQLiteStore.init`); only a new file takes it.
        try db.execute(sql: "PRAGMA page_size = 16384")
        _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
      }
      try queue.close()
    } catch {
      throw InboxError.permissionDenied("cannot create \(path): \(error)")
    }
    if link(temporary, path) != 0 && errno != EEXIST {
      throw InboxError.permissionDenied("cannot create \(path): \(String(cString: strerror(errno)))")
    }
  }

  /// Gives an empty file that `init` was asked to make a store of the store's mode and group.
  static func adoptEmpty(path: String, mode: mode_t, group: gid_t?) throws {
    // Never closed (`KeptDescriptors`): this process may already have the file open in SQLite.
    guard let fd = KeptDescriptors.descriptor(for: path) else {
      throw InboxError.permissionDenied("cannot open \(path): \(String(cString: strerror(errno)))")
    }
    if let group { try check(fchown(fd, uid_t.max, group), "cannot give \(path) to the group") }
    try check(fchmod(fd, mode), "cannot set the mode of \(path)")
  }

  /// The store file and the two SQLite keeps beside it in WAL mode.
  static func companions(of file: String) -> [String] { [file, file + "-wal", file + "-shm"] }

  /// The mode the store's files should have: 0660 when shared with a group, else 0600.
  static func intendedMode(_ file: String) -> mode_t { isShared(path: file) ? 0o660 : 0o600 }

  /// Refuses a store whose file, WAL or shared-memory file others (neither the owner nor the
  /// group) may read or write; `shown` is the path the person gave.
  static func checkPrivate(_ file: String, shown: String) throws {
    for (i, path) in companions(of: file).enumerated() {
      var info = stat()
      guard stat(path, &info) == 0 else { continue }
      let others = info.st_mode & 0o007
      guard others != 0 else { continue }
      let what = others & 0o004 != 0 ? "can be read by others" : "can be written by others"
      let mode = octal(info.st_mode & 0o7777)
      let which = i == 0 ? "mode \(mode)" : "its \(["", "-wal", "-shm"][i]) file has mode \(mode)"
      throw InboxError.permissionDenied(
        "the store \(shown) \(what) (\(which)): run repute init --repair-modes --store \(shown) to make it "
          + (isShared(path: file) ? "private to its group" : "private"))
    }
  }

  /// Sets the store's file, WAL and shared-memory file to the store's mode (0600, or 0660 for a
  /// group's store); returns `FILE: OLD -> NEW` for each file changed.
  public static func repairModes(_ path: String) throws -> [String] {
    let file = resolve(path)
    let mode = intendedMode(file)
    var changed: [String] = []
    for companion in companions(of: file) {
      var info = stat()
      guard stat(companion, &info) == 0 else { continue }
      let old = info.st_mode & 0o7777
      guard old != mode else { continue }
      try check(chmod(companion, mode), "cannot set the mode of \(companion)")
      changed.append("\(companion): \(octal(old)) -> \(octal(mode))")
    }
    return changed
  }

  /// Gives the WAL and shared-memory files SQLite made the store file's mode, when this process
  /// owns them (SQLite copies the mode, but a umask or a copy by hand may have changed it).
  static func alignCompanions(_ file: String) {
    var main = stat()
    guard stat(file, &main) == 0 else { return }
    let mode = main.st_mode & 0o777
    for companion in companions(of: file).dropFirst() {
      var info = stat()
      guard stat(companion, &info) == 0, info.st_uid == geteuid(), info.st_mode & 0o777 != mode else {
        continue
      }
      chmod(companion, mode)
    }
  }

  /// True when this process may write the store: the file, and the WAL and shared-memory files
  /// when they exist, or else the folder they are made in.
  static func canWrite(_ file: String) -> Bool {
    guard access(file, W_OK) == 0 else { return false }
    for companion in companions(of: file).dropFirst() where access(companion, F_OK) == 0 {
      if access(companion, W_OK) != 0 { return false }
    }
    if access(file + "-wal", F_OK) != 0 || access(file + "-shm", F_OK) != 0 {
      let folder = URL(fileURLWithPath: file).deletingLastPathComponent().path
      return access(folder, W_OK) == 0
    }
    return true
  }

  /// True when the store at `path` exists and may be read but not written by this process.
  public static func isReadOnly(_ path: String) -> Bool {
    let file = resolve(path)
    return access(file, R_OK) == 0 && !canWrite(file)
  }

  static func octal(_ mode: mode_t) -> String {
    let digits = String(mode, radix: 8)
    return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
  }

  /// The file's access and modification times, to put back after a rewrite (retention by age
  /// must not see an erasure as a new file).
  public static func times(_ path: String) -> [timespec]? {
    var st = stat()
    guard stat(path, &st) == 0 else { return nil }
    return [st.st_atim, st.st_mtim]
  }

  /// Puts back times taken with `times`.
  public static func restore(_ times: [timespec]?, to path: String) {
    guard let times else { return }
    _ = times.withUnsafeBufferPointer { utimensat(AT_FDCWD, path, $0.baseAddress, 0) }
  }

  /// Replaces a file's contents through a temporary file and a rename, private (0600), with its
  /// old times kept.
  static func rewriteKeepingTimes(_ path: String, contents: Data) {
    let old = times(path)
    let temporary = path + ".rewrite"
    guard
      FileManager.default.createFile(
        atPath: temporary, contents: contents, attributes: [.posixPermissions: 0o600])
    else { return }
    chmod(temporary, 0o600)
    if rename(temporary, path) != 0 {
      unlink(temporary)
      return
    }
    restore(old, to: path)
  }

  /// Creates an empty store file shared with `group`, in a setgid folder for that group.
  public static func createShared(path: String, group: String) throws {
    guard let entry = getgrnam(group) else {
      throw InboxError.invalidArgument("no such group: \(group)")
    }
    let gid = entry.pointee.gr_gid
    let file = resolve(path)
    var info = stat()
    let exists = stat(file, &info) == 0
    if exists && info.st_size != 0 {
      throw InboxError.invalidArgument("a store already exists at \(path)")
    }
    try makeFolder(for: file, mode: 0o2770, group: gid)
    if exists {
      try adoptEmpty(path: file, mode: 0o660, group: gid)
    } else {
      try createStoreFile(file, mode: 0o660, group: gid)
    }
  }

  private static func makeFolder(for path: String, mode: mode_t, group: gid_t?) throws {
    // Not NSString's deletingLastPathComponent: on Linux it traps on a relative path's last
    // folder ("s" of "s/r.sqlite"). A URL resolves a relative path against the working folder.
    let url = URL(fileURLWithPath: path).standardizedFileURL
    guard url.path != "/" else { return }
    let folder = url.deletingLastPathComponent().path
    guard !folder.isEmpty, folder != path else { return }
    var isDir: ObjCBool = false
    if FileManager.default.fileExists(atPath: folder, isDirectory: &isDir) {
      guard isDir.boolValue else { throw InboxError.invalidArgument("\(folder) is not a folder") }
      if let group {
        // A team store's folder must let the group in and keep new files in the group.
        try check(chown(folder, uid_t.max, group), "cannot give \(folder) to the group")
        try check(chmod(folder, mode), "cannot set the mode of \(folder)")
      }
      return
    }
    // Parents that do not exist yet are created private too.
    try makeFolder(for: folder, mode: 0o700, group: nil)
    if mkdir(folder, 0o700) != 0 && errno != EEXIST {
      throw InboxError.permissionDenied("cannot create \(folder): \(String(cString: strerror(errno)))")
    }
    if let group {
      try check(chown(folder, uid_t.max, group), "cannot give \(folder) to the group")
    }
    // chmod, not mkdir's mode: the umask must not widen or narrow what we ask for.
    try check(chmod(folder, mode), "cannot set the mode of \(folder)")
  }

  private static func createFile(_ path: String, mode: mode_t, group: gid_t?) throws {
    let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
    if fd < 0 {
      if errno == EEXIST { return }
      throw InboxError.permissionDenied("cannot create \(path): \(String(cString: strerror(errno)))")
    }
    defer { close(fd) }
    if let group { try check(fchown(fd, uid_t.max, group), "cannot give \(path) to the group") }
    try check(fchmod(fd, mode), "cannot set the mode of \(path)")
  }

  private static func check(_ result: Int32, _ what: String) throws {
    if result != 0 {
      throw InboxError.permissionDenied("\(what): \(String(cString: strerror(errno)))")
    }
  }

  /// The user owning the store file (who ran `init`), or nil when it cannot be seen.
  public static func owner(path: String) -> uid_t? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    return info.st_uid
  }

  /// True when the store file is shared with a group (group-writable).
  public static func isShared(path: String) -> Bool {
    var info = stat()
    guard stat(path, &info) == 0 else { return false }
    return info.st_mode & 0o020 != 0
  }
}

import Foundation
import Inbox

#if canImport(Glibc)
  import Glibc
#endif

/// Creates store files with the right owner and mode: private (0600 in a 0700 folder) by default,
/// or shared with one Unix group (0660 in a setgid 0770 folder) for a team on one host.
public enum StoreFiles {
  /// Creates an empty private store file, and its folder when missing.
  static func createPrivate(path: String) throws {
    try makeFolder(for: path, mode: 0o700, group: nil)
    try createFile(path, mode: 0o600, group: nil)
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
    if FileManager.default.fileExists(atPath: path) {
      throw InboxError.invalidArgument("a store already exists at \(path)")
    }
    try makeFolder(for: path, mode: 0o2770, group: gid)
    try createFile(path, mode: 0o660, group: gid)
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

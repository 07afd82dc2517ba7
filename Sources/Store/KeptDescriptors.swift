import Foundation
import Inbox

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// File descriptors on store files that this process opens itself and never closes.
///
/// POSIX record locks belong to a process and a file, not to a descriptor: closing *any*
/// descriptor on a file drops every lock the process holds on it, SQLite's included ("How To
/// Corrupt An SQLite Database File", 2.2). A WAL connection keeps a shared lock on the store file
/// for as long as it is open; that lock is what tells another process it is not the last one, so it
/// must not checkpoint, delete or rebuild the WAL and shared-memory files under us. The inbox opens
/// several stores on one file (the queue, the search indexer, the counts), and each reads the
/// file's header first: with an open-read-close, the second one silently dropped the first one's
/// lock, and the next `sqlite3` or `repute` that closed the store deleted the -shm file the inbox
/// still had mapped; that inbox then never saw another change.
///
/// So the header is read through a descriptor kept for the life of the process, one per file
/// (device and inode), shared by every store opened on it. It is process-wide on purpose: the locks
/// it protects are process-wide.
enum KeptDescriptors {
  private struct FileID: Hashable {
    let device: UInt64
    let inode: UInt64
  }

  private static let descriptors = Locked<[FileID: Int32]>([:])

  /// A read-only descriptor on `path`, opened once per file and never closed; nil when the file
  /// cannot be opened (the caller's own checks report why).
  static func descriptor(for path: String) -> Int32? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    let id = FileID(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    return descriptors.withLock { kept -> Int32? in
      if let fd = kept[id] { return fd }
      let fd = Foundation.open(path, O_RDONLY | O_CLOEXEC)
      guard fd >= 0 else { return nil }
      var opened = stat()
      // The path may have been replaced between the stat and the open: key by what was opened.
      guard fstat(fd, &opened) == 0 else { return fd }
      kept[FileID(device: UInt64(opened.st_dev), inode: UInt64(opened.st_ino))] = fd
      return fd
    }
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A descriptor that becomes readable when someone writes the store's WAL, so a process that
/// follows the store (the inbox) can wake on a commit instead of finding it at its next timer
/// (issue 17: a new mention on screen within a second). Every commit appends to the WAL, so a
/// write there is what precedes any change another connection can see. It only says "look
/// again": `changeToken()` still tells whether something was committed, and a timer stays the
/// fallback (a store replaced under the inbox, a commit whose last write came just before the
/// look). Linux only (inotify); elsewhere `SQLiteStore.changeSignal()` is nil.
public final class StoreChangeSignal {
  /// Readable after a write to the WAL; `drain()` before waiting on it again.
  public let descriptor: Int32

  init?(walPath: String) {
    #if os(Linux)
      let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
      guard fd >= 0 else { return nil }
      guard inotify_add_watch(fd, walPath, UInt32(IN_MODIFY)) >= 0 else {
        close(fd)
        return nil
      }
      descriptor = fd
    #else
      return nil
    #endif
  }

  /// Reads away what is waiting (the descriptor does not block), so the next wait sleeps.
  public func drain() {
    var buffer = [UInt8](repeating: 0, count: 4096)
    while buffer.withUnsafeMutableBytes({ read(descriptor, $0.baseAddress, $0.count) }) > 0 {}
  }

  deinit { close(descriptor) }
}

extension SQLiteStore {
  /// A descriptor to wait on for other processes' commits (see `StoreChangeSignal`); nil where
  /// the system offers none or the WAL cannot be watched.
  public func changeSignal() -> StoreChangeSignal? {
    StoreChangeSignal(walPath: StoreFiles.resolve(path) + "-wal")
  }
}

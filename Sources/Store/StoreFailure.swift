import Foundation
import GRDB

/// One clear sentence for a database error, naming the store, for the command line.
///
/// SQLite fails long after the store was opened too: `SQLITE_BUSY` when another process held the
/// write lock past the busy timeout, `SQLITE_CORRUPT` when a page is damaged, `SQLITE_FULL` when
/// the disk is. GRDB's `DatabaseError` says which, but not which file, and its description
/// carries the statement and its arguments (a mention's text); so the store remembers the file
/// this process opened last, and the sentence carries SQLite's own message only.
public enum StoreFailure {
  private static let lock = NSLock()
  nonisolated(unsafe) private static var lastPath: String?

  /// Called when a store is opened: the file later errors are about.
  static func opened(_ path: String) {
    lock.withLock { lastPath = path }
  }

  /// The sentence for `error` when it is SQLite's, nil for any other error; about the store at
  /// `path`, or else the one this process opened last.
  public static func describe(_ error: any Error, store path: String? = nil) -> String? {
    guard let error = error as? DatabaseError else { return nil }
    let store = (path ?? lock.withLock { lastPath }).map { "the store \($0)" } ?? "the store"
    let sqlite = "SQLite: \(error.message ?? "error \(error.resultCode.rawValue)")"
    switch error.resultCode {
    case .SQLITE_BUSY, .SQLITE_LOCKED:
      return "\(store) is busy: another process kept it locked past the 10 s wait (\(sqlite)); try again"
    case .SQLITE_CORRUPT:
      return "\(store) is damaged (\(sqlite)); restore it from a backup"
    case .SQLITE_NOTADB:
      return "\(store) is not a Repute store (\(sqlite))"
    case .SQLITE_FULL:
      return "\(store) cannot grow: the disk is full (\(sqlite))"
    case .SQLITE_READONLY:
      let file = (path ?? lock.withLock { lastPath }) ?? "the store"
      return "read-only access to \(file): \(sqlite); ask the store's owner for write access, or read it only"
    case .SQLITE_PERM, .SQLITE_CANTOPEN, .SQLITE_AUTH:
      return "cannot write \(store) (\(sqlite)); check its folder and file permissions"
    case .SQLITE_IOERR:
      return "\(store) could not be read or written (\(sqlite))"
    default:
      return "\(store) failed (\(sqlite))"
    }
  }
}

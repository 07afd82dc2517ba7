import Foundation
import GRDB

/// A database error from a store, with the store file it is about: every read and write of a
/// `SQLiteStore` throws SQLite's errors as this (`StorePool`), so the sentence for the command line
/// can name the file without anyone remembering which store was opened last.
public struct StoreDatabaseError: Error, CustomStringConvertible {
  /// The store file.
  public let path: String
  /// SQLite's error, as GRDB reports it.
  public let error: DatabaseError

  public init(path: String, error: DatabaseError) {
    self.path = path
    self.error = error
  }

  /// GRDB's own description, as when the error was not wrapped.
  public var description: String { error.description }
}

/// The store's connection pool, with the store's path: what passes through it throws SQLite's
/// errors as `StoreDatabaseError`. The store reads and writes only through it.
struct StorePool: Sendable {
  let base: DatabasePool
  let path: String

  init(_ base: DatabasePool, path: String) {
    self.base = base
    self.path = path
  }

  func read<T>(_ value: (Database) throws -> T) throws -> T {
    try located { try base.read(value) }
  }

  func write<T>(_ updates: (Database) throws -> T) throws -> T {
    try located { try base.write(updates) }
  }

  func writeWithoutTransaction<T>(_ updates: (Database) throws -> T) throws -> T {
    try located { try base.writeWithoutTransaction(updates) }
  }

  /// Runs `body`, giving a database error the store's path.
  func located<T>(_ body: () throws -> T) throws -> T {
    do {
      return try body()
    } catch let error as DatabaseError {
      throw StoreDatabaseError(path: path, error: error)
    }
  }
}

/// One clear sentence for a database error, naming the store, for the command line.
///
/// SQLite fails long after the store was opened too: `SQLITE_BUSY` when another process held the
/// write lock past the busy timeout, `SQLITE_CORRUPT` when a page is damaged, `SQLITE_FULL` when
/// the disk is. GRDB's `DatabaseError` says which, but not which file, and its description
/// carries the statement and its arguments (a mention's text); so the store's errors carry its
/// path (`StoreDatabaseError`), and the sentence carries SQLite's own message only.
public enum StoreFailure {
  /// The sentence for `error` when it is SQLite's, nil for any other error; about the store at
  /// `path`, or else the store the error came from.
  public static func describe(_ error: any Error, store path: String? = nil) -> String? {
    let located = error as? StoreDatabaseError
    guard let error = located?.error ?? (error as? DatabaseError) else { return nil }
    let file = path ?? located?.path
    let store = file.map { "the store \($0)" } ?? "the store"
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
      return
        "read-only access to \(file ?? "the store"): \(sqlite); ask the store's owner for write access, or read it only"
    case .SQLITE_PERM, .SQLITE_CANTOPEN, .SQLITE_AUTH:
      return "cannot write \(store) (\(sqlite)); check its folder and file permissions"
    case .SQLITE_IOERR:
      return "\(store) could not be read or written (\(sqlite))"
    default:
      return "\(store) failed (\(sqlite))"
    }
  }
}

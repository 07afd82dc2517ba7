import GRDB
import GRDBSQLite

/// A prepared statement driven through SQLite's C API, for the ingest hot path only.
///
/// GRDB's `Statement` boxes every argument in an existential and copies statements with more than
/// twenty arguments; for a million-row ingest that cost more than SQLite itself. Everything else
/// in the store goes through GRDB.
final class RawStatement {
  private let handle: OpaquePointer
  private let connection: OpaquePointer
  private let sql: String

  init(_ db: Database, _ sql: String) throws {
    guard let connection = db.sqliteConnection else {
      throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "the connection is closed")
    }
    var statement: OpaquePointer?
    let code = sqlite3_prepare_v3(connection, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
    guard code == SQLITE_OK, let statement else {
      throw DatabaseError(
        resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(connection)), sql: sql
      )
    }
    self.handle = statement
    self.connection = connection
    self.sql = sql
  }

  deinit { sqlite3_finalize(handle) }

  private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

  func bind(_ index: Int32, _ value: String?) {
    guard let value else {
      sqlite3_bind_null(handle, index)
      return
    }
    var copy = value
    copy.withUTF8 { utf8 in
      _ = sqlite3_bind_text(
        handle, index, UnsafeRawPointer(utf8.baseAddress!).assumingMemoryBound(to: CChar.self),
        Int32(utf8.count), Self.transient)
    }
  }

  func bind(_ index: Int32, _ value: Int64?) {
    if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
  }

  func bind(_ index: Int32, _ value: Double?) {
    if let value { sqlite3_bind_double(handle, index, value) } else { sqlite3_bind_null(handle, index) }
  }

  /// Runs the statement to its end; returns true when it produced a row (then read it with `column…`).
  @discardableResult
  func step() throws -> Bool {
    let code = sqlite3_step(handle)
    if code == SQLITE_ROW { return true }
    if code == SQLITE_DONE { return false }
    throw DatabaseError(
      resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(connection)), sql: sql)
  }

  /// The texts of one run, copied into one buffer kept from run to run, so that SQLite binds them
  /// in place (`SQLITE_STATIC`) rather than allocating and copying each of the dozen texts of a
  /// stored mention (`bind(_:_:)` for a String uses `SQLITE_TRANSIENT`).
  struct Texts {
    fileprivate var bytes: [UInt8] = []
    fileprivate var slots: [(index: Int32, start: Int, count: Int)] = []

    /// Empties the buffer, keeping its capacity.
    mutating func removeAll() {
      bytes.removeAll(keepingCapacity: true)
      slots.removeAll(keepingCapacity: true)
    }

    /// The text for parameter `index`; nil leaves it NULL.
    mutating func add(_ index: Int32, _ value: String?) {
      guard var value else { return }
      let start = bytes.count
      value.withUTF8 { bytes.append(contentsOf: $0) }
      slots.append((index, start, bytes.count - start))
    }
  }

  /// Runs a statement that returns no rows, with `texts` bound besides what `bind` set, and readies
  /// it for its next run. SQLite reads the texts in place, so it is done with them (reset, its
  /// parameters cleared) before this returns.
  func run(binding texts: Texts) throws {
    try texts.bytes.withUnsafeBufferPointer { buffer in
      defer { reset() }
      for slot in texts.slots {
        if slot.count == 0 {
          // An empty text, not NULL (a nil pointer would bind NULL).
          sqlite3_bind_text(handle, slot.index, "", 0, Self.transient)
        } else {
          let start = UnsafeRawPointer(buffer.baseAddress! + slot.start).assumingMemoryBound(to: CChar.self)
          sqlite3_bind_text(handle, slot.index, start, Int32(slot.count), nil)
        }
      }
      try step()
    }
  }

  /// Readies the statement for its next use.
  func reset() {
    sqlite3_reset(handle)
    sqlite3_clear_bindings(handle)
  }

  func int64(_ column: Int32) -> Int64? {
    sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : sqlite3_column_int64(handle, column)
  }

  func text(_ column: Int32) -> String? {
    guard let pointer = sqlite3_column_text(handle, column) else { return nil }
    let count = Int(sqlite3_column_bytes(handle, column))
    return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
  }

  /// Rows changed by the last INSERT, UPDATE or DELETE on this connection.
  var changes: Int32 { sqlite3_changes(connection) }
  var lastInsertedRowID: Int64 { sqlite3_last_insert_rowid(connection) }
}

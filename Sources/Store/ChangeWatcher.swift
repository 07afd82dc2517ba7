import GRDB
import GRDBSQLite
import Inbox

/// Notices commits made by other processes, cheaply: `PRAGMA data_version` on one dedicated
/// connection changes whenever another connection commits. GRDB's observation only sees changes
/// made through the same pool, so the inbox's live updates rely on this instead.
///
/// The connection is SQLite's own, not GRDB's: GRDB checks each connection it opens by reading
/// the schema, and parsing the schema was a third of what opening the store cost every short
/// command (issue 17), though this connection only ever asks for the data version, which needs
/// no schema. It reads once as it opens, so it holds the store's WAL open like any reader: the
/// last connection to close is then this read-only one, and a command's exit does not copy the
/// WAL into the store file (see `SQLiteStore.checkpointInBackground`).
final class ChangeWatcher: Sendable {
  /// The connection and its one statement, prepared once (nil when the store could not be opened).
  private let watch: Locked<(connection: OpaquePointer, statement: OpaquePointer)?>
  private let path: String

  init(path: String) {
    self.path = path
    var connection: OpaquePointer?
    var statement: OpaquePointer?
    if sqlite3_open_v2(path, &connection, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK,
      let connection, sqlite3_prepare_v2(connection, "PRAGMA data_version", -1, &statement, nil) == SQLITE_OK,
      let statement
    {
      sqlite3_busy_timeout(connection, 1_000)
      watch = Locked((connection, statement))
    } else {
      sqlite3_finalize(statement)
      sqlite3_close_v2(connection)
      watch = Locked(nil)
    }
    _ = try? token()
  }

  deinit {
    watch.withLock { watch in
      guard let watch else { return }
      sqlite3_finalize(watch.statement)
      sqlite3_close_v2(watch.connection)
    }
  }

  /// The current data version; it differs from the last value read when someone else committed.
  func token() throws -> Int64 {
    try watch.withLock { watch -> Int64 in
      guard let watch else { return 0 }
      defer { sqlite3_reset(watch.statement) }
      let code = sqlite3_step(watch.statement)
      if code == SQLITE_ROW { return sqlite3_column_int64(watch.statement, 0) }
      throw StoreDatabaseError(
        path: path,
        error: DatabaseError(
          resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(watch.connection)),
          sql: "PRAGMA data_version"))
    }
  }
}

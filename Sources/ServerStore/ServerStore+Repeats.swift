import Inbox
import PostgresNIO

// Repeated posts folded at ingest (issue 16): what a first post's repeats are, as on SQLite
// (`SQLiteStore+Repeats`).
extension ServerStore {
  /// The ids of the mentions folded into `head`, oldest first.
  public func repeats(of head: Int64) throws -> [Int64] {
    try read { session in
      try await session.values(
        "SELECT id FROM mentions WHERE repeat_of = $1 ORDER BY id", binds: .of(head), as: Int64.self)
    }
  }
}

import Foundation
import Inbox
import TestServerSupport

@testable import ServerStore

extension E2EStore {
  /// The tables of a server store with a row whose text form (every column) holds one of
  /// `needles`, as "TABLE: N rows": what a file's bytes tell of an erasure, asked of the server.
  func rowsHolding(_ needles: [String]) throws -> [String] {
    guard let database, let url = E2EStores.serverURL else { return [] }
    let found = Locked([String]())
    try TestPostgres.superuser(TestPostgres.url(url, database: database)) { session in
      let tables = try await session.values(
        "SELECT tablename::text FROM pg_tables WHERE schemaname = 'repute' ORDER BY tablename",
        as: String.self)
      for table in tables {
        for needle in needles {
          // The table's name from the catalog, quoted as an identifier; the needle a bind.
          let quoted = "\"" + table.replacingOccurrences(of: "\"", with: "\"\"") + "\""
          let count =
            try await session.values(
              "SELECT count(*) FROM repute.\(quoted) t WHERE strpos(t::text, $1) > 0", binds: .of(needle),
              as: Int64.self
            ).first ?? 0
          if count > 0 { found.withLock { $0.append("\(table): \(count) rows with \(needle)") } }
        }
      }
    }
    return found.current
  }
}

import Foundation
import GRDB
import Inbox
import Policy
import Testing

@testable import ServerStore
@testable import Store

/// A post on Mastodon for the erasure tests, written `minutesAgo` before the suite's moment.
func erasurePost(
  _ id: String, _ text: String, handle: String, name: String? = nil, raw: String? = nil,
  minutesAgo: Double = 10, replyTo: String? = nil, lang: String = "nl"
) -> IncomingMention {
  IncomingMention(
    platform: "mastodon", externalID: id, author: Author(handle: handle, name: name, followers: 80),
    createdAt: TestStores.now.addingTimeInterval(-minutesAgo * 60), text: text, lang: lang,
    inReplyTo: replyTo, raw: raw ?? #"{"id":"\#(id)","text":"\#(text)"}"#)
}

/// The needles still held anywhere in the store after `compact()`: on SQLite, in the bytes of the
/// file, its WAL and shared memory; on PostgreSQL, in any column of any table of the store's
/// schema, read as text (the search document's lexemes included), case-insensitive.
func erasureLeftovers(_ store: TestStore, _ needles: [String]) throws -> [String] {
  try store.as((any ErasureStore).self).compact()
  switch store.kind {
  case .sqlite:
    var data = Data()
    for suffix in ["", "-wal", "-shm"] {
      data.append(FileManager.default.contents(atPath: store.location + suffix) ?? Data())
    }
    return needles.filter { needle in
      [needle, needle.lowercased(), needle.capitalized].contains { data.range(of: Data($0.utf8)) != nil }
    }
  case .postgres:
    let found = Set(try serverLeftovers(store.as(ServerStore.self), needles).map(\.needle))
    return needles.filter(found.contains)
  }
}

/// Every table and column of a server store that holds one of `needles` (lowercased, as text).
func serverLeftovers(_ server: ServerStore, _ needles: [String]) throws -> [(needle: String, place: String)] {
  try server.read { session in
    let columns = try await session.rows(
      """
      SELECT c.table_name::text, c.column_name::text FROM information_schema.columns c
      JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
      ORDER BY 1, 2
      """, as: (String, String).self)
    var found: [(needle: String, place: String)] = []
    for needle in needles {
      for (table, column) in columns {
        let hits =
          try await session.values(
            "SELECT count(*) FROM \(table) WHERE strpos(lower(\(column)::text), $1) > 0",
            binds: .of(needle.lowercased()), as: Int.self
          ).first ?? 0
        if hits > 0 { found.append((needle, "\(table).\(column)")) }
      }
    }
    return found
  }
}

/// The ids of the stored posts by their Mastodon id.
func erasureIDs(_ store: TestStore, _ externals: String...) throws -> [Int64] {
  try externals.map { external in
    try #require(try storedID(store, platform: "mastodon", externalID: external))
  }
}

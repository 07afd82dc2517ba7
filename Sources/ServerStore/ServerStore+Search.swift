import Foundation
import Inbox
import PostgresNIO

// MARK: - Search

/// Search on the server: each mention's search document is written with it (migration 3, a
/// trigger on the text and the author), so there is no index to catch up and no unindexed tail
/// to scan. The rules are SQLite's: every word must occur, as a phrase of its tokens (runs of
/// letters and digits), the last word's last token as a prefix, in the text or the handle, case
/// and accents ignored.
extension ServerStore {
  /// The search of `text` as the server runs it: the words split on white space (as SQLite's
  /// `ftsMatch` splits them), turned into a `tsquery` by the store's own `search_query`, which
  /// folds and splits them exactly as the documents were.
  static func search(_ text: String, _ session: ServerSession) async throws -> ServerSearch {
    let words = text.split(whereSeparator: { $0.isWhitespace }).map(String.init)
    guard !words.isEmpty else { return .none }
    var binds = ServerBinds()
    let sql = "SELECT search_query(\(binds.add(words)))"
    guard let query = try await session.one(sql, binds: binds.bindings, as: String.self) else {
      return .nothing
    }
    return .matching(query)
  }

  /// Nothing to add: the search document is kept at write time. Always 0.
  @discardableResult
  public func indexSearch(limit: Int) throws -> Int { 0 }

  /// Nothing waits for the search index on the server. Always 0.
  public func searchBacklog() throws -> Int { 0 }
}

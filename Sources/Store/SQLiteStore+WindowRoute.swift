import Foundation
import GRDB
import Inbox

/// How a window of the queue finds its rows (`SQLiteStore.windowRoute`): a filter narrowed to a
/// few rows of a million reads them from an index of their own, instead of walking the segment's
/// index to its end asking each row.
enum WindowRoute {
  /// Along the segment's index, in its order.
  case segment
  /// By the claim and assignee indexes, sorted after (`mine`, `claimed:NAME`, `assigned:NAME`).
  case claim
  /// Along the segment's index of mentions with an open escalation, in its order.
  case escalated
  /// By `mentions_by_author` for each watched author, sorted after.
  case watched
  /// By the platform's rows in the key on (platform, external id), sorted after: a platform with
  /// few mentions (a new source, `rss` beside three busy networks).
  case platform
  /// By `mentions_by_lang`, sorted after: a language with few mentions.
  case language

  /// The `INDEXED BY` clause the segment's select takes.
  func indexed(segment: QueueSegment) -> String {
    switch self {
    case .segment: return " INDEXED BY \(segment.index)"
    case .escalated: return " INDEXED BY \(segment.escalatedIndex)"
    case .watched: return " INDEXED BY mentions_by_author"
    case .platform: return " INDEXED BY \(SQLiteStore.platformIndex)"
    case .language: return " INDEXED BY mentions_by_lang"
    case .claim: return ""
    }
  }
}

extension SQLiteStore {
  /// Whether the queue's windows under `query` are found from the claim and assignee indexes
  /// (`mine`, `claimed:NAME`, `assigned:NAME` without `unclaimed`): a person's claims and
  /// assignments are a handful of a million rows, and a segment's own index would be walked to its
  /// end to find none (1 s for `mine` at a million).
  static func byClaim(_ query: QueueFilter) -> Bool {
    (!query.claimants.isEmpty || !query.assignees.isEmpty) && !query.unclaimed
  }

  /// The index SQLite made for the mentions' key `UNIQUE (platform, external_id)` (v1): its name
  /// is SQLite's, fixed by the table's definition (a test checks it leads with the platform).
  public static let platformIndex = "sqlite_autoindex_mentions_1"

  /// How the queue's windows under `query` find their rows: by the claim and assignee indexes
  /// (`byClaim`), by the segment's index of escalated mentions (`escalated`, v28), by the watched
  /// authors' mentions (`watched`: a few authors' posts, sorted), by a rare platform's or
  /// language's own rows (`few`), or along the segment's own index.
  ///
  /// A segment's walk reads about `limit / share` rows to fill a window of `limit`; reading a
  /// platform's rows and sorting them reads `share × mentions`. The second wins below
  /// `√(limit × mentions)` rows: some 5,000 of 200,000 for a screen's window (issue 17: a window
  /// on `rss` beside three busy networks walked all 200,000 for its nine rows, 0.2 s a reload).
  static func windowRoute(_ query: QueueFilter, _ db: Database, limit: Int) throws -> WindowRoute {
    if byClaim(query) { return .claim }
    if query.escalated { return .escalated }
    if query.watched { return .watched }
    if query.platforms.isEmpty && query.languages.isEmpty { return .segment }
    let mentions = try Int64.fetchOne(db.cachedStatement(sql: "SELECT max(rowid) FROM mentions")) ?? 0
    let most = min(20_000, max(500, Int((Double(max(1, limit)) * Double(mentions)).squareRoot())))
    if !query.platforms.isEmpty,
      try few(db, index: platformIndex, term: "m.platform", query.platforms, most: most)
    {
      return .platform
    }
    if !query.languages.isEmpty,
      try few(
        db, index: "mentions_by_lang", term: "lower(coalesce(m.lang, m.detected_lang))", query.languages,
        most: most)
    {
      return .language
    }
    return .segment
  }

  /// Whether at most `most` mentions have one of `values` for `term`, read from `index` alone and
  /// never more than `most + 1` of its entries.
  static func few(_ db: Database, index: String, term: String, _ values: Set<String>, most: Int) throws
    -> Bool
  {
    let marks = Array(repeating: "?", count: values.count).joined(separator: ", ")
    let sql = """
      SELECT count(*) FROM (SELECT 1 FROM mentions m INDEXED BY \(index) WHERE \(term) IN (\(marks)) LIMIT ?)
      """
    var arguments = StatementArguments(values.sorted())
    arguments += [most + 1]
    return try Int.fetchOne(db.cachedStatement(sql: sql), arguments: arguments) ?? 0 <= most
  }
}

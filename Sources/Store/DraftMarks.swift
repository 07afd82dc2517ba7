import Foundation
import GRDB

// What the inbox shows about drafts without reading their text: who writes on which mention, and
// a mark that changes when any draft does, so teammates' inboxes notice within their poll.

extension SQLiteStore {
  /// The authors with a draft on each of `mentionIDs` (only the mentions that have one), newest
  /// first. One indexed query for a window of the queue.
  public func draftAuthors(mentionIDs: [Int64]) throws -> [Int64: [String]] {
    guard !mentionIDs.isEmpty else { return [:] }
    return try pool.read { db in
      let marks = mentionIDs.map { _ in "?" }.joined(separator: ", ")
      var out: [Int64: [String]] = [:]
      for row in try Row.fetchAll(
        db,
        sql: "SELECT mention_id, author FROM drafts WHERE mention_id IN (\(marks)) ORDER BY updated_at DESC",
        arguments: StatementArguments(mentionIDs))
      {
        out[row[0], default: []].append(row[1])
      }
      return out
    }
  }

  /// Changes whenever a draft is saved, replaced or discarded (drafts record no event).
  public func draftMark() throws -> [Int64] {
    try pool.read { db in
      guard
        let row = try Row.fetchOne(
          db,
          sql:
            "SELECT count(*), coalesce(max(updated_at), 0), coalesce(sum(updated_at % 1000003), 0) FROM drafts"
        )
      else { return [0, 0, 0] }
      return [row[0], row[1], row[2]]
    }
  }
}

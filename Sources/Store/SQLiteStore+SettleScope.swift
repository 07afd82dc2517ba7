import Foundation
import GRDB

/// Which open overdue escalations a pass of the timed rules asks whether their reason is gone
/// (issue 17). Asking all of them walked every open overdue escalation with its mention at every
/// ingest: three quarters of a 45-line ingest's instructions on a store with 147,649 open. A reason
/// goes only when the mention's row changes (a reply, a status, a new target, muting), and every
/// such change is in the change feed (v20), so a pass asks about the mentions changed since the
/// last one looked (`overdue_settled_upto`: the feed's seq and the moment of that pass). Everything
/// is asked again when there is no mark, when the feed was pruned past it, or when the clock is
/// earlier than the mark's moment (a reason can then be gone with no change: the target not yet
/// reached).
struct SettleScope {
  /// The changes to look at are those after this seq, up to `upto`; nil: every open overdue
  /// escalation.
  var after: Int64?
  /// The feed's newest seq and the pass's moment, the mark once the range was looked at.
  var upto: Int64
  var at: Int64

  /// Whether recording the mark is worth a write of its own: after a full walk, or past a few
  /// hundred changes (a pass with nothing to write leaves a short range for the next to read again).
  var worthKeeping: Bool {
    guard let after else { return true }
    return upto - after > 256
  }
}

extension SQLiteStore {
  static let settleMarkKey = "overdue_settled_upto"

  /// The changes a pass at `now` looks at.
  static func settleScope(_ db: Database, now: Int64) throws -> SettleScope {
    let ends = try Row.fetchOne(
      db.cachedStatement(
        sql: """
          SELECT coalesce((SELECT max(seq) FROM changes), 0), coalesce((SELECT min(seq) FROM changes), 0),
            (SELECT value FROM store_meta WHERE key = '\(settleMarkKey)')
          """))
    let newest: Int64 = ends?[0] ?? 0
    let oldest: Int64 = ends?[1] ?? 0
    let all = SettleScope(after: nil, upto: newest, at: now)
    guard let mark: String = ends?[2] else { return all }
    let parts = mark.split(separator: ":").compactMap { Int64($0) }
    guard parts.count == 2 else { return all }
    let (seq, at) = (parts[0], parts[1])
    // Pruned past the mark, a feed restarted (a restored copy), or a clock gone back.
    guard seq >= oldest - 1, seq <= newest, now >= at else { return all }
    return SettleScope(after: seq, upto: newest, at: now)
  }

  static func keepSettleMark(_ db: Database, _ scope: SettleScope) throws {
    try db.execute(
      sql: """
        INSERT INTO store_meta (key, value) VALUES ('\(settleMarkKey)', ?)
        ON CONFLICT (key) DO UPDATE SET value = excluded.value
        """, arguments: ["\(scope.upto):\(scope.at)"])
  }
}

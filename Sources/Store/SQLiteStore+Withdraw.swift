import Foundation
import GRDB
import Inbox
import Policy

/// Undo and withdraw (issue 16): a reply waits `PolicyConfig.sendDelay` before any courier may
/// deliver it, and until its first delivery attempt it can be taken back. The check and the
/// change are one write transaction, and the courier's attempt (`recordDeliveryAttempt`) is one
/// too, expecting `queued`: whichever commits first wins, so a withdrawn reply is never posted
/// and a reply being posted is never called withdrawn.
extension SQLiteStore {
  /// The mention's columns a reply moves, as JSON, to put back when the reply is taken back; in the
  /// order of their names, the order of the keys in the JSON.
  static let clockKeys: [StaticString] = [
    "due_at", "earliest_reply_at", "first_response_at", "first_response_by", "follow_up_answered_due_at",
    "follow_up_at", "follow_up_due_at", "holding_since", "no_reply_reason", "snoozed_from", "snoozed_until",
    "status",
  ]
  static let clockColumns = clockKeys.map { "\($0)" }

  /// The clock columns as a JSON object with sorted keys (null, integer or text). Written by
  /// `JSONWriter` rather than `JSONSerialization`, whose first use in a process cost a reply
  /// ~12 M instructions (issue 17).
  static func clockState(_ db: Database, mentionID: Int64) throws -> String? {
    guard
      let row = try Row.fetchOne(
        db, sql: "SELECT \(clockColumns.joined(separator: ", ")) FROM mentions WHERE id = ?",
        arguments: [mentionID])
    else { return nil }
    var w = JSONWriter()
    for (i, key) in clockKeys.enumerated() {
      let v = row[i] as DatabaseValue
      if v.isNull {
        w.int(key, nil as Int64?)
      } else if let n = Int64.fromDatabaseValue(v) {
        w.int(key, n)
      } else if let text = String.fromDatabaseValue(v) {
        w.string(key, text)
      }
    }
    return w.finish()
  }

  static func restoreClockState(_ db: Database, mentionID: Int64, state: String) throws {
    guard let object = try JSONSerialization.jsonObject(with: Data(state.utf8)) as? [String: Any] else {
      return
    }
    var sets: [String] = []
    var arguments: [DatabaseValueConvertible?] = []
    for column in clockColumns {
      guard let value = object[column] else { continue }
      sets.append("\(column) = ?")
      switch value {
      case is NSNull: arguments.append(nil)
      case let n as NSNumber: arguments.append(n.int64Value)
      case let s as String: arguments.append(s)
      default: arguments.append(nil)
      }
    }
    guard !sets.isEmpty else { return }
    try db.execute(
      sql: "UPDATE mentions SET \(sets.joined(separator: ", ")) WHERE id = ?",
      arguments: StatementArguments(arguments + [mentionID]))
  }

  /// Takes back a reply that no courier has tried to deliver yet (queued or waiting for
  /// approval): it becomes `withdrawn` with `reason`, its text becomes `actor`'s draft again when
  /// `keepDraft` (the inbox's `u`), and the mention's clocks go back to what they were before it,
  /// unless a later reply was built on them. Only its responder or a supervisor withdraws it
  /// (`mayWithdrawOthers`). One `withdraw_reply` event.
  public func withdrawReply(
    id: Int64, reason: String, actor: String, mayWithdrawOthers: Bool = false, keepDraft: Bool = false
  ) throws -> Withdrawal {
    let now = clock.now().epochMilliseconds
    let restored = try pool.write { db -> Bool in
      let record = try Self.outboxRecord(db, id: id, expecting: [.queued, .awaitingApproval])
      guard record.attempts == 0 else { throw OutboxError.deliveryStarted(id) }
      guard mayWithdrawOthers || record.responder.lowercased() == actor.lowercased() else {
        throw OutboxError.notYours(id, responder: record.responder)
      }
      try db.execute(
        sql: """
          UPDATE outbox SET status = 'withdrawn', withdraw_reason = ?, next_attempt_at = NULL, updated_at = ?
          WHERE id = ?
          """, arguments: [reason, now, id])
      let later =
        try Int.fetchOne(
          db,
          sql: """
            SELECT count(*) FROM outbox WHERE mention_id = ? AND id > ?
              AND status NOT IN ('withdrawn', 'returned', 'awaiting_approval')
            """, arguments: [record.mentionID, id]) ?? 0
      var restored = false
      if later == 0, record.status == .queued,
        let state = try String.fetchOne(
          db, sql: "SELECT undo_state FROM outbox WHERE id = ?", arguments: [id])
      {
        try Self.restoreClockState(db, mentionID: record.mentionID, state: state)
        try Self.reopenRepeats(db, head: record.mentionID, actor: actor, now: now)
        restored = true
      }
      if keepDraft {
        let kind: ReplyKind = record.kind == .holding ? .holding : .reply
        try db.execute(
          sql: """
            INSERT INTO drafts (mention_id, author, kind, text, started_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (mention_id, author) DO UPDATE SET text = excluded.text, kind = excluded.kind,
              updated_at = excluded.updated_at
            """, arguments: [record.mentionID, actor, kind.rawValue, record.text, now, now])
      }
      var w = JSONWriter()
      w.int("outbox_id", id)
      w.bool("restored", restored)
      try appendEvent(
        db, at: now, actor: actor, action: "withdraw_reply", mentionID: record.mentionID, detail: w.finish())
      return restored
    }
    guard let record = try outboxRecord(id: id) else { throw OutboxError.noSuchReply(id) }
    return Withdrawal(record: record, restored: restored)
  }
}

import Foundation
import GRDB
import Inbox
import Policy

// MARK: - Delivery

extension SQLiteStore {
  /// Queued and unverified replies whose next attempt (or check) is due at `now`, oldest first.
  public func dueForDelivery(now: Date, limit: Int = 100) throws -> [OutboxRecord] {
    try pool.read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT \(Self.outboxColumns) FROM outbox
          WHERE status IN ('queued', 'unverified') AND coalesce(next_attempt_at, 0) <= ?
          ORDER BY id LIMIT ?
          """, arguments: [now.epochMilliseconds, limit]
      ).map(Self.outboxRecord)
    }
  }

  /// Takes the store's delivery lease for `holder` (`host:pid`) for `duration`: one courier at a
  /// time sends replies, so an inbox with `--watch` and a `repute watch` (or a `repute deliver`)
  /// never call a platform with the same reply at once. Mastodon's idempotency key only catches
  /// a repeat that comes after the first post is stored, not one that races it. A lease held by
  /// a live process on this host is respected; a dead one's (kill -9) is taken over at once, so
  /// a crash delays no retry; one from another host is respected until it runs out.
  public func claimDelivery(holder: String, for duration: TimeInterval) throws -> Bool {
    let now = clock.now().epochMilliseconds
    return try pool.write { db in
      if let current = try Self.deliveryLease(db), current.holder != holder, current.until > now,
        Self.leaseHolderIsAlive(current.holder)
      {
        return false
      }
      try db.execute(
        sql: """
          INSERT INTO store_meta (key, value) VALUES ('delivery_lease', ?)
          ON CONFLICT (key) DO UPDATE SET value = excluded.value
          """, arguments: ["\(now + Int64(duration * 1000)) \(holder)"])
      return true
    }
  }

  /// Gives the delivery lease back, if `holder` has it.
  public func releaseDelivery(holder: String) throws {
    try pool.write { db in
      guard try Self.deliveryLease(db)?.holder == holder else { return }
      try db.execute(sql: "DELETE FROM store_meta WHERE key = 'delivery_lease'")
    }
  }

  /// Who holds the delivery lease now (`host:pid`), if anyone alive does.
  public func deliveryHolder() throws -> String? {
    let now = clock.now().epochMilliseconds
    return try pool.read { db in
      guard let current = try Self.deliveryLease(db), current.until > now,
        Self.leaseHolderIsAlive(current.holder)
      else { return nil }
      return current.holder
    }
  }

  /// The lease as kept in `store_meta`: "<until, epoch ms> <holder>".
  static func deliveryLease(_ db: Database) throws -> (until: Int64, holder: String)? {
    guard
      let value = try String.fetchOne(db, sql: "SELECT value FROM store_meta WHERE key = 'delivery_lease'"),
      let space = value.firstIndex(of: " "), let until = Int64(value[..<space])
    else { return nil }
    return (until, String(value[value.index(after: space)...]))
  }

  /// Four eyes at delivery: the courier's last look before it sends a queued reply. Approval is
  /// decided when a reply enters the outbox, but a legal or press escalation may be raised on its
  /// mention afterwards (a later post in the thread, a timed rule): a reply nobody reviewed, by a
  /// responder who is not a supervisor, to a mention that now needs approval by `policy`, goes
  /// to `awaiting_approval` instead (event `held_for_approval`) and true is returned. Checked and
  /// moved in one transaction, so an escalation and a send never cross unseen.
  public func holdForApprovalIfNeeded(id: Int64, policy: PolicyConfig, actor: String = "repute") throws
    -> Bool
  {
    let now = clock.now().epochMilliseconds
    return try pool.write { db in
      let record = try Self.outboxRecord(db, id: id, expecting: [.queued])
      guard record.reviewedBy == nil else { return false }
      let login = record.responder.lowercased()
      let supervisor = policy.team.contains {
        $0.role == .supervisor && ($0.login.lowercased() == login || $0.name.lowercased() == login)
      }
      guard !supervisor else { return false }
      let category = try String.fetchOne(
        db, sql: "SELECT category FROM mentions WHERE id = ?", arguments: [record.mentionID]
      ).flatMap(Category.init(rawValue:))
      let reasons = try String.fetchAll(
        db, sql: "SELECT DISTINCT reason FROM escalations WHERE mention_id = ?", arguments: [record.mentionID]
      ).compactMap(EscalationReason.init(rawValue:))
      guard EscalationRules(policy.escalation).needsApproval(category: category, reasons: reasons) else {
        return false
      }
      try db.execute(
        sql:
          "UPDATE outbox SET status = 'awaiting_approval', next_attempt_at = NULL, updated_at = ? WHERE id = ?",
        arguments: [now, id])
      try appendEvent(
        db, at: now, actor: actor, action: "held_for_approval", mentionID: record.mentionID,
        detail: #"{"outbox_id":\#(id)}"#)
      return true
    }
  }

  /// Records that an attempt is about to be made, before the platform is called: a crash during
  /// the call leaves the count raised, and the retry carries the same idempotency key.
  public func recordDeliveryAttempt(id: Int64) throws {
    let now = clock.now().epochMilliseconds
    try pool.write { db in
      _ = try Self.outboxRecord(db, id: id, expecting: [.queued, .unverified])
      try db.execute(
        sql: "UPDATE outbox SET attempts = attempts + 1, updated_at = ? WHERE id = ?", arguments: [now, id])
    }
  }

  /// The platform took the reply and named the post it made: its id and link are kept. Only an
  /// answer that names the post makes a reply `sent`; one that does not is `markUnverified`.
  public func markSent(id: Int64, postID: String, url: String?, actor: String = "repute") throws {
    let now = clock.now().epochMilliseconds
    try pool.write { db in
      let record = try Self.outboxRecord(db, id: id, expecting: [.queued, .unverified, .failed])
      try db.execute(
        sql: """
          UPDATE outbox SET status = 'sent', platform_post_id = ?, platform_url = ?, error = NULL,
            next_attempt_at = NULL, updated_at = ?
          WHERE id = ?
          """, arguments: [postID, url, now, id])
      try appendEvent(
        db, at: now, actor: actor, action: "delivered", mentionID: record.mentionID,
        detail: #"{"outbox_id":\#(id)}"#)
      try Self.notifyResponder(db, of: record, kind: .delivered, actor: actor, at: now)
    }
  }

  /// The platform refused or could not be reached: with `retryAt` the reply stays as it was
  /// (queued, or unverified) for another attempt then; without, it is `failed`, with the
  /// platform's message for the inbox, and an event records it (saying when the reply had been
  /// unverified: it may be on the platform after all).
  public func markDeliveryFailed(id: Int64, error: String, retryAt: Date?, actor: String = "repute") throws {
    let now = clock.now().epochMilliseconds
    try pool.write { db in
      let record = try Self.outboxRecord(db, id: id, expecting: [.queued, .unverified])
      try db.execute(
        sql: "UPDATE outbox SET status = ?, error = ?, next_attempt_at = ?, updated_at = ? WHERE id = ?",
        arguments: [
          retryAt == nil ? OutboxStatus.failed.rawValue : record.status.rawValue, error,
          retryAt?.epochMilliseconds, now, id,
        ])
      if retryAt == nil {
        let unverified = record.status == .unverified ? #","unverified":true"# : ""
        try appendEvent(
          db, at: now, actor: actor, action: "delivery_failed", mentionID: record.mentionID,
          detail: #"{"outbox_id":\#(id)\#(unverified)}"#)
        try Self.notifyResponder(db, of: record, kind: .deliveryFailed, actor: actor, note: error, at: now)
      }
    }
  }

  /// The platform answered 2xx but named no post: the reply is `unverified`, checked again at
  /// `retryAt`. `at` is when that answer came; the first such time is kept (`unverifiedAt`), the
  /// checks' deadline counts from it. The first time, an event records it.
  public func markUnverified(id: Int64, error: String, retryAt: Date, at: Date, actor: String = "repute")
    throws
  {
    let now = clock.now().epochMilliseconds
    try pool.write { db in
      let record = try Self.outboxRecord(db, id: id, expecting: [.queued, .unverified])
      try db.execute(
        sql: """
          UPDATE outbox SET status = 'unverified', error = ?, next_attempt_at = ?,
            unverified_at = coalesce(unverified_at, ?), updated_at = ?
          WHERE id = ?
          """, arguments: [error, retryAt.epochMilliseconds, at.epochMilliseconds, now, id])
      if record.status != .unverified {
        try appendEvent(
          db, at: now, actor: actor, action: "delivery_unverified", mentionID: record.mentionID,
          detail: #"{"outbox_id":\#(id)}"#)
      }
    }
  }

  /// Replies delivery needs a person for, newest first: every unverified one, and those that
  /// failed since `since` (older failures were seen to or are history; `repute outbox` has them).
  public func deliveriesNeedingAPerson(since: Date, limit: Int = 100) throws -> [OutboxRecord] {
    try pool.read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT \(Self.outboxColumns) FROM outbox
          WHERE status = 'unverified' OR (status = 'failed' AND updated_at >= ?)
          ORDER BY updated_at DESC, id DESC LIMIT ?
          """, arguments: [since.epochMilliseconds, limit]
      ).map(Self.outboxRecord)
    }
  }

  /// Puts a failed reply back in the queue for delivery, keeping its idempotency key; an earlier
  /// unverified answer's deadline no longer counts (the person checked the account's posts).
  public func retryReply(id: Int64, actor: String) throws {
    let now = clock.now().epochMilliseconds
    try pool.write { db in
      let record = try Self.outboxRecord(db, id: id, expecting: [.failed])
      try db.execute(
        sql: """
          UPDATE outbox SET status = 'queued', next_attempt_at = NULL, unverified_at = NULL, updated_at = ?
          WHERE id = ?
          """, arguments: [now, id])
      try appendEvent(
        db, at: now, actor: actor, action: "retry_reply", mentionID: record.mentionID,
        detail: #"{"outbox_id":\#(id)}"#)
    }
  }
}

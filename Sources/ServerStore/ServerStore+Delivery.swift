import Foundation
import Inbox
import Policy
import PostgresNIO

/// Delivery on the server, as `SQLiteStore+Delivery.swift` does it. Each change of a reply takes
/// the writer's turn first (`ReplySQL.writerTurn`), so a courier's attempt, an approval and a
/// withdrawal take turns as they do under SQLite's single writer.
///
/// The courier's lease is the row `delivery_lease` of `store_meta` ("<until, epoch ms> <holder>",
/// as on SQLite), taken in one statement: an upsert whose update only happens when the lease ran
/// out, is the holder's own, or is a dead process's on this host. PostgreSQL locks the row and
/// checks the condition on its latest version, so of several `repute watch` on different machines
/// exactly one holds it at a time; a vanished holder's lease is taken over once it runs out.
extension ServerStore {
  /// Queued and unverified replies whose next attempt (or check) is due at `now`, oldest first.
  public func dueForDelivery(now: Date, limit: Int) throws -> [OutboxRecord] {
    try replyRun { session in
      try await ReplySQL.outboxRecords(
        session,
        """
        SELECT \(ReplySQL.outboxColumns) FROM outbox
        WHERE status IN ('queued', 'unverified') AND coalesce(next_attempt_at, 0) <= $1
        ORDER BY id LIMIT $2
        """, binds: ReplySQL.binds(now.epochMilliseconds, Int64(limit)))
    }
  }

  /// Takes (or extends) the delivery lease for `holder` (`host:pid`) for `duration`.
  public func claimDelivery(holder: String, for duration: TimeInterval) throws -> Bool {
    let now = clock.now().epochMilliseconds
    let value = "\(now + Int64(duration * 1000)) \(holder)"
    return try replyRun { session in
      // A lease of a process on this host that died (kill -9) is taken over at once, as on SQLite:
      // exactly the lease read here, so one renewed meanwhile is not.
      let current = try await Self.deliveryLease(session)
      // Refused without a write, as on SQLite: a statement that writes nothing still moves the
      // change counter, and every inbox would look again after each courier's try.
      if let current, current.holder != holder, current.until > now, Self.leaseHolderAlive(current.holder) {
        return false
      }
      let dead =
        current.flatMap { lease in
          lease.holder != holder && lease.until > now && !Self.leaseHolderAlive(lease.holder)
            ? lease.value : nil
        }
      let taken = try await session.values(
        """
        INSERT INTO store_meta (key, value) VALUES ('delivery_lease', $1)
        ON CONFLICT (key) DO UPDATE SET value = excluded.value
        WHERE (CASE WHEN store_meta.value ~ '^[0-9]+ ' THEN split_part(store_meta.value, ' ', 1)::bigint
            ELSE 0 END) <= $2
          OR substr(store_meta.value, strpos(store_meta.value, ' ') + 1) = $3
          OR store_meta.value = $4::text
        RETURNING key
        """, binds: ReplySQL.binds(value, now, holder, dead), as: String.self)
      return !taken.isEmpty
    }
  }

  /// Gives the delivery lease back, if `holder` has it.
  public func releaseDelivery(holder: String) throws {
    try replyRun { session in
      guard try await Self.deliveryLease(session)?.holder == holder else { return }
      try await ReplySQL.exec(
        session,
        """
        DELETE FROM store_meta WHERE key = 'delivery_lease' AND value ~ '^[0-9]+ '
          AND substr(value, strpos(value, ' ') + 1) = $1
        """, ReplySQL.binds(holder))
    }
  }

  /// Who holds the delivery lease now, if anyone alive does.
  public func deliveryHolder() throws -> String? {
    let now = clock.now().epochMilliseconds
    let lease = try replyRun { session in try await Self.deliveryLease(session) }
    guard let lease, lease.until > now, Self.leaseHolderAlive(lease.holder) else { return nil }
    return lease.holder
  }

  /// The lease as kept in `store_meta`, with the value as it is.
  static func deliveryLease(_ session: ServerSession) async throws -> (
    until: Int64, holder: String, value: String
  )? {
    guard
      let value = try await session.values(
        "SELECT value FROM store_meta WHERE key = 'delivery_lease'", as: String.self
      ).first,
      let space = value.firstIndex(of: " "), let until = Int64(value[..<space])
    else { return nil }
    return (until, String(value[value.index(after: space)...]), value)
  }

  /// Whether the process named by a lease (`host:pid`) still runs; one on another host is assumed
  /// alive until its lease runs out (`SQLiteStore.leaseHolderIsAlive`).
  private static func leaseHolderAlive(_ holder: String) -> Bool {
    let parts = holder.split(separator: ":")
    guard parts.count == 2, let pid = Int32(parts[1]) else { return true }
    var buffer = [UInt8](repeating: 0, count: 256)
    gethostname(&buffer, buffer.count - 1)
    guard String(parts[0]) == String(decoding: buffer.prefix(while: { $0 != 0 }), as: UTF8.self) else {
      return true
    }
    return kill(pid, 0) == 0 || errno == EPERM
  }

  /// Four eyes at delivery (`SQLiteStore.holdForApprovalIfNeeded`): checked and moved in one
  /// transaction after the writer's turn, so an escalation and a send never cross unseen.
  public func holdForApprovalIfNeeded(id: Int64, policy: PolicyConfig, actor: String) throws -> Bool {
    let now = clock.now().epochMilliseconds
    return try replyRun { session in
      try await session.transaction { session in
        try await ReplySQL.writerTurn(session)
        let record = try await ReplySQL.lockedReply(session, id: id, expecting: [.queued])
        guard record.reviewedBy == nil else { return false }
        let login = record.responder.lowercased()
        let supervisor = policy.team.contains {
          $0.role == .supervisor && ($0.login.lowercased() == login || $0.name.lowercased() == login)
        }
        guard !supervisor else { return false }
        let (category, reasons) = try await EscalationSQL.approvalFacts(session, mentionID: record.mentionID)
        guard EscalationRules(policy.escalation).needsApproval(category: category, reasons: reasons) else {
          return false
        }
        try await ReplySQL.exec(
          session,
          "UPDATE outbox SET status = 'awaiting_approval', next_attempt_at = NULL, updated_at = $2 WHERE id = $1",
          ReplySQL.binds(id, now))
        try await ReplySQL.appendEvent(
          session, at: now, actor: actor, action: "held_for_approval", mentionID: record.mentionID,
          detail: ReplySQL.outboxDetail(id))
        return true
      }
    }
  }

  /// Records that an attempt is about to be made, before the platform is called.
  public func recordDeliveryAttempt(id: Int64) throws {
    let now = clock.now().epochMilliseconds
    try replyRun { session in
      try await session.transaction { session in
        try await ReplySQL.writerTurn(session)
        _ = try await ReplySQL.lockedReply(session, id: id, expecting: [.queued, .unverified])
        try await ReplySQL.exec(
          session, "UPDATE outbox SET attempts = attempts + 1, updated_at = $2 WHERE id = $1",
          ReplySQL.binds(id, now))
      }
    }
  }

  /// The platform took the reply and named the post it made.
  public func markSent(id: Int64, postID: String, url: String?, actor: String) throws {
    let now = clock.now().epochMilliseconds
    try replyRun { session in
      try await session.transaction { session in
        try await ReplySQL.writerTurn(session)
        let record = try await ReplySQL.lockedReply(
          session, id: id, expecting: [.queued, .unverified, .failed])
        try await ReplySQL.exec(
          session,
          """
          UPDATE outbox SET status = 'sent', platform_post_id = $2, platform_url = $3, error = NULL,
            next_attempt_at = NULL, updated_at = $4
          WHERE id = $1
          """, ReplySQL.binds(id, postID, url, now))
        try await ReplySQL.appendEvent(
          session, at: now, actor: actor, action: "delivered", mentionID: record.mentionID,
          detail: ReplySQL.outboxDetail(id))
        try await ReplySQL.notifyResponder(session, of: record, kind: .delivered, actor: actor, at: now)
      }
    }
  }

  /// The platform refused or could not be reached: retried at `retryAt`, or `failed` without.
  public func markDeliveryFailed(id: Int64, error: String, retryAt: Date?, actor: String) throws {
    let now = clock.now().epochMilliseconds
    try replyRun { session in
      try await session.transaction { session in
        try await ReplySQL.writerTurn(session)
        let record = try await ReplySQL.lockedReply(session, id: id, expecting: [.queued, .unverified])
        try await ReplySQL.exec(
          session,
          "UPDATE outbox SET status = $2, error = $3, next_attempt_at = $4::bigint, updated_at = $5 WHERE id = $1",
          ReplySQL.binds(
            id, retryAt == nil ? OutboxStatus.failed.rawValue : record.status.rawValue, error,
            retryAt?.epochMilliseconds, now))
        guard retryAt == nil else { return }
        let unverified = record.status == .unverified ? #","unverified":true"# : ""
        try await ReplySQL.appendEvent(
          session, at: now, actor: actor, action: "delivery_failed", mentionID: record.mentionID,
          detail: #"{"outbox_id":\#(id)\#(unverified)}"#)
        try await ReplySQL.notifyResponder(
          session, of: record, kind: .deliveryFailed, actor: actor, note: error, at: now)
      }
    }
  }

  /// The platform answered 2xx but named no post: `unverified`, checked again at `retryAt`.
  public func markUnverified(id: Int64, error: String, retryAt: Date, at: Date, actor: String) throws {
    let now = clock.now().epochMilliseconds
    try replyRun { session in
      try await session.transaction { session in
        try await ReplySQL.writerTurn(session)
        let record = try await ReplySQL.lockedReply(session, id: id, expecting: [.queued, .unverified])
        try await ReplySQL.exec(
          session,
          """
          UPDATE outbox SET status = 'unverified', error = $2, next_attempt_at = $3,
            unverified_at = coalesce(unverified_at, $4), updated_at = $5
          WHERE id = $1
          """, ReplySQL.binds(id, error, retryAt.epochMilliseconds, at.epochMilliseconds, now))
        if record.status != .unverified {
          try await ReplySQL.appendEvent(
            session, at: now, actor: actor, action: "delivery_unverified", mentionID: record.mentionID,
            detail: ReplySQL.outboxDetail(id))
        }
      }
    }
  }

  /// Every unverified reply, and those that failed since `since`, newest first.
  public func deliveriesNeedingAPerson(since: Date, limit: Int) throws -> [OutboxRecord] {
    try replyRun { session in
      try await ReplySQL.outboxRecords(
        session,
        """
        SELECT \(ReplySQL.outboxColumns) FROM outbox
        WHERE status = 'unverified' OR (status = 'failed' AND updated_at >= $1)
        ORDER BY updated_at DESC, id DESC LIMIT $2
        """, binds: ReplySQL.binds(since.epochMilliseconds, Int64(limit)))
    }
  }

  /// Puts a failed reply back in the queue, keeping its idempotency key.
  public func retryReply(id: Int64, actor: String) throws {
    let now = clock.now().epochMilliseconds
    try replyRun { session in
      try await session.transaction { session in
        try await ReplySQL.writerTurn(session)
        let record = try await ReplySQL.lockedReply(session, id: id, expecting: [.failed])
        try await ReplySQL.exec(
          session,
          """
          UPDATE outbox SET status = 'queued', next_attempt_at = NULL, unverified_at = NULL, updated_at = $2
          WHERE id = $1
          """, ReplySQL.binds(id, now))
        try await ReplySQL.appendEvent(
          session, at: now, actor: actor, action: "retry_reply", mentionID: record.mentionID,
          detail: ReplySQL.outboxDetail(id))
      }
    }
  }
}

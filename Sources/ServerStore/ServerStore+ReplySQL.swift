import Foundation
import Inbox
import Policy
import PostgresNIO

/// What the outbox, delivery and escalation topics share on the server, each the counterpart of
/// a helper of `SQLiteStore` (named after it): binding values, the trail, reading a reply, the
/// mention's clocks a reply moves. Every function runs inside its caller's `bridge.run`, most in
/// its transaction.
enum ReplySQL {
  /// Binds for a statement, in order; nil binds SQL NULL (its type from where it is used).
  static func binds(_ values: (any PostgresDynamicTypeEncodable)?...) -> PostgresBindings {
    var out = PostgresBindings()
    for value in values {
      if let value { out.append(value) } else { out.appendNull() }
    }
    return out
  }

  /// Runs one statement with binds and drops its rows.
  static func exec(_ session: ServerSession, _ sql: String, _ binds: PostgresBindings) async throws {
    try await session.connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: session.logger)
  }

  /// Takes the store's writer turn, first thing in a transaction that reads before it writes: the
  /// row of the change counter (migration 2), which every writing statement takes anyway until
  /// its commit. So writers take turns from the start, as on SQLite, what a transaction reads
  /// stays true until it writes, and no row it locks waits on a writer that waits on it.
  static func writerTurn(_ session: ServerSession) async throws {
    _ = try await session.values("SELECT n FROM change_counter FOR NO KEY UPDATE", as: Int64.self)
  }

  /// Appends one event to the trail (`SQLiteStore.appendEvent`).
  static func appendEvent(
    _ session: ServerSession, at: Int64, actor: String, action: String, mentionID: Int64?, detail: String?
  ) async throws {
    _ = try await session.values(
      "INSERT INTO events (at, actor, action, mention_id, detail) VALUES ($1, $2, $3, $4, $5) RETURNING id",
      binds: binds(at, actor, action, mentionID, detail), as: Int64.self)
  }

  /// `{"outbox_id":N}`, the detail most outbox events carry.
  static func outboxDetail(_ id: Int64) -> String { #"{"outbox_id":\#(id)}"# }

  /// The handle an erased author's mentions keep (`SQLiteStore.forgottenHandle`).
  static let forgottenHandle = "(forgotten)"

  /// The mention exists and was not erased (`SQLiteStore.requireWritable`).
  static func requireWritable(_ session: ServerSession, mentionID: Int64) async throws {
    let handles = try await session.values(
      "SELECT a.handle FROM mentions m JOIN authors a ON a.id = m.author_id WHERE m.id = $1",
      binds: binds(mentionID), as: String.self)
    guard let handle = handles.first else { throw ActionError.noSuchMention(mentionID) }
    if handle == forgottenHandle { throw ActionError.erased(mentionID) }
  }

  // MARK: Replies

  static let outboxColumns = """
    id, mention_id, responder, kind, text, status, created_at, updated_at, idempotency_key, attempts,
    next_attempt_at, platform_post_id, platform_url, error, reviewed_by, review_note, unverified_at,
    withdraw_reason
    """

  static func outboxRecord(_ row: PostgresRow) throws -> OutboxRecord {
    let r = row.makeRandomAccess()
    func date(_ index: Int) throws -> Date? {
      try r[index].decode(Int64?.self).map(Date.init(epochMilliseconds:))
    }
    return OutboxRecord(
      id: try r[0].decode(Int64.self), mentionID: try r[1].decode(Int64.self),
      responder: try r[2].decode(String.self),
      kind: ReplyKind(rawValue: try r[3].decode(String.self)) ?? .reply, text: try r[4].decode(String.self),
      status: OutboxStatus(rawValue: try r[5].decode(String.self)) ?? .queued,
      createdAt: try date(6)!, updatedAt: try date(7)!, idempotencyKey: try r[8].decode(String.self),
      attempts: try r[9].decode(Int.self), nextAttemptAt: try date(10),
      platformPostID: try r[11].decode(String?.self), platformURL: try r[12].decode(String?.self),
      error: try r[13].decode(String?.self), reviewedBy: try r[14].decode(String?.self),
      reviewNote: try r[15].decode(String?.self), unverifiedAt: try date(16),
      withdrawReason: try r[17].decode(String?.self))
  }

  /// Replies by a query that selects `outboxColumns`.
  static func outboxRecords(_ session: ServerSession, _ sql: String, binds: PostgresBindings) async throws
    -> [OutboxRecord]
  {
    var out: [OutboxRecord] = []
    let rows = try await session.connection.query(
      PostgresQuery(unsafeSQL: sql, binds: binds), logger: session.logger)
    for try await row in rows { out.append(try outboxRecord(row)) }
    return out
  }

  /// One reply in one of the `expecting` statuses (`SQLiteStore.outboxRecord(_:id:expecting:)`),
  /// read after the caller took the writer's turn (`writerTurn`): a courier's attempt, an
  /// approval and a withdrawal of the same reply take turns, and the second sees what the first did.
  static func lockedReply(_ session: ServerSession, id: Int64, expecting: [OutboxStatus]) async throws
    -> OutboxRecord
  {
    guard
      let record = try await outboxRecords(
        session, "SELECT \(outboxColumns) FROM outbox WHERE id = $1", binds: binds(id)
      ).first
    else { throw OutboxError.noSuchReply(id) }
    guard expecting.contains(record.status) else {
      throw OutboxError.wrongState(id, record.status, expected: expecting)
    }
    return record
  }

  /// Tells the responder what happened to their reply (`SQLiteStore.notifyResponder`); nobody is
  /// told of their own doing.
  static func notifyResponder(
    _ session: ServerSession, of record: OutboxRecord, kind: NoticeKind, actor: String, note: String? = nil,
    at: Int64
  ) async throws {
    guard record.responder.lowercased() != actor.lowercased() else { return }
    _ = try await session.values(
      """
      INSERT INTO notices (recipient, kind, mention_id, outbox_id, actor, note, created_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id
      """,
      binds: binds(record.responder, kind.rawValue, record.mentionID, record.id, actor, note, at),
      as: Int64.self)
  }

  // MARK: The mention's clocks

  /// The mention's columns a reply moves, in the order of their names (`SQLiteStore.clockKeys`),
  /// with whether each is text; the JSON is written exactly as SQLite's store writes it, so a
  /// withdrawal on either store restores it.
  static let clockKeys: [(name: StaticString, text: Bool)] = [
    ("due_at", false), ("earliest_reply_at", false), ("first_response_at", false),
    ("first_response_by", true), ("follow_up_answered_due_at", false), ("follow_up_at", false),
    ("follow_up_due_at", false), ("holding_since", false), ("no_reply_reason", true), ("snoozed_from", true),
    ("snoozed_until", false), ("status", true),
  ]

  /// The clock columns as a JSON object with sorted keys (`SQLiteStore.clockState`).
  static func clockState(_ session: ServerSession, mentionID: Int64) async throws -> String? {
    let columns = clockKeys.map { "\($0.name)" + ($0.text ? "" : "::text") }.joined(separator: ", ")
    let rows = try await session.connection.query(
      PostgresQuery(unsafeSQL: "SELECT \(columns) FROM mentions WHERE id = $1", binds: binds(mentionID)),
      logger: session.logger)
    for try await row in rows {
      let r = row.makeRandomAccess()
      var w = JSONWriter()
      for (i, key) in clockKeys.enumerated() {
        let value = try r[i].decode(String?.self)
        if let value, !key.text, let n = Int64(value) {
          w.int(key.name, n)
        } else if let value {
          w.string(key.name, value)
        } else {
          w.int(key.name, nil as Int64?)
        }
      }
      return w.finish()
    }
    return nil
  }

  /// A follow-up target is pending (`SQLiteStore.followUpPendingSQL`).
  static let followUpPendingSQL =
    "(follow_up_due_at IS NOT NULL AND status IN ('holding', 'replied', 'snoozed'))"

  /// The mention's move once a reply is on its way (`SQLiteStore.applyReply`).
  static func applyReply(
    _ session: ServerSession, mentionID: Int64, kind: ReplyKind, responder: String, at now: Int64,
    policy: PolicyConfig
  ) async throws {
    guard
      let (categoryName, statusName) = try await session.rows(
        "SELECT category, status FROM mentions WHERE id = $1", binds: binds(mentionID),
        as: (String?, String).self
      ).first
    else { throw ActionError.noSuchMention(mentionID) }
    let category = categoryName.flatMap(Category.init(rawValue:))
    let status = MentionStatus(rawValue: statusName) ?? .open
    let time = Date(epochMilliseconds: now)
    // Once answered, the cooling-off (S11) is over (`SQLiteStore.coolingEnds`).
    let coolingEnds =
      "earliest_reply_at = CASE WHEN earliest_reply_at > $4 THEN $4 ELSE earliest_reply_at END"
    switch kind {
    case .holding:
      let follow = policy.followUpDeadline(afterHoldingAt: time).epochMilliseconds
      try await exec(
        session,
        """
        UPDATE mentions SET status = 'holding', holding_since = $4, follow_up_due_at = $2, due_at = $2,
          snoozed_until = NULL, snoozed_from = NULL, \(coolingEnds),
          first_response_at = coalesce(first_response_at, $4),
          first_response_by = coalesce(first_response_by, $3)
        WHERE id = $1
        """, binds(mentionID, follow, responder, now))
    case .reply, .followUp:
      let follow: Int64? =
        kind == .followUp || status == .replied
        ? nil
        : category.flatMap { policy.followUpDeadline(category: $0, firstResponseAt: time)?.epochMilliseconds }
      try await exec(
        session,
        """
        UPDATE mentions SET
          follow_up_at = CASE WHEN \(followUpPendingSQL) THEN $2 ELSE follow_up_at END,
          follow_up_answered_due_at = CASE WHEN \(followUpPendingSQL) THEN follow_up_due_at
            ELSE follow_up_answered_due_at END
        WHERE id = $1
        """, binds(mentionID, now))
      try await exec(
        session,
        """
        UPDATE mentions SET status = 'replied', due_at = $2::bigint, follow_up_due_at = $2::bigint,
          snoozed_until = NULL, snoozed_from = NULL, no_reply_reason = NULL, \(coolingEnds),
          first_response_at = coalesce(first_response_at, $4),
          first_response_by = coalesce(first_response_by, $3)
        WHERE id = $1
        """, binds(mentionID, follow, responder, now))
    }
    // An overdue escalation whose reason this reply took away closes in this transaction.
    try await EscalationSQL.closeSettledOverdue(session, mentionID: mentionID, now: now)
    // One answer for a post and its repeats (issue 16).
    try await followHead(session, head: mentionID, action: "answered_with", actor: responder, now: now)
  }

  /// The open repeats of `head` take its status after an action on it (`SQLiteStore.followHead`).
  static func followHead(_ session: ServerSession, head: Int64, action: String, actor: String, now: Int64)
    async throws
  {
    let repeats = try await session.values(
      "SELECT id FROM mentions WHERE repeat_of = $1 AND status NOT IN ('replied', 'no_reply') ORDER BY id",
      binds: binds(head), as: Int64.self)
    guard !repeats.isEmpty else { return }
    for id in repeats {
      try await exec(
        session,
        """
        UPDATE mentions SET (status, no_reply_reason, snoozed_until, snoozed_from, due_at) =
          (SELECT h.status, h.no_reply_reason, h.snoozed_until, h.snoozed_from, NULL::bigint
           FROM mentions h WHERE h.id = $2)
        WHERE id = $1
        """, binds(id, head))
      try await appendEvent(
        session, at: now, actor: actor, action: action, mentionID: id, detail: #"{"with":\#(head)}"#)
    }
  }
}

extension ServerStore {
  /// `bridge.run`, with the store's refusals (`ReplySQL.isRefusal`: a reply in the wrong state,
  /// no such mention, an escalation resolved already) reaching the caller as they are. The
  /// bridge maps whatever is not the driver's to "cannot reach the server" and drops the
  /// connection; a refusal is the store's answer, so it goes round the bridge as a value. A
  /// transaction it was thrown in was rolled back on its way out.
  func replyRun<T: Sendable>(
    timeout: Double = 30, _ body: @escaping @Sendable (ServerSession) async throws -> T
  ) throws -> T {
    let outcome: Result<T, any Error> = try bridge.run(timeout: timeout) { session in
      do {
        return .success(try await body(session))
      } catch  where ReplySQL.isRefusal(error) {
        return .failure(error)
      }
    }
    return try outcome.get()
  }
}

extension ReplySQL {
  /// The errors these topics refuse a call with, as `SQLiteStore` throws them.
  static func isRefusal(_ error: any Error) -> Bool {
    error is OutboxError || error is ActionError || error is EscalationError
  }
}

extension ReplyKind {
  /// The event a reply of this kind records (`ReplyKind.eventAction` of the SQLite store).
  var serverEventAction: String {
    switch self {
    case .reply: return "reply"
    case .holding: return "holding_reply"
    case .followUp: return "follow_up"
    }
  }
}

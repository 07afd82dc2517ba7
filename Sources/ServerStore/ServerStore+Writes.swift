import Foundation
import Inbox
import PostgresNIO

// The pieces every topic's writes on the server share: binding values, one transaction per
// write taken in the writers' turn, the refusals that leave it as they are, the audit trail.

extension PostgresBindings {
  /// Bindings for `$1`, `$2`, … in order; nil binds NULL (give the parameter a type in the SQL,
  /// `$3::bigint`, where the server cannot tell it from the statement).
  static func of(_ values: (any PostgresDynamicTypeEncodable)?...) -> PostgresBindings {
    var binds = PostgresBindings(capacity: values.count)
    for value in values {
      if let value { binds.append(value) } else { binds.appendNull() }
    }
    return binds
  }
}

extension ServerSession {
  /// Runs one statement with its bindings and drops any rows.
  func execute(_ sql: String, _ binds: PostgresBindings) async throws {
    let rows = try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
    for try await _ in rows {}
  }

  /// Appends one event to the audit trail, in the caller's transaction (the store's clock's time,
  /// never the server's).
  func appendEvent(at: Int64, actor: String, action: String, mentionID: Int64?, detail: String?) async throws
  {
    try await execute(
      "INSERT INTO events (at, actor, action, mention_id, detail) VALUES ($1, $2, $3, $4::bigint, $5::text)",
      .of(at, actor, action, mentionID, detail))
  }

  /// Takes the writers' turn until the transaction ends: the lock on the change counter's row
  /// (migration 2) that every write takes anyway with its first statement (its trigger moves the
  /// counter), taken here before anything is read, as ingest takes it. So writers on every machine
  /// take turns as on a SQLite store: what a write read to decide (the mention's claim, a position
  /// free, the version in force, a source's lease) stays true until it commits, and no two writers
  /// hold row locks the other waits for. Readers do not wait. It moves nothing: a write that
  /// changes nothing leaves the change token alone.
  func takeWritersTurn() async throws {
    try await execute("SELECT n FROM change_counter FOR NO KEY UPDATE", PostgresBindings())
  }
}

extension ServerStore {
  /// Runs `body` in one transaction in the writers' turn (`takeWritersTurn`): committed when it
  /// returns, rolled back when it throws. A refusal it throws (`isRefusal`) reaches the caller as
  /// it is; the driver's errors as the bridge maps them.
  func write<T: Sendable>(
    timeout: Double = 30, _ body: @escaping @Sendable (ServerSession) async throws -> T
  ) throws -> T {
    try passingRefusals(timeout: timeout) { session in
      try await session.transaction { session in
        try await session.takeWritersTurn()
        return try await body(session)
      }
    }
  }

  /// Runs `body` outside a transaction (a read, or a statement that is one on its own), refusals
  /// passed on as `write` passes them.
  func read<T: Sendable>(
    timeout: Double = 30, _ body: @escaping @Sendable (ServerSession) async throws -> T
  ) throws -> T {
    try passingRefusals(timeout: timeout, body)
  }

  private func passingRefusals<T: Sendable>(
    timeout: Double, _ body: @escaping @Sendable (ServerSession) async throws -> T
  ) throws -> T {
    // The bridge maps whatever is not the driver's to "cannot reach the server" and drops the
    // connection; a refusal is the store's answer, so it goes round the bridge as a value.
    let outcome: Result<T, Refused> = try bridge.run(timeout: timeout) { session in
      do {
        return .success(try await body(session))
      } catch  where Self.isRefusal(error) {
        return .failure(Refused(error: error))
      }
    }
    switch outcome {
    case .success(let value): return value
    case .failure(let refused): throw refused.error
    }
  }

  /// The store's refusals: the domain's own errors, which the caller acts on.
  static func isRefusal(_ error: any Error) -> Bool {
    error is ActionError || error is ViewError || error is SnippetError || error is InboxError
      || error is PersonError
  }

  /// The clock's time as the store keeps it.
  var nowMilliseconds: Int64 { clock.now().epochMilliseconds }
}

/// A refusal on its way round the bridge.
struct Refused: Error {
  let error: any Error
}

import Foundation
import Inbox
import PostgresNIO

// The pieces every topic's writes on the server share: binding values, one transaction per
// write, the refusals that leave it as they are, the audit trail and the topic locks.

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

  /// Takes the store's lock on one topic (`policies`, `views`, `snippets`) until the transaction
  /// ends: writers of the topic take turns, as SQLite's one writer does, so a check and the write
  /// it allows are never split by another machine's (two views saved at one position, two policies
  /// numbered alike). Readers do not wait. Keyed by the schema, so two stores in one database do
  /// not wait for each other.
  func lockTopic(_ topic: String) async throws {
    try await execute("SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.' || $1))", .of(topic))
  }
}

extension ServerStore {
  /// Runs `body` in one transaction: committed when it returns, rolled back when it throws. A
  /// refusal it throws (`isRefusal`) reaches the caller as it is; the driver's errors as the
  /// bridge maps them.
  func write<T: Sendable>(
    timeout: Double = 30, _ body: @escaping @Sendable (ServerSession) async throws -> T
  ) throws -> T {
    try passingRefusals(timeout: timeout) { session in try await session.transaction(body) }
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
  }

  /// The clock's time as the store keeps it.
  var nowMilliseconds: Int64 { clock.now().epochMilliseconds }
}

/// A refusal on its way round the bridge.
struct Refused: Error {
  let error: any Error
}

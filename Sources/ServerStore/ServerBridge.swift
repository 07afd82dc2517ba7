import Foundation
import Inbox
import Logging
import NIOCore
import NIOPosix
import PostgresNIO

/// The one seam between PostgresNIO's async API and the store's synchronous callers (a command's
/// main thread, the inbox's store worker): `run` blocks the calling thread until the work is done
/// on the bridge's own event loop, or its time is up.
///
/// - The bridge owns a one-thread event loop group, so the driver's network work never shares a
///   thread with anything that may block; `run` refuses to be called on an event loop thread
///   (it would wait for itself).
/// - The work runs as a task whose executor is the bridge's event loop (`LoopTaskExecutor`), never
///   on Swift's shared pool: so a caller that is itself a task on that pool (a test, a helper of
///   the inbox) may block in `run` without starving the work it waits for.
/// - One connection, opened on first use and opened again after it was lost or timed out.
/// - One `run` at a time: a second caller waits its turn, so a transaction (`BEGIN` … `COMMIT` in
///   one body) never has another thread's statements in the middle of it.
/// - Everything PostgresNIO throws leaves as `InboxError` or `ServerStoreError`; no NIO type
///   leaves this target but to the package's own tests: the bridge and its session are `package`,
///   for the tests' server support (`Tests/TestServerSupport`), which makes and drops their
///   databases, schemas and roles without `@testable` (a plain target cannot use it).
/// - A lost server (a connection refused or cut) is an outage: until a probe finds the server
///   again, `run` fails at once with "reconnecting…" (`ServerOutage`), so a caller on a thread
///   that must not hang (the inbox's) is not held up by one connection attempt after another.
package final class ServerBridge: @unchecked Sendable {
  let address: ServerAddress
  private let group: MultiThreadedEventLoopGroup
  private let logger: Logger
  private let tls: PostgresConnection.Configuration.TLS
  /// The open connection, if any; swapped under its lock only.
  private let connection = Locked<PostgresConnection?>(nil)
  private let closed = Locked(false)
  /// Where `run`'s work executes: the event loop's thread.
  private let executor: LoopTaskExecutor
  /// Held for the whole of each `run`.
  private let turn = NSLock()
  /// Whether the server is out of reach now, and the probe that looks for it.
  let outage: ServerOutage
  /// The longest any `run` waits, connecting included (nil: each run's own limit). An inbox sets
  /// it (`ServerStore.limitWaits`): a cut link then shows within that, and a time-out counts as an
  /// outage until the probe reaches the server.
  let waitLimit = Locked<Double?>(nil)

  package init(address: ServerAddress) throws {
    self.address = address
    self.tls = try ServerTLS.configuration(for: address)
    self.group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    self.executor = LoopTaskExecutor(loop: group.next())
    self.outage = ServerOutage(address: address)
    self.logger = Logger(label: "repute.server", factory: { _ in SwiftLogNoOpLogHandler() })
  }

  deinit {
    outage.stop()
    guard !closed.current else { return }
    // A bridge let go without `close()`: its connection still goes away closed (PostgresNIO
    // asserts that it does), then the event loop stops.
    if let open = connection.current { open.close().whenComplete { _ in withExtendedLifetime(open) {} } }
    // The last reference may go on the loop's own thread (a `run`'s task ending after its caller
    // let go of the store): there the group can only be told to stop, not waited for.
    if MultiThreadedEventLoopGroup.currentEventLoop != nil {
      group.shutdownGracefully(queue: LoopGroupStop.queue) { _ in }
    } else {
      LoopGroupStop.wait(for: group)
    }
  }

  /// Closes the connection and stops the event loop. `run` after this fails.
  package func close() {
    guard
      !closed.withLock({ was in
        defer { was = true }; return was
      })
    else { return }
    outage.stop()
    if let open = connection.withLock({ old in
      defer { old = nil }; return old
    }) {
      try? open.close().wait()
    }
    LoopGroupStop.wait(for: group)
  }

  /// Runs `body` on the bridge's connection and waits for it, at most `timeout` seconds on top of
  /// the time to connect. Past that the caller hears so (`storeUnavailable`) and the connection is
  /// dropped, whatever the driver is still doing. Must not be called on an event loop thread.
  package func run<T: Sendable>(
    timeout: Double = 30, _ body: @escaping @Sendable (ServerSession) async throws -> T
  ) throws -> T {
    precondition(
      MultiThreadedEventLoopGroup.currentEventLoop == nil,
      "ServerBridge.run blocks: never call it on an event loop thread")
    turn.lock()
    defer { turn.unlock() }
    guard !closed.current else { throw InboxError.storeUnavailable("the connection to \(address) is closed") }
    if outage.isDown {
      // Said as a one-shot command must say it too: the server is out of reach (the inbox shows
      // "reconnecting…" from `isReconnecting`).
      throw InboxError.storeUnavailable("cannot reach the PostgreSQL server at \(address): reconnecting…")
    }
    // The time to connect counts on top when there is no open connection to use.
    let connecting = connection.withLock { $0 == nil || $0?.isClosed == true }
    let cap = waitLimit.current
    let connectTime = Double(address.connectTimeout == 0 ? 3600 : address.connectTimeout)
    let limit = cap.map { min(timeout, $0) } ?? (timeout + (connecting ? connectTime : 0))
    let outcome = Locked<Result<T, any Error>?>(nil)
    let done = DispatchSemaphore(value: 0)
    Task(executorPreference: executor) {
      let result: Result<T, any Error>
      do {
        let session = ServerSession(connection: try await self.open(limit: cap), logger: self.logger)
        result = .success(try await body(session))
      } catch {
        result = .failure(error)
      }
      outcome.withLock { $0 = result }
      done.signal()
    }
    guard done.wait(timeout: .now() + limit) == .success, let result = outcome.current else {
      dropConnection()
      // With a limit on every wait (an inbox), silence is taken for a cut link until the probe
      // finds the server: on a live one that takes a quarter of a second.
      if cap != nil { outage.lost() }
      throw InboxError.storeUnavailable(
        "the PostgreSQL server at \(address) did not answer within \(String(format: "%g", limit)) s")
    }
    switch result {
    case .success(let value):
      outage.recovered()
      return value
    case .failure(let error):
      if ServerErrors.losesConnection(error) { dropConnection() }
      if ServerErrors.meansOutage(error) {
        dropConnection()
        outage.lost()
      }
      throw ServerErrors.mapped(error, address: address)
    }
  }

  /// The open connection, or a new one.
  private func open(limit: Double?) async throws -> PostgresConnection {
    if let open = connection.current, !open.isClosed { return open }
    var configuration = try ServerConfiguration.make(for: address, tls: tls)
    var seconds = Int64(address.connectTimeout == 0 ? 3600 : address.connectTimeout)
    if let limit { seconds = min(seconds, max(Int64(limit.rounded(.up)), 1)) }
    configuration.options.connectTimeout = .seconds(seconds)
    let fresh = try await PostgresConnection.connect(
      on: group.next(), configuration: configuration, id: 1, logger: logger)
    let previous = connection.withLock { current in
      defer { current = fresh }; return current
    }
    if let previous { try? await previous.close() }
    return fresh
  }

  /// Forgets the connection after a failure that leaves it unusable (a time-out mid-query, a lost
  /// server): the next `run` opens a new one.
  private func dropConnection() {
    if let old = connection.withLock({ old in
      defer { old = nil }; return old
    }) {
      // The close completes later, on the event loop; the connection must live until it has
      // (PostgresNIO asserts that a connection is closed before it goes away), and the work that
      // timed out may let go of it first.
      old.close().whenComplete { _ in withExtendedLifetime(old) {} }
    }
  }
}

/// A task executor on one event loop: the jobs of `ServerBridge.run`'s task run on the loop's
/// thread, where the driver's own work runs anyway, so they never wait for a thread of Swift's
/// shared pool (which a blocked caller may be holding).
final class LoopTaskExecutor: TaskExecutor, @unchecked Sendable {
  let loop: any EventLoop

  init(loop: any EventLoop) { self.loop = loop }

  func enqueue(_ job: consuming ExecutorJob) {
    let unowned = UnownedJob(job)
    loop.execute { unowned.runSynchronously(on: self.asUnownedTaskExecutor()) }
  }
}

/// What `ServerBridge.run` hands its work: the connection's queries, in the store's words.
package struct ServerSession: Sendable {
  let connection: PostgresConnection
  let logger: Logger

  /// Runs one statement and drops its rows.
  package func execute(_ sql: String) async throws {
    try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
  }

  /// Runs one statement and decodes each row as `Row` (a tuple of driver-decodable values).
  func rows<each Column: PostgresDecodable>(
    _ sql: String, binds: PostgresBindings = PostgresBindings(), as type: (repeat each Column).Type
  ) async throws -> [(repeat each Column)] {
    var out: [(repeat each Column)] = []
    let sequence = try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
    for try await row in sequence { out.append(try row.decode((repeat each Column).self)) }
    return out
  }

  /// Runs one statement and decodes the first column of each row as `T`.
  package func values<T: PostgresDecodable>(
    _ sql: String, binds: PostgresBindings = PostgresBindings(), as type: T.Type
  ) async throws -> [T] {
    var out: [T] = []
    let sequence = try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
    for try await row in sequence { out.append(try row.decode(T.self)) }
    return out
  }

  /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
  /// `begin` is the statement that opens it (with its isolation level, say: one round trip).
  func transaction<T: Sendable>(begin: String = "BEGIN", _ body: (ServerSession) async throws -> T)
    async throws -> T
  {
    try await execute(begin)
    do {
      let value = try await body(self)
      try await execute("COMMIT")
      return value
    } catch {
      try? await execute("ROLLBACK")
      throw error
    }
  }
}

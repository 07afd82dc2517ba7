import Foundation
import Inbox
import XCTest

@testable import ServerStore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The live change signal on PostgreSQL (migration 5): a commit through another connection makes
/// the signal's descriptor readable, as a commit to a file's WAL does for `StoreChangeSignal`.
final class ServerChangeSignalTests: XCTestCase {
  /// A fresh store in its own database, and the signal listening on it.
  private func listening(_ database: TestDatabase) throws -> (ServerAddress, ServerChangeSignal) {
    let address = try TestServer.address(database.url)
    let store = try ServerStore(address: address)
    defer { store.close() }
    _ = try store.initialize()
    let signal = try ServerChangeSignal(address: address)
    XCTAssertTrue(signal.waitUntilListening(timeout: 10), "the signal never listened")
    // The wake after a new LISTEN (a commit may have gone by) is not what these tests look at.
    XCTAssertTrue(readable(signal, within: 1))
    signal.drain()
    return (address, signal)
  }

  /// Whether the descriptor becomes readable within `seconds`.
  private func readable(_ signal: ServerChangeSignal, within seconds: Double) -> Bool {
    var entry = pollfd(fd: signal.descriptor, events: Int16(POLLIN), revents: 0)
    return poll(&entry, 1, Int32(seconds * 1000)) == 1
  }

  /// The bytes waiting in the pipe: one per notification.
  private func waiting(_ signal: ServerChangeSignal) -> Int {
    var buffer = [UInt8](repeating: 0, count: 256)
    var total = 0
    while true {
      let n = buffer.withUnsafeMutableBytes { read(signal.descriptor, $0.baseAddress, $0.count) }
      if n <= 0 { return total }
      total += n
    }
  }

  func testAWriteThroughAnotherConnectionWakesTheSignalWithin300ms() throws {
    let database = try TestDatabase()
    defer { database.drop() }
    let (_, signal) = try listening(database)
    XCTAssertFalse(readable(signal, within: 0.05), "woken with nothing written")
    let started = Date()
    try database.execute("INSERT INTO repute.events (at, actor, action) VALUES (1, 'anna', 'note')")
    XCTAssertTrue(readable(signal, within: 0.3), "no wake within 300 ms of the commit")
    let latency = Date().timeIntervalSince(started)
    print("change signal: woken \(Int(latency * 1000)) ms after the write was sent")
    signal.drain()
    XCTAssertFalse(readable(signal, within: 0.05), "drain left the descriptor readable")
  }

  func testOneWakePerTransactionNotPerRow() throws {
    let database = try TestDatabase()
    defer { database.drop() }
    let (_, signal) = try listening(database)
    // 500 rows in one statement, then three more statements on other tables, in one transaction.
    try database.execute(
      "BEGIN",
      "INSERT INTO repute.events (at, actor, action) SELECT n, 'anna', 'note' FROM generate_series(1, 500) AS n",
      "INSERT INTO repute.authors (platform, handle) VALUES ('x', 'anna')",
      "UPDATE repute.authors SET followers = 3",
      "INSERT INTO repute.events (at, actor, action) VALUES (2, 'bram', 'note')",
      "COMMIT")
    XCTAssertTrue(readable(signal, within: 0.3))
    usleep(200_000)
    XCTAssertEqual(waiting(signal), 1, "one transaction, one wake")
  }

  func testNoWakeForARollbackOrForWhatNoInboxShows() throws {
    let database = try TestDatabase()
    defer { database.drop() }
    let (_, signal) = try listening(database)
    try database.execute(
      "BEGIN", "INSERT INTO repute.events (at, actor, action) VALUES (1, 'anna', 'note')", "ROLLBACK")
    // A source's poll state and the store's bookkeeping change nothing an inbox shows.
    try database.execute(
      "INSERT INTO repute.sources (name, kind) VALUES ('feed', 'rss')",
      "INSERT INTO repute.store_meta (key, value) VALUES ('k', 'v')")
    XCTAssertFalse(readable(signal, within: 0.3), "woken by a rollback or a table no inbox shows")
  }

  func testEveryShownTableNotifiesPerStatement() throws {
    let database = try TestDatabase()
    defer { database.drop() }
    let address = try TestServer.address(database.url)
    let store = try ServerStore(address: address)
    defer { store.close() }
    _ = try store.initialize()
    let rows = try store.bridge.run { session in
      try await session.rows(
        """
        SELECT c.relname::text, (t.tgtype & 1)::int FROM pg_trigger t
        JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'repute' AND t.tgname LIKE '%\\_notify'
        """, as: (String, Int).self)
    }
    XCTAssertEqual(Set(rows.map(\.0)), Set(ServerSchema.signalledTables))
    XCTAssertTrue(rows.allSatisfy { $0.1 == 0 }, "a row-level notify trigger: \(rows)")
  }

  func testTheSignalListensAgainAfterItsConnectionIsLost() throws {
    let database = try TestDatabase()
    defer { database.drop() }
    let (_, signal) = try listening(database)
    try database.execute(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN%' AND datname = current_database()"
    )
    // It comes back within its first pause (half a second) and says "look again" once.
    let deadline = Date().addingTimeInterval(10)
    while !(signal.isListening && readable(signal, within: 0.05)) && Date() < deadline { usleep(20_000) }
    XCTAssertTrue(signal.isListening, "the signal did not listen again")
    signal.drain()
    try database.execute("INSERT INTO repute.events (at, actor, action) VALUES (1, 'anna', 'note')")
    XCTAssertTrue(readable(signal, within: 0.3))
  }

  /// An inbox on a server asks for the change token only when the signal says there may be news
  /// (`takeNews`): an idle inbox sends the server nothing while it listens.
  func testTheTokenIsAskedForAfterANotificationOnlyWhileListening() throws {
    let database = try TestDatabase()
    defer { database.drop() }
    let (_, signal) = try listening(database)
    // The wake after the first LISTEN counts as news once (a commit may have gone by before it).
    XCTAssertTrue(signal.takeNews(fallback: 60), "no news after the first LISTEN")
    XCTAssertFalse(signal.takeNews(fallback: 60), "news again with nothing written")
    try database.execute("INSERT INTO repute.events (at, actor, action) VALUES (1, 'anna', 'note')")
    XCTAssertTrue(readable(signal, within: 1), "no wake for the commit")
    XCTAssertTrue(signal.takeNews(fallback: 60), "a commit elsewhere brought no news")
    XCTAssertFalse(signal.takeNews(fallback: 60), "one commit, news once")
    // The fallback: asked again after its time even with nothing heard.
    usleep(300_000)
    XCTAssertTrue(signal.takeNews(fallback: 0.2), "the fallback never asked")
    XCTAssertFalse(signal.takeNews(fallback: 0.2))
  }

  /// Nothing listening at that port: the signal never listens, so every pass asks the store.
  func testWithoutAListenerEveryPassAsks() throws {
    let address = try ServerAddress.resolve(
      url: "postgres://nobody@127.0.0.1:1/none?connect_timeout=1", environment: [:], login: "nobody"
    ) { _ in .missing }
    let signal = try ServerChangeSignal(address: address)
    XCTAssertFalse(signal.isListening)
    XCTAssertTrue(signal.takeNews(fallback: 60))
    XCTAssertTrue(signal.takeNews(fallback: 60))
  }

  /// After an outage the inbox has the signal listen anew: its old connection may be dead without
  /// knowing it. The new LISTEN wakes once, and a commit after it wakes again.
  func testRenewListensAgainAndHearsTheNextCommit() throws {
    let database = try TestDatabase()
    defer { database.drop() }
    let (_, signal) = try listening(database)
    XCTAssertTrue(signal.takeNews(fallback: 60))
    signal.renew()
    XCTAssertTrue(signal.takeNews(fallback: 60), "not listening: every call asks")
    XCTAssertTrue(signal.waitUntilListening(timeout: 10), "the signal never listened again")
    XCTAssertTrue(readable(signal, within: 1), "no wake after the new LISTEN")
    signal.drain()
    _ = signal.takeNews(fallback: 60)
    try database.execute("INSERT INTO repute.events (at, actor, action) VALUES (1, 'anna', 'note')")
    XCTAssertTrue(readable(signal, within: 1), "the renewed signal missed a commit")
    XCTAssertTrue(signal.takeNews(fallback: 60))
  }
}

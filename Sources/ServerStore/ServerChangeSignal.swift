import Foundation
import Inbox
import Logging
import NIOCore
import NIOPosix
import PostgresNIO

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A descriptor that becomes readable when someone commits a change to the team's store, so an
/// inbox on a PostgreSQL store wakes on a commit as one on a file wakes on its WAL
/// (`StoreChangeSignal`, the same shape: `descriptor`, `drain()`).
///
/// The store's triggers notify the channel named after its schema once per changing statement
/// (migration 5, `ServerSchema+V5.swift`); PostgreSQL delivers a transaction's notifications at
/// its commit. This signal LISTENs on a connection of its own, with an event loop of its own, so
/// it never waits behind the store's queries; each notification writes a byte into a pipe whose
/// read end is `descriptor`. It only says "look again": `changeToken()` still decides whether
/// anything changed, and the inbox's timer stays the fallback. A lost connection is opened again
/// (after half a second, doubling up to 5 s, so a restarted server is heard again within seconds), with one wake after each new LISTEN, since a
/// commit may have gone by meanwhile.
public final class ServerChangeSignal: @unchecked Sendable {
  /// Readable after a notification; `drain()` before waiting on it again.
  public let descriptor: Int32
  private let writeEnd: Int32
  private let group: MultiThreadedEventLoopGroup
  private let state = Locked(SignalState())
  /// Signalled when the listening task has ended.
  private let ended = DispatchSemaphore(value: 0)
  private var task: Task<Void, Never>?

  /// Starts listening for the store at `address`; returns at once (the connection is made on the
  /// signal's own event loop). Throws only when no pipe can be made or TLS cannot be set up.
  public init(address: ServerAddress) throws {
    var ends: [Int32] = [0, 0]
    guard pipe(&ends) == 0 else {
      throw InboxError.storeUnavailable(
        "cannot make a pipe for the change signal: \(String(cString: strerror(errno)))")
    }
    for end in ends {
      _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
      _ = fcntl(end, F_SETFD, FD_CLOEXEC)
    }
    descriptor = ends[0]
    writeEnd = ends[1]
    var configuration = try ServerConfiguration.make(for: address, tls: ServerTLS.configuration(for: address))
    configuration.options.connectTimeout = .seconds(
      Int64(address.connectTimeout == 0 ? 30 : address.connectTimeout))
    group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    let loop = group.next()
    let follow = Follow(
      configuration: configuration, channel: address.schema, loop: loop, writeEnd: writeEnd, state: state,
      ended: ended)
    task = Task(executorPreference: LoopTaskExecutor(loop: loop)) { await follow.run() }
  }

  /// Whether the signal is listening now (a test waits for it before it writes).
  public var isListening: Bool { state.current.listening }

  /// Listens anew: drops the listening connection, which may be dead without knowing it (a link
  /// cut while the server restarted leaves no word on the socket), so the task connects and
  /// LISTENs again at once, with its wake after the new LISTEN. Called when the store answers
  /// again after an outage; meanwhile `takeNews` says yes on every call.
  public func renew() {
    let open = state.withLock { s -> PostgresConnection? in
      s.listening = false
      return s.connection
    }
    open?.close().whenComplete { _ in withExtendedLifetime(open) {} }
  }

  /// Whether the inbox should ask the store whether anything changed (its change token, a round
  /// trip): after a notification since the last call; on every call while the signal is not
  /// listening (the poll is then how changes are found); and at least every `fallback` seconds
  /// besides. With the signal listening an idle inbox sends the server nothing (issue 18: live
  /// through `LISTEN`, not polling).
  public func takeNews(fallback: TimeInterval = 1) -> Bool {
    takeNotice(fallback: fallback).ask
  }

  /// `takeNews`, and whether a notification is among the reasons (`notified`): someone committed,
  /// so an inbox asks what changed at once, where the fallback's second or a signal not listening
  /// only asks whether anything did (the change token, the smaller question).
  public func takeNotice(fallback: TimeInterval = 1) -> (ask: Bool, notified: Bool) {
    let now = ProcessInfo.processInfo.systemUptime
    return state.withLock { s in
      let notified = s.listening && s.pokes != s.seen
      guard !s.listening || notified || now - s.askedAt >= fallback else { return (false, false) }
      s.seen = s.pokes
      s.askedAt = now
      return (true, notified)
    }
  }

  /// Waits at most `timeout` seconds until the signal listens; true when it does.
  public func waitUntilListening(timeout: TimeInterval) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while !isListening {
      if Date() >= deadline { return false }
      usleep(5_000)
    }
    return true
  }

  /// Reads away what is waiting (the descriptor does not block), so the next wait sleeps.
  public func drain() {
    var buffer = [UInt8](repeating: 0, count: 256)
    while buffer.withUnsafeMutableBytes({ read(descriptor, $0.baseAddress, $0.count) }) > 0 {}
  }

  deinit {
    let open = state.withLock { s -> PostgresConnection? in
      s.stopped = true
      return s.connection
    }
    // Closing the connection ends the notifications' sequence, and with it the listening task;
    // cancelling it ends a pause between attempts.
    task?.cancel()
    open?.close().whenComplete { _ in withExtendedLifetime(open) {} }
    _ = ended.wait(timeout: .now() + 5)
    LoopGroupStop.wait(for: group)
    close(descriptor)
    close(writeEnd)
  }
}

/// What the signal and its listening task share, under one lock.
private struct SignalState {
  var connection: PostgresConnection?
  var listening = false
  var stopped = false
  /// Notifications (and wakes after a new LISTEN) so far, and as many as the last `takeNews` saw.
  var pokes: UInt64 = 0
  var seen: UInt64 = 0
  /// When `takeNews` last said yes (seconds of uptime).
  var askedAt: TimeInterval = 0
}

/// The signal's listening task: connect, LISTEN, poke the pipe per notification, again after a loss.
private struct Follow: Sendable {
  let configuration: PostgresConnection.Configuration
  let channel: String
  let loop: any EventLoop
  let writeEnd: Int32
  let state: Locked<SignalState>
  let ended: DispatchSemaphore

  func run() async {
    defer { ended.signal() }
    let logger = Logger(label: "repute.signal", factory: { _ in SwiftLogNoOpLogHandler() })
    var pause = 0.5
    while !state.current.stopped && !Task.isCancelled {
      do {
        let connection = try await PostgresConnection.connect(
          on: loop, configuration: configuration, id: 2, logger: logger)
        let keep = state.withLock { s -> Bool in
          if !s.stopped { s.connection = connection }
          return !s.stopped
        }
        if keep {
          try? await connection.listen(on: channel) { notifications in
            state.withLock { $0.listening = true }
            pause = 0.5
            // A commit may have gone by while there was no LISTEN.
            poke()
            for try await _ in notifications { poke() }
          }
        }
        state.withLock {
          $0.listening = false
          $0.connection = nil
        }
        try? await connection.close()
      } catch {
        state.withLock { $0.listening = false }
      }
      if state.current.stopped || Task.isCancelled { return }
      try? await Task.sleep(nanoseconds: UInt64(pause * 1e9))
      pause = min(pause * 2, 5)
    }
  }

  /// One byte into the pipe; a full pipe already says "look again".
  private func poke() {
    state.withLock { $0.pokes &+= 1 }
    var byte: UInt8 = 1
    _ = write(writeEnd, &byte, 1)
  }
}

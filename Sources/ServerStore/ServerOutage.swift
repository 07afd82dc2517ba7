import Foundation
import Inbox
import NIOCore
import NIOPosix

/// The bridge's knowledge that the server is out of reach, and the probe that finds it again
/// (issue 19, "surviving the network").
///
/// When a call loses the connection or cannot make one (the server restarted or stopped, the link
/// is cut), the bridge marks the outage (`lost()`) and every `run` after it fails at once with
/// "reconnecting…", instead of each one waiting for its own connection attempt: an inbox keeps
/// drawing and taking keys on its one thread while the network is down. Meanwhile a thread of the
/// outage's own tries to open a socket to the server (a TCP connection, or the socket file), after
/// a quarter of a second, doubling up to two seconds; the first that opens ends the outage, and the
/// next `run` connects and logs in as usual. The probe logs in to nothing and sends nothing: a
/// server that accepts but is not ready yet (starting up) fails that `run`, which marks the outage
/// again.
final class ServerOutage: Sendable {
  private struct State {
    var down = false
    var probing = false
    var stopped = false
  }
  private let state = Locked(State())
  private let endpoint: ServerAddress.Endpoint
  /// The longest one probe waits for its socket (seconds).
  private let probeLimit: Int64

  init(address: ServerAddress) {
    endpoint = address.endpoint
    probeLimit = Int64(address.connectTimeout == 0 ? 10 : min(address.connectTimeout, 10))
  }

  /// Whether the server was lost and has not been seen since.
  var isDown: Bool { state.current.down }

  /// Marks the server lost and starts the probe (one at a time).
  func lost() {
    let start = state.withLock { s -> Bool in
      guard !s.stopped else { return false }
      s.down = true
      if s.probing { return false }
      s.probing = true
      return true
    }
    guard start else { return }
    let state = state
    let endpoint = endpoint
    let limit = probeLimit
    Thread.detachNewThread { Self.probe(state, endpoint: endpoint, limit: limit) }
  }

  /// Ends the outage: a call went through.
  func recovered() {
    state.withLock { $0.down = false }
  }

  /// Stops the probe (the bridge is closing); it ends after the attempt in hand.
  func stop() {
    state.withLock { $0.stopped = true }
  }

  /// Tries the server until a socket opens, the outage is over or the bridge closes.
  private static func probe(_ state: Locked<State>, endpoint: ServerAddress.Endpoint, limit: Int64) {
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    defer { LoopGroupStop.wait(for: group) }
    var pause = 0.25
    while true {
      Thread.sleep(forTimeInterval: pause)
      let over = state.withLock { s -> Bool in
        if s.stopped || !s.down { s.probing = false }
        return !s.probing
      }
      if over { return }
      if opens(endpoint, group: group, limit: limit) {
        state.withLock { s in
          s.down = false
          s.probing = false
        }
        return
      }
      pause = min(pause * 2, 2)
    }
  }

  /// Whether a socket to the server opens within `limit` seconds (closed again at once).
  private static func opens(
    _ endpoint: ServerAddress.Endpoint, group: MultiThreadedEventLoopGroup, limit: Int64
  )
    -> Bool
  {
    let bootstrap = ClientBootstrap(group: group).connectTimeout(.seconds(limit))
    let channel: EventLoopFuture<any Channel>
    switch endpoint {
    case .tcp(let host, let port): channel = bootstrap.connect(host: host, port: port)
    case .socket(let directory, let port):
      channel = bootstrap.connect(unixDomainSocketPath: directory + "/.s.PGSQL.\(port)")
    }
    guard let open = try? channel.wait() else { return false }
    try? open.close().wait()
    return true
  }
}

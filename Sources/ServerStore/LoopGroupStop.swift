import Dispatch
import NIOPosix

/// Stops an event loop group and waits until its threads are gone, hearing back on a serial queue
/// of its own rather than on Dispatch's shared pool, as NIO's `syncShutdownGracefully` does.
///
/// The shared pool has a thread per core; when those threads are all blocked (a test's helpers
/// waiting on bridges, a store worker waiting here), the shutdown's word never runs and the wait
/// never ends. A serial queue is served by a thread of its own when the pool is busy. Seen as a
/// hang of the tmux suites' server cases under `faketime`, where the pool adds no thread for a
/// blocked one.
enum LoopGroupStop {
  static let queue = DispatchQueue(label: "repute.server.loop-stop")

  static func wait(for group: MultiThreadedEventLoopGroup) {
    let done = DispatchSemaphore(value: 0)
    group.shutdownGracefully(queue: queue) { _ in done.signal() }
    done.wait()
  }
}

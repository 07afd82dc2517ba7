import Foundation

/// Work the client does while the server answers a statement it does not depend on (issue 18):
/// a bulk ingest's batch is a dozen statements, and between two of them the server waited for the
/// client's own reckoning (a tenth of the wall time at a million mentions). The work starts at
/// once on a queue of its own and is awaited where its result is needed.
///
/// Not a task on Swift's shared pool: a caller blocked in `ServerBridge.run` may be holding one
/// of its threads (a test, a helper of the inbox), and the pool has as many as the machine has
/// cores, so the work could wait for the very batch that waits for it. A Dispatch queue of its
/// own gets a thread of its own.
final class Reckoning<Value: Sendable>: @unchecked Sendable {
  private static var queue: DispatchQueue { reckoningQueue }
  private let lock = NSLock()
  private var result: Value?
  private var waiter: CheckedContinuation<Value, Never>?

  /// Starts `work` now.
  init(_ work: @escaping @Sendable () -> Value) {
    Self.queue.async { self.finish(work()) }
  }

  /// The work's result, once it has ended (awaited once).
  var value: Value {
    get async {
      await withCheckedContinuation { continuation in
        lock.lock()
        if let result {
          lock.unlock()
          continuation.resume(returning: result)
        } else {
          waiter = continuation
          lock.unlock()
        }
      }
    }
  }

  private func finish(_ value: Value) {
    lock.lock()
    result = value
    let waiting = waiter
    waiter = nil
    lock.unlock()
    waiting?.resume(returning: value)
  }
}

private let reckoningQueue = DispatchQueue(label: "repute.ingest.reckoning", attributes: .concurrent)

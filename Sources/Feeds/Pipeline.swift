import Foundation
import Inbox

/// A small blocking queue between one producer thread and one consumer.
final class BoundedQueue<Element: Sendable>: Sendable {
  private struct State {
    var items: [Element] = []
    var finished = false
    var cancelled = false
  }
  private let state = Locked(State())
  private let capacity: Int

  init(capacity: Int) { self.capacity = capacity }

  /// Adds an item, waiting while the queue is full; false when the consumer gave up.
  func put(_ item: Element) -> Bool {
    state.withLock(when: { $0.items.count < capacity || $0.cancelled }, wakingWaiters: true) { s in
      if s.cancelled { return false }
      s.items.append(item)
      return true
    }
  }

  /// The next item, or nil once the producer finished and the queue is empty.
  func take() -> Element? {
    state.withLock(when: { !$0.items.isEmpty || $0.finished }, wakingWaiters: true) { s in
      s.items.isEmpty ? nil : s.items.removeFirst()
    }
  }

  func finish() {
    state.withLockWakingWaiters { $0.finished = true }
  }

  func cancel() {
    state.withLockWakingWaiters { $0.cancelled = true }
  }
}

extension Ingester {
  /// Reads `files` on a background thread and hands each batch to `consume` on the calling thread,
  /// so parsing the next batch overlaps with storing this one (two cores, twice the speed).
  ///
  /// Bad records go to `reject` (called on the reading thread, in input order). An error from
  /// reading or from `consume` stops both sides and is rethrown here.
  public func stream(
    _ files: [String],
    reject: @escaping @Sendable (RejectedRecord) -> Void,
    consume: ([IncomingMention]) throws -> Void
  ) throws {
    try stream(files, reject: reject, prepare: { $0 }, consume: consume)
  }

  /// As `stream(_:reject:consume:)`, with `prepare` run on the reading thread for each batch (for
  /// example classifying it), so only `consume` runs on the calling thread. `read` is called on the
  /// reading thread once every file was read whole, with how many mentions they held, while the
  /// last batches may still be waiting for `consume`.
  public func stream<Prepared: Sendable>(
    _ files: [String],
    reject: @escaping @Sendable (RejectedRecord) -> Void,
    prepare: @escaping @Sendable ([IncomingMention]) -> Prepared,
    read: @escaping @Sendable (Int) -> Void = { _ in },
    consume: (Prepared) throws -> Void
  ) throws {
    let queue = BoundedQueue<Prepared>(capacity: 2)
    let failure = FailureBox()
    let reader = self
    let thread = Thread {
      do {
        var mentions = 0
        for file in files {
          try reader.read(
            file,
            batch: { batch in
              mentions += batch.count
              if !queue.put(prepare(batch)) { throw CancellationError() }
            },
            reject: reject)
        }
        read(mentions)
      } catch is CancellationError {
      } catch {
        failure.set(error)
      }
      queue.finish()
    }
    thread.stackSize = 1 << 22
    thread.start()
    do {
      while let batch = queue.take() { try consume(batch) }
    } catch {
      queue.cancel()
      // Let the reader see the cancellation and stop before we return.
      while queue.take() != nil {}
      throw error
    }
    if let error = failure.get() { throw error }
  }
}

/// The reading thread's error, handed to the consuming thread.
private final class FailureBox: Sendable {
  private let error = Locked<(any Error)?>(nil)

  func set(_ error: any Error) {
    self.error.withLock { $0 = error }
  }

  func get() -> (any Error)? {
    error.current
  }
}

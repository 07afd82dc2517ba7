import Foundation
import Inbox

/// A small blocking queue between one producer thread and one consumer.
final class BoundedQueue<Element: Sendable>: @unchecked Sendable {
  private let condition = NSCondition()
  private var items: [Element] = []
  private var finished = false
  private var cancelled = false
  private let capacity: Int

  init(capacity: Int) { self.capacity = capacity }

  /// Adds an item, waiting while the queue is full; false when the consumer gave up.
  func put(_ item: Element) -> Bool {
    condition.lock()
    defer { condition.unlock() }
    while items.count >= capacity && !cancelled { condition.wait() }
    if cancelled { return false }
    items.append(item)
    condition.broadcast()
    return true
  }

  /// The next item, or nil once the producer finished and the queue is empty.
  func take() -> Element? {
    condition.lock()
    defer { condition.unlock() }
    while items.isEmpty && !finished { condition.wait() }
    if items.isEmpty { return nil }
    let item = items.removeFirst()
    condition.broadcast()
    return item
  }

  func finish() {
    condition.lock()
    finished = true
    condition.broadcast()
    condition.unlock()
  }

  func cancel() {
    condition.lock()
    cancelled = true
    condition.broadcast()
    condition.unlock()
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
  /// example classifying it), so only `consume` runs on the calling thread.
  public func stream<Prepared: Sendable>(
    _ files: [String],
    reject: @escaping @Sendable (RejectedRecord) -> Void,
    prepare: @escaping @Sendable ([IncomingMention]) -> Prepared,
    consume: (Prepared) throws -> Void
  ) throws {
    let queue = BoundedQueue<Prepared>(capacity: 2)
    let failure = FailureBox()
    let reader = self
    let thread = Thread {
      do {
        for file in files {
          try reader.read(
            file,
            batch: { batch in
              if !queue.put(prepare(batch)) { throw CancellationError() }
            },
            reject: reject)
        }
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
private final class FailureBox: @unchecked Sendable {
  private let lock = NSLock()
  private var error: (any Error)?

  func set(_ error: any Error) {
    lock.lock()
    self.error = error
    lock.unlock()
  }

  func get() -> (any Error)? {
    lock.lock()
    defer { lock.unlock() }
    return error
  }
}

import Foundation
import Inbox
import InboxUI
import Store
import Testing

@testable import InboxBackend

/// The counting and figures threads end when asked, after the work in hand, and answer first.
@Suite struct WorkerThreadTests {
  /// Waits (on a monotonic clock, never the wall clock) until `done` or ten seconds have passed.
  func eventually(_ done: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + .seconds(10)
    while !done() {
      if ContinuousClock.now >= deadline { return false }
      try? await Task.sleep(for: .milliseconds(5))
    }
    return true
  }

  @Test func theFiguresThreadCountsThenStops() async throws {
    let (source, _) = try seededSource()
    let worker = source.figuresWorker
    #expect(!worker.isRunning)
    #expect(worker.figures(zone: TimeZone(identifier: "UTC")!, now: fixedNow) == nil)
    #expect(worker.isRunning)
    #expect(await eventually { worker.figures(zone: TimeZone(identifier: "UTC")!, now: fixedNow) != nil })
    worker.stop()
    #expect(!worker.isRunning)
    // A stopped worker takes no more work and starts no thread.
    _ = worker.figures(zone: TimeZone(identifier: "UTC")!, now: fixedNow)
    #expect(!worker.isRunning)
  }

  @Test func theCountingThreadCountsThenStops() async throws {
    let (source, _) = try seededSource()
    let worker = source.counter
    worker.request(QueueFilter(), now: fixedNow)
    #expect(worker.isRunning)
    var counts: CountWorker.Counts?
    #expect(
      await eventually {
        counts = worker.take()
        return counts != nil
      })
    #expect((counts?.count ?? -1) >= 0)
    worker.stop()
    #expect(!worker.isRunning)
  }

  @Test func lettingGoOfTheWorkerEndsItsThread() async throws {
    final class Token: Sendable {}
    var token: Token? = Token()
    weak let watched = token
    var worker: NewestJobThread<Int>? = NewestJobThread { [token] _ in _ = token }
    token = nil
    worker?.submit(1)
    #expect(worker?.isRunning == true)
    // The thread holds the work (and so the token), never the worker: once the worker is gone the
    // thread ends and lets go of the work.
    worker = nil
    #expect(await eventually { watched == nil })
  }
}

import Foundation
import Inbox

/// A thread of its own that works on the newest job it was given, one at a time: a job given
/// while another is worked on replaces any still waiting. Started by the first job; `stop()` ends
/// it, and so does letting go of the worker (the thread holds the queue, never the worker).
final class NewestJobThread<Job: Sendable>: Sendable {
  private struct State {
    var job: Job?
    var started = false
    var running = false
    var stopping = false
  }
  private let state = Locked(State())
  private let work: @Sendable (Job) -> Void

  init(work: @escaping @Sendable (Job) -> Void) {
    self.work = work
  }

  deinit {
    state.withLockWakingWaiters { $0.stopping = true }
  }

  /// Hands the thread a job, starting the thread the first time.
  func submit(_ job: Job) {
    let start = state.withLockWakingWaiters { s -> Bool in
      guard !s.stopping else { return false }
      s.job = job
      if s.started { return false }
      s.started = true
      s.running = true
      return true
    }
    guard start else { return }
    let state = state
    let work = work
    Thread.detachNewThread { Self.run(state, work) }
  }

  /// Asks the thread to end and waits until it has (at most the job in hand); a job still waiting
  /// is dropped. Later jobs are ignored.
  func stop() {
    state.withLockWakingWaiters { $0.stopping = true }
    state.withLock(when: { !$0.running }) { _ in }
  }

  /// Whether the thread is running (started and not yet ended).
  var isRunning: Bool { state.current.running }

  private static func run(_ state: Locked<State>, _ work: @Sendable (Job) -> Void) {
    while let job = state.withLock(
      when: { $0.job != nil || $0.stopping },
      { s -> Job? in
        if s.stopping { return nil }
        defer { s.job = nil }
        return s.job
      })
    {
      work(job)
    }
    state.withLockWakingWaiters { $0.running = false }
  }
}

import Foundation

/// A value guarded by a lock: the one place in Repute that pairs a lock with the state it guards.
///
/// In the manner of swift-nio's `NIOLockedValueBox`: every read and write of the value goes through
/// `withLock`, so no caller can touch the state without holding the lock. `Synchronization.Mutex`
/// would do the same but needs macOS 15, and the package declares macOS 14.
///
/// A thread can also wait under the lock until the value is ready for it (`withLock(when:_:)`, in
/// the manner of swift-nio's `ConditionLock`); whoever changes what it waits for says so with
/// `withLockWakingWaiters` (or `wakingWaiters: true`). The lock is an `NSCondition`, which is a mutex with a condition beside
/// it.
public final class Locked<Value>: @unchecked Sendable {
  private let condition = NSCondition()
  private var value: Value

  public init(_ value: Value) {
    self.value = value
  }

  /// Runs `body` with exclusive access to the value and returns what it returns.
  @discardableResult
  public func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
    condition.lock()
    defer { condition.unlock() }
    return try body(&value)
  }

  /// Like `withLock`, then wakes every thread waiting in `withLock(when:_:)` to look again.
  @discardableResult
  public func withLockWakingWaiters<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
    condition.lock()
    defer {
      condition.broadcast()
      condition.unlock()
    }
    return try body(&value)
  }

  /// Waits until `ready` holds for the value, then runs `body` with exclusive access to it, without
  /// letting go of the lock in between; `wakingWaiters` then wakes the other waiting threads (what
  /// `body` changed may be what they wait for). Only a change made with `wakingWaiters` wakes a
  /// waiting thread.
  @discardableResult
  public func withLock<Result>(
    when ready: (Value) -> Bool, wakingWaiters: Bool = false, _ body: (inout Value) throws -> Result
  ) rethrows -> Result {
    condition.lock()
    defer {
      if wakingWaiters { condition.broadcast() }
      condition.unlock()
    }
    while !ready(value) { condition.wait() }
    return try body(&value)
  }

  /// A copy of the value, read under the lock.
  public var current: Value {
    withLock { $0 }
  }
}

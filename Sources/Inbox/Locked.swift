import Foundation

/// A value guarded by a lock: the one place in Repute that pairs a lock with the state it guards.
///
/// In the manner of swift-nio's `NIOLockedValueBox`: every read and write of the value goes through
/// `withLock`, so no caller can touch the state without holding the lock. `Synchronization.Mutex`
/// would do the same but needs macOS 15, and the package declares macOS 14.
public final class Locked<Value>: @unchecked Sendable {
  private let lock = NSLock()
  private var value: Value

  public init(_ value: Value) {
    self.value = value
  }

  /// Runs `body` with exclusive access to the value and returns what it returns.
  @discardableResult
  public func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
    lock.lock()
    defer { lock.unlock() }
    return try body(&value)
  }

  /// A copy of the value, read under the lock.
  public var current: Value {
    withLock { $0 }
  }
}

import Foundation
import Testing

@testable import Inbox

@Suite struct LockedTests {
  @Test func concurrentIncrementsAreNotLost() async {
    let counter = Locked(0)
    await withTaskGroup(of: Void.self) { group in
      for _ in 0..<8 {
        group.addTask {
          for _ in 0..<1000 { counter.withLock { $0 += 1 } }
        }
      }
    }
    #expect(counter.current == 8000)
  }

  @Test func withLockReturnsTheBodysResult() {
    let box = Locked(["a"])
    let count = box.withLock { list -> Int in
      list.append("b")
      return list.count
    }
    #expect(count == 2)
    #expect(box.current == ["a", "b"])
  }
}

@Suite struct LockedWaitingTests {
  @Test func aWaiterRunsOnceTheValueIsReady() async {
    let box = Locked<[Int]>([])
    let done = Locked(false)
    let thread = Thread {
      let first = box.withLock(when: { !$0.isEmpty }) { $0.removeFirst() }
      done.withLock { $0 = first == 7 }
    }
    thread.start()
    box.withLockWakingWaiters { $0.append(7) }
    let deadline = ContinuousClock.now + .seconds(10)
    while !done.current, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(5)) }
    #expect(done.current)
    #expect(box.current.isEmpty)
  }
}

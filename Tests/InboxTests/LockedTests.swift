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

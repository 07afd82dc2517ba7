import Foundation
import Testing

@testable import InboxUI

/// Issue 17: how long the inbox may wait for a key when changes were seen but not yet refreshed.
@Suite struct ChangeFollowerTests {
  @Test func nothingWaitingLeavesThePollAlone() {
    let follower = ChangeFollower()
    #expect(follower.dueIn(interval: 0.25) == nil)
  }

  @Test func changesSeenAfterALongQuietAreDueAtOnce() {
    var follower = ChangeFollower()
    follower.waiting = true
    #expect(follower.dueIn(interval: 0.25) == 0)
  }

  @Test func changesSeenJustAfterARefreshWaitAtMostTheInterval() throws {
    var follower = ChangeFollower()
    follower.waiting = true
    let taken = follower.due(interval: 0.25)
    #expect(taken != nil)
    #expect(follower.dueIn(interval: 0.25) == nil)
    follower.waiting = true
    let wait = try #require(follower.dueIn(interval: 0.25))
    #expect((0...0.25).contains(wait))  // 0 only when this machine stalled for the interval
  }
}

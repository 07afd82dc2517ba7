import Foundation
import Inbox
import Policy
import Testing

@testable import Store

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Issue 17: the descriptor an inbox waits on becomes readable when another process commits.
@Suite(.enabled(if: isLinux, "the change signal is inotify's"))
struct ChangeSignalTests {
  let now = RFC3339.parse("2026-12-07T10:00:00Z")!

  /// Whether the descriptor is readable within `milliseconds`.
  func readable(_ signal: StoreChangeSignal, within milliseconds: Int32) -> Bool {
    var ready = pollfd(fd: signal.descriptor, events: Int16(POLLIN), revents: 0)
    return poll(&ready, 1, milliseconds) == 1
  }

  @Test func aCommitElsewhereMakesTheSignalReadableUntilDrained() throws {
    let dir = TempFolder()
    let path = dir.path + "/s.sqlite"
    let follower = try SQLiteStore(path: path, clock: .fixed(now))
    let writer = try SQLiteStore(path: path, clock: .fixed(now))
    let signal = try #require(follower.changeSignal())
    signal.drain()
    #expect(!readable(signal, within: 0))
    _ = try writer.ingest(
      [
        IncomingMention(
          platform: "mastodon", externalID: "m1", author: Author(handle: "@user@example.social"),
          createdAt: now, text: "My parcel is still not here.", lang: "en", raw: "{}")
      ], actor: "t", annotator: PolicyAnnotator(policy: .default))
    #expect(readable(signal, within: 5000))
    signal.drain()
    #expect(!readable(signal, within: 0))
    // A read changes nothing in the WAL: no wake for it.
    _ = try writer.changedMentions(after: nil)
    #expect(!readable(signal, within: 0))
  }

  @Test func noSignalWithoutAWAL() throws {
    #expect(StoreChangeSignal(walPath: TempFolder().path + "/none.sqlite-wal") == nil)
  }
}

private let isLinux: Bool = {
  #if os(Linux)
    return true
  #else
    return false
  #endif
}()

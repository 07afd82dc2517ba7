import Foundation
import Inbox
import Policy
import Store
import TestHTTPServer

@testable import Live

/// A temporary folder removed when the test ends, with what else the test made (a store's schema on
/// the test server: `LiveStores.make`).
final class TempDir {
  let path: String
  var onRemove: [() -> Void] = []
  init() {
    path =
      FileManager.default.temporaryDirectory.appendingPathComponent("repute-live-\(UUID().uuidString)").path
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }
  deinit {
    onRemove.forEach { $0() }
    try? FileManager.default.removeItem(atPath: path)
  }

  @discardableResult
  func write(_ name: String, _ content: String, mode: Int = 0o600) -> String {
    let file = path + "/" + name
    _ = FileManager.default.createFile(
      atPath: file, contents: Data(content.utf8), attributes: [.posixPermissions: mode])
    return file
  }
}

let testNow = Date(timeIntervalSince1970: 1_796_112_000)  // 2026-12-01T08:00:00Z

/// A clock the test moves by hand.
final class TestClock: @unchecked Sendable {
  private let lock = NSLock()
  private var time: Date
  init(_ start: Date = testNow) { time = start }
  func now() -> Date {
    lock.lock()
    defer { lock.unlock() }
    return time
  }
  func advance(_ seconds: TimeInterval) {
    lock.lock()
    time = time.addingTimeInterval(seconds)
    lock.unlock()
  }
}

/// A transport that fails after a number of requests, as a watcher killed mid-poll.
final class CutTransport: HTTPTransport, @unchecked Sendable {
  let inner = URLSessionTransport(timeout: 10)
  private let lock = NSLock()
  private var left: Int
  init(after requests: Int) { left = requests }
  func send(_ request: HTTPRequest) throws -> HTTPResponse {
    lock.lock()
    left -= 1
    let cut = left < 0
    lock.unlock()
    if cut { throw HTTPFailure("connection cut by the test") }
    return try inner.send(request)
  }
}

var wallClockPolicy: PolicyConfig {
  var policy = PolicyConfig.default
  policy.serviceHours = nil
  // Delivered as soon as it is due: the send delay (the undo window) has tests of its own.
  policy.sendDelay = 0
  return policy
}

func mastodonConfig(_ fake: FakeMastodon, searches: [String] = [], visibility: String = "public")
  -> MastodonConfig
{
  MastodonConfig(
    name: "shop-social", server: URL(string: fake.baseURL)!, token: .environment("T"), notifications: true,
    searches: searches, interval: 60, replyVisibility: visibility, deliver: true)
}

func makePoller(
  _ store: any SourceStore & QueueStore, _ sources: [any LiveSource], clock: TestClock,
  transport: any HTTPTransport = URLSessionTransport(timeout: 10),
  notes: NoteLog = NoteLog()
) -> Poller {
  var config = LiveConfig()
  config.interval = 60
  config.maxBackoff = 3600
  return Poller(
    store: store, sources: sources, config: config, transport: transport,
    annotator: PolicyAnnotator(policy: wallClockPolicy), actor: "watch", clock: { clock.now() },
    note: { notes.add($0) })
}

final class NoteLog: @unchecked Sendable {
  private let lock = NSLock()
  private var items: [String] = []
  func add(_ s: String) {
    lock.lock()
    items.append(s)
    lock.unlock()
  }
  var lines: [String] {
    lock.lock()
    defer { lock.unlock() }
    return items
  }
}

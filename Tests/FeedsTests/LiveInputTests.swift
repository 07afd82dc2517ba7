import Foundation
import Inbox
import Testing

@testable import Feeds

#if canImport(Glibc)
  import Glibc
#endif

/// A feed piped in over time is handed on as it arrives, not when a batch is full or the input
/// ends (issue 17: a long-lived `repute ingest -` behind a feed's consumer).
@Suite struct LiveInputTests {
  /// A FIFO whose writer is a thread: `send` writes lines, `finish` closes it.
  final class Feed: @unchecked Sendable {
    let path: String
    private var fd: Int32 = -1
    private let opened = DispatchSemaphore(value: 0)

    init(in dir: TempFolder) {
      path = dir.path + "/feed"
      precondition(mkfifo(path, 0o600) == 0)
      Thread {
        self.fd = open(self.path, O_WRONLY)
        self.opened.signal()
      }.start()
    }

    func send(_ lines: [String]) {
      opened.wait()
      opened.signal()
      let bytes = Array((lines.joined(separator: "\n") + "\n").utf8)
      _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress!, $0.count) }
    }

    func finish() {
      opened.wait()
      close(fd)
    }
  }

  @Test func aPipeIsHandedOnWhenItPausesAndAtTheEnd() throws {
    let dir = TempFolder()
    let feed = Feed(in: dir)
    #expect(Ingester.isLive(feed.path))
    let batches = Locked<[[String]]>([])
    let firstBatch = DispatchSemaphore(value: 0)
    let secondBatch = DispatchSemaphore(value: 0)
    Thread {
      feed.send([mentionLine(1), mentionLine(2)])
      // The reader hands the two on while the feed stays open: nothing more comes for now.
      let early = firstBatch.wait(timeout: .now() + 10) == .success
      feed.send([mentionLine(3)])
      _ = secondBatch.wait(timeout: .now() + 10)
      feed.send([mentionLine(4)])
      feed.finish()
      if !early { batches.withLock { $0.append(["the first batch waited for the end"]) } }
    }.start()
    try Ingester(batchSize: 10_000).read(
      feed.path,
      batch: { batch in
        let count = batches.withLock {
          $0.append(batch.map(\.externalID))
          return $0.count
        }
        if count == 1 { firstBatch.signal() }
        if count == 2 { secondBatch.signal() }
      },
      reject: { Issue.record("rejected \($0)") })
    #expect(batches.current == [["1", "2"], ["3"], ["4"]])
  }

  @Test func aSteadyTrickleIsHandedOnWithinTheMaximumDelay() throws {
    let dir = TempFolder()
    let feed = Feed(in: dir)
    let sizes = Locked<[Int]>([])
    Thread {
      // A line every 10 ms for 1.2 s: never a pause of 50 ms, so only the maximum delay hands
      // lines on; not one batch at the end, and not a batch a line.
      for k in 1...120 {
        feed.send([mentionLine(k)])
        usleep(10_000)
      }
      feed.finish()
    }.start()
    try Ingester(batchSize: 10_000).read(
      feed.path, batch: { batch in sizes.withLock { $0.append(batch.count) } },
      reject: { Issue.record("rejected \($0)") })
    let seen = sizes.current
    #expect(seen.reduce(0, +) == 120)
    #expect(seen.count >= 3, "handed on as it arrived: \(seen)")
    #expect(seen.count <= 60, "not a transaction a line: \(seen)")
  }

  @Test func aRegularFileIsNotLive() {
    let dir = TempFolder()
    let file = dir.write("a.jsonl", mentionLine(1) + "\n")
    #expect(!Ingester.isLive(file))
    #expect(!Ingester.isLive(dir.path))
  }
}

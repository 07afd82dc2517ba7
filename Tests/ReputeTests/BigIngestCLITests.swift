import Foundation
import Inbox
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `repute ingest` with tens of thousands of lines: two processes at once, and one killed midway.
/// A suite of its own, not the tail of `IngestCLITests`: a serialized suite runs its tests in turn,
/// and these, the heaviest command tests, ran last there while the rest of the run had ended.
@Suite(.serialized) struct BigIngestCLITests {
  @Test(arguments: CLIStores.kinds) func twoIngestProcessesAtOnceStoreTheUnion(kind: CLIKind) throws {
    let store = try CLIStore(kind, [], environment: [:])
    let dir = store.dir
    // Safe to make small on the server: two batches each (of 10,000) with a third of the keys
    // shared still race two processes' writes there, and the conformance suite's two writers cover
    // the server's ingest itself; the file keeps 30,000 each.
    let size = kind == .sqlite ? 30_000 : 12_000
    let overlap = size / 3
    writeMentions(dir.path + "/a.jsonl", range: 0..<size)
    writeMentions(dir.path + "/b.jsonl", range: (size - overlap)..<(2 * size - overlap))
    let a = try ReputeProcess.start(["ingest", "--store", store.address, dir.path + "/a.jsonl"])
    let b = try ReputeProcess.start(["ingest", "--store", store.address, dir.path + "/b.jsonl"])
    let ra = a.wait()
    let rb = b.wait()
    #expect(ra.status == 0 && rb.status == 0, "\(ra.stderr) \(rb.stderr)")
    let news = [ra, rb].map { Int($0.lines.last!.split(separator: " ")[1])! }
    #expect(news.reduce(0, +) == 2 * size - overlap)
    // The folder holds a.jsonl and b.jsonl, and the one empty line CLIStore's store was made from.
    let again = try store.run(nil, ["ingest", dir.path + "/a.jsonl", dir.path + "/b.jsonl"])
    #expect(again.lines.last == "ingested 0 new, \(2 * size) duplicate, 0 rejected")
  }

  @Test(arguments: CLIStores.kinds) func aKilledIngestLeavesAConsistentStoreAndARerunCompletesIt(
    kind: CLIKind
  )
    throws
  {
    let store = try CLIStore(kind, [], environment: [:])
    let dir = store.dir
    let file = dir.path + "/big.jsonl"
    // Safe to make small on the server: it is killed once its first batch (of 10,000) commits, and
    // three more are still to come; the file keeps 100,000, as its WAL must grow past 2 MB first.
    let lines = kind == .sqlite ? 100_000 : 40_000
    writeMentions(file, range: 0..<lines)
    let running = try ReputeProcess.start(["ingest", "--store", store.address, file])
    // Kill it once some batches are in, well before it can finish: on a file when its WAL has
    // grown, on the server when a batch is committed.
    let deadline = Date().addingTimeInterval(20)
    while Date() < deadline {
      if kind == .sqlite {
        let size =
          ((try? FileManager.default.attributesOfItem(atPath: dir.store + "-wal"))?[.size] as? Int) ?? 0
        if size > 2_000_000 { break }
        usleep(2000)
      } else {
        if try store.withStore({ try $0.mentions(order: .newest, limit: 1, offset: 0) }).count > 0 { break }
        usleep(20_000)
      }
    }
    running.kill9()
    let check = try store.run(nil, ["list", "--json", "--limit", "1"])
    #expect(check.status == 0)
    let rerun = try store.run(nil, ["ingest", file])
    #expect(rerun.status == 0)
    let parts = rerun.lines.last!.split(separator: " ")
    let new = Int(parts[1])!
    let duplicate = Int(parts[3])!
    #expect(new + duplicate == lines)
    #expect(new > 0, "the ingest finished before it was killed; the test proves nothing")
    let final = try store.run(nil, ["ingest", file])
    #expect(final.lines.last == "ingested 0 new, \(lines) duplicate, 0 rejected")
  }
}

import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Messages that say what is wrong, not what it looks like (issue 13), through the binary.
@Suite(.serialized) struct MessagesCLITests {
  let now = ["REPUTE_NOW": "2026-11-24T12:00:00Z"]

  /// A store behind a folder that may not be searched is a permission problem, not a missing store.
  /// On a file only: it is about the modes of a store file's folder.
  @Test func aStoreBehindADeniedFolderIsNotCalledMissing() throws {
    let dir = TempFolder()
    let file = dir.write("in.jsonl", mentionLine(1) + "\n")
    let store = dir.path + "/locked/repute.sqlite"
    #expect(try ReputeProcess.run(["ingest", "--store", store, file], environment: now).status == 0)
    #expect(chmod(dir.path + "/locked", 0o000) == 0)
    defer { chmod(dir.path + "/locked", 0o700) }
    let r: ReputeProcess.Result
    if geteuid() == 0 {
      // Root reads through any mode: run as nobody, who may not search the folder either.
      #expect(chmod(dir.path, 0o755) == 0)
      r = try runAsNobody(["list", "--store", store])
    } else {
      r = try ReputeProcess.run(["list", "--store", store], environment: now)
    }
    #expect(r.status != 0)
    #expect(!r.stderr.contains("no store at"), "\(r.stderr)")
    #expect(r.stderr.contains("cannot reach the store \(store): Permission denied"), "\(r.stderr)")
  }

  /// An endless device ends quickly, in every format, with an error that names it, on a store
  /// file and on PostgreSQL alike (issue 18).
  @Test(arguments: CLIStores.kinds, ["jsonl", "csv", "mastodon", "rss", "auto"])
  func devZeroIsNamedAndEnds(kind: CLIKind, format: String) throws {
    let store = try CLIStore(kind, [], environment: now)
    let running = try ReputeProcess.start(
      ["ingest", "--store", store.address, "--format", format, "/dev/zero"], environment: now)
    var waited = 0
    while running.process.isRunning && waited < 300 {
      usleep(100_000)
      waited += 1
    }
    if running.process.isRunning { running.kill9() }
    let r = running.wait()
    #expect(waited < 300, "\(format) did not end")
    #expect(r.status == 1, "\(format): \(r.stderr)")
    #expect(r.stderr.hasPrefix("/dev/zero:1: "), "\(format): \(r.stderr)")
    #expect(!r.stderr.contains("standard input"), "\(format): \(r.stderr)")
  }
}

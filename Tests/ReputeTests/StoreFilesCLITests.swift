import Foundation
import GRDB
import Store
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Files and modes (issue 13): modes on the files themselves, damaged and empty files refused,
/// read-only use where writing is not needed.
@Suite(.serialized) struct StoreFilesCLITests {
  let input = mentionLine(1) + "\n"

  @Test func aStoreMadeThroughASymbolicLinkIsPrivate() throws {
    let dir = TempFolder()
    let file = dir.write("in.jsonl", input)
    try FileManager.default.createDirectory(atPath: dir.path + "/real", withIntermediateDirectories: true)
    let target = dir.path + "/real/repute.sqlite"
    for (command, link) in [(["init"], "/init.sqlite"), (["ingest", file], "/ingest.sqlite")] {
      let linkPath = dir.path + link
      let targetPath = target + link.dropFirst()
      #expect(symlink(targetPath, linkPath) == 0)
      let r = try ReputeProcess.run(command + ["--store", linkPath])
      #expect(r.status == 0, "\(command): \(r.stderr)")
      #expect(try ReputeProcess.run(["ingest", "--store", linkPath, file]).status == 0)
      for suffix in ["", "-wal", "-shm"] {
        #expect(mode(targetPath + suffix) == 0o600, "\(command): \(targetPath + suffix)")
      }
    }
  }

  @Test func aStoreReadableByOthersIsRefusedUntilRepaired() throws {
    let dir = TempFolder()
    let file = dir.write("in.jsonl", input)
    #expect(try ReputeProcess.run(["ingest", "--store", dir.store, file]).status == 0)
    chmod(dir.store, 0o644)
    for command in [["list"], ["ingest", file], ["report"]] {
      let r = try ReputeProcess.run(command + ["--store", dir.store])
      #expect(r.status == 2, "\(command): \(r.stderr)")
      #expect(
        r.stderr
          == "repute: the store \(dir.store) can be read by others (mode 0644): run repute init --repair-modes --store \(dir.store) to make it private\n",
        "\(command)")
    }
    let repaired = try ReputeProcess.run(["init", "--repair-modes", "--store", dir.store])
    #expect(repaired.status == 0, "\(repaired.stderr)")
    #expect(repaired.stdout.contains("0644 -> 0600"), "\(repaired.stdout)")
    #expect(mode(dir.store) == 0o600)
    #expect(try ReputeProcess.run(["list", "--store", dir.store]).status == 0)
  }

  @Test func anEmptyFileIsNotAStoreUnlessInitIsRunOnIt() throws {
    let dir = TempFolder()
    let file = dir.write("in.jsonl", input)
    let empty = dir.write("empty.sqlite", "")
    chmod(empty, 0o600)
    for command in [["ingest", file], ["list"]] {
      let r = try ReputeProcess.run(command + ["--store", empty])
      #expect(r.status == 2, "\(command): \(r.stderr)")
      #expect(
        r.stderr
          == "repute: \(empty) is empty (0 bytes), not a Repute store: run repute init --store \(empty) to make it one\n",
        "\(command)")
    }
    #expect(FileManager.default.contents(atPath: empty)?.count == 0)
    let made = try ReputeProcess.run(["init", "--store", empty])
    #expect(made.status == 0, "\(made.stderr)")
    #expect(try ReputeProcess.run(["ingest", "--store", empty, file]).status == 0)
  }

  @Test func aDamagedStoreTakesNoIngest() throws {
    let dir = TempFolder()
    let file = dir.path + "/in.jsonl"
    writeMentions(file, range: 0..<3_000)
    #expect(try ReputeProcess.run(["ingest", "--store", dir.store, file]).status == 0)
    try SQLiteStore(path: dir.store, mode: .existing, clock: fixedClock).compact()
    // One page of old mentions in the middle: a new mention by a new author never reads it.
    let (pageSize, page) = try DatabaseQueue(path: dir.store).read { db in
      let leaves = try Int64.fetchAll(
        db, sql: "SELECT pageno FROM dbstat WHERE name = 'mentions' AND pagetype = 'leaf' ORDER BY pageno")
      return (try Int64.fetchOne(db, sql: "PRAGMA page_size")!, leaves[leaves.count / 2])
    }
    let handle = try #require(FileHandle(forUpdatingAtPath: dir.store))
    try handle.seek(toOffset: UInt64((page - 1) * pageSize))
    handle.write(Data((0..<Int(pageSize)).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) }))
    try handle.close()
    let more = dir.write(
      "more.jsonl",
      #"{"platform":"x","id":"new1","author":{"handle":"newcomer"},"created_at":"2026-11-24T10:30:00Z","text":"fresh"}"#
        + "\n")
    // `repute check` reads every page at once.
    let checked = try ReputeProcess.run(["check", "--store", dir.store])
    #expect(checked.status == 2, "\(checked.stdout) \(checked.stderr)")
    #expect(checked.stderr.hasPrefix("repute: the store \(dir.store) is damaged"), "\(checked.stderr)")
    // Ingest reads every page once the check that found the store whole is ten minutes old.
    let later = ["REPUTE_NOW": "2026-11-24T12:10:00Z"]
    let r = try ReputeProcess.run(["ingest", "--store", dir.store, more], environment: later)
    #expect(r.status == 2, "\(r.stdout) \(r.stderr)")
    #expect(r.stderr.hasPrefix("repute: the store \(dir.store) is damaged"), "\(r.stderr)")
    #expect(!r.stdout.contains("ingested"))
  }

  @Test func checkSaysAWholeStoreIsWhole() throws {
    let dir = TempFolder()
    let file = dir.path + "/in.jsonl"
    writeMentions(file, range: 0..<20)
    #expect(try ReputeProcess.run(["ingest", "--store", dir.store, file]).status == 0)
    let r = try ReputeProcess.run(["check", "--store", dir.store])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.hasPrefix("the store \(dir.store) is whole: "), "\(r.stdout)")
    let json = try ReputeProcess.run(["check", "--store", dir.store, "--json"])
    #expect(json.status == 0, "\(json.stderr)")
    #expect(json.stdout.contains(#""whole":true"#), "\(json.stdout)")
    let missing = try ReputeProcess.run(["check", "--store", dir.path + "/none.sqlite"])
    #expect(missing.status == 2, "\(missing.stdout) \(missing.stderr)")
  }

  @Test func someoneWhoCanOnlyReadTheStoreCanReadIt() throws {
    let dir = TempFolder()
    #expect(chmod(dir.path, 0o755) == 0)
    let file = dir.write("in.jsonl", input)
    #expect(try ReputeProcess.run(["ingest", "--store", dir.store, file]).status == 0)
    // An auditor's group may read the store and its folder, not write them.
    let folder = dir.path + "/store"
    for path in [folder, dir.store, dir.store + "-wal", dir.store + "-shm"] {
      #expect(chown(path, uid_t.max, 65534) == 0, "\(path)")
      #expect(chmod(path, path == folder ? 0o750 : 0o640) == 0, "\(path)")
    }
    for command in [["list"], ["list", "--json"], ["show", "1"], ["report"], ["log"], ["outbox"]] {
      let r = try runAsNobody(command + ["--store", dir.store])
      #expect(r.status == 0, "\(command): \(r.stderr)")
    }
    let list = try runAsNobody(["list", "--store", dir.store])
    #expect(list.stdout.contains("hello 1"), "\(list.stdout)")
    let write = try runAsNobody(["ingest", "--store", dir.store, file])
    #expect(write.status == 2)
    #expect(write.stderr.hasPrefix("repute: read-only access to \(dir.store): "), "\(write.stderr)")
  }
}

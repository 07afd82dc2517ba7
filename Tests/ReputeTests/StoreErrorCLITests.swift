import Foundation
import GRDB
import Store
import Testing

/// SQLite's failures after the store opened (busy past the timeout, a damaged page) end every
/// command with one `repute: …` line naming the store and exit 2, never ArgumentParser's
/// generic "Error: …" with GRDB's statement dump.
@Suite struct StoreErrorCLITests {
  /// A store with `count` mentions, checkpointed into the main file so its pages can be damaged.
  func stored(_ count: Int) throws -> TempFolder {
    let dir = TempFolder()
    let file = dir.path + "/in.jsonl"
    writeMentions(file, range: 0..<count)
    let r = try ReputeProcess.run(["ingest", "--store", dir.store, file])
    #expect(r.status == 0, "\(r.stderr)")
    try SQLiteStore(path: dir.store, mode: .existing, clock: fixedClock).compact()
    return dir
  }

  func expectOneStoreLine(_ r: ReputeProcess.Result, store: String, saying: String) {
    #expect(r.status == 2, "\(r.stderr)")
    let lines = r.stderr.split(separator: "\n")
    #expect(lines.count == 1, "\(r.stderr)")
    #expect(r.stderr.hasPrefix("repute: the store \(store) \(saying)"), "\(r.stderr)")
    #expect(!r.stderr.contains("Error:"))
    #expect(!r.stderr.contains("SELECT"))
  }

  /// On a file only: a file that is not SQLite (the server's failures: `ServerCLITests`).
  @Test func aFileThatIsNotSQLiteIsNamedInOneLine() throws {
    let dir = TempFolder()
    let path = dir.write("notes.sqlite", String(repeating: "not a database, just text\n", count: 300))
    for command in [["list"], ["show", "1"], ["report"], ["forget", "--author", "x", "--yes"]] {
      let r = try ReputeProcess.run(command + ["--store", path])
      #expect(r.status == 2, "\(command): \(r.stderr)")
      #expect(r.stderr == "repute: \(path) is not a Repute store (not an SQLite database)\n", "\(command)")
    }
  }

  /// On a file only: a damaged page of the store file.
  @Test func aDamagedPageFoundAfterOpeningIsNamedInOneLine() throws {
    let dir = try stored(3_000)
    // The schema and the migrations' table sit in the first pages; the mentions fill the rest.
    let handle = try #require(FileHandle(forUpdatingAtPath: dir.store))
    let size = try handle.seekToEnd()
    let page: UInt64 = 4096
    for n in (size / page / 2)..<(size / page) {
      try handle.seek(toOffset: n * page)
      handle.write(Data((0..<Int(page)).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) }))
    }
    try handle.close()
    for command in [["list"], ["show", "2000"], ["report"]] {
      let r = try ReputeProcess.run(command + ["--store", dir.store])
      expectOneStoreLine(r, store: dir.store, saying: "is damaged (SQLite: ")
    }
  }

  /// On a file only: SQLite's write lock on the file, held past its busy wait.
  @Test func aStoreLockedPastTheBusyTimeoutIsNamedInOneLine() throws {
    let dir = try stored(10)
    // Another process holding the write lock longer than the 10 s busy wait.
    var config = Configuration()
    config.allowsUnsafeTransactions = true  // the transaction is held across accesses on purpose
    let holder = try DatabaseQueue(path: dir.store, configuration: config)
    try holder.inDatabase { db in
      try db.execute(sql: "BEGIN EXCLUSIVE; INSERT INTO store_meta (key, value) VALUES ('held', 'yes')")
    }
    defer { try? holder.inDatabase { db in try db.execute(sql: "ROLLBACK") } }
    let more = dir.path + "/more.jsonl"
    writeMentions(more, range: 10..<20)
    let r = try ReputeProcess.run(["ingest", "--store", dir.store, more])
    expectOneStoreLine(r, store: dir.store, saying: "is busy: another process kept it locked")
  }
}

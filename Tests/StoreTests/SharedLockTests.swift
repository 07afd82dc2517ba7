import Foundation
import Inbox
import Testing

@testable import Store

/// A process with several stores open on one file keeps SQLite's locks on it (`KeptDescriptors`).
/// Before, each store after the first read the file's header with an open-read-close, and the
/// close dropped every POSIX lock the process held on the file: the next `sqlite3` or `repute`
/// that closed the store believed it was the last, deleted the -shm file the inbox had mapped,
/// and that inbox never saw another change.
@Suite struct SharedLockTests {
  /// The byte ranges this process holds record locks on for `file`, read from /proc/locks.
  func locksHeld(on file: String) throws -> [String] {
    var info = stat()
    guard stat(file, &info) == 0 else { return [] }
    let locks = try String(contentsOfFile: "/proc/locks", encoding: .utf8)
    let pid = String(getpid())
    return locks.split(separator: "\n").map(String.init).filter { line in
      let fields = line.split(separator: " ", omittingEmptySubsequences: true)
      return fields.count >= 8 && fields[4] == pid && fields[5].hasSuffix(":\(info.st_ino)")
    }
  }

  @Test(.enabled(if: FileManager.default.fileExists(atPath: "/proc/locks")))
  func aSecondStoreOnTheFileKeepsTheFirstOnesLock() throws {
    let dir = TempFolder()
    let path = dir.path + "/repute.sqlite"
    let first = try SQLiteStore(path: path, clock: fixedClock)
    _ = try first.ingest([mention("1", text: "de app ligt eruit")], actor: "anna", annotator: nil)
    _ = try first.contentMark()
    #expect(try !locksHeld(on: path).isEmpty, "an open WAL store holds a shared lock on its file")
    let second = try SQLiteStore(path: path, clock: fixedClock)
    _ = try second.contentMark()
    #expect(try !locksHeld(on: path).isEmpty, "opening a second store dropped the first one's lock")
    _ = first
  }

  @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3")))
  func anotherProgramClosingTheStoreLeavesItsSharedMemoryInPlace() throws {
    let dir = TempFolder()
    let path = dir.path + "/repute.sqlite"
    let first = try SQLiteStore(path: path, clock: fixedClock)
    _ = try first.ingest([mention("1", text: "de app ligt eruit")], actor: "anna", annotator: nil)
    let second = try SQLiteStore(path: path, clock: fixedClock)
    _ = try second.contentMark()
    let before = try first.changeToken()
    let cli = Process()
    cli.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
    cli.arguments = [path, "SELECT count(*) FROM mentions;"]
    cli.standardOutput = FileHandle.nullDevice
    try cli.run()
    cli.waitUntilExit()
    #expect(FileManager.default.fileExists(atPath: path + "-shm"), "sqlite3 deleted the -shm file in use")
    let writer = Process()
    writer.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
    writer.arguments = [path, "INSERT INTO store_meta(key, value) VALUES ('probe', 'x');"]
    try writer.run()
    writer.waitUntilExit()
    #expect(writer.terminationStatus == 0)
    #expect(try first.changeToken() != before, "another process's commit was not seen")
  }
}

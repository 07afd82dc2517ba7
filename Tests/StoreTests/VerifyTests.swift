import Foundation
import GRDB
import Inbox
import Testing

@testable import Store

/// The full damage check (`quick_check`) runs for a writer only when it is due: it reads the whole
/// store, so a small ingest into a large store paid mostly for it (issue 17).
@Suite struct VerifyTests {
  let noon = RFC3339.parse("2026-11-24T12:00:00Z")!

  func store(_ dir: TempFolder, at date: Date) throws -> SQLiteStore {
    try SQLiteStore(path: dir.path + "/s.sqlite", clock: .fixed(date))
  }

  @Test func theCheckRunsWhenNoneFoundTheStoreWholeYet() throws {
    let dir = TempFolder()
    #expect(try store(dir, at: noon).verifyIfDue(every: 600))
    let mark = try store(dir, at: noon).pool.read { db in
      try String.fetchOne(db, sql: "SELECT value FROM store_meta WHERE key = 'verified_at'")
    }
    #expect(mark == "2026-11-24T12:00:00.000Z")
  }

  @Test func aCheckStandsForItsIntervalAndNoLonger() throws {
    let dir = TempFolder()
    #expect(try store(dir, at: noon).verify() > 0)
    #expect(try !store(dir, at: noon.addingTimeInterval(599)).verifyIfDue(every: 600))
    #expect(try store(dir, at: noon.addingTimeInterval(600)).verifyIfDue(every: 600))
    // The later check is the new mark.
    #expect(try !store(dir, at: noon.addingTimeInterval(1_000)).verifyIfDue(every: 600))
  }

  @Test func aMarkInTheFutureProvesNothing() throws {
    let dir = TempFolder()
    try store(dir, at: noon).verify()
    #expect(try store(dir, at: noon.addingTimeInterval(-1)).verifyIfDue(every: 600))
  }
}

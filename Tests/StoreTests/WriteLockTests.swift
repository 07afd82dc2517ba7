import Foundation
import GRDB
import Inbox
import Policy
import Testing

@testable import Store

/// Issue 17: writers never wait on background work. An inbox's search indexer does not queue for
/// the write lock, and a person's command does not copy others' pages into the store file.
@Suite struct WriteLockTests {
  let now = RFC3339.parse("2026-12-07T10:00:00Z")!

  func store(_ dir: TempFolder) throws -> SQLiteStore {
    let s = try SQLiteStore(path: dir.path + "/s.sqlite", clock: .fixed(now))
    _ = try s.ingest(
      (0..<5).map { k in
        IncomingMention(
          platform: "mastodon", externalID: "m\(k)", author: Author(handle: "@user\(k)@example.social"),
          createdAt: now, text: "Where is my parcel (\(k))?", lang: "en", raw: "{}")
      }, actor: "t", annotator: PolicyAnnotator(policy: .default))
    return s
  }

  @Test func theIndexerDoesNotQueueForTheWriteLock() throws {
    let dir = TempFolder()
    let s = try store(dir)
    let other = try DatabaseQueue(path: dir.path + "/s.sqlite")
    try other.writeWithoutTransaction { db in
      try db.execute(sql: "BEGIN IMMEDIATE")
      // Someone else is writing: the indexer leaves it for its next round, at once.
      let started = Date()
      #expect(try s.indexSearch() == 0)
      #expect(Date().timeIntervalSince(started) < 1)
      try db.execute(sql: "COMMIT")
    }
    #expect(try s.indexSearch() == 5)
    #expect(try s.searchBacklog() == 0)
    // A writer's wait is the store's own busy handler again after the indexer's attempt.
    try s.pool.write { db in
      try db.execute(sql: "UPDATE mentions SET claimed_by = 'anna' WHERE id = 1")
    }
  }

  @Test func writersLeaveCheckpointsToBackgroundWork() throws {
    let dir = TempFolder()
    let s = try store(dir)
    let pages = try s.pool.write { try Int.fetchOne($0, sql: "PRAGMA wal_autocheckpoint") }
    #expect(pages == SQLiteStore.writerCheckpointPages)
    try s.checkpointInBackground()
    let copied = try s.pool.writeWithoutTransaction { db in
      try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(PASSIVE)")
    }
    let log: Int? = copied?[1]
    let done: Int? = copied?[2]
    #expect(log == done)
  }
}

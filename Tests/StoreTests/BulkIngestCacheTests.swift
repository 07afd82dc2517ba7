import Foundation
import GRDB
import Inbox
import Policy
import Testing

@testable import Store

/// Issue 17's ingest budget at a million: a process that only ingests gives its writer a larger
/// page cache; one that stays open (an inbox ingesting from its sources) keeps the small one.
@Suite struct BulkIngestCacheTests {
  let now = RFC3339.parse("2026-12-07T10:00:00Z")!

  func batch(_ from: Int) -> [IncomingMention] {
    (from..<from + 3).map { k in
      IncomingMention(
        platform: "mastodon", externalID: "m\(k)", author: Author(handle: "@user\(k)@example.social"),
        createdAt: now, text: "Where is my parcel (\(k))?", lang: "en", raw: "{}")
    }
  }

  func writerCache(_ s: SQLiteStore) throws -> Int? {
    try s.pool.writeWithoutTransaction { try Int.fetchOne($0, sql: "PRAGMA cache_size") }
  }

  @Test func anIngestBatchGivesTheWriterTheInboxSizedCache() throws {
    let dir = TempFolder()
    let s = try SQLiteStore(path: dir.path + "/s.sqlite", clock: .fixed(now))
    _ = try s.ingest(batch(0), actor: "t", annotator: PolicyAnnotator(policy: .default))
    #expect(try writerCache(s) == -SQLiteStore.ingestCacheMiB * 1024)
  }

  @Test func aBulkIngestKeepsItsLargerCacheThroughEveryBatch() throws {
    let dir = TempFolder()
    let s = try SQLiteStore(path: dir.path + "/s.sqlite", clock: .fixed(now))
    try s.reserveBulkIngestCache()
    #expect(try writerCache(s) == -SQLiteStore.bulkIngestCacheMiB * 1024)
    let first = try s.ingest(batch(0), actor: "t", annotator: PolicyAnnotator(policy: .default))
    let second = try s.ingest(batch(3), actor: "t", annotator: PolicyAnnotator(policy: .default))
    #expect(first.new == 3 && second.new == 3)
    #expect(try writerCache(s) == -SQLiteStore.bulkIngestCacheMiB * 1024)
    #expect(SQLiteStore.bulkIngestCacheMiB > SQLiteStore.ingestCacheMiB)
  }

  @Test func aBulkIngestMayBeGivenAnotherCache() throws {
    let dir = TempFolder()
    let s = try SQLiteStore(path: dir.path + "/s.sqlite", clock: .fixed(now))
    try s.reserveBulkIngestCache(mebibytes: 64)
    _ = try s.ingest(batch(0), actor: "t", annotator: PolicyAnnotator(policy: .default))
    #expect(try writerCache(s) == -64 * 1024)
  }
}

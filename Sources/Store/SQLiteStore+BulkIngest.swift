import GRDB

extension SQLiteStore {
  /// The writer's page cache in MiB once it ingests a batch: what a long-running process that
  /// ingests now and then (an inbox's sources) keeps, within the inbox's memory budget.
  public static let ingestCacheMiB = 32

  /// The writer's page cache in MiB in a process that only ingests (`repute ingest`). Each new
  /// mention lands at a random place in `mentions_by_author` and, for an author not in the
  /// author cache, looks its author up through `authors`' key and row: at a million mentions those
  /// three are some 60 MiB, and with 32 MiB nearly every insert read a page back from the file
  /// and spilled another (docs/benchmarks-log.md, "Ingest at a million"). The cache fills only as
  /// pages are read; a million-mention ingest fills it (the pages of the new rows too).
  public static let bulkIngestCacheMiB = 256

  /// Gives this process's writer a page cache of `mebibytes` instead of the one an ingest batch
  /// sets (`ingestCacheMiB`): for a process whose work is one large ingest, never for one that
  /// stays open (an inbox), whose memory budget it would exceed.
  public func reserveBulkIngestCache(mebibytes: Int = SQLiteStore.bulkIngestCacheMiB) throws {
    try pool.writeWithoutTransaction { db in
      try db.execute(sql: "PRAGMA cache_size = -\(mebibytes * 1024)")
      writerTuned = true
    }
  }
}

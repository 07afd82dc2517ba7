import Foundation
import Store

/// The page cache `repute ingest` gives its writer: `SQLiteStore.bulkIngestCacheMiB`, or the
/// MiB in `REPUTE_INGEST_CACHE_MIB` (1 to 4096) for a host with little memory to spare (and for
/// the benchmark, which compares sizes with one binary). Any other value is ignored, with a word.
enum IngestCache {
  static let variable = "REPUTE_INGEST_CACHE_MIB"

  static func mebibytes(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Int {
    guard let text = environment[variable] else { return SQLiteStore.bulkIngestCacheMiB }
    if let value = Int(text), (1...4096).contains(value) { return value }
    Output.error(
      "ignoring \(variable)=\(text): give whole MiB from 1 to 4096; using \(SQLiteStore.bulkIngestCacheMiB)")
    return SQLiteStore.bulkIngestCacheMiB
  }
}

import ArgumentParser
import Feeds
import Foundation
import Inbox
import Policy
import ServerStore

/// `repute-dev ingest-server`: `repute ingest`'s path into a PostgreSQL store, for the ingest
/// benchmark (`scripts/bench-pg-ingest.sh`) until `repute ingest` itself opens a server store.
///
/// The same reading thread (parse and classify each batch of 10,000 with the default policy) and
/// the same store call per batch (`ingest(_:annotations:actor:rules:)`) as `repute ingest`; it
/// makes the store's schema first (`repute init`). Prints the counts and the seconds.
struct ServerIngestBenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ingest-server",
    abstract: "Ingest native JSON Lines into a PostgreSQL store, as repute ingest does (for the benchmark).")

  @Option(help: "The store: postgres://… (libpq's form; the password from PGPASSWORD or ~/.pgpass).")
  var store: String

  @Argument(help: "JSON Lines files of native mentions.")
  var files: [String]

  func run() throws {
    try guarded {
      let address = try ServerAddress.resolve(
        url: store, environment: ProcessInfo.processInfo.environment, login: SystemLogin.current())
      let server = try ServerStore(address: address, clock: try ReputeClock.fromEnvironment())
      defer { server.close() }
      _ = try server.initialize()
      let policy = PolicyConfig.default
      let annotator = PolicyAnnotator(policy: policy)
      var counts = IngestCounts()
      let rejected = Locked(0)
      let start = Date()
      try Ingester(format: .jsonl).stream(
        files, reject: { _ in rejected.withLock { $0 += 1 } },
        prepare: { batch in (batch, batch.map { annotator.annotate($0) }) },
        consume: { prepared in
          counts += try server.ingest(
            prepared.0, annotations: prepared.1, actor: "bench", rules: policy.escalation)
        })
      let seconds = Date().timeIntervalSince(start)
      Output.line(
        "new \(counts.new), duplicate \(counts.duplicate), edited \(counts.edited), muted \(counts.muted), "
          + "folded \(counts.folded), escalated \(counts.escalated), rejected \(rejected.current) in "
          + String(format: "%.2f s", seconds))
    }
  }
}

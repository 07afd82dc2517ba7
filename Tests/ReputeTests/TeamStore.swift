import Foundation
import Testing

/// A store for the action commands' tests: `lines` (native JSON Lines) ingested and a policy with
/// `roster` applied, both through the real binary at the pinned moment of `environment`.
enum TeamStore {
  /// Anna and Bram, responders; Carmen, supervisor.
  static let roster = """
    [[team]]
    name = "Anna"
    login = "anna"

    [[team]]
    name = "Bram"
    login = "bram"

    [[team]]
    name = "Carmen"
    login = "carmen"
    role = "supervisor"

    """

  static func make(
    _ lines: [String], roster: String = Self.roster, environment: [String: String],
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> TempFolder {
    let dir = TempFolder()
    let file = dir.write("in.jsonl", lines.joined(separator: "\n") + "\n")
    let ingested = try ReputeProcess.run(["ingest", "--store", dir.store, file], environment: environment)
    #expect(ingested.status == 0, "\(ingested.stderr)", sourceLocation: sourceLocation)
    let policy = dir.write("policy.toml", roster)
    let applied = try ReputeProcess.run(
      ["policy", "apply", policy, "--store", dir.store], environment: environment)
    #expect(applied.status == 0, "\(applied.stderr)", sourceLocation: sourceLocation)
    return dir
  }
}

import Foundation
import XCTest

@testable import ServerStore

/// `repute forget` and `repute purge` on a PostgreSQL store, through the real binary: a
/// supervisor's commands, as on a file (the login role's role in the roster decides).
final class ServerErasureCLITests: XCTestCase {
  func repute(_ arguments: [String], environment: [String: String] = [:]) throws -> ReputeRun {
    // No config of the person running the tests: forget and purge would clean its spools.
    try ReputeRun.run(
      arguments, environment: ["XDG_CONFIG_HOME": "/nonexistent/repute-tests"].merging(environment) { $1 })
  }

  func line(_ id: String, _ handle: String, _ text: String, at: String) -> String {
    #"{"platform":"mastodon","id":"\#(id)","author":{"handle":"\#(handle)","name":"Naam \#(handle)","followers":50},"created_at":"\#(at)","text":"\#(text)","lang":"nl"}"#
  }

  func file(_ name: String, _ lines: [String]) throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "repute-erasure-\(getpid())-\(name)")
    try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
    addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url.path
  }

  /// A store with five mentions, one of them written in September.
  func seeded(_ database: TestDatabase) throws {
    XCTAssertEqual(try repute(["init", "--store", database.url]).status, 0)
    let mentions = try file(
      "in.jsonl",
      [
        line("1", "sanne", "Mijn trein is alweer geannuleerd, echt belachelijk.", at: "2026-11-24T11:00:00Z"),
        line("2", "tom", "Hoe laat vertrekt de eerste trein naar Utrecht?", at: "2026-11-24T11:50:00Z"),
        line(
          "4", "geheim", "Mijn advocaat Wielewaalhof neemt contact op over dossier 8812.",
          at: "2026-11-24T11:30:00Z"),
        line("6", "buur", "Klopt wat @geheim zegt", at: "2026-11-24T11:40:00Z"),
        line("5", "oud", "Oude klacht over de Boomklever-lijn", at: "2026-09-01T09:30:00Z"),
      ])
    let ingest = try repute(["ingest", "--store", database.url, mentions])
    XCTAssertEqual(ingest.status, 0, ingest.all)
  }

  /// The login role made a supervisor in the roster (the schema's owner applies the first one).
  func supervise(_ database: TestDatabase) throws {
    let login = try database.admin.run { session in
      try await session.values("SELECT session_user::text", as: String.self).first ?? ""
    }
    let policy = try file(
      "policy.toml", ["[[team]]", #"name = "Sam""#, #"login = "\#(login)""#, #"role = "supervisor""#])
    let applied = try repute(["policy", "apply", policy, "--store", database.url])
    XCTAssertEqual(applied.status, 0, applied.all)
  }

  func testForgetOnAServerIsASupervisorsAndLeavesNoTrace() throws {
    let database = try TestDatabase()
    defer { database.drop() }
    try seeded(database)
    // No roster yet: not even the schema's owner may erase.
    let refused = try repute(["forget", "--author", "geheim", "--yes", "--store", database.url])
    XCTAssertEqual(refused.status, 2, refused.all)
    XCTAssertTrue(refused.stderr.contains("only a supervisor"), refused.stderr)
    try supervise(database)

    let forget = try repute(["forget", "--author", "@geheim", "--yes", "--store", database.url])
    XCTAssertEqual(forget.status, 0, forget.all)
    XCTAssertTrue(forget.stdout.contains("forgot @geheim: 1 mentions, 1 authors"), forget.stdout)
    XCTAssertTrue(forget.stdout.contains("quoting mentions redacted: 1"), forget.stdout)
    let list = try repute(["list", "--store", database.url])
    XCTAssertEqual(list.status, 0, list.all)
    XCTAssertFalse(list.stdout.lowercased().contains("geheim"), list.stdout)
    XCTAssertTrue(list.stdout.contains("Klopt wat @[forgotten] zegt"), list.stdout)
    let log = try repute(["log", "--json", "--store", database.url])
    XCTAssertTrue(log.stdout.contains(#""action":"forget""#), log.stdout)
    XCTAssertFalse(log.stdout.contains("geheim"), log.stdout)
    // Again: they were forgotten; a name that matches nobody is a mistake.
    let again = try repute(["forget", "--author", "geheim", "--yes", "--store", database.url])
    XCTAssertEqual(again.status, 0, again.all)
    XCTAssertEqual(again.stdout, "@geheim was already forgotten: nothing left to erase\n")
    let nobody = try repute(["forget", "--author", "nobody", "--yes", "--store", database.url])
    XCTAssertEqual(nobody.status, 1, nobody.all)
    XCTAssertTrue(nobody.stderr.contains("no author @nobody in the store"), nobody.stderr)
    // The same post again stays out.
    let repeated = try file(
      "again.jsonl", [line("4", "geheim", "Mijn advocaat Wielewaalhof belt.", at: "2026-11-24T11:30:00Z")])
    let ingest = try repute(["ingest", "--store", database.url, repeated])
    XCTAssertEqual(ingest.status, 0, ingest.all)
    XCTAssertTrue(
      ingest.stdout.contains("1 forgotten posts were not stored again (repute forget, purge)"), ingest.stdout)
    // Only the cleanup, on its own.
    let compact = try repute(["forget", "--compact", "--store", database.url])
    XCTAssertEqual(compact.status, 0, compact.all)
    XCTAssertTrue(compact.stdout.hasPrefix("compacted "), compact.stdout)
  }

  func testPurgeOnAServerErasesWhatIsOlderThanTheRetention() throws {
    let database = try TestDatabase()
    defer { database.drop() }
    try seeded(database)
    try supervise(database)
    let purge = try repute(["purge", "--older-than", "30", "--yes", "--store", database.url])
    XCTAssertEqual(purge.status, 0, purge.all)
    XCTAssertTrue(purge.stdout.contains("purged before 2026-10-25T12:00:00"), purge.stdout)
    XCTAssertTrue(purge.stdout.contains(": 1 mentions, 1 authors"), purge.stdout)
    let list = try repute(["list", "--store", database.url])
    XCTAssertFalse(list.stdout.contains("@oud"), list.stdout)
    XCTAssertTrue(list.stdout.contains("@sanne"), list.stdout)
    let log = try repute(["log", "--json", "--store", database.url])
    XCTAssertTrue(log.stdout.contains(#""action":"purge""#), log.stdout)
  }
}

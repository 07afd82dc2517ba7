import Foundation
import Inbox
import Store
import XCTest

/// `repute migrate` through the real binary (issue 18, "Moving a team"): the demo store onto a
/// PostgreSQL store and back into a file with equal counts and checksums at each step, a second
/// run that copies nothing, a target with another store's data refused, erased posts staying
/// erased, and the source never written.
final class MigrateCLITests: XCTestCase {
  typealias Run = ReputeRun

  /// The `repute` built beside the tests (`ReputeRun`), without the machine's config, as Anna.
  func repute(_ arguments: [String]) throws -> Run {
    try ReputeRun.run(
      arguments, environment: ["XDG_CONFIG_HOME": "/nonexistent/repute-tests", "REPUTE_USER": "Anna"])
  }

  private var folders: [String] = []

  override func tearDown() {
    for folder in folders { try? FileManager.default.removeItem(atPath: folder) }
  }

  func folder() -> String {
    let path =
      NSTemporaryDirectory() + "repute-migrate-\(getpid())-\(folders.count)-\(UUID().uuidString.prefix(8))"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    folders.append(path)
    return path
  }

  /// The demo store with some of the team's work on it: a claim, notes, an escalation, a person's
  /// note, and one author forgotten (their post is a tombstone).
  func demoStore() throws -> String {
    let store = folder() + "/demo.sqlite"
    let seed = try repute(["demo", "--seed-only", "--store", store])
    XCTAssertEqual(seed.status, 0, seed.all)
    for command in [
      ["claim", "1"], ["note", "2", "--text", "Bellen met de klant\tmorgen\nom tien uur \\ daarna mailen"],
      ["escalate", "1", "--note", "Derde keer deze week"],
      ["person", "note", "2", "--text", "Vaste reiziger"],
    ] {
      let r = try repute(command + ["--store", store])
      XCTAssertEqual(r.status, 0, "\(command): \(r.all)")
    }
    let forget = try repute([
      "forget", "--author", "mark.bsky.social", "--platform", "bluesky", "--yes", "--store", store,
    ])
    XCTAssertEqual(forget.status, 0, forget.all)
    return store
  }

  func testDemoStoreRoundTripsThroughPostgreSQLWithEqualChecksums() throws {
    let database = try TestDatabase()
    defer { database.drop() }
    let original = try demoStore()
    let bytesBefore = FileManager.default.contents(atPath: original)

    let up = try repute(["migrate", "--from", original, "--to", database.url, "--json"])
    XCTAssertEqual(up.status, 0, up.all)
    XCTAssertEqual(up.json["equal"] as? Bool, true, up.stdout)
    XCTAssertGreaterThan(up.json["copied"] as? Int ?? 0, 50)
    let byName = Dictionary(uniqueKeysWithValues: up.tables.map { ($0["table"] as? String ?? "", $0) })
    for table in [
      "mentions", "authors", "events", "notes", "escalations", "tombstones", "policies", "person_notes",
    ] {
      XCTAssertGreaterThan(
        byName[table]?["source_rows"] as? Int ?? 0, 0, "\(table) has rows in the demo store")
    }
    for table in up.tables {
      XCTAssertEqual(table["source_checksum"] as? String, table["target_checksum"] as? String, "\(table)")
      XCTAssertEqual(table["source_rows"] as? Int, table["target_rows"] as? Int, "\(table)")
    }
    XCTAssertEqual(FileManager.default.contents(atPath: original), bytesBefore, "the source is never written")

    // Run twice, it copies nothing twice.
    let again = try repute(["migrate", "--from", original, "--to", database.url, "--json"])
    XCTAssertEqual(again.status, 0, again.all)
    XCTAssertEqual(again.json["copied"] as? Int, 0, again.stdout)
    XCTAssertEqual(again.json["skipped"] as? Int, up.json["copied"] as? Int)

    // Back into a file: an archive with the same rows, the same checksums and the same answers.
    let archive = folder() + "/archive.sqlite"
    let down = try repute(["migrate", "--from", database.url, "--to", archive])
    XCTAssertEqual(down.status, 0, down.all)
    XCTAssertTrue(down.stdout.contains("every table is equal on both sides"), down.stdout)
    let downJSON = try repute(["migrate", "--from", database.url, "--to", archive, "--json"])
    XCTAssertEqual(downJSON.json["copied"] as? Int, 0, downJSON.stdout)
    let sums = { (run: Run, side: String) in
      Dictionary(
        uniqueKeysWithValues: run.tables.map { ($0["table"] as? String ?? "", $0[side] as? String ?? "") })
    }
    XCTAssertEqual(sums(up, "source_checksum"), sums(downJSON, "target_checksum"))

    for command in [
      ["list", "--json", "--limit", "1000"], ["log", "--json"], ["report", "--json"],
      ["escalations", "--json"],
      ["list", "--json", "--filter", "category:complaint"],
    ] {
      let before = try repute(command + ["--store", original])
      let after = try repute(command + ["--store", archive])
      XCTAssertEqual(before.status, 0, before.all)
      XCTAssertEqual(after.stdout, before.stdout, "\(command)")
      XCTAssertFalse(before.stdout.isEmpty, "\(command)")
    }

    // What the archive derives from its rows was rebuilt: the queue's totals, the search index.
    let now = try XCTUnwrap(RFC3339.parse("2026-11-24T12:00:00Z"))
    let stores = try [original, archive].map {
      try SQLiteStore(path: $0, mode: .readOnly, clock: .fixed(now))
    }
    XCTAssertEqual(try stores[1].searchBacklog(), 0)
    XCTAssertEqual(try stores[1].tally(now: now), try stores[0].tally(now: now))
    for words in ["trein", "counter", "Utrecht"] {
      let filter = QueueFilter(search: words)
      XCTAssertEqual(
        try stores[1].queue(filter, limit: 100, offset: 0, now: now).map(\.mention.id),
        try stores[0].queue(filter, limit: 100, offset: 0, now: now).map(\.mention.id), words)
    }
    XCTAssertFalse(try stores[1].queue(QueueFilter(search: "trein"), limit: 100, offset: 0, now: now).isEmpty)

    // Erased stays erased: the forgotten post is kept out of the archive as it was out of the
    // original (the tombstones and their salt came along).
    let again3 = folder() + "/again.jsonl"
    try
      #"{"platform":"bluesky","id":"demo-3","author":{"handle":"mark.bsky.social","name":"Mark"},"created_at":"2026-11-24T11:00:00Z","text":"Is it true?","lang":"en"}"#
      .write(toFile: again3, atomically: true, encoding: .utf8)
    for store in [original, archive] {
      let ingest = try repute(["ingest", "--store", store, again3])
      XCTAssertEqual(ingest.status, 0, ingest.all)
      XCTAssertTrue(
        ingest.stdout.contains("1 forgotten posts were not stored again"), "\(store): \(ingest.all)")
    }
  }

  func testATargetWithAnotherStoresDataIsRefused() throws {
    let database = try TestDatabase()
    defer { database.drop() }
    let first = try demoStore()
    let other = folder() + "/other.sqlite"
    XCTAssertEqual(try repute(["demo", "--seed-only", "--store", other]).status, 0)
    XCTAssertEqual(try repute(["migrate", "--from", first, "--to", database.url]).status, 0)

    let refused = try repute(["migrate", "--from", other, "--to", database.url])
    XCTAssertEqual(refused.status, 2, refused.all)
    XCTAssertTrue(refused.stderr.contains("holds another store's data"), refused.stderr)
    let intoFile = try repute(["migrate", "--from", database.url, "--to", other])
    XCTAssertEqual(intoFile.status, 2, intoFile.all)
    XCTAssertTrue(intoFile.stderr.contains("holds another store's data"), intoFile.stderr)
  }

  func testAChangedSourceShowsAsDifferingChecksums() throws {
    let database = try TestDatabase()
    defer { database.drop() }
    let store = try demoStore()
    XCTAssertEqual(try repute(["migrate", "--from", store, "--to", database.url]).status, 0)
    // The source moves on after the copy: a row already copied changes, a new one comes.
    XCTAssertEqual(try repute(["note", "3", "--text", "Later", "--store", store]).status, 0)
    XCTAssertEqual(try repute(["claim", "3", "--store", store]).status, 0)
    let again = try repute(["migrate", "--from", store, "--to", database.url, "--json"])
    XCTAssertEqual(again.status, 1, again.all)
    let differing = again.tables.filter { $0["equal"] as? Bool == false }.compactMap {
      $0["table"] as? String
    }
    XCTAssertEqual(differing, ["mentions"], again.stdout)
    let notes = again.tables.first { $0["table"] as? String == "notes" }
    XCTAssertEqual(notes?["copied"] as? Int, 1)
    XCTAssertTrue(again.stderr.contains("the copy differs from the source in mentions"), again.stderr)
  }

  func testUsage() throws {
    let store = folder() + "/s.sqlite"
    XCTAssertEqual(try repute(["migrate", "--from", store]).status, 64)
    let same = try repute(["migrate", "--from", store, "--to", store])
    XCTAssertEqual(same.status, 64, same.all)
    XCTAssertTrue(same.stderr.contains("name the same store"), same.stderr)
    let missing = try repute(["migrate", "--from", store, "--to", folder() + "/t.sqlite"])
    XCTAssertEqual(missing.status, 2, missing.all)
    XCTAssertFalse(FileManager.default.fileExists(atPath: store), "a missing source is not made")
  }
}

extension ReputeRun {
  /// The run's `--json` output as an object.
  var json: [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any]) ?? [:]
  }
  /// `migrate --json`'s tables.
  var tables: [[String: Any]] { json["tables"] as? [[String: Any]] ?? [] }
}

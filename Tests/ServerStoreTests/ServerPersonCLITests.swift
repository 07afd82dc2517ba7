import Foundation
import Inbox
import XCTest

/// A person's side on a PostgreSQL store through the real binary (issue 18): `repute notices`
/// (and `--mark-read`, `--all`) for the login role on the roster, and `repute person` (the
/// timeline, the note, link and unlink) with their refusals and audit events.
final class ServerPersonCLITests: XCTestCase {
  private static let counter = Locked(0)

  /// A store on a fresh database: two mentions ingested, a roster applied by the owner (the
  /// superuser, on the roster as Sam, supervisor) naming Anna by a login role of her own with
  /// the rights a responder needs. Returns the database, the owner's URL, Anna's and her role.
  func team() throws -> (TestDatabase, owner: String, anna: String, role: String) {
    let database = try TestDatabase()
    let n = Self.counter.withLock { count in
      count += 1
      return count
    }
    let role = "anna_\(getpid())_\(n)"
    let owner = database.url
    let anna = owner + "&user=" + role
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("repute-person-\(role)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    XCTAssertEqual(try ReputeRun.run(["init", "--store", owner]).status, 0)
    let posts = [
      #"{"platform":"mastodon","id":"k1","author":{"handle":"kees"},"created_at":"2026-11-24T11:00:00Z","text":"Mijn trein is weer vertraagd en niemand zegt iets. Belachelijk."}"#,
      #"{"platform":"bluesky","id":"b1","author":{"handle":"kees.bsky.social"},"created_at":"2026-11-24T11:30:00Z","text":"Hoe laat vertrekt de eerste trein?"}"#,
    ]
    let file = folder.appendingPathComponent("in.jsonl")
    try (posts.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
    let ingested = try ReputeRun.run(["ingest", "--store", owner, file.path])
    XCTAssertEqual(ingested.status, 0, ingested.all)
    let policy = folder.appendingPathComponent("policy.toml")
    try """
    [[team]]
    name = "Sam"
    login = "postgres"
    role = "supervisor"

    [[team]]
    name = "Anna"
    login = "\(role)"

    """.write(to: policy, atomically: true, encoding: .utf8)
    let applied = try ReputeRun.run(["policy", "apply", policy.path, "--store", owner])
    XCTAssertEqual(applied.status, 0, applied.all)
    try database.execute(
      "CREATE ROLE \(role) LOGIN", "GRANT USAGE ON SCHEMA repute TO \(role)",
      "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA repute TO \(role)",
      "GRANT USAGE ON ALL SEQUENCES IN SCHEMA repute TO \(role)")
    return (database, owner, anna, role)
  }

  func done(_ database: TestDatabase, role: String) {
    try? database.execute("DROP OWNED BY \(role)", "DROP ROLE IF EXISTS \(role)")
    database.drop()
  }

  func json(_ line: String) throws -> [String: Any] {
    try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
  }

  func lines(_ text: String) -> [String] {
    text.split(separator: "\n").map(String.init)
  }

  func testNoticesForTheLoginRoleReadAndMarkedRead() throws {
    let (database, owner, anna, role) = try team()
    defer { done(database, role: role) }
    let assigned = try ReputeRun.run(["assign", "1", "--to", "Anna", "--store", owner])
    XCTAssertEqual(assigned.status, 0, assigned.all)
    // The owner's role is Sam, who is told of nothing.
    let sam = try ReputeRun.run(["notices", "--store", owner])
    XCTAssertEqual(sam.status, 0, sam.all)
    XCTAssertEqual(sam.stdout, "")
    XCTAssertTrue(sam.stderr.contains("no unread notices"), sam.stderr)

    let listed = try ReputeRun.run(["notices", "--ui-lang", "en", "--store", anna])
    XCTAssertEqual(listed.status, 0, listed.all)
    XCTAssertEqual(lines(listed.stdout).count, 1, listed.stdout)
    XCTAssertTrue(listed.stdout.hasPrefix("•"), listed.stdout)
    XCTAssertTrue(listed.stdout.contains("Sam assigned #1 (@kees) to you"), listed.stdout)
    let object = try json(try ReputeRun.run(["notices", "--json", "--store", anna]).stdout)
    XCTAssertEqual(object["kind"] as? String, "assigned")
    XCTAssertEqual(object["mention_id"] as? Int, 1)
    XCTAssertEqual(object["actor"] as? String, "Sam")
    XCTAssertEqual(object["handle"] as? String, "kees")
    XCTAssertEqual(object["created_at"] as? String, "2026-11-24T12:00:00.000Z")
    XCTAssertNil(object["read_at"] as? String)

    let marked = try ReputeRun.run(["notices", "--mark-read", "--store", anna])
    XCTAssertEqual(marked.status, 0, marked.all)
    let none = try ReputeRun.run(["notices", "--store", anna])
    XCTAssertEqual(none.stdout, "")
    XCTAssertTrue(none.stderr.contains("no unread notices"), none.stderr)
    let all = try ReputeRun.run(["notices", "--all", "--json", "--store", anna])
    XCTAssertEqual(all.status, 0, all.all)
    XCTAssertEqual(try json(all.stdout)["read_at"] as? String, "2026-11-24T12:00:00.000Z")
  }

  func testThePersonsTimelineNoteAndLinks() throws {
    let (database, owner, anna, role) = try team()
    defer { done(database, role: role) }
    let shown = try ReputeRun.run(["person", "@kees", "--ui-lang", "en", "--store", anna])
    XCTAssertEqual(shown.status, 0, shown.all)
    XCTAssertTrue(shown.stdout.hasPrefix("Timeline · @kees\n"), shown.stdout)
    XCTAssertTrue(shown.stdout.contains("@kees (mastodon) · 1 post"), shown.stdout)
    XCTAssertTrue(shown.stdout.contains("Complaints: 1 in 30 days, 1 in 90 days"), shown.stdout)
    XCTAssertTrue(shown.stdout.contains("Mijn trein is weer vertraagd"), shown.stdout)

    let noted = try ReputeRun.run(["person", "note", "1", "--text", "Vaste reiziger", "--store", anna])
    XCTAssertEqual(noted.status, 0, noted.all)
    XCTAssertTrue(noted.stdout.contains("noted on @kees"), noted.stdout)
    // The mention's detail reads the note on its person (the inbox shows it).
    let detail = try ReputeRun.run(["show", "1", "--ui-lang", "en", "--store", anna])
    XCTAssertEqual(detail.status, 0, detail.all)
    XCTAssertTrue(detail.stdout.contains("Mijn trein is weer vertraagd"), detail.stdout)
    let linked = try ReputeRun.run(
      ["person", "link", "mastodon:@kees", "bluesky:@kees.bsky.social", "--store", anna])
    XCTAssertEqual(linked.status, 0, linked.all)
    XCTAssertTrue(
      linked.stdout.contains("linked @kees (mastodon) and @kees.bsky.social (bluesky)"), linked.stdout)
    let again = try ReputeRun.run(["person", "link", "1", "2", "--store", anna])
    XCTAssertEqual(again.status, 1, again.all)
    XCTAssertTrue(again.stderr.contains("both name the same person already"), again.stderr)

    let person = try json(try ReputeRun.run(["person", "2", "--json", "--store", owner]).stdout)
    let identities = try XCTUnwrap(person["identities"] as? [[String: Any]])
    XCTAssertEqual(identities.map { $0["handle"] as? String }, ["kees.bsky.social", "kees"])
    XCTAssertEqual(person["posts"] as? Int, 2)
    let note = try XCTUnwrap(person["note"] as? [String: Any])
    XCTAssertEqual(note["text"] as? String, "Vaste reiziger")
    XCTAssertEqual(note["by"] as? String, "Anna")
    let timeline = try XCTUnwrap(person["timeline"] as? [[String: Any]])
    XCTAssertEqual(timeline.map { $0["mention_id"] as? Int }, [2, 1])

    let unlinked = try ReputeRun.run(["person", "unlink", "bluesky:@kees.bsky.social", "--store", anna])
    XCTAssertEqual(unlinked.status, 0, unlinked.all)
    let twice = try ReputeRun.run(["person", "unlink", "2", "--store", anna])
    XCTAssertEqual(twice.status, 1, twice.all)
    XCTAssertTrue(twice.stderr.contains("@kees.bsky.social is not linked to anyone"), twice.stderr)
    let nobody = try ReputeRun.run(["person", "@nobody", "--store", anna])
    XCTAssertEqual(nobody.status, 2, nobody.all)
    XCTAssertTrue(nobody.stderr.contains("no author @nobody in the store"), nobody.stderr)

    let log = try ReputeRun.run(["log", "--json", "--store", owner])
    XCTAssertEqual(log.status, 0, log.all)
    let trail = try lines(log.stdout).map(json).filter {
      ($0["action"] as? String)?.hasPrefix("person_") == true
    }
    XCTAssertEqual(trail.map { $0["action"] as? String }, ["person_note", "person_link", "person_unlink"])
    XCTAssertEqual(trail.map { $0["actor"] as? String }, ["Anna", "Anna", "Anna"])
  }
}

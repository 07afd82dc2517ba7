import Foundation
import ServerStore
import XCTest

/// `repute init` and `repute check` on a PostgreSQL store, the other commands reaching the store
/// (and saying what does not work there yet), who acts there, and passwords that never show,
/// through the real binary (issue 18).
final class ServerCLITests: XCTestCase {
  typealias Result = ReputeRun

  /// Runs the `repute` built beside the tests (`ReputeRun`).
  func repute(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
    try ReputeRun.run(arguments, environment: environment)
  }

  /// The schema version this build makes.
  let known = ServerStore.knownSchemaVersion

  func testInitTwiceThenCheck() throws {
    let database = try TestDatabase()
    defer { database.drop() }
    let first = try repute(["init", "--store", database.url])
    XCTAssertEqual(first.status, 0, first.all)
    XCTAssertTrue(first.stdout.hasPrefix("created the store in schema repute on postgres://"), first.stdout)
    XCTAssertTrue(first.stdout.contains("schema version \(known)"), first.stdout)
    let second = try repute(["init"], environment: ["REPUTE_STORE": database.url])
    XCTAssertEqual(second.status, 0, second.all)
    XCTAssertTrue(second.stdout.contains("is up to date: schema version \(known)"), second.stdout)

    let check = try repute(["check", "--store", database.url])
    XCTAssertEqual(check.status, 0, check.all)
    XCTAssertTrue(check.stdout.contains("is reachable: PostgreSQL 1"), check.stdout)
    XCTAssertTrue(
      check.stdout.contains("schema repute: version \(known) (this repute knows \(known))"), check.stdout)
    let json = try repute(["check", "--json", "--store", database.url])
    let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
    XCTAssertEqual(object?["reachable"] as? Bool, true)
    XCTAssertEqual(object?["schema_version"] as? Int, known)
    XCTAssertEqual(object?["database"] as? String, database.name)
  }

  func testCheckWithoutAStoreThereAndANewerSchema() throws {
    let database = try TestDatabase()
    defer { database.drop() }
    let empty = try repute(["check", "--store", database.url])
    XCTAssertEqual(empty.status, 2, empty.all)
    XCTAssertTrue(empty.stdout.contains("is reachable"), empty.all)
    XCTAssertTrue(empty.stderr.contains("no store in schema repute there yet"), empty.stderr)

    XCTAssertEqual(try repute(["init", "--store", database.url]).status, 0)
    try database.execute("INSERT INTO repute.schema_migrations (version, name) VALUES (1000, 'later')")
    for command in [["init"], ["check"], ["list"]] {
      let refused = try repute(command + ["--store", database.url])
      XCTAssertEqual(refused.status, 2, refused.all)
      XCTAssertTrue(
        refused.stderr.contains("schema version 1000, newer than this repute knows (\(known))"),
        refused.stderr)
    }
  }

  /// Every command opens a server store as any store and works on it as on a file.
  func testCommandsReachTheServerStoreAndWorkAsOnAFile() throws {
    let database = try TestDatabase()
    defer { database.drop() }
    let none = try repute(["list", "--store", database.url])
    XCTAssertEqual(none.status, 2, none.all)
    XCTAssertTrue(none.stderr.contains("no store in schema repute on postgres://"), none.stderr)
    XCTAssertTrue(none.stderr.contains("repute init --store URL makes one"), none.stderr)

    XCTAssertEqual(try repute(["init", "--store", database.url]).status, 0)
    let arrival =
      #"{"platform":"x","id":"1","author":{"handle":"a"},"created_at":"2026-11-24T11:00:00Z","text":"Mijn pakket is niet bezorgd"}"#
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("repute-cli-\(getpid()).jsonl")
    defer { try? FileManager.default.removeItem(at: file) }
    try (arrival + "\n").write(to: file, atomically: true, encoding: .utf8)
    let stored = try repute(["ingest", "--store", database.url, file.path])
    XCTAssertEqual(stored.status, 0, stored.all)
    // What the server store has works as on a file.
    for command in [
      ["list"], ["list", "--filter", "open"], ["escalations"], ["views"], ["snippets"], ["policy", "show"],
      ["log"], ["report"], ["show", "1"], ["person", "@a"],
    ] {
      let result = try repute(command + ["--store", database.url])
      XCTAssertEqual(result.status, 0, "\(command): \(result.all)")
    }
    // A person's action needs the login role on the roster.
    for command in [["claim", "1"], ["reply", "1", "--text", "Dank je"], ["notices"]] {
      let result = try repute(command + ["--store", database.url])
      XCTAssertEqual(result.status, 2, "\(command): \(result.all)")
      XCTAssertTrue(result.stderr.contains("is not on the team's roster"), "\(command): \(result.stderr)")
    }
    // What only a file has says so.
    let demo = try repute(["demo", "--seed-only", "--store", database.url])
    XCTAssertEqual(demo.status, 2, demo.all)
    XCTAssertTrue(
      demo.stderr.contains("this needs a store file, not the team's PostgreSQL store"), demo.stderr)
    let modes = try repute(["init", "--repair-modes", "--store", database.url])
    XCTAssertEqual(modes.status, 64, modes.all)
    XCTAssertTrue(modes.stderr.contains("--repair-modes and --name are for a store file"), modes.stderr)
  }

  /// Runs without a server: on a server store the login role acts, so a name given by `--as` or
  /// `$REPUTE_USER` is refused before any connection (exit status 64).
  func testAsAndREPUTE_USERAreRefusedOnAServerStore() throws {
    let asRefused = try repute(["check", "--as", "anna", "--store", "postgres://h/db"])
    XCTAssertEqual(asRefused.status, 64, asRefused.all)
    XCTAssertTrue(asRefused.stderr.contains("leave out --as"), asRefused.stderr)
    for command in [["list"], ["claim", "1"], ["check"], ["inbox"]] {
      let refused = try repute(
        command + ["--store", "postgres://h/db"], environment: ["REPUTE_USER": "anna"])
      XCTAssertEqual(refused.status, 64, "\(command): \(refused.all)")
      XCTAssertTrue(
        refused.stderr.contains("on a PostgreSQL store you act as the role you log in as: unset REPUTE_USER"),
        "\(command): \(refused.stderr)")
    }
    // An empty REPUTE_USER names nobody.
    let empty = try repute(
      ["list", "--store", "postgres://h.invalid/db?connect_timeout=5"], environment: ["REPUTE_USER": ""])
    XCTAssertNotEqual(empty.status, 64, empty.all)
  }

  /// Runs without a server: a password in the URL is refused before any connection, unrepeated.
  func testAPasswordInTheURLIsRefusedAndNeverPrinted() throws {
    for url in ["postgres://anna:hunter2-xq@h/db", "postgres://h/db?password=hunter2-xq"] {
      for command in [["init"], ["check"], ["list"]] {
        let result = try repute(command + ["--store", url])
        XCTAssertEqual(result.status, 2, "\(command) \(result.all)")
        XCTAssertTrue(result.stderr.contains("never takes one on the command line"), result.stderr)
        XCTAssertFalse(result.all.contains("hunter2"), result.all)
      }
    }
  }

  func testAWrongPasswordIsRefusedAndNeverPrinted() throws {
    let database = try TestDatabase()
    defer { database.drop() }
    let role = "repute_cli_\(getpid())"
    try database.execute("CREATE ROLE \(role) LOGIN PASSWORD 'good-pass-4410'")
    defer { try? database.execute("DROP ROLE IF EXISTS \(role)") }
    let port = try TestServer.address(database.url).port
    let url = "postgres://\(role)@127.0.0.1:\(port)/\(database.name)?sslmode=disable"
    let wrong = try repute(["check", "--store", url], environment: ["PGPASSWORD": "bad-pass-0099"])
    XCTAssertEqual(wrong.status, 2, wrong.all)
    XCTAssertTrue(wrong.stderr.contains("refused the login"), wrong.stderr)
    XCTAssertFalse(wrong.all.contains("bad-pass") || wrong.all.contains("good-pass"), wrong.all)

    let home = NSTemporaryDirectory() + "repute-pgpass-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: home) }
    let passfile = home + "/.pgpass"
    FileManager.default.createFile(
      atPath: passfile, contents: Data("127.0.0.1:\(port):*:\(role):good-pass-4410\n".utf8),
      attributes: [.posixPermissions: 0o644])
    let open = try repute(["check", "--store", url], environment: ["HOME": home])
    XCTAssertEqual(open.status, 2, open.all)
    XCTAssertTrue(open.stderr.contains("has group or world access"), open.stderr)
    try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: passfile)
    let right = try repute(["check", "--store", url], environment: ["HOME": home])
    XCTAssertEqual(right.status, 2, right.all)  // reachable, but no store there yet
    XCTAssertTrue(right.stdout.contains("connected as \(role)"), right.all)
    XCTAssertFalse(right.all.contains("good-pass"), right.all)
  }
}

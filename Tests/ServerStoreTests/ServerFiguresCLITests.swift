import Foundation
import XCTest

/// `repute report` and `repute withdraw` on a PostgreSQL store, through the real binary: the
/// report of a store copied to the server is the file's, figure for figure, and a reply taken back
/// on the server is as on a file (issue 18).
final class ServerFiguresCLITests: XCTestCase {
  func repute(_ arguments: [String], environment: [String: String] = [:]) throws -> ReputeRun {
    try ReputeRun.run(arguments, environment: environment)
  }

  func temporary(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("repute-figures-cli-\(getpid())-\(name)")
      .path
  }

  /// The demo's store, copied to the server: `report` in every format says the same on both.
  func testTheReportOnTheServerIsTheFilesReport() throws {
    let database = try TestDatabase()
    defer { database.drop() }
    let file = temporary("demo.sqlite")
    defer {
      for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: file + suffix) }
    }
    let seed = try repute(["demo", "--seed-only", "--store", file])
    XCTAssertEqual(seed.status, 0, seed.all)
    let copy = try repute(["migrate", "--from", file, "--to", database.url])
    XCTAssertEqual(copy.status, 0, copy.all)
    for format in [
      [], ["--json"], ["--csv"], ["--since", "2026-11-01"], ["--json", "--since", "2026-11-24"],
    ] {
      let onFile = try repute(["report", "--store", file] + format)
      let onServer = try repute(["report", "--store", database.url] + format)
      XCTAssertEqual(onFile.status, 0, onFile.all)
      XCTAssertEqual(onServer.status, 0, "\(format): \(onServer.all)")
      XCTAssertEqual(onServer.stdout, onFile.stdout, "\(format)")
    }
    let json = try repute(["report", "--json", "--store", database.url])
    let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
    XCTAssertNotNil(object, json.stdout)
  }

  /// A reply taken back on the server: the command says so, the clocks are back, and a second
  /// withdrawal is refused (exit 1).
  func testWithdrawOnTheServer() throws {
    let database = try TestDatabase()
    defer { database.drop() }
    XCTAssertEqual(try repute(["init", "--store", database.url]).status, 0)
    // The login role on the socket is `postgres`: on the roster as a supervisor.
    let policy = temporary("policy.toml")
    defer { try? FileManager.default.removeItem(atPath: policy) }
    try "[[team]]\nname = \"Anna\"\nlogin = \"postgres\"\nrole = \"supervisor\"\n".write(
      toFile: policy, atomically: true, encoding: .utf8)
    let apply = try repute(["policy", "apply", "--store", database.url, policy])
    XCTAssertEqual(apply.status, 0, apply.all)
    let arrivals = temporary("arrivals.jsonl")
    defer { try? FileManager.default.removeItem(atPath: arrivals) }
    try
      (#"{"platform":"x","id":"1","author":{"handle":"a"},"created_at":"2026-11-24T11:00:00Z","text":"Mijn pakket is niet bezorgd"}"#
      + "\n").write(toFile: arrivals, atomically: true, encoding: .utf8)
    XCTAssertEqual(try repute(["ingest", "--store", database.url, arrivals]).status, 0)
    let before = try repute(["list", "--store", database.url])
    let reply = try repute([
      "reply", "1", "--text", "Sorry, we zoeken het uit", "--yes", "--store", database.url,
    ])
    XCTAssertEqual(reply.status, 0, reply.all)
    let withdraw = try repute(["withdraw", "1", "--reason", "verkeerde klant", "--store", database.url])
    XCTAssertEqual(withdraw.status, 0, withdraw.all)
    XCTAssertTrue(withdraw.stdout.contains("withdrew reply 1"), withdraw.stdout)
    XCTAssertTrue(withdraw.stdout.contains("the mention's clocks are as before the reply"), withdraw.stdout)
    XCTAssertEqual(try repute(["list", "--store", database.url]).stdout, before.stdout)
    let again = try repute(["withdraw", "1", "--reason", "nog eens", "--json", "--store", database.url])
    XCTAssertEqual(again.status, 1, again.all)
    let log = try repute(["log", "--store", database.url])
    XCTAssertTrue(log.stdout.contains("withdraw_reply"), log.stdout)
  }
}

import Foundation
import Policy
import XCTest

@testable import ServerStore

/// What `repute init` leaves, on a server store as on a store file: no policy yet (a file made
/// without `--name` has none either; a server's `init` takes no `--name`), the default one in force
/// from the first command on, and a server database made by `init` still a target for `migrate`.
final class ServerInitPolicyCLITests: XCTestCase {
  func testTheDefaultPolicyIsInForceFromTheFirstCommandAsOnAFile() throws {
    let database = try TestDatabase()
    defer { database.drop() }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "init-policy-\(UUID().uuidString)")
    try FileManager.default.createDirectory(
      at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("repute.sqlite").path
    for store in [file, database.url] {
      let made = try ReputeRun.run(["init", "--store", store])
      XCTAssertEqual(made.status, 0, made.all)
    }
    XCTAssertEqual(try policies(database).count, 0, "init writes no policy, as on a file")

    var shown: [String] = []
    for store in [file, database.url] {
      let show = try ReputeRun.run(["policy", "show", "--store", store])
      XCTAssertEqual(show.status, 0, show.all)
      shown.append(show.stdout)
    }
    XCTAssertEqual(shown[0], shown[1])
    let installed = try policies(database)
    XCTAssertEqual(installed.map(\.version), [1])
    XCTAssertEqual(installed.first?.source, PolicyFile.render(.default))
    XCTAssertEqual(installed.first?.by, "repute")
    // The store's clock (`REPUTE_NOW`), not the server's.
    XCTAssertEqual(installed.first?.at, 1_795_521_600_000)
  }

  func testADatabaseMadeByInitTakesAMigratedStore() throws {
    let database = try TestDatabase()
    defer { database.drop() }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "init-migrate-\(UUID().uuidString)")
    try FileManager.default.createDirectory(
      at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("demo.sqlite").path
    XCTAssertEqual(try ReputeRun.run(["demo", "--seed-only", "--store", file]).status, 0)
    XCTAssertEqual(try ReputeRun.run(["init", "--store", database.url]).status, 0)
    let copied = try ReputeRun.run(["migrate", "--from", file, "--to", database.url])
    XCTAssertEqual(copied.status, 0, copied.all)
    XCTAssertTrue(copied.stdout.contains("every table is equal on both sides"), copied.stdout)
  }

  private func policies(_ database: TestDatabase) throws -> [(
    version: Int64, source: String, at: Int64, by: String
  )] {
    let bridge = try ServerBridge(address: TestServer.address(database.url))
    defer { bridge.close() }
    return try bridge.run { session in
      try await session.rows(
        "SELECT version, source, applied_at, applied_by FROM repute.policies ORDER BY version",
        as: (Int64, String, Int64, String).self)
    }.map { (version: $0.0, source: $0.1, at: $0.2, by: $0.3) }
  }
}

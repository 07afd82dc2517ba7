import Foundation
import Policy
import ServerStore
import XCTest

@testable import ServerStore

/// `repute init` on a server store leaves it as a new store file is left: the default policy in
/// force from the start (as a file's gets with `init --name`, or at its first command), and the
/// init in the log by whoever made it.
final class ServerInitPolicyCLITests: XCTestCase {
  func testInitPutsTheDefaultPolicyInForceOnce() throws {
    let database = try TestDatabase()
    defer { database.drop() }
    let first = try ReputeRun.run(["init", "--store", database.url])
    XCTAssertEqual(first.status, 0, first.all)
    let again = try ReputeRun.run(["init", "--store", database.url])
    XCTAssertEqual(again.status, 0, again.all)

    let bridge = try ServerBridge(address: TestServer.address(database.url))
    defer { bridge.close() }
    let policies = try bridge.run { session in
      try await session.rows(
        "SELECT version, source, applied_at, applied_by FROM repute.policies ORDER BY version",
        as: (Int64, String, Int64, String).self)
    }
    XCTAssertEqual(policies.count, 1)
    XCTAssertEqual(policies.first?.0, 1)
    XCTAssertEqual(policies.first?.1, PolicyFile.render(.default))
    // The pinned clock (`REPUTE_NOW`), not the server's.
    XCTAssertEqual(policies.first?.2, 1_795_521_600_000)
    XCTAssertEqual(policies.first?.3, "repute")
    let events = try bridge.run { session in
      try await session.rows(
        "SELECT action, actor FROM repute.events WHERE mention_id IS NULL ORDER BY id",
        as: (String, String).self)
    }
    // Once each, though init ran twice: the policy went in with the store, the store was made once.
    XCTAssertEqual(events.map(\.0), ["init", "policy_installed"])
    XCTAssertEqual(events.first?.1, "postgres")

    let shown = try ReputeRun.run(["policy", "show", "--store", database.url])
    XCTAssertEqual(shown.status, 0, shown.all)
  }
}

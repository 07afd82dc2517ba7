import Foundation
import Inbox
import XCTest

@testable import ServerStore

#if canImport(Glibc)
  import Glibc
#endif

/// `compact` after an erasure on a server: PostgreSQL skips, with only a warning, a table the
/// role may not vacuum. The store says so instead of reporting a cleanup that did not happen.
final class ServerCompactRightsTests: XCTestCase {
  func testARoleThatMayNotVacuumIsToldWhoMay() throws {
    let database = try TestDatabase()
    defer { database.drop() }
    let owner = try ServerStore(address: TestServer.address(database.url))
    defer { owner.close() }
    _ = try owner.initialize()
    XCTAssertTrue(try owner.compact(), "the owner (here the superuser) vacuums")

    let role = "repute_vac_\(getpid())"
    try database.execute(
      "DROP ROLE IF EXISTS \(role)", "CREATE ROLE \(role) LOGIN",
      "GRANT USAGE ON SCHEMA repute TO \(role)", "GRANT ALL ON ALL TABLES IN SCHEMA repute TO \(role)")
    defer { try? database.execute("DROP OWNED BY \(role)", "DROP ROLE IF EXISTS \(role)") }
    let guestURL = database.url.replacingOccurrences(of: "://postgres@", with: "://\(role)@")
    XCTAssertNotEqual(guestURL, database.url, "the test server's URL names its superuser")
    let guest = try ServerStore(address: TestServer.address(guestURL))
    defer { guest.close() }
    XCTAssertThrowsError(try guest.compact()) { error in
      guard case InboxError.permissionDenied(let message) = error else {
        return XCTFail("not a refusal: \(error)")
      }
      XCTAssertTrue(message.contains("may not VACUUM"), message)
      XCTAssertTrue(message.contains("mentions"), message)
      XCTAssertTrue(message.contains("postgres"), "the owner named: \(message)")
    }
  }
}

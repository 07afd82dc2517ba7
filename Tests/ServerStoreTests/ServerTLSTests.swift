import Foundation
import Inbox
import XCTest

@testable import ServerStore

/// libpq's `sslmode` mapped to the driver's TLS. The modes that verify a certificate are mapped
/// here and tested against a server with a certificate in a later step (issue 19).
final class ServerTLSTests: XCTestCase {
  func tls(_ url: String) throws -> (allowed: Bool, enforced: Bool) {
    let configuration = try ServerTLS.configuration(for: TestServer.address(url))
    return (configuration.isAllowed, configuration.isEnforced)
  }

  func testEachModeMapsToTheDriversTLS() throws {
    XCTAssertTrue(try tls("postgres://h/db?sslmode=disable") == (false, false))
    XCTAssertTrue(try tls("postgres://h/db?sslmode=prefer") == (true, false))
    XCTAssertTrue(try tls("postgres://h/db?sslmode=require") == (true, true))
    XCTAssertTrue(try tls("postgres://h/db?sslmode=verify-full&sslrootcert=system") == (true, true))
    XCTAssertTrue(try tls("postgres://h/db?sslmode=verify-ca&sslrootcert=system") == (true, true))
    XCTAssertTrue(try tls("postgres:///db?host=/tmp&sslmode=require") == (false, false), "no TLS on a socket")
  }

  func testAVerifyingModeNeedsAReadableCAFile() throws {
    XCTAssertThrowsError(try tls("postgres://h/db?sslmode=verify-full&sslrootcert=/nonexistent/ca.pem")) {
      error in
      XCTAssertTrue("\(error)".contains("/nonexistent/ca.pem cannot be read"), "\(error)")
    }
  }

  /// The throwaway server has no certificate: `require` refuses it, `prefer` goes on without.
  func testRequireRefusesAServerWithoutTLS() throws {
    let database = try TestDatabase()
    defer { database.drop() }
    let role = "repute_tls_\(getpid())"
    try database.execute("CREATE ROLE \(role) LOGIN PASSWORD 'tls-pass-5150'")
    defer { try? database.execute("DROP ROLE IF EXISTS \(role)") }
    let port = try TestServer.address(database.url).port
    let base = "postgres://\(role)@127.0.0.1:\(port)/\(database.name)"
    let env = ["PGPASSWORD": "tls-pass-5150"]
    let required = try ServerStore(address: TestServer.address(base + "?sslmode=require", environment: env))
    defer { required.close() }
    XCTAssertThrowsError(try required.status()) { error in
      XCTAssertTrue("\(error)".contains("does not offer TLS, and sslmode=require asks for it"), "\(error)")
    }
    let preferred = try ServerStore(address: TestServer.address(base + "?sslmode=prefer", environment: env))
    defer { preferred.close() }
    XCTAssertEqual(try preferred.status().tls, false)
  }
}

import Desk
import Foundation
import Inbox
import Policy
import XCTest

@testable import ServerStore

/// Who acts on a server store: the login role (`session_user`), looked up in the roster by its
/// `login`, by the rule the commands and the inbox share (`ActingPerson`).
final class ServerIdentityTests: XCTestCase {
  private func store(_ database: TestDatabase) throws -> ServerStore {
    let store = try ServerStore(address: TestServer.address(database.url))
    _ = try store.initialize()
    return store
  }

  func testTheLoginRoleIsWhoTheServerSaysWeAre() throws {
    let database = try TestDatabase()
    defer { database.drop() }
    let store = try store(database)
    defer { store.close() }
    XCTAssertEqual(try store.actingLogin(), try store.status().role)
    XCTAssertTrue(store.isShared)
    XCTAssertTrue(store.isServer)
    XCTAssertEqual(store.storeName, store.address.description)
  }

  func testARoleOnTheRosterActsByItsName() throws {
    let database = try TestDatabase()
    defer { database.drop() }
    let store = try store(database)
    defer { store.close() }
    let role = try store.actingLogin()
    let roster = PolicyConfig(team: [
      TeamMember(name: "Anna de Vries", login: role, role: .supervisor),
      TeamMember(name: "Bram Jansen", login: "bram"),
    ])
    XCTAssertEqual(
      try ActingPerson.name(on: store, named: nil, roster: roster, need: .person), "Anna de Vries")
    XCTAssertEqual(try ActingPerson.member(on: store, roster: roster)?.role, .supervisor)
  }

  func testARoleNotOnTheRosterIsRefusedForAPersonsAction() throws {
    let database = try TestDatabase()
    defer { database.drop() }
    let store = try store(database)
    defer { store.close() }
    let role = try store.actingLogin()
    let roster = PolicyConfig(team: [TeamMember(name: "Bram Jansen", login: "bram")])
    XCTAssertThrowsError(try ActingPerson.name(on: store, named: nil, roster: roster, need: .person)) {
      error in
      XCTAssertEqual(
        "\(error)",
        "the login role \(role) is not on the team's roster (Bram Jansen): "
          + "ask a supervisor to add a member with login = \"\(role)\" (policy apply)")
    }
    // A name cannot stand in for the role, even one on the roster.
    XCTAssertThrowsError(
      try ActingPerson.name(on: store, named: "Bram Jansen", roster: roster, need: .person))
    // Bookkeeping (ingest, polling) is recorded by the role itself.
    XCTAssertEqual(try ActingPerson.name(on: store, named: nil, roster: roster, need: .recorder), role)
  }
}

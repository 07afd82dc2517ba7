import Foundation
import Inbox
import Policy
import XCTest

@testable import ServerStore

/// Migration 13 on a store made before it (issue 19): `repute init` makes the store's groups and
/// grants and grants the roster in force; the owner keeps every right. And the server's own
/// mapping of a login to the name its events carry.
final class ServerRightsMigrationTests: XCTestCase {
  private static let counter = Locked(0)

  /// The statements that take migration 13 out of a store again, as it was at version 11.
  private static let before13 = [
    "DROP FUNCTION repute.team_rehome(), repute.team_grants(), repute.team_sync(), repute.forgotten_among(text[]) CASCADE",
    "DROP FUNCTION repute.events_actor(), repute.events_actor_trigger(), repute.outbox_review() CASCADE",
    "DROP FUNCTION repute.escalations_rights() CASCADE",
    "DROP FUNCTION repute.team_refuse(text), repute.team_actor(), repute.team_supervisor() CASCADE",
    "DROP FUNCTION repute.team_trusted(), repute.team_group(text) CASCADE",
    "DROP TABLE repute.team, repute.team_groups",
    "DELETE FROM repute.schema_migrations WHERE version = 13",
  ]

  func testInitOnAStoreFromBeforeMakesTheGroupsAndGrantsTheRoster() throws {
    let database = try TestDatabase()
    let n = Self.counter.withLock { count in
      count += 1
      return count
    }
    let login = "rights_\(getpid())_\(n)"
    let groups = ["\(database.name)_repute_responder", "\(database.name)_repute_supervisor"]
    defer {
      database.drop()
      try? database.execute("DROP ROLE IF EXISTS \(login)")
    }
    try database.execute("CREATE ROLE \(login) LOGIN")
    let store = try ServerStore(
      address: TestServer.address(database.url), clock: .fixed(Date(timeIntervalSince1970: 1_795_512_600)))
    defer { store.close() }
    _ = try store.initialize()
    var policy = PolicyConfig.default
    policy.team = [TeamMember(name: "Anna de Vries", login: login, role: .supervisor)]
    try store.applyPolicy(
      source: PolicyFile.render(policy), actor: "owner", annotator: PolicyAnnotator(policy: policy),
      replacing: nil)
    XCTAssertTrue(try member(database, login, of: groups[1]))

    // The store as an older Repute left it: no groups, no grants, no team.
    for statement in Self.before13 { try database.execute(statement) }
    try database.execute(
      "DROP OWNED BY \(groups.joined(separator: ", "))", "DROP ROLE \(groups.joined(separator: ", "))")
    let upgraded = try store.initialize()
    XCTAssertEqual(upgraded.before, 11)
    XCTAssertTrue(try member(database, login, of: groups[1]), "the roster in force is granted")
    XCTAssertTrue(try member(database, groups[1], of: groups[0]), "a supervisor has a responder's rights")
    XCTAssertEqual(
      try store.teamGroups(), ServerStore.TeamGroups(responder: groups[0], supervisor: groups[1]))
    // The owner (here the superuser who ran init) keeps every right: its actor is taken as sent.
    try store.record(actor: "Anna de Vries", action: "note", mentionID: nil, detail: nil)
    // Running it again changes nothing.
    let again = try store.initialize()
    XCTAssertEqual(again.before, again.after)
  }

  private func member(_ database: TestDatabase, _ role: String, of group: String) throws -> Bool {
    let bridge = try ServerBridge(address: TestServer.address(database.url))
    defer { bridge.close() }
    return try bridge.run { session in
      try await session.values(
        "SELECT pg_has_role('\(role)', '\(group)', 'MEMBER')", as: Bool.self
      ).first ?? false
    }
  }
}

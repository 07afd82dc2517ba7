import Foundation
import Inbox
import Policy
import XCTest

@testable import ServerStore

/// Migrations 13 and 14 on a store made before them (issue 19): `repute init` makes the store's groups and
/// grants and grants the roster in force; the owner keeps every right. And the server's own
/// mapping of a login to the name its events carry.
final class ServerRightsMigrationTests: XCTestCase {
  private static let counter = Locked(0)

  /// The statements that take migration 14 out of a store again, as it was at version 13 (and
  /// migrations 15 and 16 with it: they only replace the escalated flag's two functions and
  /// `forgotten_among`, which a store at 13 or 14 runs as well, so their rows alone are taken out).
  private static let before14 = [
    "DELETE FROM repute.schema_migrations WHERE version IN (15, 16)",
    "DROP FUNCTION repute.team_signed_row(), repute.outbox_signed(), repute.mentions_signed() CASCADE",
    "DROP FUNCTION repute.escalations_owner_given(), repute.escalations_reason_kept() CASCADE",
    "DROP FUNCTION repute.team_signed(text, text, boolean), repute.reply_needs_approval(bigint)",
    "DROP FUNCTION repute.team_grants()",
    "ALTER FUNCTION repute.team_grants_13() RENAME TO team_grants",
    "DROP TABLE repute.approval_rules",
    "DELETE FROM repute.schema_migrations WHERE version = 14",
  ]

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
    for statement in Self.before14 + Self.before13 { try database.execute(statement) }
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

  /// Migration 14 on a store at 13: `repute init` writes the policy in force's four-eyes lists
  /// into `approval_rules`, which a responder reads and a supervisor writes.
  func testInitOnAStoreAt13WritesTheApprovalRulesInForce() throws {
    let database = try TestDatabase()
    let groups = ["\(database.name)_repute_responder", "\(database.name)_repute_supervisor"]
    defer {
      database.drop()
      try? database.execute("DROP ROLE IF EXISTS \(groups.joined(separator: ", "))")
    }
    let store = try ServerStore(
      address: TestServer.address(database.url), clock: .fixed(Date(timeIntervalSince1970: 1_795_512_600)))
    defer { store.close() }
    _ = try store.initialize()
    var policy = PolicyConfig.default
    policy.escalation.approvalCategories = [.complaint]
    policy.escalation.approvalReasons = [.highReach, .legalOrPress]
    try store.applyPolicy(
      source: PolicyFile.render(policy), actor: "owner", annotator: PolicyAnnotator(policy: policy),
      replacing: nil)
    for statement in Self.before14 { try database.execute(statement) }
    let upgraded = try store.initialize()
    XCTAssertEqual(upgraded.before, 13)
    let bridge = try ServerBridge(address: TestServer.address(database.url))
    defer { bridge.close() }
    let (categories, reasons, rights) = try bridge.run { session in
      let lists = try await session.rows(
        "SELECT array_to_string(categories, ','), array_to_string(reasons, ',') FROM repute.approval_rules",
        as: (String, String).self)
      let rights = try await session.values(
        """
        SELECT concat_ws(',', has_table_privilege($1, 'repute.approval_rules', 'SELECT'),
          has_table_privilege($1, 'repute.approval_rules', 'INSERT'),
          has_table_privilege($2, 'repute.approval_rules', 'UPDATE'))
        """, binds: .of(groups[0], groups[1]), as: String.self)
      return (lists.first?.0, lists.first?.1, rights.first)
    }
    XCTAssertEqual(categories, "complaint")
    XCTAssertEqual(reasons, "high_reach,legal_or_press")
    XCTAssertEqual(rights, "t,f,t", "a responder reads them, a supervisor writes them")
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

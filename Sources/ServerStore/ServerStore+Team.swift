import Inbox
import Policy
import PostgresNIO

/// The team as the server checks it (migration 13): the roster in force in `team`, each login
/// granted its role's group. Rewritten in the transaction of every policy revision, so the grants,
/// the roster and the names events carry never disagree (and the policy's four-eyes lists the
/// server checks a reply against, migration 14); the server itself refuses a revision
/// from anyone but a supervisor or the schema's owner (`policies` and `team` are theirs to write).
extension ServerStore {
  /// The store's two group roles (`team_groups`): who holds the responder's and the supervisor's
  /// rights on this store.
  public struct TeamGroups: Sendable, Equatable {
    public let responder: String
    public let supervisor: String
  }

  /// The store's group roles, as migration 13 named (or found) them.
  public func teamGroups() throws -> TeamGroups {
    try read { session in
      let rows = try await session.rows("SELECT role, name FROM team_groups", as: (String, String).self)
      let byRole = Dictionary(rows, uniquingKeysWith: { first, _ in first })
      return TeamGroups(responder: byRole["responder"] ?? "", supervisor: byRole["supervisor"] ?? "")
    }
  }

  /// Whether the server has a role that may log in by this name (`repute team add` grants a group
  /// to a login the database's administrator made; it makes none).
  public func loginExists(_ login: String) throws -> Bool {
    try read { session in
      try await session.values(
        "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1 AND rolcanlogin)", binds: .of(login),
        as: Bool.self
      ).first ?? false
    }
  }

  /// The team rewritten from the policy in force and the groups granted to match: after `repute
  /// init` brought an older store to migration 13, and after `repute migrate` copied a store here.
  /// The schema's owner runs both.
  public func syncTeam() throws {
    try write { session in
      let source = try await session.values(
        "SELECT source FROM policies ORDER BY version DESC LIMIT 1", as: String.self
      ).first
      guard let source else { return }
      try await Self.writeTeam(session, source: source)
    }
  }

  /// Gives the store groups of its own when `team_groups` names another database's (a copy made
  /// with `CREATE DATABASE … TEMPLATE`): harmless on a store whose groups are its own.
  public func rehomeTeam() throws {
    try write { session in try await session.execute("SELECT team_rehome()", PostgresBindings()) }
  }

  /// Rewrites `team` from the roster of the policy `source` and grants or revokes the groups
  /// (`team_sync`), in the caller's transaction. A login the server has no role for is kept in
  /// `team` (its name is known) and granted nothing until the role exists and the team is written
  /// again (`repute team role`, `policy apply`).
  static func writeTeam(_ session: ServerSession, source: String) async throws {
    let policy: PolicyConfig
    do {
      policy = try PolicyFile.parse(text: source, path: "the policy", stored: true)
    } catch {
      throw InboxError.invalidArgument("the policy's roster cannot be read: \(error.description)")
    }
    var logins: [String] = []
    var names: [String] = []
    var roles: [String] = []
    for member in policy.team where !member.login.isEmpty && !logins.contains(member.login) {
      logins.append(member.login)
      names.append(member.name)
      roles.append(member.role.rawValue)
    }
    try await session.execute("DELETE FROM team", PostgresBindings())
    var binds = PostgresBindings()
    binds.append(logins)
    binds.append(names)
    binds.append(roles)
    try await session.execute(
      "INSERT INTO team (login, name, role) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])", binds)
    // Before the grants follow the new roster: a supervisor who makes themselves a responder in
    // this revision still writes it whole.
    try await writeApprovalRules(session, policy.escalation)
    try await session.execute("SELECT team_sync()", PostgresBindings())
  }

  /// Rewrites `approval_rules` (migration 14) from the policy's four-eyes lists, exactly those
  /// `EscalationRules.needsApproval` reads, so the server's `reply_needs_approval` agrees with it.
  static func writeApprovalRules(_ session: ServerSession, _ escalation: Escalation) async throws {
    var binds = PostgresBindings()
    binds.append(escalation.approvalCategories.map(\.rawValue))
    binds.append(escalation.approvalReasons.map(\.rawValue))
    try await session.execute(
      """
      INSERT INTO approval_rules (one, categories, reasons) VALUES (true, $1::text[], $2::text[])
      ON CONFLICT (one) DO UPDATE SET categories = excluded.categories, reasons = excluded.reasons
      """, binds)
  }
}

extension ServerStore {
  /// Throws when the store's schema is there and the login role may not use it: not on the team
  /// (no group granted), rather than "no store here yet".
  func refuseWithoutRights() throws {
    let schema = address.schema
    let (exists, usable) = try read { session in
      try await session.rows(
        """
        SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1),
          coalesce((SELECT has_schema_privilege(oid, 'USAGE') FROM pg_namespace WHERE nspname = $1), false)
        """, binds: .of(schema), as: (Bool, Bool).self
      ).first ?? (false, false)
    }
    guard exists, !usable else { return }
    let login = try actingLogin()
    throw InboxError.permissionDenied(
      "the login role \(login) has no rights on the store in schema \(schema) on \(address): "
        + "a supervisor adds you to the team (repute team add \(login) --name … --role responder)")
  }
}

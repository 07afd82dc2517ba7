import ArgumentParser
import Foundation
import Inbox
import Policy
import ServerStore

/// `repute team add`, `remove`, `role`: the roster changed by a supervisor without editing the
/// policy file. Each makes a new policy revision, as `policy apply` does (the roster is part of the
/// policy), and records what changed in the audit trail. On a server store the revision also grants
/// or revokes the login role's group (`ServerStore.writeTeam`); the login role itself is the
/// database administrator's to make.
struct TeamAddCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "add",
    abstract: "Add a person to the roster (a supervisor's command).",
    discussion: """
      On a server store LOGIN is their PostgreSQL login role, which must exist (the database's \
      administrator makes it: CREATE ROLE anna LOGIN); they are granted the store's group for ROLE. \
      On a file store LOGIN is their system login.
      """)

  @OptionGroup var options: StoreOptions
  @Argument(help: "Their login role on the server (their system login on a file).") var login: String
  @Option(help: "Their name, as the log records them and replies are signed.") var name: String
  @Option(help: "Their initials (default: from the name).") var initials: String?
  @Option(help: "responder or supervisor.") var role: String

  func validate() throws {
    _ = try TeamChange.role(role)
    try requireText(name, "--name")
    try requireText(login, "LOGIN")
  }

  func run() throws {
    let role = try TeamChange.role(role)
    try TeamChange.run(options, login: login, role: role, action: "team_add") { policy in
      if let same = policy.member(login: login) {
        throw InboxError.invalidArgument(
          "\(login) is on the roster already, as \(same.name) (repute team role)")
      }
      if policy.team.contains(where: { $0.name.lowercased() == name.lowercased() }) {
        throw InboxError.invalidArgument("the roster has a member named \(name) already")
      }
      policy.team.append(TeamMember(name: name, initials: initials, login: login, role: role))
      return "added \(name) (\(login)) as a \(role.rawValue)"
    }
  }
}

struct TeamRemoveCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "remove",
    abstract: "Take a person off the roster (a supervisor's command); on a server, their group too.")

  @OptionGroup var options: StoreOptions
  @Argument(help: "Their login.") var login: String

  func run() throws {
    try TeamChange.run(options, login: login, role: nil, action: "team_remove") { policy in
      guard let member = policy.member(login: login) else {
        throw InboxError.notFound("no member with login \(login) on the roster")
      }
      policy.team.removeAll { $0.login == login }
      return "removed \(member.name) (\(login)) from the roster"
    }
  }
}

struct TeamRoleCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "role",
    abstract: "Give a person on the roster another role (a supervisor's command).")

  @OptionGroup var options: StoreOptions
  @Argument(help: "Their login.") var login: String
  @Argument(help: "responder or supervisor.") var role: String

  func validate() throws {
    _ = try TeamChange.role(role)
  }

  func run() throws {
    let role = try TeamChange.role(role)
    try TeamChange.run(options, login: login, role: role, action: "team_role") { policy in
      guard let index = policy.team.firstIndex(where: { $0.login == login }) else {
        throw InboxError.notFound("no member with login \(login) on the roster (repute team add)")
      }
      policy.team[index].role = role
      return "\(policy.team[index].name) (\(login)) is a \(role.rawValue) now"
    }
  }
}

/// What the three share: the supervisor's right, the new revision, the audit event.
enum TeamChange {
  static func role(_ text: String) throws -> TeamRole {
    guard let role = TeamRole(rawValue: text.lowercased()) else {
      throw ValidationError("the role is responder or supervisor, not \(text)")
    }
    return role
  }

  /// Applies the roster `change` makes of the policy in force as its next revision and records
  /// `action` (with the login, the role and the version) in the audit trail.
  static func run(
    _ options: StoreOptions, login: String, role: TeamRole?, action: String,
    _ change: (inout PolicyConfig) throws -> String
  ) throws {
    try guarded {
      let context = try PolicyContext.open(options, create: false)
      try Rights.requireSupervisor(context, to: "change the team", ownerMayStart: true)
      let store = context.store
      if role != nil, let server = store as? ServerStore, try !server.loginExists(login) {
        throw InboxError.notFound(
          "the server has no login role \(login): its administrator makes it first "
            + "(CREATE ROLE \(login) LOGIN; docs/guide/team-server.md)")
      }
      var policy = context.policy
      let message = try change(&policy)
      let acting = try store.actingLogin()
      let hadSupervisor = context.policy.team.contains { $0.role == .supervisor }
      if hadSupervisor, !policy.team.contains(where: { $0.role == .supervisor }) {
        throw InboxError.invalidArgument(
          "the team would have no supervisor left: make someone else one first")
      }
      if login == acting, policy.member(login: acting) == nil {
        throw InboxError.invalidArgument("you cannot take yourself off the roster: ask another supervisor")
      }
      let source = PolicyFile.render(policy)
      do {
        _ = try PolicyFile.parse(text: source, path: "the new roster")
      } catch let error as PolicyFileError {
        throw InboxError.invalidArgument(error.issues.map(\.description).joined(separator: "; "))
      }
      let actor = try options.actor(for: store, roster: policy)
      let applied = try store.applyPolicy(
        source: source, actor: actor, annotator: PolicyAnnotator(policy: policy),
        replacing: context.stored.version)
      var detail = JSONWriter()
      detail.string("login", login)
      detail.string("role", role?.rawValue)
      detail.int("version", applied.version)
      try store.record(actor: actor, action: action, mentionID: nil, detail: detail.finish())
      Output.line(TerminalSafe.sanitize("\(message); policy version \(applied.version) in force"))
    }
  }
}

import Inbox
import Policy

/// Who may assign a mention, and to whom (issue 16): one rule for the inbox's `A` and
/// `repute assign`. A supervisor on the roster assigns to a person on the roster, named by full
/// name, login or first name (as `--as` takes them); the store keeps the roster name, as claims,
/// drafts and the audit trail do.
public enum AssignRule {
  /// Why an assignment was refused (exit 1 from the command line).
  public enum Refusal: Error, Sendable, Hashable, CustomStringConvertible {
    case notSupervisor(String)
    case notOnRoster(String, roster: [String])

    public var description: String {
      switch self {
      case .notSupervisor(let actor):
        return "only a supervisor on the roster assigns a mention (\(actor) is not)"
      case .notOnRoster(let name, let roster):
        return "\(name) is not on the team's roster (\(roster.joined(separator: ", ")))"
      }
    }
  }

  /// True when `actor` is a supervisor on the policy's roster.
  public static func maySupervise(_ actor: String, policy: PolicyConfig) -> Bool {
    policy.team.first(where: { $0.name == actor })?.role == .supervisor
  }

  /// The roster member `actor` may assign to when they name `to`; throws a `Refusal`.
  public static func assignee(_ to: String, actor: String, policy: PolicyConfig) throws -> TeamMember {
    guard maySupervise(actor, policy: policy) else { throw Refusal.notSupervisor(actor) }
    guard let member = policy.member(named: to) else {
      throw Refusal.notOnRoster(to, roster: policy.team.map(\.login))
    }
    return member
  }
}

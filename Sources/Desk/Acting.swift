import Inbox
import Policy

/// Who is acting on a store, by the roster in force: the one rule the commands and the inbox
/// share. The store says who logs in (`StoreHandle.actingLogin`: the system's login on a file, the
/// login role on a server); the roster's `login` names the person.
public enum ActingPerson {
  /// How strictly a caller needs to know who is acting.
  public enum Need: Sendable {
    /// Someone who replies, claims or drafts: a roster member, or refused.
    case person
    /// Bookkeeping (ingest, policy, purge, polling): recorded by roster name when the roster
    /// knows the person, else by login; a name the roster does not know is still refused.
    case recorder
  }

  /// The roster member the store's login names, nil when the roster has none.
  public static func member(on store: any StoreHandle, roster: PolicyConfig) throws -> TeamMember? {
    roster.member(login: try store.actingLogin())
  }

  /// The person acting, by their canonical roster name. `named`: who `--as` or `$REPUTE_USER`
  /// names (a name, first name or login), nil for nobody: then the member with the store's login.
  /// On a shared store (a group's file, any server store) the login decides, and a name only when
  /// it is that same person; a server store never takes a name (its commands refuse one first).
  /// A name not on the roster is refused; so is a `.person` on a store without a roster.
  public static func name(on store: any StoreHandle, named: String?, roster: PolicyConfig, need: Need) throws
    -> String
  {
    let login = try store.actingLogin()
    do {
      if store.isServer {
        guard let member = roster.member(login: login) else {
          if need == .recorder { return login }
          throw InboxError.permissionDenied(
            "the login role \(login) is not on the team's roster"
              + (roster.team.isEmpty ? "" : " (\(roster.team.map(\.name).joined(separator: ", ")))")
              + ": ask a supervisor to add a member with login = \"\(login)\" (policy apply)")
        }
        return member.name
      }
      if store.isShared {
        let member = roster.member(login: login)
        if let named {
          let same =
            named.lowercased() == login.lowercased()
            || (member != nil && roster.member(named: named) == member)
          guard same else {
            throw InboxError.permissionDenied(
              "on a shared store you act as your login (\(login)\(member.map { ", \($0.name) in the roster" } ?? "")); "
                + "--as and REPUTE_USER must name the same person")
          }
        }
        if need == .person { return try roster.resolveMember(requested: nil, login: login).name }
        return member?.name ?? login
      }
      if roster.team.isEmpty {
        if need == .person { throw RosterRefusal.noRoster }
        return named ?? login
      }
      if need == .person || named != nil {
        return try roster.resolveMember(requested: named, login: login).name
      }
      return roster.member(login: login)?.name ?? login
    } catch let refusal as RosterRefusal {
      throw InboxError.permissionDenied(refusal.description)
    }
  }
}

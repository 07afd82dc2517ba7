/// Who is acting, by the team's roster: one person has one name everywhere (title, claims,
/// drafts, signature, audit trail, report).
public enum RosterRefusal: Error, Sendable, Hashable, CustomStringConvertible {
  /// The store's policy has no roster, so nobody's name is known yet.
  case noRoster
  /// `--as` or `$REPUTE_USER` named someone who is not on the roster.
  case notOnRoster(name: String, roster: [String])
  /// Nobody was named and the login is not on the roster.
  case loginNotOnRoster(login: String, roster: [String])
  /// A first name that several people on the roster share.
  case ambiguous(name: String, matches: [String])

  public var description: String {
    switch self {
    case .noRoster:
      return "this store does not know your name yet (it has no roster): run `repute init --name NAME` "
        + "with the name you sign replies with"
    case .notOnRoster(let name, let roster):
      return "\(name) is not on the team's roster (\(roster.joined(separator: ", "))): "
        + "ask a supervisor to add them (policy apply)"
    case .loginNotOnRoster(let login, let roster):
      return "your login \(login) is not on the team's roster (\(roster.joined(separator: ", "))): "
        + "name yourself with --as NAME, or ask a supervisor to add you (policy apply)"
    case .ambiguous(let name, let matches):
      return "\(name) could be \(matches.joined(separator: " or ")) on the team's roster: give the full name"
    }
  }
}

extension PolicyConfig {
  /// The roster member a person means by `name`: the full name, else the login, else the first
  /// name, each compared case-insensitively; nil when nobody (or more than one) fits.
  public func member(named name: String) -> TeamMember? {
    try? matching(name)
  }

  /// The person acting: the member `requested` names (`--as`, else `$REPUTE_USER`), or when
  /// nobody is named, the member with this `login`. Throws when the roster is empty, the name is
  /// not on it, or nobody is named and the login is not on it: a reply is never signed with a
  /// name the roster does not give.
  public func resolveMember(requested: String?, login: String) throws -> TeamMember {
    guard !team.isEmpty else { throw RosterRefusal.noRoster }
    let name = requested?.trimmingCharacters(in: .whitespaces) ?? ""
    if name.isEmpty {
      guard let own = member(login: login) else {
        throw RosterRefusal.loginNotOnRoster(login: login, roster: team.map(\.name))
      }
      return own
    }
    return try matching(name)
  }

  private func matching(_ name: String) throws -> TeamMember {
    try TeamMember.matching(name, in: team)
  }
}

extension TeamMember {
  /// The member of `team` that `name` means: the full name, else the login, else the first name,
  /// each compared case-insensitively. Throws when nobody fits, or when a first name is shared.
  public static func matching(_ name: String, in team: [TeamMember]) throws -> TeamMember {
    let key = name.lowercased()
    if let byName = team.first(where: { $0.name.lowercased() == key }) { return byName }
    if let byLogin = team.first(where: { $0.login.lowercased() == key }) { return byLogin }
    let byFirst = team.filter { $0.firstName.lowercased() == key }
    if byFirst.count > 1 { throw RosterRefusal.ambiguous(name: name, matches: byFirst.map(\.name)) }
    if let only = byFirst.first { return only }
    throw RosterRefusal.notOnRoster(name: name, roster: team.map(\.name))
  }
}

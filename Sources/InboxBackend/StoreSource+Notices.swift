import Desk
import Foundation
import Inbox
import InboxUI
import Policy
import Store

/// Notices and assignment from the store (issue 16), by the rules `repute assign` keeps.
extension StoreSource: NoticeSource {
  public func noticeSummary(for recipient: String) throws -> NoticeSummary {
    try store.noticeSummary(for: recipient)
  }

  public func notices(for recipient: String, includeRead: Bool, limit: Int) throws -> [Notice] {
    try store.notices(for: recipient, includeRead: includeRead, limit: limit)
  }

  @discardableResult
  public func markNoticesRead(ids: [Int64], recipient: String) throws -> Int {
    try store.markNoticesRead(ids: ids, recipient: recipient)
  }

  public func mayAssign(_ actor: String) -> Bool { AssignRule.maySupervise(actor, policy: policy) }

  public var team: [TeamMember] { policy.team }

  /// Logins first, then the full names that say more than the login.
  public var assignable: [String] {
    var out: [String] = []
    for word in policy.team.map(\.login) + policy.team.map(\.name)
    where !out.contains(where: { $0.lowercased() == word.lowercased() }) {
      out.append(word)
    }
    return out
  }

  /// Assigns each mention to the person `to` names; the rule's refusal is the status line's error.
  func assign(_ ids: [Int64], to: String, actor: String) throws -> String {
    let member: TeamMember
    do {
      member = try AssignRule.assignee(to, actor: actor, policy: policy)
    } catch let refusal as AssignRule.Refusal {
      throw InboxError.permissionDenied(refusal.description)
    }
    for id in ids { _ = try store.assign(id: id, to: member.name, actor: actor) }
    return "\(strings[.assignedDone]) \(TerminalSafe.sanitize(member.name))"
  }
}

import Foundation

/// The escalation rules of the policy as pure functions: what management must know (S8), what
/// runs late (S12), and which replies need a second pair of eyes.
///
/// The store applies them where mentions arrive (the reasons a mention carries by itself) and
/// periodically (overdue, a rise in volume); every rule is idempotent there: one open escalation
/// per mention and reason.
public struct EscalationRules: Sendable {
  public let policy: Escalation

  public init(_ policy: Escalation) { self.policy = policy }

  /// Categories that count as negative for the high-reach rule.
  public static let negative: Set<Category> = [.complaint, .unfounded, .misinformation]

  /// The reasons a newly arrived mention carries by itself: an unfounded accusation (S8), legal
  /// or press words, or an author with high reach in a negative category. Muted mentions (the
  /// organisation's own, noise) carry none.
  public func onArrival(category: Category, followers: Int?, escalationWords: [String], muted: Bool)
    -> [EscalationReason]
  {
    if muted { return [] }
    var reasons: [EscalationReason] = []
    if category == .unfounded { reasons.append(.unfoundedAccusation) }
    if !escalationWords.isEmpty { reasons.append(.legalOrPress) }
    if Self.negative.contains(category), let f = followers, f >= policy.highReach {
      reasons.append(.highReach)
    }
    return reasons
  }

  /// A repeat complainer: `complaints` complaints (the new one included) within the window.
  public func isRepeatComplainer(category: Category, complaintsInWindow: Int) -> Bool {
    category == .complaint && complaintsInWindow >= policy.repeatComplaints
  }

  /// A sudden rise: the last hour against the mean of the same hour on earlier days.
  public func isVolumeRise(lastHour: Int, sameHourBefore: [Int]) -> Bool {
    guard lastHour >= policy.volumeMinimum else { return false }
    let usual = Self.mean(sameHourBefore)
    return Double(lastHour) >= policy.volumeFactor * max(usual, 1)
  }

  /// The mean of counts; 0 for none.
  public static func mean(_ counts: [Int]) -> Double {
    counts.isEmpty ? 0 : Double(counts.reduce(0, +)) / Double(counts.count)
  }

  /// Four eyes: whether a reply to a mention of `category`, escalated for `reasons`, must be
  /// approved by a supervisor before it is sent.
  public func needsApproval(category: Category?, reasons: [EscalationReason]) -> Bool {
    if let category, policy.approvalCategories.contains(category) { return true }
    return reasons.contains { policy.approvalReasons.contains($0) }
  }
}

import Foundation
import Policy

/// How a mention's targets are worked out again when its category changes (a responder's
/// recategorise, a new policy's verdict): one definition for both stores, so a mention re-judged
/// on the server gets the targets it would get in a file.
public enum Retargeting {
  /// The lifecycle a mention is in for its deadlines: a snoozed one keeps the one it came from.
  public static func phase(status: MentionStatus, snoozedFrom: String?) -> MentionStatus {
    status == .snoozed ? (snoozedFrom.flatMap(MentionStatus.init(rawValue:)) ?? .open) : status
  }

  /// The follow-up target after re-judging a mention's category: a holding reply's stays (S12);
  /// a pending personal follow-up (S10) is counted again from the first response with the new
  /// window (`window`), and goes when that has none; a fulfilled or never-set one stays unset.
  public static func followUp(
    phase: MentionStatus, pending: Date?, answeredAt: Date?, window: (Date) -> Date?
  ) -> Date? {
    switch phase {
    case .holding: return pending
    case .replied:
      guard pending != nil, let answeredAt else { return nil }
      return window(answeredAt)
    case .open, .noReply, .snoozed: return nil
    }
  }

  /// The earliest reply, moved up to the first response when the organisation answered sooner:
  /// the cooling-off (S11) ends with the answer (as `applyReply` has it).
  public static func earliest(_ earliest: Date, answeredAt: Date?) -> Date {
    guard let answeredAt, answeredAt < earliest else { return earliest }
    return answeredAt
  }
}

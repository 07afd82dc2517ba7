/// What kind of mention this is, in the article's terms (S7). The raw values are stable JSON names.
public enum Category: String, Sendable, Codable, CaseIterable, Hashable {
  case praise
  case selfPraise = "self_praise"
  case question
  case complaint
  case misinformation
  case unfounded
  case neutral
}

/// Where a mention is in its life: the responder's decisions, not the clock.
public enum MentionStatus: String, Sendable, Codable, CaseIterable, Hashable {
  case open
  /// A holding reply (S12) stopped the first-response clock and started the follow-up clock.
  case holding
  case replied
  /// Decided on purpose not to reply (S3, S5, S8).
  case noReply = "no_reply"
  case snoozed
}

/// How a mention's age stands against its response window.
public enum ClockState: String, Sendable, Codable, CaseIterable, Hashable {
  /// Inside the cooling-off window: too early to answer well (S11).
  case cooling
  case onTime = "on_time"
  /// The last fifth of the span from arrival to the target.
  case dueSoon = "due_soon"
  case overdue
  /// Nothing is due.
  case none
}

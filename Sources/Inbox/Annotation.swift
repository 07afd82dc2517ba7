import Foundation
import Policy

/// What the policy says about an incoming mention, computed once at ingest and stored with it.
public struct MentionAnnotation: Sendable, Hashable {
  public var category: Category
  public var confidence: Double
  /// The signals that led to the category, packed as the store keeps them, so the responder sees why.
  public var signals: PackedSignals
  /// The signals as JSON (what `list --json` and `show` print).
  public var signalsJSON: String { signals.json ?? "[]" }
  /// The language the classifier read the text in (taken from the mention, or detected).
  public var detectedLang: String?
  public var deadlines: MentionDeadlines
  /// Noise the policy keeps out of the queue (muted words or authors, the organisation's own posts).
  public var muted: Bool
  /// The escalation reasons the mention carries by itself (S8, legal or press words, high reach).
  public var escalation: [EscalationReason]
  /// What a repeat of this post would be recognised by, computed with the verdict so the store's
  /// writer need not (nil: the store computes it; a muted mention is never folded).
  public var repeatKey: RepeatKey?

  public init(
    category: Category, confidence: Double, signals: PackedSignals, detectedLang: String? = nil,
    deadlines: MentionDeadlines, muted: Bool, escalation: [EscalationReason] = [],
    repeatKey: RepeatKey? = nil
  ) {
    self.category = category
    self.confidence = confidence
    self.signals = signals
    self.detectedLang = detectedLang
    self.deadlines = deadlines
    self.muted = muted
    self.escalation = escalation
    self.repeatKey = repeatKey
  }
}

/// Classifies incoming mentions for the store; the policy module provides the real one.
public protocol MentionAnnotator: Sendable {
  func annotate(_ mention: IncomingMention) -> MentionAnnotation
  /// The deadlines a mention of `category` arriving at `arrival` gets (for a manual category).
  func deadlines(category: Category, arrival: Date) -> MentionDeadlines
  /// The personal follow-up target (S10) after the first response at `time` to a mention of
  /// `category`; nil when the category has none.
  func followUpDeadline(category: Category, firstResponseAt time: Date) -> Date?
}

extension MentionAnnotator {
  /// Annotators without response windows ask for no follow-up.
  public func followUpDeadline(category: Category, firstResponseAt time: Date) -> Date? { nil }
}

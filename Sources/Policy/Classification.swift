/// What the classifier reads of a mention.
public struct ClassifierInput: Sendable, Hashable {
  public var text: String
  /// `nl`, `en`, another code, or nil to detect Dutch or English.
  public var lang: String?
  public var authorHandle: String
  public var authorName: String
  public var followers: Int?
  /// `mastodon`, `bluesky`, `x`, …
  public var platform: String
  /// The source says the author works for the organisation.
  public var isStaff: Bool

  public init(
    text: String, lang: String? = nil, authorHandle: String = "", authorName: String = "",
    followers: Int? = nil, platform: String = "", isStaff: Bool = false
  ) {
    self.text = text
    self.lang = lang
    self.authorHandle = authorHandle
    self.authorName = authorName
    self.followers = followers
    self.platform = platform
    self.isStaff = isStaff
  }
}

/// Why the classifier decided what it did: one piece of evidence.
public enum SignalKind: String, Sendable, Codable, Hashable, CaseIterable {
  case positiveWord = "positive_word"
  case negativeWord = "negative_word"
  case negation
  case intensifier
  case dampener
  case emoji
  case emoticon
  case thanks
  case questionMark = "question_mark"
  case interrogative
  case request
  case complaintCue = "complaint_cue"
  case ownExperience = "own_experience"
  case insult
  case sweeping
  case shouting
  case exclamation
  case contrast
  case rumour
  case staffAuthor = "staff_author"
  /// A demand, a rhetorical question or a sigh ("come on", "fix this", "kom op") (S10, S11).
  case exasperation
  /// A greeting that opens the mention ("hi", "goedemorgen") (S12).
  case greeting
  /// A problem put right, beside praise: its complaint cues count less (S3).
  case resolution
}

/// One piece of evidence: its kind, the word, phrase or emoji it was found in, and its weight
/// (positive pushes towards praise, negative towards complaint; cues carry their strength).
public struct Signal: Sendable, Codable, Hashable, CustomStringConvertible {
  public var kind: SignalKind
  public var token: String
  public var weight: Double

  public init(kind: SignalKind, token: String, weight: Double) {
    self.kind = kind
    self.token = token
    self.weight = weight
  }

  public var description: String {
    let w = (weight * 100).rounded() / 100
    return "\(kind.rawValue) \"\(token)\" \(w)"
  }
}

/// The classifier's verdict on a mention, with the evidence (S7: classify first).
public struct Classification: Sendable, Hashable {
  public var category: Category
  /// 0…1: the decision model's probability for the side it chose (positive, neutral, negative),
  /// at most 0.99; a rumour match is 0.83. Honest for ranking, not calibrated on every queue.
  public var confidence: Double
  /// The language used: the mention's, or the detected one (`nl` or `en`).
  public var lang: String
  public var signals: [Signal]
  /// Ids of the policy's known rumours that the mention repeats (S9, S4).
  public var rumours: [String]
  /// -1…1, VADER-style normalised sentiment of the words and emoji.
  public var sentiment: Double
  /// The policy's escalation words (legal, press) found in the text, from the same pass over it;
  /// nil when the classification did not look (the advisor then scans the text itself).
  public var escalationWords: [String]? = nil
}

import Foundation
import Policy

// Live sources' state, and the policy in force, as a store keeps them.

/// A live source as the store remembers it: where its poll stands and how healthy it is.
public struct SourceState: Sendable, Hashable {
  public var name: String
  /// `mastodon`, `bluesky`, `feed` or `spool`.
  public var kind: String
  /// The source's own position (an id, a time, a page token), opaque to the store.
  public var cursor: String?
  /// The feed's validators for a conditional request.
  public var etag: String?
  public var lastModified: String?
  public var lastPollAt: Date?
  public var lastSuccessAt: Date?
  /// The last poll's error, nil when it went well.
  public var lastError: String?
  /// The last poll went well but refused records ("3 records refused: FILE:LINE: reason"): the
  /// source is healthy with a warning, not failing, and is not backed off.
  public var warning: String?
  /// Polls in a row that failed: the backoff grows with it.
  public var failures: Int
  public var nextPollAt: Date?
  /// Mentions the last poll stored new.
  public var lastNew: Int

  public init(
    name: String, kind: String, cursor: String? = nil, etag: String? = nil, lastModified: String? = nil,
    lastPollAt: Date? = nil, lastSuccessAt: Date? = nil, lastError: String? = nil, warning: String? = nil,
    failures: Int = 0, nextPollAt: Date? = nil, lastNew: Int = 0
  ) {
    self.name = name
    self.kind = kind
    self.cursor = cursor
    self.etag = etag
    self.lastModified = lastModified
    self.lastPollAt = lastPollAt
    self.lastSuccessAt = lastSuccessAt
    self.lastError = lastError
    self.warning = warning
    self.failures = failures
    self.nextPollAt = nextPollAt
    self.lastNew = lastNew
  }
}

/// How a live source is doing, as `repute sources`, its JSON and the status line say it.
public enum SourceHealthState: String, Sendable, Hashable, CaseIterable {
  case neverPolled = "never_polled"
  /// The last poll went well.
  case ok
  /// The last poll went well, but some of the records it fetched were refused (malformed).
  case warning
  /// The last poll failed: the network, an HTTP error, a login, an answer too large or unreadable.
  case failing
}

extension SourceState {
  public var health: SourceHealthState {
    if lastError != nil { return .failing }
    if lastPollAt == nil { return .neverPolled }
    return warning == nil ? .ok : .warning
  }

  /// The warning of a poll that refused `count` records: "3 records refused: FILE:LINE: reason".
  public static func refusalWarning(count: Int, first: String) -> String {
    "\(count) \(count == 1 ? "record" : "records") refused: \(first)"
  }

  /// How many records the last poll refused, read back from its warning; 0 without one.
  public var refusedRecords: Int {
    guard let warning, warning.contains(" refused: ") else { return 0 }
    return Int(warning.prefix { $0.isASCII && $0.isNumber }) ?? 0
  }
}

/// A source's position to store together with the mentions it covers.
public struct SourceCursor: Sendable, Hashable {
  public var source: String
  public var kind: String
  public var cursor: String?
  public var etag: String?
  public var lastModified: String?

  public init(source: String, kind: String, cursor: String?, etag: String? = nil, lastModified: String? = nil)
  {
    self.source = source
    self.kind = kind
    self.cursor = cursor
    self.etag = etag
    self.lastModified = lastModified
  }
}

/// One applied version of the policy file.
public struct StoredPolicy: Sendable, Hashable {
  public var version: Int64
  /// The policy file's text, exactly as applied.
  public var source: String
  public var appliedAt: Date
  public var appliedBy: String

  public init(version: Int64, source: String, appliedAt: Date, appliedBy: String) {
    self.version = version
    self.source = source
    self.appliedAt = appliedAt
    self.appliedBy = appliedBy
  }
}

/// Live sources' state: where each source's poll stands, who polls it, and the mentions stored
/// with their cursor in one transaction; threads fetched for context.
public protocol SourceStore: Sendable {
  /// Stores a page of a source's mentions and its cursor in one transaction.
  func ingest(
    _ batch: [IncomingMention], annotations: [MentionAnnotation]?, actor: String, cursor: SourceCursor?,
    contextOnly: Bool, rules: Escalation?
  ) throws -> IngestCounts
  /// Moves a source's cursor without mentions.
  func saveCursor(_ cursor: SourceCursor) throws
  /// One source's state, nil before its first poll.
  func sourceState(name: String) throws -> SourceState?
  /// Every source's state, by name.
  func sourceStates() throws -> [SourceState]
  /// Takes the poll of a source for `holder`; false while another process polls it.
  func claimSource(name: String, kind: String, holder: String, for duration: TimeInterval) throws -> Bool
  /// Records how a poll went and when the next is due.
  func recordPoll(
    name: String, kind: String, error: String?, warning: String?, newMentions: Int, nextPollAt: Date,
    holder: String
  ) throws
  /// Mentions on a platform whose thread was not fetched since `before` (written after `since`).
  func mentionsNeedingThread(platform: String, before: Date, since: Date, limit: Int) throws -> [Mention]
  /// Records that a mention's thread was fetched.
  func recordThreadFetch(mentionID: Int64, posts: Int) throws
  /// Whether a mention was stored only as another's context.
  func isContextOnly(mentionID: Int64) throws -> Bool
}

extension SourceStore {
  public func recordPoll(
    name: String, kind: String, error: String?, newMentions: Int, nextPollAt: Date, holder: String
  ) throws {
    try recordPoll(
      name: name, kind: kind, error: error, warning: nil, newMentions: newMentions, nextPollAt: nextPollAt,
      holder: holder)
  }
}

/// The policy in force, kept in the store so every process applies the same one.
public protocol PolicyStore: Sendable {
  /// The policy in force, nil before one was installed.
  func currentPolicy() throws -> StoredPolicy?
  /// Installs `source` as the first policy unless the store has one.
  func installPolicyIfMissing(source: String, actor: String) throws
  /// Applies a new policy and recomputes the mentions' verdicts; returns its version and how many
  /// were recomputed.
  @discardableResult
  func applyPolicy(source: String, actor: String, annotator: any MentionAnnotator, replacing expected: Int64?)
    throws -> (version: Int64, recomputed: Int)
}

/// The live sources' health as the status line shows it (issue 7).
public struct SourceHealth: Hashable, Sendable {
  public var sources: Int
  /// The names of the sources whose last poll failed.
  public var failing: [String]
  /// The names of the sources whose last poll went well but refused records (malformed).
  public var warning: [String]
  /// How many records those polls refused, together.
  public var refused: Int
  /// Replies delivery gave up on (their platform's message is in the outbox).
  public var failedReplies: Int

  public init(
    sources: Int, failing: [String], warning: [String] = [], refused: Int = 0, failedReplies: Int = 0
  ) {
    self.sources = sources
    self.failing = failing
    self.warning = warning
    self.refused = refused
    self.failedReplies = failedReplies
  }
}

/// A source that knows how the live sources and delivery are doing (the store's does).
public protocol SourceHealthReporting: AnyObject {
  /// The health for the status line; nil when there are no sources and no failed replies.
  func sourceHealth() throws -> SourceHealth?
}

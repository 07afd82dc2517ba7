import Foundation
import Policy

// The right to be forgotten and retention as a store carries them out.

/// What an erasure took away.
public struct ErasureCounts: Sendable, Hashable {
  public var mentions = 0
  public var authors = 0
  public var revisions = 0
  public var notes = 0
  public var replies = 0
  /// Other people's mentions whose text or raw record named or quoted the forgotten author.
  public var quoting = 0

  public init() {}

  public static func += (a: inout ErasureCounts, b: ErasureCounts) {
    a.mentions += b.mentions
    a.authors += b.authors
    a.revisions += b.revisions
    a.notes += b.notes
    a.replies += b.replies
    a.quoting += b.quoting
  }
}

/// The right to be forgotten and retention: personal data goes, anonymous figures stay.
public protocol ErasureStore: Sendable {
  /// What names the author `forget` erases in other people's text (`Redactor`): the handle as
  /// given, the matching authors' handles and display names, and their posts. Ask before the
  /// erasure, while the author rows exist (the CLI cleans the spools' copies with it first).
  func redactor(author handle: String, platform: String?) throws -> Redactor
  /// Erases an author's mentions and what names them; returns what went.
  func forget(author handle: String, platform: String?, actor: String) throws -> ErasureCounts
  /// Whether an author was forgotten.
  func wasForgotten(author handle: String, platform: String?) throws -> Bool
  /// Erases the mentions written before `cutoff` (retention).
  func purge(before cutoff: Date, actor: String) throws -> ErasureCounts
  /// Squeezes erased bytes out of the store; true when it finished.
  @discardableResult
  func compact() throws -> Bool
  /// How many mentions an author wrote (what `forget` would erase).
  func mentionCount(author handle: String, platform: String?) throws -> Int
  /// How many authors go by the handle.
  func authorCount(handle: String, platform: String?) throws -> Int
  /// How many mentions were written before `cutoff` (what `purge` would erase).
  func mentionCount(before cutoff: Date) throws -> Int
}

import Desk
import Foundation
import Inbox

/// Why a source without a store behind it cannot take replies.
public struct RepliesUnavailable: Error, CustomStringConvertible, Sendable {
  public var description: String { "replies need a store: this source cannot take them" }
}

extension InboxSource {
  // Sources that only show a queue (test doubles, read-only views) need not implement replies.
  public func openReply(mentionID: Int64, actor: String) throws -> ReplyOpening { throw RepliesUnavailable() }
  public func saveDraft(mentionID: Int64, mode: ReplyMode, text: String, actor: String) throws {
    throw RepliesUnavailable()
  }
  public func assessReply(_ request: ReplyRequest, now: Date) throws -> ReplyAssessment {
    throw RepliesUnavailable()
  }
  public func sendReply(_ request: ReplyRequest, now: Date) throws -> SentReply { throw RepliesUnavailable() }
  public func takeBackReply(mentionID: Int64, actor: String) throws -> ReplyMode {
    throw RepliesUnavailable()
  }
  public func saveSnippet(mentionID: Int64, title: String, body: String, actor: String) throws -> Snippet {
    throw RepliesUnavailable()
  }
  public func approvedSnippets() throws -> [Snippet] { [] }
}

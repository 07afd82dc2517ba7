import Foundation
import Inbox

// TEMPORARY, until `pg-ingest` is merged: QueueStore refines MentionStore.
extension ServerStore: MentionStore {
  private func notYet() -> InboxError {
    InboxError.storeUnavailable("ingest does not work on a PostgreSQL store yet (issue 18)")
  }
  public func ingest(_ batch: [IncomingMention], actor: String, annotator: (any MentionAnnotator)?) throws
    -> IngestCounts
  { throw notYet() }
  public func mentions(order: MentionOrder, limit: Int, offset: Int) throws -> [Mention] { throw notYet() }
  public func mention(id: Int64) throws -> Mention? { throw notYet() }
  public func events(mentionID: Int64) throws -> [Event] { throw notYet() }
  public func revisions(mentionID: Int64) throws -> [(text: String, replacedAt: Date)] { throw notYet() }
  public func mentionCount() throws -> Int { throw notYet() }
  public func changeToken() throws -> Int64 { throw notYet() }
}

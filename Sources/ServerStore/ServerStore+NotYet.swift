import Foundation
import Inbox
import Policy

// Every store requirement not yet written for PostgreSQL (issue 18), one block per protocol, so
// that `ServerStore` is a whole `ReputeStore` and every command reaches the store: a call that is
// not here yet fails with one sentence and exit status 2. When a topic's implementation merges
// (`ServerStore+Topic.swift`), its whole block below goes; a protocol with no implementation yet
// keeps its block complete. See docs/DECISIONS.md, "A composition of the store protocols".

extension ServerStore {
  /// The refusal of a store call PostgreSQL does not have yet: `InboxError.storeUnavailable`, which
  /// every command prints as one line with exit status 2.
  func notYet(_ call: String) -> InboxError {
    .storeUnavailable("\(call) does not work on a PostgreSQL store yet (issue 18)")
  }
}

// MARK: QueueStore, what is not yet on the server

extension ServerStore {
  public func repeats(of head: Int64) throws -> [Int64] { throw notYet("QueueStore.repeats") }
}

// MARK: OutboxStore, what is not yet on the server

extension ServerStore {
  public func withdrawReply(
    id: Int64, reason: String, actor: String, mayWithdrawOthers: Bool, keepDraft: Bool
  ) throws -> Withdrawal { throw notYet("OutboxStore.withdrawReply") }
}

// MARK: ErasureStore (not yet on the server)

extension ServerStore: ErasureStore {
  public func forget(author handle: String, platform: String?, actor: String) throws -> ErasureCounts {
    throw notYet("ErasureStore.forget")
  }
  public func wasForgotten(author handle: String, platform: String?) throws -> Bool {
    throw notYet("ErasureStore.wasForgotten")
  }
  public func purge(before cutoff: Date, actor: String) throws -> ErasureCounts {
    throw notYet("ErasureStore.purge")
  }
  public func compact() throws -> Bool { throw notYet("ErasureStore.compact") }
  public func mentionCount(author handle: String, platform: String?) throws -> Int {
    throw notYet("ErasureStore.mentionCount")
  }
  public func authorCount(handle: String, platform: String?) throws -> Int {
    throw notYet("ErasureStore.authorCount")
  }
  public func mentionCount(before cutoff: Date) throws -> Int { throw notYet("ErasureStore.mentionCount") }
}

// MARK: ChangeFeedStore (not yet on the server)

extension ServerStore: ChangeFeedStore {
  public func changedMentions(after mark: ChangeFeedMark?) throws -> (
    mark: ChangeFeedMark, ids: Set<Int64>?, arrived: Bool
  ) { throw notYet("ChangeFeedStore.changedMentions") }
  public func reachesWindow(
    ids: Set<Int64>, newAbove: Int64?, anchor: Int64?, _ query: QueueFilter, now: Date
  ) throws -> Bool { throw notYet("ChangeFeedStore.reachesWindow") }
}

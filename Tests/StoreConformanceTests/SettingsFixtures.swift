import Foundation
import GRDB
import Inbox
import Policy
import Testing

@testable import ServerStore
@testable import Store

// Fixtures of the settings' and actions' conformance tests (policy, sources, views, snippets,
// actions): the audit trail as either store wrote it, and a second handle on the same store, as a
// teammate's process on another machine would have.

/// Every event in the store, oldest first: the trail a test checks an action wrote.
func recordedEvents(_ store: TestStore) throws -> [Event] {
  switch store.kind {
  case .sqlite:
    return try store.as(SQLiteStore.self).allEvents()
  case .postgres:
    let server = try store.as(ServerStore.self)
    return try server.read { session in
      try await session.rows(
        "SELECT id, at, actor, action, mention_id, detail FROM events ORDER BY id",
        as: (Int64, Int64, String, String, Int64?, String?).self
      ).map { id, at, actor, action, mention, detail in
        Event(
          id: id, at: Date(epochMilliseconds: at), actor: actor, action: action, mentionID: mention,
          detail: detail)
      }
    }
  }
}

/// The events whose action starts with `prefix`, as (actor, action) pairs.
func recordedTrail(_ store: TestStore, _ prefix: String) throws -> [Event] {
  try recordedEvents(store).filter { $0.action.hasPrefix(prefix) }
}

/// Another handle on the same store, with a connection of its own: a second `SQLiteStore` on the
/// file, or a second `ServerStore` on the schema. Kept alive by the caller for as long as it is used.
func secondHandle(_ store: TestStore, clock: ReputeClock = TestStores.clock) throws -> AnyObject {
  switch store.kind {
  case .sqlite:
    return try SQLiteStore(path: store.location, clock: clock)
  case .postgres:
    return try ServerStore(address: store.as(ServerStore.self).address, clock: clock)
  }
}

/// Runs `first` and `second` as `race` does, while a third connection holds the store's writers
/// back for half a second: both have started (and read what they read before they write) by the
/// time writing is free again, so the race is run every time, not only when the threads happen to
/// overlap on a busy machine.
func raceHeldBack<T: Sendable>(
  _ store: TestStore, _ first: @escaping @Sendable () throws -> T,
  _ second: @escaping @Sendable () throws -> T
) throws -> [Result<T, any Error>] {
  let held = DispatchSemaphore(value: 0)
  let done = DispatchSemaphore(value: 0)
  let failure = Locked<(any Error)?>(nil)
  let blocker = try secondHandle(store)
  let hold: @Sendable () throws -> Void
  switch store.kind {
  case .sqlite:
    let file = blocker as! SQLiteStore
    hold = {
      try file.pool.write { _ in
        held.signal()
        Thread.sleep(forTimeInterval: 0.5)
      }
    }
  case .postgres:
    let server = blocker as! ServerStore
    hold = {
      try server.write { session in
        // The turn every write takes first (`write` takes it too; said here, it is what is held).
        try await session.takeWritersTurn()
        held.signal()
        try await session.execute("SELECT pg_sleep(0.5)")
      }
    }
  }
  Thread.detachNewThread {
    do { try hold() } catch { failure.withLock { $0 = error } }
    held.signal()
    done.signal()
  }
  held.wait()
  let results = race(first, second)
  done.wait()
  withExtendedLifetime(blocker) {}
  if let error = failure.current { throw error }
  return results
}

/// Runs `body` on two threads at once, each with its own argument, and returns both outcomes in
/// the arguments' order: a race two people on two machines could run.
func race<T: Sendable>(
  _ first: @escaping @Sendable () throws -> T, _ second: @escaping @Sendable () throws -> T
) -> [Result<T, any Error>] {
  let results = Locked<[Result<T, any Error>?]>([nil, nil])
  let start = DispatchSemaphore(value: 0)
  let group = DispatchGroup()
  for (index, body) in [first, second].enumerated() {
    group.enter()
    Thread.detachNewThread {
      start.wait()
      let result = Result { try body() }
      results.withLock { $0[index] = result }
      group.leave()
    }
  }
  start.signal()
  start.signal()
  group.wait()
  return results.current.map { $0! }
}

/// The mentions `ingest` stored, by external id.
func storedIDs(_ store: any MentionStore) throws -> [String: Int64] {
  Dictionary(
    uniqueKeysWithValues: try store.mentions(order: .newest, limit: 1000, offset: 0).map {
      ($0.externalID, $0.id)
    })
}

/// A stored post's id by its platform's id, whatever the post is (muted, context): read from the
/// table, as `QueueStore.mentionID` is not on every store yet.
func storedID(_ store: TestStore, platform: String, externalID: String) throws -> Int64? {
  let sql = "SELECT id FROM mentions WHERE platform = "
  switch store.kind {
  case .sqlite:
    return try store.as(SQLiteStore.self).pool.read { db in
      try Int64.fetchOne(db, sql: sql + "? AND external_id = ?", arguments: [platform, externalID])
    }
  case .postgres:
    return try store.as(ServerStore.self).read { session in
      try await session.values(
        sql + "$1 AND external_id = $2", binds: .of(platform, externalID), as: Int64.self
      ).first
    }
  }
}

/// What an action leaves on a mention that `Mention` does not carry (the queue's entry does, on a
/// store with the queue): who claimed it and when, who it is assigned to, the reason it was closed
/// without a reply, its active target and whether an escalation of it is open.
struct ActionMarks: Equatable {
  var claimedBy: String?
  var claimedAt: Int64?
  var assignedTo: String?
  var noReplyReason: String?
  var dueAt: Int64?
  var escalated: Bool
}

func actionMarks(_ store: TestStore, _ id: Int64) throws -> ActionMarks {
  let sql =
    "SELECT claimed_by, claimed_at, assigned_to, no_reply_reason, due_at, escalated FROM mentions WHERE id = "
  switch store.kind {
  case .sqlite:
    return try store.as(SQLiteStore.self).pool.read { db in
      let row = try #require(try Row.fetchOne(db, sql: sql + "?", arguments: [id]))
      return ActionMarks(
        claimedBy: row[0], claimedAt: row[1], assignedTo: row[2], noReplyReason: row[3], dueAt: row[4],
        escalated: row[5])
    }
  case .postgres:
    return try store.as(ServerStore.self).read { session in
      let (by, at, to, reason, due, escalated) = try await session.rows(
        sql + "$1", binds: .of(id), as: (String?, Int64?, String?, String?, Int64?, Bool).self)[0]
      return ActionMarks(
        claimedBy: by, claimedAt: at, assignedTo: to, noReplyReason: reason, dueAt: due, escalated: escalated)
    }
  }
}

import Foundation
import Inbox
import Policy
import PostgresNIO
import Testing

@testable import ServerStore

/// Deadlines chosen per mention id, so the urgency order can be checked exactly (the queue's
/// tests; `ScriptedAnnotator` in `StoreTests` is the same).
struct QueueAnnotator: MentionAnnotator {
  /// Per external id: (earliest reply, first response) in minutes from the mention's creation.
  var windows: [String: (Double, Double)?]

  func annotate(_ mention: IncomingMention) -> MentionAnnotation {
    let window = windows[mention.externalID] ?? nil
    return MentionAnnotation(
      category: window == nil ? .praise : .complaint, confidence: 1, signals: PackedSignals([]),
      deadlines: window.map { w in
        MentionDeadlines(
          earliestReply: mention.createdAt.addingTimeInterval(w.0 * 60),
          firstResponse: mention.createdAt.addingTimeInterval(w.1 * 60))
      } ?? MentionDeadlines(earliestReply: mention.createdAt),
      muted: mention.externalID == "muted")
  }

  func deadlines(category: Category, arrival: Date) -> MentionDeadlines { MentionDeadlines() }
}

/// The responder's actions the queue's tests take, on either store: through `ActionStore` where
/// the store has it, else (the PostgreSQL store before its actions land, branch `pg-settings`)
/// the same rows and event written by SQL, as `SQLiteStore+Actions` writes them.
struct QueueActions {
  let store: TestStore
  let actor = "t"

  private var actions: (any ActionStore)? { store.store as? any ActionStore }

  /// Runs `action` through the protocol when the store can; false when it cannot yet.
  private func through(_ action: (any ActionStore) throws -> Void) throws -> Bool {
    guard let actions else { return false }
    do {
      try action(actions)
      return true
    } catch InboxError.storeUnavailable(let message) where message.contains("yet") {
      return false
    }
  }

  func claim(_ id: Int64, by who: String) throws {
    if try through({ _ = try $0.toggleClaim(id: id, actor: who) }) { return }
    let at = TestStores.now.epochMilliseconds
    var binds = ServerBinds()
    let sql =
      "UPDATE mentions SET claimed_by = \(binds.add(who)), claimed_at = \(binds.add(at)) WHERE id = \(binds.add(id))"
    try serverBinds(sql, binds, event: "claim", mention: id, actor: who)
  }

  /// Assigns an unclaimed mention (`AssignStore`; `assign` there releases another's claim).
  func assign(_ id: Int64, to who: String) throws {
    if let assigning = store.store as? any AssignStore {
      do {
        _ = try assigning.assign(id: id, to: who, actor: actor)
        return
      } catch InboxError.storeUnavailable(let message) where message.contains("yet") {}
    }
    var binds = ServerBinds()
    let sql = "UPDATE mentions SET assigned_to = \(binds.add(who)) WHERE id = \(binds.add(id))"
    try serverBinds(sql, binds, event: "assign", mention: id, actor: actor)
  }

  func snooze(_ id: Int64, until: Date) throws {
    if try through({ try $0.snooze(ids: [id], until: until, actor: actor) }) { return }
    var binds = ServerBinds()
    let sql = """
      UPDATE mentions SET snoozed_from = CASE WHEN status = 'snoozed' THEN snoozed_from ELSE status END,
        status = 'snoozed', snoozed_until = \(binds.add(until.epochMilliseconds)) WHERE id = \(binds.add(id))
      """
    try serverBinds(sql, binds, event: "snooze", mention: id, actor: actor)
  }

  func markReplied(_ id: Int64) throws {
    if try through({ try $0.markReplied(ids: [id], actor: actor) }) { return }
    var binds = ServerBinds()
    let sql = """
      UPDATE mentions SET status = 'replied', due_at = NULL, snoozed_until = NULL, snoozed_from = NULL
      WHERE id = \(binds.add(id))
      """
    try serverBinds(sql, binds, event: "replied_elsewhere", mention: id, actor: actor)
  }

  func decideNoReply(_ id: Int64, reason: String = "duplicate") throws {
    if try through({ try $0.decideNoReply(ids: [id], reason: reason, policy: .default, actor: actor) }) {
      return
    }
    var binds = ServerBinds()
    let sql = """
      UPDATE mentions SET status = 'no_reply', due_at = NULL, no_reply_reason = \(binds.add(reason)),
        follow_up_due_at = CASE WHEN status = 'replied' THEN NULL ELSE follow_up_due_at END,
        snoozed_until = NULL, snoozed_from = NULL WHERE id = \(binds.add(id))
      """
    try serverBinds(sql, binds, event: "no_reply", mention: id, actor: actor)
  }

  func watch(_ id: Int64) throws {
    if try through({ _ = try $0.toggleWatch(mentionID: id, actor: actor) }) { return }
    var binds = ServerBinds()
    let sql = """
      INSERT INTO watched_authors (author_id, since, watched_by)
      SELECT author_id, \(binds.add(TestStores.now.epochMilliseconds)), \(binds.add(actor)) FROM mentions
      WHERE id = \(binds.add(id))
      """
    try serverBinds(sql, binds, event: "watch", mention: id, actor: actor)
  }

  func escalate(_ id: Int64, note: String = "pers") throws {
    if try through({ _ = try $0.escalate(mentionID: id, note: note, actor: actor) }) { return }
    var binds = ServerBinds()
    let at = binds.add(TestStores.now.epochMilliseconds)
    let who = binds.add(actor)
    let sql = """
      WITH e AS (
        INSERT INTO escalations (mention_id, reason, state, created_at, created_by, updated_at, severity)
        VALUES (\(binds.add(id)), 'by_hand', 'new', \(at), \(who), \(at), 2) RETURNING id)
      INSERT INTO escalation_notes (escalation_id, at, author, text)
      SELECT id, \(at), \(who), \(binds.add(note)) FROM e
      """
    try serverBinds(sql, binds, event: "escalate", mention: id, actor: actor)
  }

  func note(_ id: Int64, _ text: String) throws {
    if try through({ _ = try $0.addNote(mentionID: id, text: text, actor: actor) }) { return }
    var binds = ServerBinds()
    let sql = """
      INSERT INTO notes (mention_id, at, author, text)
      VALUES (\(binds.add(id)), \(binds.add(TestStores.now.epochMilliseconds)), \(binds.add(actor)), \(binds.add(text)))
      """
    try serverBinds(sql, binds, event: "note", mention: id, actor: actor)
  }

  /// The SQL the action comes to on the server, then its event, in one transaction.
  private func serverBinds(_ sql: String, _ binds: ServerBinds, event: String, mention: Int64, actor: String)
    throws
  {
    guard let server = store.store as? ServerStore else {
      Issue.record("the \(store.kind.testDescription) store has no ActionStore")
      return
    }
    let at = TestStores.now.epochMilliseconds
    let bindings = binds.bindings
    try server.bridge.run { session in
      try await session.transaction { session in
        try await session.connection.query(
          PostgresQuery(unsafeSQL: sql, binds: bindings), logger: session.logger)
        var log = ServerBinds()
        let insert = """
          INSERT INTO events (at, actor, action, mention_id)
          VALUES (\(log.add(at)), \(log.add(actor)), \(log.add(event)), \(log.add(mention)))
          """
        try await session.connection.query(
          PostgresQuery(unsafeSQL: insert, binds: log.bindings), logger: session.logger)
      }
    }
  }
}

extension TestStore {
  /// The ids of mentions by their external id (platform `x` unless given).
  func ids(_ names: [String], platform: String = "x") throws -> [String: Int64] {
    let queue = try self.as((any QueueStore).self)
    var out: [String: Int64] = [:]
    for name in names {
      out[name] = try #require(
        try queue.mentionID(platform: platform, externalID: name), "no mention \(name)")
    }
    return out
  }
}

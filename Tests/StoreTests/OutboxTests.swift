import Foundation
import Inbox
import Policy
import Testing

@testable import Store

@Suite struct OutboxTests {
  let now = Date(timeIntervalSince1970: 1_795_512_600)

  /// A store with one complaint (no service hours, so the windows are wall-clock) and its id.
  func complaintStore(_ dir: TempFolder, policy: PolicyConfig) throws -> (SQLiteStore, Int64) {
    let store = try SQLiteStore(path: dir.path + "/s.sqlite", clock: .fixed(now))
    let mention = IncomingMention(
      platform: "mastodon", externalID: "1", author: Author(handle: "@boos@example.social"),
      createdAt: now.addingTimeInterval(-30 * 60), text: "My parcel is still not here, third week.",
      lang: "en", raw: "{}")
    _ = try store.ingest([mention], actor: "t", annotator: PolicyAnnotator(policy: policy))
    let id = try #require(try store.mentionID(platform: "mastodon", externalID: "1"))
    return (store, id)
  }

  var wallClockPolicy: PolicyConfig {
    var policy = PolicyConfig.default
    policy.serviceHours = nil
    // Due at once: the send delay has tests of its own (WithdrawTests).
    policy.sendDelay = 0
    return policy
  }

  @Test func migrationV16KeepsEveryReplyAndAcceptsTheNewStatus() throws {
    let dir = TempFolder()
    let (store, id) = try complaintStore(dir, policy: wallClockPolicy)
    let record = try store.enqueueReply(
      mentionID: id, responder: "anna", kind: .reply, text: "Sorry. – Anna", policy: wallClockPolicy)
    try store.markSent(id: record.id, postID: "109", url: "https://example.social/@shop/109")
    let before = try #require(try store.outboxRecord(id: record.id))
    // As a store written before v16 left it: the old table, whose CHECK knows no `unverified`.
    try store.pool.write { db in
      try db.execute(
        sql: """
          CREATE TABLE outbox_old AS SELECT id, mention_id, responder, kind, text, status, created_at,
            updated_at, idempotency_key, attempts, next_attempt_at, platform_post_id, platform_url, error,
            reviewed_by, review_note FROM outbox;
          DROP TABLE outbox;
          ALTER TABLE outbox_old RENAME TO outbox;
          DELETE FROM grdb_migrations WHERE identifier IN ('v16-outbox-unverified', 'v21-outbox-withdrawn');
          """)
    }
    let reopened = try SQLiteStore(path: dir.path + "/s.sqlite", mode: .existing, clock: .fixed(now))
    let kept = try #require(try reopened.outboxRecord(id: record.id))
    #expect(kept == before)
    #expect(
      kept.status == .sent && kept.platformPostID == "109" && kept.idempotencyKey == record.idempotencyKey)
    let next = try reopened.enqueueReply(
      mentionID: id, responder: "anna", kind: .followUp, text: "More. – Anna", policy: wallClockPolicy)
    try reopened.markUnverified(id: next.id, error: "no post named", retryAt: now, at: now)
    #expect(try reopened.outbox(statuses: [.unverified]).map(\.id) == [next.id])
  }
}

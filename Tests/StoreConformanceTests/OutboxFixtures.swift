import Foundation
import Inbox
import Policy
import Testing

/// What the outbox, delivery and escalation tests ask of a store.
typealias ReplyTestStore = any MentionStore & OutboxStore & EscalationStore

/// The outbox tests' fixtures: a store with one complaint on a wall-clock policy, and a second
/// handle on the same store for the races.
enum OutboxFixtures {
  /// No service hours (the windows are wall-clock) and no send delay (due at once: the delay has
  /// tests of its own).
  static var wallClockPolicy: PolicyConfig {
    var policy = PolicyConfig.default
    policy.serviceHours = nil
    policy.sendDelay = 0
    return policy
  }

  /// A fresh store with one complaint, half an hour old, and its id.
  static func complaintStore(_ kind: StoreKind, policy: PolicyConfig = wallClockPolicy) throws
    -> (TestStore, ReplyTestStore, Int64)
  {
    let store = try TestStore(kind)
    let s = try store.as(ReplyTestStore.self)
    let mention = IncomingMention(
      platform: "mastodon", externalID: "1", author: Author(handle: "@boos@example.social"),
      createdAt: TestStores.now.addingTimeInterval(-30 * 60),
      text: "My parcel is still not here, third week.",
      lang: "en", raw: "{}")
    _ = try s.ingest([mention], actor: "t", annotator: PolicyAnnotator(policy: policy))
    return (store, s, try id(s, "1"))
  }

  /// The id of the stored mention with this external id.
  static func id(_ s: any MentionStore, _ externalID: String) throws -> Int64 {
    let all = try s.mentions(order: .newest, limit: 10_000, offset: 0)
    return try #require(all.first { $0.externalID == externalID }).id
  }

  /// Another handle on the same store (another process or machine), on its own clock.
  static func second(_ store: TestStore, clock: ReputeClock = TestStores.clock) throws -> ReplyTestStore {
    try #require(try store.secondHandle(clock: clock) as? ReplyTestStore)
  }
}

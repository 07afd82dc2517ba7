import Foundation
import Inbox
import Policy
import Testing

@testable import Store

/// Deadlines chosen per mention id, so the urgency order can be checked exactly.
struct ScriptedAnnotator: MentionAnnotator {
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

@Suite struct PolicyStoreTests {
  let now = Date(timeIntervalSince1970: 1_795_512_600)

  @Test func aNewStoreGetsThePolicyOnceAndAppliedVersionsAreKept() throws {
    let dir = TempFolder()
    let store = try SQLiteStore(path: dir.path + "/s.sqlite", clock: .fixed(now))
    #expect(try store.currentPolicy() == nil)
    try store.installPolicyIfMissing(source: "# v1", actor: "repute")
    try store.installPolicyIfMissing(source: "# again", actor: "repute")
    #expect(try store.currentPolicy()?.source == "# v1")
    let result = try store.applyPolicy(
      source: "# v2", actor: "anna", annotator: PolicyAnnotator(policy: .default))
    #expect(result.version == 2)
    let current = try store.currentPolicy()
    #expect(current?.version == 2 && current?.appliedBy == "anna" && current?.source == "# v2")
    #expect(try store.allEvents().map(\.action) == ["policy_installed", "policy_applied"])
  }

  @Test func applyingAPolicyRejudgesOpenMentionsButKeepsAManualCategory() throws {
    let dir = TempFolder()
    let store = try SQLiteStore(path: dir.path + "/s.sqlite", clock: .fixed(now))
    let text = "Mijn trein is weer vertraagd en niemand reageert, echt waardeloos"
    let batch = (1...3).map {
      IncomingMention(
        platform: "x", externalID: String($0), author: Author(handle: "a"),
        createdAt: now.addingTimeInterval(-600), text: text, lang: "nl", raw: "{}")
    }
    _ = try store.ingest(batch, actor: "t", annotator: PolicyAnnotator(policy: .default))
    let before = try store.mentions(order: .newest, limit: 10, offset: 0)
    #expect(before.allSatisfy { $0.category == .complaint })
    try store.pool.write { db in
      try db.execute(
        sql:
          "UPDATE mentions SET category = 'question', category_source = 'manual', category_by = 'bob' WHERE external_id = '2'"
      )
    }
    // A policy that mutes the word: the two policy-judged mentions leave the queue.
    var policy = PolicyConfig.default
    policy.noise.mutedWords = ["vertraagd"]
    let result = try store.applyPolicy(
      source: "# muted", actor: "anna", annotator: PolicyAnnotator(policy: policy))
    #expect(result.recomputed == 3)
    let after = try store.mentions(order: .newest, limit: 10, offset: 0)
    #expect(after.isEmpty)
    let manual = try store.mention(id: before.first { $0.externalID == "2" }!.id)!
    #expect(manual.category == .question)
    #expect(manual.categoryBy == "bob")
    // Its deadlines follow the manual category.
    let expected = PolicyConfig.default.deadlines(category: .question, arrival: manual.createdAt)
    #expect(manual.deadlines.firstResponse == expected.firstResponse)
  }
}

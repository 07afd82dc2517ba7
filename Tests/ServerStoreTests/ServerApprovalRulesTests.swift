import Foundation
import Inbox
import Policy
import XCTest

@testable import ServerStore

/// Four eyes held by the server (migration 14): `reply_needs_approval`, the server's copy of
/// `EscalationRules.needsApproval`, answers as the Swift rule does for every mention, under each
/// policy revision, since every revision rewrites `approval_rules`.
final class ServerApprovalRulesTests: ServerDatabaseTestCase {
  func testTheServersRuleAgreesWithTheSwiftRule() throws {
    let store = try ServerStore(address: TestServer.address(database.url), clock: .fixed(now))
    defer { store.close() }
    _ = try store.initialize()
    let posts = (0..<8).map { k in
      IncomingMention(
        platform: "x", externalID: "p\(k)", author: Author(handle: "a\(k)"),
        createdAt: now.addingTimeInterval(-Double(k) * 60), text: "Waar blijft mijn pakket? (\(k))", raw: "{}"
      )
    }
    _ = try store.ingest(posts, actor: "t", annotator: PolicyAnnotator(policy: .default))
    let ids = try store.bridge.run { session in
      try await session.values("SELECT id FROM repute.mentions ORDER BY id", as: Int64.self)
    }
    XCTAssertEqual(ids.count, 8)
    // Categories, none among them, and escalations: open, resolved (its reason still counts), two
    // reasons on one mention, a reason no policy here names.
    let categories = [
      "complaint", "question", "misinformation", "praise", "complaint", "neutral", "unfounded",
    ]
    for (id, category) in zip(ids, categories) {
      try database.execute("UPDATE repute.mentions SET category = '\(category)' WHERE id = \(id)")
    }
    try database.execute("UPDATE repute.mentions SET category = NULL WHERE id = \(ids[7])")
    for (index, reason, state) in [
      (1, "legal_or_press", "resolved"), (3, "high_reach", "new"), (3, "by_hand", "acknowledged"),
      (5, "overdue", "resolved"), (7, "repeat_complainer", "new"), (6, "volume_rise", "new"),
    ] {
      try database.execute(
        """
        INSERT INTO repute.escalations (mention_id, reason, state, created_at, created_by, updated_at)
        VALUES (\(ids[index]), '\(reason)', '\(state)', 0, 'policy', 0)
        """)
    }
    var policy = PolicyConfig.default
    let revisions: [([Category], [EscalationReason])] = [
      ([], [.legalOrPress]), ([.complaint], []), ([.misinformation, .unfounded], [.highReach, .overdue]),
      ([], []), (Category.allCases, EscalationReason.allCases), ([.question], [.repeatComplainer, .byHand]),
    ]
    var expected: Int64? = nil
    for (approvalCategories, approvalReasons) in revisions {
      policy.escalation.approvalCategories = approvalCategories
      policy.escalation.approvalReasons = approvalReasons
      let (version, _) = try store.applyPolicy(
        source: PolicyFile.render(policy), actor: "owner", annotator: PolicyAnnotator(policy: policy),
        replacing: expected)
      expected = version
      for id in ids {
        let swift = try store.replyNeedsApproval(mentionID: id, policy: policy)
        let server = try store.bridge.run { session in
          try await session.values(
            "SELECT repute.reply_needs_approval($1)", binds: .of(id), as: Bool.self
          ).first
        }
        XCTAssertEqual(
          server, swift, "mention \(id) under \(approvalCategories) and \(approvalReasons)")
      }
    }
    let none = try store.bridge.run { session in
      try await session.values("SELECT repute.reply_needs_approval(0)", as: Bool.self).first
    }
    XCTAssertEqual(none, false, "no such mention")
  }
}

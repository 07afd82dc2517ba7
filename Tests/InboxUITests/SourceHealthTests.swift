import Foundation
import Inbox
import InboxUI
import Store
import TerminalUI
import Testing

/// The live sources' health in the status line (issue 7).
@Suite struct SourceHealthTests {
  func statusLine(_ health: SourceHealth?, language: UILanguage = .en) -> String {
    var s = PaneSnapshotTests.state(Size(width: 160, height: 24), language: language)
    s.sourceHealth = health
    let canvas = InboxRenderer.render(s, theme: .standard)
    return (0..<canvas.width).map { canvas[0, $0].grapheme }.joined()
  }

  @Test func aFailingSourceIsNamedAndHealthySourcesSaySo() {
    #expect(statusLine(SourceHealth(sources: 2, failing: [])).contains(" · sources ok"))
    #expect(statusLine(SourceHealth(sources: 2, failing: ["shop-social"])).contains("⚠ shop-social failing"))
    #expect(statusLine(SourceHealth(sources: 1, failing: ["drop"]), language: .nl).contains("⚠ drop faalt"))
    #expect(!statusLine(nil).contains("sources"))
    #expect(
      statusLine(SourceHealth(sources: 0, failing: [], failedReplies: 2)).contains(
        "⚠ 2 failed to send (see the outbox)"))
  }

  @Test func theStoreSourceReadsHealthFromTheStore() throws {
    let (source, store) = try seededSource()
    #expect(try source.sourceHealth() == nil)
    _ = try store.claimSource(name: "shop-social", kind: "mastodon", holder: "h:1", for: 60)
    try store.recordPoll(
      name: "shop-social", kind: "mastodon", error: "HTTP 503", newMentions: 0, nextPollAt: fixedNow,
      holder: "h:1")
    try store.recordPoll(
      name: "alerts", kind: "feed", error: nil, newMentions: 2, nextPollAt: fixedNow, holder: "h:1")
    #expect(try source.sourceHealth() == SourceHealth(sources: 2, failing: ["shop-social"]))
    let mention = try #require(try store.mentions(order: .newest, limit: 1, offset: 0).first)
    let reply = try store.enqueueReply(
      mentionID: mention.id, responder: "Anna", kind: .reply, text: "Sorry. – Anna", policy: .default)
    try store.markDeliveryFailed(id: reply.id, error: "HTTP 422: too long", retryAt: nil)
    #expect(try source.sourceHealth()?.failedReplies == 1)
  }
}

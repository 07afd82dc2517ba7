import Desk
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

  @Test func aSourceThatRefusedRecordsIsAWarningWithTheCountNotFailing() {
    let warned = SourceHealth(sources: 2, failing: [], warning: ["drop"], refused: 3)
    #expect(statusLine(warned).contains(" · △ drop: 3 records refused"))
    #expect(!statusLine(warned).contains("sources ok") && !statusLine(warned).contains("failing"))
    #expect(
      statusLine(SourceHealth(sources: 1, failing: [], warning: ["drop"], refused: 1), language: .nl)
        .contains(
          "△ drop: 1 record geweigerd"))
    let both = statusLine(SourceHealth(sources: 3, failing: ["shop-social"], warning: ["drop"], refused: 2))
    #expect(both.contains("⚠ shop-social failing · △ drop: 2 records refused"))
  }

  @Test func theStoreSourceTellsAWarningFromAFailure() throws {
    let (source, store) = try seededSource()
    try store.recordPoll(
      name: "drop", kind: "spool", error: nil,
      warning: SourceState.refusalWarning(count: 3, first: "a.csv:4: no date"), newMentions: 5,
      nextPollAt: fixedNow, holder: "h:1")
    #expect(try source.sourceHealth() == SourceHealth(sources: 1, failing: [], warning: ["drop"], refused: 3))
    let state = try #require(try store.sourceState(name: "drop"))
    #expect(state.warning == "3 records refused: a.csv:4: no date" && state.lastError == nil)
    #expect(state.failures == 0 && state.lastSuccessAt != nil && state.health == .warning)
    // A real failure after it is failing, counted for the backoff; a clean poll clears both.
    try store.recordPoll(
      name: "drop", kind: "spool", error: "drop: permission denied", newMentions: 0, nextPollAt: fixedNow,
      holder: "h:1")
    #expect(try store.sourceState(name: "drop")?.health == .failing)
    #expect(try store.sourceState(name: "drop")?.warning == nil)
    #expect(try source.sourceHealth() == SourceHealth(sources: 1, failing: ["drop"]))
    try store.recordPoll(
      name: "drop", kind: "spool", error: nil, newMentions: 0, nextPollAt: fixedNow, holder: "h:1")
    let clean = try #require(try store.sourceState(name: "drop"))
    #expect(clean.health == .ok && clean.warning == nil && clean.failures == 0)
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

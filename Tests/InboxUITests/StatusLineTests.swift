import Desk
import Foundation
import Inbox
import InboxUI
import Policy
import TerminalUI
import Testing

/// The status line gives way by whole segments, the least important first, and never cuts a word
/// (issue 14: "+2 nieu" at 80×24 in Dutch, words cut at 60×16 in English).
@Suite("The status line never cuts a word")
struct StatusLineTests {
  /// A long state: a filter, a search, new arrivals, failing and warning sources, failed replies,
  /// marked mentions, on the supervisor's pane.
  static func long(_ size: Size, _ language: UILanguage, supervisor: Bool = false) -> InboxState {
    var s = PaneSnapshotTests.state(size, language: language)
    let words = language == .nl ? "klacht te_laat" : "complaint overdue"
    s.filter = QueueFilter.parse(words, strings: s.strings).filter
    s.filter.search = "trein"
    s.newArrivals = 1234
    s.sourceHealth = SourceHealth(
      sources: 3, failing: ["mastodon-main"], warning: ["rss-news"], refused: 4, failedReplies: 2)
    s.marked = [1, 2, 3]
    s.counts = QueueCounts(
      byStatus: [.open: 512, .holding: 3, .replied: 40, .snoozed: 2], byClock: [.overdue: 17, .cooling: 4])
    if supervisor { s.supervisor.active = true }
    return s
  }

  /// Every word of the shown line is a word of one of the segments' forms.
  func expectWholeWords(_ state: InboxState, sourceLocation: SourceLocation = #_sourceLocation) {
    let canvas = InboxRenderer.render(state, theme: .standard)
    let shown = canvas.textLines()[0]
    let clock = Format.clock(state.now, timeZone: state.timeZone)
    #expect(shown.hasSuffix(clock), "\(shown)", sourceLocation: sourceLocation)
    let words = Set(
      StatusLine.segments(state).flatMap(\.forms).flatMap { $0.split(separator: " ").map(String.init) } + [
        "·"
      ])
    for word in shown.dropLast(clock.count).split(separator: " ") {
      #expect(words.contains(String(word)), "'\(word)' is cut in '\(shown)'", sourceLocation: sourceLocation)
    }
  }

  @Test(
    "a long state at 60×16 and 80×24, in both languages",
    arguments: [Size(width: 60, height: 16), Size(width: 80, height: 24)], [UILanguage.en, .nl])
  func long(size: Size, language: UILanguage) {
    let state = Self.long(size, language)
    expectWholeWords(state)
    assertSnapshot(
      InboxRenderer.render(state, theme: .standard),
      named: "status-long-\(size.width)x\(size.height)-\(language.rawValue)")
  }

  @Test(
    "the everyday state and the supervisor's pane at every width from 60 to 140",
    arguments: [UILanguage.en, .nl])
  func everyWidth(language: UILanguage) {
    for width in 60...140 {
      expectWholeWords(PaneSnapshotTests.state(Size(width: width, height: 24), language: language))
      expectWholeWords(Self.long(Size(width: width, height: 24), language, supervisor: true))
    }
  }

  @Test("what matters most stays: who you are, what is overdue, what is new")
  func priorities() {
    let state = Self.long(Size(width: 60, height: 16), .nl)
    let shown = InboxRenderer.render(state, theme: .standard).textLines()[0]
    #expect(shown.contains("Anna"), "\(shown)")
    #expect(shown.contains("● 17"), "\(shown)")
    #expect(shown.contains("+1234"), "\(shown)")
    #expect(!shown.contains("repute.sqlite"), "\(shown)")
  }

  @Test("segments shorten before they go, the least important first")
  func fit() {
    let segments = [
      StatusLine.Segment([("alpha", 9)]), StatusLine.Segment([("bravo charlie", 2), ("bravo", 3)]),
      StatusLine.Segment([("delta", 2)]),
    ]
    #expect(StatusLine.fit(segments, width: 100) == "alpha · bravo charlie · delta")
    #expect(StatusLine.fit(segments, width: 24) == "alpha · bravo charlie")
    #expect(StatusLine.fit(segments, width: 14) == "alpha · bravo")
    #expect(StatusLine.fit(segments, width: 6) == "alpha")
    #expect(StatusLine.fit(segments, width: 3) == "")
  }
}

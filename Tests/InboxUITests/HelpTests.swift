import Desk
import Foundation
import Inbox
import InboxUI
import Policy
import TerminalUI
import Testing

/// `?` explains the screen (issue 14): every glyph and mark, the filter words, every pane's keys,
/// and where you are when it scrolls.
@Suite("Help explains the screen")
struct HelpTests {
  /// Every screenful of help, scrolling from the top to the end, as text.
  static func pages(_ language: UILanguage, _ size: Size) -> [String] {
    var state = PaneSnapshotTests.state(size, language: language)
    state.mode = .help
    var pages: [String] = []
    for scroll in stride(from: 0, through: 200, by: max(1, size.height - 4)) {
      state.helpScroll = scroll
      pages.append(InboxRenderer.render(state, theme: .standard).text)
    }
    return pages
  }

  @Test(arguments: [UILanguage.en, .nl])
  func explainsEveryMarkFilterWordAndPane(language: UILanguage) {
    let s = Strings(language)
    let all = Self.pages(language, Size(width: 80, height: 24)).joined(separator: "\n")
    for glyph in ["●", "◌", "○", "◑", "·", "✎", "⚑", "▲", "↺", "▸", "✓", "+2h", "26m"] {
      #expect(all.contains(glyph), "\(glyph)")
    }
    for key in [UIText.markOverdue, .markCooling, .markOver, .markLeft, .markDrafting, .markSeverity] {
      #expect(all.contains(String(s[key].prefix(20))), "\(key)")
    }
    for word in Category.allCases.map({ s.category($0) }) + ClockState.allCases.map({ s.clock($0) })
      + MentionStatus.allCases.map({ s.status($0) }) + ["mastodon"]
    {
      let typed = word.replacingOccurrences(of: " ", with: "_")
      #expect(all.contains(typed), "filter word \(typed)")
    }
    // Every pane's keys: each mode's section title and a key of each.
    let table = InboxKeys.table(s)
    for title in [table.global.title, s[.pickCategory], s[.helpEditor], s[.confirmSend], s[.helpPrompts]] {
      #expect(all.contains(title.trimmingCharacters(in: .whitespaces)), "section \(title)")
    }
    if let pane = table.modes[.supervisor] { #expect(all.contains(pane.title), "\(pane.title)") }
  }

  @Test("the prompts are listed one a line, not run together")
  func promptsOneALine() {
    let s = Strings(.en)
    let all = Self.pages(.en, Size(width: 80, height: 24)).joined(separator: "\n")
    let search = s[.promptSearch].trimmingCharacters(in: .whitespaces)
    let filter = s[.promptFilter].trimmingCharacters(in: .whitespaces)
    #expect(!all.contains("\(search) \(filter)"), "run together")
  }

  @Test("the end of help: marks and filter words, in both languages", arguments: [UILanguage.en, .nl])
  func endOfHelp(language: UILanguage) {
    var state = PaneSnapshotTests.state(Size(width: 80, height: 40), language: language)
    state.mode = .help
    state.helpScroll = 500
    assertSnapshot(
      InboxRenderer.render(state, theme: .standard), named: "help-end-80x40-\(language.rawValue)")
  }

  @Test("help that does not fit says where you are and that there is more")
  func scrollsVisibly() {
    let pages = Self.pages(.en, Size(width: 80, height: 24))
    #expect(pages[0].contains("↓ more below: j, PgDn · lines 1–"), "\(pages[0])")
    let end = pages.last!
    #expect(end.contains("↑ lines "), "\(end)")
    #expect(!end.contains("more below"), "\(end)")
  }

  @Test("F1 in the reply editor opens help at the editor's keys; Esc goes back to the editor")
  func f1InTheEditorOpensAtItsSection() {
    var state = EditorPaneSnapshotTests.state(Size(width: 80, height: 24), text: "Hoi Sanne")
    let keys = InboxKeys.table(state.strings)
    #expect(state.mode == .editor)
    _ = Event.script(["<F1>"]).flatMap { state.handle($0, keys: keys) }
    #expect(state.mode == .help)
    // The help's first row (row 1 of the screen) is the editor's section title.
    let rows = InboxRenderer.render(state, theme: .standard).textLines()
    #expect(rows[1].trimmingCharacters(in: .whitespaces) == state.strings[.helpEditor], "\(rows)")
    _ = Event.script(["<Esc>"]).flatMap { state.handle($0, keys: keys) }
    #expect(state.mode == .editor)
    // From the queue, `?` opens it at the top.
    var queue = PaneSnapshotTests.state(Size(width: 80, height: 24))
    _ = Event.script(["?"]).flatMap { queue.handle($0, keys: keys) }
    #expect(queue.mode == .help && queue.helpScroll == 0)
  }

  @Test("help does not scroll past its end: the last line stays on the last row", arguments: [24, 40])
  func clampedAtTheEnd(height: Int) {
    var state = PaneSnapshotTests.state(Size(width: 80, height: height))
    let keys = InboxKeys.table(state.strings)
    _ = Event.script(["?"]).flatMap { state.handle($0, keys: keys) }
    for _ in 0..<300 { _ = state.handle(.moveDown) }
    let end = state.helpScroll
    #expect(end > 0)
    _ = state.handle(.pageDown)
    #expect(state.helpScroll == end)
    // The last line of help is on the last row above where-you-are, not above empty rows.
    let rows = InboxRenderer.render(state, theme: .standard).textLines()
    let last = "mastodon, bluesky, x, rss, csv, @…"
    #expect(rows[height - 3].contains(last), "\(rows)")
    // One `k` moves at once.
    _ = state.handle(.moveUp)
    #expect(state.helpScroll == end - 1)
  }
}

import Desk
import Foundation
import Inbox
import InboxUI
import Policy
import TerminalUI
import Testing

/// One language per screen (issue 14): every UI string in both languages, and a Dutch screen
/// without English words.
@Suite("Translations")
struct TranslationTests {
  /// English UI words that have a Dutch word of their own; none may show on a Dutch screen.
  /// (Words both languages share, such as `platform`, `open` or `filter`, are not in it.)
  static let englishWords: Set<String> = [
    "advice", "age", "due", "claim", "claimed", "queue", "queued", "reply", "replied", "replies", "holding",
    "author", "text", "category", "complaint", "question", "praise", "overdue", "cooling", "new", "help",
    "quit", "signals", "deadlines", "thread", "notes", "history", "followers", "mentions", "watched",
    "earliest", "first", "response", "selected", "apologise", "follow", "up", "offline", "consider",
    "cue", "same", "the", "and", "ago", "by", "set", "hand", "nothing", "to", "do",
  ]

  @Test("every UI text has an English and a Dutch version", arguments: UIText.allCases)
  func everyTextInBothLanguages(key: UIText) {
    let en = Strings(.en)[key]
    let nl = Strings(.nl)[key]
    // The glyph column has no heading; "open" is the same word in both languages.
    if key == .headerClock || key == .open { return }
    #expect(!en.isEmpty && !nl.isEmpty, "\(key)")
    #expect(en != key.rawValue || nl != key.rawValue, "\(key) falls back to its name: not in the table")
  }

  @Test("every advice, channel, signal and reply kind has its words in both languages")
  func codesInBothLanguages() {
    let en = Strings(.en)
    let nl = Strings(.nl)
    for a in AdviceAction.allCases {
      #expect(en.action(a) != a.rawValue || a.rawValue == "answer", "\(a)")
      #expect(nl.action(a) != a.rawValue && nl.action(a) != en.action(a), "\(a)")
    }
    for c in AdviceChannel.allCases {
      #expect(nl.channel(c) != c.rawValue && nl.channel(c) != en.channel(c), "\(c)")
    }
    for k in SignalKind.allCases where !["emoji", "emoticon"].contains(k.rawValue) {
      #expect(nl.signal(k) != k.rawValue && nl.signal(k) != en.signal(k), "\(k)")
    }
    for m in ReplyMode.allCases { #expect(nl.mode(m) != en.mode(m), "\(m)") }
    for status in ["queued", "awaiting_approval", "returned", "sent", "unverified", "failed"] {
      #expect(nl.replyStatus(status) != status, "\(status)")
    }
  }

  @Test("the queue and the detail in Dutch at 80×24 have no English words left")
  func dutchScreenHasNoEnglish() {
    var queue = PaneSnapshotTests.state(Size(width: 80, height: 24), language: .nl)
    queue.list.select(1, height: queue.layout.queueListHeight)
    let queueCanvas = InboxRenderer.render(queue, theme: .standard)
    assertSnapshot(queueCanvas, named: "queue-80x24-nl")
    var detail = PaneSnapshotTests.state(Size(width: 80, height: 24), language: .nl)
    detail.detailOpen = true
    detail.focus = .detail
    let detailCanvas = InboxRenderer.render(detail, theme: .standard)
    for (name, canvas) in [("queue", queueCanvas), ("detail", detailCanvas)] {
      for row in 0..<canvas.height {
        let line = (0..<canvas.width).map { canvas[row, $0].grapheme }.joined()
        // The mentions' own text is the author's, in any language: only UI lines are checked.
        if line.contains("Bike") || line.contains("bike") || line.contains("Sunday") { continue }
        let words = line.lowercased().split { !$0.isLetter && $0 != "-" }.map(String.init)
        let english = words.filter { Self.englishWords.contains($0) }
        #expect(english.isEmpty, "\(name) row \(row): \(english) in \"\(line)\"")
      }
    }
  }
}

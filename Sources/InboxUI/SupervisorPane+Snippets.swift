import Desk
import Foundation
import Inbox
import TerminalUI

extension SupervisorPane.MainColumn {
  /// Snippets responders proposed, waiting for a supervisor: `y` approves, `b` rejects with a
  /// note. Only when there are any, like the deliveries: a to-do, not a standing board.
  mutating func snippets() {
    guard !board.snippets.isEmpty else { return }
    heading(
      s[SnippetText.proposedTitle] + " (\(board.snippets.count)) · " + s[SnippetText.sectionHint])
    for snippet in board.snippets {
      out.append(
        PaneLine(
          spans: [
            Span(index == selected ? "▸ " : "  "),
            Span(SupervisorPane.cell(Format.age(now.timeIntervalSince(snippet.createdAt)), 5)),
            Span(SupervisorPane.cell(snippet.lang, 3)),
            Span(SupervisorPane.cell(TerminalSafe.sanitize(snippet.title), 20), .escalationWatched),
            Span(
              SupervisorPane.cell("\(s[SupervisorText.by]) \(TerminalSafe.sanitize(snippet.createdBy))", 14),
              .queueClaimed),
            Span(TerminalSafe.sanitize(snippet.body)),
          ], item: index))
      if index == selected {
        wrapped(TerminalSafe.sanitize(snippet.body, lines: .multi), role: .escalation, indent: 4, item: index)
      }
      index += 1
    }
  }
}

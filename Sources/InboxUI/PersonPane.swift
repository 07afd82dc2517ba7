import Desk
import Foundation
import Inbox
import TerminalUI

/// Draws the person view (issue 16): the title, the header (identities, complaints, watched, the
/// note), then the timeline, newest first, with the selected line highlighted.
enum PersonPane {
  static func draw(_ state: InboxState, theme: Theme, into canvas: inout Canvas, rect: Rect) {
    canvas.fill(rect, style: theme[.detail])
    let s = state.strings
    let width = max(1, rect.width - 2)
    let column = rect.column + 1
    guard let summary = state.person.summary else {
      canvas.put(s[PersonUIText.personLoading], row: rect.row, column: column, style: theme[.uiHint])
      return
    }
    var row = rect.row
    canvas.put(
      TerminalSafe.sanitize(PersonText.title(summary, s)), row: row, column: column,
      style: theme[.detailHeading],
      maxWidth: width)
    row += 1
    var header: [String] = []
    for line in PersonText.header(summary, now: state.now, s) {
      // The note may be long: at most three lines of it.
      header += TextWidth.wrap(TerminalSafe.sanitize(line), to: width).prefix(3)
    }
    for line in header where row < rect.row + rect.height {
      canvas.put(line, row: row, column: column, style: theme[.detailMeta], maxWidth: width)
      row += 1
    }
    row += 1
    let list = Rect(
      row: row, column: rect.column, width: rect.width, height: max(0, rect.row + rect.height - row))
    let items = state.person.items
    guard !items.isEmpty else {
      if list.height > 0 {
        canvas.put(s[PersonUIText.personEmpty], row: list.row, column: column, style: theme[.uiHint])
      }
      return
    }
    let selected = state.person.selected
    // Keep the selected line on screen, with a line of what comes before it.
    var start = 0
    if selected >= list.height - 1 {
      start = min(selected - list.height + 2, max(0, items.count - list.height))
    }
    for (i, item) in items.dropFirst(start).prefix(list.height).enumerated() {
      let index = start + i
      let line = PersonText.line(item, now: state.now, s)
      let style: Style
      if index == selected {
        style = theme[.queueSelected]
        canvas.fill(Rect(row: list.row + i, column: rect.column, width: rect.width, height: 1), style: style)
      } else {
        style = item.kind == .mention ? theme[.detail] : theme[.detailHistory]
      }
      canvas.put(
        (index == selected ? "▸" : " ") + line, row: list.row + i, column: rect.column, style: style,
        maxWidth: rect.width)
    }
  }
}

import Desk
import Foundation
import Inbox
import TerminalUI

extension InboxRenderer {
  /// The texts on screen that the clock moves on by itself, as they read at `now`: the status
  /// line's clock, each shown row's age, deadline and clock glyph, and the detail pane. The inbox
  /// draws for the clock only when these changed (issue 17: a frame built every second for ages
  /// that read the same cost a fifth of an open inbox's CPU). Nil when the screen shows a pane
  /// whose times are not followed here (the editor, the escalation pane, the person view, a
  /// prompt, help): then every tick draws, as before.
  static func clockTexts(_ state: InboxState, now: Date) -> ClockTexts? {
    guard state.mode == .queue, !state.editorShowing, !state.person.active, !state.supervisor.active
    else { return nil }
    let layout = state.layout
    guard !layout.tooSmall else { return ClockTexts() }
    var texts = ClockTexts()
    texts.texts.append(Format.clock(now, timeZone: state.timeZone))
    if layout.queue.width > 0 {
      for index in state.list.visibleRange(height: max(0, layout.queueListHeight)) {
        guard let row = state.row(at: index) else { continue }
        let m = row.mention
        texts.texts.append(Glyphs.clock(m.clock(now: now) ?? .none))
        texts.texts.append(Format.age(now.timeIntervalSince(m.createdAt)))
        if let due = m.dueIn(now: now) {
          texts.texts.append(due < 0 ? "+" + Format.age(-due) : Format.age(due))
        }
      }
    }
    if layout.detail.width > 0, let detail = state.detail, detail.row.id == state.selectedID {
      var at = state
      at.now = now
      let width = layout.detail.inset(left: 1, right: 1).width
      texts.detail = DetailText.lines(detail, state: at, width: width)
    }
    return texts
  }
}

/// What `InboxRenderer.clockTexts` compares: the short texts (the clock, ages, deadlines, glyphs)
/// and the detail pane's lines, roles included (a deadline passing changes a colour).
struct ClockTexts: Equatable {
  var texts: [String] = []
  var detail: [DetailLine] = []
}

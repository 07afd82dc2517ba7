import Desk
import Foundation
import Inbox
import Policy
import TerminalUI

/// Draws the reply editor over the body of the screen: the mention, the advice, the text with
/// its cursor, the fixed signature with the length, and the live findings (or what sending asks).
public enum EditorPane {
  public static func draw(_ state: InboxState, theme: Theme, into canvas: inout Canvas) {
    guard let r = state.reply else { return }
    // The loop rechecks before drawing; a caller that did not gets them computed here.
    let checks = r.checks
    let s = state.strings
    let layout = EditorLayout(size: state.size)
    let area = layout.body
    canvas.fill(area, style: theme[.editor])
    let inner = area.inset(left: 1, right: 1)
    let width = inner.width
    var row = inner.row
    let bottom = inner.row + inner.height
    func line(_ text: String, _ style: Style, indent: Int = 0) {
      guard row < bottom else { return }
      canvas.put(text, row: row, column: inner.column + indent, style: style, maxWidth: width - indent)
      row += 1
    }

    // What is being answered.
    drawHeading(r, state: state, theme: theme, width: width) { line($0, $1) }
    guard row < bottom else { return }
    canvas.put(
      String(repeating: "─", count: width), row: row, column: inner.column, style: theme[.uiBorder])
    row += 1

    // Below the text: the signature line, then the findings or the questions.
    let notes = noteLines(r, checks: checks, state: state, theme: theme, width: width)
    let textRows = max(2, bottom - row - 1 - min(notes.count, max(2, (bottom - row) / 3)))
    let lines = r.editor.layout(width: layout.textWidth)
    let cursor = r.editor.cursorPosition(in: lines)
    let first = max(0, cursor.row - textRows + 1)
    let textStyle = theme[.editor]
    for (i, l) in lines.dropFirst(first).prefix(textRows).enumerated() {
      let y = row + i
      guard y < bottom else { break }
      canvas.put(
        TerminalSafe.sanitize(l.text), row: y, column: inner.column, style: textStyle, maxWidth: width)
    }
    // The cursor: the cell under it in reverse (the terminal's own cursor stays hidden).
    let cursorY = row + cursor.row - first
    if cursorY < bottom {
      let x = inner.column + min(cursor.column, width - 1)
      let cell = canvas[cursorY, x]
      let under = cell.isContinuation || cell.grapheme == " " ? " " : cell.grapheme
      canvas.put(under, row: cursorY, column: x, style: textStyle.patched(with: theme[.editorCursor]))
    }
    row += min(textRows, max(1, bottom - row))

    // The signature: a fixed part, shown, counted, never typed twice.
    if row < bottom {
      drawSignature(
        r, checks: checks, strings: s, style: textStyle, theme: theme, row: row, inner: inner, into: &canvas)
      row += 1
    }
    for (text, style) in notes where row < bottom {
      line(text, style)
    }
  }

  /// What is being answered: the mention, the advice, who else is on it, an earlier reply.
  private static func drawHeading(
    _ r: ReplySession, state: InboxState, theme: Theme, width: Int, line: (String, Style) -> Void
  ) {
    let s = state.strings
    func safe(_ text: String) -> String { TerminalSafe.sanitize(text) }
    let m = r.mention
    let what: UIText = r.mode == .holding ? .editorHolding : (r.isFollowUp ? .editorFollowUp : .editorReply)
    var title = "\(s[what]) @\(safe(m.author.handle)) · \(safe(m.platform))"
    if let c = m.category { title += " · \(s.category(c))" }
    title += " · #\(m.id)"
    line(title, theme[.editor].patched(with: theme[.uiTitle]))
    let quoted = TextWidth.wrap(TerminalSafe.sanitize(m.text, lines: .multi), to: max(1, width - 2))
    for text in quoted.prefix(3) { line("│ " + text, theme[.editor].patched(with: theme[.detailThread])) }
    if let a = r.advice {
      let rules = a.rules.isEmpty ? "" : " [\(a.rules.joined(separator: ", "))]"
      let advice = "\(s[.advice])\(rules): \(a.explanation)"
      for text in TextWidth.wrap(advice, to: width).prefix(2) {
        line(text, theme[.editor].patched(with: theme[.detailAdvice]))
      }
    }
    if let claimer = r.claimedBy, claimer != state.actor {
      line("⚑ \(s[.claimedBy]) \(safe(claimer))", theme[.editor].patched(with: theme[.findingWarning]))
    }
    for d in r.othersDrafting {
      line(
        "✎ \(safe(d.author)) \(s[.alsoDrafting]) \(Format.clock(d.updatedAt, timeZone: state.timeZone))",
        theme[.editor].patched(with: theme[.findingWarning]))
    }
    if let back = r.earlier.last, back.status == "returned", back.responder == state.actor {
      let note = back.reviewNote.map { ": " + safe($0) } ?? ""
      line(
        "↩ \(s[.returnedBy]) \(safe(back.reviewedBy ?? "?"))\(note)",
        theme[.editor].patched(with: theme[.findingWarning]))
    }
    if let e = r.earlier.last(where: \.answers), r.isFollowUp {
      line(
        "↩ \(s[.earlierReply]) \(safe(e.responder)) \(Format.clock(e.createdAt, timeZone: state.timeZone)) (\(e.status)): \(safe(e.text))",
        theme[.editor].patched(with: theme[.detailMeta]))
    }
  }

  /// The lines below the signature: going against the advice, then what sending asks (while it
  /// asks) or the findings.
  private static func noteLines(
    _ r: ReplySession, checks: ReplyChecks, state: InboxState, theme: Theme, width: Int
  ) -> [(String, Style)] {
    let s = state.strings
    func safe(_ text: String) -> String { TerminalSafe.sanitize(text) }
    var notes: [(String, Style)] = []
    // The advice is not to reply at all (S8, S5, S4): said above the checks, never "nothing found".
    let against = r.pendingOverride ?? (r.mode == .holding ? nil : r.advice?.noReplyRule)
    if let rule = against {
      let text = "⚠ " + s.againstAdvice(rule) + (r.overrideReason.map { " — " + safe($0) } ?? "")
      for (i, piece) in TextWidth.wrap(text, to: max(1, width - 2)).enumerated() {
        notes.append(((i == 0 ? "" : "  ") + piece, theme[.editor].patched(with: theme[.findingWarning])))
      }
    }
    if state.mode == .confirmSend {
      for ask in s.asks(r.pendingAsks, timeZone: state.timeZone) {
        for (i, text) in TextWidth.wrap(ask, to: max(1, width - 2)).enumerated() {
          notes.append(((i == 0 ? "? " : "  ") + text, theme[.editor].patched(with: theme[.findingWarning])))
        }
      }
    } else if checks.findings.isEmpty, against == nil {
      notes.append(("✓ \(s[.noFindings])", theme[.editor].patched(with: theme[.findingInfo])))
    } else {
      for f in checks.findings {
        let blocking = f.severity == .blocking
        let text = "\(blocking ? "✖" : "⚠") \(f.rule) \(f.message)"
        let style = theme[.editor].patched(with: theme[blocking ? .findingBlocking : .findingWarning])
        for (i, piece) in TextWidth.wrap(text, to: max(1, width - 2)).enumerated() {
          notes.append(((i == 0 ? "" : "  ") + piece, style))
        }
      }
    }
    return notes
  }

  /// The signature line: the fixed signature, what it says about a typed one, and the length.
  private static func drawSignature(
    _ r: ReplySession, checks: ReplyChecks, strings s: Strings, style textStyle: Style, theme: Theme,
    row: Int, inner: Rect, into canvas: inout Canvas
  ) {
    let width = inner.width
    let signatureNote =
      checks.findings.contains { $0.code == "signed_as_other" }
      ? s[.signatureOther] : checks.signatureTyped ? s[.signatureTyped] : s[.signatureFixed]
    let used = canvas.put(
      r.signature, row: row, column: inner.column, style: textStyle.patched(with: theme[.editorSignature]))
    canvas.put(
      "  " + signatureNote, row: row, column: inner.column + used,
      style: textStyle.patched(with: theme[.uiHint]), maxWidth: max(0, width - used - 12))
    let (count, limit) = (checks.length, checks.limit)
    let counter = limit.map { "\(count)/\($0)" } ?? "\(count)"
    let over = limit.map { count > $0 } ?? false
    canvas.put(
      counter, row: row, column: inner.column + width - TextWidth.width(of: counter),
      style: textStyle.patched(with: theme[over ? .editorOverLimit : .editorCounter]))
  }

  /// The footer while the editor is open: its main keys, or the question sending asks.
  static func footer(_ state: InboxState, theme: Theme, into canvas: inout Canvas, rect: Rect) {
    let s = state.strings
    if state.mode == .confirmSend {
      canvas.put(s[.confirmSend], row: rect.row, column: 0, style: theme[.uiPrompt], maxWidth: rect.width)
      return
    }
    if state.mode == .prompt(.overrideReason) || state.mode == .prompt(.snippetTitle) {
      // "S8 reason to reply anyway: …" with the typed reason and a cursor; or the snippet's title.
      let rule = state.reply?.pendingOverride.map { $0 + " " } ?? ""
      let question =
        state.mode == .prompt(.snippetTitle) ? s[SnippetText.promptTitle] : rule + s[.promptOverride]
      let used = canvas.put(question, row: rect.row, column: 0, style: theme[.uiPrompt])
      let shown = TerminalSafe.sanitize(state.input)
      let room = max(1, rect.width - used - 1)
      let visible = TextWidth.width(of: shown) > room ? String(shown.suffix(room - 1)) : shown
      let typed = canvas.put(visible, row: rect.row, column: used, style: theme[.ui])
      canvas.put(" ", row: rect.row, column: used + typed, style: theme[.editorCursor])
      return
    }
    if let message = state.message {
      canvas.put(
        message.text, row: rect.row, column: 0, style: message.isError ? theme[.uiError] : theme[.uiHint],
        maxWidth: rect.width)
      return
    }
    canvas.put(s[.editorHint], row: rect.row, column: 0, style: theme[.uiHint], maxWidth: rect.width)
  }
}

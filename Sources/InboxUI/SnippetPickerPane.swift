import Desk
import Foundation
import Inbox
import Policy
import TerminalUI

/// Draws the editor's picker over the editor: the query, the matches (templates marked `T`,
/// snippets `S`), and the selected one as it would go in, placeholders filled.
enum SnippetPickerPane {
  static func draw(_ state: InboxState, theme: Theme, into canvas: inout Canvas) {
    guard let r = state.reply, let picker = r.picker else { return }
    let s = state.strings
    let body = EditorLayout(size: state.size).body
    let area = Rect(
      row: body.row + 1, column: body.column + 1, width: max(0, body.width - 2),
      height: max(0, body.height - 1))
    guard area.width >= 10, area.height >= 4 else { return }
    let base = theme[.editor]
    canvas.fill(area, style: base)
    let inner = area.inset(left: 1, right: 1)
    let width = inner.width
    var row = area.row
    let bottom = area.row + area.height

    // The query, with a cursor after it.
    let label = s[SnippetText.pickerTitle] + ": "
    let used = canvas.put(label, row: row, column: inner.column, style: base.patched(with: theme[.uiTitle]))
    let shown = TerminalSafe.sanitize(picker.query)
    let room = max(1, width - used - 1)
    let visible = TextWidth.width(of: shown) > room ? String(shown.suffix(room - 1)) : shown
    let typed = canvas.put(visible, row: row, column: inner.column + used, style: base)
    canvas.put(
      " ", row: row, column: inner.column + used + typed, style: base.patched(with: theme[.editorCursor]))
    row += 1
    canvas.put(String(repeating: "─", count: width), row: row, column: inner.column, style: theme[.uiBorder])
    row += 1

    let matches = r.pickerMatches
    // The list takes up to half of what is left; the preview the rest.
    let listRows = max(1, min(max(matches.count, 1), (bottom - row) / 2))
    if matches.isEmpty {
      canvas.put(
        s[SnippetText.noMatch], row: row, column: inner.column, style: base.patched(with: theme[.uiHint]),
        maxWidth: width)
    }
    let first = max(0, picker.selected - listRows + 1)
    for (offset, choice) in matches.dropFirst(first).prefix(listRows).enumerated() {
      let index = first + offset
      let selected = index == picker.selected
      let style = selected ? base.patched(with: theme[.queueSelected]) : base
      let mark = choice.isTemplate ? "T" : "S"
      let title = cell(TerminalSafe.sanitize(choice.title), min(22, max(8, width / 3)))
      let text = TerminalSafe.sanitize(choice.text, lines: .single)
      let line = "\(selected ? "▸" : " ") \(mark) \(title) \(choice.lang)  \(text)"
      if selected {
        canvas.fill(Rect(row: row + offset, column: inner.column, width: width, height: 1), style: style)
      }
      canvas.put(line, row: row + offset, column: inner.column, style: style, maxWidth: width)
    }
    row += listRows
    guard row < bottom else { return }
    canvas.put(String(repeating: "─", count: width), row: row, column: inner.column, style: theme[.uiBorder])
    row += 1

    // The preview: exactly what Enter puts in, and the placeholders left to fill.
    guard matches.indices.contains(picker.selected) else { return }
    let (text, unfilled) = r.filled(matches[picker.selected])
    var lines = TextWidth.wrap(TerminalSafe.sanitize(text, lines: .multi), to: max(1, width))
    let warning = unfilled.isEmpty ? nil : "⚠ \(s[SnippetText.fillIn]) \(unfilled.joined(separator: " "))"
    let room2 = bottom - row - (warning == nil ? 0 : 1)
    if lines.count > room2 { lines = Array(lines.prefix(max(0, room2))) }
    for line in lines {
      canvas.put(
        line, row: row, column: inner.column, style: base.patched(with: theme[.detailThread]), maxWidth: width
      )
      row += 1
    }
    if let warning, row < bottom {
      canvas.put(
        TerminalSafe.sanitize(warning), row: row, column: inner.column,
        style: base.patched(with: theme[.findingWarning]), maxWidth: width)
    }
  }

  /// A text cut or padded to `width` columns.
  static func cell(_ text: String, _ width: Int) -> String {
    TextWidth.pad(TextWidth.truncate(text, to: width), to: width)
  }

  /// The footer while the picker is open.
  static func footer(_ state: InboxState, theme: Theme, into canvas: inout Canvas, rect: Rect) {
    let s = state.strings
    let hint = rect.width >= 72 ? s[SnippetText.pickerHint] : s[SnippetText.pickerHintShort]
    if let message = state.message {
      canvas.put(
        message.text, row: rect.row, column: 0, style: message.isError ? theme[.uiError] : theme[.uiHint],
        maxWidth: rect.width)
      return
    }
    canvas.put(hint, row: rect.row, column: 0, style: theme[.uiHint], maxWidth: rect.width)
  }
}

/// The snippets' text, in English and Dutch (the picker, saving, the supervisor's section).
public enum SnippetText: String, CaseIterable, Sendable {
  case pickerTitle, pickerHint, pickerHintShort, keysTitle, cmdInsert, cmdPrevious, cmdNext, cmdCancel,
    cmdSave
  case nothingToPick, noMatch, template, snippet, inserted, fillIn
  case promptTitle, nothingToSave, needsTitle, saved, proposed
  case proposedTitle, promptReject, rejectNeedsNote, approved, rejected, chooseSnippet, sectionHint
}

extension Strings {
  public subscript(_ key: SnippetText) -> String {
    let pair = Self.snippetTable[key] ?? (key.rawValue, key.rawValue)
    return language == .nl ? pair.nl : pair.en
  }

  static let snippetTable: [SnippetText: (en: String, nl: String)] = [
    .pickerTitle: ("Templates and snippets", "Sjablonen en snippets"),
    .pickerHint: (
      "type to search · ↑↓ choose · Enter insert · Esc back to the text",
      "typ om te zoeken · ↑↓ kiezen · Enter invoegen · Esc terug naar de tekst"
    ),
    .pickerHintShort: ("↑↓ choose · Enter insert · Esc back", "↑↓ kiezen · Enter invoegen · Esc terug"),
    .keysTitle: ("Templates and snippets (Ctrl-T)", "Sjablonen en snippets (Ctrl-T)"),
    .cmdInsert: ("insert it at the cursor, filled in", "invoegen bij de cursor, ingevuld"),
    .cmdPrevious: ("previous match", "vorige treffer"), .cmdNext: ("next match", "volgende treffer"),
    .cmdCancel: ("back to the text, nothing inserted", "terug naar de tekst, niets ingevoegd"),
    .cmdSave: (
      "save the reply as a snippet (a supervisor approves it)",
      "reactie bewaren als snippet (een leidinggevende keurt hem goed)"
    ),
    .nothingToPick: (
      "no templates or snippets to pick from", "geen sjablonen of snippets om uit te kiezen"
    ),
    .noMatch: ("nothing matches", "niets gevonden"),
    .template: ("template", "sjabloon"), .snippet: ("snippet", "snippet"),
    .inserted: ("inserted", "ingevoegd"), .fillIn: ("fill in", "vul in"),
    .promptTitle: ("save as snippet, title: ", "bewaren als snippet, titel: "),
    .nothingToSave: ("write the reply first", "schrijf eerst de reactie"),
    .needsTitle: ("a snippet needs a title: not saved", "een snippet heeft een titel nodig: niet bewaard"),
    .saved: ("snippet saved and shared", "snippet bewaard en gedeeld"),
    .proposed: (
      "snippet proposed: a supervisor approves it before the team sees it",
      "snippet voorgesteld: een leidinggevende keurt hem goed voor het team hem ziet"
    ),
    .proposedTitle: ("Proposed snippets", "Voorgestelde snippets"),
    .promptReject: ("reject the snippet, note for its author: ", "snippet afwijzen, notitie voor de maker: "),
    .rejectNeedsNote: ("say why it is rejected", "zeg waarom hij wordt afgewezen"),
    .approved: (
      "snippet approved: the team finds it with Ctrl-T", "snippet goedgekeurd: het team vindt hem met Ctrl-T"
    ),
    .rejected: ("snippet rejected with the note", "snippet afgewezen met de notitie"),
    .chooseSnippet: ("select a proposed snippet first", "kies eerst een voorgestelde snippet"),
    .sectionHint: ("y approve · b reject with a note", "y goedkeuren · b afwijzen met een notitie"),
  ]
}

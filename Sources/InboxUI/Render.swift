import Desk
import Foundation
import Inbox
import Policy
import TerminalUI

/// Draws the inbox: a pure function of the state and the theme.
public enum InboxRenderer {
  public static func render(
    _ state: InboxState, theme: Theme, keys: ModalKeyMap<InboxMode, InboxCommand>? = nil
  ) -> Canvas {
    var canvas = Canvas(size: state.size, style: theme[.ui])
    let layout = state.layout
    let s = state.strings
    if layout.tooSmall {
      let lines = TextWidth.wrap(
        "\(s[.tooSmall]) (\(state.size.width)×\(state.size.height)).", to: max(1, state.size.width))
      for (i, line) in lines.prefix(state.size.height).enumerated() {
        canvas.put(line, row: i, column: 0, style: theme[.uiError])
      }
      return canvas
    }
    drawStatusLine(state, theme: theme, into: &canvas, rect: layout.statusLine)
    if state.mode == .help {
      drawHelp(state, theme: theme, keys: keys ?? InboxKeys.table(s), into: &canvas)
    } else if state.editorShowing {
      EditorPane.draw(state, theme: theme, into: &canvas)
      if state.mode == .pickSnippet {
        SnippetPickerPane.draw(state, theme: theme, into: &canvas)
        SnippetPickerPane.footer(state, theme: theme, into: &canvas, rect: layout.footer)
      } else {
        EditorPane.footer(state, theme: theme, into: &canvas, rect: layout.footer)
      }
      return canvas
    } else if state.mode == .notices {
      let body = Rect(row: 1, column: 0, width: state.size.width, height: max(0, state.size.height - 2))
      NoticesPane.draw(state, theme: theme, into: &canvas, rect: body)
    } else if state.person.active {
      let body = Rect(row: 1, column: 0, width: state.size.width, height: max(0, state.size.height - 2))
      PersonPane.draw(state, theme: theme, into: &canvas, rect: body)
    } else if state.supervisor.active {
      let body = Rect(row: 1, column: 0, width: state.size.width, height: max(0, state.size.height - 2))
      SupervisorPane.draw(state, theme: theme, into: &canvas, rect: body)
    } else {
      if layout.queue.width > 0 { drawQueue(state, theme: theme, into: &canvas, rect: layout.queue) }
      if layout.detail.width > 0 {
        if layout.sideBySide {
          for row in layout.detail.rows {
            canvas.put("│", row: row, column: layout.detail.column - 1, style: theme[.uiBorder])
          }
        }
        drawDetail(state, theme: theme, into: &canvas, rect: layout.detail)
      }
    }
    drawFooter(state, theme: theme, into: &canvas, rect: layout.footer)
    return canvas
  }

  // MARK: Status line

  static func drawStatusLine(_ state: InboxState, theme: Theme, into canvas: inout Canvas, rect: Rect) {
    canvas.fill(rect, style: theme[.uiStatusline])
    let clock = Format.clock(state.now, timeZone: state.timeZone)
    let clockWidth = TextWidth.width(of: clock)
    let left = StatusLine.fit(StatusLine.segments(state), width: rect.width - clockWidth - 3)
    canvas.put(
      " " + left, row: rect.row, column: rect.column, style: theme[.uiStatusline],
      maxWidth: rect.width - clockWidth - 2)
    canvas.put(
      clock, row: rect.row, column: rect.column + rect.width - clockWidth - 1, style: theme[.uiStatusline])
  }

  // MARK: Footer

  static func drawFooter(_ state: InboxState, theme: Theme, into canvas: inout Canvas, rect: Rect) {
    let s = state.strings
    canvas.fill(rect, style: theme[.ui])
    switch state.mode {
    case .prompt(let kind):
      let prompt = s.prompt(kind)
      let used = canvas.put(prompt, row: rect.row, column: 0, style: theme[.uiPrompt])
      let shown = TerminalSafe.sanitize(state.input)
      let room = max(1, rect.width - used - 1)
      let visible = TextWidth.width(of: shown) > room ? String(shown.suffix(room - 1)) : shown
      let typed = canvas.put(visible, row: rect.row, column: used, style: theme[.ui])
      canvas.put(" ", row: rect.row, column: used + typed, style: theme[.editorCursor])
      let after = used + typed + 2
      let room2 = max(0, rect.width - after - 1)
      switch kind {
      case .noReply:
        if let reasons = state.listedNoReplyReasons {
          // The policy's reasons for this category (S7): a number, or a name or its start.
          var hint = reasons.enumerated().map { "\($0.offset + 1) \($0.element)" }.joined(separator: " · ")
          if !state.input.isEmpty, let chosen = state.noReplyReason(state.input) { hint = "→ " + chosen }
          canvas.put(hint, row: rect.row, column: after, style: theme[.uiHint], maxWidth: room2)
        } else if state.input.isEmpty, let rule = state.noReplyRule {
          canvas.put("(\(rule))", row: rect.row, column: after, style: theme[.uiHint], maxWidth: room2)
        }
      case .snooze:
        if let (_, target) = state.snoozeOutlasts(state.input) {
          let when = Format.when(target, now: state.now, strings: s, timeZone: state.timeZone)
          canvas.put(
            "⚠ " + s[.snoozePastTarget].replacingOccurrences(of: "%@", with: when), row: rect.row,
            column: after, style: theme[.uiError], maxWidth: room2)
        } else if let until = Snooze.parse(state.input, now: state.now, timeZone: state.timeZone) {
          canvas.put(
            "→ " + Format.dayTime(until, strings: s, timeZone: state.timeZone), row: rect.row, column: after,
            style: theme[.uiHint], maxWidth: room2)
        }
      case .assign:
        // The roster's logins and names that fit what was typed (Tab completes).
        let fits = state.assignCompletions
        canvas.put(
          fits.joined(separator: " · "), row: rect.row, column: after, style: theme[.uiHint], maxWidth: room2)
      default:
        break
      }
    case .pickCategory:
      let choices = InboxState.pickOrder.enumerated().map { "\($0.offset + 1) \(s.category($0.element))" }
      canvas.put(
        s[.pickCategory] + choices.joined(separator: "  "), row: rect.row, column: 0, style: theme[.uiPrompt])
    default:
      if let problem = state.themeProblem {
        canvas.fill(rect, style: theme[.uiStatuslineError])
        canvas.put(problem, row: rect.row, column: 0, style: theme[.uiStatuslineError])
      } else if let message = state.message {
        canvas.put(
          message.text, row: rect.row, column: 0, style: message.isError ? theme[.uiError] : theme[.uiHint])
      } else {
        var hint = state.supervisor.active ? s[SupervisorText.paneHint] : s[.hint]
        // With proposed snippets on the pane, y and b also approve and reject those.
        if state.supervisor.active, state.supervisor.board?.snippets.isEmpty == false {
          hint = s[SupervisorText.paneHintSnippets]
        }
        if state.person.active {
          hint = s[PersonUIText.personHint]
          if TextWidth.width(of: hint) > rect.width - 2 { hint = s[PersonUIText.personHintShort] }
        }
        if state.supervisor.active && TextWidth.width(of: hint) > rect.width - 2 {
          hint = s[SupervisorText.paneHintShort]
        }
        // The notice line (issue 16): the newest unread notice, where no message or prompt is;
        // the key hint stays beside it when both fit.
        var room = rect.width
        if let newest = state.notices.newest, state.notices.unread > 0, state.mode != .notices {
          let line = "✉ \(NoticeText.line(newest, s.language)) (\(s[.noticesKey]))"
          let used = canvas.put(
            line, row: rect.row, column: 0, style: theme[.uiPrompt], maxWidth: rect.width - 1)
          room = rect.width - used - 2
        }
        if TextWidth.width(of: hint) + 1 <= room {
          canvas.put(
            hint, row: rect.row, column: rect.width - TextWidth.width(of: hint) - 1, style: theme[.uiHint])
        }
      }
    }
  }

  // MARK: Queue

  struct Columns {
    var marker = 2
    var glyph = 2
    var age = 5
    var due = 8
    var category = 15
    var platform = 9
    var author = 18
    var claim = 10

    init(width: Int) {
      if width < 100 {
        platform = 0
        due = 7
        category = 13
        author = 15
        claim = 7
      }
    }
  }

  static func drawQueue(_ state: InboxState, theme: Theme, into canvas: inout Canvas, rect: Rect) {
    let s = state.strings
    let columns = Columns(width: rect.width)
    let header = rect.line(0)
    canvas.fill(header, style: theme[.queueHeader])
    var x = header.column + columns.marker
    func headerCell(_ text: String, _ width: Int) {
      guard width > 0 else { return }
      canvas.put(text, row: header.row, column: x, style: theme[.queueHeader], maxWidth: width - 1)
      x += width
    }
    headerCell(s[.headerClock], columns.glyph)
    headerCell(s[.headerAge], columns.age)
    headerCell(s[.headerDue], columns.due)
    headerCell(s[.headerCategory], columns.category)
    headerCell(s[.headerPlatform], columns.platform)
    headerCell(s[.headerAuthor], columns.author)
    headerCell(s[.headerClaim], columns.claim)
    headerCell(s[.headerText], max(0, header.column + header.width - x))

    let listRect = Rect(
      row: rect.row + 1, column: rect.column, width: rect.width, height: max(0, rect.height - 1))
    if state.list.count == 0 {
      canvas.put(s[.queueEmpty], row: listRect.row + 1, column: listRect.column + 2, style: theme[.uiHint])
      return
    }
    let selectedStyle =
      state.focus == .queue
      ? theme[.queueSelected] : theme[.queueSelected].patched(with: Style(attributes: .dim))
    ListView.render(
      state.list, into: &canvas, rect: listRect, style: theme[.queue], selectedStyle: selectedStyle
    ) {
      index, line, isSelected, canvas in
      guard let row = state.row(at: index) else {
        canvas.put("…", row: line.row, column: line.column + columns.marker, style: theme[.uiHint])
        return
      }
      drawRow(
        row, state: state, theme: theme, columns: columns, line: line, isSelected: isSelected, into: &canvas)
    }
  }

  static func drawRow(
    _ row: QueueRow, state: InboxState, theme: Theme, columns: Columns, line: Rect, isSelected: Bool,
    into canvas: inout Canvas
  ) {
    let s = state.strings
    let m = row.mention
    let clock = m.clock(now: state.now) ?? .none
    func style(_ role: ThemeRole) -> Style {
      isSelected ? theme[.queueSelected] : theme[.queue].patched(with: theme[role])
    }
    var x = line.column
    func cell(_ text: String, _ width: Int, _ role: ThemeRole) {
      guard width > 0 else { return }
      canvas.put(text, row: line.row, column: x, style: style(role), maxWidth: width - 1)
      x += width
    }
    let marked = state.marked.contains(row.id)
    let othersDrafting = row.drafting.filter { $0 != state.actor }
    cell(
      marked ? "✓" : (isSelected ? "▸" : (othersDrafting.isEmpty ? "" : "✎")), columns.marker, .queueMarked)
    cell(Glyphs.clock(clock), columns.glyph, Glyphs.role(clock))
    cell(Format.age(state.now.timeIntervalSince(m.createdAt)), columns.age, .queue)
    if let due = m.dueIn(now: state.now) {
      cell(due < 0 ? "+" + Format.age(-due) : Format.age(due), columns.due, Glyphs.role(clock))
    } else {
      cell(s.shortStatus(m.status), columns.due, .queueNone)
    }
    let category = m.category.map { c in
      TextWidth.width(of: s.category(c)) < columns.category ? s.category(c) : s.shortCategory(c)
    }
    cell(category ?? "—", columns.category, m.category.map(Glyphs.role) ?? .category)
    cell(TerminalSafe.sanitize(m.platform), columns.platform, .queue)
    cell("@" + TerminalSafe.sanitize(m.author.handle), columns.author, .queue)
    // The claim, else who is writing a draft (S14: the team sees who is on it), else who it is
    // assigned to (→, issue 16).
    let claim = row.claimedBy ?? row.drafting.first.map { "✎" + $0 } ?? row.assignedTo.map { "→" + $0 }
    cell(claim.map { TerminalSafe.sanitize($0) } ?? "", columns.claim, .queueClaimed)
    // What the clock runs against once answered: the personal follow-up (S10), or the real answer
    // after a holding reply (S12).
    let label = m.followUpPending ? s[.followUpDue] : (m.status == .holding ? s[.holding] : nil)
    if let label {
      x += canvas.put(
        label + " · ", row: line.row, column: x, style: style(Glyphs.role(clock)),
        maxWidth: max(0, line.column + line.width - x))
    }
    var text = TerminalSafe.sanitize(m.text)
    if m.deleted != nil { text = s[.deletedMark] + " " + text }
    // The same post again (issue 16): one row, answered once.
    if m.repeats > 0 { text = "×\(m.repeats + 1) " + text }
    canvas.put(
      text, row: line.row, column: x, style: style(.queue), maxWidth: max(0, line.column + line.width - x))
  }

  // MARK: Detail

  static func drawDetail(_ state: InboxState, theme: Theme, into canvas: inout Canvas, rect: Rect) {
    canvas.fill(rect, style: theme[.detail])
    let inner = rect.inset(left: 1, right: 1)
    let lines: [DetailLine]
    if let detail = state.detail, detail.row.id == state.selectedID {
      lines = DetailText.lines(detail, state: state, width: inner.width)
    } else if let row = state.selectedRow, row.id == state.detailLoading {
      lines = DetailText.summary(row, state: state, width: inner.width)
    } else {
      canvas.put(state.strings[.noSelection], row: inner.row, column: inner.column, style: theme[.uiHint])
      return
    }
    let start = min(state.detailScroll, max(0, lines.count - inner.height))
    for (i, line) in lines.dropFirst(start).prefix(inner.height).enumerated() {
      var x = inner.column + line.indent
      for span in line.spans {
        x += canvas.put(
          span.text, row: inner.row + i, column: x, style: theme[.detail].patched(with: theme[span.role]),
          maxWidth: inner.column + inner.width - x)
      }
    }
  }

  // MARK: Help

  /// The help's area: the whole screen inside a margin.
  static func helpArea(_ state: InboxState) -> Rect {
    Rect(row: 1, column: 1, width: state.size.width - 2, height: state.size.height - 2)
  }

  /// How many lines fit the help at once: one row less when it scrolls, for where you are.
  static func helpShown(lines: Int, area: Rect) -> Int {
    lines > area.height ? area.height - 1 : area.height
  }

  /// The furthest the help scrolls: its last line on the last row, never further.
  static func helpMaxScroll(_ state: InboxState, keys: ModalKeyMap<InboxMode, InboxCommand>? = nil) -> Int {
    let count = helpLines(state, keys: keys ?? InboxKeys.table(state.strings)).count
    return max(0, count - helpShown(lines: count, area: helpArea(state)))
  }

  /// Where the help shows `mode`'s keys first: the line of its section's title (as far as the
  /// help scrolls); the top when it has none.
  static func helpScroll(to mode: InboxMode, _ state: InboxState) -> Int {
    let keys = InboxKeys.table(state.strings)
    guard let title = keys.modes[mode]?.title,
      let line = helpLines(state, keys: keys).firstIndex(where: { $0.2 && $0.0 == title })
    else { return 0 }
    return min(line, helpMaxScroll(state, keys: keys))
  }

  /// The help's lines: (keys or a title, a description, whether it is a title).
  static func helpLines(_ state: InboxState, keys: ModalKeyMap<InboxMode, InboxCommand>) -> [(
    String, String?, Bool
  )] {
    let s = state.strings
    var lines: [(String, String?, Bool)] = [(s[.helpTitle] + " — " + s[.helpClose], nil, true)]
    func section(_ map: KeyMap<InboxCommand>) {
      lines.append(("", nil, false))
      lines.append((map.title, nil, true))
      for entry in map.helpEntries() { lines.append((entry.keys, entry.description, false)) }
    }
    section(keys.global)
    if let views = keys.modes[.queue] { section(views) }
    if let picker = keys.modes[.pickCategory] { section(picker) }
    if let pane = keys.modes[.supervisor] { section(pane) }
    if let person = keys.modes[.person] { section(person) }
    if let editor = keys.modes[.editor] { section(editor) }
    if let picker = keys.modes[.pickSnippet] { section(picker) }
    if let confirm = keys.modes[.confirmSend] { section(confirm) }
    if let prompt = keys.modes[.prompt(.assign)] {  // every prompt's keys, and Tab in this one
      var copy = prompt
      copy.title = s[.helpPrompts]
      section(copy)
      // One prompt a line: run together they read as one sentence. The override's reason is asked
      // by Ctrl-X in the editor, not opened by a key of its own.
      for kind in PromptKind.allCases where kind != .overrideReason {
        let text = s.prompt(kind).trimmingCharacters(in: .whitespaces)
        lines.append(("›", text.hasSuffix(":") ? String(text.dropLast()) : text, false))
      }
    }
    // What the marks mean: the queue's clock glyphs, the due column, the other marks.
    lines.append(("", nil, false))
    lines.append((s[.helpMarks], nil, true))
    let marks: [(String, UIText)] = [
      (Glyphs.clock(.overdue), .markOverdue), (Glyphs.clock(.dueSoon), .markDueSoon),
      (Glyphs.clock(.onTime), .markOnTime), (Glyphs.clock(.cooling), .markCooling),
      (Glyphs.clock(.none), .markNone), ("+2h", .markOver), ("26m", .markLeft), ("▸", .markCursor),
      ("✓", .markMarked), ("✎", .markDrafting), ("→", .markAssigned), ("⚑", .markClaimed),
      ("▲", .markSeverity),
      ("↺", .markReopens),
    ]
    for (mark, text) in marks { lines.append((mark, s[text], false)) }
    // The words the filter prompt understands, in the UI language (the stored names work too).
    lines.append(("", nil, false))
    lines.append((s[.helpFilterWords], nil, true))
    // A name of two words is typed with an underscore (`no_reply`): the prompt splits on spaces.
    func words(_ names: [String]) -> String {
      names.map { $0.replacingOccurrences(of: " ", with: "_") }.joined(separator: ", ")
    }
    // Seven categories do not fit one line of 80 columns: four, then the rest.
    let categories = Category.allCases.map { s.category($0) }
    lines.append((s[.filterCategories], words(Array(categories.prefix(4))) + ",", false))
    lines.append(("", words(Array(categories.dropFirst(4))), false))
    lines.append((s[.filterStatuses], words(MentionStatus.allCases.map { s.status($0) }), false))
    lines.append((s[.filterClocks], words(ClockState.allCases.map { s.clock($0) }), false))
    lines.append((s[.filterPlatforms], "mastodon, bluesky, x, rss, csv, @…", false))
    return lines
  }

  static func drawHelp(
    _ state: InboxState, theme: Theme, keys: ModalKeyMap<InboxMode, InboxCommand>, into canvas: inout Canvas
  ) {
    let s = state.strings
    let lines = helpLines(state, keys: keys)
    let area = helpArea(state)
    canvas.fill(area, style: theme[.help])
    // Descriptions align on the queue's keys; a section with longer chords (the editor's) on its own.
    var keyWidths = [Int](repeating: 0, count: lines.count)
    var sectionStart = 0
    var base: Int?
    for index in 0...lines.count where index == lines.count || lines[index].2 {
      let widths = lines[sectionStart..<index].filter { $0.1 != nil }.map { TextWidth.width(of: $0.0) }
      if base == nil, !widths.isEmpty { base = widths.max() }
      for j in sectionStart..<index { keyWidths[j] = max(base ?? 0, widths.max() ?? 0) }
      sectionStart = index
    }
    // When the keys do not fit, the last row says where you are and that there is more.
    let overflows = lines.count > area.height
    let shown = helpShown(lines: lines.count, area: area)
    let start = min(state.helpScroll, max(0, lines.count - shown))
    if overflows {
      let last = min(lines.count, start + shown)
      var position = "\(s[.helpLines]) \(start + 1)–\(last) / \(lines.count)"
      if last < lines.count { position = "↓ " + s[.helpMore] + " · " + position }
      if start > 0 { position = "↑ " + position }
      canvas.put(
        position, row: area.row + area.height - 1, column: area.column + 2, style: theme[.helpHeading],
        maxWidth: area.width - 2)
    }
    for (i, line) in lines.dropFirst(start).prefix(shown).enumerated() {
      let row = area.row + i
      let keyWidth = keyWidths[start + i]
      if line.2 {
        canvas.put(line.0, row: row, column: area.column, style: theme[.helpHeading])
      } else if let description = line.1 {
        canvas.put(line.0, row: row, column: area.column + 2, style: theme[.helpKey])
        canvas.put(description, row: row, column: area.column + 4 + keyWidth, style: theme[.help])
      }
    }
  }
}

/// Glyphs and colours per clock and category.
public enum Glyphs {
  public static func clock(_ c: ClockState) -> String {
    switch c {
    case .cooling: return "◌"
    case .onTime: return "○"
    case .dueSoon: return "◑"
    case .overdue: return "●"
    case .none: return "·"
    }
  }

  public static func role(_ c: ClockState) -> ThemeRole {
    switch c {
    case .cooling: return .queueCooling
    case .onTime: return .queueOnTime
    case .dueSoon: return .queueDueSoon
    case .overdue: return .queueOverdue
    case .none: return .queueNone
    }
  }

  public static func role(_ c: Category) -> ThemeRole {
    switch c {
    case .praise: return .categoryPraise
    case .selfPraise: return .categorySelfPraise
    case .question: return .categoryQuestion
    case .complaint: return .categoryComplaint
    case .misinformation: return .categoryMisinformation
    case .unfounded: return .categoryUnfounded
    case .neutral: return .categoryNeutral
    }
  }
}

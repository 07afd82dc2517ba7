import Desk
import Foundation
import Inbox
import Policy
import TerminalUI

/// One laid-out line of the escalation pane; `item` is the index of the selectable item it shows.
struct PaneLine: Hashable {
  var spans: [Span]
  var item: Int?
  var indent = 0
}

/// Draws the supervisor's escalation pane: escalations by severity and age, replies awaiting
/// approval, deliveries that need a person (failed or unverified), the overdue board with every deadline, holding replies waiting for their follow-up,
/// watched authors (S8), and the team's figures beside (wide) or below (narrow) them.
enum SupervisorPane {
  static let figuresWidth = 46

  static func draw(_ state: InboxState, theme: Theme, into canvas: inout Canvas, rect: Rect) {
    canvas.fill(rect, style: theme[.escalation])
    let s = state.strings
    guard let board = state.supervisor.board else {
      canvas.put(s[SupervisorText.loading], row: rect.row, column: rect.column + 1, style: theme[.uiHint])
      return
    }
    let wide = rect.width >= ScreenLayout.sideBySideWidth
    let mainWidth = wide ? rect.width - figuresWidth - 1 : rect.width
    var lines = mainLines(board, state: state, width: mainWidth - 1)
    let figures = figureLines(board.figures, state: state, width: wide ? figuresWidth - 2 : mainWidth - 2)
    if wide {
      for row in rect.rows {
        canvas.put("│", row: row, column: rect.column + mainWidth, style: theme[.uiBorder])
      }
      let column = Rect(
        row: rect.row, column: rect.column + mainWidth + 2, width: figuresWidth - 2, height: rect.height)
      put(figures, start: 0, selected: nil, theme: theme, into: &canvas, rect: column)
    } else {
      lines.append(PaneLine(spans: []))
      lines += figures
    }
    let main = Rect(row: rect.row, column: rect.column + 1, width: mainWidth - 1, height: rect.height)
    // Keep the selected item on screen, with a little of what comes before it.
    let selectedLine = lines.firstIndex { $0.item == state.supervisor.selected } ?? 0
    var start = 0
    if selectedLine >= main.height - 2 { start = min(selectedLine - 2, max(0, lines.count - main.height)) }
    if selectedLine < start { start = selectedLine }
    // On the last item, show what follows it too (the figures below, on a narrow screen).
    if state.supervisor.selected == state.supervisor.items.count - 1 {
      start = max(start, min(selectedLine, max(0, lines.count - main.height)))
    }
    put(lines, start: start, selected: state.supervisor.selected, theme: theme, into: &canvas, rect: main)
  }

  static func put(
    _ lines: [PaneLine], start: Int, selected: Int?, theme: Theme, into canvas: inout Canvas, rect: Rect
  ) {
    for (i, line) in lines.dropFirst(start).prefix(rect.height).enumerated() {
      let row = rect.row + i
      let isSelected = line.item != nil && line.item == selected && line.indent == 0
      if isSelected {
        canvas.fill(
          Rect(row: row, column: rect.column, width: rect.width, height: 1), style: theme[.queueSelected])
      }
      var x = rect.column + line.indent
      for span in line.spans {
        let style = isSelected ? theme[.queueSelected] : theme[.escalation].patched(with: theme[span.role])
        x += canvas.put(
          span.text, row: row, column: x, style: style, maxWidth: max(0, rect.column + rect.width - x))
      }
    }
  }

  /// A cell of a fixed width: cut or padded by display width.
  static func cell(_ text: String, _ width: Int) -> String {
    let cut = TextWidth.width(of: text) > width - 1 ? TextWidth.truncate(text, to: width - 1) : text
    return TextWidth.pad(cut, to: width)
  }

  static func severity(_ n: Int) -> String { n >= 3 ? "▲▲▲" : n == 2 ? "▲▲ " : "▲  " }

  // MARK: The main column

  static func mainLines(_ board: SupervisorBoard, state: InboxState, width: Int) -> [PaneLine] {
    var column = MainColumn(board: board, state: state, width: width)
    column.escalations()
    column.approvals()
    column.deliveries()
    column.overrides()
    column.overdue()
    column.holding()
    column.watched()
    column.snippets()
    return column.out
  }

  /// The main column being laid out, one board after another; `index` counts the selectable
  /// items so far.
  struct MainColumn {
    let board: SupervisorBoard
    let state: InboxState
    let width: Int
    let s: Strings
    let now: Date
    let selected: Int
    var out: [PaneLine] = []
    var index = 0
    let text = { (m: Mention) in TerminalSafe.sanitize(m.text) }
    let handle = { (m: Mention) in "@" + TerminalSafe.sanitize(m.author.handle) }

    init(board: SupervisorBoard, state: InboxState, width: Int) {
      self.board = board
      self.state = state
      self.width = width
      s = state.strings
      now = state.now
      selected = state.supervisor.selected
    }

    mutating func heading(_ text: String) {
      if !out.isEmpty { out.append(PaneLine(spans: [])) }
      out.append(PaneLine(spans: [Span(text, .escalationHeading)]))
    }

    mutating func none() { out.append(PaneLine(spans: [Span("  " + s[SupervisorText.none], .uiHint)])) }

    mutating func wrapped(_ text: String, role: ThemeRole, indent: Int, item: Int) {
      for line in TextWidth.wrap(text, to: max(10, width - indent)) {
        out.append(PaneLine(spans: [Span(line, role)], item: item, indent: indent))
      }
    }

    mutating func escalations() {
      // Escalations by severity and age.
      let byState = Dictionary(grouping: board.escalations, by: \.state).mapValues(\.count)
      var counts: [String] = []
      for state in ["new", "acknowledged"] where (byState[state] ?? 0) > 0 {
        counts.append("\(byState[state]!) \(s.escalationState(state))")
      }
      heading(
        s[SupervisorText.escalationsTitle]
          + (counts.isEmpty ? "" : " (" + counts.joined(separator: " · ") + ")"))
      if board.escalations.isEmpty { none() }
      for e in board.escalations {
        let owner = e.owner ?? e.claimedBy
        out.append(
          PaneLine(
            spans: [
              Span(index == selected ? "▸ " : "  "), Span(severity(e.severity), .escalationReason),
              Span(" " + cell(s.escalationState(e.state), 7), e.state == "new" ? .queueNew : .escalation),
              Span(cell(Format.age(now.timeIntervalSince(e.createdAt)), 5)),
              Span(cell(s.reason(e.reason) + (e.count > 1 ? " ×\(e.count)" : ""), 18), .escalationReason),
              Span(cell(handle(e.mention), 16)),
              Span(cell(owner.map { TerminalSafe.sanitize($0) } ?? "—", 10), .queueClaimed),
              Span(text(e.mention)),
            ], item: index))
        if index == selected {
          wrapped(text(e.mention), role: .escalation, indent: 4, item: index)
          var facts =
            "\(s[SupervisorText.by]) \(TerminalSafe.sanitize(e.createdBy)) · \(Format.clock(e.createdAt, timeZone: state.timeZone))"
          if let detail = e.detail, let said = SupervisorPane.facts(detail, strings: s) {
            facts += " · " + TerminalSafe.sanitize(said)
          }
          if let category = e.mention.category { facts += " · " + s.category(category) }
          out.append(PaneLine(spans: [Span(facts, .detailMeta)], item: index, indent: 4))
          for note in e.notes {
            wrapped(
              "\(Format.clock(note.at, timeZone: state.timeZone)) \(TerminalSafe.sanitize(note.author)): \(TerminalSafe.sanitize(note.text))",
              role: .detailNote, indent: 4, item: index)
          }
        }
        index += 1
      }
    }

    mutating func approvals() {
      // Four eyes.
      heading(s[SupervisorText.approvals] + " (\(board.approvals.count))")
      if board.approvals.isEmpty { none() }
      for a in board.approvals {
        out.append(
          PaneLine(
            spans: [
              Span(index == selected ? "▸ " : "  "),
              Span(cell(Format.age(now.timeIntervalSince(a.queuedAt)), 5)),
              Span(cell(handle(a.mention), 16)),
              Span(cell("\(s[SupervisorText.by]) \(TerminalSafe.sanitize(a.author))", 14), .queueClaimed),
              Span(cell(TerminalSafe.sanitize(a.why), 16), .escalationReason),
              Span(TerminalSafe.sanitize(a.text)),
            ], item: index))
        if index == selected {
          wrapped("« " + text(a.mention), role: .detailThread, indent: 4, item: index)
          wrapped(TerminalSafe.sanitize(a.text, lines: .multi), role: .escalation, indent: 4, item: index)
        }
        index += 1
      }
    }

    mutating func deliveries() {
      // Deliveries that need a person: failed, or unverified (the platform named no post, so it may
      // be out or not). Only when there are any: an alarm, not a standing board.
      if !board.deliveries.isEmpty {
        heading(s[SupervisorText.deliveriesTitle] + " (\(board.deliveries.count))")
      }
      for d in board.deliveries {
        let unverified = d.status == "unverified"
        let status =
          unverified
          ? s[SupervisorText.deliveryUnverified]
          : d.status == "failed" ? s[SupervisorText.deliveryFailed] : TerminalSafe.sanitize(d.status)
        out.append(
          PaneLine(
            spans: [
              Span(index == selected ? "▸ " : "  "),
              Span(cell(status, 12), unverified ? .queueDueSoon : .queueOverdue),
              Span(cell(Format.age(now.timeIntervalSince(d.updatedAt)), 5)),
              Span(cell(handle(d.mention), 16)),
              Span(cell("\(s[SupervisorText.by]) \(TerminalSafe.sanitize(d.responder))", 14), .queueClaimed),
              Span(TerminalSafe.sanitize(d.text, lines: .single)),
            ], item: index))
        // The platform's message on a line of its own: it says what a person has to do.
        var said = TerminalSafe.sanitize(d.message, lines: .single)
        if let next = d.nextCheck, unverified {
          said += " · \(s[SupervisorText.nextCheck]) \(Format.clock(next, timeZone: state.timeZone))"
        }
        if index == selected {
          wrapped(said, role: .escalationReason, indent: 4, item: index)
          wrapped("« " + text(d.mention), role: .detailThread, indent: 4, item: index)
          wrapped(TerminalSafe.sanitize(d.text, lines: .multi), role: .escalation, indent: 4, item: index)
        } else {
          out.append(PaneLine(spans: [Span(said, .escalationReason)], item: index, indent: 6))
        }
        index += 1
      }
    }

    mutating func overrides() {
      // Replies against the advice not to reply (S8, S5, S4): who, which rule, why. Shown when
      // there are any; the rows are there to read, not to act on.
      if !board.overrides.isEmpty {
        heading(s[SupervisorText.overridesTitle] + " (\(board.overrides.count))")
        for o in board.overrides {
          out.append(
            PaneLine(spans: [
              Span("  "), Span(cell(Format.age(now.timeIntervalSince(o.at)), 5)),
              Span(cell(o.mention.map(handle) ?? "—", 16)),
              Span(cell(TerminalSafe.sanitize(o.actor), 10), .queueClaimed),
              Span(cell(o.rule, 4), .escalationReason),
              Span(TerminalSafe.sanitize(o.reason, lines: .single)),
            ]))
        }
      }
    }

    mutating func overdue() {
      // The overdue board with every deadline.
      heading(
        s[SupervisorText.overdueTitle]
          + " (\(board.overdueTotal > 10_000 ? "10000+" : String(board.overdueTotal)))")
      if board.overdue.isEmpty { none() }
      for row in board.overdue {
        let m = row.mention
        let d = m.deadlines
        var deadlines: [String] = []
        let fmt = { [now, s, state] (date: Date?) in
          date.map { Format.deadline($0, now: now, strings: s, timeZone: state.timeZone) } ?? "—"
        }
        deadlines.append("\(s[SupervisorText.earliest]) \(fmt(d.earliestReply))")
        deadlines.append("\(s[SupervisorText.firstResponseLabel]) \(fmt(d.firstResponse))")
        if d.followUp != nil || m.status == .holding {
          deadlines.append("\(s[SupervisorText.followUpLabel]) \(fmt(d.followUp))")
        }
        let late = m.dueIn(now: now).map { "+" + Format.age(-$0) } ?? ""
        out.append(
          PaneLine(
            spans: [
              Span(index == selected ? "▸ " : "  "), Span(Glyphs.clock(.overdue) + " ", .queueOverdue),
              Span(cell(late, 6), .queueOverdue),
              Span(
                cell(m.category.map { s.category($0) } ?? "—", 14), m.category.map(Glyphs.role) ?? .category),
              Span(cell(handle(m), 16)),
              Span(cell(row.claimedBy.map { TerminalSafe.sanitize($0) } ?? "—", 10), .queueClaimed),
              Span(text(m)),
            ], item: index))
        out.append(
          PaneLine(spans: [Span(deadlines.joined(separator: " · "), .detailMeta)], item: index, indent: 6))
        index += 1
      }
    }

    mutating func holding() {
      // Holding replies waiting for their follow-up (S12).
      heading(s[SupervisorText.holdingTitle] + " (\(board.holding.count))")
      if board.holding.isEmpty { none() }
      for row in board.holding {
        let m = row.mention
        let clock = m.clock(now: now) ?? .none
        let due =
          (m.deadlines.followUp).map { Format.deadline($0, now: now, strings: s, timeZone: state.timeZone) }
          ?? "—"
        out.append(
          PaneLine(
            spans: [
              Span(index == selected ? "▸ " : "  "), Span(Glyphs.clock(clock) + " ", Glyphs.role(clock)),
              Span(cell("\(s[SupervisorText.followUpLabel]) \(due)", 30), Glyphs.role(clock)),
              Span(cell(handle(m), 16)),
              Span(cell(row.claimedBy.map { TerminalSafe.sanitize($0) } ?? "—", 10), .queueClaimed),
              Span(text(m)),
            ], item: index))
        index += 1
      }
    }

    mutating func watched() {
      // Watched authors (S8): their latest messages and whether others react.
      heading(s[SupervisorText.watchedTitle] + " (\(board.watched.count))")
      if board.watched.isEmpty { none() }
      for w in board.watched {
        var about =
          "\(s.count(w.mentionCount, SupervisorText.mentions)) · \(s.count(w.reactions, SupervisorText.reactions))"
        about +=
          " · \(s[SupervisorText.since]) \(Format.age(now.timeIntervalSince(w.since))) \(s[SupervisorText.by]) \(TerminalSafe.sanitize(w.watchedBy))"
        out.append(
          PaneLine(
            spans: [
              Span(index == selected ? "▸ " : "  "),
              Span(cell("@" + TerminalSafe.sanitize(w.handle), 22), .escalationWatched),
              Span(about, .detailMeta),
            ], item: index))
        for m in w.latest {
          out.append(
            PaneLine(
              spans: [
                Span(cell(Format.age(now.timeIntervalSince(m.createdAt)), 5), .detailMeta), Span(text(m)),
              ], item: index,
              indent: 6))
        }
        index += 1
      }
    }
  }

  // MARK: The team's figures

  static func figureLines(_ figures: TeamFigures?, state: InboxState, width: Int) -> [PaneLine] {
    let s = state.strings
    var out = [PaneLine(spans: [Span(s[SupervisorText.figures], .escalationHeading)])]
    guard let f = figures else {
      out.append(PaneLine(spans: [Span(s[SupervisorText.loading], .uiHint)]))
      return out
    }
    func line(_ spans: [Span]) { out.append(PaneLine(spans: spans)) }
    let clocks: [ClockState] = [.cooling, .onTime, .dueSoon, .overdue]
    line([
      Span(cell(s[SupervisorText.openTitle], 20), .detailMeta),
      Span(clocks.map { cell(Glyphs.clock($0), 4) }.joined() + "Σ", .detailMeta),
    ])
    for c in Category.allCases where f.openCount(c) > 0 {
      var spans = [Span(cell(s.category(c), 20), Glyphs.role(c))]
      for k in clocks {
        let n = f.open[c]?[k] ?? 0
        spans.append(
          Span(cell(n == 0 ? "·" : String(n), 4), n > 0 && k == .overdue ? .queueOverdue : .escalationFigure))
      }
      spans.append(Span(String(f.openCount(c)), .escalationFigure))
      line(spans)
    }
    line([])
    line([Span(s[SupervisorText.withinTarget], .detailMeta)])
    func share(_ label: String, _ t: TargetShare) -> [Span] {
      let pct = t.share.map { String(format: "%.0f%%", $0 * 100) } ?? "—"
      return [
        Span(cell(label, 10)), Span(cell(pct, 6), .escalationFigure),
        Span(
          "\(t.within) \(s[SupervisorText.of]) \(t.within + t.late)"
            + (t.pending > 0 ? ", \(t.pending) \(s[SupervisorText.pending])" : ""), .detailMeta),
      ]
    }
    line(share(s[SupervisorText.today], f.today))
    line(share(s[SupervisorText.week], f.week))
    // Follow-ups (S12, S10) counted the same way, when there were any.
    let follow = f.followUpWeek
    if follow.within + follow.late + follow.pending > 0 {
      line([Span(s[SupervisorText.followUpWithinTarget], .detailMeta)])
      line(share(s[SupervisorText.week], follow))
    }
    line([])
    line([
      Span(cell(s[SupervisorText.responseTimes], 26), .detailMeta),
      Span(cell("n", 5) + cell(s[SupervisorText.median], 8) + s[SupervisorText.p90], .detailMeta),
    ])
    func times(_ label: String, _ t: ResponseTimes, _ role: ThemeRole) {
      line([
        Span(cell(label, 26), role), Span(cell(String(t.count), 5), .escalationFigure),
        Span(cell(t.median.map(Format.age) ?? "—", 8), .escalationFigure),
        Span(t.p90.map(Format.age) ?? "—", .escalationFigure),
      ])
    }
    for c in Category.allCases { if let t = f.byCategory[c] { times(s.category(c), t, Glyphs.role(c)) } }
    for (name, t) in f.byResponder.sorted(by: { $0.key < $1.key }) {
      times(TerminalSafe.sanitize(name), t, .queueClaimed)
    }
    if f.overall.count == 0 { line([Span("  " + s[SupervisorText.none], .uiHint)]) }
    line([])
    line([Span(s[SupervisorText.volume], .detailMeta)])
    line([
      Span(Sparkline.render(f.hourly), .escalationFigure),
      Span("  \(s[SupervisorText.max]) \(f.hourly.max() ?? 0)", .detailMeta),
    ])
    _ = width
    return out
  }
}

extension SupervisorPane {
  /// A rule's facts (its JSON counts) in words: "3 complaints within 7d", "10 this hour, usually
  /// 1.5". Keys this build does not know are shown as they are; nil when there is nothing to say.
  static func facts(_ json: String, strings s: Strings) -> String? {
    guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
      return json.isEmpty ? nil : json
    }
    if object.isEmpty { return nil }
    let nl = s.language == .nl
    func number(_ key: String) -> String? {
      guard let v = object[key] else { return nil }
      if let n = v as? NSNumber { return n.stringValue }
      return "\(v)"
    }
    var said: [String] = []
    var known: Set<String> = []
    if let n = number("complaints") {
      known.insert("complaints")
      var text = nl ? "\(n) klachten" : "\(n) complaints"
      if let within = object["within"] as? String {
        known.insert("within")
        text += nl ? " binnen \(within)" : " within \(within)"
      }
      said.append(text)
    }
    if let n = number("last_hour") {
      known.insert("last_hour")
      var text = nl ? "\(n) dit uur" : "\(n) this hour"
      if let usual = number("usual") {
        known.insert("usual")
        text += nl ? ", normaal \(usual)" : ", usually \(usual)"
      }
      said.append(text)
    }
    for key in object.keys.sorted() where !known.contains(key) {
      said.append("\(key) \(number(key) ?? "")")
    }
    return said.joined(separator: ", ")
  }
}

import Desk
import Inbox
import Policy
import TerminalUI

/// The status line's parts, and how they give way when the line is too narrow (issue 14): whole
/// segments are shortened or dropped, the least important first; a word is never cut.
public enum StatusLine {
  /// One part of the line: its forms from the fullest to the shortest, each with how much it
  /// matters to keep that form (the lowest gives way first; of equals, the one further right).
  /// Giving way is taking the next form, or going when it was the last.
  public struct Segment: Hashable, Sendable {
    public var forms: [String]
    public var priorities: [Int]
    /// What joins it to the part before: " · ", or " " within a group (the clocks).
    public var glue: String

    public init(_ forms: [(String, Int)], glue: String = " · ") {
      // A shorter form equal to the one before it is no step.
      var kept: [(String, Int)] = []
      for form in forms where kept.last?.0 != form.0 { kept.append(form) }
      self.forms = kept.map(\.0)
      self.priorities = kept.map(\.1)
      self.glue = glue
    }
  }

  /// The parts of the line for `state`, in the order they are shown.
  public static func segments(_ state: InboxState) -> [Segment] {
    let s = state.strings
    var parts: [Segment] = [Segment([("Repute", 4)]), Segment([(state.actor, 10)])]
    // Where the file lives matters least: its name alone first, then nothing.
    let file = state.storeLabel.split(separator: "/").last.map { "…/" + $0 } ?? state.storeLabel
    parts.append(Segment([(state.storeLabel, 0), (file, 0)]))
    if state.supervisor.active { parts.append(Segment([(s[SupervisorText.title], 3)])) }
    if let counts = state.counts {
      var tally: [String] = []
      for status in MentionStatus.allCases {
        let n = counts.byStatus[status] ?? 0
        if n > 0 || status == .open { tally.append("\(s.status(status)) \(n)") }
      }
      // The open count says the most; the other statuses go first.
      parts.append(Segment([(tally.joined(separator: " "), 5), (tally[0], 6)]))
      let overdue = counts.byClock[.overdue] ?? 0
      if overdue > 0 {
        let glyph = Glyphs.clock(.overdue)
        parts.append(Segment([("\(glyph) \(overdue) \(s[.overdue])", 7), ("\(glyph) \(overdue)", 10)]))
      }
      if let n = counts.byClock[.cooling], n > 0 {
        let glyph = Glyphs.clock(.cooling)
        parts.append(
          Segment(
            [("\(glyph) \(n) \(s[.cooling])", 2), ("\(glyph) \(n)", 2)], glue: overdue > 0 ? " " : " · "))
      }
    }
    if let health = state.sourceHealth {
      if health.sources > 0 {
        if !health.failing.isEmpty {
          let names = TerminalSafe.sanitize(health.failing.joined(separator: ", "))
          parts.append(
            Segment([("⚠ \(names) \(s[.sourceFailing])", 5), ("⚠ \(s[.sourceFailing])", 8), ("⚠", 9)]))
        }
        // Refused records: healthy with a warning, the count here, the reasons in `repute sources`.
        if !health.warning.isEmpty {
          let names = TerminalSafe.sanitize(health.warning.joined(separator: ", "))
          parts.append(
            Segment([
              ("△ \(names): " + s.count(health.refused, .recordsRefused), 3), ("△ \(health.refused)", 4),
            ]))
        }
        if health.failing.isEmpty && health.warning.isEmpty { parts.append(Segment([(s[.sourcesOK], 1)])) }
      }
      if health.failedReplies > 0 {
        let n = health.failedReplies
        parts.append(Segment([("⚠ \(n) \(s[.repliesFailed])", 6), ("⚠ \(n)", 9)]))
      }
    }
    parts += viewSegments(state)
    // An open view says what the filter is by its name.
    if state.filter.narrows && state.openView == nil {
      parts.append(Segment([("\(s[.filtered]): \(state.filter.words)", 6), (s[.filtered], 7)]))
    }
    if state.filter.searches {
      let search = TerminalSafe.sanitize(state.filter.search)
      parts.append(Segment([("\(s[.searching]): \(search)", 6), (s[.searching], 7)]))
    }
    if !state.marked.isEmpty { parts.append(Segment([("\(state.marked.count) \(s[.marked])", 5)])) }
    if state.newArrivals > 0 {
      parts.append(Segment([("+\(state.newArrivals) \(s[.new])", 6), ("+\(state.newArrivals)", 8)]))
    }
    // The unread notices' count (issue 16); the newest notice is on the footer's notice line.
    if state.notices.unread > 0 {
      let count = "✉ " + NoticeText.count(state.notices.unread, s.language)
      parts.append(Segment([(count, 8), ("✉ \(state.notices.unread)", 9)]))
    }
    return parts
  }

  /// The views with their counts (issue 16): the open one in brackets, kept longest; the others
  /// shorten to `2:4` before even the store's path gives way, and go before "Repute" does.
  static func viewSegments(_ state: InboxState) -> [Segment] {
    let open = state.openView?.saved.position
    return state.views.map { view in
      let name = TerminalSafe.sanitize(view.saved.name)
      let p = view.saved.position
      let count =
        view.filter.flatMap { state.viewCounts[$0] }.map { " \($0)" } ?? (view.filter == nil ? " ?" : "")
      if p == open {
        return Segment([("[\(p) \(name)\(count)]", 8), ("[\(name)]", 8), ("[\(p)]", 8)])
      }
      let short = count.isEmpty ? "\(p)" : "\(p):" + count.dropFirst()
      return Segment([("\(p) \(name)\(count)", -1), (short, 4)])
    }
  }

  /// The segments as one line of at most `width` columns: while too long, the shown segment
  /// whose form matters least takes its next shorter form, or goes when it has none.
  public static func fit(_ segments: [Segment], width: Int) -> String {
    var form = [Int?](repeating: 0, count: segments.count)
    func line() -> String {
      var out = ""
      for (i, segment) in segments.enumerated() {
        guard let f = form[i] else { continue }
        if !out.isEmpty { out += segment.glue }
        out += segment.forms[f]
      }
      return out
    }
    var text = line()
    while TextWidth.width(of: text) > width {
      // The least important shown form; of equals, the rightmost.
      var pick: (index: Int, priority: Int)?
      for i in segments.indices {
        guard let f = form[i] else { continue }
        let priority = segments[i].priorities[f]
        if pick == nil || priority <= pick!.priority { pick = (i, priority) }
      }
      guard let (i, _) = pick else { break }
      let next = form[i]! + 1
      form[i] = next < segments[i].forms.count ? next : nil
      text = line()
    }
    // A part that went may have made room for a less important one: take back, the most
    // important first, whatever fits again.
    var restored = true
    while restored {
      restored = false
      let candidates = segments.indices.compactMap { i -> (index: Int, form: Int)? in
        let back = form[i].map { $0 - 1 } ?? segments[i].forms.count - 1
        return back >= 0 ? (i, back) : nil
      }.sorted { segments[$0.index].priorities[$0.form] > segments[$1.index].priorities[$1.form] }
      for candidate in candidates {
        let before = form[candidate.index]
        form[candidate.index] = candidate.form
        let wider = line()
        if TextWidth.width(of: wider) <= width {
          text = wider
          restored = true
          break
        }
        form[candidate.index] = before
      }
    }
    return text
  }
}

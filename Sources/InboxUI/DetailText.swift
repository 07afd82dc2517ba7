import Desk
import Foundation
import Inbox
import Policy
import TerminalUI

/// A run of text in one theme role.
public struct Span: Hashable, Sendable {
  public var text: String
  public var role: ThemeRole

  public init(_ text: String, _ role: ThemeRole = .detail) {
    self.text = text
    self.role = role
  }
}

/// One laid-out line of the detail pane.
public struct DetailLine: Hashable, Sendable {
  public var indent: Int
  public var spans: [Span]

  public init(indent: Int = 0, _ spans: [Span]) {
    self.indent = indent
    self.spans = spans
  }
}

/// Lays out the detail pane's text for a width: every foreign string sanitised, every paragraph
/// wrapped by display width (wide characters and emoji count two).
public enum DetailText {
  public static func lines(_ d: MentionDetail, state: InboxState, width: Int) -> [DetailLine] {
    var layout = Layout(d: d, state: state, width: width)
    layout.header()
    layout.author()
    layout.text()
    layout.advice()
    layout.deadlines()
    layout.conversation()
    layout.replies()
    layout.record()
    return layout.out
  }

  /// What the row in memory says of a mention while its detail is on its way (issue 18): the
  /// header, the author and the text, then a quiet "…".
  public static func summary(_ row: QueueRow, state: InboxState, width: Int) -> [DetailLine] {
    var layout = Layout(d: MentionDetail(row: row), state: state, width: width)
    layout.header()
    layout.author(known: false)
    layout.text()
    layout.out.append(DetailLine([]))
    layout.out.append(DetailLine([Span("…", .detailMeta)]))
    return layout.out
  }

  /// The detail pane's lines being laid out, one section after another.
  private struct Layout {
    let d: MentionDetail
    let state: InboxState
    let width: Int
    let s: Strings
    let now: Date
    let m: Mention
    var out: [DetailLine] = []

    init(d: MentionDetail, state: InboxState, width: Int) {
      self.d = d
      self.state = state
      self.width = width
      s = state.strings
      now = state.now
      m = d.row.mention
    }

    mutating func wrap(_ text: String, _ role: ThemeRole = .detail, indent: Int = 0) {
      for line in TextWidth.wrap(text, to: max(1, width - indent)) {
        out.append(DetailLine(indent: indent, [Span(line, role)]))
      }
    }

    mutating func heading(_ text: String) {
      out.append(DetailLine([]))
      out.append(DetailLine([Span(text, .detailHeading)]))
    }

    func safe(_ text: String) -> String { TerminalSafe.sanitize(text) }

    /// The header: category, platform, time, status, claim; then what holds the mention (snooze, no reply).
    mutating func header() {
      let clock = m.clock(now: now) ?? .none
      var head: [Span] = [Span("\(Glyphs.clock(clock)) ", Glyphs.role(clock))]
      head.append(Span(m.category.map { s.category($0) } ?? "—", m.category.map(Glyphs.role) ?? .detail))
      if let by = m.categoryBy { head.append(Span(" (\(s[.manualBy]) \(safe(by)))", .detailMeta)) }
      head.append(Span(" · \(safe(m.platform)) · \(s.status(m.status)) · ", .detailMeta))
      if m.followUpPending { head.append(Span("\(s[.followUpDue]) (S10) · ", Glyphs.role(clock))) }
      head.append(Span(s.clock(clock), .detailMeta))
      out.append(DetailLine(head))
      var meta = "#\(m.id) · \(Format.deadline(m.createdAt, now: now, strings: s, timeZone: state.timeZone))"
      if let claim = d.row.claimedBy { meta += " · \(s[.claimedBy]) \(safe(claim))" }
      if let assignee = d.row.assignedTo { meta += " · \(s[.assignedTo]) \(safe(assignee))" }
      if m.editCount > 0 { meta += " · \(s[.edited]) ×\(m.editCount)" }
      wrap(meta, .detailMeta)
      if d.reopensConversation { wrap(s[.reopened], .queueDueSoon) }
      if let why = m.deleted {
        wrap("\(s[.deletedMark]) \(s[.deletedByPlatform]) (\(safe(why)))", .queueDueSoon)
      }
      if let until = d.row.snoozedUntil, m.status == .snoozed {
        var line = "\(s[.snoozedUntil]) \(Format.dayTime(until, strings: s, timeZone: state.timeZone))"
        // A snooze never hides a deadline: say when the target comes first.
        if let target = m.nextDeadline, target < until {
          let when = Format.when(target, now: now, strings: s, timeZone: state.timeZone)
          line += " · " + s[.snoozePastTarget].replacingOccurrences(of: "%@", with: when)
        }
        wrap(line, target(of: m, before: d.row.snoozedUntil) ? .queueDueSoon : .detailMeta)
      }
      if let reason = d.row.noReplyReason, m.status == .noReply {
        wrap("\(s[.noReply]) — \(s[.reason]): \(safe(reason))", .detailMeta)
      }
    }

    /// The author: handle, name, followers, how often they wrote, whether they are watched.
    mutating func author(known: Bool = true) {
      var author = "@\(safe(m.author.handle))"
      if let name = m.author.name, !name.isEmpty { author += " — \(safe(name))" }
      if let f = m.author.followers { author += " · \(s.count(f, .followers))" }
      // Only the detail knows how often they wrote and whether they are watched.
      if known {
        author +=
          " · \(s.count(d.authorMentionCount, .mentionsCount)) · \(d.watched ? s[.watched] : s[.notWatched])"
      }
      out.append(DetailLine([]))
      wrap(author, d.watched ? .escalationWatched : .detailMeta)
      if let url = m.url { wrap(safe(url), .detailMeta) }
    }

    /// The text itself, paragraphs kept.
    mutating func text() {
      out.append(DetailLine([]))
      for paragraph in TerminalSafe.sanitize(m.text, lines: .multi).split(
        separator: "\n", omittingEmptySubsequences: false)
      {
        wrap(String(paragraph))
      }
    }

    /// The advice, its rules and the signals behind it.
    mutating func advice() {
      if let a = d.advice {
        heading(a.rules.isEmpty ? s[.advice] : "\(s[.advice]) [\(a.rules.joined(separator: ", "))]")
        wrap("\(s.action(a.action)) · \(s.channel(a.channel))", .detailRule, indent: 2)
        wrap(a.explanation, .detailAdvice, indent: 2)
        if !a.answeredBy.isEmpty {
          wrap(
            "\(s[.answeredBy]) \(a.answeredBy.map { "@" + safe($0) }.joined(separator: ", "))", .detailAdvice,
            indent: 2)
        }
        if a.organisationAnswered { wrap(s[.organisationAnswered], .detailAdvice, indent: 2) }
        if a.escalate {
          wrap(
            "\(s[.escalate]) \((a.escalation.map { s.reason($0.rawValue) } + a.escalationWords.map(safe)).joined(separator: ", "))",
            .escalationReason, indent: 2)
        }
        if !d.signals.isEmpty {
          wrap("\(s[.signals]): \(d.signals.map(safe).joined(separator: ", "))", .detailMeta, indent: 2)
        }
      }
    }

    /// The deadlines, each counting down or showing its outcome.
    mutating func deadlines() {
      heading(s[.deadlines])
      let rows: [(UIText, Date?)] = [
        (.earliestReply, m.deadlines.earliestReply), (.firstResponse, m.deadlines.firstResponse),
        (.followUp, m.deadlines.followUp),
      ]
      let labelWidth = rows.map { TextWidth.width(of: s[$0.0]) }.max() ?? 0
      // An answered deadline shows its outcome, not a time to count down to.
      func outcome(_ outcome: DeadlineOutcome, target: Date) -> String {
        let at = Format.when(outcome.at, now: now, strings: s, timeZone: state.timeZone)
        let due = Format.when(target, now: now, strings: s, timeZone: state.timeZone)
        switch outcome {
        case .met:
          return s[.metAt].replacingOccurrences(of: "%@", with: at) + " (\(s[.target]) \(due))"
        case .late(_, let by):
          return s[.answeredLate].replacingOccurrences(of: "%@", with: Format.span(by, strings: s))
            + " (\(at), \(s[.target]) \(due))"
        }
      }
      for (label, date) in rows {
        var value = date.map { Format.deadline($0, now: now, strings: s, timeZone: state.timeZone) } ?? "—"
        if label == .firstResponse, let date, let answered = m.policyDeadlines.firstResponseOutcome {
          value = outcome(answered, target: date)
        }
        // The follow-up: a pending one counts down; once answered (and none pending) its outcome.
        if label == .followUp, date == nil, let answered = m.followUpOutcome,
          let target = m.deadlines.followUpAnsweredDue
        {
          value = outcome(answered, target: target)
        }
        out.append(
          DetailLine(
            indent: 2, [Span(TextWidth.pad(s[label], to: labelWidth) + "  ", .detailMeta), Span(value)]))
      }
    }

    /// The thread and what the author wrote earlier.
    mutating func conversation() {
      // The team's note on the person (issue 16), on every one of their mentions.
      if let note = d.personNote {
        heading(PersonText.noteHeading(s))
        wrap("\(safe(note.by)): \(safe(note.text))", .detailNote, indent: 2)
      }
      if !d.thread.isEmpty {
        heading("\(s[.thread]) (\(d.thread.count + 1))")
        for post in d.thread {
          let p = post.mention
          let marker = p.createdAt <= m.createdAt ? "↑" : "↳"
          wrap(
            "\(marker) @\(safe(p.author.handle)) · \(Format.age(now.timeIntervalSince(p.createdAt))) · \(s.status(p.status)): \(safe(p.text))",
            .detailThread, indent: 2)
        }
      }

      if !d.earlier.isEmpty {
        heading("\(s[.earlierFromAuthor]) (\(d.earlierCount))")
        for e in d.earlier {
          wrap(
            "\(Format.age(now.timeIntervalSince(e.createdAt))) · \(e.category.map { s.category($0) } ?? "—") · \(safe(e.text))",
            .detailThread, indent: 2)
        }
      }
    }

    /// Replies and drafts (issue 5): what went out, and who is writing now.
    mutating func replies() {
      if !d.replies.isEmpty {
        heading("\(s[.replies]) (\(d.replies.count))")
        for r in d.replies {
          wrap(
            "\(Format.clock(r.createdAt, timeZone: state.timeZone)) \(safe(r.responder)) · \(s.mode(r.mode)) · #\(r.id) \(s.replyStatus(r.status)): \(safe(r.text))",
            .detailNote, indent: 2)
          if let note = r.reviewNote {
            wrap("\(safe(r.reviewedBy ?? "?")): \(safe(note))", .detailNote, indent: 4)
          }
        }
      }
      if !d.drafts.isEmpty {
        heading(s[.drafts])
        for draft in d.drafts {
          wrap(
            "✎ \(safe(draft.author)) \(s[.isWriting]) (\(s.mode(draft.mode))) · \(Format.clock(draft.updatedAt, timeZone: state.timeZone))",
            .queueClaimed, indent: 2)
        }
      }
    }

    /// Notes, escalations and the mention's history.
    mutating func record() {
      if !d.notes.isEmpty {
        heading("\(s[.notes]) (\(d.notes.count))")
        for n in d.notes {
          wrap(
            "\(Format.clock(n.at, timeZone: state.timeZone)) \(safe(n.author)): \(safe(n.text))", .detailNote,
            indent: 2)
        }
      }

      if !d.escalations.isEmpty {
        heading(s[.escalations])
        for e in d.escalations {
          wrap(
            "\(Format.clock(e.createdAt, timeZone: state.timeZone)) \(safe(e.createdBy)) · \(s.reason(e.reason)) · \(s.escalationState(e.state))\(e.owner.map { " · " + safe($0) } ?? "")",
            .escalationReason, indent: 2)
          for n in e.notes { wrap("\(safe(n.author)): \(safe(n.text))", .detailNote, indent: 4) }
        }
      }

      if !d.events.isEmpty {
        heading(s[.history])
        for e in d.events {
          wrap(
            "\(Format.deadline(e.at, now: now, strings: s, timeZone: state.timeZone)) \(s.event(e.action)) — \(safe(e.actor))",
            .detailHistory,
            indent: 2)
        }
      }
    }
  }

  /// Whether the mention's target comes before its snooze ends.
  static func target(of m: Mention, before until: Date?) -> Bool {
    guard let until, let target = m.nextDeadline else { return false }
    return target < until
  }
}

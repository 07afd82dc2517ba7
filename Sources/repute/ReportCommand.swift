import ArgumentParser
import Foundation
import Inbox
import Live
import Policy
import Store

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

struct ReportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report",
    abstract: "The team's figures per category and per responder, for people, scripts and spreadsheets.",
    discussion: """
      Open mentions per category and clock; the share of first responses within target (today, the \
      last 7 days, and since --since); median and 90th percentile of the first-response time; volume \
      per hour over the last 24 hours. Figures are anonymous: they stay after forget and purge.
      """)

  @OptionGroup var options: StoreOptions

  @Option(
    help: "From this date (YYYY-MM-DD, in the service hours' time zone, or RFC 3339); default: 7 days ago.")
  var since: String?

  @Flag(help: "Print one JSON object.")
  var json = false

  @Flag(help: "Print CSV with a header row.")
  var csv = false

  func validate() throws {
    if json && csv { throw ValidationError("choose one of --json and --csv") }
  }

  func run() throws {
    try guarded {
      let context = try PolicyContext.open(options, create: false, reading: true)
      let now = try ReputeClock.fromEnvironment().now()
      let zone = context.policy.serviceHours?.timeZone ?? TimeZone(identifier: "UTC")!
      var from = now.addingTimeInterval(-7 * 86_400)
      if let since {
        guard let parsed = DateArgument.parse(since, timeZone: zone) else {
          throw InboxError.invalidArgument("--since: \"\(since)\" is not a date (YYYY-MM-DD or RFC 3339)")
        }
        from = parsed
      }
      let figures = try context.store.teamFigures(
        now: now, today: DateArgument.startOfDay(now, zone), since: from)
      if json {
        Output.line(ReportFormat.json(figures))
      } else if csv {
        Output.line(ReportFormat.csv(figures), terminator: "")
      } else {
        Output.line(ReportFormat.text(figures), terminator: "")
      }
    }
  }
}

/// Dates on the command line.
enum DateArgument {
  /// `2026-03-01` (midnight in `timeZone`) or an RFC 3339 timestamp.
  static func parse(_ text: String, timeZone: TimeZone) -> Date? {
    if let date = RFC3339.parse(text) { return date }
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
      let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
    else { return nil }
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = timeZone
    guard let date = calendar.date(from: DateComponents(year: y, month: m, day: d)),
      calendar.component(.day, from: date) == d
    else { return nil }
    return date
  }

  static func startOfDay(_ date: Date, _ timeZone: TimeZone) -> Date {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = timeZone
    return calendar.startOfDay(for: date)
  }
}

/// The report as text, JSON and CSV.
enum ReportFormat {
  static let categories = Category.allCases

  static func percent(_ share: Double?) -> String {
    share.map { String(format: "%.0f%%", $0 * 100) } ?? "-"
  }

  static func minutes(_ seconds: Double?) -> String {
    seconds.map { TextFormat.compact($0) } ?? "-"
  }

  static func text(_ f: TeamFigures) -> String {
    var lines: [String] = []
    lines.append("Team figures since \(RFC3339.format(f.since)) (at \(RFC3339.format(f.now)))")
    func share(_ label: String, _ s: TargetShare) -> String {
      "\(label) \(percent(s.share)) (\(s.within) of \(s.within + s.late)\(s.pending > 0 ? ", \(s.pending) pending" : ""))"
    }
    lines.append(
      "first responses within target: "
        + [share("today", f.today), share("7 days", f.week), share("period", f.period)]
        .joined(separator: "; "))
    lines.append(
      "follow-ups within target: "
        + [share("7 days", f.followUpWeek), share("period", f.followUpPeriod)].joined(separator: "; "))
    // Closed on purpose without any response: not in the share, never within target.
    let closed = categories.compactMap { c -> String? in
      let n = f.periodByCategory[c]?.closedWithoutReply ?? 0
      return n > 0 ? "\(c.rawValue) \(n)" : nil
    }
    lines.append(
      "closed without reply in the period: \(f.period.closedWithoutReply)"
        + (closed.isEmpty ? "" : " (" + closed.joined(separator: ", ") + ")"))
    lines.append("")
    lines.append(pad(["category", "open", "overdue", "within", "answered", "median", "p90"]))
    for c in categories {
      let s = f.periodByCategory[c] ?? TargetShare()
      let t = f.byCategory[c] ?? ResponseTimes()
      lines.append(
        pad([
          c.rawValue, String(f.openCount(c)), String(f.open[c]?[.overdue] ?? 0), percent(s.share),
          String(t.count),
          minutes(t.median), minutes(t.p90),
        ]))
    }
    lines.append(
      pad([
        "all", String(categories.map(f.openCount).reduce(0, +)),
        String(categories.map { f.open[$0]?[.overdue] ?? 0 }.reduce(0, +)), percent(f.period.share),
        String(f.overall.count), minutes(f.overall.median), minutes(f.overall.p90),
      ]))
    lines.append("")
    lines.append(pad(["responder", "within", "answered", "median", "p90"]))
    for (name, t) in f.byResponder.sorted(by: { $0.key < $1.key }) {
      lines.append(
        pad([
          TerminalSafe.sanitize(name), percent(f.shareByResponder[name]?.share), String(t.count),
          minutes(t.median),
          minutes(t.p90),
        ]))
    }
    if f.byResponder.isEmpty { lines.append("  (no first responses in the period)") }
    lines.append("")
    lines.append("volume per hour, last 24 hours: \(Sparkline.render(f.hourly)) (max \(f.hourly.max() ?? 0))")
    return lines.joined(separator: "\n") + "\n"
  }

  static func pad(_ cells: [String]) -> String {
    let widths = [16, 6, 8, 7, 9, 8, 8]
    return cells.enumerated().map { i, cell in
      i == cells.count - 1
        ? cell
        : cell.padding(
          toLength: max(widths[min(i, widths.count - 1)], cell.count + 1), withPad: " ", startingAt: 0)
    }.joined()
  }

  static func share(_ s: TargetShare, into w: inout JSONWriter) {
    w.int("within", s.within)
    w.int("late", s.late)
    w.int("pending", s.pending)
    w.int("closed_without_reply", s.closedWithoutReply)
    w.decimal3("share", s.share)
  }

  static func times(_ t: ResponseTimes, into w: inout JSONWriter) {
    w.int("responses", t.count)
    w.double("median_seconds", t.median)
    w.double("p90_seconds", t.p90)
  }

  static func json(_ f: TeamFigures) -> String {
    var w = JSONWriter()
    w.string("now", RFC3339.format(f.now))
    w.string("since", RFC3339.format(f.since))
    w.object("within_target") { o in
      o.object("today") { share(f.today, into: &$0) }
      o.object("week") { share(f.week, into: &$0) }
      o.object("period") { share(f.period, into: &$0) }
    }
    w.object("follow_up_within_target") { o in
      o.object("week") { share(f.followUpWeek, into: &$0) }
      o.object("period") { share(f.followUpPeriod, into: &$0) }
    }
    w.objects("categories", categories) { o, c in
      o.string("category", c.rawValue)
      o.int("open", f.openCount(c))
      o.object("open_by_clock") { k in
        k.int("cooling", f.open[c]?[.cooling] ?? 0)
        k.int("on_time", f.open[c]?[.onTime] ?? 0)
        k.int("due_soon", f.open[c]?[.dueSoon] ?? 0)
        k.int("overdue", f.open[c]?[.overdue] ?? 0)
        k.int("none", f.open[c]?[.none] ?? 0)
      }
      share(f.periodByCategory[c] ?? TargetShare(), into: &o)
      times(f.byCategory[c] ?? ResponseTimes(), into: &o)
    }
    w.objects("responders", f.byResponder.sorted(by: { $0.key < $1.key })) { o, entry in
      o.string("responder", entry.key)
      let s = f.shareByResponder[entry.key] ?? TargetShare()
      o.int("within", s.within)
      o.int("late", s.late)
      o.decimal3("share", s.share)
      times(entry.value, into: &o)
    }
    w.object("overall") { times(f.overall, into: &$0) }
    w.raw("hourly", "[" + f.hourly.map(String.init).joined(separator: ",") + "]")
    return w.finish()
  }

  static let csvHeader =
    "kind,name,open,overdue,within,late,pending,share,responses,median_seconds,p90_seconds,closed_without_reply"

  static func csv(_ f: TeamFigures) -> String {
    var lines = [csvHeader]
    func number(_ v: Double?) -> String { v.map { String(format: "%.0f", $0) } ?? "" }
    func row(_ kind: String, _ name: String, open: Int?, overdue: Int?, _ s: TargetShare?, _ t: ResponseTimes)
    {
      let cells: [String] = [
        kind, name, open.map(String.init) ?? "", overdue.map(String.init) ?? "",
        s.map { String($0.within) } ?? "",
        s.map { String($0.late) } ?? "", s.map { String($0.pending) } ?? "",
        s?.share.map { String(format: "%.3f", $0) } ?? "", String(t.count), number(t.median), number(t.p90),
        s.map { String($0.closedWithoutReply) } ?? "",
      ]
      lines.append(cells.map(CSV.field).joined(separator: ","))
    }
    for c in categories {
      row(
        "category", c.rawValue, open: f.openCount(c), overdue: f.open[c]?[.overdue] ?? 0,
        f.periodByCategory[c] ?? TargetShare(), f.byCategory[c] ?? ResponseTimes())
    }
    for (name, t) in f.byResponder.sorted(by: { $0.key < $1.key }) {
      row("responder", name, open: nil, overdue: nil, f.shareByResponder[name], t)
    }
    row(
      "all", "", open: categories.map(f.openCount).reduce(0, +),
      overdue: categories.map { f.open[$0]?[.overdue] ?? 0 }.reduce(0, +), f.period, f.overall)
    return lines.joined(separator: "\n") + "\n"
  }
}

/// CSV fields (RFC 4180), safe to open in a spreadsheet.
enum CSV {
  static func field(_ value: String) -> String {
    // A name from the store may carry escape sequences: shown as the inbox shows them.
    var v = TerminalSafe.sanitize(value, lines: .single)
    // A leading = + - @ would be run as a formula by spreadsheets.
    if let first = v.first, "=+-@".contains(first) { v = "'" + v }
    if v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
      return "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
    return v
  }
}

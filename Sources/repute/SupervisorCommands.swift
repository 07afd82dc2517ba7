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

struct LogCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "log",
    abstract: "The audit trail: who did what, when. Append only.",
    discussion: """
      With --json, one JSON object per line: at, actor, action, mention_id, detail (an object or \
      null). Events never carry a mention's text or an author's handle.
      """)

  @OptionGroup var options: StoreOptions

  @Option(help: "Only the events of this mention (with the ingest that stored it).")
  var mention: Int64?

  @Flag(help: "Print JSON Lines.")
  var json = false

  func run() throws {
    try guarded {
      let store = try options.open(create: false, reading: true)
      let out = BufferedWriter()
      func emit(_ e: Event) {
        if json {
          var w = JSONWriter()
          w.string("at", RFC3339.format(e.at))
          w.string("actor", e.actor)
          w.string("action", e.action)
          w.int("mention_id", e.mentionID)
          w.raw("detail", e.detail.flatMap { $0.hasPrefix("{") ? $0 : nil })
          out.line(w.finish())
        } else {
          out.line(
            [
              RFC3339.format(e.at), TerminalSafe.sanitize(e.actor), e.action,
              e.mentionID.map { "#\($0)" } ?? "-",
              TerminalSafe.sanitize(e.detail ?? ""),
            ].joined(separator: "  "))
        }
      }
      if let mention {
        guard try store.mention(id: mention) != nil else {
          throw InboxError.notFound("no mention with id \(mention)")
        }
        for e in try store.events(mentionID: mention) { emit(e) }
      } else {
        var after: Int64 = 0
        while true {
          let page = try store.allEvents(after: after, limit: 5000)
          for e in page { emit(e) }
          guard let last = page.last, page.count == 5000 else { break }
          after = last.id
        }
      }
      out.flush()
    }
  }
}

struct TeamCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "team", abstract: "The webcare team of the policy's roster.",
    subcommands: [TeamBioCommand.self])
}

struct TeamBioCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bio",
    abstract: "The profile line that introduces the responders to followers (S15), in Dutch and English.",
    discussion: "From the roster ([[team]]) and the service hours of the policy in force.")

  @OptionGroup var options: StoreOptions

  @Option(help: "Only this language: nl or en.")
  var lang: String?

  func validate() throws {
    if let lang, !["nl", "en"].contains(lang) { throw ValidationError("--lang must be nl or en") }
  }

  func run() throws {
    try guarded {
      let context = try PolicyContext.open(options, create: false, reading: true)
      for language in lang.map({ [$0] }) ?? ["nl", "en"] {
        let bio = TeamBio.render(context.policy, lang: language)
        Output.line((lang == nil ? "\(language): " : "") + TerminalSafe.sanitize(bio))
        if lang == nil, bio.count > 160 {
          Output.error("note: the \(language) bio has \(bio.count) characters; X allows 160 in a profile")
        }
      }
    }
  }
}

/// Who may do what on a shared store: applying a policy (the roster is part of it), forget and
/// purge need the supervisor role in the policy in force before the change. On a private store
/// the one person who can open it may do everything.
///
/// This is the program's rule, not the file's: every member of the group can write the file with
/// `sqlite3` too. Rights that hold against that come with the server store (README, Safety).
enum Rights {
  /// Throws unless the person at the keyboard is a supervisor in `context`'s policy, or the store
  /// is private. `ownerMayStart`: while the policy in force names no supervisor at all (a new
  /// team store), the store's owner, who ran `init`, may act, to apply the first roster.
  static func requireSupervisor(_ context: PolicyContext, to what: String, ownerMayStart: Bool = false) throws
  {
    let path = context.store.path
    guard StoreFiles.isShared(path: path) else { return }
    let login = Identity.login()
    let member = context.policy.member(login: login)
    if member?.role == .supervisor { return }
    let who =
      member.map { "you are \(login), a \($0.role.rawValue)" } ?? "you are \(login), not in its roster"
    let rule = "on a shared store only a supervisor in the policy in force may \(what)"
    if !context.policy.team.contains(where: { $0.role == .supervisor }) {
      let owner = StoreFiles.owner(path: path)
      if ownerMayStart, owner == geteuid() { return }
      throw InboxError.permissionDenied(
        "\(rule); it names no supervisor yet, so only the store's owner (\(owner.map(Identity.name) ?? "?")) may "
          + "apply the first roster (\(who))")
    }
    throw InboxError.permissionDenied("\(rule) (\(who))")
  }
}

/// Erasure needs a supervisor on a shared store; anyone may erase on their own private store.
enum Erasure {
  static func authorise(_ context: PolicyContext, _ options: StoreOptions) throws -> String {
    try Rights.requireSupervisor(context, to: "erase data")
    return try context.actor(options)
  }

  /// True when the person confirms on a terminal, or when no terminal is there to ask.
  static func confirm(_ question: String, yes: Bool) -> Bool {
    if yes || isatty(0) != 1 { return true }
    FileHandle.standardError.write(Data("\(question) [y/N] ".utf8))
    guard let answer = readLine() else { return false }
    return ["y", "yes", "j", "ja"].contains(answer.trimmingCharacters(in: .whitespaces).lowercased())
  }

  /// The exit status of an erasure that committed while its cleanup (compaction, WAL) failed.
  static let cleanupFailed: Int32 = 3

  /// Prints what was erased, then squeezes it out of the file (`SQLiteStore.compact`). The
  /// erasure has committed by now: a cleanup that fails (a full disk) is said as such, with how
  /// to finish it, and exit status 3, not as a failed erasure.
  static func finish(
    _ store: SQLiteStore, _ counts: ErasureCounts, what: String, command: String, then report: () -> Void = {}
  ) throws {
    Output.line(
      "\(what): \(counts.mentions) mentions, \(counts.authors) authors, \(counts.revisions) earlier texts, "
        + "\(counts.notes) notes, \(counts.replies) drafts and replies erased; anonymous figures kept")
    if counts.quoting > 0 { Output.line("quoting mentions redacted: \(counts.quoting)") }
    report()
    try cleanup(store, command: command, erased: true)
  }

  /// The cleanup after an erasure, also on its own (`--compact`).
  static func cleanup(_ store: SQLiteStore, command: String, erased: Bool) throws {
    let compacted: Bool
    do {
      // The seam the tests use to make the cleanup fail after the commit, as a full disk would.
      if ProcessInfo.processInfo.environment["REPUTE_FAULT"] == "erasure-cleanup" {
        throw InboxError.storeUnavailable("injected fault (REPUTE_FAULT=erasure-cleanup)")
      }
      compacted = try store.compact()
    } catch {
      let reason =
        (error as? InboxError)?.description ?? StoreFailure.describe(error, store: store.path) ?? "\(error)"
      throw fail(
        "\(erased ? "erased; " : "")the compaction could not finish: \(reason): run `repute \(command) --compact` or free space",
        code: cleanupFailed)
    }
    if !compacted {
      Output.error(
        "note: another process kept reading; the WAL could not be emptied yet: run `repute \(command) --compact`"
      )
    }
  }

  /// The spools of the config `watch` reads (none when the default config does not exist; a
  /// config named by --config must be readable). Read before anything is erased, so a bad config
  /// stops the command first.
  static func spools(_ options: ConfigOptions) throws -> [SpoolConfig] {
    if options.config == nil && !FileManager.default.fileExists(atPath: options.path) { return [] }
    return try options.load().spools
  }

  /// Prints what was done to each spool's kept copies, one line a file.
  static func report(_ spool: SpoolConfig, _ reports: [SpoolErasure.FileReport], none: String) {
    let name = TerminalSafe.sanitize(spool.name)
    if reports.isEmpty { Output.line("spool \(name): \(none)") }
    for report in reports { Output.line("spool \(name): \(report.description)") }
  }
}

struct ForgetCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "forget",
    abstract: "Erase an author's personal data: texts, names, handles, raw records, notes, drafts, replies.",
    discussion: """
      The mentions stay as anonymous rows for the team's figures; a tombstone keeps a later ingest \
      of the same posts from bringing them back. Other people's mentions, notes and replies keep \
      their text with the handle as @[forgotten] and the name as [forgotten]; quotes of the \
      author's posts leave their raw records. The spools of the config (--config) lose the \
      author's records in processed/ and failed/. The log records the erasure as action forget, \
      without the handle. Works while others have the store open. Asks for confirmation on a terminal.
      """)

  @OptionGroup var options: StoreOptions

  @Option(help: "The author's handle (with or without @).")
  var author: String?

  @Flag(help: "Only finish the cleanup of an earlier erasure (search index, free pages, WAL).")
  var compact = false

  @Option(help: "Only on this platform (default: every platform).")
  var platform: String?

  @OptionGroup var configOptions: ConfigOptions

  @Flag(help: "Don't ask for confirmation.")
  var yes = false

  func validate() throws {
    if (author == nil) == !compact { throw ValidationError("give --author, or --compact alone") }
  }

  func run() throws {
    try guarded {
      let context = try PolicyContext.open(options, create: false)
      _ = try Erasure.authorise(context, options)
      let store = context.store
      guard let author else {
        try Erasure.cleanup(store, command: "forget", erased: false)
        return Output.line("compacted \(TerminalSafe.sanitize(store.path))")
      }
      let actor = try context.actor(options)
      let who = "@" + TerminalSafe.sanitize(author.hasPrefix("@") ? String(author.dropFirst()) : author)
      // A name that matches nobody is a mistake to report, not an erasure to log and compact for;
      // unless they were forgotten here already (their tombstone says so, not their handle).
      guard try store.authorCount(handle: author, platform: platform) > 0 else {
        if try store.wasForgotten(author: author, platform: platform) {
          return Output.line("\(who) was already forgotten: nothing left to erase")
        }
        throw fail(
          "no author \(who)\(platform.map { " on \(TerminalSafe.sanitize($0))" } ?? "") in the store \(store.path): nothing erased",
          code: 1)
      }
      let n = try store.mentionCount(author: author, platform: platform)
      let spools = try Erasure.spools(configOptions)
      let redactor = try store.redactor(author: author, platform: platform)
      guard
        Erasure.confirm(
          "Erase \(n) mentions by \(who) and everything about them? This cannot be undone.", yes: yes)
      else { throw InboxError.invalidArgument("nothing erased") }
      // The spool's kept copies of dropped files hold their posts too. They go first: a crash
      // before the store is done leaves the author there, so forget can be run again.
      for spool in spools {
        Erasure.report(
          spool, try SpoolErasure(spool: spool).forget(redactor, platform: platform),
          none: "nothing of theirs in processed/ or failed/")
      }
      let counts: ErasureCounts
      do {
        counts = try store.forget(author: author, platform: platform, actor: actor)
      } catch {
        // Done in short transactions: what committed stays erased, and the author stays until the
        // last one, so a second run finishes the work.
        let reason = StoreFailure.describe(error, store: store.path) ?? "\(error)"
        throw fail("the erasure stopped part-way: \(reason); run the same forget again to finish it")
      }
      // Another process forgot them meanwhile: nothing of ours to compact.
      if counts.authors == 0 {
        return Output.line("\(who) was already forgotten: nothing left to erase")
      }
      try Erasure.finish(store, counts, what: "forgot \(who)", command: "forget")
    }
  }
}

struct PurgeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "purge",
    abstract:
      "Retention: erase the personal data of every mention older than DAYS days, as forget does.",
    discussion:
      "The spools of the config (--config) lose their processed/ and failed/ copies older than that.")

  @OptionGroup var options: StoreOptions

  @Option(name: .customLong("older-than"), help: "Mentions written more than this many days ago.")
  var olderThan: Int?

  @Flag(help: "Only finish the cleanup of an earlier erasure (search index, free pages, WAL).")
  var compact = false

  @OptionGroup var configOptions: ConfigOptions

  @Flag(help: "Don't ask for confirmation.")
  var yes = false

  func validate() throws {
    if (olderThan == nil) == !compact { throw ValidationError("give --older-than, or --compact alone") }
    if let olderThan, olderThan < 1 { throw ValidationError("--older-than must be at least 1 day") }
  }

  func run() throws {
    try guarded {
      let context = try PolicyContext.open(options, create: false)
      let actor = try Erasure.authorise(context, options)
      let store = context.store
      guard let olderThan else {
        try Erasure.cleanup(store, command: "purge", erased: false)
        return Output.line("compacted \(TerminalSafe.sanitize(store.path))")
      }
      let cutoff = try ReputeClock.fromEnvironment().now().addingTimeInterval(-Double(olderThan) * 86_400)
      let n = try store.mentionCount(before: cutoff)
      let spools = try Erasure.spools(configOptions)
      guard
        Erasure.confirm("Erase the personal data of \(n) mentions older than \(olderThan) days?", yes: yes)
      else { throw InboxError.invalidArgument("nothing erased") }
      let counts: ErasureCounts
      do {
        counts = try store.purge(before: cutoff, actor: actor)
      } catch {
        let reason = StoreFailure.describe(error, store: store.path) ?? "\(error)"
        throw fail("the erasure stopped part-way: \(reason); run the same purge again to finish it")
      }
      // The spool's kept copies last changed before the cutoff go whole; before the cleanup,
      // which may fail on a full disk while these deletes would still free space.
      let what = "purged before \(RFC3339.format(cutoff))"
      var reports: [(SpoolConfig, [SpoolErasure.FileReport])] = []
      for spool in spools { reports.append((spool, try SpoolErasure(spool: spool).purge(before: cutoff))) }
      try Erasure.finish(store, counts, what: what, command: "purge") {
        for (spool, files) in reports {
          Erasure.report(spool, files, none: "no copy in processed/ or failed/ older than the cutoff")
        }
      }
    }
  }
}

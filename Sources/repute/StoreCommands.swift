import ArgumentParser
import Desk
import Feeds
import Foundation
import Inbox
import Policy
import ServerStore
import Store

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

struct InitCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "init",
    abstract: "Create a store: private to you, or shared with a Unix group for a team on one host.",
    discussion: """
      A private store is created 0600 in a 0700 folder. With --group, the store is created 0660 in a \
      setgid 0770 folder owned by that group, and each person is known by their login. Through a \
      symbolic link, the modes are set on the file it leads to. An empty file named with --store \
      becomes a store (no other command takes one for a store). With --repair-modes, an existing \
      store that others may read or write is made private again (0600, or 0660 for a group's \
      store), its -wal and -shm files too; every other command refuses such a store. With --name \
      (or, on a terminal, when asked), your name as it signs replies becomes the store's roster, \
      with your login; a store without a roster refuses to reply until it knows a name. On an \
      existing store without a roster, --name records the name. With --store postgres://..., creates \
      the store's schema and tables on the team's PostgreSQL server, or brings them up to date; \
      harmless when they are (docs/guide/team-server.md).
      """)

  @OptionGroup var options: StoreOptions

  @Option(help: "Share the store with this Unix group.")
  var group: String?

  @Flag(help: "Make an existing store's files private again (0600, or 0660 when shared with a group).")
  var repairModes = false

  @Option(help: "Your name, as it signs replies (asked on a terminal when left out).")
  var name: String?

  func validate() throws {
    if repairModes && group != nil {
      throw ValidationError("--repair-modes keeps the store's group; leave out --group")
    }
    if repairModes && name != nil {
      throw ValidationError("--repair-modes changes no names; leave out --name")
    }
    if let name { _ = try Self.checked(name) }
  }

  /// A name fit to sign replies with: not blank, no control characters.
  static func checked(_ name: String) throws -> String {
    let trimmed = name.trimmingCharacters(in: .whitespaces)
    if trimmed.isEmpty { throw ValidationError("--name needs your name, as it signs replies") }
    if !TerminalSafe.isPlain(trimmed) {
      throw ValidationError(
        "--name \"\(TerminalSafe.sanitize(trimmed))\" has control characters; a name may not")
    }
    return trimmed
  }

  /// The name from --name, else asked on a terminal; nil without either.
  func responderName() throws -> String? {
    if let name { return try Self.checked(name) }
    guard isatty(0) == 1 else { return nil }
    FileHandle.standardError.write(Data("Your name, as it signs replies: ".utf8))
    guard let line = readLine(), !line.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
    return try Self.checked(line)
  }

  /// Records `name` with the current login as the store's one-person roster, so replies are
  /// signed with a name, never a login. A store that has a roster already is left alone: adding
  /// people is a supervisor's `policy apply`.
  func record(_ name: String) throws {
    let context = try PolicyContext.open(options, create: false)
    guard context.policy.team.isEmpty else {
      throw InboxError.invalidArgument(
        "this store has a roster already (\(context.policy.team.map(\.name).joined(separator: ", "))): "
          + "ask a supervisor to add you (policy apply)")
    }
    try Rights.requireSupervisor(context, to: "record the first roster", ownerMayStart: true)
    var policy = context.policy
    // The one person on the store answers for it: on a team's store, they apply the full roster.
    policy.team = [TeamMember(name: name, login: Identity.login(), role: .supervisor)]
    try context.store.applyPolicy(
      source: PolicyFile.render(policy), actor: name, annotator: PolicyAnnotator(policy: policy),
      replacing: context.stored.version)
    Output.line("replies are signed as \(Signature.text(for: policy.team[0], policy: policy))")
  }

  func run() throws {
    if case .server(let address) = try options.address() {
      return try ServerCommands.initialize(address, command: self)
    }
    try guarded {
      let path = try options.resolvedPath()
      if repairModes {
        guard FileManager.default.fileExists(atPath: path) else {
          throw InboxError.notFound("no store at \(path) to repair")
        }
        let changed = try StoreFiles.repairModes(path)
        // Opening checks the rest: a damaged or foreign file is still refused.
        let store = try options.open(create: false)
        if !changed.isEmpty {
          try store.record(
            actor: try options.actor(for: store), action: "repair_modes", mentionID: nil,
            detail: #"{"files":\#(changed.count)}"#)
        }
        for line in changed { Output.line("mode \(line)") }
        Output.line(changed.isEmpty ? "the store's modes were right already: \(path)" : "repaired: \(path)")
        return
      }
      let file = StoreFiles.resolve(path)
      var info = stat()
      let exists = stat(file, &info) == 0
      // An empty file is made a store only here, where someone named it on purpose.
      if exists && !(info.st_mode & S_IFMT == S_IFREG && info.st_size == 0) {
        // A store made before anyone gave a name learns it here, once.
        guard let name = try responderName() else {
          throw InboxError.invalidArgument("a store already exists at \(path)")
        }
        try record(name)
        return
      }
      if let group { try StoreFiles.createShared(path: path, group: group) }
      let store = try SQLiteStore(path: path, mode: .initialise, clock: try ReputeClock.fromEnvironment())
      let name = try responderName()
      let actor = try name ?? options.actor(for: store)
      if let group { try store.setMeta("group", group) }
      try store.record(actor: actor, action: "init", detail: group.map { #"{"group":"\#($0)"}"# })
      Output.line(
        group.map { "created a store shared with group \($0): \(path)" } ?? "created a private store: \(path)"
      )
      if let name { try record(name) }
    }
  }
}

struct IngestCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ingest",
    abstract: "Store mentions from files, folders or - for stdin: native JSON Lines or a platform's format.",
    discussion: """
      Formats: jsonl (native, the default), mastodon, bluesky, x, rss (RSS 2.0 and Atom), csv, or \
      auto to tell them apart by content. Native JSON Lines from a pipe or a FIFO (a live feed) are \
      stored as they arrive: within a quarter of a second, in one transaction for what came together. A folder stands for every *.jsonl inside (with another \
      format, also *.json, *.xml, *.rss, *.atom and *.csv). Each bad record is reported on stderr \
      as FILE:LINE: reason and skipped; the rest are stored. The same (platform, id) is stored once; \
      a different text for it is an edit; a deleted post is marked, its text kept. Exit status: 0 \
      when nothing was rejected, 1 when something was, 2 for usage or I/O errors.
      """)

  @OptionGroup var options: StoreOptions

  @Option(help: "jsonl, mastodon, bluesky, x, rss, csv or auto.")
  var format: String = "jsonl"

  @Option(help: "CSV columns as field=Header pairs, e.g. 'text=Full Text,author=Author,created_at=Date'.")
  var csvMap: String?

  @Option(help: "A TOML file with the CSV mapping: platform, date_format and a [columns] table.")
  var csvConfig: String?

  @Option(help: "The platform of CSV rows without a platform column (default csv).")
  var csvPlatform: String?

  @Option(help: "A date pattern for the CSV date column (DateFormatter, UTC), e.g. 'dd/MM/yyyy HH:mm'.")
  var csvDateFormat: String?

  @Argument(help: "Files, folders or - (standard input).")
  var paths: [String]

  func validate() throws {
    if paths.isEmpty { throw ValidationError("name at least one file, folder or - for standard input") }
    if MentionFormat(rawValue: format) == nil {
      throw ValidationError(
        "--format must be one of \(MentionFormat.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    if let csvMap { _ = try CSVMapping.parse(csvMap) }
    if let csvPlatform, KnownPlatform.canonical(csvPlatform) == nil {
      throw ValidationError("--csv-platform: " + KnownPlatform.refusal(csvPlatform))
    }
  }

  func run() throws {
    let (counts, rejected) = try guarded { () throws -> (IngestCounts, Int) in
      let chosen = MentionFormat(rawValue: format) ?? .jsonl
      let files = try Ingester.expand(
        paths,
        extensions: chosen == .jsonl
          ? [".jsonl"] : [".jsonl", ".json", ".xml", ".rss", ".atom", ".csv", ".tsv"])
      // The file describes the export; the command line overrides it.
      var mapping = try csvConfig.map(CSVMapping.load) ?? CSVMapping()
      for entry in try csvMap.map(CSVMapping.parse) ?? [:] { mapping.columns[entry.key] = entry.value }
      if let csvPlatform { mapping.platform = KnownPlatform.canonical(csvPlatform) ?? csvPlatform }
      if let csvDateFormat { mapping.dateFormat = csvDateFormat }
      let context = try PolicyContext.open(options, create: true)
      let store = context.store
      let annotator = context.annotator
      let actor = try context.actor(options)
      // Nothing is added to a damaged store: every page is read before the first write when the
      // last check that found it whole is older than ten minutes (`repute check` checks at once).
      try store.verifyIfDue(every: SQLiteStore.verifyInterval)
      // This process only ingests: a file's writer may keep the indexes a million mentions touch.
      try (store as? SQLiteStore)?.reserveBulkIngestCache(mebibytes: IngestCache.mebibytes())
      var counts = IngestCounts()
      let rejected = RejectCounter()
      // A feed piped in may run for hours: the time-based rules run beside it once a minute, as an
      // open inbox runs them, not only when it ends.
      let live = files.contains(where: Ingester.isLive)
      var timedRulesRun = ProcessInfo.processInfo.systemUptime
      // Parsing and classifying run on the reading thread, and on a server what of the writing
      // does not wait for the server's answers (`ServerStore.prepareIngest`): while this thread
      // writes one batch, the next is made ready.
      let server = store as? ServerStore
      let ingester = Ingester(format: chosen, csv: mapping)
      // A bulk load on the server: its statistics brought up to date beside the last batches once
      // the input is read and they are at most a tenth of it (the queue holds three batches).
      let statistics = Locked<(@Sendable () -> Void)?>(nil)
      try ingester.stream(
        files,
        reject: { record in
          rejected.add()
          Output.error(record.description)
        },
        prepare: { batch in
          let annotations = batch.map { annotator.annotate($0) }
          return (batch, annotations, server?.prepareIngest(batch, annotations: annotations))
        },
        read: { mentions in
          guard let server, !live, mentions >= 30 * ingester.batchSize else { return }
          statistics.withLock { $0 = server.refreshStatisticsBeside() }
        },
        consume: { prepared in
          if let server, let ready = prepared.2 {
            counts += try server.ingest(ready, actor: actor, rules: context.policy.escalation)
          } else {
            counts += try store.ingest(
              prepared.0, annotations: prepared.1, actor: actor, rules: context.policy.escalation)
          }
          if live, ProcessInfo.processInfo.systemUptime - timedRulesRun >= 60 {
            counts.escalated += try store.evaluateTimedRules(
              context.policy.escalation, now: try ReputeClock.fromEnvironment().now())
            timedRulesRun = ProcessInfo.processInfo.systemUptime
          }
        })
      // The time-based escalation rules too (overdue, a rise in volume), as every inbox does.
      counts.escalated += try store.evaluateTimedRules(
        context.policy.escalation, now: try ReputeClock.fromEnvironment().now())
      // A bulk load on the server: the planner told of it now, not at autovacuum's next look.
      if let wait = statistics.current {
        wait()
      } else {
        server?.refreshStatistics(newMentions: counts.new)
      }
      return (counts, rejected.count)
    }
    if counts.muted > 0 {
      Output.line(
        "\(counts.muted) of the new mentions are kept out of the queue (muted, or the organisation's own)")
    }
    if counts.edited > 0 {
      Output.line(
        "\(counts.edited) of the duplicates \(counts.edited == 1 ? "was an edit" : "were edits"): the new text is stored, the earlier kept"
      )
    }
    if counts.forgotten > 0 {
      Output.line("\(counts.forgotten) forgotten posts were not stored again (repute forget, purge)")
    }
    if counts.escalated > 0 { Output.line("\(counts.escalated) escalations raised for the supervisor") }
    if counts.folded > 0 {
      Output.line(
        "\(counts.folded) of the new mentions repeat an earlier post of their author: folded into it (×N)")
    }
    if counts.deleted > 0 {
      Output.line(
        "\(counts.deleted) \(counts.deleted == 1 ? "mention was" : "mentions were") deleted or withheld by the platform: marked, the text kept"
      )
    }
    if counts.unknownDeletions > 0 {
      Output.line("\(counts.unknownDeletions) deletion notices named posts this store never saw")
    }
    Output.line("ingested \(counts.new) new, \(counts.duplicate) duplicate, \(rejected) rejected")
    if rejected > 0 { throw ExitCode(1) }
  }
}

/// Counts rejected records from the reading thread.
final class RejectCounter: Sendable {
  private let value = Locked(0)

  func add() {
    value.withLock { $0 += 1 }
  }

  var count: Int { value.current }
}

struct ShowCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "show", abstract: "Show one mention with its event history.")

  @OptionGroup var options: StoreOptions

  @Argument(help: "The store's id of the mention (the first column of repute list).")
  var id: Int64

  @Flag(help: "Print one JSON object.")
  var json = false

  @Option(
    name: .customLong("ui-lang"),
    help: "The language of the advice and its words: nl or en (default: from LANG, as the inbox).")
  var uiLang: UILanguage?

  func run() throws {
    try guarded {
      let context = try PolicyContext.open(options, create: false, reading: true)
      let store = context.store
      let clock = try ReputeClock.fromEnvironment()
      // The same detail the inbox shows: the mention, advice with the thread around it, notes, history.
      let strings = Words(AdviceText.language(uiLang))
      let source = DetailDesk(store: store, policy: context.policy, words: strings)
      guard let detail = try source.detail(id: id, now: clock.now()) else {
        throw InboxError.notFound("no mention with id \(id)")
      }
      let mention = detail.row.mention
      let revisions = try store.revisions(mentionID: id)
      if json {
        Output.line(
          JSONOutput.detail(
            mention, events: detail.events, revisions: revisions, raw: try store.rawRecord(mentionID: id),
            advice: detail.advice, thread: detail.thread.map(\.mention), now: clock.now(),
            flags: try store.flags(mentionIDs: [id])[id], repeatIDs: try store.repeats(of: id)))
      } else {
        let zone = context.policy.serviceHours?.timeZone ?? TimeZone(identifier: "UTC")!
        Output.line(
          TextFormat.detail(
            mention, events: detail.events, revisions: revisions, detail: detail, timeZone: zone,
            strings: strings))
      }
    }
  }
}

/// Plain-text views for people; every foreign string goes through the sanitiser.
enum TextFormat {
  static func row(_ m: Mention, now: Date, cut: Int?) -> String {
    var text = TerminalSafe.sanitize(m.text, lines: .single)
    if m.deleted != nil { text = "[deleted] " + text }
    if let cut, text.count > cut { text = String(text.prefix(cut - 1)) + "…" }
    let category = m.category?.rawValue ?? "-"
    let clock = m.clock(now: now)
    var due = "-"
    if let next = m.nextDeadline, clock != nil {
      let left = next.timeIntervalSince(now)
      due = left < 0 ? "over " + compact(-left) : "due " + compact(left)
      if clock == .cooling, let earliest = m.deadlines.earliestReply {
        due = "cool " + compact(earliest.timeIntervalSince(now))
      }
    }
    return [
      String(m.id), "age " + compact(now.timeIntervalSince(m.createdAt)), clock?.rawValue ?? "-", due,
      category,
      TerminalSafe.sanitize(m.platform), "@" + TerminalSafe.sanitize(m.author.handle), text,
    ].joined(separator: "  ")
  }

  /// A short duration: `45s`, `12m`, `3h05m`, `2d04h`.
  static func compact(_ seconds: TimeInterval) -> String {
    let s = max(0, Int(seconds))
    func two(_ v: Int) -> String { v < 10 ? "0\(v)" : String(v) }
    if s < 60 { return "\(s)s" }
    if s < 3600 { return "\(s / 60)m" }
    if s < 86_400 { return "\(s / 3600)h\(two(s % 3600 / 60))m" }
    return "\(s / 86_400)d\(two(s % 86_400 / 3600))h"
  }

  static func detail(
    _ m: Mention, events: [Event], revisions: [(text: String, replacedAt: Date)], detail: MentionDetail,
    timeZone: TimeZone, strings: Words = Words(.en)
  ) -> String {
    var lines: [String] = []
    lines.append(
      "mention \(m.id)  \(TerminalSafe.sanitize(m.platform)) \(TerminalSafe.sanitize(m.externalID))")
    var author = "@" + TerminalSafe.sanitize(m.author.handle)
    if let name = m.author.name { author += " (\(TerminalSafe.sanitize(name)))" }
    if let followers = m.author.followers { author += ", \(followers) followers" }
    if m.staff { author += ", staff" }
    lines.append("author    \(author)")
    lines.append("written   \(RFC3339.format(m.createdAt))")
    lines.append("stored    \(RFC3339.format(m.ingestedAt))")
    if let url = m.url { lines.append("url       \(TerminalSafe.sanitize(url))") }
    if let lang = m.lang { lines.append("language  \(TerminalSafe.sanitize(lang))") }
    if let reply = m.inReplyTo { lines.append("replies to \(TerminalSafe.sanitize(reply))") }
    if let thread = m.thread { lines.append("thread    \(TerminalSafe.sanitize(thread))") }
    var category = m.category?.rawValue ?? "not classified"
    if let by = m.categoryBy { category += " (set by \(TerminalSafe.sanitize(by)))" }
    if let c = m.confidence { category += String(format: ", confidence %.2f", c) }
    lines.append("category  \(category)")
    let followUp = m.followUpPending ? ", follow-up due (S10)" : ""
    lines.append("status    \(m.status.rawValue)\(followUp)\(m.muted ? " (kept out of the queue)" : "")")
    if let claim = detail.row.claimedBy { lines.append("claimed by  \(TerminalSafe.sanitize(claim))") }
    if let assignee = detail.row.assignedTo { lines.append("assigned to \(TerminalSafe.sanitize(assignee))") }
    if let deleted = m.deleted {
      lines.append(
        "deleted   on the platform: \(TerminalSafe.sanitize(deleted)) (the text below is as stored)")
    }
    if m.status == .snoozed, let until = m.snoozedUntil {
      var snoozed = "snoozed until \(Format.dayTime(until, strings: Words(.en), timeZone: timeZone))"
      snoozed += " (\(RFC3339.format(until)))"
      // A snooze never hides a deadline: say when the target comes first.
      if let target = m.nextDeadline, target < until {
        snoozed += "; its target \(RFC3339.format(target)) comes first: overdue then"
      }
      lines.append(snoozed)
    }
    if let e = m.deadlines.earliestReply { lines.append("earliest reply   \(RFC3339.format(e))") }
    if let f = m.deadlines.firstResponse {
      var first = "first response   \(RFC3339.format(f))"
      switch m.policyDeadlines.firstResponseOutcome {
      case .met(let at)?: first += ", met at \(RFC3339.format(at))"
      case .late(let at, let by)?: first += ", answered \(compact(by)) late at \(RFC3339.format(at))"
      case nil: break
      }
      lines.append(first)
    }
    if let f = m.deadlines.followUp {
      lines.append("follow-up        \(RFC3339.format(f))")
    } else if let due = m.deadlines.followUpAnsweredDue {
      var follow = "follow-up        \(RFC3339.format(due))"
      switch m.followUpOutcome {
      case .met(let at)?: follow += ", met at \(RFC3339.format(at))"
      case .late(let at, let by)?: follow += ", answered \(compact(by)) late at \(RFC3339.format(at))"
      case nil: break
      }
      lines.append(follow)
    }
    lines.append("")
    lines.append(TerminalSafe.sanitize(m.text, lines: .multi))
    if !revisions.isEmpty {
      lines.append("")
      lines.append("earlier texts:")
      for r in revisions {
        lines.append("  until \(RFC3339.format(r.replacedAt)): \(TerminalSafe.sanitize(r.text))")
      }
    }
    if let advice = detail.advice {
      lines.append("")
      // The advice in the UI language, as the inbox's detail gives it (issue 14).
      let label = AdviceText.label(strings) + ":"
      lines.append(
        label.padding(toLength: 10, withPad: " ", startingAt: 0)
          + AdviceText.summary(advice, strings, escalateSeparator: "; "))
      lines.append("          " + TerminalSafe.sanitize(advice.explanation))
    }
    if !detail.thread.isEmpty {
      lines.append("")
      lines.append("thread:")
      for row in detail.thread {
        let t = row.mention
        lines.append(
          "  \(t.id)  \(RFC3339.format(t.createdAt))  @\(TerminalSafe.sanitize(t.author.handle))  "
            + TerminalSafe.sanitize(t.text))
      }
    }
    if !detail.notes.isEmpty {
      lines.append("")
      lines.append("notes:")
      for n in detail.notes {
        lines.append(
          "  \(RFC3339.format(n.at))  \(TerminalSafe.sanitize(n.author)): \(TerminalSafe.sanitize(n.text))")
      }
    }
    if !detail.escalations.isEmpty {
      lines.append("")
      lines.append("escalations:")
      for e in detail.escalations {
        lines.append(
          "  \(RFC3339.format(e.createdAt))  \(TerminalSafe.sanitize(e.reason))  \(e.state)  by \(TerminalSafe.sanitize(e.createdBy))"
            + (e.owner.map { ", owner \(TerminalSafe.sanitize($0))" } ?? ""))
        for n in e.notes {
          lines.append("    \(TerminalSafe.sanitize(n.author)): \(TerminalSafe.sanitize(n.text))")
        }
      }
    }
    lines += ReplyText.lines(detail)
    lines.append("")
    lines.append("history:")
    if events.isEmpty { lines.append("  (no events yet)") }
    for e in events {
      lines.append("  \(RFC3339.format(e.at))  \(TerminalSafe.sanitize(e.actor))  \(e.action)")
    }
    return lines.joined(separator: "\n")
  }
}

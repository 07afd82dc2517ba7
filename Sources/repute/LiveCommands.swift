import ArgumentParser
import Foundation
import Inbox
import Live
import Policy
import Store

/// Options of the commands that read the live sources' config.
struct ConfigOptions: ParsableArguments {
  @Option(name: .long, help: "The config file (default: $XDG_CONFIG_HOME/repute/config.toml).")
  var config: String?

  var path: String { config ?? LiveConfig.defaultPath() }

  /// The config, or a usage error with every `FILE:LINE: reason`.
  func load() throws -> LiveConfig {
    do {
      return try LiveConfig.load(path: path)
    } catch {
      throw fail(error.description)
    }
  }
}

/// The sources and delivery accounts a config describes, with their credentials loaded.
struct LiveSetup {
  var sources: [any LiveSource] = []
  var accounts: DeliveryAccounts
  /// Sources that cannot run (a missing token, an unreadable token file), with why.
  var broken: [(name: String, kind: String, error: String)] = []

  init(config: LiveConfig, exportFolder: String) {
    accounts = DeliveryAccounts(exportFolder: exportFolder)
    for m in config.mastodon {
      do {
        let token = try m.token.load()
        sources.append(MastodonSource(config: m, token: token))
        if m.deliver && accounts.mastodon == nil { accounts.mastodon = (m, token) }
      } catch {
        broken.append((m.name, "mastodon", "\(error)"))
      }
    }
    for b in config.bluesky {
      do {
        let session = BlueskySession(
          service: b.service, identifier: b.identifier, password: try b.password.load())
        if !b.searches.isEmpty { sources.append(BlueskySource(config: b, session: session)) }
        if b.deliver && accounts.bluesky == nil { accounts.bluesky = (b, session) }
      } catch {
        broken.append((b.name, "bluesky", "\(error)"))
      }
    }
    for f in config.feeds { sources.append(FeedSource(config: f)) }
    for s in config.spools { sources.append(SpoolSource(config: s)) }
  }
}

/// Where replies for sending by hand are written: beside a store file; for the team's server
/// store, in this machine's data folder, one folder per store (`$XDG_DATA_HOME/repute/`, else
/// `~/.local/share/repute/`, `export-DATABASE-SCHEMA`).
func exportFolder(for store: any ReputeStore) -> String {
  if let file = store as? SQLiteStore { return file.exportFolder }
  guard case .server(let address) = store.location else { return "export" }
  let environment = ProcessInfo.processInfo.environment
  var data = (environment["HOME"] ?? NSTemporaryDirectory()) + "/.local/share/repute"
  if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") { data = xdg + "/repute" }
  return data + "/export-\(address.database)-\(address.schema)"
}

func clockTime(_ date: Date) -> String {
  let s = RFC3339.format(date)
  return String(s.prefix(19)).replacingOccurrences(of: "T", with: " ")
}

struct WatchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "watch",
    abstract:
      "Poll the live sources in the config and deliver the outbox's replies; with an id, watch that mention's author.",
    discussion: """
      `repute watch ID` watches the author of mention ID (S8: don't feed trolls, but keep an eye \
      on them; `repute unwatch ID` stops), with --store, --as and --json, and exits. Without an id:
      Each source keeps a cursor in the store, committed with the mentions it covers: stop or kill \
      the watcher at any time and the next run neither repeats nor misses anything. A failing \
      source waits longer each time (up to [watch] max_backoff); a platform's rate limit is \
      respected. See `repute sources` for each source's health. Exit status with --once: 0 when \
      every source polled cleanly, 1 when one failed, 2 for usage errors.
      """)

  @OptionGroup var options: StoreOptions
  @OptionGroup var configOptions: ConfigOptions

  @Argument(help: "A mention's id: watch its author instead of polling (see below).")
  var mention: Int64?

  @Flag(help: "Poll every source once and deliver what is due, then exit (for cron and tests).")
  var once = false

  @Flag(help: "With an id: print one JSON object.")
  var json = false

  @Flag(name: .customLong("no-deliver"), help: "Only poll; leave the outbox alone.")
  var noDeliver = false

  func validate() throws {
    if mention != nil, once || noDeliver {
      throw ValidationError("repute watch ID watches an author; --once and --no-deliver are for polling")
    }
    if mention == nil, json { throw ValidationError("--json goes with repute watch ID") }
  }

  func run() throws {
    if let mention { return try AuthorWatch.run(options, id: mention, watching: true, json: json) }
    let config = try configOptions.load()
    let (context, actor) = try guarded { () throws -> (PolicyContext, String) in
      let context = try PolicyContext.open(options, create: true)
      return (context, try context.actor(options))
    }
    let clock = try guarded { try ReputeClock.fromEnvironment() }
    let loop = WatchLoop(context: context, actor: actor, config: config, clock: clock, deliver: !noDeliver)
    if config.sourceNames.isEmpty {
      Output.line(
        "no sources in \(configOptions.path): add [[mastodon]], [[bluesky]], [[feed]] or [[spool]] (see README: Live sources)"
      )
    }
    var failed = loop.reportBroken(warn: { Output.error($0) })
    while true {
      if loop.pass(all: once, say: { Output.line($0) }, warn: { Output.error($0) }) { failed = true }
      if once { break }
      loop.sleep()
    }
    if failed { throw ExitCode(1) }
  }

  /// One line for a person; every part may come from outside (a platform's message, a
  /// mention's url), so each is made terminal-safe.
  static func describe(_ outcome: DeliveryOutcome) -> String {
    func safe(_ text: String) -> String { TerminalSafe.sanitize(text) }
    switch outcome.result {
    case .sent(let id, let url):
      return "reply \(outcome.outboxID) sent: \(safe(url ?? id))"
    case .retry(let at, let reason):
      return "reply \(outcome.outboxID) not sent (\(safe(reason))); retry at \(clockTime(at))"
    case .unverified(let at, let reason):
      return "reply \(outcome.outboxID) unverified (\(safe(reason))); next check at \(clockTime(at))"
    case .failed(let reason): return "reply \(outcome.outboxID) failed: \(safe(reason))"
    case .exported(let path): return "reply \(outcome.outboxID) is for sending by hand: \(safe(path))"
    case .heldForApproval:
      return
        "reply \(outcome.outboxID) not sent: its mention was escalated since, it awaits a supervisor's approval"
    case .withdrawn: return "reply \(outcome.outboxID) not sent: it was withdrawn"
    }
  }
}

/// The watcher's loop, shared by `repute watch` and `repute inbox --watch`.
struct WatchLoop: Sendable {
  let store: any SourceStore & QueueStore & EscalationStore & OutboxStore & PolicyStore
  let setup: LiveSetup
  let poller: Poller
  let courier: Courier?
  let clock: ReputeClock
  let interval: TimeInterval
  /// The time-based escalation rules (overdue, a rise in volume) run on every pass too.
  let escalation: Escalation

  /// `quiet`: say nothing on stderr (the inbox owns the terminal; health goes to the store).
  init(
    context: PolicyContext, actor: String, config: LiveConfig, clock: ReputeClock, deliver: Bool,
    quiet: Bool = false
  ) {
    store = context.store
    setup = LiveSetup(config: config, exportFolder: exportFolder(for: context.store))
    let transport = URLSessionTransport(maxBodyBytes: config.maxResponseBytes)
    poller = Poller(
      store: store, sources: setup.sources, config: config, transport: transport,
      annotator: context.annotator,
      actor: actor, clock: { clock.now() }, note: { if !quiet { Output.error($0) } })
    courier =
      deliver
      ? Courier(store: store, accounts: setup.accounts, transport: transport, clock: { clock.now() }) : nil
    self.clock = clock
    interval = config.interval
    escalation = context.policy.escalation
  }

  /// Records the sources that cannot run (a missing token) as failing; true when there are any.
  func reportBroken(warn: (String) -> Void) -> Bool {
    for b in setup.broken {
      warn("repute: \(b.name): \(b.error)")
      try? store.recordPoll(
        name: b.name, kind: b.kind, error: b.error, newMentions: 0,
        nextPollAt: clock.now().addingTimeInterval(interval), holder: "config")
    }
    return !setup.broken.isEmpty
  }

  /// Polls the due sources (all with `all`) and delivers the due replies; true when something failed.
  func pass(all: Bool, say: (String) -> Void, warn: (String) -> Void) -> Bool {
    var failed = false
    for outcome in poller.pollDue(all: all) {
      if outcome.skipped {
        say("\(outcome.source): another watcher is polling it")
      } else if let error = outcome.error {
        failed = true
        warn("repute: \(outcome.source): \(error); next poll \(clockTime(outcome.nextPollAt))")
      } else if let report = outcome.report {
        var line = "\(outcome.source): \(report.new) new"
        if report.rejected > 0 { line += ", \(report.rejected) rejected" }
        say(line + "; next poll \(clockTime(outcome.nextPollAt))")
      }
    }
    // Quietly: the supervisor's pane shows what they raised.
    _ = try? store.evaluateTimedRules(escalation, now: clock.now())
    if let courier {
      do {
        for outcome in try courier.deliverDue() { say(WatchCommand.describe(outcome)) }
      } catch {
        warn("repute: delivery: \(error)")
        failed = true
      }
    }
    return failed
  }

  /// Waits for the next source, and at most 5 s, so replies put in the outbox go out soon.
  func sleep() {
    let wait = min(max(poller.nextDue().timeIntervalSince(clock.now()), 0.2), 5)
    Thread.sleep(forTimeInterval: clock.isFrozen ? 5 : wait)
  }

  /// Runs the loop on a background thread, silently: health goes to the store (the status line).
  func startInBackground() {
    _ = reportBroken(warn: { _ in })
    let loop = self
    let thread = Thread {
      while true {
        _ = loop.pass(all: false, say: { _ in }, warn: { _ in })
        loop.sleep()
      }
    }
    thread.start()
  }
}

struct DeliverCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "deliver",
    abstract: "Send the outbox's due replies once (Mastodon, Bluesky; X is written out for sending by hand).",
    discussion: """
      Every attempt is recorded before the platform is called and carries the reply's idempotency \
      key (Mastodon) or record key (Bluesky), so a retry after a crash never posts twice. A reply \
      is sent only when the platform's answer names the post it made; an answer that names none \
      leaves it unverified, checked again the same safe way for up to 45 minutes, then failed. \
      Exit status: 0 when nothing failed, 1 when a reply failed, is unverified or waits for a retry.
      """)

  @OptionGroup var options: StoreOptions
  @OptionGroup var configOptions: ConfigOptions

  func run() throws {
    // Without a config file, replies for X can still be written out by hand.
    let config =
      configOptions.config == nil && !FileManager.default.fileExists(atPath: configOptions.path)
      ? LiveConfig() : try configOptions.load()
    let store = try guarded { try options.open(create: false) }
    let setup = LiveSetup(config: config, exportFolder: exportFolder(for: store))
    for b in setup.broken { Output.error("repute: \(b.name): \(b.error)") }
    let clock = try guarded { try ReputeClock.fromEnvironment() }
    let courier = Courier(
      store: store, accounts: setup.accounts,
      transport: URLSessionTransport(maxBodyBytes: config.maxResponseBytes),
      clock: { clock.now() })
    var problems = false
    let outcomes = try guarded({ try courier.deliverDue() })
    for outcome in outcomes {
      Output.line(WatchCommand.describe(outcome))
      if case .sent = outcome.result {} else { problems = true }
    }
    if outcomes.isEmpty, let busy = try? store.deliveryHolder(), busy != courier.holder {
      Output.error("repute: \(busy) is delivering the outbox now; it sends the due replies")
    }
    if problems { throw ExitCode(1) }
  }
}

struct SourcesCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sources",
    abstract:
      "Show each live source's health (ok, warning, failing): last poll, last error, next poll, cursor.")

  @OptionGroup var options: StoreOptions
  @OptionGroup var configOptions: ConfigOptions

  @Flag(help: "Print JSON Lines.")
  var json = false

  func run() throws {
    let configured: [(name: String, kind: String)]
    if FileManager.default.fileExists(atPath: configOptions.path) {
      configured = try configOptions.load().sourceNames
    } else {
      configured = []
    }
    let store = try guarded { try options.open(create: false) }
    let states = try guarded { try store.sourceStates() }
    var rows: [(SourceState, Bool)] = configured.map { c in
      (states.first { $0.name == c.name } ?? SourceState(name: c.name, kind: c.kind), true)
    }
    for s in states where !configured.contains(where: { $0.name == s.name }) { rows.append((s, false)) }
    if rows.isEmpty {
      Output.line("no sources: add them to \(configOptions.path) (see README: Live sources)")
      return
    }
    let now = try guarded { try ReputeClock.fromEnvironment() }.now()
    for (s, inConfig) in rows {
      if json {
        var w = JSONWriter()
        w.string("name", s.name)
        w.string("kind", s.kind)
        w.bool("configured", inConfig)
        w.string("health", s.health.rawValue)
        w.string("last_poll_at", s.lastPollAt.map(RFC3339.format))
        w.string("last_success_at", s.lastSuccessAt.map(RFC3339.format))
        w.string("last_error", s.lastError)
        w.string("warning", s.warning)
        w.int("refused", s.refusedRecords)
        w.int("failures", s.failures)
        w.string("next_poll_at", s.nextPollAt.map(RFC3339.format))
        w.int("last_new", s.lastNew)
        w.string("cursor", s.cursor)
        w.string("etag", s.etag)
        w.string("last_modified", s.lastModified)
        Output.line(w.finish())
        continue
      }
      let health =
        switch s.health {
        case .neverPolled: "never polled"
        case .ok: "ok"
        case .warning: "warning, \(s.refusedRecords) \(s.refusedRecords == 1 ? "record" : "records") refused"
        case .failing: "failing ×\(s.failures)"
        }
      var line =
        "\(TerminalSafe.sanitize(s.name)) (\(TerminalSafe.sanitize(s.kind)))\(inConfig ? "" : ", not in the config"): \(health)"
      if let at = s.lastPollAt {
        line += "; last poll \(Self.age(now.timeIntervalSince(at))) ago, \(s.lastNew) new"
      }
      if let next = s.nextPollAt {
        let d = next.timeIntervalSince(now)
        line += d <= 0 ? "; next poll now" : "; next poll in \(Self.age(d))"
      }
      Output.line(line)
      if let error = s.lastError { Output.line("  last error: " + TerminalSafe.sanitize(error)) }
      if let warning = s.warning { Output.line("  warning: " + TerminalSafe.sanitize(warning)) }
      if let cursor = s.cursor ?? s.etag {
        Output.line("  cursor: " + TerminalSafe.sanitize(String(cursor.prefix(120))))
      }
    }
  }

  static func age(_ seconds: TimeInterval) -> String {
    let s = Int(seconds.rounded())
    if s < 90 { return "\(s)s" }
    if s < 90 * 60 { return "\(s / 60)m" }
    if s < 36 * 3600 { return "\(s / 3600)h\(s % 3600 / 60 > 0 ? "\(s % 3600 / 60)m" : "")" }
    return "\(s / 86400)d"
  }
}

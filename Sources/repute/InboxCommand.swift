import ArgumentParser
import Foundation
import Inbox
import InboxBackend
import InboxUI
import NcursesTerminal
import Policy
import Store
import TerminalUI

#if canImport(Glibc)
  import Glibc
#endif

extension UILanguage: ExpressibleByArgument {}

/// `repute` and `repute inbox`: the responder's inbox on the store.
struct InboxCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "inbox",
    abstract: "Open the inbox: the live queue, the detail of each mention and the policy's advice.")

  @OptionGroup var options: StoreOptions

  @Option(help: "A theme name from themes/ (default, light, high-contrast, mono) or a path to a .toml file.")
  var theme: String?

  @Option(
    name: .customLong("ui-lang"), help: "The language of the inbox's own text: nl or en (default: from LANG)."
  )
  var uiLang: UILanguage?

  @Flag(help: "Also poll the live sources and deliver replies while the inbox is open (see repute watch).")
  var watch = false

  @OptionGroup var configOptions: ConfigOptions

  @Flag(name: .customLong("bench-first-frame"), help: .hidden)
  var benchFirstFrame = false

  func run() throws {
    let context = try guarded { try PolicyContext.open(options, create: true) }
    let actor = try guarded { try context.actor(options) }
    let language = uiLang ?? UILanguage.fromEnvironment()
    if benchFirstFrame {
      try InboxBenchmark.run(store: context.store, policy: context.policy, actor: actor, language: language)
      return
    }
    var poller: WatchLoop?
    if watch {
      let config = try configOptions.load()
      let clock = try guarded { try ReputeClock.fromEnvironment() }
      poller = WatchLoop(
        context: context, actor: actor, config: config, clock: clock, deliver: true, quiet: true)
    }
    try InboxRunner.run(
      store: context.store, policy: context.policy, actor: actor, themeName: theme, language: language,
      whileRunning: poller.map { loop in { loop.startInBackground() } })
  }
}

/// Starts the inbox on the real terminal and always gives the terminal back.
enum InboxRunner {
  static func run(
    store: SQLiteStore, policy: PolicyConfig, actor: String, themeName: String?, language: UILanguage,
    label: String? = nil, whileRunning: (() -> Void)? = nil
  ) throws {
    let strings = Strings(language)
    let noColor = NcursesTerminal.noColorRequested()
    var (theme, problem) = ThemeLoader.load(themeName ?? ProcessInfo.processInfo.environment["REPUTE_THEME"])
    if noColor { theme = Theme.monochrome }
    let terminal: NcursesTerminal
    do {
      terminal = try NcursesTerminal(noColor: noColor)
    } catch {
      throw fail("\(error)")
    }
    defer { terminal.shutdown() }
    let source = StoreSource(store: store, policy: policy, strings: strings)
    source.startIndexing()
    let app = InboxApp(
      terminal: terminal, source: source, theme: theme, strings: strings, actor: actor,
      storeLabel: label ?? storeLabel(store.path),
      now: { (try? ReputeClock.fromEnvironment().now()) ?? Date() })
    if let problem { app.report(problem: "\(problem.description) — \(strings[.themeFallback])") }
    app.externalEditor = ExternalEditor.edit
    whileRunning?()
    app.run()
  }

  static func storeLabel(_ path: String) -> String {
    let home = ProcessInfo.processInfo.environment["HOME"] ?? ""
    if !home.isEmpty, path.hasPrefix(home + "/") { return "~" + path.dropFirst(home.count) }
    return path
  }
}

/// `repute inbox --bench-first-frame`: the first frame, key handling and memory on this store,
/// drawn into memory (no terminal needed), in the numbers docs/benchmarks.md records.
enum InboxBenchmark {
  static func run(store: SQLiteStore, policy: PolicyConfig, actor: String, language: UILanguage) throws {
    let clock = ContinuousClock()
    let started = clock.now
    let strings = Strings(language)
    let terminal = TimingTerminal(
      MemoryTerminal(size: Size(width: 120, height: 40), events: [], eventWhenExhausted: nil))
    let source = StoreSource(store: store, policy: policy, strings: strings)
    let app = InboxApp(
      terminal: terminal, source: source, theme: .standard, strings: strings, actor: actor,
      storeLabel: store.path)
    app.start()
    let total = clock.now - started
    // start() draws twice: the queue first, then again with the count and the status counts.
    Output.line("store: \(store.path), \(try store.mentionCount()) mentions")
    Output.line(
      "first frame: \(terminal.firstPresent.map { ms($0 - started) } ?? "?") after opening; with the counts: \(ms(total))"
    )
    var t0 = clock.now
    _ = try source.count(QueueFilter(), now: Date())
    Output.line("queue count: \(ms(clock.now - t0))")
    t0 = clock.now
    _ = try source.counts(now: Date())
    Output.line("status-line counts: \(ms(clock.now - t0))")
    for word in ["balie", "user12345", "zzzz"] {
      t0 = clock.now
      let filter = QueueFilter(search: word)
      let found = try source.count(filter, now: Date())
      let rows = try source.window(filter, offset: 0, limit: 40, now: Date())
      Output.line(
        "search \"\(word)\": \(found) matches, count + first window \(ms(clock.now - t0)) (\(rows.count) rows)"
      )
    }
    Output.line("search backlog: \(try source.searchBacklog()) mentions not yet indexed")
    var keyTimes: [Duration] = []
    var slowest: (String, Duration) = ("", .zero)
    let keys =
      Array(repeating: "j", count: 200) + Array(repeating: "k", count: 50) + ["<PgDn>", "<PgDn>", "g"]
    for key in keys {
      let t = clock.now
      app.step(Event(notation: key))
      let spent = clock.now - t
      keyTimes.append(spent)
      if spent > slowest.1 { slowest = ("\(key) #\(keyTimes.count)", spent) }
    }
    Output.line("slowest key: \(slowest.0)")
    Output.line("key handling over \(keyTimes.count) keys: \(summary(&keyTimes))")
    // The reply editor on the first mention: each key is one loop pass (handled, checked, drawn).
    for key in ["g", "r", "<C-u>"] { app.step(Event(notation: key)) }
    guard app.state.reply != nil else {
      throw fail("the editor did not open on the first mention: \(app.state.message?.text ?? "?")")
    }
    var (typing, typingCPU) = typeReply(app, burst: 1)
    Output.line("editor typing over \(typing.count) keys, one per pass: \(summary(&typing))")
    // The thread's CPU time leaves out the time other processes had the core: the work itself.
    Output.line("  the same, CPU time of the thread: \(summary(&typingCPU))")
    // Fast typing or a paste: keys queued together are handled in one pass, checked and drawn once.
    app.step(Event(notation: "<C-u>"))
    var (bursts, burstsCPU) = typeReply(app, burst: 8)
    Output.line("editor typing in bursts of 8 keys, per pass: \(summary(&bursts))")
    Output.line("  the same, CPU time of the thread: \(summary(&burstsCPU))")
    // Emptied and left: an empty draft is discarded.
    for key in ["<C-u>", "<Esc>"] { app.step(Event(notation: key)) }
    // Live arrival: another writer stores a mention; how long until the queue shows it.
    let other = try SQLiteStore(path: store.path, mode: .existing)
    let before = app.state.list.count
    let incoming = IncomingMention(
      platform: "bench", externalID: "bench-\(getpid())-\(Int(Date().timeIntervalSince1970))",
      author: Author(handle: "bench"), createdAt: Date(), text: "bench arrival", raw: "{}")
    let t = clock.now
    _ = try other.ingest([incoming], actor: "bench", annotator: PolicyAnnotator(policy: policy))
    let written = clock.now
    var polls = 0
    while app.state.list.count == before && polls < 1000 {
      app.step(nil)
      polls += 1
    }
    Output.line(
      "live arrival: write \(ms(written - t)), seen after \(ms(clock.now - written)) of checks (\(polls) poll passes) + up to 100 ms input timeout"
    )
    Output.line("resident memory: \(rssMB()) MB")
  }

  /// The reply the editor benchmark types: 588 characters of Dutch with emoji.
  static let reply = String(repeating: "Sorry, we zoeken het uit 😞 en bellen je vandaag. ", count: 12)

  /// Types `reply` into the open editor, `burst` keys per loop pass; the wall-clock and the
  /// thread CPU time of each pass.
  /// Kept apart (and not inlined) so a profiler can collect just this:
  /// `valgrind --tool=callgrind --toggle-collect='*typeReply*'`.
  @inline(never)
  static func typeReply(_ app: InboxApp, burst: Int) -> (wall: [Duration], cpu: [Duration]) {
    let clock = ContinuousClock()
    let keys = reply.map { Event.key(.char($0)) }
    var times: [Duration] = []
    var cpu: [Duration] = []
    var start = 0
    while start < keys.count {
      let pass = Array(keys[start..<min(keys.count, start + burst)])
      let c = threadCPUTime()
      let t = clock.now
      app.step(pass)
      times.append(clock.now - t)
      cpu.append(threadCPUTime() - c)
      start += burst
    }
    return (times, cpu)
  }

  /// The CPU time this thread has used.
  static func threadCPUTime() -> Duration {
    var now = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
    return .seconds(now.tv_sec) + .nanoseconds(now.tv_nsec)
  }

  /// Median, p95, p99 and the worst of some timings (sorted in place).
  static func summary(_ times: inout [Duration]) -> String {
    times.sort()
    func at(_ p: Int) -> String { ms(times[min(times.count - 1, times.count * p / 100)]) }
    return "median \(at(50)), p95 \(at(95)), p99 \(at(99)), max \(ms(times.last!))"
  }

  /// A terminal that notes when the first frame was presented.
  final class TimingTerminal: Terminal {
    let inner: MemoryTerminal
    var firstPresent: ContinuousClock.Instant?

    init(_ inner: MemoryTerminal) { self.inner = inner }

    var size: Size { inner.size }
    var colorDepth: ColorDepth { inner.colorDepth }

    func present(_ canvas: Canvas) {
      if firstPresent == nil { firstPresent = ContinuousClock().now }
      inner.present(canvas)
    }

    func nextEvent(timeout: Duration) -> TerminalUI.Event? { inner.nextEvent(timeout: timeout) }
    func shutdown() { inner.shutdown() }
  }

  static func ms(_ d: Duration) -> String {
    let value = Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
    return String(format: "%.2f ms", value)
  }

  static func rssMB() -> String {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
      let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
    else { return "?" }
    let kb = Double(line.split(separator: " ").dropFirst().first.map(String.init) ?? "0") ?? 0
    return String(format: "%.1f", kb / 1024)
  }
}

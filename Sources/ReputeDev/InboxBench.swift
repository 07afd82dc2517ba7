import ArgumentParser
import Desk
import Foundation
import Inbox
import InboxBackend
import InboxUI
import Policy
import ServerStore
import Store
import TerminalUI

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `repute-dev inbox-bench --store S`: the inbox's figures in docs/benchmarks.md, on a copy of S.
///
/// This was `repute inbox --bench-first-frame`, which ran on whatever store it was pointed at, the
/// default one included, and left a "bench arrival" mention with its append-only events behind.
/// Now the store is copied into a temporary folder, only the copy is opened, and the copy is
/// removed when the benchmark ends (or fails).
struct InboxBenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "inbox-bench",
    abstract: "Time the inbox on a copy of a store: first frame, keys, search, editor, live arrival, memory.",
    discussion: """
      The store given is copied (with its WAL) into a new temporary folder; the benchmark opens \
      only the copy and removes it at the end, so the original stays byte for byte as it was. \
      A PostgreSQL store (a postgres:// address) cannot be copied: it is benchmarked in place, \
      only with --in-place, and keeps what the benchmark writes (a live arrival, 1,000 posts of one \
      author with 100 notes): give it a throwaway store. \
      REPUTE_BENCH_SEARCH=0 leaves the searches out; REPUTE_BENCH_VIEWS_ONLY=1 stops after the views, =parts times only their first windows' parts; REPUTE_NOW pins the clock of the team figures.
      """)

  @Option(
    help:
      "The store to benchmark (required: no default store). Only a copy of a file is opened; a server store needs --in-place."
  )
  var store: String

  @Flag(help: "Benchmark a PostgreSQL store itself, writing into it (a throwaway store only).")
  var inPlace = false

  @Option(
    name: .customLong("as"),
    help: "Who the inbox acts as (default: $REPUTE_USER, the roster name for the login, or the login).")
  var actingAs: String?

  @Option(
    name: .customLong("ui-lang"), help: "The language of the inbox's own text: nl or en (default: from LANG)."
  )
  var uiLang: String?

  @Option(
    help:
      "The longest a responder's pause before the filtered keys lasts, in seconds (at most 3 s of it when the counts are in)."
  )
  var pause: Int = 10

  func validate() throws {
    if let uiLang, UILanguage(rawValue: uiLang) == nil { throw ValidationError("--ui-lang is nl or en") }
    if pause < 0 { throw ValidationError("--pause is 0 or more seconds") }
  }

  func run() throws {
    if case .server(let address) = try guarded({ try StoreLocation.address(explicit: store) }) {
      guard inPlace else {
        throw ValidationError(
          "a PostgreSQL store is benchmarked in place and keeps what the benchmark writes: add --in-place (a throwaway store only)"
        )
      }
      let clock = try guarded { try ReputeClock.fromEnvironment() }
      let opened = try guarded { try ServerStore(address: address, clock: clock) }
      defer { opened.close() }
      try guarded { try opened.requireCurrentSchema() }
      Output.line("store: \(address), benchmarked in place")
      try bench(opened, label: "\(address)") { try ServerStore(address: address, clock: clock) }
      return
    }
    let copy = try StoreCopy.make(of: store)
    defer { copy.remove() }
    let opened = try guarded {
      try SQLiteStore(path: copy.path, mode: .existing, clock: ReputeClock.fromEnvironment())
    }
    Output.line("store: \(store), benchmarked on a copy in \(copy.folder) (removed afterwards)")
    try bench(opened, label: opened.path) {
      try SQLiteStore(path: copy.path, mode: .existing, clock: opened.clock)
    }
  }

  /// The benchmark on an opened store; `another` opens a second connection to it (the other
  /// writer of the live arrival and the person bench).
  func bench(_ opened: any ReputeStore, label: String, another: @escaping () throws -> any ReputeStore) throws
  {
    let policy = try Self.policy(of: opened, label: label)
    let login =
      getpwuid(geteuid()).flatMap { $0.pointee.pw_name.map { String(cString: $0) } }
      ?? ProcessInfo.processInfo.environment["USER"] ?? "bench"
    let requested = actingAs ?? ProcessInfo.processInfo.environment["REPUTE_USER"]
    let actor = requested.flatMap { $0.isEmpty ? nil : $0 } ?? policy.member(login: login)?.name ?? login
    let language = uiLang.flatMap(UILanguage.init(rawValue:)) ?? UILanguage.fromEnvironment()
    try InboxBenchmark.run(
      store: opened, label: label, another: another, policy: policy, actor: actor, language: language,
      pause: .seconds(pause))
  }

  /// The policy in force on the (copied) store; a store without one gets the default, as the inbox does.
  static func policy(of store: any ReputeStore, label: String) throws -> PolicyConfig {
    try guarded {
      try store.installPolicyIfMissing(source: PolicyFile.render(.default), actor: "repute")
      guard let stored = try store.currentPolicy() else {
        throw InboxError.storeUnavailable("the store \(label) has no policy")
      }
      do {
        return try PolicyFile.parse(
          text: stored.source, path: "policy v\(stored.version) in the store", stored: true)
      } catch {
        throw InboxError.storeUnavailable("the store's policy cannot be read: \(error)")
      }
    }
  }
}

/// The first frame, key handling and memory on a store, drawn into memory (no terminal needed),
/// in the numbers docs/benchmarks.md records. Writes to the store (a live arrival): give it a copy.
enum InboxBenchmark {
  static func run(
    store: any ReputeStore, label: String, another: () throws -> any ReputeStore, policy: PolicyConfig,
    actor: String, language: UILanguage, pause longest: Duration
  ) throws {
    let clock = ContinuousClock()
    let started = clock.now
    let strings = Strings(language)
    let terminal = TimingTerminal(
      MemoryTerminal(size: Size(width: 120, height: 40), events: [], eventWhenExhausted: nil))
    let source = StoreSource(store: store, policy: policy, strings: strings)
    source.countsInBackground = true
    let app = InboxApp(
      terminal: terminal, source: source, theme: .standard, strings: strings, actor: actor,
      storeLabel: label, now: store.clock.now)
    app.start()
    let drawn = clock.now - started
    // The counts come from their own thread; the loop takes them when they are ready.
    while app.state.counts == nil && clock.now - started < .seconds(30) {
      app.step(nil)
      usleep(1000)
    }
    let total = clock.now - started
    Output.line("mentions: \(try store.mentionCount())")
    Output.line(
      "first frame: \(terminal.firstPresent.map { ms($0 - started) } ?? "?") after opening; start() returned after \(ms(drawn)); the counts shown after \(ms(total))"
    )
    // Only the keys over a slow link (issue 18): NetBench.swift.
    if ProcessInfo.processInfo.environment["REPUTE_BENCH_NET"] == "1" {
      try NetBench.run(app, store: store)
      return
    }
    if ProcessInfo.processInfo.environment["REPUTE_BENCH_VIEWS_ONLY"] == "parts" {
      // Only the views' first windows in their parts (for `valgrind --tool=callgrind`).
      try ViewBench.parts(app, source)
      return
    }
    try queries(source)
    try keys(app, pause: longest)
    try ViewBench.run(app, source, terminal: terminal, pause: longest)
    // Only the views' figures (a shorter run while working on them).
    if ProcessInfo.processInfo.environment["REPUTE_BENCH_VIEWS_ONLY"] == "1" { return }
    try parts(app, source)
    try editor(app)
    try liveArrival(app, other: another(), policy: policy)
    try PersonBench.run(app, store: store, other: another(), policy: policy)
    try pane(source, store: store, policy: policy)
    Output.line("resident memory: \(rssMB()) MB")
  }

  /// The store's reads behind the first frame: the counts, and a few searches.
  static func queries(_ source: StoreSource) throws {
    let clock = ContinuousClock()
    var t0 = clock.now
    _ = try source.count(QueueFilter(), now: Date())
    Output.line("queue count: \(ms(clock.now - t0))")
    t0 = clock.now
    _ = try source.counts(now: Date())
    Output.line("status-line counts: \(ms(clock.now - t0))")
    // A common word, a rare one, one nobody wrote, a prefix of some handles. The inbox shows the
    // first window on the key and counts on its own thread; both are timed, the window first.
    for word in ProcessInfo.processInfo.environment["REPUTE_BENCH_SEARCH"] == "0"
      ? [] : ["balie", "user12345", "zzzz", "user12"]
    {
      t0 = clock.now
      let filter = QueueFilter(search: word)
      let rows = try source.window(filter, offset: 0, limit: 120, now: Date())
      let window = clock.now - t0
      let found = try source.count(filter, now: Date())
      Output.line(
        "search \"\(word)\": first window \(ms(window)) (\(rows.count) rows), then the count \(ms(clock.now - t0 - window)) (\(found) matches)"
      )
    }
    Output.line("search backlog: \(try source.searchBacklog()) mentions not yet indexed")
  }

  /// Keys: moving at the top, jumps to the end and back, paging deep in the queue, a filter
  /// (typed into its prompt) and the same moves in it; each key until its frame is drawn.
  static func keys(_ app: InboxApp, pause longest: Duration) throws {
    let clock = ContinuousClock()
    let moves: [String] =
      Array(repeating: "j", count: 200) + Array(repeating: "k", count: 50) + ["<PgDn>", "<PgDn>", "g", "G"]
      + Array(repeating: "k", count: 60) + Array(repeating: "<PgUp>", count: 10) + ["G", "g"]
    let filtered: [String] =
      ["f"] + "complaint".map(String.init) + ["<Enter>"] + Array(repeating: "j", count: 50)
      + ["G"] + Array(repeating: "k", count: 40) + Array(repeating: "<PgUp>", count: 5) + ["g"]
    let counted: [String] = ["G"] + Array(repeating: "k", count: 10) + ["g", "<Esc>"]
    var keyTimes: [Duration] = []
    var slowest: (String, Duration) = ("", .zero)
    var atEnd = ""
    var over: [String] = []
    var cpuTimes: [Double] = []
    for (index, key) in (moves + filtered + counted).enumerated() {
      if index == moves.count || index == moves.count + filtered.count {
        // A responder's pause: the counts of the queue (then of the filtered one) settle.
        let pause = clock.now
        while clock.now - pause < longest {
          app.step(nil)
          if app.state.counts != nil && app.state.list.count > 300
            && clock.now - pause > min(.seconds(3), longest)
          {
            break
          }
          usleep(2000)
        }
      }
      let t = clock.now
      let cpu = threadCPU()
      app.step(Event(notation: key))
      cpuTimes.append(threadCPU() - cpu)
      let spent = clock.now - t
      keyTimes.append(spent)
      if spent > slowest.1 { slowest = ("\(key) #\(keyTimes.count)", spent) }
      if spent > .milliseconds(5) { over.append("\(key)#\(index + 1) \(ms(spent))") }
      if key == "G" { atEnd += " \(app.state.list.selected.map { $0 + 1 } ?? 0)/\(app.state.list.count)" }
    }
    Output.line("slowest key: \(slowest.0); G landed on row\(atEnd)")
    Output.line("keys over 5 ms: \(over.isEmpty ? "none" : over.joined(separator: ", "))")
    keyTimes.sort()
    func at(_ p: Int) -> String { ms(keyTimes[min(keyTimes.count - 1, keyTimes.count * p / 100)]) }
    Output.line(
      "key handling over \(keyTimes.count) keys: median \(at(50)), p95 \(at(95)), p99 \(at(99)), max \(ms(keyTimes.last!))"
    )
    cpuTimes.sort()
    func cpuAt(_ p: Int) -> String {
      String(format: "%.2f ms", cpuTimes[min(cpuTimes.count - 1, cpuTimes.count * p / 100)] * 1000)
    }
    Output.line(
      "the same keys in the UI thread's own CPU time (what a key costs, without waiting for a core): median \(cpuAt(50)), p95 \(cpuAt(95)), p99 \(cpuAt(99)), max \(cpuAt(100))"
    )
  }

  /// The parts of a key press: the detail of the selected mention, and the frame.
  static func parts(_ app: InboxApp, _ source: StoreSource) throws {
    let clock = ContinuousClock()
    var details: [Duration] = []
    for row in try source.window(QueueFilter(), offset: 0, limit: 60, now: Date()) {
      let t = clock.now
      _ = try source.detail(id: row.id, now: Date())
      details.append(clock.now - t)
    }
    details.sort()
    var frames: [Duration] = []
    for _ in 0..<30 {
      let t = clock.now
      _ = InboxRenderer.render(app.state, theme: .standard, keys: app.keys)
      frames.append(clock.now - t)
    }
    frames.sort()
    Output.line(
      "detail of a mention: median \(ms(details[details.count / 2])), max \(ms(details.last!)); rendering a frame: median \(ms(frames[frames.count / 2]))"
    )
  }

  /// The reply editor on the first mention: each key is one loop pass (handled, checked, drawn).
  static func editor(_ app: InboxApp) throws {
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
  }

  /// Live arrival: another writer stores a mention; how long until the queue shows it.
  static func liveArrival(_ app: InboxApp, other: any ReputeStore, policy: PolicyConfig) throws {
    let clock = ContinuousClock()
    let before = app.state.list.count
    // A text of its own each run: on a server store benchmarked in place the last run's arrival is
    // still there, and the same author's same text within the hour is folded into it as a repeat
    // (×2), which adds no row to the queue: the step then waited its 10 s for nothing.
    let tag = "\(getpid())-\(Int(Date().timeIntervalSince1970))"
    let incoming = IncomingMention(
      platform: "bench", externalID: "bench-\(tag)",
      author: Author(handle: "bench"), createdAt: Date(), text: "bench arrival \(tag)", raw: "{}")
    let t = clock.now
    _ = try other.ingest([incoming], actor: "bench", annotator: PolicyAnnotator(policy: policy))
    let written = clock.now
    var polls = 0
    while app.state.list.count == before && clock.now - written < .seconds(10) {
      app.step(nil)
      polls += 1
      usleep(1000)
    }
    Output.line(
      "live arrival: write \(ms(written - t)), seen after \(ms(clock.now - written)) of checks (\(polls) poll passes) + up to 100 ms input timeout"
    )
  }

  /// The escalation pane: the board on the inbox's thread, the figures on their own.
  static func pane(_ source: StoreSource, store: any ReputeStore, policy: PolicyConfig) throws {
    let clock = ContinuousClock()
    var t0 = clock.now
    let board = try source.board(now: Date())
    Output.line(
      "escalation pane board: \(ms(clock.now - t0)) (\(board.escalations.count) escalations, \(board.overdueTotal) overdue)"
    )
    t0 = clock.now
    let zone = policy.serviceHours?.timeZone ?? .current
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = zone
    let now = try ReputeClock.fromEnvironment().now()
    _ = try store.teamFigures(
      now: now, today: calendar.startOfDay(for: now), since: now.addingTimeInterval(-7 * 86_400))
    Output.line("team figures (background thread): \(ms(clock.now - t0))")
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
    /// The presenting thread's CPU time at each frame (ViewBench: a key until its first frame).
    var presentCPU: [Double] = []

    init(_ inner: MemoryTerminal) { self.inner = inner }

    var size: Size { inner.size }
    var colorDepth: ColorDepth { inner.colorDepth }

    func present(_ canvas: Canvas) {
      if firstPresent == nil { firstPresent = ContinuousClock().now }
      presentCPU.append(InboxBenchmark.threadCPU())
      inner.present(canvas)
    }

    func nextEvent(timeout: Duration) -> TerminalUI.Event? { inner.nextEvent(timeout: timeout) }
    func shutdown() { inner.shutdown() }
  }

  static func ms(_ d: Duration) -> String {
    let value = Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
    return String(format: "%.2f ms", value)
  }

  /// The calling thread's CPU time in seconds.
  static func threadCPU() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
  }

  static func rssMB() -> String {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
      let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
    else { return "?" }
    let kb = Double(line.split(separator: " ").dropFirst().first.map(String.init) ?? "0") ?? 0
    return String(format: "%.1f", kb / 1024)
  }
}

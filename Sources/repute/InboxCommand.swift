import ArgumentParser
import Desk
import Foundation
import Inbox
import InboxBackend
import InboxUI
import NcursesTerminal
import Policy
import ServerStore
import Store
import TerminalUI

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

  @Flag(help: "Open on the supervisor's escalation pane (E switches between it and the inbox).")
  var supervisor = false

  @Flag(help: "Also poll the live sources and deliver replies while the inbox is open (see repute watch).")
  var watch = false

  @OptionGroup var configOptions: ConfigOptions

  func run() throws {
    // A first run: an empty store made silently would open on an empty queue that says nothing
    // of how mentions get in. `--watch` brings them in itself, so it may create the store.
    if case .file(let path) = try options.address() {
      var info = stat()
      if !watch, lstat(path, &info) != 0, errno == ENOENT {
        throw fail(StoreOptions.firstRun(path), code: 1)
      }
    }
    let context = try guarded { try PolicyContext.open(options, create: true) }
    let language = uiLang ?? UILanguage.fromEnvironment()
    let allowed = try guarded { try InboxRunner.maySupervise(store: context.store, policy: context.policy) }
    if supervisor && !allowed {
      let login = (try? context.store.actingLogin()) ?? Identity.login()
      throw fail(
        "the escalation pane is for supervisors: on this shared store your login (\(login)) needs "
          + "role = \"supervisor\" in the policy's [[team]]")
    }
    // The title, claims and drafts carry the roster's name; someone not on it is refused.
    let actor = try guarded { try context.actor(options, acting: .person) }
    var poller: WatchLoop?
    if watch {
      let config = try configOptions.load()
      let clock = try guarded { try ReputeClock.fromEnvironment() }
      poller = WatchLoop(
        context: context, actor: actor, config: config, clock: clock, deliver: true, quiet: true)
    }
    try InboxRunner.run(
      store: context.store, policy: context.policy, actor: actor, themeName: theme, language: language,
      supervisor: supervisor, supervisorAllowed: allowed,
      whileRunning: poller.map { loop in { loop.startInBackground() } })
  }
}

/// Starts the inbox on the real terminal and always gives the terminal back.
enum InboxRunner {
  static func run(
    store: any ReputeStore, policy: PolicyConfig, actor: String, themeName: String?, language: UILanguage,
    label: String? = nil, supervisor: Bool = false, supervisorAllowed: Bool = true,
    whileRunning: (() -> Void)? = nil
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
    source.countsInBackground = true
    source.startIndexing()
    let app = InboxApp(
      terminal: terminal, source: source, theme: theme, strings: strings, actor: actor,
      storeLabel: label ?? store.location.brief(home: ProcessInfo.processInfo.environment["HOME"]),
      now: store.clock.now)
    // A commit elsewhere ends the wait for a key at once; the poll interval stays the fallback.
    // (`REPUTE_INBOX_WAKE=0` leaves it to the poll: a bench's seam, to compare the two.)
    let environment = ProcessInfo.processInfo.environment
    let signal = environment["REPUTE_INBOX_WAKE"] == "0" ? nil : changeSignal(store)
    if let signal { terminal.wake(on: signal.descriptor, drain: signal.drain) }
    app.mayHaveChanged = signal?.news
    app.storeReturned = signal?.renew
    // Other people's writes: at most four refreshes a second, a recount every two (issue 17).
    app.refreshInterval = 0.25
    app.countInterval = 2
    app.viewCountInterval = 5
    // Seams for tests and benches: a fallback poll so long that only the change signal can explain
    // a new mention showing (Tests/InboxE2ETests/WakeE2ETests.swift), another refresh interval.
    if let ms = environment["REPUTE_INBOX_POLL_MS"].flatMap(Int.init), ms > 0 {
      app.pollInterval = .milliseconds(ms)
    }
    if let ms = environment["REPUTE_INBOX_REFRESH_MS"].flatMap(Int.init), ms >= 0 {
      app.refreshInterval = Double(ms) / 1000
    }
    // On the team's server (issue 19): a call waits at most 5 s, so a cut link shows as
    // "reconnecting…" within that; a draft the server cannot take meanwhile goes to this machine.
    // The detail and the timed chores are read off the loop's thread (issue 18): on a slow link a
    // key does not wait a round trip, and a cut link shows within a second, not 5 s.
    if let connection = store as? any StoreConnection {
      connection.limitWaits(to: 5)
      app.readsInBackground = true
      // The views and the sources' health are a round trip each per commit elsewhere: every 2 s.
      app.sideReadInterval = 2
      app.localDrafts = LocalDrafts(folder: LocalDrafts.defaultFolder(), store: store.storeName)
    }
    app.configureSupervisor(source, allowed: supervisorAllowed, open: supervisor)
    app.personStore = store
    if let problem { app.report(problem: "\(problem.description) — \(strings[.themeFallback])") }
    app.externalEditor = ExternalEditor.edit
    app.linkOpener = SystemLinkOpener()
    whileRunning?()
    app.run()
  }

  /// On a private store anyone may open the escalation pane; on a shared one (a group's file, a
  /// server store) the roster's role of the login (the login role on a server) decides.
  static func maySupervise(store: any ReputeStore, policy: PolicyConfig) throws -> Bool {
    guard store.isShared else { return true }
    return try ActingPerson.member(on: store, roster: policy)?.role == .supervisor
  }

  /// What wakes the inbox on a commit elsewhere, by the kind of store: the file's WAL
  /// (`StoreChangeSignal`), or the server's notifications on a connection of their own
  /// (`ServerChangeSignal`); nil where there is none (the timer still finds every change).
  static func changeSignal(_ store: any ReputeStore) -> (
    descriptor: Int32, drain: () -> Void, news: (() -> StoreNews)?, renew: (() -> Void)?
  )? {
    switch store {
    case let file as SQLiteStore:
      return file.changeSignal().map { signal in (signal.descriptor, signal.drain, nil, nil) }
    case let server as ServerStore:
      // The server's: the change token is asked for only after a notification (or while the
      // signal is not listening), not on every pass of the loop.
      return (try? ServerChangeSignal(address: server.address)).map { signal in
        (signal.descriptor, signal.drain, { StoreNews(signal.takeNotice()) }, signal.renew)
      }
    default:
      return nil
    }
  }
}

import Desk
import Foundation
import Inbox
import InboxUI
import ServerStore
import TerminalUI

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `REPUTE_BENCH_NET=1 repute-dev inbox-bench --store URL --in-place`: the inbox's keys over a
/// slow link (issue 18, "the loop stays responsive while the network is slow"), set up as
/// `repute inbox` sets up a server store (a limit of 5 s per call, the server's change signal).
/// Put a delaying proxy between the bench and the server (`scripts/slow-link-proxy.py`) and run it
/// once per delay. With `REPUTE_BENCH_CUT` and `REPUTE_BENCH_RESTORE` (shell commands, e.g.
/// `ip -n NS link set VETH down` and `… up`) it also cuts the link while keys go on being typed,
/// then restores it.
///
/// Per key: the key's own pass (what the responder waits for before the next key is taken), and
/// the time until the selected mention's detail is on screen (the same pass when it is read on the
/// loop's thread).
enum NetBench {
  static func run(_ app: InboxApp, store: any ReputeStore) throws {
    if let connection = store as? any StoreConnection {
      connection.limitWaits(to: 5)
      app.readsInBackground = true
    }
    if let server = store as? ServerStore, let signal = try? ServerChangeSignal(address: server.address) {
      app.mayHaveChanged = { StoreNews(signal.takeNotice()) }
      app.storeReturned = signal.renew
    }
    settle(app)
    var moveKeys: [Duration] = []
    var moveShown: [Duration] = []
    for key in ["g"] + Array(repeating: "j", count: 40) + Array(repeating: "k", count: 20) {
      let (wall, shown) = press(app, key)
      moveKeys.append(wall)
      moveShown.append(shown)
    }
    Output.line("net: j/k over \(moveKeys.count) keys, the key's pass: \(InboxBenchmark.summary(&moveKeys))")
    Output.line("net: j/k, until the detail is on screen: \(InboxBenchmark.summary(&moveShown))")
    var typed: [Duration] = []
    var searched: [Duration] = []
    var searchShown: [Duration] = []
    for word in ["balie", "trein", "desk", "zzzz", "late"] {
      typed.append(press(app, "/").wall)
      for c in word { typed.append(press(app, String(c)).wall) }
      let (wall, shown) = press(app, "<Enter>")
      searched.append(wall)
      searchShown.append(shown)
      // The prompt opens with the search in force: emptied, the whole queue again.
      for key in ["/"] + Array(repeating: "<BS>", count: word.count) + ["<Enter>"] { _ = press(app, key) }
    }
    Output.line("net: `/` and typing the word, per key: \(InboxBenchmark.summary(&typed))")
    Output.line("net: the search's <Enter>, the key's pass: \(InboxBenchmark.summary(&searched))")
    Output.line(
      "net: the search's <Enter>, until the detail is on screen: \(InboxBenchmark.summary(&searchShown))")
    var opened: [Duration] = []
    var closed: [Duration] = []
    _ = press(app, "g")
    for _ in 0..<10 {
      _ = press(app, "j")
      opened.append(press(app, "r").wall)
      guard app.state.reply != nil else {
        throw InboxError.invalidArgument("the editor did not open: \(app.state.message?.text ?? "?")")
      }
      closed.append(press(app, "<Esc>").wall)
    }
    Output.line("net: `r` opening the reply editor: \(InboxBenchmark.summary(&opened))")
    Output.line("net: <Esc> closing it: \(InboxBenchmark.summary(&closed))")
    let environment = ProcessInfo.processInfo.environment
    if let cutting = environment["REPUTE_BENCH_CUT"], let restoring = environment["REPUTE_BENCH_RESTORE"] {
      try cut(app, cutting: cutting, restoring: restoring)
    }
  }

  /// A key, then passes until the selected mention's detail is the one shown (at most 10 s).
  static func press(_ app: InboxApp, _ key: String) -> (wall: Duration, shown: Duration) {
    let clock = ContinuousClock()
    let t = clock.now
    app.step(Event(notation: key))
    let wall = clock.now - t
    while app.state.selectedID != nil, app.state.detail?.row.id != app.state.selectedID,
      clock.now - t < .seconds(10)
    {
      usleep(500)
      app.step(nil)
    }
    return (wall, clock.now - t)
  }

  /// A few passes, so the counts and the first detail are in.
  static func settle(_ app: InboxApp) {
    for _ in 0..<50 {
      app.step(nil)
      usleep(2000)
    }
  }

  /// The link cut while `j` is typed every 100 ms: the longest pass (the screen stands still that
  /// long), when "reconnecting…" shows, then the link restored and when "reconnected" shows.
  static func cut(_ app: InboxApp, cutting: String, restoring: String) throws {
    let clock = ContinuousClock()
    settle(app)
    _ = press(app, "g")
    try shell(cutting)
    let cutAt = clock.now
    var longest: Duration = .zero
    var keys: [Duration] = []
    var reconnecting: Duration?
    var lastKey = clock.now
    while clock.now - cutAt < .seconds(8) {
      let t = clock.now
      if t - lastKey >= .milliseconds(100) {
        lastKey = t
        app.step(Event(notation: keys.count % 10 < 5 ? "j" : "k"))
        keys.append(clock.now - t)
      } else {
        app.step(nil)
      }
      longest = max(longest, clock.now - t)
      if reconnecting == nil, app.state.message?.text.contains("reconnecting") == true {
        reconnecting = clock.now - cutAt
      }
      usleep(5000)
    }
    Output.line(
      "net: the link cut: \"reconnecting…\" after \(reconnecting.map(InboxBenchmark.ms) ?? "never (8 s)"); the longest pass \(InboxBenchmark.ms(longest)); \(keys.count) keys typed meanwhile: \(InboxBenchmark.summary(&keys))"
    )
    try shell(restoring)
    let restored = clock.now
    var back: Duration?
    while clock.now - restored < .seconds(15) {
      app.step(nil)
      if let text = app.state.message?.text, text.contains("reconnected") {
        back = clock.now - restored
        break
      }
      usleep(5000)
    }
    Output.line(
      "net: the link restored: \"reconnected\" after \(back.map(InboxBenchmark.ms) ?? "never (15 s)")")
  }

  static func shell(_ command: String) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", command]
    try process.run()
    process.waitUntilExit()
  }
}

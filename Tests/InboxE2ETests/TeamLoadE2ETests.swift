import Foundation
import Testing

/// Issue 17 in small (the full scenario is `scripts/bench-team.sh`, and on the server
/// `scripts/bench-server-inbox.sh`): five inboxes open on one store while another process writes a
/// few times a second for 30 s (the issue's "Done when": 5 inboxes, 30 s). An open inbox works in
/// proportion to what changed on its screen, so its CPU under the writes stays within 5× its idle
/// CPU: on a file and on the team's server alike (issue 18), where each commit costs an inbox one
/// round trip (its look, `ChangeFeedStore.look`).
///
/// Skipped under faketime (`.ci/run` reruns this target so): CPU time against a faked clock
/// means nothing, and the inboxes' pacing follows the faked clock.
/// True when the test runs under libfaketime.
private let underFaketime: Bool = {
  let environment = ProcessInfo.processInfo.environment
  return environment["FAKETIME"] != nil || (environment["LD_PRELOAD"] ?? "").contains("faketime")
}()

@Suite(
  "five inboxes while others write", .serialized,
  .enabled(if: TmuxSession.isAvailable, "tmux is not installed"),
  .enabled(if: !underFaketime, "CPU time is not measured under faketime"))
struct TeamLoadE2ETests {
  static let inboxes = 5
  /// The quiet phase, and the phase under writes: the issue's 30 s on a file. Safe to halve on the
  /// server: issue 17's 30 s are proven on the file, and the limit is a rate (CPU per second against
  /// 5x idle), the same in 15 s of writes (some 45 commits here; never fewer than ten) as in 30.
  static func seconds(_ kind: E2EKind) -> (idle: Double, load: Double) {
    kind == .sqlite ? (10, 30) : (5, 15)
  }

  @Test("an inbox's CPU while others write stays within 5x its idle CPU", arguments: E2EStores.kinds)
  func openInboxesCostLittleWhileOthersWrite(kind: E2EKind) throws {
    let store = try E2EStore.filled(kind, "team-e2e", lines: Self.lines(0..<2000))
    defer { store.drop() }
    let folder = store.folder

    var sessions: [TmuxSession] = []
    defer { sessions.forEach { $0.kill() } }
    for _ in 0..<Self.inboxes {
      let session = try store.inbox(as: "Anna")
      sessions.append(session)
      try session.waitFor("@pendel")
    }
    let pids = try sessions.map { try Self.inboxPID(of: $0) }
    Thread.sleep(forTimeInterval: 1)  // the first counts and the search index settle

    let idle = try Self.cpu(of: pids, over: Self.seconds(kind).idle) {}
    var next = 2000
    // On a loaded machine a debug ingest may take a second or more: the writing goes on past
    // the phase's length until ten commits were made (at most 60 s), so it always has writes in it.
    let busy = try Self.cpu(of: pids, over: Self.seconds(kind).load, until: { next >= 2030 }) {
      // One small ingest at a time, a few a second: each commit reaches every inbox.
      let batch = folder.appendingPathComponent("batch.jsonl")
      try Self.lines(next..<(next + 3)).map { $0 + "\n" }.joined().write(
        to: batch, atomically: true, encoding: .utf8)
      next += 3
      _ = try store.run(["ingest", batch.path])
      Thread.sleep(forTimeInterval: 0.1)
    }
    #expect(next >= 2030, "the writer wrote too little to measure anything: \(next - 2000) mentions")
    // One tick of 10 ms over the quiet phase is 0.1 % of a core (0.2 % over the server's 5 s): the idle
    // figure is taken as at least 0.5 %, so the check measures the inbox, not the tick.
    let floor = 0.5
    let figures = zip(idle, busy).map { String(format: "%.2f/%.2f", $0, $1) }.joined(separator: " ")
    print(
      "five inboxes on \(kind.testDescription), % of a core idle/under \((next - 2000) / 3) writes: \(figures)"
    )
    for (index, (quiet, load)) in zip(idle, busy).enumerated() {
      #expect(
        load <= 5 * max(quiet, floor),
        "inbox \(index + 1): \(String(format: "%.2f", load)) % of a core under writes, idle \(String(format: "%.2f", quiet)) %"
      )
    }
  }

  /// The stream's mentions: complaints on Mastodon, all at the pinned moment.
  static func lines(_ range: Range<Int>) -> [String] {
    range.map { k in
      #"{"platform":"mastodon","id":"team-\#(k)","author":{"handle":"pendel\#(k % 400)"},"created_at":"2026-11-24T11:58:00Z","lang":"nl","text":"Mijn trein is weer vertraagd en niemand bij de balie weet iets (\#(k))"}"#
    }
  }

  /// The `repute inbox` process in a session's pane (the pane's shell runs it as its child).
  static func inboxPID(of session: TmuxSession) throws -> Int32 {
    let shell = try session.display("#{pane_pid}").trimmingCharacters(in: .whitespacesAndNewlines)
    for _ in 0..<50 {
      let children =
        (try? String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)) ?? ""
      for child in children.split(separator: " ") {
        let command = (try? String(contentsOfFile: "/proc/\(child)/cmdline", encoding: .utf8)) ?? ""
        if command.contains("inbox"), let pid = Int32(child) { return pid }
      }
      Thread.sleep(forTimeInterval: 0.1)
    }
    throw TmuxSession.Failure(description: "no repute inbox under pane \(shell)")
  }

  /// Each process's CPU (user + system) in % of a core over `seconds`, while `work` runs in a loop.
  /// With `until`, the phase goes on past `seconds` until it holds (at most 60 s).
  static func cpu(
    of pids: [Int32], over seconds: Double, until done: () -> Bool = { true }, while work: () throws -> Void
  ) throws -> [Double] {
    let before = try pids.map(ticks)
    let start = Date()
    repeat {
      try work()
      Thread.sleep(forTimeInterval: 0.05)
    } while Date().timeIntervalSince(start) < seconds || (!done() && Date().timeIntervalSince(start) < 60)
    let after = try pids.map(ticks)
    let elapsed = Date().timeIntervalSince(start)
    let hz = Double(sysconf(Int32(_SC_CLK_TCK)))
    return zip(before, after).map { 100 * Double($1 - $0) / hz / elapsed }
  }

  /// utime + stime of a process, in clock ticks (fields 14 and 15 of /proc/PID/stat).
  static func ticks(_ pid: Int32) throws -> Int {
    let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
    // The command name (field 2) may hold spaces: count from after its closing parenthesis.
    guard let close = stat.lastIndex(of: ")") else { return 0 }
    let fields = stat[stat.index(after: close)...].split(separator: " ")
    return (Int(fields[11]) ?? 0) + (Int(fields[12]) ?? 0)
  }
}

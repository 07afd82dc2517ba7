import Foundation
import Testing

/// The inbox on the team's PostgreSQL store in tmux (issue 18): "two inboxes in two processes on
/// one PostgreSQL database see each other's claims and arrivals within a second" (aim 300 ms).
/// The other tmux suites run their cases on both stores (`E2EStores.kinds`).
@Suite(
  "the inbox live on a PostgreSQL store, in tmux", .serialized,
  .enabled(if: TmuxSession.isAvailable, "tmux is not installed"))
struct ServerInboxE2ETests {
  /// Says so, as skipped, when this run leaves the tmux suites' server cases out.
  @Test(
    "the tmux suites' PostgreSQL cases run (REPUTE_TEST_PG_URL)",
    .enabled(if: E2EStores.wantsServer, Comment(rawValue: E2EStores.howTo)))
  func theServerCasesRun() throws {
    try E2EStores.roles.get()
  }

  /// Polls `session` every 20 ms (finer than `waitFor`) until `condition` holds; the time it took.
  func delay(
    _ what: String, in session: TmuxSession, from start: ContinuousClock.Instant,
    _ condition: (String) -> Bool
  ) throws -> Duration {
    try session.waitFor(what, poll: 20_000, condition)
    return ContinuousClock.now - start
  }

  func milliseconds(_ d: Duration) -> Int {
    Int(d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000)
  }

  @Test(
    "two inboxes in two processes on one server store see each other's claims and an arrival within 1 s",
    arguments: E2EStores.servers)
  func twoInboxesSeeEachOther(kind: E2EKind) throws {
    let store = try E2EStore.seeded(kind, "two-e2e")
    defer { store.drop() }
    let anna = try store.inbox(as: "Anna", width: 100)
    defer { anna.kill() }
    let bram = try store.inbox(as: "Bram", width: 100)
    defer { bram.kill() }
    for session in [anna, bram] { try session.waitFor("@sanne@") }
    // Both inboxes have settled on their first screens (the counts in).
    Thread.sleep(forTimeInterval: 0.5)
    var delays: [(String, Duration)] = []

    // Anna claims the first row (Sanne's complaint): Bram's inbox shows her name on it.
    // The clock starts when the claim shows in the claimant's own inbox: it is committed then.
    func claimed(_ handle: String, by name: String) -> (String) -> Bool {
      { screen in screen.split(separator: "\n").contains { $0.contains(handle) && $0.contains(name) } }
    }
    try anna.sendKeys("c")
    try anna.waitFor("Anna's claim in her inbox", poll: 20_000, claimed("@sanne@", by: "Anna"))
    var start = ContinuousClock.now
    delays.append(
      (
        "Anna's claim in Bram's inbox",
        try delay("Anna's claim in Bram's inbox", in: bram, from: start, claimed("@sanne@", by: "Anna"))
      ))

    // Bram claims his second row: Anna's inbox shows his name on it.
    try bram.sendKeys("j")
    let moved = try bram.waitFor("Bram's selection on his second row") { screen in
      screen.split(separator: "\n").dropFirst(2).prefix(2).last?.hasPrefix("▸") == true
    }
    let handle = try #require(SelectionE2ETests.selectedAuthor(moved))
    try bram.sendKeys("c")
    try bram.waitFor("Bram's claim in his inbox", poll: 20_000, claimed(handle, by: "Bram"))
    start = ContinuousClock.now
    delays.append(
      (
        "Bram's claim in Anna's inbox",
        try delay(
          "Bram's claim on \(handle) in Anna's inbox", in: anna, from: start, claimed(handle, by: "Bram"))
      ))

    // A new mention stored by a third process: both inboxes show it.
    let at = ReputeBinary.pinnedNow
    let line =
      #"{"platform":"mastodon","id":"two-1","created_at":"\#(at)","text":"Mijn trein staat al een uur stil bij Utrecht, wat is er aan de hand?","lang":"nl","author":{"handle":"stilstand@mastodon.nl","name":"Stil"}}"#
    let file = store.folder.appendingPathComponent("arrival.jsonl")
    try (line + "\n").write(to: file, atomically: true, encoding: .utf8)
    let ingest = try store.run(["ingest", file.path])
    #expect(ingest.status == 0, "\(ingest.text)")
    start = ContinuousClock.now
    var seen: [String: Duration] = [:]
    let deadline = start + .seconds(10)
    while seen.count < 2 && ContinuousClock.now < deadline {
      for (name, session) in [("Anna", anna), ("Bram", bram)] where seen[name] == nil {
        if try session.capture().contains("@stilstand") { seen[name] = ContinuousClock.now - start }
      }
      usleep(20_000)
    }
    for name in ["Anna", "Bram"] {
      let waited = try #require(seen[name], "the arrival never showed in \(name)'s inbox")
      delays.append(("the arrival in \(name)'s inbox", waited))
    }
    for (what, waited) in delays {
      print("two inboxes on PostgreSQL: \(what) after \(milliseconds(waited)) ms")
      #expect(waited < .seconds(1), "\(what) took \(milliseconds(waited)) ms")
    }
  }
}

import Foundation
import Inbox
import InboxUI
import Policy
import Store
import TerminalUI

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The person view at a million mentions (issue 16): an author with 1,000 posts, a note on every
/// tenth, opened with `p` from the queue, scrolled through its pages (`j`, `PgDn`, `G`) and left.
/// Each key is timed until its frame is drawn, on the wall clock and in the thread's CPU time.
enum PersonBench {
  static let posts = 1000

  static func run(_ app: InboxApp, store: any ReputeStore, other: any ReputeStore, policy: PolicyConfig)
    throws
  {
    let clock = ContinuousClock()
    let now = Date()
    let tag = "\(getpid())-\(Int(now.timeIntervalSince1970))"
    // One post an hour back from now, each text its own (nothing folds), on the bench's platform.
    let batch = (0..<posts).map { i in
      IncomingMention(
        platform: "bench", externalID: "bench-person-\(tag)-\(i)", author: Author(handle: "bench-person"),
        createdAt: now.addingTimeInterval(-Double(i) * 3600),
        text: "bench person post \(i): de trein van \(i % 24):12 was weer te laat", raw: "{}")
    }
    let t = clock.now
    _ = try other.ingest(batch, actor: "bench", annotator: PolicyAnnotator(policy: policy))
    for i in stride(from: 0, to: posts, by: 10) {
      if let id = try other.mentionID(platform: "bench", externalID: "bench-person-\(tag)-\(i)") {
        try other.addNote(mentionID: id, text: "bench note \(i)", actor: "bench")
      }
    }
    Output.line(
      "person bench: \(posts) posts and \(posts / 10) notes written in \(InboxBenchmark.ms(clock.now - t))")
    app.personStore = store
    // The bench's platform only, then the first row: one of the person's posts.
    for key in ["f"] + "@bench".map(String.init) + ["<Enter>", "g"] { app.step(Event(notation: key)) }
    for _ in 0..<200 where app.state.selectedRow?.mention.author.handle != "bench-person" {
      app.step(Event(notation: "j"))
    }
    guard app.state.selectedRow?.mention.author.handle == "bench-person" else {
      throw InboxError.notFound("person bench: no post of bench-person in the queue")
    }
    let keys =
      ["p"] + Array(repeating: "j", count: 300) + Array(repeating: "<PgDn>", count: 20) + ["G", "g"]
      + Array(repeating: "k", count: 20) + ["<Esc>"]
    var wall: [Duration] = []
    var cpu: [Duration] = []
    var opened = Duration.zero
    var lines = 0
    for key in keys {
      let started = clock.now
      let startedCPU = InboxBenchmark.threadCPUTime()
      app.step(Event(notation: key))
      wall.append(clock.now - started)
      cpu.append(InboxBenchmark.threadCPUTime() - startedCPU)
      if key == "p" {
        opened = wall[0]
        guard app.state.person.active, app.state.person.summary?.posts == posts else {
          throw InboxError.notFound("person bench: p did not open the person's timeline")
        }
      }
      lines = max(lines, app.state.person.items.count)
    }
    Output.line(
      "person view, \(posts) posts: p opened in \(InboxBenchmark.ms(opened)); \(lines) lines loaded by the end"
    )
    Output.line("  keys in the person view over \(keys.count) keys: \(InboxBenchmark.summary(&wall))")
    Output.line("  the same, CPU time of the thread: \(InboxBenchmark.summary(&cpu))")
    // The queue without the filter again.
    app.step(Event(notation: "<Esc>"))
  }
}

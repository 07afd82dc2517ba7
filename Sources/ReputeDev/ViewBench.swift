import Desk
import Foundation
import Inbox
import InboxBackend
import InboxUI
import TerminalUI

/// Switching saved views (issue 16) in `repute-dev inbox-bench`: what each view's count costs the
/// counting thread, and each view key until the frame that shows the view's rows (its first
/// window is read on the key, before the key's one frame; the counts follow from the counting
/// thread).
enum ViewBench {
  static func run(
    _ app: InboxApp, _ source: StoreSource, terminal: InboxBenchmark.TimingTerminal, pause longest: Duration
  ) throws {
    let clock = ContinuousClock()
    let views = app.state.views
    guard !views.isEmpty else {
      Output.line("views: none on this store")
      return
    }
    for view in views {
      guard let filter = view.filter else { continue }
      let t = clock.now
      let n = try source.count(filter, now: Date())
      Output.line(
        "view \(view.saved.position) \(view.saved.name) (\(view.saved.filter)): \(n) mentions, counted in \(InboxBenchmark.ms(clock.now - t)) on the counting thread"
      )
    }
    // Each view in turn, then `0` back to all open, ten times over; a short pause between rounds
    // lets the counting thread finish, as a responder reading the queue would.
    var wall: [Duration] = []
    var cpu: [Double] = []
    var byKey: [String: [Double]] = [:]
    var toFrame: [Double] = []
    for _ in 0..<10 {
      for key in views.map({ "\($0.saved.position)" }) + ["0"] {
        terminal.presentCPU = []
        let c = InboxBenchmark.threadCPU()
        let t = clock.now
        app.step(Event(notation: key))
        // The view has opened when its rows are on screen: the key's first frame shows them.
        toFrame.append((terminal.presentCPU.first ?? InboxBenchmark.threadCPU()) - c)
        wall.append(clock.now - t)
        cpu.append(InboxBenchmark.threadCPU() - c)
        byKey[key, default: []].append(cpu.last!)
      }
      let pause = clock.now
      while clock.now - pause < min(longest, .milliseconds(500)) {
        app.step(nil)
        usleep(2000)
      }
    }
    Output.line("switching views over \(wall.count) keys: \(InboxBenchmark.summary(&wall))")
    cpu.sort()
    func at(_ p: Int) -> String {
      String(format: "%.2f ms", cpu[min(cpu.count - 1, cpu.count * p / 100)] * 1000)
    }
    Output.line(
      "  the same (the key, the view's window and its frame, the whole pass), CPU time of the UI thread: median \(at(50)), p95 \(at(95)), p99 \(at(99)), max \(at(100))"
    )
    toFrame.sort()
    func frameAt(_ p: Int) -> String {
      String(format: "%.2f ms", toFrame[min(toFrame.count - 1, toFrame.count * p / 100)] * 1000)
    }
    Output.line(
      "  a view key until the frame that shows the view's rows, CPU time: median \(frameAt(50)), p95 \(frameAt(95)), p99 \(frameAt(99)), max \(frameAt(100))"
    )
    // Which view costs what: each key's median and worst UI-thread CPU time.
    let each = byKey.keys.sorted().map { key -> String in
      let times = byKey[key]!.sorted()
      return String(format: "%@ %.2f/%.2f ms", key, times[times.count / 2] * 1000, times.last! * 1000)
    }
    Output.line("  per key, median/max CPU: \(each.joined(separator: ", "))")
    try parts(app, source)
    try windows(source)
  }

  /// The first window of each filter a view can hold that is narrowed to a few rows of a million
  /// (`escalated`, `watched`: not a default view, so no key reads it above), as the UI thread
  /// reads it on a view key: CPU time of 20 reads each.
  static func windows(_ source: StoreSource) throws {
    for words in ["escalated", "watched"] {
      let filter = FilterWords.parse(words, me: "bench", timeZone: .gmt).filter
      var cpu: [Double] = []
      var rows = 0
      for _ in 0..<20 {
        let c = InboxBenchmark.threadCPU()
        rows = try source.window(filter, offset: 0, limit: 40, now: Date()).count
        cpu.append(InboxBenchmark.threadCPU() - c)
      }
      cpu.sort()
      Output.line(
        String(
          format: "window of %@ (%d rows), CPU time: median %.2f ms, max %.2f ms", words, rows,
          cpu[cpu.count / 2] * 1000, cpu.last! * 1000))
    }
  }
}

import Desk
import Foundation
import Inbox
import InboxBackend
import InboxUI
import TerminalUI

/// Where a view key's first window goes (issue 16): each default view's first window read in its
/// parts, as the UI thread reads them after the key, CPU time of the thread, 20 reads each.
extension ViewBench {
  static func parts(_ app: InboxApp, _ source: StoreSource) throws {
    let height = max(1, app.state.layout.queueListHeight)
    let filters =
      [("all open", QueueFilter())]
      + app.state.views.compactMap { view in
        view.filter.map { ("\(view.saved.position) \(view.saved.name)", $0) }
      }
    for (name, filter) in filters {
      var rowsCPU: [Double] = []
      var windowCPU: [Double] = []
      var detailCPU: [Double] = []
      var count = 0
      for _ in 0..<20 {
        var c = InboxBenchmark.threadCPU()
        let entries = try source.store.queue(filter, limit: height * 3, offset: 0, now: Date())
        rowsCPU.append(InboxBenchmark.threadCPU() - c)
        c = InboxBenchmark.threadCPU()
        let rows = try source.window(filter, offset: 0, limit: height * 3, now: Date())
        windowCPU.append(InboxBenchmark.threadCPU() - c)
        count = entries.count
        c = InboxBenchmark.threadCPU()
        if let first = rows.first { _ = try source.detail(id: first.id, now: Date()) }
        detailCPU.append(InboxBenchmark.threadCPU() - c)
      }
      func median(_ times: [Double]) -> String {
        String(format: "%.2f ms", times.sorted()[times.count / 2] * 1000)
      }
      Output.line(
        "  first window of \(name) (\(count) rows), CPU median: the rows \(median(rowsCPU)), with who drafts \(median(windowCPU)), the first row's detail \(median(detailCPU))"
      )
    }
  }
}

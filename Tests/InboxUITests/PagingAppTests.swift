import Foundation
import Inbox
import InboxBackend
import InboxUI
import Policy
import Store
import TerminalUI
import Testing

/// The app deep in a long queue: rows found by key (next to the loaded ones, from the end, from
/// the first row shown) are the rows at those positions, and counting off the UI thread arrives.
@Suite("The inbox in a long queue")
struct PagingAppTests {
  /// 1,500 mentions of every kind (past the depth from which reloads go by key).
  func longSource() throws -> (StoreSource, SQLiteStore) {
    let texts = sampleMentions.map(\.text)
    let batch = (0..<1500).map { i in
      mention(
        "deep-\(i)", "user\(i % 40)", minutesAgo: Double(5 + (i * 7) % 600), texts[i % texts.count],
        platform: i % 3 == 0 ? "x" : "mastodon")
    }
    return try seededSource(batch)
  }

  /// The row at the selected position, by position from the store.
  func rowAtSelection(_ app: InboxApp, _ store: SQLiteStore, _ filter: QueueFilter = QueueFilter()) throws
    -> Int64?
  {
    let index = try #require(app.state.list.selected)
    return try store.queue(filter, limit: 1, offset: index, now: fixedNow).first?.mention.id
  }

  @Test("G, then up by rows and pages, shows the rows at those positions")
  func endAndBack() throws {
    let (source, store) = try longSource()
    let (app, terminal) = makeApp(source)
    app.start()
    let count = app.state.list.count
    #expect(count == 1500)
    app.play(terminal, ["G"])
    #expect(app.state.list.selected == count - 1)
    #expect(app.state.selectedID != nil)
    #expect(app.state.selectedID == (try rowAtSelection(app, store)))
    for script in [
      Array(repeating: "k", count: 45), ["<PgUp>", "<PgUp>", "<PgUp>"], ["j", "j"], ["<PgDn>"],
    ] {
      app.play(terminal, script)
      #expect(app.state.selectedID == (try rowAtSelection(app, store)), "after \(script)")
    }
    // Every row on screen is the row at its position.
    let visible = app.state.list.visibleRange(height: app.state.layout.queueListHeight)
    let expected = try store.queue(
      QueueFilter(), limit: visible.count, offset: visible.lowerBound, now: fixedNow)
    #expect(visible.map { app.state.row(at: $0)?.id } == expected.map(\.mention.id))
    app.play(terminal, ["g"])
    #expect(app.state.list.selected == 0)
    #expect(app.state.selectedID == (try rowAtSelection(app, store)))
  }

  @Test("with a filter, G and paging stay on the filtered queue's rows")
  func filtered() throws {
    let (source, store) = try longSource()
    let (app, terminal) = makeApp(source)
    app.start()
    app.play(terminal, ["f", "x", "<Enter>"])
    let query = QueueFilter(platforms: ["x"])
    #expect(app.state.list.count == 500)
    app.play(terminal, ["G", "k", "k", "<PgUp>"])
    #expect(app.state.selectedID == (try rowAtSelection(app, store, query)))
    #expect(app.state.selectedRow?.mention.platform == "x")
  }

  @Test("deep in the queue, another process's arrival keeps the selection on the same mention")
  func deepReload() throws {
    let (source, store) = try longSource()
    let (app, terminal) = makeApp(source)
    app.start()
    app.play(terminal, Array(repeating: "<PgDn>", count: 50))
    let selected = try #require(app.state.list.selected)
    #expect(selected > 1000)
    let reading = app.state.selectedID
    let other = try SQLiteStore(path: store.path, mode: .existing, clock: .fixed(fixedNow))
    _ = try other.ingest(
      [mention("late", "late", minutesAgo: 1, "Waar blijft mijn trein?")], actor: "ingest",
      annotator: PolicyAnnotator(policy: source.policy))
    app.step(nil)
    #expect(app.state.list.count == 1501)
    #expect(app.state.selectedID == reading)
    #expect(app.state.selectedRow?.id == reading)
  }

  @Test("counted off the UI thread: the first frames come first, the counts follow")
  func backgroundCounts() throws {
    let (source, _) = try longSource()
    source.countsInBackground = true
    let (app, terminal) = makeApp(source)
    app.start()
    // Until the count comes, the queue is as long as the loaded rows prove.
    let deadline = Date().addingTimeInterval(10)
    while app.state.list.count != 1500 && Date() < deadline {
      app.step(nil)
      Thread.sleep(forTimeInterval: 0.01)
    }
    #expect(app.state.list.count == 1500)
    #expect(app.state.counts?.byStatus[.open] ?? 0 > 0)
    #expect(terminal.screenText()[0].contains("open"))
    // G right after a new filter, before its count: the key returns at once, and the selection
    // goes to the end when the count comes.
    app.play(terminal, ["f", "x", "<Enter>", "G"])
    #expect(app.state.selectedRow?.mention.platform == "x")
    let counted = Date().addingTimeInterval(10)
    while app.state.list.count != 500 && Date() < counted {
      app.step(nil)
      Thread.sleep(forTimeInterval: 0.01)
    }
    #expect(app.state.list.count == 500)
    #expect(app.state.list.selected == 499)
    #expect(app.state.selectedRow?.mention.platform == "x")
  }
}

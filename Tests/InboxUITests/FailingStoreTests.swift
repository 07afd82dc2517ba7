import Desk
import Foundation
import Inbox
import InboxBackend
import InboxUI
import Policy
import Store
import TerminalUI
import Testing

/// A store that fails on demand: every read throws while `failing` is set, with a message that
/// carries a control character and runs long, as a driver's message might.
final class FailingSource: CheckedSource {
  var failing = false
  struct Failure: Error, CustomStringConvertible {
    var description: String {
      "disk I/O error\u{1B}[31m while reading page 4711 of the queue index, "
        + String(repeating: "and more detail ", count: 20)
    }
  }

  override func check() throws { if failing { throw Failure() } }
}

@Suite("A failing store reaches the person, and the inbox keeps running")
struct FailingStoreTests {
  func app(_ source: FailingSource, language: UILanguage = .en) -> (InboxApp, MemoryTerminal) {
    let terminal = MemoryTerminal(
      size: Size(width: 120, height: 30), events: Event.script([]), eventWhenExhausted: nil)
    let app = InboxApp(
      terminal: terminal, source: source, theme: .standard, strings: Strings(language), actor: "Anna",
      storeLabel: "test.sqlite", now: { fixedNow })
    return (app, terminal)
  }

  @Test("a store that fails from the start says so on the status line, not as an empty queue")
  func failingFromTheStart() throws {
    let (inner, _) = try seededSource()
    let source = FailingSource(inner)
    source.failing = true
    let (app, terminal) = app(source)
    app.start()
    let message = try #require(app.state.message)
    #expect(message.isError)
    #expect(message.text.hasPrefix("Could not "))
    #expect(message.text.contains("disk I/O error"))
    // Sanitised and short: no escape reaches the terminal, and the long reason is cut.
    #expect(!message.text.unicodeScalars.contains { $0.value == 0x1B })
    #expect(message.text.count < 140 && message.text.hasSuffix("…"))
    #expect(terminal.screenText().joined(separator: "\n").contains("disk I/O error"))
  }

  @Test("a store that fails later: the message shows, the loop goes on with what it has")
  func failingLater() throws {
    let (inner, _) = try seededSource()
    let source = FailingSource(inner)
    let (app, terminal) = app(source)
    app.start()
    #expect(app.state.message == nil)
    #expect(app.state.rows.count == 6)
    let selected = app.state.selectedID
    source.failing = true
    #expect(app.step(nil))  // the loop goes on
    // What failed last in the pass is named: the snoozes, looked at after the changes.
    let message = try #require(app.state.message)
    #expect(message.isError && message.text.hasPrefix("Could not wake snoozed mentions: disk I/O error"))
    #expect(terminal.screenText().joined(separator: "\n").contains("Could not wake snoozed mentions"))
    // A key still works on what is loaded: the queue is not emptied by the failure.
    app.play(terminal, ["j"])
    #expect(app.state.message?.isError == true)
    #expect(app.state.rows.count == 6)
    #expect(app.state.selectedID != selected)
    source.failing = false
    app.play(terminal, ["k"])
    #expect(app.state.message == nil)
    #expect(app.state.selectedID == selected)
  }

  @Test("in Dutch the status line says it in Dutch")
  func dutch() throws {
    let (inner, _) = try seededSource(language: .nl)
    let source = FailingSource(inner)
    source.failing = true
    let (app, _) = app(source, language: .nl)
    app.start()
    #expect(app.state.message?.text.hasPrefix("Kon ") == true)
  }
}

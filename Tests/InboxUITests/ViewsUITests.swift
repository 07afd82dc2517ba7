import Desk
import Foundation
import Inbox
import InboxBackend
import Policy
import Store
import TerminalUI
import Testing

@testable import InboxUI

/// The views in the inbox (issue 16): `1`–`9` open one, `0` or the same key again goes back to all
/// open mentions, the status line lists them with their counts and marks the open one.
@Suite("Views in the inbox")
struct ViewsUITests {
  /// The everyday state with the default views counted, the second open.
  static func state(_ size: Size, _ language: UILanguage, open: Int? = 2) -> InboxState {
    var s = PaneSnapshotTests.state(size, language: language)
    s.views = PolicyView.defaults.map { view in
      let saved = SavedView(name: view.name, filter: view.filter, position: view.position)
      return InboxView(
        saved: saved, filter: FilterWords.parse(view.filter, me: "Anna", timeZone: .gmt).filter)
    }
    for (n, view) in zip([3, 12, 1], s.views) { s.viewCounts[view.filter!] = n }
    if let open, let view = s.views.first(where: { $0.saved.position == open }) {
      s.filter = view.filter!
      s.activeView = open
    }
    return s
  }

  @Test(
    "the status line lists the views with their counts at 60×16 and 80×24, in both languages",
    arguments: [Size(width: 60, height: 16), Size(width: 80, height: 24)], [UILanguage.en, .nl])
  func statusLine(size: Size, language: UILanguage) {
    let state = Self.state(size, language)
    let canvas = InboxRenderer.render(state, theme: .standard)
    let shown = canvas.textLines()[0]
    #expect(shown.contains("[2 Klachten NL 12]") || shown.contains("[Klachten NL]"), "\(shown)")
    // Never a cut word: every word shown is a word of a segment's form.
    let words = Set(
      StatusLine.segments(state).flatMap(\.forms).flatMap { $0.split(separator: " ").map(String.init) } + [
        "·"
      ])
    let clock = Format.clock(state.now, timeZone: state.timeZone)
    for word in shown.dropLast(clock.count).split(separator: " ") {
      #expect(words.contains(String(word)), "'\(word)' is cut in '\(shown)'")
    }
    assertSnapshot(canvas, named: "status-views-\(size.width)x\(size.height)-\(language.rawValue)")
  }

  @Test("at every width from 60 to 140 no word is cut and the open view stays")
  func everyWidth() {
    for width in 60...140 {
      let state = Self.state(Size(width: width, height: 24), .nl)
      let shown = InboxRenderer.render(state, theme: .standard).textLines()[0]
      #expect(
        shown.contains("[2 Klachten NL") || shown.contains("[Klachten NL]") || shown.contains("[2]"),
        "\(width): \(shown)")
    }
  }

  @Test("keys: 2 opens the view, 2 again or 0 goes back to all open, a free position says so")
  func keys() {
    var s = Self.state(Size(width: 80, height: 24), .en, open: nil)
    s.filter = QueueFilter()
    let keys = InboxKeys.table(s.strings)
    #expect(s.handle(.key(KeyChord(notation: "2")!), keys: keys) == [.view(.open)])
    #expect(s.openView?.saved.name == "Klachten NL")
    #expect(s.filter.categories == [.complaint])
    #expect(s.handle(.key(KeyChord(notation: "2")!), keys: keys) == [.view(.open)])
    #expect(s.filter.isEmpty)
    #expect(s.openView == nil)
    _ = s.handle(.key(KeyChord(notation: "1")!), keys: keys)
    #expect(s.filter.claimants == ["Anna"])
    _ = s.handle(.key(KeyChord(notation: "0")!), keys: keys)
    #expect(s.filter.isEmpty)
    #expect(s.handle(.key(KeyChord(notation: "7")!), keys: keys).isEmpty)
    #expect(s.message?.isError == true)
    // In the category picker the digits stay the picker's.
    s.mode = .pickCategory
    s.pendingTargets = [1]
    #expect(
      s.handle(.key(KeyChord(notation: "2")!), keys: keys) == [.perform(.recategorise(.question), ids: [1])])
  }

  @Test("S saves the filter as a view with mine, not the person's name")
  func saveText() {
    var s = Self.state(Size(width: 80, height: 24), .en, open: nil)
    s.filter = FilterWords.parse("mine complaint", me: "Anna", timeZone: .gmt).filter
    let keys = InboxKeys.table(s.strings)
    _ = s.handle(.key(KeyChord(notation: "S")!), keys: keys)
    #expect(s.mode == .prompt(.saveView))
    for c in "Mijn klachten" { _ = s.handle(.key(.char(c)), keys: keys) }
    let effects = s.handle(.key(KeyChord(.enter)), keys: keys)
    #expect(effects == [.view(.save(name: "Mijn klachten", filter: "mine complaint"))])
  }

  @Test("in the app: a view saved is kept in the store, opened by its key and counted")
  func app() throws {
    let (source, store) = try seededSource()
    let (app, terminal) = makeApp(source, size: Size(width: 140, height: 30))
    app.start()
    #expect(app.state.views.count == 3)
    app.play(terminal, ["f", "x", "<Enter>", "S", "A", "n", "g", "r", "y", "<Enter>"])
    #expect(try store.savedViews().map(\.name) == ["Angry"])
    #expect(try store.savedViews().first?.filter == "x")
    #expect(app.state.openView?.saved.position == 4)
    #expect(app.state.rows.map(\.mention.platform) == ["x"])
    app.play(terminal, ["4"])
    #expect(app.state.filter.isEmpty)
    app.play(terminal, ["4"])
    #expect(app.state.rows.count == 1)
    #expect(app.state.viewCounts[QueueFilter(platforms: ["x"])] == 1)
    let shown = terminal.screenText()[0]
    #expect(shown.contains("[4 Angry 1]"), "\(shown)")
    // Rename and delete the open view.
    app.play(terminal, ["R", "<BS>", "<BS>", "<BS>", "<BS>", "<BS>", "B", "o", "o", "s", "<Enter>"])
    #expect(try store.savedViews().map(\.name) == ["Boos"])
    app.play(terminal, ["D", "<Enter>"])
    #expect(try store.savedViews().isEmpty)
  }

  @Test("a view key draws one frame, with the view's own rows under its name")
  func oneFrame() throws {
    let (source, _) = try seededSource()
    let (app, terminal) = makeApp(source, size: Size(width: 140, height: 30))
    app.start()
    app.play(terminal, ["f", "x", "<Enter>", "S", "A", "n", "g", "r", "y", "<Enter>", "0"])
    #expect(terminal.screenText().contains { $0.contains("@sanne") })
    let frames = terminal.presentCount
    app.play(terminal, ["4"])
    // Its window is read on the key: no frame shows the last view's rows under the new name.
    #expect(terminal.presentCount == frames + 1)
    let screen = terminal.screenText()
    #expect(screen[0].contains("4 Angry"), "\(screen[0])")
    #expect(screen.contains { $0.contains("@angry") })
    for other in ["@sanne", "@pieter", "@tom", "@lotte", "@jager"] {
      #expect(!screen.contains { $0.contains(other) }, "\(other) under the view Angry")
    }
  }
}

import Testing

@testable import TerminalUI

@Suite("List and text views")
struct WidgetTests {
  @Test("moving past the view scrolls just enough to keep the selection visible")
  func scrollFollowsSelection() {
    var list = ListViewState(count: 100)
    list.move(by: 4, height: 5)
    #expect(list.selected == 4 && list.offset == 0)
    list.move(by: 1, height: 5)
    #expect(list.selected == 5 && list.offset == 1)
    list.move(by: -3, height: 5)
    #expect(list.selected == 2 && list.offset == 1)
    list.move(by: -10, height: 5)
    #expect(list.selected == 0 && list.offset == 0)
    #expect(list.visibleRange(height: 5) == 0..<5)
  }

  @Test("page down and up move by a page less one line and stop at the ends")
  func paging() {
    var list = ListViewState(count: 20)
    list.pageDown(height: 5)
    #expect(list.selected == 4 && list.offset == 4)
    list.pageDown(height: 5)
    #expect(list.selected == 8 && list.offset == 8)
    list.end(height: 5)
    #expect(list.selected == 19 && list.offset == 15)
    list.pageDown(height: 5)
    #expect(list.selected == 19 && list.offset == 15)
    list.pageUp(height: 5)
    #expect(list.selected == 15 && list.offset == 11)
    list.home(height: 5)
    #expect(list.selected == 0 && list.offset == 0)
  }

  @Test("the wheel scrolls the view and drags the selection along")
  func wheel() {
    var list = ListViewState(count: 50)
    list.scroll(by: 3, height: 10)
    #expect(list.offset == 3 && list.selected == 3)
    list.scroll(by: 100, height: 10)
    #expect(list.offset == 40 && list.selected == 40)
    list.scroll(by: -1, height: 10)
    #expect(list.offset == 39 && list.selected == 40)
    #expect(list.row(atLine: 2, height: 10) == 41)
    #expect(list.row(atLine: 10, height: 10) == nil)
  }

  @Test("a shrinking list or view keeps the selection valid and visible")
  func shrink() {
    var list = ListViewState(count: 30)
    list.select(25, height: 10)
    list.setCount(10, height: 10)
    #expect(list.selected == 9 && list.offset == 0)
    list.setCount(0, height: 10)
    #expect(list.selected == nil)
    list.setCount(5, height: 10)
    #expect(list.selected == 0)
    var tall = ListViewState(count: 30)
    tall.select(20, height: 30)
    tall.scrollToSelection(height: 4)
    #expect(tall.visibleRange(height: 4).contains(20))
  }

  @Test("a list renders its visible rows with the selection highlighted")
  func renderList() {
    var list = ListViewState(count: 10)
    list.select(3, height: 3)
    var canvas = Canvas(width: 8, height: 4)
    let highlight = Style(attributes: .reverse)
    ListView.render(
      list, into: &canvas, rect: Rect(row: 1, column: 0, width: 8, height: 3), selectedStyle: highlight
    ) {
      index, line, selected, canvas in
      canvas.put("row \(index)", at: line.origin, style: selected ? highlight : .plain)
    }
    #expect(canvas.textLines() == ["", "row 1", "row 2", "row 3"])
    #expect(canvas[3, 7].style == highlight)
    #expect(canvas[2, 0].style == .plain)
  }

  @Test("a text view wraps, scrolls and stops at the end")
  func textView() {
    var view = TextView(text: "one two three four five six")
    let size = Size(width: 9, height: 2)
    #expect(view.lines(width: 9) == ["one two", "three", "four five", "six"])
    view.scroll(by: 1, in: size)
    var canvas = Canvas(size: size)
    view.render(into: &canvas, rect: canvas.bounds)
    #expect(canvas.textLines() == ["three", "four five"])
    view.scroll(by: 10, in: size)
    #expect(view.offset == 2)
    view.page(-1, in: size)
    #expect(view.offset == 1)
  }
}

@Suite("MemoryTerminal")
struct MemoryTerminalTests {
  /// A tiny app loop: the same shape the inbox uses, driven by the memory terminal.
  func run(_ terminal: MemoryTerminal) -> [String] {
    var list = ListViewState(count: 50)
    var log: [String] = []
    func draw() {
      var canvas = Canvas(size: terminal.size)
      let rows = canvas.bounds.splitRows([.fill, .fixed(1)])
      ListView.render(list, into: &canvas, rect: rows[0]) { index, line, _, canvas in
        canvas.put("item \(index) 漢", at: line.origin)
      }
      canvas.put("sel \(list.selected ?? -1)", at: rows[1].origin)
      terminal.present(canvas)
    }
    draw()
    loop: while let event = terminal.nextEvent(timeout: .milliseconds(100)) {
      let height = terminal.size.height - 1
      switch event {
      case .key(.char("j")): list.move(by: 1, height: height)
      case .key(.char("q")): break loop
      case .key(let chord) where chord.key == .pageDown: list.pageDown(height: height)
      case .mouse(let mouse) where mouse.action == .wheelDown: list.scroll(by: 3, height: height)
      case .resize: list.scrollToSelection(height: height)
      case .terminated: log.append("terminated"); break loop
      default: log.append("ignored \(event)")
      }
      draw()
    }
    terminal.shutdown()
    return log
  }

  @Test("a key script drives the loop and the last frame is readable as text")
  func script() {
    let terminal = MemoryTerminal(
      size: Size(width: 20, height: 4), script: ["j", "j", "j", "<PgDn>", "q", "j"])
    #expect(run(terminal).isEmpty)
    #expect(terminal.screenText() == ["item 3 漢", "item 4 漢", "item 5 漢", "sel 5"])
    #expect(terminal.isShutDown)
    #expect(terminal.pending == [.key(.char("j"))])
    #expect(terminal.presentCount == 5)
  }

  @Test("a resize in the script changes the size the next frame is drawn at")
  func resize() {
    let terminal = MemoryTerminal(
      size: Size(width: 20, height: 6), script: ["<WheelDown@0,0>", "<Resize@12x3>"])
    #expect(run(terminal) == ["terminated"])
    #expect(terminal.size == Size(width: 12, height: 3))
    #expect(terminal.screenText() == ["item 3 漢", "item 4 漢", "sel 3"])
  }
}

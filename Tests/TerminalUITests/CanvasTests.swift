import Testing

@testable import TerminalUI

@Suite("Canvas")
struct CanvasTests {
  @Test("text is written cell by cell and read back with trailing spaces trimmed")
  func putAndRead() {
    var canvas = Canvas(width: 10, height: 2)
    let written = canvas.put("hello", row: 0, column: 2)
    #expect(written == 5)
    #expect(canvas.textLines() == ["  hello", ""])
    #expect(canvas[0, 2].grapheme == "h")
  }

  @Test("a wide character takes two cells: the cluster, then a continuation")
  func wide() {
    var canvas = Canvas(width: 6, height: 1)
    canvas.put("漢😀a", row: 0, column: 0)
    #expect(canvas[0, 0].grapheme == "漢")
    #expect(canvas[0, 0].width == 2)
    #expect(canvas[0, 1].isContinuation)
    #expect(canvas[0, 2].grapheme == "😀")
    #expect(canvas[0, 4].grapheme == "a")
    #expect(canvas.text == "漢😀a")
  }

  @Test("ZWJ sequences, flags and combining marks stay one cell")
  func clusters() {
    var canvas = Canvas(width: 8, height: 1)
    canvas.put("👩‍👩‍👧🇳🇱e\u{301}", row: 0, column: 0)
    #expect(canvas[0, 0].grapheme == "👩‍👩‍👧")
    #expect(canvas[0, 2].grapheme == "🇳🇱")
    #expect(canvas[0, 4].grapheme == "e\u{301}")
    #expect(canvas[0, 4].width == 1)
    #expect(canvas.text == "👩‍👩‍👧🇳🇱e\u{301}")
  }

  @Test("a wide character that does not fit at the right edge leaves a blank")
  func wideAtEdge() {
    var canvas = Canvas(width: 5, height: 1)
    canvas.put("abcd漢", row: 0, column: 0)
    #expect(canvas.textLines() == ["abcd"])
    #expect(canvas[0, 4].grapheme == " ")
  }

  @Test("clipping to a width stops before a wide character that would cross it")
  func clipWidth() {
    var canvas = Canvas(width: 10, height: 1)
    let style = Style(attributes: .bold)
    let written = canvas.put("ab漢字", row: 0, column: 1, style: style, maxWidth: 5)
    #expect(written == 5)
    #expect(canvas.textLines() == [" ab漢"])
    #expect(canvas[0, 5].grapheme == " ")
    #expect(canvas[0, 5].style == style)
    #expect(canvas[0, 6].style == .plain)
  }

  @Test("writing outside the canvas does nothing")
  func outside() {
    var canvas = Canvas(width: 3, height: 1)
    #expect(canvas.put("x", row: 1, column: 0) == 0)
    #expect(canvas.put("x", row: -1, column: 0) == 0)
    #expect(canvas.put("x", row: 0, column: 3) == 0)
    #expect(canvas.text == "")
  }

  @Test("overwriting half of a wide character blanks the other half")
  func overwriteHalf() {
    var canvas = Canvas(width: 4, height: 1)
    canvas.put("漢字", row: 0, column: 0)
    canvas.put("x", row: 0, column: 1)
    #expect(canvas.textLines() == [" x字"])
    canvas.put("y", row: 0, column: 2)
    #expect(canvas.textLines() == [" xy"])
    #expect(canvas[0, 3].grapheme == " ")
    #expect(!canvas[0, 3].isContinuation)
  }

  @Test("no cell can hold a control character")
  func noControls() {
    var canvas = Canvas(width: 20, height: 1)
    canvas.put("a\u{1B}]0;title\u{7}\u{9B}\u{202E}\r\n", row: 0, column: 0)
    #expect(canvas.text == "a␛]0;title␇\u{FFFD}\u{FFFD}␍␊")
    for column in 0..<canvas.width {
      for scalar in canvas[0, column].grapheme.unicodeScalars {
        #expect(!ControlCharacters.isUnsafe(scalar))
      }
    }
    canvas[0, 0] = Cell("\u{1B}")
    #expect(canvas[0, 0].grapheme == "␛")
  }

  @Test("fill and patchStyle change styles, not text")
  func styles() {
    var canvas = Canvas(width: 4, height: 2)
    canvas.put("ab", row: 1, column: 0)
    canvas.patchStyle(Rect(row: 1, column: 0, width: 4, height: 1), with: Style(bg: .ansi(4)))
    #expect(canvas[1, 0].style.bg == .ansi(4))
    #expect(canvas.textLines() == ["", "ab"])
    canvas.fill(Rect(row: 0, column: 0, width: 2, height: 2), style: Style(fg: .ansi(1)))
    #expect(canvas.textLines() == ["", ""])
    #expect(canvas[1, 1].style.fg == .ansi(1))
  }

  @Test("a small screen as a snapshot")
  func snapshot() {
    var canvas = Canvas(width: 16, height: 4)
    let rows = canvas.bounds.splitRows([.fixed(1), .fill, .fixed(1)])
    canvas.put("Queue 漢字", at: rows[0].origin, style: Style(attributes: .bold))
    canvas.put("😀 praise, thanks for everything", at: rows[1].origin, maxWidth: rows[1].width)
    canvas.put(TextWidth.truncate("question: where is my order?", to: 16), at: rows[1].line(1).origin)
    canvas.put("q quit", at: rows[2].origin, style: Style(attributes: .reverse))
    #expect(
      canvas.text == """
        Queue 漢字
        😀 praise, thank
        question: where…
        q quit
        """)
    #expect(canvas[3, 0].style.attributes == .reverse)
  }
}

@Suite("Layout")
struct LayoutTests {
  @Test(
    "split sizes",
    arguments: [
      ([LayoutConstraint.fixed(1), .fill, .fixed(1)], 24, [1, 22, 1]),
      ([.fraction(0.4), .fill], 80, [32, 48]),
      ([.fill, .fill, .fill], 10, [4, 3, 3]),
      ([.min(30), .fill], 40, [35, 5]),
      ([.fixed(50), .min(30)], 60, [50, 10]),
      ([.fixed(10), .fixed(10)], 15, [10, 5]),
      ([.fill], 0, [0]),
    ])
  func sizes(constraints: [LayoutConstraint], total: Int, expected: [Int]) {
    #expect(LayoutConstraint.sizes(constraints, total: total) == expected)
  }

  @Test("splitting a rectangle into columns and rows")
  func splits() {
    let screen = Rect(row: 0, column: 0, width: 100, height: 30)
    let columns = screen.splitColumns([.fraction(0.5), .fill])
    #expect(columns[1] == Rect(row: 0, column: 50, width: 50, height: 30))
    let rows = columns[1].splitRows([.fixed(1), .fill])
    #expect(rows[1] == Rect(row: 1, column: 50, width: 50, height: 29))
    #expect(screen.inset(by: 1) == Rect(row: 1, column: 1, width: 98, height: 28))
    #expect(
      screen.intersection(Rect(row: 25, column: 90, width: 20, height: 20)).size == Size(width: 10, height: 5)
    )
  }
}

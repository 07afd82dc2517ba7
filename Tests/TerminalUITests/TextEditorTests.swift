import Testing

@testable import TerminalUI

@Suite("The text editor model")
struct TextEditorTests {
  @Test("the cursor moves over whole clusters: accents, emoji with modifiers, flags, CJK")
  func graphemes() {
    var e = TextEditor(text: "e\u{301}👍🏽🇳🇱漢")
    #expect(e.characters.count == 4)
    #expect(e.cursor == 4)
    e.moveLeft()
    #expect(e.cursorPosition(width: 40) == (0, 5))  // é 1 + 👍🏽 2 + 🇳🇱 2
    e.deleteBackward()
    #expect(e.text == "e\u{301}👍🏽漢")
    e.moveToStart()
    e.moveRight()
    #expect(e.cursorPosition(width: 40) == (0, 1))
    e.deleteForward()
    #expect(e.text == "e\u{301}漢")
  }

  @Test("a combining mark typed after its letter joins it")
  func combiningMarkJoins() {
    var e = TextEditor(text: "cafe")
    e.insert("\u{301}")
    #expect(e.text == "cafe\u{301}")
    #expect(e.characters.count == 4)
    #expect(e.cursor == 4)
    e.insert("!")
    #expect(e.cursor == 5)
  }

  @Test("soft wrap breaks at spaces, splits only words longer than a line, keeps newlines")
  func wrapping() {
    let e = TextEditor(text: "Dank je wel voor je bericht\n\nSuperlangwoordzonderspaties")
    let lines = e.layout(width: 10).map(\.text)
    #expect(lines == ["Dank je ", "wel voor ", "je bericht", "", "Superlangw", "oordzonder", "spaties"])
  }

  @Test("wide clusters count two columns when wrapping")
  func wrappingWide() {
    let e = TextEditor(text: "漢字漢字漢 ok")
    #expect(e.layout(width: 4).map(\.text) == ["漢字", "漢字", "漢 ", "ok"])
  }

  @Test("at a soft wrap the cursor shows at the start of the next line; up and down keep the column")
  func cursorRows() {
    var e = TextEditor(text: "Dank je wel voor je bericht")
    #expect(e.cursorPosition(width: 10) == (2, 10))
    e.moveUp(width: 10)
    #expect(e.cursorPosition(width: 10) == (1, 8))
    e.moveUp(width: 10)
    #expect(e.cursorPosition(width: 10) == (0, 7))
    e.moveUp(width: 10)
    #expect(e.cursor == 0)
    e.moveDown(width: 10)
    #expect(e.cursorPosition(width: 10) == (1, 0))
    e.moveToVisualLineEnd(width: 10)
    // The end of a soft-wrapped line: just before the hanging space, still on that line.
    #expect(e.cursorPosition(width: 10).row == 1)
    e.moveToEnd()
    e.moveToVisualLineStart(width: 10)
    #expect(e.cursorPosition(width: 10) == (2, 0))
  }

  @Test("word motions and Ctrl-W / Alt-D")
  func words() {
    var e = TextEditor(text: "Hoi Sanne, sorry!")
    e.moveWordLeft()
    #expect(e.cursor == 11)
    e.moveWordLeft()
    #expect(e.cursor == 4)
    e.moveWordRight()
    #expect(e.cursor == 9)
    e.moveToEnd()
    e.deleteWordBackward()
    #expect(e.text == "Hoi Sanne, ")
    e.deleteWordBackward()
    #expect(e.text == "Hoi ")
    e.moveToStart()
    e.deleteWordForward()
    #expect(e.text == " ")
  }

  @Test("Ctrl-A, Ctrl-E, Ctrl-K, Ctrl-U work on the line the cursor is on")
  func lineKills() {
    var e = TextEditor(text: "eerste regel\ntweede regel")
    e.moveToLineStart()
    #expect(e.cursor == 13)
    e.killToLineEnd()
    #expect(e.text == "eerste regel\n")
    e.moveLeft()
    e.killToLineEnd()  // at the end of a line: joins the next
    #expect(e.text == "eerste regel")
    e.moveWordLeft()
    e.killToLineStart()
    #expect(e.text == "regel")
    e.moveToLineEnd()
    #expect(e.cursor == 5)
  }

  @Test("undo goes back a word at a time, redo forward, a new edit clears redo")
  func undoRedo() {
    var e = TextEditor()
    for c in "Dank je wel" { e.insert(String(c)) }
    let undone = e.undo()
    #expect(undone)
    #expect(e.text == "Dank je ")
    e.undo()
    #expect(e.text == "Dank je")
    e.undo()
    #expect(e.text == "Dank ")
    let redone = e.redo()
    #expect(redone)
    #expect(e.text == "Dank je")
    e.insert("!")
    #expect(!e.canRedo)
    while e.undo() {}
    #expect(e.text == "")
  }

  @Test("a run of backspaces is one undo step; a kill is its own")
  func undoDeletes() {
    var e = TextEditor(text: "Hallo daar")
    e.deleteBackward()
    e.deleteBackward()
    e.killToLineStart()
    #expect(e.text == "")
    e.undo()
    #expect(e.text == "Hallo da")
    e.undo()
    #expect(e.text == "Hallo daar")
  }

  @Test("a bracketed paste is inserted as text and undone in one step, CR and tabs made plain")
  func paste() {
    var e = TextEditor(text: "Zie: ")
    e.beginPaste()
    for piece in ["https://", "spoorlijn.example/tarieven", "\r", "\t", "regel 2"] { e.insert(piece) }
    e.endPaste()
    #expect(e.text == "Zie: https://spoorlijn.example/tarieven\n regel 2")
    #expect(e.isPasting == false)
    e.undo()
    #expect(e.text == "Zie: ")
  }

  @Test("setText replaces everything and can be undone")
  func setText() {
    var e = TextEditor(text: "mine")
    e.setText("Hoi {name}, sorry!")
    #expect(e.cursor == e.characters.count)
    e.undo()
    #expect(e.text == "mine")
  }
}

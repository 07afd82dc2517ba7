import Testing

@testable import TerminalUI

@Suite("Keys and key maps")
struct KeyTests {
  @Test(
    "notation parses",
    arguments: [
      ("j", KeyChord(.character("j"))),
      ("G", KeyChord(.character("G"))),
      ("<", KeyChord(.character("<"))),
      ("<lt>", KeyChord(.character("<"))),
      ("<Enter>", KeyChord(.enter)),
      ("<CR>", KeyChord(.enter)),
      ("<Esc>", KeyChord(.escape)),
      ("<C-x>", KeyChord(.character("x"), modifiers: .ctrl)),
      ("<C-X>", KeyChord(.character("x"), modifiers: .ctrl)),
      ("<M-j>", KeyChord(.character("j"), modifiers: .alt)),
      ("<S-Tab>", KeyChord(.backTab)),
      ("<Up>", KeyChord(.up)),
      ("<S-Up>", KeyChord(.up, modifiers: .shift)),
      ("<PgDn>", KeyChord(.pageDown)),
      ("<PageUp>", KeyChord(.pageUp)),
      ("<F5>", KeyChord(.function(5))),
      ("<Space>", KeyChord(.character(" "))),
      ("<BS>", KeyChord(.backspace)),
      ("<Del>", KeyChord(.delete)),
      ("é", KeyChord(.character("é"))),
    ])
  func parse(notation: String, expected: KeyChord) {
    #expect(KeyChord(notation: notation) == expected)
  }

  @Test("bad notation is rejected", arguments: ["<>", "<Nope>", "<Q-x>", "jk", "<F99>"])
  func badNotation(notation: String) {
    #expect(KeyChord(notation: notation) == nil)
  }

  @Test(
    "notation round-trips",
    arguments: ["j", "<Enter>", "<C-x>", "<M-q>", "<S-Tab>", "<F12>", "<Space>", "<lt>", "<PgUp>"])
  func roundTrip(notation: String) throws {
    #expect(try #require(KeyChord(notation: notation)).notation == notation)
  }

  @Test("labels for the help screen")
  func labels() {
    #expect(KeyChord(.up).label == "↑")
    #expect(KeyChord.ctrl("x").label == "Ctrl-X")
    #expect(KeyChord.char(" ").label == "Space")
    #expect(KeyChord(.pageDown).label == "PgDn")
  }

  @Test("a script expands notations and typed text")
  func script() {
    let events = Event.script(["j", "<Enter>", "Hi!", "<PasteBegin>", "<WheelDown@3,4>", "<Resize@70x20>"])
    #expect(
      events == [
        .key(.char("j")), .key(KeyChord(.enter)), .key(.char("H")), .key(.char("i")), .key(.char("!")),
        .pasteBegin, .mouse(MouseEvent(.wheelDown, at: Position(row: 3, column: 4))),
        .resize(Size(width: 70, height: 20)),
      ])
  }

  enum Command: Hashable, Sendable, CaseIterable {
    case down, up, open, quit, help, send, cancel
  }

  func queueTable() throws -> KeyMap<Command> {
    var map = KeyMap<Command>(title: "Queue")
    try map.bind(["j", "<Down>"], to: .down, "move down")
    try map.bind(["k", "<Up>"], to: .up, "move up")
    try map.bind(["<Enter>"], to: .open, "open the detail pane")
    return map
  }

  @Test("lookup finds the command for each chord")
  func lookup() throws {
    let map = try queueTable()
    #expect(map.command(for: .char("j")) == .down)
    #expect(map.command(for: KeyChord(.up)) == .up)
    #expect(map.command(for: .char("x")) == nil)
    #expect(map.chords(for: .down) == [.char("j"), KeyChord(.down)])
  }

  @Test("binding a chord twice is an error")
  func duplicate() throws {
    var map = try queueTable()
    #expect(throws: KeyMap<Command>.Error.duplicate(.char("j"), title: "Queue")) {
      try map.bind(.char("j"), to: .quit, "quit")
    }
    #expect(throws: KeyMap<Command>.Error.badNotation("<Nope>")) {
      try map.bind(["<Nope>"], to: .quit, "quit")
    }
  }

  @Test("the help listing is generated from the table, keys aligned")
  func help() throws {
    #expect(
      try queueTable().helpLines() == [
        "Queue",
        "  j, ↓   move down",
        "  k, ↑   move up",
        "  Enter  open the detail pane",
      ])
  }

  @Test("modes: own bindings first, global underneath, text modes without global keys")
  func modal() throws {
    var global = KeyMap<Command>(title: "Global")
    try global.bind(["q"], to: .quit, "quit")
    try global.bind(["?"], to: .help, "help")
    var editor = KeyMap<Command>(title: "Editor")
    try editor.bind(["<C-x>"], to: .send, "send")
    try editor.bind(["<Esc>"], to: .cancel, "cancel")
    let keys = ModalKeyMap(
      global: global, modes: ["queue": try queueTable(), "editor": editor], textInputModes: ["editor"])
    #expect(keys.command(for: .char("j"), in: "queue") == .down)
    #expect(keys.command(for: .char("q"), in: "queue") == .quit)
    #expect(keys.command(for: .char("q"), in: "editor") == nil)
    #expect(keys.command(for: .ctrl("x"), in: "editor") == .send)
    #expect(keys.shadowingConflicts().isEmpty)
    #expect(keys.unboundCommands(Command.allCases).isEmpty)

    var shadowing = try queueTable()
    try shadowing.bind(["q"], to: .cancel, "cancel")
    let broken = ModalKeyMap(global: global, modes: ["queue": shadowing])
    #expect(broken.shadowingConflicts() == ["queue": [.char("q")]])
    #expect(
      ModalKeyMap<String, Command>(global: global).unboundCommands(Command.allCases) == [
        .down, .up, .open, .send, .cancel,
      ])
  }
}

/// The model of a multi-line text editor: grapheme clusters, soft wrap, undo and redo, word
/// motions and the readline kills. Pure data; a pane draws it and a reducer feeds it keys.
///
/// The text is kept as grapheme clusters (`Character`s), so the cursor never lands inside an
/// accent, an emoji sequence or a flag. Every edit goes through `replace`, which re-segments
/// around the change: a combining mark typed after a letter joins it, as it does on screen.
public struct TextEditor: Hashable, Sendable {
  /// The text, one element per grapheme cluster.
  public private(set) var characters: [Character]
  /// Where the cursor is: before `characters[cursor]`, or at the end (`characters.count`).
  public private(set) var cursor: Int
  /// The column up and down aim for, kept while moving through shorter lines.
  private var goalColumn: Int?
  private var undoStack: [Snapshot] = []
  private var redoStack: [Snapshot] = []
  /// What the last edit was, so a run of typing or deleting is undone as one step.
  private var lastEdit: EditKind?
  /// True between `beginPaste` and `endPaste`: the paste is one undo step.
  public private(set) var isPasting = false

  /// How many steps `undo` can go back.
  public static let undoLimit = 500

  private struct Snapshot: Hashable, Sendable {
    var characters: [Character]
    var cursor: Int
  }

  private enum EditKind: Hashable, Sendable {
    case typing, deletingBackward, deletingForward, other
  }

  /// An editor holding `text`, the cursor at its end.
  public init(text: String = "") {
    characters = Array(text)
    cursor = characters.count
  }

  /// The whole text.
  public var text: String { String(characters) }

  /// True when there is nothing to undo.
  public var canUndo: Bool { !undoStack.isEmpty }
  /// True when an undone step can be redone.
  public var canRedo: Bool { !redoStack.isEmpty }

  // MARK: Editing

  /// Replaces the whole text as one undoable step, the cursor at the end.
  public mutating func setText(_ text: String) {
    record(.other)
    characters = Array(text)
    cursor = characters.count
    goalColumn = nil
  }

  /// Inserts `text` at the cursor (typed, or pasted between `beginPaste` and `endPaste`).
  /// Carriage returns become newlines and tabs a space, so the text stays plain.
  public mutating func insert(_ text: String) {
    guard !text.isEmpty else { return }
    var clean = ""
    for c in text {
      switch c {
      case "\r\n", "\r": clean.append("\n")
      case "\t": clean.append(" ")
      default: clean.append(c)
      }
    }
    // A word typed is one undo step; a space or a newline ends it.
    let endsWord = clean.count == 1 && (clean.first!.isWhitespace)
    record(endsWord ? .other : .typing)
    replace(cursor..<cursor, with: clean)
    if endsWord { lastEdit = .other }
  }

  /// Backspace: deletes the cluster before the cursor.
  public mutating func deleteBackward() {
    guard cursor > 0 else { return }
    record(.deletingBackward)
    replace((cursor - 1)..<cursor, with: "")
  }

  /// Delete: deletes the cluster after the cursor.
  public mutating func deleteForward() {
    guard cursor < characters.count else { return }
    record(.deletingForward)
    replace(cursor..<(cursor + 1), with: "")
  }

  /// Ctrl-W: deletes back to the start of the word before the cursor (spaces first, as readline).
  public mutating func deleteWordBackward() {
    let start = wordStart(before: cursor, spaceDelimited: true)
    guard start < cursor else { return }
    record(.other)
    replace(start..<cursor, with: "")
  }

  /// Alt-D: deletes forward to the end of the next word.
  public mutating func deleteWordForward() {
    let end = wordEnd(after: cursor)
    guard end > cursor else { return }
    record(.other)
    replace(cursor..<end, with: "")
  }

  /// Ctrl-K: deletes to the end of the line; at the end of a line, joins the next one.
  public mutating func killToLineEnd() {
    let end = logicalLineEnd(cursor)
    let range = end == cursor ? cursor..<min(characters.count, cursor + 1) : cursor..<end
    guard !range.isEmpty else { return }
    record(.other)
    replace(range, with: "")
  }

  /// Ctrl-U: deletes from the start of the line to the cursor.
  public mutating func killToLineStart() {
    let start = logicalLineStart(cursor)
    guard start < cursor else { return }
    record(.other)
    replace(start..<cursor, with: "")
  }

  /// Starts a bracketed paste: what is inserted until `endPaste` is undone in one step.
  public mutating func beginPaste() {
    record(.other)
    isPasting = true
  }

  /// Ends a bracketed paste.
  public mutating func endPaste() {
    isPasting = false
    lastEdit = .other
  }

  /// Goes back one step; returns false when there was nothing to undo.
  @discardableResult
  public mutating func undo() -> Bool {
    guard let last = undoStack.popLast() else { return false }
    redoStack.append(Snapshot(characters: characters, cursor: cursor))
    restore(last)
    return true
  }

  /// Redoes the step `undo` went back; returns false when there was nothing to redo.
  @discardableResult
  public mutating func redo() -> Bool {
    guard let next = redoStack.popLast() else { return false }
    undoStack.append(Snapshot(characters: characters, cursor: cursor))
    restore(next)
    return true
  }

  private mutating func restore(_ snapshot: Snapshot) {
    characters = snapshot.characters
    cursor = min(snapshot.cursor, characters.count)
    lastEdit = nil
    goalColumn = nil
  }

  /// Saves the state before an edit, unless the edit continues the last one (a word being typed,
  /// a run of backspaces, or anything inside a paste).
  private mutating func record(_ kind: EditKind) {
    goalColumn = nil
    if isPasting { return }
    if kind != .other, kind == lastEdit { return }
    undoStack.append(Snapshot(characters: characters, cursor: cursor))
    if undoStack.count > Self.undoLimit { undoStack.removeFirst(undoStack.count - Self.undoLimit) }
    redoStack.removeAll()
    lastEdit = kind
  }

  /// Replaces `range` with `text` and puts the cursor after it, re-segmenting the clusters next
  /// to the change (an accent typed after its letter joins it).
  private mutating func replace(_ range: Range<Int>, with text: String) {
    let before = String(characters[..<range.lowerBound])
    let after = String(characters[range.upperBound...])
    let head = before + text
    characters = Array(head + after)
    // When the first cluster of `after` merged into the head's last, the cursor goes after it.
    cursor = min(characters.count, head.count)
  }

  // MARK: Motion

  public mutating func moveLeft() { move(to: cursor - 1) }
  public mutating func moveRight() { move(to: cursor + 1) }

  /// Ctrl-A: the start of the line the cursor is on.
  public mutating func moveToLineStart() { move(to: logicalLineStart(cursor)) }
  /// Ctrl-E: the end of the line the cursor is on.
  public mutating func moveToLineEnd() { move(to: logicalLineEnd(cursor)) }
  /// The start of the text.
  public mutating func moveToStart() { move(to: 0) }
  /// The end of the text.
  public mutating func moveToEnd() { move(to: characters.count) }

  /// Alt-B / Ctrl-Left: the start of the word before the cursor.
  public mutating func moveWordLeft() { move(to: wordStart(before: cursor, spaceDelimited: false)) }
  /// Alt-F / Ctrl-Right: the end of the word after the cursor.
  public mutating func moveWordRight() { move(to: wordEnd(after: cursor)) }

  /// Home: the start of the screen line (soft-wrapped at `width`).
  public mutating func moveToVisualLineStart(width: Int) {
    let lines = layout(width: width)
    move(to: lines[cursorRow(in: lines)].start)
  }

  /// End: the end of the screen line (soft-wrapped at `width`).
  public mutating func moveToVisualLineEnd(width: Int) {
    let lines = layout(width: width)
    let row = cursorRow(in: lines)
    let line = lines[row]
    // A soft-wrapped line's end is where the next one starts: stop before its hanging space.
    let wraps = row + 1 < lines.count && lines[row + 1].start == line.end && line.end > line.start
    move(to: wraps ? line.end - 1 : line.end)
  }

  /// Up: the same column one screen line up, or the start of the text on the first line.
  public mutating func moveUp(width: Int) { moveVertically(by: -1, width: width) }
  /// Down: the same column one screen line down, or the end of the text on the last line.
  public mutating func moveDown(width: Int) { moveVertically(by: 1, width: width) }

  private mutating func moveVertically(by delta: Int, width: Int) {
    let lines = layout(width: width)
    let row = cursorRow(in: lines)
    let column = goalColumn ?? self.column(of: cursor, in: lines[row])
    let target = row + delta
    guard target >= 0 else {
      move(to: 0)
      return
    }
    guard target < lines.count else {
      move(to: characters.count)
      return
    }
    let line = lines[target]
    var index = line.start
    var used = 0
    while index < line.end {
      let w = TextWidth.width(of: characters[index])
      if used + w > column { break }
      used += w
      index += 1
    }
    // On a soft-wrapped line, its end is the next line's start: stay on this line.
    if index == line.end, target + 1 < lines.count, lines[target + 1].start == line.end, line.end > line.start
    {
      index = line.end - 1
    }
    cursor = index
    goalColumn = column
  }

  private mutating func move(to index: Int) {
    cursor = min(max(0, index), characters.count)
    goalColumn = nil
    lastEdit = nil
  }

  private func isWordCharacter(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }

  private func wordStart(before index: Int, spaceDelimited: Bool) -> Int {
    var i = index
    if spaceDelimited {
      while i > 0, characters[i - 1].isWhitespace { i -= 1 }
      while i > 0, !characters[i - 1].isWhitespace { i -= 1 }
    } else {
      while i > 0, !isWordCharacter(characters[i - 1]) { i -= 1 }
      while i > 0, isWordCharacter(characters[i - 1]) { i -= 1 }
    }
    return i
  }

  private func wordEnd(after index: Int) -> Int {
    var i = index
    while i < characters.count, !isWordCharacter(characters[i]) { i += 1 }
    while i < characters.count, isWordCharacter(characters[i]) { i += 1 }
    return i
  }

  private func logicalLineStart(_ index: Int) -> Int {
    var i = index
    while i > 0, characters[i - 1] != "\n" { i -= 1 }
    return i
  }

  private func logicalLineEnd(_ index: Int) -> Int {
    var i = index
    while i < characters.count, characters[i] != "\n" { i += 1 }
    return i
  }

  // MARK: Layout

  /// One screen line of the soft-wrapped text: clusters `start ..< end` (a newline excluded).
  public struct Line: Hashable, Sendable {
    public var start: Int
    public var end: Int
    /// The line's text.
    public var text: String
  }

  /// The text soft-wrapped to `width` columns: at spaces where it can (the space stays at the end
  /// of the line it ends), inside a word only when the word is longer than a line. Wide clusters
  /// count two columns. There is always at least one line.
  public func layout(width: Int) -> [Line] {
    let width = max(1, width)
    var lines: [Line] = []
    var start = 0
    while true {
      let end = logicalLineEnd(start)
      wrapLine(from: start, to: end, width: width, into: &lines)
      if end >= characters.count { break }
      start = end + 1
    }
    return lines
  }

  private func wrapLine(from start: Int, to end: Int, width: Int, into lines: inout [Line]) {
    var lineStart = start
    var used = 0
    var lastBreak: Int?  // index just after the last space on this line
    var i = start
    while i < end {
      let w = TextWidth.width(of: characters[i])
      if used + w > width, i > lineStart {
        // Spaces may hang past the edge; they never start a line.
        if characters[i] == " " {
          i += 1
          lastBreak = i
          continue
        }
        let cut = lastBreak.map { $0 > lineStart ? $0 : i } ?? i
        lines.append(Line(start: lineStart, end: cut, text: String(characters[lineStart..<cut])))
        lineStart = cut
        used = 0
        lastBreak = nil
        i = cut
        continue
      }
      used += w
      i += 1
      if characters[i - 1] == " " { lastBreak = i }
    }
    lines.append(Line(start: lineStart, end: end, text: String(characters[lineStart..<end])))
  }

  /// The screen line the cursor is on: at a soft wrap, the start of the next line.
  public func cursorRow(in lines: [Line]) -> Int {
    for (row, line) in lines.enumerated() {
      let next = row + 1 < lines.count ? lines[row + 1] : nil
      if cursor >= line.start && cursor < line.end { return row }
      if cursor == line.end {
        if let next, next.start == line.end { continue }
        return row
      }
    }
    return max(0, lines.count - 1)
  }

  /// The cursor's row and column in the text soft-wrapped to `width`.
  public func cursorPosition(width: Int) -> (row: Int, column: Int) {
    cursorPosition(in: layout(width: width))
  }

  /// The cursor's row and column in lines `layout` gave (a pane that draws them wraps once).
  public func cursorPosition(in lines: [Line]) -> (row: Int, column: Int) {
    let row = cursorRow(in: lines)
    return (row, column(of: cursor, in: lines[row]))
  }

  private func column(of index: Int, in line: Line) -> Int {
    var used = 0
    for i in line.start..<min(index, line.end) { used += TextWidth.width(of: characters[i]) }
    return used
  }
}

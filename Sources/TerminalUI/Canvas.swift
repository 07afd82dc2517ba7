/// One screen cell: a grapheme cluster, the columns it takes, and its style.
///
/// A two-column cluster is stored in its first cell; the cell to its right is a continuation
/// (empty grapheme, width 0) with the same style. A cell never holds a control character.
public struct Cell: Hashable, Sendable {
  /// The grapheme cluster shown, `" "` for a blank, `""` for the right half of a wide cluster.
  public private(set) var grapheme: String
  /// 1 for a normal cell, 2 for the left half of a wide cluster, 0 for its right half.
  public private(set) var width: Int
  /// How the cell looks.
  public var style: Style

  /// A cell showing `character`, with unsafe scalars made visible and its width measured.
  public init(_ character: Character, style: Style = .plain) {
    let visible = ControlCharacters.visible(String(character))
    // "\r\n" is one cluster but two placeholders: a cell shows the first.
    var text = visible.count == 1 ? visible : String(visible.first!)
    var width = TextWidth.width(of: Character(text))
    if width == 0 {
      // A lone mark has nothing to sit on; show it on a space so it stays one column.
      text = " " + text
      width = 1
    }
    self.grapheme = text
    self.width = width
    self.style = style
  }

  private init(grapheme: String, width: Int, style: Style) {
    self.grapheme = grapheme
    self.width = width
    self.style = style
  }

  /// A blank cell.
  public static func blank(_ style: Style = .plain) -> Cell { Cell(grapheme: " ", width: 1, style: style) }

  /// The right half of a wide cluster.
  static func continuation(_ style: Style) -> Cell { Cell(grapheme: "", width: 0, style: style) }

  /// True for the right half of a wide cluster.
  public var isContinuation: Bool { width == 0 }
}

/// A row and column on a canvas or screen, zero-based from the top left.
public struct Position: Hashable, Sendable {
  /// The row, from 0 at the top.
  public var row: Int
  /// The column, from 0 at the left.
  public var column: Int

  /// A position.
  public init(row: Int, column: Int) {
    self.row = row
    self.column = column
  }
}

/// A terminal size in columns and rows.
public struct Size: Hashable, Sendable {
  /// Columns.
  public var width: Int
  /// Rows.
  public var height: Int

  /// A size; negative values count as 0.
  public init(width: Int, height: Int) {
    self.width = max(0, width)
    self.height = max(0, height)
  }
}

/// A frame in memory: width × height cells, drawn by panes and presented by a `Terminal`.
public struct Canvas: Hashable, Sendable {
  /// Columns.
  public let width: Int
  /// Rows.
  public let height: Int
  private var cells: [Cell]

  /// A blank canvas of `size` filled with `style`.
  public init(size: Size, style: Style = .plain) {
    self.width = size.width
    self.height = size.height
    self.cells = Array(repeating: .blank(style), count: size.width * size.height)
  }

  /// A blank canvas of `width` × `height`.
  public init(width: Int, height: Int, style: Style = .plain) {
    self.init(size: Size(width: width, height: height), style: style)
  }

  /// The canvas size.
  public var size: Size { Size(width: width, height: height) }

  /// The whole canvas as a rectangle.
  public var bounds: Rect { Rect(row: 0, column: 0, width: width, height: height) }

  /// The cell at `row`, `column`. Setting a cell keeps wide clusters whole: a half that is
  /// overwritten blanks its other half, and a wide cell claims the cell to its right.
  public subscript(row: Int, column: Int) -> Cell {
    get {
      precondition(contains(row: row, column: column), "cell \(row),\(column) outside \(width)x\(height)")
      return cells[row * width + column]
    }
    set {
      guard contains(row: row, column: column) else { return }
      if newValue.width == 2 && column + 1 >= width {
        set(.blank(newValue.style), row: row, column: column)
      } else {
        set(newValue, row: row, column: column)
      }
    }
  }

  /// True when `row`, `column` lies on the canvas.
  public func contains(row: Int, column: Int) -> Bool {
    row >= 0 && row < height && column >= 0 && column < width
  }

  private mutating func set(_ cell: Cell, row: Int, column: Int) {
    let index = row * width + column
    clearHalves(at: index, column: column)
    cells[index] = cell
    if cell.width == 2 {
      clearHalves(at: index + 1, column: column + 1)
      cells[index + 1] = .continuation(cell.style)
    }
  }

  /// Blanks the other half of a wide cluster that the cell at `index` belongs to.
  private mutating func clearHalves(at index: Int, column: Int) {
    let old = cells[index]
    if old.width == 0, column > 0 {
      cells[index - 1] = .blank(cells[index - 1].style)
    } else if old.width == 2, column + 1 < width {
      cells[index + 1] = .blank(cells[index + 1].style)
    }
  }

  /// Writes `text` from `position` in `style`, clipped to `maxWidth` columns and the right edge.
  ///
  /// Control characters appear as placeholders; a wide cluster that does not fit in the space
  /// left becomes a blank. Zero-width clusters are skipped. Returns the columns written.
  @discardableResult
  public mutating func put(
    _ text: String, at position: Position, style: Style = .plain, maxWidth: Int? = nil
  ) -> Int {
    guard position.row >= 0, position.row < height, position.column < width else { return 0 }
    let limit = min(width, position.column + max(0, maxWidth ?? width))
    var column = position.column
    for character in ControlCharacters.visible(text) {
      guard column < limit else { break }
      let w = TextWidth.width(of: character)
      if w == 0 { continue }
      if column < 0 {
        column += w
        if column > 0 { for c in 0..<column { self[position.row, c] = .blank(style) } }
        continue
      }
      if column + w > limit {
        set(.blank(style), row: position.row, column: column)
        column += 1
        break
      }
      set(Cell(character, style: style), row: position.row, column: column)
      column += w
    }
    return column - max(0, position.column)
  }

  /// Writes `text` at `row`, `column`; see `put(_:at:style:maxWidth:)`.
  @discardableResult
  public mutating func put(
    _ text: String, row: Int, column: Int, style: Style = .plain, maxWidth: Int? = nil
  ) -> Int {
    put(text, at: Position(row: row, column: column), style: style, maxWidth: maxWidth)
  }

  /// Fills `rect` (clipped to the canvas) with blanks in `style`.
  public mutating func fill(_ rect: Rect, style: Style = .plain) {
    let area = rect.intersection(bounds)
    for row in area.rows {
      for column in area.columns { set(.blank(style), row: row, column: column) }
    }
  }

  /// Lays `style` over every cell of `rect` (e.g. a selection highlight), keeping the text.
  public mutating func patchStyle(_ rect: Rect, with style: Style) {
    let area = rect.intersection(bounds)
    for row in area.rows {
      for column in area.columns {
        cells[row * width + column].style = cells[row * width + column].style.patched(with: style)
      }
    }
  }

  /// Copies `other` onto this canvas with its top left at `position`, clipped.
  public mutating func draw(_ other: Canvas, at position: Position) {
    for row in 0..<other.height {
      for column in 0..<other.width {
        let cell = other[row, column]
        if cell.isContinuation { continue }
        self[position.row + row, position.column + column] = cell
      }
    }
  }

  /// The text of one row, each wide cluster once, trailing spaces trimmed.
  public func text(ofRow row: Int) -> String {
    var line = ""
    for column in 0..<width { line += cells[row * width + column].grapheme }
    while line.last == " " { line.removeLast() }
    return line
  }

  /// The screen as lines of text, trailing spaces trimmed: what a snapshot compares.
  public func textLines() -> [String] { (0..<height).map { text(ofRow: $0) } }

  /// The screen as one string, lines joined with newlines.
  public var text: String { textLines().joined(separator: "\n") }
}

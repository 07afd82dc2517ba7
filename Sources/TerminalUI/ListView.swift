/// The scroll state of a list: how many rows, which is selected, which is at the top.
///
/// Pure state; the caller passes the viewport height (it comes from the layout each frame) and
/// draws the rows in `visibleRange(height:)`. The selection always stays in view.
public struct ListViewState: Hashable, Sendable {
  /// The number of rows.
  public private(set) var count: Int
  /// The selected row, nil when the list is empty.
  public private(set) var selected: Int?
  /// The first row shown.
  public private(set) var offset: Int = 0

  /// A list of `count` rows with the first one selected.
  public init(count: Int = 0) {
    self.count = max(0, count)
    self.selected = count > 0 ? 0 : nil
  }

  /// Sets the number of rows, keeping the selection on the same index where it still exists.
  public mutating func setCount(_ count: Int, height: Int) {
    self.count = max(0, count)
    if self.count == 0 {
      selected = nil
      offset = 0
    } else {
      selected = min(selected ?? 0, self.count - 1)
      scrollToSelection(height: height)
    }
  }

  /// Selects `index` (clamped) and scrolls it into view.
  public mutating func select(_ index: Int, height: Int) {
    guard count > 0 else { return }
    selected = min(max(0, index), count - 1)
    scrollToSelection(height: height)
  }

  /// Moves the selection by `delta` rows (negative is up), stopping at the ends.
  public mutating func move(by delta: Int, height: Int) {
    select((selected ?? 0) + delta, height: height)
  }

  /// Moves down one page, keeping the selection at the same place in the view where possible.
  public mutating func pageDown(height: Int) { page(by: max(1, height - 1), height: height) }

  /// Moves up one page.
  public mutating func pageUp(height: Int) { page(by: -max(1, height - 1), height: height) }

  /// Selects the first row.
  public mutating func home(height: Int) { select(0, height: height) }

  /// Selects the last row.
  public mutating func end(height: Int) { select(count - 1, height: height) }

  /// Scrolls the view by `delta` rows (the mouse wheel), dragging the selection along when it
  /// would leave the view.
  public mutating func scroll(by delta: Int, height: Int) {
    guard count > 0, height > 0 else { return }
    offset = min(max(0, offset + delta), max(0, count - height))
    if let selected, selected < offset {
      self.selected = offset
    } else if let selected, selected >= offset + height {
      self.selected = offset + height - 1
    }
  }

  /// The rows to draw in a view `height` rows tall.
  public func visibleRange(height: Int) -> Range<Int> {
    offset..<min(count, offset + max(0, height))
  }

  /// The row under view line `line` (a mouse click), nil below the last row.
  public func row(atLine line: Int, height: Int) -> Int? {
    let row = offset + line
    return line >= 0 && line < height && row < count ? row : nil
  }

  private mutating func page(by delta: Int, height: Int) {
    guard let selected else { return }
    let target = min(max(0, selected + delta), count - 1)
    offset = min(max(0, offset + delta), max(0, count - max(1, height)))
    self.selected = target
    scrollToSelection(height: height)
  }

  /// Adjusts the offset so the selection is in view and no space is wasted below the last row.
  public mutating func scrollToSelection(height: Int) {
    guard let selected, height > 0 else { return }
    if selected < offset { offset = selected }
    if selected >= offset + height { offset = selected - height + 1 }
    offset = max(0, min(offset, count - height))
  }
}

/// Draws a list into a rectangle of a canvas.
public enum ListView {
  /// Draws the rows of `state` visible in `rect`: `row(index, lineRect, isSelected)` draws one row
  /// (the line is cleared first, and the selected line is filled with `selectedStyle`).
  public static func render(
    _ state: ListViewState, into canvas: inout Canvas, rect: Rect, style: Style = .plain,
    selectedStyle: Style = Style(attributes: .reverse),
    row: (_ index: Int, _ line: Rect, _ isSelected: Bool, _ canvas: inout Canvas) -> Void
  ) {
    canvas.fill(rect, style: style)
    for (line, index) in state.visibleRange(height: rect.height).enumerated() {
      let lineRect = rect.line(line)
      let isSelected = index == state.selected
      if isSelected { canvas.fill(lineRect, style: selectedStyle) }
      row(index, lineRect, isSelected, &canvas)
    }
  }
}

/// Wrapped text with a scroll position: the detail pane's body, the help screen.
public struct TextView: Hashable, Sendable {
  /// The text (newlines separate paragraphs).
  public private(set) var text: String
  /// The first line shown.
  public private(set) var offset: Int = 0

  /// A view of `text` scrolled to the top.
  public init(text: String = "") { self.text = text }

  /// Replaces the text; the scroll position resets unless `keepOffset`.
  public mutating func setText(_ text: String, keepOffset: Bool = false) {
    self.text = text
    if !keepOffset { offset = 0 }
  }

  /// The text wrapped to `width` columns.
  public func lines(width: Int) -> [String] { TextWidth.wrap(text, to: width) }

  /// Scrolls by `delta` lines, clamped so the last line stays at the bottom at most.
  public mutating func scroll(by delta: Int, in size: Size) {
    let total = lines(width: size.width).count
    offset = min(max(0, offset + delta), max(0, total - size.height))
  }

  /// Scrolls one page down (positive) or up (negative).
  public mutating func page(_ direction: Int, in size: Size) {
    scroll(by: direction.signum() * max(1, size.height - 1), in: size)
  }

  /// Draws the visible lines into `rect`.
  public func render(into canvas: inout Canvas, rect: Rect, style: Style = .plain) {
    canvas.fill(rect, style: style)
    let all = lines(width: rect.width)
    let start = min(offset, max(0, all.count - 1))
    for (line, text) in all.dropFirst(start).prefix(rect.height).enumerated() {
      canvas.put(
        text, at: Position(row: rect.row + line, column: rect.column), style: style, maxWidth: rect.width)
    }
  }
}

/// A rectangle of cells: top-left row and column, width and height.
public struct Rect: Hashable, Sendable {
  /// The top row.
  public var row: Int
  /// The left column.
  public var column: Int
  /// Columns.
  public var width: Int
  /// Rows.
  public var height: Int

  /// A rectangle; negative sizes count as 0.
  public init(row: Int, column: Int, width: Int, height: Int) {
    self.row = row
    self.column = column
    self.width = max(0, width)
    self.height = max(0, height)
  }

  /// A rectangle at the origin covering `size`.
  public init(size: Size) { self.init(row: 0, column: 0, width: size.width, height: size.height) }

  /// The top-left corner.
  public var origin: Position { Position(row: row, column: column) }
  /// The size.
  public var size: Size { Size(width: width, height: height) }
  /// True when the rectangle holds no cell.
  public var isEmpty: Bool { width == 0 || height == 0 }
  /// The rows it covers.
  public var rows: Range<Int> { row..<(row + height) }
  /// The columns it covers.
  public var columns: Range<Int> { column..<(column + width) }

  /// True when `position` lies inside.
  public func contains(_ position: Position) -> Bool {
    rows.contains(position.row) && columns.contains(position.column)
  }

  /// The overlap of two rectangles (empty when they do not meet).
  public func intersection(_ other: Rect) -> Rect {
    let top = max(row, other.row)
    let left = max(column, other.column)
    let bottom = min(row + height, other.row + other.height)
    let right = min(column + width, other.column + other.width)
    return Rect(row: top, column: left, width: right - left, height: bottom - top)
  }

  /// This rectangle shrunk by `top`, `left`, `bottom` and `right` cells.
  public func inset(top: Int = 0, left: Int = 0, bottom: Int = 0, right: Int = 0) -> Rect {
    Rect(row: row + top, column: column + left, width: width - left - right, height: height - top - bottom)
  }

  /// This rectangle shrunk by `amount` on every side.
  public func inset(by amount: Int) -> Rect {
    inset(top: amount, left: amount, bottom: amount, right: amount)
  }

  /// The single row `index` (relative to the top) as a rectangle.
  public func line(_ index: Int) -> Rect { Rect(row: row + index, column: column, width: width, height: 1) }

  /// Splits into rows stacked top to bottom, sized by `constraints`.
  public func splitRows(_ constraints: [LayoutConstraint]) -> [Rect] {
    LayoutConstraint.sizes(constraints, total: height).reduce(into: (rects: [Rect](), offset: row)) {
      $0.rects.append(Rect(row: $0.offset, column: column, width: width, height: $1))
      $0.offset += $1
    }.rects
  }

  /// Splits into columns side by side, left to right, sized by `constraints`.
  public func splitColumns(_ constraints: [LayoutConstraint]) -> [Rect] {
    LayoutConstraint.sizes(constraints, total: width).reduce(into: (rects: [Rect](), offset: column)) {
      $0.rects.append(Rect(row: row, column: $0.offset, width: $1, height: height))
      $0.offset += $1
    }.rects
  }
}

/// How much of a split one part takes.
public enum LayoutConstraint: Hashable, Sendable {
  /// Exactly `n` cells (less only when the space runs out).
  case fixed(Int)
  /// A share of the whole, 0…1, rounded down.
  case fraction(Double)
  /// At least `n` cells, plus an equal share of what the other parts leave.
  case min(Int)
  /// An equal share of what the fixed and fractional parts leave.
  case fill

  /// The sizes for `constraints` in `total` cells; they never add up to more than `total`.
  ///
  /// Fixed and fractional parts are sized first, `min` parts get their minimum, then `min` and
  /// `fill` parts share the rest equally
  /// (the first ones get the odd cells). When the minimums do not fit, parts are cut from the end.
  public static func sizes(_ constraints: [LayoutConstraint], total: Int) -> [Int] {
    let total = Swift.max(0, total)
    var sizes = constraints.map { constraint -> Int in
      switch constraint {
      case .fixed(let n): return Swift.max(0, n)
      // Int(_:) truncates, which is rounding down for these non-negative values (and needs no libm).
      case .fraction(let f): return Int(Double(total) * Swift.min(1, Swift.max(0, f)))
      case .min(let n): return Swift.max(0, n)
      case .fill: return 0
      }
    }
    let flexible = constraints.indices.filter {
      if case .min = constraints[$0] { return true }
      return constraints[$0] == .fill
    }
    if !flexible.isEmpty {
      let fixedUsed = constraints.indices.filter { !flexible.contains($0) }.reduce(0) { $0 + sizes[$1] }
      var remaining = Swift.max(0, total - fixedUsed)
      // Give each flexible part its minimum first, then spread what is left.
      remaining -= flexible.reduce(0) { $0 + sizes[$1] }
      if remaining > 0 {
        let share = remaining / flexible.count
        let extra = remaining % flexible.count
        for (n, index) in flexible.enumerated() { sizes[index] += share + (n < extra ? 1 : 0) }
      }
    }
    var left = total
    for index in sizes.indices {
      sizes[index] = Swift.min(sizes[index], left)
      left -= sizes[index]
    }
    return sizes
  }
}

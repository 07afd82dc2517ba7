import Foundation
import TerminalUI
import Testing

/// Compares a canvas, text and style of every cell, with `Snapshots/NAME.screen`. Set
/// `REPUTE_RECORD_SNAPSHOTS=1` to re-record; a missing snapshot is recorded (and the test says so).
///
/// `theme` only names the roles in the file's legend; the comparison is on the styles themselves.
func assertSnapshot(
  _ canvas: Canvas, named name: String, theme: Theme = .standard, filePath: String = #filePath,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  let folder = URL(fileURLWithPath: filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")
  let file = folder.appendingPathComponent("\(name).screen")
  let record = ProcessInfo.processInfo.environment["REPUTE_RECORD_SNAPSHOTS"] == "1"
  if record || !FileManager.default.fileExists(atPath: file.path) {
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try? Snapshot.file(canvas, theme: theme).write(to: file, atomically: true, encoding: .utf8)
    if !record {
      Issue.record("recorded a new snapshot \(name).screen; check it in", sourceLocation: sourceLocation)
    }
    return
  }
  let recorded = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
  if let mismatch = Snapshot.mismatch(canvas, recorded: recorded) {
    Issue.record("snapshot \(name) differs: \(mismatch)", sourceLocation: sourceLocation)
  }
}

/// The snapshot file: the text in a frame, then a style layer, ratatui's buffer assertions' way.
///
/// ```
/// +----+          the text, framed so trailing blanks and the size show
/// |Hi !|
/// +----+
/// styles:         one letter per style, in order of first appearance; `.` is plain
/// . plain
/// a fg=#ff5f5f bold  # queue.overdue, ui.error
/// +----+          one letter per cell (both halves of a wide cluster)
/// |aa.a|
/// +----+
/// ```
///
/// The legend's `#` comments name the theme's roles with exactly that style; they help a reader
/// and are not compared, so a new role with an old style does not change any test's outcome.
enum Snapshot {
  /// The letters given to styles after `.` (plain), in order of first appearance.
  static let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")

  /// The whole file for `canvas`: text layer, legend, style grid.
  static func file(_ canvas: Canvas, theme: Theme = .standard) -> String {
    var order: [Style] = [.plain]
    var letterOf: [Style: Character] = [.plain: "."]
    var grid: [String] = []
    for row in 0..<canvas.height {
      var line = ""
      for column in 0..<canvas.width {
        let style = canvas[row, column].style
        if letterOf[style] == nil {
          precondition(order.count <= letters.count, "more styles than letters in one snapshot")
          letterOf[style] = letters[order.count - 1]
          order.append(style)
        }
        line.append(letterOf[style]!)
      }
      grid.append(line)
    }
    var legend: [String] = []
    for style in order {
      let roles = ThemeRole.allCases.filter { theme.definedStyle(for: $0) == style }.map(\.rawValue)
      legend.append(
        "\(letterOf[style]!) \(describe(style))"
          + (roles.isEmpty ? "" : "  # " + roles.joined(separator: ", ")))
    }
    return ([textLayer(canvas), "styles:"] + legend + [framed(grid, width: canvas.width)])
      .joined(separator: "\n") + "\n"
  }

  /// Why `canvas` does not match the `recorded` file, or nil when text and every cell's style do.
  static func mismatch(_ canvas: Canvas, recorded: String) -> String? {
    let text = textLayer(canvas)
    guard recorded.hasPrefix(text + "\n") else { return "the text differs:\n\(text)" }
    guard let styles = recordedStyles(recorded, rows: canvas.height, columns: canvas.width) else {
      return "the file has no readable style layer; re-record with REPUTE_RECORD_SNAPSHOTS=1"
    }
    for row in 0..<canvas.height {
      for column in 0..<canvas.width {
        let now = describe(canvas[row, column].style)
        if styles[row][column] != now {
          return "the style of row \(row), column \(column) (\"\(canvas[row, column].grapheme)\") "
            + "was \(styles[row][column]), is \(now)"
        }
      }
    }
    return nil
  }

  /// A style as the legend spells it: `fg=`, `bg=` where set, then the attributes; `plain` if none.
  static func describe(_ style: Style) -> String {
    func colour(_ c: Color) -> String {
      switch c {
      case .default: return "default"
      case .ansi(let n): return "ansi\(n)"
      case .indexed(let n): return "idx\(n)"
      case .rgb(let r, let g, let b): return "#" + [r, g, b].map { String(format: "%02x", $0) }.joined()
      }
    }
    var parts: [String] = []
    if style.fg != .default { parts.append("fg=" + colour(style.fg)) }
    if style.bg != .default { parts.append("bg=" + colour(style.bg)) }
    parts += Attributes.names.filter { style.attributes.contains($0.1) }.map(\.0)
    return parts.isEmpty ? "plain" : parts.joined(separator: " ")
  }

  /// The canvas's text in a frame that shows trailing blanks and the exact size.
  static func textLayer(_ canvas: Canvas) -> String {
    framed(canvas.textLines(), width: canvas.width)
  }

  static func framed(_ lines: [String], width: Int) -> String {
    let border = "+" + String(repeating: "-", count: width) + "+"
    let body = lines.map { line in
      "|" + line + String(repeating: " ", count: max(0, width - TextWidth.width(of: line))) + "|"
    }
    return ([border] + body + [border]).joined(separator: "\n")
  }

  /// Each cell's style description from a file's legend and grid; nil when either is missing or
  /// does not fit `rows` × `columns`.
  static func recordedStyles(_ file: String, rows: Int, columns: Int) -> [[String]]? {
    let lines = file.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    guard let start = lines.firstIndex(of: "styles:") else { return nil }
    var legend: [Character: String] = [:]
    var index = start + 1
    while index < lines.count, !lines[index].hasPrefix("+") {
      let line = lines[index]
      guard let letter = line.first, line.dropFirst().first == " " else { return nil }
      let description = line.dropFirst(2).components(separatedBy: "  # ")[0]
      legend[letter] = description
      index += 1
    }
    let grid = lines.dropFirst(index + 1).prefix(rows)
    guard grid.count == rows else { return nil }
    var styles: [[String]] = []
    for line in grid {
      let cells = Array(line.dropFirst().dropLast())
      guard line.first == "|", line.last == "|", cells.count == columns else { return nil }
      var row: [String] = []
      for letter in cells {
        guard let description = legend[letter] else { return nil }
        row.append(description)
      }
      styles.append(row)
    }
    return styles
  }
}

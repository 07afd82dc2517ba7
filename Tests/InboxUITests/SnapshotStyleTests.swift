import Foundation
import InboxUI
import TerminalUI
import Testing

/// The snapshot helper's style layer catches what the text layer cannot: a lost bold, a lost colour.
@Suite("Snapshot style layer")
struct SnapshotStyleTests {
  static func recorded(_ name: String, filePath: String = #filePath) throws -> String {
    let url = URL(fileURLWithPath: filePath).deletingLastPathComponent()
      .appendingPathComponent("Snapshots/\(name).screen")
    return try String(contentsOf: url, encoding: .utf8)
  }

  static func wide() -> Canvas {
    InboxRenderer.render(PaneSnapshotTests.state(Size(width: 140, height: 36)), theme: .standard)
  }

  @Test("the rendered frame matches its recorded snapshot, text and styles")
  func matches() throws {
    #expect(Snapshot.mismatch(Self.wide(), recorded: try Self.recorded("wide-140x36")) == nil)
  }

  @Test("a bold dropped from one cell of the selected row fails the comparison, naming the cell")
  func droppedBold() throws {
    var canvas = Self.wide()
    canvas[2, 4].style.attributes.remove(.bold)
    #expect(Snapshot.textLayer(canvas) == Snapshot.textLayer(Self.wide()))
    #expect(
      Snapshot.mismatch(canvas, recorded: try Self.recorded("wide-140x36"))
        == "the style of row 2, column 4 (\"1\") was fg=#000000 bg=#5fafff bold, is fg=#000000 bg=#5fafff")
  }

  @Test("a clock glyph that loses its colour fails the comparison")
  func lostColour() throws {
    var canvas = Self.wide()
    canvas[3, 2].style = .plain
    #expect(
      Snapshot.mismatch(canvas, recorded: try Self.recorded("wide-140x36"))
        == "the style of row 3, column 2 (\"○\") was fg=#5fd75f, is plain")
  }

  @Test("a file with the text layer only is a mismatch, not a pass")
  func textOnlyFile() throws {
    let canvas = Self.wide()
    #expect(
      Snapshot.mismatch(canvas, recorded: Snapshot.textLayer(canvas) + "\n")
        == "the file has no readable style layer; re-record with REPUTE_RECORD_SNAPSHOTS=1")
  }

  @Test("the legend gives letters in order of first appearance and names the theme's roles")
  func legend() {
    var canvas = Canvas(width: 3, height: 2)
    canvas.put("ab", at: Position(row: 0, column: 1), style: Theme.standard[.queueOverdue])
    canvas.put("漢", at: Position(row: 1, column: 0), style: Theme.standard[.uiStatusline])
    #expect(
      Snapshot.file(canvas) == """
        +---+
        | ab|
        |漢 |
        +---+
        styles:
        . plain  # ui
        a fg=#ff5f5f bold  # ui.error, queue.overdue, editor.over_limit, finding.blocking
        b fg=#e4e4e4 bg=#303030  # ui.statusline
        +---+
        |.aa|
        |bb.|
        +---+

        """)
  }
}

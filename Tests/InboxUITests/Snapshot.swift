import Foundation
import TerminalUI
import Testing

/// Compares a canvas's text with `Snapshots/NAME.screen`. Set `REPUTE_RECORD_SNAPSHOTS=1` to
/// re-record; a missing snapshot is recorded (and the test says so).
func assertSnapshot(
  _ canvas: Canvas, named name: String, filePath: String = #filePath,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  let folder = URL(fileURLWithPath: filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")
  let file = folder.appendingPathComponent("\(name).screen")
  // A frame around the text shows trailing blanks and the exact size.
  let border = "+" + String(repeating: "-", count: canvas.width) + "+"
  let body = canvas.textLines().map { line -> String in
    "|" + line + String(repeating: " ", count: max(0, canvas.width - TerminalUI.TextWidth.width(of: line)))
      + "|"
  }
  let text = ([border] + body + [border]).joined(separator: "\n") + "\n"
  let record = ProcessInfo.processInfo.environment["REPUTE_RECORD_SNAPSHOTS"] == "1"
  if record || !FileManager.default.fileExists(atPath: file.path) {
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try? text.write(to: file, atomically: true, encoding: .utf8)
    if !record {
      Issue.record("recorded a new snapshot \(name).screen; check it in", sourceLocation: sourceLocation)
    }
    return
  }
  let expected = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
  #expect(text == expected, "snapshot \(name) differs:\n\(text)", sourceLocation: sourceLocation)
}

import Foundation
import Testing

/// The rules live below the UI (issue 15): a plain command (reply, outbox, list, show, classify,
/// report, the action commands…) reaches them through `Desk`, never through a UI target. Only the
/// files that run the inbox may import the UI.
@Suite struct LayeringTests {
  /// The UI targets: the inbox, its store backend, the curses terminal and the terminal toolkit.
  static let uiTargets: Set<String> = ["InboxUI", "InboxBackend", "NcursesTerminal", "TerminalUI"]
  /// The files that run the UI: the inbox, the demo (the inbox on a sample store) and the
  /// external editor the inbox suspends itself for, and the browser it opens a post in (`O`).
  static let runTheUI: Set<String> = [
    "InboxCommand.swift", "DemoCommand.swift", "ExternalEditor.swift", "SystemLinkOpener.swift",
  ]

  static var commandsFolder: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Sources/repute")
  }

  /// The modules a Swift file imports (`import X`, `@testable import X`, `import struct X.Y`).
  static func imports(_ text: String) -> Set<String> {
    var found: Set<String> = []
    for line in text.split(separator: "\n") {
      let words = line.split(separator: " ").map(String.init).filter { !$0.hasPrefix("@") }
      guard words.first == "import", words.count >= 2 else { continue }
      let path = words.count >= 3 ? words[2] : words[1]
      found.insert(String(path.split(separator: ".").first ?? ""))
    }
    return found
  }

  @Test func plainCommandsImportNoUITarget() throws {
    let files = try FileManager.default.contentsOfDirectory(atPath: Self.commandsFolder.path)
      .filter { $0.hasSuffix(".swift") }
    #expect(files.count > 5)
    var offenders: [String] = []
    for file in files.sorted() where !Self.runTheUI.contains(file) {
      let text = try String(contentsOf: Self.commandsFolder.appendingPathComponent(file), encoding: .utf8)
      for module in Self.imports(text).intersection(Self.uiTargets).sorted() {
        offenders.append("\(file) imports \(module)")
      }
    }
    #expect(offenders == [], "plain commands reach the rules through Desk, not the UI")
  }

  @Test func theScanSeesImports() {
    #expect(
      Self.imports("import Foundation\n@testable import InboxUI\nimport struct TerminalUI.Canvas\n")
        == ["Foundation", "InboxUI", "TerminalUI"])
  }
}

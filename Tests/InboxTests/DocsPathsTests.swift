import Foundation
import Testing

/// The docs name source files (`Sources/Store/SQLiteStore+Outbox.swift`); after a file moves, a
/// stale name sends the reader nowhere. Every `….swift` path the docs give must exist.
@Suite struct DocsPathsTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  static func docs() -> [URL] {
    var files = ["README.md", "CONTRIBUTING.md", "docs/ARCHITECTURE.md", "docs/RULES.md"].map {
      root.appendingPathComponent($0)
    }
    let guide = root.appendingPathComponent("docs/guide")
    let pages = (try? FileManager.default.contentsOfDirectory(atPath: guide.path)) ?? []
    files += pages.filter { $0.hasSuffix(".md") }.map { guide.appendingPathComponent($0) }
    return files
  }

  @Test func everySourcePathInTheDocsExists() throws {
    let pattern = try NSRegularExpression(pattern: "`((?:Sources|Tests)/[A-Za-z0-9_+/.-]+\\.swift)`")
    var missing: [String] = []
    for file in Self.docs() {
      guard let text = try? String(contentsOf: file, encoding: .utf8) else { continue }
      let range = NSRange(text.startIndex..., in: text)
      for match in pattern.matches(in: text, range: range) {
        guard let r = Range(match.range(at: 1), in: text) else { continue }
        let path = String(text[r])
        if !FileManager.default.fileExists(atPath: Self.root.appendingPathComponent(path).path) {
          missing.append("\(file.lastPathComponent): \(path)")
        }
      }
    }
    #expect(missing.isEmpty, "stale paths in the docs: \(missing)")
  }
}

import Foundation

@testable import Feeds

/// The fixtures in `Tests/Fixtures` (small MIT upstream files with their licences, and payloads
/// written for these tests), and the shared corpora beside the package when they are there.
enum Fixture {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures")

  static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

  static func bytes(_ relative: String) -> [UInt8] {
    Array(FileManager.default.contents(atPath: path(relative)) ?? Data())
  }

  static func json(_ relative: String) -> Any? {
    guard let data = FileManager.default.contents(atPath: path(relative)) else { return nil }
    return try? JSONSerialization.jsonObject(with: data)
  }

  /// `../shared/corpora` beside the package root, or `$REPUTE_CORPORA`; nil when absent.
  static let corpora: URL? = {
    let url =
      ProcessInfo.processInfo.environment["REPUTE_CORPORA"].map { URL(fileURLWithPath: $0) }
      ?? root.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("shared/corpora")
    return FileManager.default.fileExists(atPath: url.appendingPathComponent("x-v2-twarc").path) ? url : nil
  }()

  static func parse(_ relative: String, as format: MentionFormat = .auto) -> ParsedInput {
    FormatReader(format: format).parse(bytes(relative), name: relative)
  }
}

import Foundation
import InboxUI
import TerminalUI
import Testing

@Suite("Themes")
struct ThemeLoaderTests {
  static let themesFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("themes").path

  @Test("every shipped theme loads", arguments: ["default", "light", "high-contrast", "mono"])
  func shipped(name: String) throws {
    let theme = try ThemeLoader.load(path: Self.themesFolder + "/\(name).toml")
    #expect(theme.name == name)
    #expect(theme.definedStyle(for: .queueSelected) != nil)
    let (byName, problem) = ThemeLoader.load(name, searchPaths: [Self.themesFolder])
    #expect(problem == nil)
    #expect(byName == theme)
  }

  @Test("the shipped folder holds exactly the four themes or more, all loadable")
  func folder() throws {
    let files = try FileManager.default.contentsOfDirectory(atPath: Self.themesFolder).filter {
      $0.hasSuffix(".toml")
    }
    #expect(files.count >= 4)
    for file in files { _ = try ThemeLoader.load(path: Self.themesFolder + "/" + file) }
  }

  @Test(
    "a broken theme gives FILE:LINE and the default theme",
    arguments: [
      (
        "\"ui\" = \"accent\"\n\"queue.selectd\" = { fg = \"accent\" }\n[palette]\naccent = \"#5fafff\"\n", 2,
        "unknown role"
      ),
      ("\"queue\" = { fg = \"notacolour\" }\n", 1, "not a colour"),
      ("\"ui\" = { fg = \"red\", blink = true }\n", 1, "unknown field"),
      ("\"ui\" = { fg = \"red\" \n", 1, "inline table"),
    ])
  func broken(text: String, line: Int, message: String) throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent(
      "broken-\(UUID().uuidString).toml"
    ).path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    let (theme, problem) = ThemeLoader.load(path)
    #expect(theme == Theme.standard)
    let error = try #require(problem)
    #expect(error.description.hasPrefix("\(path):\(line): "), "\(error)")
    #expect(error.message.contains(message))
  }

  @Test("an unknown theme name falls back with a message")
  func unknown() throws {
    let (theme, problem) = ThemeLoader.load("nope", searchPaths: [Self.themesFolder])
    #expect(theme == Theme.standard)
    let message = try #require(problem).description
    #expect(message.hasPrefix("no theme named 'nope' in \(Self.themesFolder) (available: "), "\(message)")
    #expect(message.contains("default, ") && message.contains("light"), "\(message)")
    #expect(!message.contains("nope:1"), "\(message)")
  }
}

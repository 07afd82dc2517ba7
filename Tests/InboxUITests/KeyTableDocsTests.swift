import Desk
import Foundation
import TerminalUI
import Testing

@testable import InboxUI

/// The guide's key page (docs/guide/keys.md) is generated from the key table that `?` shows, so the
/// docs cannot drift from the program (issue 15; lazygit's cheatsheet check is the model). The test
/// fails when the committed page is stale and says how to write it again.
@Suite("The key table in the docs")
struct KeyTableDocsTests {
  static let relativePath = "docs/guide/keys.md"
  static let regenerate = "REPUTE_RECORD_DOCS=1 swift test --filter KeyTableDocs"

  /// The package root: three folders up from this file (Tests/InboxUITests/…).
  static var root: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
  }

  /// A Markdown table cell: `|` would end the cell.
  static func cell(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|") }

  /// One pane's keys as a table, in the order `?` lists them.
  static func section(_ map: KeyMap<InboxCommand>, title: String? = nil) -> [String] {
    // A prompt's title ends in ": " on screen; a heading does not.
    var heading = (title ?? map.title).trimmingCharacters(in: .whitespaces)
    if heading.hasSuffix(":") { heading.removeLast() }
    var lines = ["### \(cell(heading))", "", "| keys | action |", "|---|---|"]
    // `helpEntries` is one entry per command, in the table's order: the description `?` shows.
    for (command, entry) in zip(map.commands, map.helpEntries()) {
      let keys = map.chords(for: command).map { "`\($0.label)`" }.joined(separator: " ")
      lines.append("| \(cell(keys)) | \(cell(entry.description)) |")
    }
    return lines + [""]
  }

  /// Every pane's keys in one language, in the order of the help screen (`InboxRenderer.drawHelp`).
  static func language(_ language: UILanguage, heading: String) -> [String] {
    let s = Strings(language)
    let table = InboxKeys.table(s)
    var lines = ["## \(heading)", ""]
    lines += section(table.global)
    if let views = table.modes[.queue] { lines += section(views) }
    if let picker = table.modes[.pickCategory] { lines += section(picker) }
    if let pane = table.modes[.supervisor] { lines += section(pane) }
    if let person = table.modes[.person] { lines += section(person) }
    if let editor = table.modes[.editor] { lines += section(editor) }
    if let snippets = table.modes[.pickSnippet] { lines += section(snippets) }
    if let confirm = table.modes[.confirmSend] { lines += section(confirm) }
    if let prompt = table.modes[.prompt(.assign)] {
      lines += section(prompt, title: s[.helpPrompts])
      // The prompts these keys work in; the override's reason is asked by Ctrl-X, not by a key.
      let prompts = PromptKind.allCases.filter { $0 != .overrideReason }.map { kind in
        let text = s.prompt(kind).trimmingCharacters(in: .whitespaces)
        return "`" + (text.hasSuffix(":") ? String(text.dropLast()) : text) + "`"
      }
      lines += [prompts.joined(separator: " · "), ""]
    }
    return lines
  }

  /// The whole page.
  static func page() -> String {
    var lines = [
      "<!-- Generated from the key table (Sources/InboxUI/KeyTable.swift) by",
      "     Tests/InboxUITests/KeyTableDocsTests.swift: do not edit by hand.",
      "     Regenerate: \(regenerate) -->",
      "",
      "# Keys",
      "",
      "Every key of every pane, as the inbox's `?` lists them (`F1` in the reply editor, where `?` is",
      "text), in English and in Dutch: the inbox speaks the language of `--ui-lang`, else `LANG`.",
      "What the keys do in more words: [the inbox](inbox.md), [replies](replies.md) and",
      "[the supervisor's pane](supervisor.md). The marks on the screen (`● ◑ ○ ◌ ·`, `▸ ✓ ✎ ⚑ ▲ ↺`) are",
      "explained at the end of `?` and in [the inbox](inbox.md#marks-and-filter-words).",
      "",
    ]
    lines += language(.en, heading: "English")
    lines += language(.nl, heading: "Nederlands")
    return lines.joined(separator: "\n")
  }

  @Test("docs/guide/keys.md is the key table, as generated now")
  func docsAreCurrent() throws {
    let url = Self.root.appendingPathComponent(Self.relativePath)
    let generated = Self.page()
    if ProcessInfo.processInfo.environment["REPUTE_RECORD_DOCS"] == "1" {
      try generated.write(to: url, atomically: true, encoding: .utf8)
      return
    }
    let committed = try? String(contentsOf: url, encoding: .utf8)
    #expect(
      committed == generated,
      "\(Self.relativePath) is stale: the key table changed. Regenerate it with `\(Self.regenerate)` and commit it."
    )
  }

  @Test("the page has every command of every pane, in both languages")
  func everyCommandIsOnThePage() {
    let page = Self.page()
    for language in UILanguage.allCases {
      let table = InboxKeys.table(Strings(language))
      for map in [table.global] + table.modes.values {
        for entry in map.helpEntries() {
          #expect(page.contains(Self.cell(entry.description)), "\(entry.description)")
        }
      }
    }
  }
}

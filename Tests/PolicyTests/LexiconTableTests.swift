import Foundation
import Testing

@testable import Policy

/// The prebuilt lexicon table (`LexiconTable`, generated) must say exactly what building the
/// lexicons from their text says (`LexiconBuilder`), for every entry: the classifier reads only
/// the table. The test fails when the committed file is stale and says how to write it again.
@Suite("The prebuilt lexicon table")
struct LexiconTableTests {
  static let relativePath = "Sources/Policy/Lexicons/LexiconTable.swift"
  static let regenerate = "REPUTE_RECORD_LEXICON=1 swift test --filter LexiconTableTests"

  /// The package root: three folders up from this file (Tests/PolicyTests/…).
  static var root: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
  }

  static let built = LexiconBuilder.build()

  /// The same entry, weights compared bit for bit.
  static func same(_ a: LexEntry, _ b: LexEntry) -> Bool {
    a.flags == b.flags && a.words == b.words
      && LexiconTableFormat.weights.allSatisfy { a[keyPath: $0].bitPattern == b[keyPath: $0].bitPattern }
  }

  @Test("the committed table is the one generated from the lexicons now")
  func fileIsCurrent() throws {
    let url = Self.root.appendingPathComponent(Self.relativePath)
    let generated = LexiconTableFormat.swiftFile()
    if ProcessInfo.processInfo.environment["REPUTE_RECORD_LEXICON"] == "1" {
      try generated.write(to: url, atomically: true, encoding: .utf8)
      return
    }
    let committed = try? String(contentsOf: url, encoding: .utf8)
    #expect(
      committed == generated,
      "\(Self.relativePath) is stale: the lexicons or cues changed. Regenerate it with `\(Self.regenerate)` and commit it."
    )
  }

  @Test("every word and phrase the builder knows, the table knows the same, and nothing else")
  func everyEntryAgrees() {
    let lexicon = Lexicon.shared
    for (table, entries, name) in [
      (lexicon.words, Self.built.words, "word"), (lexicon.phrases, Self.built.phrases, "phrase"),
    ] {
      var differ: [UInt64] = []
      for (hash, entry) in entries {
        guard let found = table.lookup(hash), Self.same(found, entry) else {
          differ.append(hash)
          continue
        }
      }
      #expect(differ.isEmpty, "\(differ.count) \(name) entries differ, e.g. \(differ.prefix(5))")
      #expect(table.count == entries.count, "\(name)s: \(table.count) in the table, \(entries.count) built")
    }
    #expect(LexiconTable.wordCount == Self.built.words.count)
    #expect(LexiconTable.phraseCount == Self.built.phrases.count)
  }

  @Test("a line reads back to the same entry, whatever weights it has")
  func linesRoundTrip() {
    var e = LexEntry()
    e.flags = [.negator, .hasNL, .resolution]
    e.words = 3
    e.valenceNL = -0.1
    e.thanks = 1.5
    e.boost = -0.0
    let text =
      LexiconTableFormat.line(0xFFFF_FFFF_FFFF_FFFF, e) + "\n" + LexiconTableFormat.line(7, LexEntry())
    let table = LexiconTableFormat.read(text, count: 2)
    #expect(table.lookup(0xFFFF_FFFF_FFFF_FFFF).map { Self.same($0, e) } == true)
    #expect(table.lookup(7).map { Self.same($0, LexEntry()) } == true)
    #expect(table.lookup(8) == nil)
    #expect(table.count == 2)
  }
}

import Foundation
import Testing

@testable import Feeds

/// Inputs that once crashed or hung a parser (found by the fuzzers or the damaged-input tests),
/// kept in `Tests/Fixtures/crashes`: each must now give reasons, in every format.
@Suite struct CrashCorpusTests {
  static let files: [String] =
    ((try? FileManager.default.contentsOfDirectory(atPath: Fixture.path("crashes"))) ?? [])
    .filter { !$0.hasPrefix(".") && $0 != "README.md" }.sorted()

  @Test func theCorpusIsThere() {
    #expect(Self.files.contains("rss-xmlparser-trap-non-utf8-name.xml"))
  }

  @Test(arguments: files)
  func eachFoundCrashNowReadsSafely(file: String) {
    let bytes = Fixture.bytes("crashes/" + file)
    for format in MentionFormat.allCases {
      let parsed = FormatReader(format: format).parse(bytes, name: file)
      for r in parsed.rejections { #expect(r.line >= 1 && !r.reason.isEmpty, "\(file) as \(format): \(r)") }
    }
    _ = HTMLText.plainText(String(decoding: bytes, as: UTF8.self))
  }

  @Test func aCSVRowThatEndsBeforeTheTextColumnIsRefused() {
    let csv = "id,author,date,text\nk1,anna,2026-11-30T10:00:00Z\nk2,bob,2026-11-30T10:00:00Z,\n"
    let parsed = FormatReader(format: .csv).parse(Array(csv.utf8), name: "short.csv")
    #expect(
      parsed.rejections.map(\.description) == [
        "short.csv:2: no text: the row has 3 fields, the text is field 4"
      ])
    #expect(parsed.mentions.map(\.externalID) == ["k2"], "an empty text is a text")
  }

  @Test func theXMLParserTrapIsRefusedBeforeFoundationSeesIt() {
    let parsed = FormatReader(format: .rss).parse(
      Fixture.bytes("crashes/rss-xmlparser-trap-non-utf8-name.xml"), name: "trap.xml")
    #expect(parsed.mentions.isEmpty)
    #expect(parsed.rejections.first?.reason.hasPrefix("invalid UTF-8 at byte") == true)
    #expect(parsed.rejections.first?.line == 7)
  }
}

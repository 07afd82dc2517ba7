import Foundation
import Inbox
import Testing

@testable import Feeds

/// A small deterministic generator, so a failure names a reproducible input.
struct SplitMix: RandomNumberGenerator {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

@Suite struct FormatDetectionTests {
  @Test(
    arguments: [
      ("mastodon/home-timeline.json", MentionFormat.mastodon), ("mastodon/notifications.json", .mastodon),
      ("mastodon/grouped-notifications.json", .mastodon), ("mastodon/delete.json", .mastodon),
      ("mastodon/carol-seen-from-other-server.json", .mastodon),
      ("bluesky-twitwi/bluesky-posts.json", .bluesky),
      ("x-v2-twarc/two_tweets.jsonl", .x), ("x-v2-twarc/tweets_compliance.jsonl", .x),
      ("feeds/google-alerts.xml", .rss), ("feeds/talkwalker-latin1.rss", .rss), ("csv/brandwatch.csv", .csv),
    ])
  func detectsEachFixture(file: String, format: MentionFormat) {
    #expect(MentionFormat.detect(Array(Fixture.bytes(file).prefix(1 << 16)), name: file) == format)
  }

  @Test func nativeJSONLinesIsTheNativeFormat() {
    let line =
      #"{"platform":"x","id":"1","author":{"handle":"a"},"created_at":"2026-11-24T09:30:00Z","text":"t"}"#
    #expect(MentionFormat.detect(Array((line + "\n" + line).utf8), name: "-") == .jsonl)
    #expect(MentionFormat.detect(Array("\u{FEFF}\(line)".utf8), name: "-") == .jsonl, "a byte order mark")
    #expect(MentionFormat.detect(Array("plain words".utf8), name: "notes.txt") == nil)
    #expect(MentionFormat.detect([], name: "empty.json") == nil)
    #expect(MentionFormat.detect([0x00, 0xFF, 0xFE, 0x80], name: "blob") == nil)
  }

  @Test func aPrefixCutMidRecordStillNamesItsKeys() {
    let bytes = Fixture.bytes("x-v2-twarc/streaming_output_with_error.jsonl")
    #expect(MentionFormat.detect(Array(bytes.prefix(60)), name: "-") == .x)
  }
}

@Suite struct MalformedInputTests {
  static let fixtures = [
    "mastodon/home-timeline.json", "mastodon/notifications.json", "mastodon/grouped-notifications.json",
    "bluesky-twitwi/bluesky-posts.json", "x-v2-twarc/two_tweets.jsonl",
    "x-v2-twarc/streaming_output_with_error.jsonl",
    "feeds/google-alerts.xml", "feeds/talkwalker-latin1.rss", "csv/brandwatch.csv",
  ]

  /// Every rejection names a line inside the input and says something.
  static func checkRejections(_ parsed: ParsedInput, _ bytes: [UInt8], _ label: String) {
    // Lines as a CSV reader ends them too: LF, CR LF and a lone CR each end one.
    var lines = 1
    for (i, b) in bytes.enumerated()
    where b == 0x0A || (b == 0x0D && (i + 1 == bytes.count || bytes[i + 1] != 0x0A)) {
      lines += 1
    }
    for r in parsed.rejections {
      #expect(r.line >= 1 && r.line <= lines, "\(label): \(r)")
      #expect(!r.reason.isEmpty, "\(label)")
    }
  }

  @Test(arguments: fixtures)
  func truncatedAnywhereGivesAReasonNeverACrash(file: String) {
    let bytes = Fixture.bytes(file)
    let whole = FormatReader(format: .auto).parse(bytes, name: file)
    var generator = SplitMix(state: UInt64(bytes.count))
    var cuts = (0..<20).map { _ in Int.random(in: 0..<bytes.count, using: &generator) }
    cuts += [1, bytes.count / 2, bytes.count - 1]
    for cut in cuts {
      let part = Array(bytes.prefix(cut))
      for format in [MentionFormat.auto, .mastodon, .bluesky, .x, .rss, .csv] {
        let parsed = FormatReader(format: format).parse(part, name: file)
        Self.checkRejections(parsed, part, "\(file) cut at \(cut) as \(format)")
      }
      // Read as what it is, a cut document says so, or keeps only records before the cut.
      let parsed = FormatReader(format: .auto).parse(part, name: file)
      #expect(parsed.mentions.count <= whole.mentions.count + 1, "\(file) cut at \(cut)")
    }
  }

  @Test(arguments: fixtures)
  func flippedBytesGiveAReasonNeverACrash(file: String) {
    let bytes = Fixture.bytes(file)
    var generator = SplitMix(state: 7 &* UInt64(bytes.count))
    for _ in 0..<30 {
      var damaged = bytes
      for _ in 0..<Int.random(in: 1...8, using: &generator) {
        damaged[Int.random(in: 0..<damaged.count, using: &generator)] = UInt8.random(
          in: 0...255, using: &generator)
      }
      let parsed = FormatReader(format: .auto).parse(damaged, name: file)
      Self.checkRejections(parsed, damaged, file)
    }
  }

  @Test func binaryInputIsRefusedWithAReason() {
    var generator = SplitMix(state: 42)
    let noise = (0..<50_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
    for format in MentionFormat.allCases {
      let parsed = FormatReader(format: format).parse(noise, name: "noise.bin")
      Self.checkRejections(parsed, noise, "noise as \(format)")
      #expect(parsed.mentions.isEmpty, "\(format)")
      if format != .csv { #expect(!parsed.rejections.isEmpty, "\(format)") }
    }
    // JSON that is not valid UTF-8: the byte offset.
    let bad: [UInt8] = Array(#"{"uri": "x"#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)
    let parsed = FormatReader(format: .mastodon).parse(bad, name: "bad.json")
    #expect(parsed.rejections.map(\.description) == ["bad.json:1: invalid UTF-8 at byte 11"])
  }

  @Test func brokenOneDocumentJSONNamesTheByteAndItsLine() {
    let text = "[\n  {\"id\": \"1\",\n    \"content\": \"<p>hi</p>\"\n  \n"
    let parsed = FormatReader(format: .mastodon).parse(Array(text.utf8), name: "cut.json")
    #expect(
      parsed.rejections.map(\.description) == [
        "cut.json:5: broken JSON at byte \(text.utf8.count + 1): expected ',' or '}'"
      ])
  }

  @Test func deepNestingIsRefusedWithoutRecursion() {
    let deep = String(repeating: "[", count: 200_000) + String(repeating: "]", count: 200_000)
    for format in [MentionFormat.mastodon, .bluesky, .x] {
      let parsed = FormatReader(format: format).parse(Array(deep.utf8), name: "deep.json")
      #expect(parsed.rejections.first?.reason.contains("512 levels") == true, "\(format)")
    }
    let guessed = FormatReader(format: .auto).parse(Array(deep.utf8), name: "deep.json")
    #expect(guessed.rejections.map(\.reason) == ["cannot tell the format; name it with --format"])
    let deepXML = String(repeating: "<a>", count: 100_000)
    let parsed = FormatReader(format: .rss).parse(Array(deepXML.utf8), name: "deep.xml")
    #expect(!parsed.rejections.isEmpty)
  }

  @Test func aDocumentOverTheLimitPointsToJSONLines() {
    var reader = FormatReader(format: .bluesky)
    reader.documentLimit = 1000
    let posts = Fixture.bytes("bluesky-twitwi/bluesky-posts.json")
    let parsed = reader.parse(posts, name: "big.json")
    #expect(parsed.mentions.isEmpty)
    #expect(
      parsed.rejections.map(\.description) == [
        "big.json:1: one JSON document larger than 1000 bytes; write the records as JSON Lines (one a line)"
      ])
    #expect(FormatReader.maximumDocumentSize == 256 << 20)
    #expect(FormatReader.describe(FormatReader.maximumDocumentSize) == "256 MiB")
  }

  @Test func platformJSONLinesAreReadLineByLine() throws {
    let posts = try #require(Fixture.json("bluesky-twitwi/bluesky-posts.json") as? [Any])
    var lines = posts.prefix(3).map { JSONObject.serialize($0) }
    lines.insert("{\"uri\": broken", at: 1)
    let parsed = FormatReader(format: .auto).parse(Array(lines.joined(separator: "\n").utf8), name: "p.jsonl")
    #expect(parsed.mentions.count == 3)
    #expect(parsed.rejections.map(\.line) == [2])
  }

  @Test func datesOutOfRangeAreRefusedNotTrapped() {
    for text in [
      "99999-01-01T00:00:00Z", "2026-13-01T00:00:00Z", "Mon, 30 Nov 99999999999999999 14:05:00 +0100", "",
    ] {
      #expect(PlatformDate.parse(text) == nil, "\(text)")
    }
    #expect(CSVMapping.date("99999999999999999999") == nil)
    #expect(CSVMapping.date("1764500000") == Date(timeIntervalSince1970: 1_764_500_000))
    #expect(PlatformDate.parse("2026-11-30 09:00:00") == RFC3339.parse("2026-11-30T09:00:00Z"))
  }
}

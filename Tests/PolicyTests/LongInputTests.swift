import Foundation
import Testing

@testable import Policy

/// Any length of any text is classified and checked without a trap (issue 13: a word of 32,768
/// letters overflowed the tokenizer's 16-bit letter count and crashed every entry point).
@Suite("Long and repeated tokens")
struct LongInputTests {
  let classifier = Classifier(PolicyConfig.default)
  let anna = TeamMember(name: "Anna de Vries", login: "anna")

  /// SplitMix64: the same inputs on every run, without the wall clock.
  struct Seeded: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
  }

  /// Pieces a long token is made of: ASCII letters either case, letters outside ASCII, a
  /// combining mark, an apostrophe inside a word, digits, emoji, punctuation.
  static let pieces = [
    "a", "Z", "é", "É", "ß", "ij", "e\u{301}", "don't", "don’t", "7", "1.5", "😡", "👍🏽", "!", "?", "#",
    "@", "x", "D", ":", "h", " ", "\n", "www.", "ı", "İ",
  ]

  /// A text around `length` bytes: one token repeated, a run of random pieces without spaces,
  /// or a long word inside an ordinary sentence.
  static func text(_ rng: inout Seeded, length: Int) -> String {
    switch rng.next() % 4 {
    case 0:
      let piece = pieces.filter { $0 != " " && $0 != "\n" }.randomElement(using: &rng)!
      return String(repeating: piece, count: max(1, length / piece.utf8.count))
    case 1:
      var s = ""
      while s.utf8.count < length {
        s += pieces.filter { $0 != " " && $0 != "\n" }.randomElement(using: &rng)!
      }
      return s
    case 2:
      let word = String(repeating: ["a", "A", "é", "Ä"].randomElement(using: &rng)!, count: length)
      return "Mijn koffer is weg \(word) en niemand helpt, slecht!"
    default:
      // Spaced single letters ("v e r y"), merged into one word by the tokenizer.
      return String(repeating: "x ", count: length / 2)
    }
  }

  @Test("classifier and reply checker take long and repeated tokens (seeded)")
  func longAndRepeatedTokens() {
    var rng = Seeded(state: 13)
    let lengths = [
      32_767, 32_768, 32_769, 40_000, 65_535, 65_536, 65_537, 70_000, 131_072, 300_000,
    ]
    for length in lengths {
      for _ in 0..<4 {
        let text = Self.text(&rng, length: length)
        let c = classifier.classify(
          ClassifierInput(text: text, lang: nil, authorHandle: "klant", isStaff: false))
        #expect(c.confidence >= 0 && c.confidence <= 1, "\(length)")
        let (_, measured) = ReplyChecker.checkAndMeasure(
          text, mention: ReplyTarget(platform: "mastodon", category: .complaint, lang: "nl"), responder: anna,
          policy: .default)
        #expect(measured > 0, "\(length)")
        let scan = Tokenizer.scan(text)
        for t in scan.tokens {
          #expect(t.start >= 0 && t.start <= t.end && Int(t.end) <= text.utf8.count)
          #expect(t.letters >= 0)
        }
      }
    }
  }

  @Test("a word of 40,000 letters is one long word, read up to the scanned prefix")
  func aFortyThousandLetterWord() {
    let word = String(repeating: "a", count: 40_000)
    let scan = Tokenizer.scan(word)
    #expect(scan.tokens.count == 1)
    #expect(scan.tokens.first?.kind == .word)
    #expect(scan.longWords == 1)
    let c = classifier.classify(ClassifierInput(text: word, lang: nil, authorHandle: "klant", isStaff: false))
    #expect(c.confidence >= 0 && c.confidence <= 1)
    // Only a bounded prefix is read, cut at a whole character (here "é", two bytes, across the cut).
    let padded = "x" + String(repeating: "é", count: Tokenizer.maximumScannedBytes)
    let scan2 = Tokenizer.scan(padded)
    #expect(scan2.tokens.count == 1)
    #expect(scan2.lowered.count == Tokenizer.maximumScannedBytes - 1)
  }
}

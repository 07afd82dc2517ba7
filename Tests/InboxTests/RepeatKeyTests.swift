import Testing

@testable import Inbox

/// The repeat key's ASCII path (issue 17: off the writer, byte by byte) gives what the key's
/// definition on characters gives, for every text it accepts.
@Suite struct RepeatKeyTests {
  /// A small deterministic generator (no wall clock, no system randomness).
  struct Dice {
    var state: UInt64
    mutating func next(_ bound: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(bound))
    }
  }

  static let pieces = [
    "a", "B", "z", "Z", "0", "9", "late", "LATE", "Late", "trein", "8:12", "!", "?", ".", ",", "-", "_",
    "http://x.example/a", "HTTPS://X.EXAMPLE", "www.example.nl", "WWW.", "http:/", "https:",
    "wwwx", " ", "  ", "\t", "\n", "\r\n", "\r", "\u{0B}", "\u{0C}", "\u{1C}", "\u{1F}", "\u{7F}",
    "\u{00}", "abc123", "ABC123", "aaaa", "bbbb", "zz", "yy", "12345",
  ]

  @Test("the ASCII path equals the definition on random ASCII texts")
  func asciiMatchesCharacters() {
    var dice = Dice(state: 17)
    for _ in 0..<5000 {
      var text = ""
      for _ in 0..<dice.next(14) { text += Self.pieces[dice.next(Self.pieces.count)] }
      let key = RepeatKey.characterKey(text)
      var copy = text
      #expect(copy.withUTF8 { RepeatKey.asciiKey($0) } == key, "\(text.debugDescription)")
      var keyCopy = key
      #expect(
        keyCopy.withUTF8 { RepeatKey.asciiProbes($0) } == RepeatKey.characterProbes(key),
        "\(key.debugDescription)")
    }
  }

  @Test("text beyond ASCII goes through characters")
  func beyondASCII() {
    for text in ["Ça va PAS 😡 https://x", "trein\u{00A0}STIL", "e\u{301} over ÉÉN", "K\u{212A}elvin kk"] {
      #expect(RepeatKey.key(text) == RepeatKey.characterKey(text))
      let key = RepeatKey.key(text)
      #expect(RepeatKey.probes(key) == RepeatKey.characterProbes(key))
    }
    #expect(RepeatKey("Hallo  WERELD https://x.example/a").text == "hallo wereld")
    #expect(RepeatKey("Trein 8:12 naar Utrecht staat AL 20 minuten stil").probes == ["utrecht", "minuten"])
    #expect(RepeatKey("bb aa bb cc").probes == ["cc", "bb"])
    #expect(RepeatKey("https://x.example").probes.isEmpty)
  }
}

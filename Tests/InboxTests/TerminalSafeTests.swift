import Testing

@testable import Inbox

@Suite struct TerminalSafeTests {
  @Test func plainTextIsUntouched() {
    for text in ["Dank je wel!", "Café 😊 naïve 漢字", "a\u{301}", ""] {
      #expect(TerminalSafe.sanitize(text) == text)
      #expect(TerminalSafe.isPlain(text))
    }
  }

  @Test func escapeSequencesAreShownNotObeyed() {
    let title = "hi\u{1B}]0;owned\u{07}there"
    let clear = "\u{1B}[2Jgone"
    #expect(TerminalSafe.sanitize(title) == "hi␛]0;owned␇there")
    #expect(TerminalSafe.sanitize(clear) == "␛[2Jgone")
    #expect(!TerminalSafe.sanitize(title + clear).unicodeScalars.contains { $0.value < 0x20 })
  }

  @Test func c1ControlsAndDeleteAreShown() {
    #expect(TerminalSafe.sanitize("a\u{9B}31mb") == "a⟨U+009B⟩31mb")
    #expect(TerminalSafe.sanitize("x\u{7F}") == "x␡")
    #expect(TerminalSafe.sanitize("\u{85}") == "⟨U+0085⟩")
  }

  @Test func bidiOverridesAreNamed() {
    #expect(TerminalSafe.sanitize("abc\u{202E}fdp.exe") == "abc⟨RLO⟩fdp.exe")
    #expect(TerminalSafe.sanitize("\u{2066}x\u{2069}") == "⟨LRI⟩x⟨PDI⟩")
    #expect(TerminalSafe.sanitize("\u{200F}") == "⟨RLM⟩")
  }

  @Test func lineBreaksFollowTheMode() {
    #expect(TerminalSafe.sanitize("one\ntwo") == "one⏎ two")
    #expect(TerminalSafe.sanitize("one\r\ntwo", lines: .multi) == "one\ntwo")
    #expect(TerminalSafe.sanitize("one\r\ntwo", lines: .single) == "one⏎ two")
    #expect(TerminalSafe.sanitize("a\tb", lines: .multi) == "a b")
    #expect(TerminalSafe.sanitize("a\u{2028}b", lines: .multi) == "a\nb")
  }

  @Test func nothingDangerousSurvivesAnyByte() {
    // Every scalar below U+0100 and the bidi block, one at a time: the result holds no control.
    for v in Array(0..<0x100) + Array(0x2000...0x206F) {
      let text = "x" + String(Unicode.Scalar(UInt32(v))!) + "y"
      let out = TerminalSafe.sanitize(text, lines: .single)
      for s in out.unicodeScalars {
        #expect(s.value >= 0x20 && !(0x7F..<0xA0).contains(s.value), "U+\(v) left \(s.value)")
        #expect(TerminalSafe.bidiName(s.value) == nil)
      }
    }
  }
}

import Testing

@testable import TerminalUI

@Suite("Display widths")
struct TextWidthTests {
  @Test(
    "width of a string",
    arguments: [
      ("abc", 3),
      ("", 0),
      ("caf\u{E9}", 4),  // é precomposed
      ("cafe\u{301}", 4),  // e + combining acute
      ("漢字", 4),
      ("日本語テキスト", 14),
      ("😀", 2),
      ("👩‍👩‍👧", 2),  // ZWJ family: one cluster
      ("🇳🇱", 2),  // flag: two regional indicators
      ("❤\u{FE0F}", 2),  // text-default emoji made emoji by VS16
      ("❤", 1),  // without VS16 it is narrow
      ("👍🏽", 2),  // emoji with skin tone
      ("1\u{FE0F}\u{20E3}", 2),  // keycap
      ("ｶ", 1),  // halfwidth katakana
      ("Ａ", 2),  // fullwidth A
      ("한국어", 6),
      ("a\u{200B}b", 2),  // zero-width space
      ("x😀y漢", 6),
    ])
  func stringWidth(text: String, expected: Int) {
    #expect(
      TextWidth.width(of: text) == expected, "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
  }

  @Test("a lone combining mark has no width of its own")
  func loneMark() {
    #expect(TextWidth.width(of: Character("\u{301}")) == 0)
  }

  @Test(
    "truncation",
    arguments: [
      ("hello world", 5, "hell…"),
      ("hello", 5, "hello"),
      ("hello", 0, ""),
      ("漢字漢字", 5, "漢字…"),
      ("漢字漢字", 4, "漢…"),  // 漢字 would fill it but the ellipsis needs a column
      ("a😀b", 3, "a…"),
      ("cafe\u{301}s", 4, "caf…"),
    ])
  func truncation(text: String, width: Int, expected: String) {
    let result = TextWidth.truncate(text, to: width)
    #expect(result == expected)
    #expect(TextWidth.width(of: result) <= width)
  }

  @Test("padding fills to an exact width, counting wide characters")
  func padding() {
    #expect(TextWidth.pad("漢", to: 4) == "漢  ")
    #expect(TextWidth.pad("abcdef", to: 4) == "abc…")
  }

  @Test("wrapping at spaces")
  func wrapWords() {
    #expect(TextWidth.wrap("the quick brown fox jumps", to: 10) == ["the quick", "brown fox", "jumps"])
  }

  @Test("wrapping keeps paragraphs and empty lines")
  func wrapParagraphs() {
    #expect(TextWidth.wrap("one\n\ntwo three", to: 5) == ["one", "", "two", "three"])
  }

  @Test("a long word is split between clusters")
  func wrapLongWord() {
    #expect(TextWidth.wrap("abcdefghij xy", to: 4) == ["abcd", "efgh", "ij", "xy"])
  }

  @Test("wide characters wrap by columns, never splitting a cluster")
  func wrapWide() {
    let lines = TextWidth.wrap("漢字漢字漢 😀😀", to: 5)
    #expect(lines == ["漢字", "漢字", "漢", "😀😀"])
    for line in lines { #expect(TextWidth.width(of: line) <= 5) }
  }

  @Test("a wide cluster in a one-column wrap still makes progress")
  func wrapTooNarrow() {
    #expect(TextWidth.wrap("漢字", to: 1) == ["漢", "字"])
  }

  @Test("control characters are made visible")
  func controls() {
    #expect(ControlCharacters.visible("a\u{1B}[2Jb\u{7}") == "a␛[2Jb␇")
    #expect(ControlCharacters.visible("x\u{202E}y\u{85}z\u{7F}") == "x\u{FFFD}y\u{FFFD}z␡")
    #expect(ControlCharacters.visible("plain é 漢") == "plain é 漢")
  }
}

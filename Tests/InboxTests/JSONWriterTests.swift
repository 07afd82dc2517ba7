import Foundation
import Testing

@testable import Inbox

@Suite struct JSONWriterTests {
  @Test func keysStayInOrderAndNullsAreWritten() {
    var w = JSONWriter()
    w.int("id", 7 as Int64)
    w.string("b", nil)
    w.bool("a", true)
    w.double("x", 0.5)
    w.strings("l", ["p", "q"])
    #expect(w.finish() == #"{"id":7,"b":null,"a":true,"x":0.5,"l":["p","q"]}"#)
  }

  @Test func aReusedBufferGivesTheSameObjects() {
    var buffer: [UInt8] = []
    for (i, text) in ["a", "bb", ""].enumerated() {
      var w = JSONWriter(reusing: buffer)
      w.int("i", i)
      w.string("t", text)
      buffer = w.finishBytes()
      #expect(String(decoding: buffer, as: UTF8.self) == #"{"i":\#(i),"t":"\#(text)"}"#)
    }
  }

  @Test func decimalsAreRoundedToThreePlaces() {
    for (value, text) in [
      (0.3, "0.3"), (1.25, "1.25"), (-2.0, "-2"), (0.1 + 0.2, "0.3"), (0.0005, "0.001"), (7.04, "7.04"),
      (-0.05, "-0.05"), (10.5, "10.5"), (123_456.789, "123456.789"), (-1000, "-1000"), (9.9999, "10"),
    ] {
      var w = JSONWriter()
      w.decimal3("v", value)
      #expect(w.finish() == #"{"v":\#(text)}"#, "\(value)")
    }
  }

  @Test(arguments: [
    "plain", "café 😀 漢字", "quote \" backslash \\ slash /", "nl\ncr\rtab\t", "\u{1B}]0;t\u{07}\u{1B}[2J",
    "c1 \u{9B}31m \u{85}", "bidi \u{202E}abc\u{202C} \u{2066}x\u{2069} \u{200F} \u{061C}",
    "sep \u{2028} \u{2029}",
    "\u{7F}", "",
  ])
  func stringsRoundTripAndCarryNoTerminalControls(text: String) throws {
    let json = JSONWriter.quoted(text)
    let back =
      try JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed]) as? String
    #expect(back == text)
    for scalar in json.unicodeScalars {
      let v = scalar.value
      #expect(v >= 0x20 && v != 0x7F && !(0x80..<0xA0).contains(v), "raw U+\(String(v, radix: 16))")
      #expect(TerminalSafe.bidiName(v) == nil && v != 0x2028 && v != 0x2029)
    }
  }
}

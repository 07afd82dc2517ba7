import Foundation
import Inbox
import Testing

@testable import Feeds

func parse(_ line: String) throws(NativeFormat.RecordError) -> IncomingMention {
  var bytes = Array(line.utf8)
  return try bytes.withUnsafeMutableBufferPointer { buffer throws(NativeFormat.RecordError) in
    try NativeFormat().parse(UnsafeBufferPointer(buffer))
  }
}

func reason(_ line: String) -> String? {
  do {
    _ = try parse(line)
    return nil
  } catch {
    return error.reason
  }
}

@Suite struct NativeFormatTests {
  let minimal =
    #"{"platform":"bluesky","id":"3k1","author":{"handle":"anna.bsky.social"},"created_at":"2026-11-24T09:30:00Z","text":"Dank je!"}"#

  @Test func readsTheRequiredFields() throws {
    let m = try parse(minimal)
    #expect(m.platform == "bluesky")
    #expect(m.externalID == "3k1")
    #expect(m.author.handle == "anna.bsky.social")
    #expect(m.createdAt == RFC3339.parse("2026-11-24T09:30:00Z"))
    #expect(m.text == "Dank je!")
    #expect(m.lang == nil && m.url == nil && m.inReplyTo == nil && m.thread == nil && !m.staff)
    #expect(m.raw == minimal)
  }

  @Test func readsEveryOptionalFieldAndKeepsUnknownOnes() throws {
    let line =
      #"{"platform":"X","id":1234567890123456789,"url":"https://x.com/a/status/1","author":{"handle":"@anna","name":"Anna","followers":12000},"created_at":"2026-11-24T10:30:00+01:00","text":"hoi","lang":"NL","in_reply_to":99,"thread":"c1","staff":true,"extra":{"kept":[1,2]}}"#
    let m = try parse(line)
    #expect(m.platform == "x")
    #expect(m.externalID == "1234567890123456789")
    #expect(m.author == Author(handle: "anna", name: "Anna", followers: 12000))
    #expect(m.lang == "nl")
    #expect(m.inReplyTo == "99")
    #expect(m.thread == "c1")
    #expect(m.staff)
    #expect(m.raw.contains(#""extra":{"kept":[1,2]}"#))
  }

  @Test(arguments: [
    (#"{"platform":"x""#, "broken JSON"),
    (#"[1,2]"#, "not a JSON object"),
    (#""text""#, "not a JSON object"),
    (
      #"{"id":"1","author":{"handle":"a"},"created_at":"2026-11-24T09:30:00Z","text":"t"}"#,
      #"missing "platform""#
    ),
    (
      #"{"platform":"x","author":{"handle":"a"},"created_at":"2026-11-24T09:30:00Z","text":"t"}"#,
      #"missing "id""#
    ),
    (#"{"platform":"x","id":"1","created_at":"2026-11-24T09:30:00Z","text":"t"}"#, #"missing "author""#),
    (
      #"{"platform":"x","id":"1","author":{},"created_at":"2026-11-24T09:30:00Z","text":"t"}"#,
      #"missing "author.handle""#
    ),
    (#"{"platform":"x","id":"1","author":{"handle":"a"},"text":"t"}"#, #"missing "created_at""#),
    (
      #"{"platform":"x","id":"1","author":{"handle":"a"},"created_at":"2026-11-24T09:30:00Z"}"#,
      #"missing "text""#
    ),
    (
      #"{"platform":"x","id":"1","author":{"handle":"a"},"created_at":"yesterday","text":"t"}"#,
      #"bad date in "created_at""#
    ),
    (
      #"{"platform":"x","id":1.5,"author":{"handle":"a"},"created_at":"2026-11-24T09:30:00Z","text":"t"}"#,
      #""id" must be a string or an integer"#
    ),
    (
      #"{"platform":"x","id":"1","author":{"handle":"a","followers":"many"},"created_at":"2026-11-24T09:30:00Z","text":"t"}"#,
      #""author.followers" must be an integer"#
    ),
    (
      #"{"platform":"x","id":"1","author":{"handle":"a","followers":-3},"created_at":"2026-11-24T09:30:00Z","text":"t"}"#,
      #""author.followers" must not be negative: -3"#
    ),
    (
      #"{"platform":"x","id":"1","author":{"handle":"a"},"created_at":"2026-11-24T09:30:00Z","text":null}"#,
      #""text" is null"#
    ),
    (
      #"{"platform":"x","id":"1","author":{"handle":"a"},"created_at":"2026-11-24T09:30:00Z","text":5}"#,
      #""text" must be a string"#
    ),
    (
      #"{"platform":"x","id":"1","author":"a","created_at":"2026-11-24T09:30:00Z","text":"t"}"#,
      #""author" must be an object"#
    ),
    (
      #"{"platform":"x","id":"1","author":{"handle":"a"},"created_at":"2026-11-24T09:30:00Z","text":"t","staff":"yes"}"#,
      #""staff" must be true or false"#
    ),
    (
      #"{"platform":"","id":"1","author":{"handle":"a"},"created_at":"2026-11-24T09:30:00Z","text":"t"}"#,
      #""platform" is empty"#
    ),
    (
      #"{"platform":"x","id":"","author":{"handle":"a"},"created_at":"2026-11-24T09:30:00Z","text":"t"}"#,
      #""id" is empty"#
    ),
  ])
  func refusesWithAClearReason(line: String, expected: String) {
    let got = reason(line)
    #expect(got?.hasPrefix(expected) == true, "got \(got ?? "accepted")")
  }

  @Test func refusesInvalidUTF8NamingTheByte() {
    var bytes = Array(minimal.utf8)
    bytes[bytes.count - 4] = 0xFF
    let result = bytes.withUnsafeBufferPointer { buffer in
      Result { () throws(NativeFormat.RecordError) in try NativeFormat().parse(buffer) }
    }
    guard case .failure(let error) = result else {
      Issue.record("accepted invalid UTF-8")
      return
    }
    #expect(error.reason == "invalid UTF-8 at byte \(bytes.count - 3)")
  }
}

@Suite struct JSONCursorTests {
  @Test(arguments: [
    #"{"a":[1,2,{"b":null}],"c":"d\"e","f":-1.5e3,"g":true,"h":false,"i":{}}"#,
    #"  { "x" : [ ] , "y" : [ [ ] , { } ] }  "#,
    #"{"s":"\u00e9\ud83d\ude00\n\t\/"}"#,
  ])
  func skipsAnyValidValue(json: String) throws {
    var bytes = Array(json.utf8)
    try bytes.withUnsafeMutableBufferPointer { buffer in
      var cursor = JSONCursor(UnsafeBufferPointer(buffer))
      try cursor.skipValue()
      cursor.skipWhitespace()
      #expect(cursor.atEnd)
    }
  }

  @Test(arguments: [
    #"{"a":1,}"#, #"{"a" 1}"#, #"[1 2]"#, #"{"a":01}"#, #"{"a":1.}"#, #"{"a":tru}"#, #"{"a":"\x"}"#,
    #"{"a":"\ud800"}"#, #"{"a":"\udc00"}"#, "{\"a\":\"tab\tinside\"}", #"{"a":[}"#, #"{"a""#,
    String(repeating: "[", count: 600) + String(repeating: "]", count: 600),
  ])
  func refusesMalformedInput(json: String) {
    let line =
      #"{"platform":"x","id":"1","author":{"handle":"a"},"created_at":"2026-11-24T09:30:00Z","text":"t","extra":"#
      + json + "}"
    #expect(reason(line)?.hasPrefix("broken JSON at byte") == true, "\(json)")
  }

  @Test func decodesEscapesInKnownFields() throws {
    let m = try parse(
      #"{"platform":"x","id":"1","author":{"handle":"a\u00efb"},"created_at":"2026-11-24T09:30:00Z","text":"caf\u00e9 \ud83d\ude00 \"q\" \u001b[2J"}"#
    )
    #expect(m.author.handle == "aïb")
    #expect(m.text == "café 😀 \"q\" \u{1B}[2J")
  }

  @Test func aDuplicateKeyTakesTheLastValue() throws {
    let m = try parse(
      #"{"platform":"x","id":"1","id":"2","author":{"handle":"a"},"created_at":"2026-11-24T09:30:00Z","text":"t"}"#
    )
    #expect(m.externalID == "2")
  }
}

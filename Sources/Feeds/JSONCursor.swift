/// A strict, allocation-light JSON reader over UTF-8 bytes (RFC 8259), for the ingest hot path.
///
/// Foundation's `JSONDecoder` took about 15 µs a line, more than storing the mention; this reader
/// pulls the fields the native format knows straight out of the bytes and checks (without keeping)
/// everything else. Input must already be valid UTF-8.
struct JSONCursor {
  let bytes: UnsafeBufferPointer<UInt8>
  var index = 0

  init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

  /// A malformed document: where and what.
  struct Malformed: Error {
    var offset: Int
    var expected: String
  }

  /// The kind of the next value, from its first byte.
  enum Kind {
    case object, array, string, number, bool, null
  }

  var atEnd: Bool { index >= bytes.count }

  mutating func skipWhitespace() {
    while index < bytes.count {
      switch bytes[index] {
      case 0x20, 0x09, 0x0A, 0x0D: index += 1
      default: return
      }
    }
  }

  func fail(_ expected: String) -> Malformed { Malformed(offset: index, expected: expected) }

  /// The kind of the value at the cursor (after white space), without consuming it.
  mutating func peekKind() throws(Malformed) -> Kind {
    skipWhitespace()
    guard index < bytes.count else { throw fail("a value") }
    switch bytes[index] {
    case UInt8(ascii: "{"): return .object
    case UInt8(ascii: "["): return .array
    case UInt8(ascii: "\""): return .string
    case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
    case UInt8(ascii: "n"): return .null
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
    default: throw fail("a value")
    }
  }

  mutating func consume(_ byte: UInt8, _ what: String) throws(Malformed) {
    skipWhitespace()
    guard index < bytes.count, bytes[index] == byte else { throw fail(what) }
    index += 1
  }

  /// Iterates the members of the object at the cursor: `body` gets each key's raw bytes and must
  /// consume the member's value.
  mutating func members(_ body: (inout JSONCursor, UnsafeBufferPointer<UInt8>) throws -> Void) throws {
    try consume(UInt8(ascii: "{"), "'{'")
    skipWhitespace()
    if index < bytes.count && bytes[index] == UInt8(ascii: "}") {
      index += 1
      return
    }
    while true {
      skipWhitespace()
      guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail("a key in quotes") }
      let key = try stringBytes()
      try consume(UInt8(ascii: ":"), "':' after a key")
      if key.escaped {
        // Keys with escapes are rare; compare their decoded form.
        var decoded = Array(try decode(key.range).utf8)
        try decoded.withUnsafeMutableBufferPointer { try body(&self, UnsafeBufferPointer($0)) }
      } else {
        try body(&self, UnsafeBufferPointer(rebasing: bytes[key.range]))
      }
      skipWhitespace()
      guard index < bytes.count else { throw fail("',' or '}'") }
      if bytes[index] == UInt8(ascii: ",") {
        index += 1
        continue
      }
      if bytes[index] == UInt8(ascii: "}") {
        index += 1
        return
      }
      throw fail("',' or '}'")
    }
  }

  /// Reads a string value.
  mutating func string() throws(Malformed) -> String {
    skipWhitespace()
    let token = try stringBytes()
    if !token.escaped {
      return String(decoding: UnsafeBufferPointer(rebasing: bytes[token.range]), as: UTF8.self)
    }
    return try decode(token.range)
  }

  /// Scans a string at the cursor; returns the range between the quotes and whether it holds escapes.
  private mutating func stringBytes() throws(Malformed) -> (range: Range<Int>, escaped: Bool) {
    guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail("a string") }
    index += 1
    let start = index
    var escaped = false
    while index < bytes.count {
      let c = bytes[index]
      if c == UInt8(ascii: "\"") {
        index += 1
        return (start..<(index - 1), escaped)
      }
      if c == UInt8(ascii: "\\") {
        escaped = true
        index += 2
        continue
      }
      if c < 0x20 { throw fail("no raw control character inside a string (escape it)") }
      index += 1
    }
    index = bytes.count
    throw fail("the end of the string")
  }

  /// Checks a string, escapes included, without keeping it.
  private mutating func skipString() throws(Malformed) {
    let token = try stringBytes()
    if token.escaped { _ = try decode(token.range) }
  }

  private func decode(_ range: Range<Int>) throws(Malformed) -> String {
    var out = String.UnicodeScalarView()
    var i = range.lowerBound
    var plain = i
    func flush(_ upTo: Int) {
      if upTo > plain {
        out.append(
          contentsOf: String(decoding: UnsafeBufferPointer(rebasing: bytes[plain..<upTo]), as: UTF8.self)
            .unicodeScalars)
      }
    }
    while i < range.upperBound {
      guard bytes[i] == UInt8(ascii: "\\") else {
        i += 1
        continue
      }
      flush(i)
      guard i + 1 < range.upperBound else { throw Malformed(offset: i, expected: "an escape") }
      let e = bytes[i + 1]
      i += 2
      switch e {
      case UInt8(ascii: "\""): out.append("\"")
      case UInt8(ascii: "\\"): out.append("\\")
      case UInt8(ascii: "/"): out.append("/")
      case UInt8(ascii: "b"): out.append("\u{08}")
      case UInt8(ascii: "f"): out.append("\u{0C}")
      case UInt8(ascii: "n"): out.append("\n")
      case UInt8(ascii: "r"): out.append("\r")
      case UInt8(ascii: "t"): out.append("\t")
      case UInt8(ascii: "u"):
        var value = try hex4(i, range.upperBound)
        i += 4
        if (0xD800..<0xDC00).contains(value) {
          // A high surrogate must be followed by an escaped low one.
          guard i + 6 <= range.upperBound, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u")
          else {
            throw Malformed(offset: i, expected: "a low surrogate after \\u\(String(value, radix: 16))")
          }
          let low = try hex4(i + 2, range.upperBound)
          guard (0xDC00..<0xE000).contains(low) else {
            throw Malformed(offset: i, expected: "a low surrogate")
          }
          value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
          i += 6
        } else if (0xDC00..<0xE000).contains(value) {
          throw Malformed(offset: i - 6, expected: "no lone low surrogate")
        }
        out.append(Unicode.Scalar(value)!)
      default:
        throw Malformed(offset: i - 1, expected: "a valid escape")
      }
      plain = i
    }
    flush(range.upperBound)
    return String(out)
  }

  private func hex4(_ at: Int, _ end: Int) throws(Malformed) -> UInt32 {
    guard at + 4 <= end else { throw Malformed(offset: at, expected: "four hex digits") }
    var value: UInt32 = 0
    for k in at..<(at + 4) {
      let c = bytes[k]
      let digit: UInt8
      switch c {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = c - UInt8(ascii: "0")
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = c - UInt8(ascii: "a") + 10
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = c - UInt8(ascii: "A") + 10
      default: throw Malformed(offset: k, expected: "a hex digit")
      }
      value = value << 4 | UInt32(digit)
    }
    return value
  }

  /// Reads a number; returns its text and whether it is an integer (no fraction, no exponent).
  mutating func number() throws(Malformed) -> (text: Substring, isInteger: Bool) {
    skipWhitespace()
    let start = index
    var isInteger = true
    if index < bytes.count && bytes[index] == UInt8(ascii: "-") { index += 1 }
    guard index < bytes.count, isDigit(bytes[index]) else { throw fail("a digit") }
    if bytes[index] == UInt8(ascii: "0") {
      index += 1
    } else {
      while index < bytes.count && isDigit(bytes[index]) { index += 1 }
    }
    if index < bytes.count && bytes[index] == UInt8(ascii: ".") {
      isInteger = false
      index += 1
      guard index < bytes.count, isDigit(bytes[index]) else { throw fail("a digit after '.'") }
      while index < bytes.count && isDigit(bytes[index]) { index += 1 }
    }
    if index < bytes.count && (bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")) {
      isInteger = false
      index += 1
      if index < bytes.count && (bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")) {
        index += 1
      }
      guard index < bytes.count, isDigit(bytes[index]) else { throw fail("a digit in the exponent") }
      while index < bytes.count && isDigit(bytes[index]) { index += 1 }
    }
    let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
    return (Substring(text), isInteger)
  }

  private func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }

  mutating func bool() throws(Malformed) -> Bool {
    if literal("true") { return true }
    if literal("false") { return false }
    throw fail("true or false")
  }

  mutating func null() throws(Malformed) {
    guard literal("null") else { throw fail("null") }
  }

  private mutating func literal(_ word: StaticString) -> Bool {
    skipWhitespace()
    let count = word.utf8CodeUnitCount
    guard index + count <= bytes.count else { return false }
    for k in 0..<count where bytes[index + k] != word.utf8Start[k] { return false }
    index += count
    return true
  }

  /// Checks and skips one value of any kind, without recursion (so deep nesting cannot overflow
  /// the stack).
  mutating func skipValue() throws(Malformed) {
    // true: inside an object, false: inside an array.
    var stack: [Bool] = []
    while true {
      switch try peekKind() {
      case .string: try skipString()
      case .number: _ = try number()
      case .bool: _ = try bool()
      case .null: try null()
      case .object, .array:
        let isObject = bytes[index] == UInt8(ascii: "{")
        index += 1
        guard stack.count < 512 else { throw fail("less deeply nested values (512 levels at most)") }
        skipWhitespace()
        if index < bytes.count && bytes[index] == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
          index += 1
          break
        }
        stack.append(isObject)
        if isObject {
          skipWhitespace()
          try skipString()
          try consume(UInt8(ascii: ":"), "':' after a key")
        }
        continue
      }
      // A value ended: close containers or move to the next element.
      while let isObject = stack.last {
        skipWhitespace()
        guard index < bytes.count else { throw fail(isObject ? "',' or '}'" : "',' or ']'") }
        let c = bytes[index]
        if c == UInt8(ascii: ",") {
          index += 1
          if isObject {
            skipWhitespace()
            try skipString()
            try consume(UInt8(ascii: ":"), "':' after a key")
          }
          break
        }
        if c == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
          index += 1
          stack.removeLast()
          continue
        }
        throw fail(isObject ? "',' or '}'" : "',' or ']'")
      }
      if stack.isEmpty { return }
    }
  }
}

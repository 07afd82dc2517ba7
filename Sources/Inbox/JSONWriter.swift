/// Writes one JSON object with its keys in the order given.
///
/// Foundation's `JSONEncoder` orders keys by hash on Linux, which makes JSON Lines output hard to
/// read and to diff; this writer keeps the documented order and is fast enough for bulk output.
/// Strings are escaped so the output cannot drive a terminal either: C0 and C1 controls, the
/// line separators and bidi controls become `\uXXXX` (still the same JSON string to a parser).
public struct JSONWriter: Sendable {
  public private(set) var text: String
  private var first = true

  public init() {
    text = "{"
    text.reserveCapacity(512)
  }

  /// The finished object.
  public consuming func finish() -> String {
    text.append("}")
    return text
  }

  private mutating func key(_ name: String) {
    if first { first = false } else { text.append(",") }
    text.append("\"")
    text.append(name)
    text.append("\":")
  }

  public mutating func string(_ name: String, _ value: String?) {
    key(name)
    if let value { Self.appendString(value, to: &text) } else { text.append("null") }
  }

  public mutating func int(_ name: String, _ value: Int64?) {
    key(name)
    text.append(value.map { String($0) } ?? "null")
  }

  public mutating func int(_ name: String, _ value: Int?) {
    int(name, value.map(Int64.init))
  }

  public mutating func double(_ name: String, _ value: Double?) {
    key(name)
    if let value, value.isFinite { text.append(String(value)) } else { text.append("null") }
  }

  public mutating func bool(_ name: String, _ value: Bool?) {
    key(name)
    text.append(value.map { $0 ? "true" : "false" } ?? "null")
  }

  /// Inserts already-encoded JSON (an object or array written by another writer).
  public mutating func raw(_ name: String, _ json: String?) {
    key(name)
    text.append(json ?? "null")
  }

  public mutating func strings(_ name: String, _ values: [String]) {
    key(name)
    text.append("[")
    for (i, v) in values.enumerated() {
      if i > 0 { text.append(",") }
      Self.appendString(v, to: &text)
    }
    text.append("]")
  }

  /// A JSON array of already-encoded values.
  public static func array(_ items: [String]) -> String {
    "[" + items.joined(separator: ",") + "]"
  }

  /// Appends `value` as a JSON string literal.
  public static func appendString(_ value: String, to out: inout String) {
    out.append("\"")
    var plainStart = value.unicodeScalars.startIndex
    var index = plainStart
    let scalars = value.unicodeScalars
    while index != scalars.endIndex {
      let v = scalars[index].value
      let escape: String?
      switch v {
      case 0x22: escape = "\\\""
      case 0x5C: escape = "\\\\"
      case 0x0A: escape = "\\n"
      case 0x0D: escape = "\\r"
      case 0x09: escape = "\\t"
      case 0x00..<0x20, 0x7F..<0xA0, 0x2028, 0x2029, 0x061C, 0x200E, 0x200F, 0x202A...0x202E,
        0x2066...0x2069:
        escape = unicodeEscape(v)
      default: escape = nil
      }
      if let escape {
        out.unicodeScalars.append(contentsOf: scalars[plainStart..<index])
        out.append(escape)
        index = scalars.index(after: index)
        plainStart = index
      } else {
        index = scalars.index(after: index)
      }
    }
    out.unicodeScalars.append(contentsOf: scalars[plainStart..<index])
    out.append("\"")
  }

  private static func unicodeEscape(_ v: UInt32) -> String {
    let digits = Array("0123456789abcdef")
    var s = "\\u"
    for shift in stride(from: 12, through: 0, by: -4) { s.append(digits[Int((v >> UInt32(shift)) & 0xF)]) }
    return s
  }
}

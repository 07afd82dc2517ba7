import Foundation
import Policy

/// Read-only access to a value from `JSONSerialization`, with the loose typing real payloads need
/// (ids as strings or integers, numbers as `NSNumber`).
struct JSONObject {
  let fields: [String: Any]

  init(_ fields: [String: Any]) { self.fields = fields }

  init?(_ value: Any?) {
    guard let fields = value as? [String: Any] else { return nil }
    self.fields = fields
  }

  subscript(_ key: String) -> Any? { fields[key] }

  func has(_ key: String) -> Bool { fields[key] != nil }

  /// A string member; nil when absent, null or not a string.
  func string(_ key: String) -> String? { fields[key] as? String }

  /// A non-empty string member.
  func text(_ key: String) -> String? {
    guard let s = fields[key] as? String, !s.isEmpty else { return nil }
    return s
  }

  /// An id: a string, or an integer taken as its decimal string.
  func identifier(_ key: String) -> String? {
    if let s = fields[key] as? String { return s.isEmpty ? nil : s }
    if let n = fields[key] as? NSNumber, !JSONObject.isBoolean(n) {
      let d = n.doubleValue
      guard d.rounded() == d, abs(d) < 9.0e15 else { return nil }
      return String(n.int64Value)
    }
    return nil
  }

  /// A whole number (a JSON integer, or a string holding one, as some exports write counts).
  func int(_ key: String) -> Int? {
    if let v = fields[key], JSONObject.isBoolean(v) { return nil }
    if let n = fields[key] as? NSNumber {
      let d = n.doubleValue
      guard d.rounded() == d, abs(d) < 9.0e15 else { return nil }
      return n.intValue
    }
    if let s = fields[key] as? String { return Int(s) }
    return nil
  }

  /// A JSON `true` or `false` (not a number 0 or 1, which Foundation on Linux also casts to Bool).
  func bool(_ key: String) -> Bool? {
    guard let v = fields[key], JSONObject.isBoolean(v) else { return nil }
    return v as? Bool
  }

  private static let booleanType = type(of: NSNumber(value: true))

  /// Whether a value from `JSONSerialization` was a JSON boolean: on Linux the numbers 0 and 1
  /// answer `is Bool` too, so the boxed type decides.
  static func isBoolean(_ value: Any) -> Bool {
    type(of: value) == booleanType || type(of: value) == Bool.self
  }

  func object(_ key: String) -> JSONObject? { JSONObject(fields[key]) }

  func array(_ key: String) -> [Any]? { fields[key] as? [Any] }

  func objects(_ key: String) -> [JSONObject] { (fields[key] as? [Any])?.compactMap { JSONObject($0) } ?? [] }

  /// The object as compact JSON with sorted keys: the raw record kept with a mention.
  var serialized: String { JSONObject.serialize(fields) }

  /// Compact JSON with sorted keys. Foundation's writer spent 70 % of reading an X page here
  /// (validation, bridging, locale-aware key sorting), so the values `JSONSerialization` made
  /// are written directly.
  static func serialize(_ value: Any) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(1024)
    write(value, into: &out, depth: 0)
    return String(decoding: out, as: UTF8.self)
  }

  private static func write(_ value: Any, into out: inout [UInt8], depth: Int) {
    guard depth < 600 else {
      out += Array("null".utf8)
      return
    }
    switch value {
    case let s as String: writeString(s, into: &out)
    case let b as Bool where isBoolean(value): out += Array((b ? "true" : "false").utf8)
    case let n as NSNumber: out += Array(n.stringValue.utf8)
    case let i as Int: out += Array(String(i).utf8)
    case let d as Double: out += Array((d.isFinite ? "\(d)" : "null").utf8)
    case let list as [Any]:
      out.append(UInt8(ascii: "["))
      for (i, element) in list.enumerated() {
        if i > 0 { out.append(UInt8(ascii: ",")) }
        write(element, into: &out, depth: depth + 1)
      }
      out.append(UInt8(ascii: "]"))
    case let object as [String: Any]:
      out.append(UInt8(ascii: "{"))
      for (i, key) in object.keys.sorted().enumerated() {
        if i > 0 { out.append(UInt8(ascii: ",")) }
        writeString(key, into: &out)
        out.append(UInt8(ascii: ":"))
        write(object[key]!, into: &out, depth: depth + 1)
      }
      out.append(UInt8(ascii: "}"))
    default: out += Array("null".utf8)
    }
  }

  private static let hex = Array("0123456789abcdef".utf8)

  private static func writeString(_ s: String, into out: inout [UInt8]) {
    let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
    out.append(quote)
    for b in s.utf8 {
      switch b {
      case quote: out += [backslash, quote]
      case backslash: out += [backslash, backslash]
      case 0x0A: out += [backslash, UInt8(ascii: "n")]
      case 0x0D: out += [backslash, UInt8(ascii: "r")]
      case 0x09: out += [backslash, UInt8(ascii: "t")]
      case 0..<0x20: out += [backslash, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0xF)]]
      default: out.append(b)
      }
    }
    out.append(quote)
  }
}

/// Dates as the platforms write them: RFC 3339 (with or without fractions), or RFC 822 in feeds.
enum PlatformDate {
  static func parse(_ text: String?) -> Date? {
    guard let text = text?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
    return RFC3339Loose.parse(text) ?? RFC822.parse(text)
  }
}

/// RFC 3339 / ISO 8601 timestamps with any number of fraction digits, `Z` or an offset, and the
/// date-only or space-separated forms exports use.
enum RFC3339Loose {
  static func parse(_ text: String) -> Date? {
    let b = Array(text.utf8)
    var i = 0
    func digits(_ n: Int) -> Int? {
      guard i + n <= b.count else { return nil }
      var v = 0
      for k in i..<(i + n) {
        guard b[k] >= 48 && b[k] <= 57 else { return nil }
        v = v * 10 + Int(b[k] - 48)
      }
      i += n
      return v
    }
    func expect(_ c: UInt8) -> Bool {
      guard i < b.count, b[i] == c else { return false }
      i += 1
      return true
    }
    guard let year = digits(4), expect(45), let month = digits(2), expect(45), let day = digits(2) else {
      return nil
    }
    var hour = 0
    var minute = 0
    var second = 0
    var fraction = 0.0
    var offset = 0
    if i < b.count {
      guard b[i] == 84 || b[i] == 116 || b[i] == 32 else { return nil }
      i += 1
      guard let h = digits(2), expect(58), let m = digits(2) else { return nil }
      hour = h
      minute = m
      if expect(58) {
        guard let s = digits(2) else { return nil }
        second = s
        if expect(46) {
          var scale = 0.1
          var any = false
          while i < b.count, b[i] >= 48 && b[i] <= 57 {
            fraction += Double(b[i] - 48) * scale
            scale /= 10
            i += 1
            any = true
          }
          guard any else { return nil }
        }
      }
      if i < b.count {
        if b[i] == 90 || b[i] == 122 {
          i += 1
        } else if b[i] == 43 || b[i] == 45 {
          let sign = b[i] == 45 ? -1 : 1
          i += 1
          guard let oh = digits(2) else { return nil }
          _ = expect(58)
          guard let om = digits(2) else { return nil }
          offset = sign * (oh * 3600 + om * 60)
        }
      }
      guard i == b.count else { return nil }
    }
    guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else {
      return nil
    }
    let days = CivilDays.day(year: year, month: month, day: day)
    let seconds = Double(days * 86_400 + hour * 3600 + minute * 60 + second - offset) + fraction
    return Date(timeIntervalSince1970: seconds)
  }
}

/// RFC 822 dates as RSS writes them: `Tue, 01 Dec 2026 09:30:00 +0100` (or `GMT`, `EST`, …).
enum RFC822 {
  private static let months = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
  ]
  private static let zones: [String: Int] = [
    "gmt": 0, "ut": 0, "utc": 0, "z": 0, "est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7, "mdt": -6,
    "pst": -8, "pdt": -7,
  ]

  static func parse(_ text: String) -> Date? {
    var parts = text.lowercased().split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" }).map(
      String.init)
    if let first = parts.first, first.first?.isLetter == true, !months.contains(String(first.prefix(3))) {
      parts.removeFirst()
    }
    guard parts.count >= 4, let day = Int(parts[0]),
      let month = months.firstIndex(of: String(parts[1].prefix(3))),
      var year = Int(parts[2])
    else { return nil }
    if year < 100 { year += year < 50 ? 2000 : 1900 }
    guard (1...9999).contains(year) else { return nil }
    let clock = parts[3].split(separator: ":").compactMap { Int($0) }
    guard clock.count >= 2, clock.count == parts[3].split(separator: ":").count else { return nil }
    var offset = 0
    if parts.count >= 5 {
      let zone = parts[4]
      if let hours = zones[zone] {
        offset = hours * 3600
      } else if zone.count == 5, let value = Int(zone.dropFirst()), zone.first == "+" || zone.first == "-" {
        offset = (zone.first == "-" ? -1 : 1) * ((value / 100) * 3600 + (value % 100) * 60)
      }
    }
    guard (1...31).contains(day), clock[0] < 24, clock[1] < 60 else { return nil }
    let second = clock.count > 2 ? clock[2] : 0
    let days = CivilDays.day(year: year, month: month + 1, day: day)
    return Date(
      timeIntervalSince1970: Double(days * 86_400 + clock[0] * 3600 + clock[1] * 60 + second - offset))
  }
}

import Foundation
import Policy

/// The one place the current time comes from.
///
/// `REPUTE_NOW` (an RFC 3339 timestamp) freezes it, so tests and demos see the same ages every run.
public struct ReputeClock: Sendable {
  private let frozen: Date?

  /// A clock that reads the system time.
  public static let system = ReputeClock(frozen: nil)

  /// A clock stopped at `date`.
  public static func fixed(_ date: Date) -> ReputeClock { ReputeClock(frozen: date) }

  /// The clock the environment asks for: frozen when `REPUTE_NOW` is set, the system clock otherwise.
  public static func fromEnvironment(
    _ environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws -> ReputeClock {
    guard let value = environment["REPUTE_NOW"], !value.isEmpty else { return .system }
    guard let date = RFC3339.parse(value) else {
      throw InboxError.invalidArgument("REPUTE_NOW is not an RFC 3339 timestamp: \(value)")
    }
    return .fixed(date)
  }

  /// The current time.
  public func now() -> Date { frozen ?? Date() }

  /// True when the clock does not move.
  public var isFrozen: Bool { frozen != nil }
}

/// RFC 3339 timestamps, read strictly and written in UTC with milliseconds.
public enum RFC3339 {
  /// Parses `2026-11-24T09:30:00Z`, `2026-11-24T09:30:00.123+01:00` and the like; nil when not RFC 3339.
  public static func parse(_ text: String) -> Date? {
    var utf8 = Array(text.utf8)
    return utf8.withUnsafeMutableBufferPointer { parse(UnsafeBufferPointer($0)) }
  }

  /// Parses from raw UTF-8 bytes without allocating; the ingest hot path uses this.
  public static func parse(_ b: UnsafeBufferPointer<UInt8>) -> Date? {
    // yyyy-mm-ddThh:mm:ss[.frac](Z|±hh:mm)
    guard b.count >= 20 else { return nil }
    func digits(_ from: Int, _ count: Int) -> Int? {
      var value = 0
      for i in from..<(from + count) {
        let c = b[i]
        guard c >= 48 && c <= 57 else { return nil }
        value = value * 10 + Int(c - 48)
      }
      return value
    }
    guard let year = digits(0, 4), b[4] == 45, let month = digits(5, 2), b[7] == 45,
      let day = digits(8, 2), b[10] == 84 || b[10] == 116 || b[10] == 32,
      let hour = digits(11, 2), b[13] == 58, let minute = digits(14, 2), b[16] == 58,
      let second = digits(17, 2)
    else { return nil }
    guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year), hour <= 23,
      minute <= 59, second <= 60
    else { return nil }
    var i = 19
    var fraction = 0.0
    if i < b.count && b[i] == 46 {
      i += 1
      var scale = 0.1
      let start = i
      while i < b.count, b[i] >= 48, b[i] <= 57 {
        fraction += Double(b[i] - 48) * scale
        scale /= 10
        i += 1
      }
      guard i > start else { return nil }
    }
    guard i < b.count else { return nil }
    var offset = 0
    switch b[i] {
    case 90, 122:  // Z z
      i += 1
    case 43, 45:  // + -
      guard i + 6 == b.count, let oh = digits(i + 1, 2), b[i + 3] == 58, let om = digits(i + 4, 2),
        oh <= 23, om <= 59
      else { return nil }
      offset = (oh * 3600 + om * 60) * (b[i] == 45 ? -1 : 1)
      i += 6
    default:
      return nil
    }
    guard i == b.count else { return nil }
    let days = CivilDays.day(year: year, month: month, day: day)
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + min(second, 59) - offset
    return Date(timeIntervalSince1970: Double(seconds) + fraction)
  }

  /// Formats in UTC with milliseconds: `2026-11-24T09:30:00.000Z`.
  public static func format(_ date: Date) -> String {
    format(milliseconds: date.epochMilliseconds)
  }

  /// Formats epoch milliseconds in UTC.
  public static func format(milliseconds ms: Int64) -> String {
    let seconds = Int(ms.floorDiv(1000))
    let millis = Int(ms - Int64(seconds) * 1000)
    let days = seconds.floorDiv(86_400)
    let rest = seconds - days * 86_400
    let (y, m, d) = CivilDays.date(days)
    func pad(_ v: Int, _ w: Int) -> String {
      let s = String(v)
      return s.count >= w ? s : String(repeating: "0", count: w - s.count) + s
    }
    return
      "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(rest / 3600, 2)):\(pad(rest % 3600 / 60, 2)):"
      + "\(pad(rest % 60, 2)).\(pad(millis, 3))Z"
  }

  private static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }
}

extension BinaryInteger {
  fileprivate func floorDiv(_ other: Self) -> Self {
    let q = self / other
    return (self % other != 0 && (self < 0) != (other < 0)) ? q - 1 : q
  }
}

/// Epoch milliseconds, the store's unit of time.
extension Date {
  /// Milliseconds since 1970, to the nearest (a parsed `.093` must not become `.092`).
  public var epochMilliseconds: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }

  /// The date at `ms` milliseconds since 1970.
  public init(epochMilliseconds ms: Int64) { self.init(timeIntervalSince1970: Double(ms) / 1000) }
}

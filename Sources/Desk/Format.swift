import Foundation
import Inbox

/// Compact times.
public enum Format {
  /// `45s`, `12m`, `3h`, `2d`.
  public static func age(_ seconds: TimeInterval) -> String {
    let s = max(0, Int(seconds))
    if s < 60 { return "\(s)s" }
    if s < 3600 { return "\(s / 60)m" }
    if s < 86_400 * 2 { return "\(s / 3600)h" }
    return "\(s / 86_400)d"
  }

  /// `YYYY-MM-DD` in the local time zone.
  public static func day(_ date: Date, timeZone: TimeZone = .current) -> String {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = timeZone
    let c = calendar.dateComponents([.year, .month, .day], from: date)
    func two(_ v: Int) -> String { v < 10 ? "0\(v)" : String(v) }
    return "\(c.year ?? 0)-\(two(c.month ?? 0))-\(two(c.day ?? 0))"
  }

  /// `HH:MM` in the local time zone.
  public static func clock(_ date: Date, timeZone: TimeZone = .current) -> String {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = timeZone
    let c = calendar.dateComponents([.hour, .minute], from: date)
    func two(_ v: Int) -> String { v < 10 ? "0\(v)" : String(v) }
    return "\(two(c.hour ?? 0)):\(two(c.minute ?? 0))"
  }

  /// `Tue 8 Dec 17:20` (`di 8 dec 17:20`): a day and a time, for what lies days away.
  public static func dayTime(_ date: Date, strings: some Localised, timeZone: TimeZone = .current) -> String {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = timeZone
    let c = calendar.dateComponents([.weekday, .day, .month], from: date)
    let nl = strings.language == .nl
    let days =
      nl
      ? ["zo", "ma", "di", "wo", "do", "vr", "za"] : ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    let months =
      nl
      ? ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
      : ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    let day = days[((c.weekday ?? 1) - 1) % 7]
    let month = months[((c.month ?? 1) - 1) % 12]
    return "\(day) \(c.day ?? 1) \(month) \(clock(date, timeZone: timeZone))"
  }

  /// `14:05` today, else `Tue 8 Dec 14:05`.
  public static func when(_ date: Date, now: Date, strings: some Localised, timeZone: TimeZone = .current)
    -> String
  {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = timeZone
    return calendar.isDate(date, inSameDayAs: now)
      ? clock(date, timeZone: timeZone) : dayTime(date, strings: strings, timeZone: timeZone)
  }

  /// A precise span: `45s`, `12m`, `2h23m` (`2u23m`), `3d04h`.
  public static func span(_ seconds: TimeInterval, strings: some Localised) -> String {
    let s = max(0, Int(seconds))
    let h = strings.language == .nl ? "u" : "h"
    func two(_ v: Int) -> String { v < 10 ? "0\(v)" : String(v) }
    if s < 60 { return "\(s)s" }
    if s < 3600 { return "\(s / 60)m" }
    if s < 86_400 { return "\(s / 3600)\(h)\(two(s % 3600 / 60))m" }
    return "\(s / 86_400)d\(two(s % 86_400 / 3600))\(h)"
  }

  /// `14:05 (in 12m)` or `14:05 (3m ago)`; with the date when not today.
  public static func deadline(_ date: Date, now: Date, strings: some Localised, timeZone: TimeZone = .current)
    -> String
  {
    let delta = date.timeIntervalSince(now)
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = timeZone
    let sameDay = calendar.isDate(date, inSameDayAs: now)
    let day = sameDay ? "" : RFC3339.format(date).prefix(10) + " "
    let relative =
      strings.language == .nl
      ? (delta >= 0 ? "over \(age(delta))" : "\(age(-delta)) geleden")
      : (delta >= 0 ? "in \(age(delta))" : "\(age(-delta)) ago")
    return "\(day)\(clock(date, timeZone: timeZone)) (\(relative))"
  }
}

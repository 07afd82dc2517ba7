import Foundation

/// Parses a snooze time, as the inbox's prompt and `repute snooze --until` take it: `30m`,
/// `2h`/`2u`, `1d`, a time of day `17:00` (tomorrow when past), or a local date and time
/// `2026-12-08T09:00` (or `2026-12-08 09:00`), in `timeZone`. Nil for anything else.
public enum Snooze {
  public static func parse(_ text: String, now: Date, timeZone: TimeZone = .current) -> Date? {
    let t = text.trimmingCharacters(in: .whitespaces).lowercased()
    if let date = localDateTime(t, timeZone: timeZone) { return date }
    if let colon = t.firstIndex(of: ":"), let h = Int(t[..<colon]), let m = Int(t[t.index(after: colon)...]),
      (0..<24).contains(h), (0..<60).contains(m)
    {
      var calendar = Calendar(identifier: .gregorian)
      calendar.timeZone = timeZone
      guard var date = calendar.date(bySettingHour: h, minute: m, second: 0, of: now) else { return nil }
      if date <= now { date = calendar.date(byAdding: .day, value: 1, to: date) ?? date }
      return date
    }
    guard let unit = t.last, let amount = Int(t.dropLast()), amount > 0 else { return nil }
    switch unit {
    case "m": return now.addingTimeInterval(Double(amount) * 60)
    case "h", "u": return now.addingTimeInterval(Double(amount) * 3600)
    case "d": return now.addingTimeInterval(Double(amount) * 86_400)
    default: return nil
    }
  }

  /// `YYYY-MM-DDTHH:MM` or `YYYY-MM-DD HH:MM`, a wall-clock time in `timeZone`.
  static func localDateTime(_ t: String, timeZone: TimeZone) -> Date? {
    let parts = t.split(whereSeparator: { $0 == "t" || $0 == " " })
    guard parts.count == 2 else { return nil }
    let day = parts[0].split(separator: "-").compactMap { Int($0) }
    let time = parts[1].split(separator: ":").compactMap { Int($0) }
    guard day.count == 3, time.count == 2, parts[0].split(separator: "-").count == 3,
      (1...12).contains(day[1]), (1...31).contains(day[2]), (0..<24).contains(time[0]),
      (0..<60).contains(time[1])
    else { return nil }
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = timeZone
    let components = DateComponents(year: day[0], month: day[1], day: day[2], hour: time[0], minute: time[1])
    guard let date = calendar.date(from: components),
      calendar.component(.day, from: date) == day[2]
    else { return nil }
    return date
  }
}

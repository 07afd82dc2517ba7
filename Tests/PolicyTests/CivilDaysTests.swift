import Foundation
import Testing

@testable import Policy

@Suite struct CivilDaysTests {
  @Test func agreesWithFoundationsCalendarSinceTheReform() {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    // From 1614 on: before the 1582 reform Foundation counts Julian dates.
    for day in stride(from: -130_000, through: 200_000, by: 997) {
      let parts = calendar.dateComponents(
        [.year, .month, .day, .weekday], from: Date(timeIntervalSince1970: Double(day) * 86_400))
      let date = CivilDays.date(day)
      #expect(date.year == parts.year && date.month == parts.month && date.day == parts.day, "day \(day)")
      #expect(CivilDays.weekday(day) == parts.weekday, "day \(day)")
      #expect(CivilDays.day(year: date.year, month: date.month, day: date.day) == day)
    }
  }

  @Test func shiftTimesKeepTheirLocalTimeAcrossDaylightSaving() {
    let amsterdam = TimeZone(identifier: "Europe/Amsterdam")!
    // 2026-03-29 (summer time from 02:00) and 2026-10-25 (winter time from 03:00).
    for (y, m, d, utcHour) in [(2026, 3, 28, 8), (2026, 3, 30, 7), (2026, 10, 24, 7), (2026, 10, 26, 8)] {
      let at = ServiceClock.instant(CivilDays.day(year: y, month: m, day: d), 9 * 60, amsterdam)
      let hour = Int(at.timeIntervalSince1970) % 86_400 / 3600
      #expect(hour == utcHour, "09:00 in Amsterdam on \(y)-\(m)-\(d)")
    }
  }
}

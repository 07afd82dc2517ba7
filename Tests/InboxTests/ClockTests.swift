import Foundation
import Testing

@testable import Inbox

@Suite struct RFC3339Tests {
  @Test(arguments: [
    ("2026-11-24T09:30:00Z", 1_795_512_600.0),
    ("2026-11-24T10:30:00+01:00", 1_795_512_600.0),
    ("2026-11-24T09:30:00.250Z", 1_795_512_600.25),
    ("2026-11-24t09:30:00z", 1_795_512_600.0),
    ("1970-01-01T00:00:00Z", 0),
    ("2024-02-29T12:00:00-05:30", 1_709_227_800),
  ])
  func parsesValidTimestamps(text: String, expected: Double) {
    #expect(RFC3339.parse(text)?.timeIntervalSince1970 == expected)
  }

  @Test(arguments: [
    "", "2026-11-24", "2026-11-24T09:30:00", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z",
    "2025-02-29T00:00:00Z", "2026-11-24T24:00:00Z", "2026-11-24T09:30:00+0100", "yesterday",
    "2026-11-24T09:30:00.Z", "2026-11-24T09:30:00Zjunk",
  ])
  func refusesInvalidTimestamps(text: String) {
    #expect(RFC3339.parse(text) == nil)
  }

  @Test func formatsInUTCWithMilliseconds() {
    #expect(RFC3339.format(Date(timeIntervalSince1970: 1_795_512_600.25)) == "2026-11-24T09:30:00.250Z")
    #expect(RFC3339.format(Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59.000Z")
  }

  @Test func roundTripsOverManyDays() {
    var date = Date(timeIntervalSince1970: -86_400 * 400)
    for _ in 0..<2000 {
      let text = RFC3339.format(date)
      #expect(RFC3339.parse(text)?.epochMilliseconds == date.epochMilliseconds)
      date = date.addingTimeInterval(86_400 * 3.7 + 0.123)
    }
  }
}

@Suite struct ClockTests {
  @Test func reputeNowFreezesTheClock() throws {
    let clock = try ReputeClock.fromEnvironment(["REPUTE_NOW": "2026-11-24T09:30:00Z"])
    #expect(clock.isFrozen)
    #expect(clock.now() == RFC3339.parse("2026-11-24T09:30:00Z"))
  }

  @Test func withoutReputeNowTheClockRuns() throws {
    let clock = try ReputeClock.fromEnvironment([:])
    #expect(!clock.isFrozen)
    #expect(abs(clock.now().timeIntervalSinceNow) < 5)
  }

  @Test func aBadReputeNowIsAClearError() {
    #expect(throws: InboxError.invalidArgument("REPUTE_NOW is not an RFC 3339 timestamp: soon")) {
      try ReputeClock.fromEnvironment(["REPUTE_NOW": "soon"])
    }
  }
}

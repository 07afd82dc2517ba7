import Foundation
import Testing

@testable import Policy

@Suite("Response windows and the clock (S11, S12)")
struct DeadlineTests {
  static let amsterdam = TimeZone(identifier: "Europe/Amsterdam")!

  /// A local time in Amsterdam.
  static func at(_ y: Int, _ m: Int, _ d: Int, _ h: Int, _ min: Int = 0) -> Date {
    var cal = Calendar(identifier: .gregorian)
    cal.timeZone = amsterdam
    return cal.date(from: DateComponents(year: y, month: m, day: d, hour: h, minute: min))!
  }

  /// Mon–Fri 08:00–12:30 and 13:00–20:00, Sat 10:00–16:00 (the default).
  let policy = PolicyConfig.default

  @Test("inside hours: cooling-off and target are plain offsets")
  func insideHours() {
    // Tuesday 2026-03-03 09:00.
    let d = policy.deadlines(category: .complaint, arrival: Self.at(2026, 3, 3, 9))
    #expect(d.earliestReply == Self.at(2026, 3, 3, 9, 10))
    #expect(d.firstResponse == Self.at(2026, 3, 3, 10))
  }

  @Test("the lunch break of a split shift does not count")
  func splitShift() {
    let d = policy.deadlines(category: .question, arrival: Self.at(2026, 3, 3, 12))
    // 30 minutes before lunch, 30 after.
    #expect(d.firstResponse == Self.at(2026, 3, 3, 13, 30))
  }

  @Test("arrival outside hours starts the clock at the next opening")
  func outsideHours() {
    // Tuesday 22:00 → Wednesday 08:00 opening.
    let d = policy.deadlines(category: .complaint, arrival: Self.at(2026, 3, 3, 22))
    #expect(d.earliestReply == Self.at(2026, 3, 4, 8, 10))
    #expect(d.firstResponse == Self.at(2026, 3, 4, 9))
    // Saturday 15:30 → 30 min on Saturday, closed Sunday, 30 min Monday.
    let s = policy.deadlines(category: .question, arrival: Self.at(2026, 3, 7, 15, 30))
    #expect(s.firstResponse == Self.at(2026, 3, 9, 8, 30))
  }

  @Test("holidays are skipped")
  func holidays() {
    var p = policy
    p.serviceHours!.holidays = [LocalDate(year: 2026, month: 3, day: 4)]
    let d = p.deadlines(category: .question, arrival: Self.at(2026, 3, 3, 19, 30))
    #expect(d.firstResponse == Self.at(2026, 3, 5, 8, 30))
  }

  @Test("daylight saving: shifts keep their local times")
  func dst() {
    // Saturday 2026-03-28 15:30, clocks go forward in the night to Sunday; Monday 08:30 local.
    let d = policy.deadlines(category: .question, arrival: Self.at(2026, 3, 28, 15, 30))
    #expect(d.firstResponse == Self.at(2026, 3, 30, 8, 30))
  }

  @Test("a window with service_hours = false counts wall-clock time")
  func wallClock() {
    var p = policy
    p.windows[.complaint]!.serviceHours = false
    let d = p.deadlines(category: .complaint, arrival: Self.at(2026, 3, 3, 22))
    #expect(d.firstResponse == Self.at(2026, 3, 3, 23))
    p.serviceHours = nil
    p.windows[.complaint]!.serviceHours = true
    #expect(
      p.deadlines(category: .complaint, arrival: Self.at(2026, 3, 3, 22)).firstResponse
        == Self.at(2026, 3, 3, 23))
  }

  @Test(
    "categories without a window have nothing due",
    arguments: [Category.praise, .selfPraise, .unfounded, .neutral])
  func noWindow(category: Category) {
    let t = Self.at(2026, 3, 3, 9)
    let d = policy.deadlines(category: category, arrival: t)
    #expect(d.firstResponse == nil)
    #expect(d.earliestReply == t)
    #expect(d.clock(status: .open, now: t) == .none)
    #expect(d.activeTarget(status: .open) == nil)
  }

  @Test(
    "the clock over a mention's life",
    arguments: [
      (9, 5, MentionStatus.open, ClockState.cooling),
      (9, 15, .open, .onTime),
      (9, 47, .open, .onTime),
      (9, 49, .open, .dueSoon),
      (10, 0, .open, .overdue),
      (11, 0, .open, .overdue),
      (9, 30, .replied, .none),
      (9, 30, .noReply, .none),
      (9, 30, .snoozed, .none),
    ])
  func clock(hour: Int, minute: Int, status: MentionStatus, want: ClockState) {
    let d = policy.deadlines(category: .complaint, arrival: Self.at(2026, 3, 3, 9))
    #expect(d.clock(status: status, now: Self.at(2026, 3, 3, hour, minute)) == want)
  }

  @Test("a holding reply stops the first-response clock and starts the follow-up clock (S12)")
  func holding() {
    let d0 = policy.deadlines(category: .question, arrival: Self.at(2026, 3, 3, 9))
    let d = policy.afterHoldingReply(d0, at: Self.at(2026, 3, 3, 9, 30))
    #expect(d.followUp == Self.at(2026, 3, 4, 9, 30))
    #expect(d.activeTarget(status: .holding) == d.followUp)
    #expect(d.activeTarget(status: .open) == d.firstResponse)
    // Past the first-response target but holding: the follow-up counts.
    #expect(d.clock(status: .holding, now: Self.at(2026, 3, 3, 11)) == .onTime)
    #expect(d.clock(status: .holding, now: Self.at(2026, 3, 4, 5)) == .dueSoon)
    #expect(d.clock(status: .holding, now: Self.at(2026, 3, 4, 10)) == .overdue)
    #expect(d.dueIn(status: .holding, now: Self.at(2026, 3, 4, 9)) == 1800)
  }

  @Test("a complaint's follow-up after the first response (S10)")
  func complaintFollowUp() {
    let t = Self.at(2026, 3, 3, 9)
    #expect(policy.followUpDeadline(category: .complaint, firstResponseAt: t) != nil)
    #expect(policy.followUpDeadline(category: .question, firstResponseAt: t) == nil)
  }

  @Test("S10: once replied, a pending follow-up is the active target, its span from the first response")
  func repliedFollowUpIsOnTheClock() {
    var d = policy.deadlines(category: .complaint, arrival: Self.at(2026, 3, 3, 9))
    // Answered Tuesday 09:20; 24 service hours later (10h10 Tue, 11h30 Wed, 2h20 Thu) is Thursday 10:20.
    let answered = Self.at(2026, 3, 3, 9, 20)
    d.followUp = policy.followUpDeadline(category: .complaint, firstResponseAt: answered)
    d.respondedAt = answered
    let due = Self.at(2026, 3, 5, 10, 20)
    #expect(d.followUp == due)
    #expect(d.activeTarget(status: .replied) == due)
    #expect(d.followUpPending(status: .replied))
    #expect(!d.followUpPending(status: .open))
    // Past the first-response target, but that one was met: the follow-up counts.
    #expect(d.clock(status: .replied, now: Self.at(2026, 3, 3, 11)) == .onTime)
    // The span is from the answer to Thursday 10:20, 49 h; its last fifth starts at Thursday 00:32.
    #expect(d.clock(status: .replied, now: Self.at(2026, 3, 5, 0, 30)) == .onTime)
    #expect(d.clock(status: .replied, now: Self.at(2026, 3, 5, 1)) == .dueSoon)
    #expect(d.clock(status: .replied, now: Self.at(2026, 3, 5, 11)) == .overdue)
    #expect(d.dueIn(status: .replied, now: Self.at(2026, 3, 5, 9, 50)) == 1800)
    // Cooling-off (S11) is for the first answer only.
    #expect(d.clock(status: .replied, now: Self.at(2026, 3, 3, 9, 5)) == .onTime)
    // Fulfilled (no follow-up left), decided against, or snoozed: nothing is due.
    var done = d
    done.followUp = nil
    #expect(done.activeTarget(status: .replied) == nil)
    #expect(done.clock(status: .replied, now: Self.at(2026, 3, 5, 11)) == ClockState.none)
    #expect(d.clock(status: .noReply, now: Self.at(2026, 3, 5, 11)) == ClockState.none)
    #expect(d.clock(status: .snoozed, now: Self.at(2026, 3, 5, 11)) == ClockState.none)
  }

  @Test("Deadlines round-trip through JSON for the store")
  func codable() throws {
    let d = policy.deadlines(category: .complaint, arrival: Self.at(2026, 3, 3, 9))
    let back = try JSONDecoder().decode(Deadlines.self, from: JSONEncoder().encode(d))
    #expect(back == d)
  }

  @Test("ServiceClock.isOpen follows shifts and holidays")
  func isOpen() {
    let h = policy.serviceHours!
    #expect(ServiceClock.isOpen(Self.at(2026, 3, 3, 9), hours: h))
    #expect(!ServiceClock.isOpen(Self.at(2026, 3, 3, 12, 45), hours: h))
    #expect(!ServiceClock.isOpen(Self.at(2026, 3, 8, 12), hours: h))
  }
}

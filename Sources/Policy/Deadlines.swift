import Foundation

/// Every deadline of a mention, as absolute times the store keeps in indexed columns.
public struct Deadlines: Sendable, Hashable, Codable {
  /// When the mention arrived: the start of the first-response span.
  public var arrival: Date
  /// The earliest sensible reply (S11); the arrival itself when there is no cooling-off.
  public var earliestReply: Date
  /// The first-response target (S12); nil when the category needs no reply.
  public var firstResponse: Date?
  /// The follow-up target: after a holding reply (S12), or the category's follow-up after the first
  /// response (S10); nil when none is due.
  public var followUp: Date?
  /// When the holding reply went out: the start of the follow-up span.
  public var holdingSince: Date?

  public init(
    arrival: Date, earliestReply: Date, firstResponse: Date?, followUp: Date? = nil, holdingSince: Date? = nil
  ) {
    self.arrival = arrival
    self.earliestReply = earliestReply
    self.firstResponse = firstResponse
    self.followUp = followUp
    self.holdingSince = holdingSince
  }

  /// The deadline that counts for the queue order, given the status: the first response while
  /// open, the follow-up while holding, nothing otherwise. The store indexes this one column.
  public func activeTarget(status: MentionStatus) -> Date? {
    switch status {
    case .open: return firstResponse
    case .holding: return followUp
    case .replied, .noReply, .snoozed: return nil
    }
  }

  /// Where a mention stands against its window at `now`.
  ///
  /// Cooling before the earliest reply (S11); overdue past the active target; due soon in the last
  /// fifth of the span from its start (arrival, or the holding reply) to the target; on time
  /// otherwise; none when nothing is due (replied, no reply, snoozed, or no target).
  public func clock(status: MentionStatus, now: Date) -> ClockState {
    guard let target = activeTarget(status: status) else { return .none }
    if status == .open, now < earliestReply { return .cooling }
    if now >= target { return .overdue }
    let start = status == .holding ? (holdingSince ?? arrival) : arrival
    let span = target.timeIntervalSince(start)
    if target.timeIntervalSince(now) <= span / 5 { return .dueSoon }
    return .onTime
  }

  /// Seconds until the active target (negative when overdue); nil when nothing is due.
  public func dueIn(status: MentionStatus, now: Date) -> TimeInterval? {
    activeTarget(status: status)?.timeIntervalSince(now)
  }
}

extension PolicyConfig {
  /// The deadlines of a mention of this category arriving at `arrival`.
  ///
  /// Windows with `service_hours = true` count only service time: a mention arriving outside
  /// service hours starts its clock at the next opening, and time outside shifts and on holidays
  /// doesn't count. Categories without a window get no targets, and may be answered at once.
  public func deadlines(category: Category, arrival: Date) -> Deadlines {
    guard let w = windows[category] else {
      return Deadlines(arrival: arrival, earliestReply: arrival, firstResponse: nil)
    }
    let hours = w.serviceHours ? serviceHours : nil
    let earliest = ServiceClock.add(w.coolingOff, to: arrival, hours: hours)
    let first = ServiceClock.add(w.firstResponse, to: arrival, hours: hours)
    return Deadlines(arrival: arrival, earliestReply: earliest, firstResponse: first)
  }

  /// The deadlines after a holding reply at `time` (S12): the first-response clock stops and the
  /// follow-up clock starts.
  public func afterHoldingReply(_ d: Deadlines, at time: Date) -> Deadlines {
    var out = d
    out.holdingSince = time
    out.followUp = followUpDeadline(afterHoldingAt: time)
    return out
  }

  /// When the real answer is due after a holding reply at `time`.
  public func followUpDeadline(afterHoldingAt time: Date) -> Date {
    ServiceClock.add(holdingFollowUp, to: time, hours: holdingFollowUpInServiceHours ? serviceHours : nil)
  }

  /// The follow-up target after the first response at `time`, for categories that have one
  /// (S10: follow up personally after a complaint); nil otherwise.
  public func followUpDeadline(category: Category, firstResponseAt time: Date) -> Date? {
    guard let w = windows[category], let f = w.followUp else { return nil }
    return ServiceClock.add(f, to: time, hours: w.serviceHours ? serviceHours : nil)
  }
}

/// Arithmetic in service time: a weekly schedule of shifts in a time zone, minus holidays.
public enum ServiceClock {
  /// `start` plus `duration` of service time; wall-clock time when `hours` is nil.
  ///
  /// Shifts are taken in the local time of the schedule's zone, so a shift of 09:00–17:00 stays
  /// 09:00–17:00 across a daylight-saving change. Gives up after two years without any open shift
  /// (a schedule of holidays only) and falls back to wall-clock time.
  public static func add(_ duration: Duration, to start: Date, hours: ServiceHours?) -> Date {
    let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    guard let hours else { return start.addingTimeInterval(seconds) }
    var remaining = seconds
    var cal = Calendar(identifier: .gregorian)
    cal.timeZone = hours.timeZone
    var day = cal.startOfDay(for: start)
    for _ in 0..<(366 * 2) {
      let parts = cal.dateComponents([.year, .month, .day, .weekday], from: day)
      let local = LocalDate(year: parts.year!, month: parts.month!, day: parts.day!)
      if !hours.holidays.contains(local) {
        for shift in hours.shifts(on: Weekday(gregorian: parts.weekday!)) {
          let open = time(shift.start, on: parts, cal)
          let close = time(shift.end, on: parts, cal)
          let from = max(open, start)
          guard from < close else { continue }
          let available = close.timeIntervalSince(from)
          if remaining <= available { return from.addingTimeInterval(remaining) }
          remaining -= available
        }
      }
      guard let next = cal.date(byAdding: .day, value: 1, to: day) else { break }
      day = next
    }
    return start.addingTimeInterval(seconds)
  }

  /// True when `date` falls inside a shift.
  public static func isOpen(_ date: Date, hours: ServiceHours) -> Bool {
    var cal = Calendar(identifier: .gregorian)
    cal.timeZone = hours.timeZone
    let parts = cal.dateComponents([.year, .month, .day, .weekday], from: date)
    if hours.holidays.contains(LocalDate(year: parts.year!, month: parts.month!, day: parts.day!)) {
      return false
    }
    return hours.shifts(on: Weekday(gregorian: parts.weekday!)).contains {
      time($0.start, on: parts, cal) <= date && date < time($0.end, on: parts, cal)
    }
  }

  /// The instant of a local time of day on a local date; 24:00 is the next midnight.
  static func time(_ t: TimeOfDay, on day: DateComponents, _ cal: Calendar) -> Date {
    var c = DateComponents()
    c.year = day.year
    c.month = day.month
    c.day = day.day
    c.hour = t.minutes / 60
    c.minute = t.minutes % 60
    if t.minutes == 24 * 60 {
      c.hour = 0
      c.minute = 0
      let midnight = cal.date(from: c)!
      return cal.date(byAdding: .day, value: 1, to: midnight)!
    }
    return cal.date(from: c)!
  }
}

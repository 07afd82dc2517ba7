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
  /// When the first response went out: the start of the follow-up span once replied (S10).
  public var respondedAt: Date?

  public init(
    arrival: Date, earliestReply: Date, firstResponse: Date?, followUp: Date? = nil,
    holdingSince: Date? = nil,
    respondedAt: Date? = nil
  ) {
    self.arrival = arrival
    self.earliestReply = earliestReply
    self.firstResponse = firstResponse
    self.followUp = followUp
    self.holdingSince = holdingSince
    self.respondedAt = respondedAt
  }

  /// The deadline that counts for the queue order, given the status: the first response while
  /// open, the follow-up while holding (S12) and, once replied, while a personal follow-up is
  /// pending (S10); nothing otherwise. The store indexes this one column.
  public func activeTarget(status: MentionStatus) -> Date? {
    switch status {
    case .open: return firstResponse
    case .holding, .replied: return followUp
    case .noReply, .snoozed: return nil
    }
  }

  /// True when the mention was answered and its personal follow-up (S10) is still to come.
  public func followUpPending(status: MentionStatus) -> Bool {
    status == .replied && followUp != nil
  }

  /// Where a mention stands against its window at `now`.
  ///
  /// Cooling before the earliest reply (S11); overdue past the active target; due soon in the last
  /// fifth of the span from its start (arrival, the holding reply, or the first response for a
  /// follow-up after a reply, S10) to the target; on time otherwise; none when nothing is due (no
  /// reply, snoozed, replied without a pending follow-up, or no target).
  public func clock(status: MentionStatus, now: Date) -> ClockState {
    guard let target = activeTarget(status: status) else { return .none }
    if status == .open, now < earliestReply { return .cooling }
    if now >= target { return .overdue }
    let start: Date
    switch status {
    case .holding: start = holdingSince ?? arrival
    case .replied: start = respondedAt ?? arrival
    case .open, .noReply, .snoozed: start = arrival
    }
    let span = target.timeIntervalSince(start)
    if target.timeIntervalSince(now) <= span / 5 { return .dueSoon }
    return .onTime
  }

  /// Seconds until the active target (negative when overdue); nil when nothing is due.
  public func dueIn(status: MentionStatus, now: Date) -> TimeInterval? {
    activeTarget(status: status)?.timeIntervalSince(now)
  }
}

/// How a deadline went, once it was answered: in time, or late by how much.
public enum DeadlineOutcome: Sendable, Hashable {
  case met(at: Date)
  case late(at: Date, by: TimeInterval)

  /// When it was answered.
  public var at: Date {
    switch self {
    case .met(let at), .late(let at, _): return at
    }
  }

  /// Seconds past the target (0 when met).
  public var lateBy: TimeInterval {
    switch self {
    case .met: return 0
    case .late(_, let by): return by
    }
  }
}

extension Deadlines {
  /// How the first response (a reply or a holding reply, S12) went against its target; nil while
  /// unanswered or when there was no target.
  public var firstResponseOutcome: DeadlineOutcome? {
    guard let due = firstResponse, let at = respondedAt else { return nil }
    return DeadlineOutcome(answeredAt: at, due: due)
  }
}

extension DeadlineOutcome {
  /// An answer at `at` to a target of `due`: met when at or before it, late by the difference.
  public init(answeredAt at: Date, due: Date) {
    self = at <= due ? .met(at: at) : .late(at: at, by: at.timeIntervalSince(due))
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
    let zone = hours.timeZone
    // Walk local days as day numbers: Foundation's Calendar cost more than the classifier here.
    let local = start.timeIntervalSince1970 + Double(zone.secondsFromGMT(for: start))
    var day = Int((local / 86_400).rounded(.down))
    for _ in 0..<(366 * 2) {
      let (year, month, dayOfMonth) = CivilDays.date(day)
      if !hours.holidays.contains(LocalDate(year: year, month: month, day: dayOfMonth)) {
        for shift in hours.shifts(on: Weekday(gregorian: CivilDays.weekday(day))) {
          let open = instant(day, shift.start.minutes, zone)
          let close = instant(day, shift.end.minutes, zone)
          let from = max(open, start)
          guard from < close else { continue }
          let available = close.timeIntervalSince(from)
          if remaining <= available { return from.addingTimeInterval(remaining) }
          remaining -= available
        }
      }
      day += 1
    }
    return start.addingTimeInterval(seconds)
  }

  /// The instant of `minutes` after local midnight of local day `day` in `zone` (1440 is the next
  /// midnight). The offset is looked up at the instant itself, so a shift keeps its local time
  /// across a daylight-saving change; a time that falls in the spring gap moves forward.
  static func instant(_ day: Int, _ minutes: Int, _ zone: TimeZone) -> Date {
    let naive = Double(day * 86_400 + minutes * 60)
    let guess = zone.secondsFromGMT(for: Date(timeIntervalSince1970: naive))
    let offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: naive - Double(guess)))
    return Date(timeIntervalSince1970: naive - Double(offset))
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

/// Days since 1970-01-01 and proleptic Gregorian dates, both ways (Howard Hinnant's algorithms):
/// exact, and far cheaper than Foundation's Calendar.
public enum CivilDays {
  /// The day number of a date (1970-01-01 is 0).
  public static func day(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let mp = (month + 9) % 12
    let doy = (153 * mp + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
  }

  /// The (year, month, day) of a day number.
  public static func date(_ dayNumber: Int) -> (year: Int, month: Int, day: Int) {
    let z = dayNumber + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
  }

  /// The Gregorian weekday of a day number: 1 is Sunday … 7 is Saturday (1970-01-01 was a Thursday).
  public static func weekday(_ dayNumber: Int) -> Int {
    ((dayNumber % 7 + 7 + 4) % 7) + 1
  }
}

import Foundation
import Policy

/// Median and 90th percentile of a set of durations (seconds).
public struct ResponseTimes: Sendable, Hashable {
  public var count: Int
  public var median: Double?
  public var p90: Double?

  public init(count: Int = 0, median: Double? = nil, p90: Double? = nil) {
    self.count = count
    self.median = median
    self.p90 = p90
  }

  /// From unsorted durations: the median (the mean of the middle two for an even count) and the
  /// 90th percentile by nearest rank (the smallest value with at least 90% at or below it).
  public init(_ durations: [Double]) {
    let sorted = durations.sorted()
    count = sorted.count
    guard !sorted.isEmpty else { return }
    let mid = sorted.count / 2
    median = sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    let rank = Int((0.9 * Double(sorted.count)).rounded(.up))
    p90 = sorted[max(0, min(sorted.count - 1, rank - 1))]
  }
}

/// First responses against their target over a period (S12).
public struct TargetShare: Sendable, Hashable {
  /// Answered (or held, S12) within the first-response target.
  public var within = 0
  /// Answered late, or still unanswered past the target.
  public var late = 0
  /// Not answered yet, target still ahead: not counted in the share.
  public var pending = 0
  /// Closed on purpose without any reply (a no-reply decision, S7/S8): never within target, and
  /// not in the share either way.
  public var closedWithoutReply = 0

  public init(within: Int = 0, late: Int = 0, pending: Int = 0, closedWithoutReply: Int = 0) {
    self.within = within
    self.late = late
    self.pending = pending
    self.closedWithoutReply = closedWithoutReply
  }

  /// within / (within + late); nil when nothing was due.
  public var share: Double? { within + late == 0 ? nil : Double(within) / Double(within + late) }
}

/// The team's figures: what the supervisor's pane shows live and `repute report` prints.
public struct TeamFigures: Sendable, Hashable {
  /// When the figures were taken, and the start of the period the response times cover.
  public var now: Date
  public var since: Date
  /// Open and holding mentions per category and clock.
  public var open: [Category: [ClockState: Int]] = [:]
  /// Share within target for mentions that arrived today and in the last 7 days, and since `since`.
  public var today = TargetShare()
  public var week = TargetShare()
  public var period = TargetShare()
  public var periodByCategory: [Category: TargetShare] = [:]
  /// Follow-ups (S12, S10) against the target they answered, for mentions that arrived in the
  /// last 7 days and since `since`: within, late (answered late or unanswered past it), pending.
  public var followUpWeek = TargetShare()
  public var followUpPeriod = TargetShare()
  /// First-response times over the period, per category and per responder.
  public var byCategory: [Category: ResponseTimes] = [:]
  public var byResponder: [String: ResponseTimes] = [:]
  /// Per responder: their first responses within and past the target (no pending: they answered).
  public var shareByResponder: [String: TargetShare] = [:]
  public var overall = ResponseTimes()
  /// Mentions per hour over the last 24 hours, oldest first (24 values).
  public var hourly: [Int] = []

  public init(now: Date, since: Date) {
    self.now = now
    self.since = since
  }

  /// Open mentions of a category, every clock together.
  public func openCount(_ category: Category) -> Int { open[category]?.values.reduce(0, +) ?? 0 }
}

/// A sparkline of counts in eight levels: `▁▂▃▄▅▆▇█`; zero is the lowest bar.
public enum Sparkline {
  public static func render(_ values: [Int]) -> String {
    let bars = Array("▁▂▃▄▅▆▇█")
    let top = values.max() ?? 0
    return String(
      values.map { v in
        top == 0 ? bars[0] : bars[min(7, Int((Double(v) / Double(top) * 7).rounded()))]
      })
  }
}

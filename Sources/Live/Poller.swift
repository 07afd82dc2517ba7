import Foundation
import Inbox
import Store

/// What one source's poll did, for the watcher's output.
public struct PollOutcome: Sendable, Hashable {
  public var source: String
  public var report: PollReport?
  /// The error, already free of secrets and safe for a terminal.
  public var error: String?
  public var nextPollAt: Date
  /// Another watcher was polling this source.
  public var skipped: Bool
}

/// Polls the configured sources when they are due, storing what they bring and keeping each
/// source's cursor and health in the store.
///
/// A source that fails waits longer each time (the interval doubled per failure in a row, up to
/// `maxBackoff`); a platform that says when to come back (`Retry-After`, an exhausted rate
/// limit) is not asked before then.
public final class Poller: Sendable {
  public let store: any SourceStore & QueueStore
  public let sources: [any LiveSource]
  public let config: LiveConfig
  let http: RateLimitedHTTP
  let annotator: any MentionAnnotator
  let actor: String
  let clock: @Sendable () -> Date
  /// `host:pid`: this watcher, for the sources' leases.
  public let holder: String
  let note: @Sendable (String) -> Void

  public init(
    store: any SourceStore & QueueStore, sources: [any LiveSource], config: LiveConfig,
    transport: any HTTPTransport,
    annotator: any MentionAnnotator, actor: String = "repute",
    clock: @escaping @Sendable () -> Date,
    note: @escaping @Sendable (String) -> Void = { _ in }
  ) {
    self.store = store
    self.sources = sources
    self.config = config
    self.http = RateLimitedHTTP(transport: transport, now: clock)
    self.annotator = annotator
    self.actor = actor
    self.clock = clock
    self.holder = "\(SystemLogin.hostName()):\(ProcessInfo.processInfo.processIdentifier)"
    self.note = note
  }

  /// Polls every source that is due (every source when `all`), one after another.
  public func pollDue(all: Bool = false) -> [PollOutcome] {
    var outcomes: [PollOutcome] = []
    for source in sources {
      // A store out of reach (issue 19): the source waits for the next pass. Polling it without
      // its cursor would fetch from the start.
      let state: SourceState?
      do {
        state = try store.sourceState(name: source.name)
      } catch {
        outcomes.append(
          PollOutcome(
            source: source.name, report: nil, error: TerminalSafe.sanitize(Self.describe(error)),
            nextPollAt: clock().addingTimeInterval(interval(of: source)), skipped: false))
        continue
      }
      if !all, let next = state?.nextPollAt, next > clock() { continue }
      outcomes.append(poll(source, state: state))
    }
    return outcomes
  }

  /// When the next source is due.
  public func nextDue() -> Date {
    let now = clock()
    var earliest = now.addingTimeInterval(config.interval)
    for source in sources {
      let next = (try? store.sourceState(name: source.name))?.nextPollAt ?? now
      earliest = min(earliest, next)
    }
    return earliest
  }

  func interval(of source: any LiveSource) -> TimeInterval { source.interval ?? config.interval }

  /// Polls one source now.
  public func poll(_ source: any LiveSource, state: SourceState?) -> PollOutcome {
    let interval = interval(of: source)
    do {
      guard
        try store.claimSource(name: source.name, kind: source.kind, holder: holder, for: max(interval, 600))
      else {
        return PollOutcome(
          source: source.name, report: nil, error: nil, nextPollAt: clock().addingTimeInterval(interval),
          skipped: true)
      }
    } catch {
      return PollOutcome(
        source: source.name, report: nil, error: "\(error)", nextPollAt: clock().addingTimeInterval(interval),
        skipped: true)
    }
    let stored = NewCount()
    let context = makeContext(source, stored: stored)
    let start = clock()
    do {
      var report = try source.poll(from: state, context: context)
      var next = clock().addingTimeInterval(interval)
      if let rest = report.notBefore ?? hostRest(source), rest > next { next = rest }
      report.notBefore = nil
      // Refused records do not stop a poll (the good ones are stored, the cursor moves on): the
      // source is healthy with a warning until a clean poll, and is not backed off.
      let refused = report.firstRejection.map {
        TerminalSafe.sanitize(SourceState.refusalWarning(count: report.rejected, first: $0))
      }
      try? store.recordPoll(
        name: source.name, kind: source.kind, error: nil, warning: refused, newMentions: report.new,
        nextPollAt: next, holder: holder)
      return PollOutcome(source: source.name, report: report, error: nil, nextPollAt: next, skipped: false)
    } catch {
      let message = TerminalSafe.sanitize(Self.describe(error))
      let failures = (state?.failures ?? 0) + 1
      let backoff = min(interval * pow(2, Double(min(failures, 20))), max(config.maxBackoff, interval))
      var next = start.addingTimeInterval(backoff)
      if let failure = error as? HTTPFailure, let retry = failure.retryAt, retry > next { next = retry }
      // Pages stored before the failure stay stored, with their cursor: say how many were new.
      try? store.recordPoll(
        name: source.name, kind: source.kind, error: message, newMentions: stored.value, nextPollAt: next,
        holder: holder)
      return PollOutcome(source: source.name, report: nil, error: message, nextPollAt: next, skipped: false)
    }
  }

  func hostRest(_ source: any LiveSource) -> Date? {
    switch source {
    case let s as MastodonSource: return http.resting(s.config.server.host ?? "")
    case let s as BlueskySource: return http.resting(s.session.service.host ?? "")
    case let s as FeedSource: return http.resting(s.config.url.host ?? "")
    default: return nil
    }
  }

  static func describe(_ error: any Error) -> String {
    switch error {
    case let e as HTTPFailure: return e.message
    case let e as PayloadError: return e.description
    case let e as InboxError: return e.description
    default: return "\(error)"
    }
  }

  func makeContext(_ source: any LiveSource, stored: NewCount = NewCount()) -> PollContext {
    let store = self.store
    let annotator = self.annotator
    let actor = self.actor
    let clock = self.clock
    let refresh = config.threadRefresh
    let name = source.name
    let note = self.note
    return PollContext(
      http: http, now: clock,
      commit: { page in
        let new = try store.ingest(
          page.mentions, annotations: page.mentions.map { annotator.annotate($0) }, actor: actor,
          cursor: page.cursor, contextOnly: page.contextOnly,
          rules: (annotator as? PolicyAnnotator)?.policy.escalation
        ).new
        if !page.contextOnly { stored.add(new) }
        return new
      },
      note: { note(TerminalSafe.sanitize("\(name): \($0)")) },
      threadCandidates: { platform, limit in
        let now = clock()
        return try store.mentionsNeedingThread(
          platform: platform, before: now.addingTimeInterval(-refresh),
          since: now.addingTimeInterval(-7 * 86_400),
          limit: limit)
      },
      threadFetched: { platform, externalID, posts in
        if let id = try store.mentionID(platform: platform, externalID: externalID) {
          try store.recordThreadFetch(mentionID: id, posts: posts)
        }
      })
  }
}

/// The new mentions a poll stored so far, counted from the commit closure.
final class NewCount: Sendable {
  private let count = Locked(0)

  func add(_ n: Int) {
    count.withLock { $0 += n }
  }

  var value: Int { count.current }
}

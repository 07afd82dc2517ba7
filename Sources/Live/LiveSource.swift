import Foundation
import Inbox
import Store

/// One page of a poll: mentions and the cursor just past them, stored in one transaction.
public struct SourcePage: Sendable {
  public var mentions: [IncomingMention]
  public var cursor: SourceCursor?
  /// Posts fetched only as a thread's context (S8, S11): stored muted, out of the queue.
  public var contextOnly: Bool

  public init(mentions: [IncomingMention], cursor: SourceCursor?, contextOnly: Bool = false) {
    self.mentions = mentions
    self.cursor = cursor
    self.contextOnly = contextOnly
  }
}

/// What a source needs while it polls: the network, the clock, and a way to store a page.
public struct PollContext: Sendable {
  public var http: RateLimitedHTTP
  public var now: @Sendable () -> Date
  /// Stores a page with its cursor, returning how many mentions were new.
  public var commit: @Sendable (SourcePage) throws -> Int
  /// A line for the person running the watcher (already about this source).
  public var note: @Sendable (String) -> Void
  /// Thread context: mentions whose conversation should be fetched (again).
  public var threadCandidates: @Sendable (_ platform: String, _ limit: Int) throws -> [Mention]
  /// Remembers that a stored post's thread was fetched, and how many other posts it had.
  public var threadFetched: @Sendable (_ platform: String, _ externalID: String, _ posts: Int) throws -> Void
  /// The longest a poll may page before it lets the others have a turn (the cursor keeps the rest).
  public var maxPages: Int

  public init(
    http: RateLimitedHTTP, now: @escaping @Sendable () -> Date,
    commit: @escaping @Sendable (SourcePage) throws -> Int,
    note: @escaping @Sendable (String) -> Void = { _ in },
    threadCandidates: @escaping @Sendable (String, Int) throws -> [Mention] = { _, _ in [] },
    threadFetched: @escaping @Sendable (String, String, Int) throws -> Void = { _, _, _ in },
    maxPages: Int = 20
  ) {
    self.http = http
    self.now = now
    self.commit = commit
    self.note = note
    self.threadCandidates = threadCandidates
    self.threadFetched = threadFetched
    self.maxPages = maxPages
  }
}

/// How one poll went.
public struct PollReport: Sendable, Hashable {
  public var new = 0
  public var pages = 0
  /// Records that could not be read (each was reported as `FILE:LINE: reason`).
  public var rejected = 0
  /// The first of them, `ORIGIN:LINE: reason`: the source's health message after the poll.
  public var firstRejection: String?
  /// The platform asked us not to come back before this (an exhausted rate limit).
  public var notBefore: Date?

  public init(new: Int = 0, pages: Int = 0, rejected: Int = 0, notBefore: Date? = nil) {
    self.new = new
    self.pages = pages
    self.rejected = rejected
    self.notBefore = notBefore
  }
}

/// A place mentions come from, polled by `Poller`.
public protocol LiveSource: Sendable {
  var name: String { get }
  /// `mastodon`, `bluesky`, `feed` or `spool`.
  var kind: String { get }
  /// How often it is polled; nil for the config's default.
  var interval: TimeInterval? { get }
  /// Polls once, resuming from `state`'s cursor and committing each page as it goes.
  func poll(from state: SourceState?, context: PollContext) throws -> PollReport
}

/// What every source's section of the config file has: a name and its own interval, if any.
public protocol SourceSection: Sendable {
  var name: String { get }
  var interval: TimeInterval? { get }
}

/// A source made from one section of the config file, whose name and interval it takes.
public protocol ConfiguredSource: LiveSource {
  associatedtype Section: SourceSection
  var config: Section { get }
}

extension ConfiguredSource {
  public var name: String { config.name }
  public var interval: TimeInterval? { config.interval }
}

/// HTTP with the platforms' rate limits respected: a host that said "not before T" gets no
/// request before T; the caller is told to come back then instead.
public final class RateLimitedHTTP: Sendable {
  public let transport: any HTTPTransport
  private let now: @Sendable () -> Date
  /// When each host that asked us to wait may be asked again.
  private let notBefore = Locked<[String: Date]>([:])

  public init(transport: any HTTPTransport, now: @escaping @Sendable () -> Date) {
    self.transport = transport
    self.now = now
  }

  /// Sends the request unless its host is resting; records the answer's rate-limit headers.
  public func send(_ request: HTTPRequest) throws -> HTTPResponse {
    let host = request.url.host ?? ""
    let t = now()
    let until = notBefore.withLock { $0[host] }
    if let until, until > t {
      throw HTTPFailure("\(host): rate limited until \(RFC3339.format(until))", retryAt: until)
    }
    let response = try transport.send(request)
    if let rest = response.rateLimitedUntil(now: t), rest > t {
      notBefore.withLock { $0[host] = rest }
      if response.status == 429 {
        throw HTTPFailure(
          "\(host): rate limited (HTTP 429) until \(RFC3339.format(rest))", status: 429, retryAt: rest)
      }
    }
    return response
  }

  /// When the host may be asked again, if it asked us to wait.
  public func resting(_ host: String) -> Date? {
    guard let until = notBefore.withLock({ $0[host] }), until > now() else { return nil }
    return until
  }
}

extension URL {
  /// This URL with path components and query items added (values percent-encoded).
  func appending(path: String, query: [(String, String)]) -> URL {
    var base = absoluteString
    while base.hasSuffix("/") { base.removeLast() }
    var components = URLComponents(string: base + path)!
    if !query.isEmpty {
      components.percentEncodedQueryItems = query.map {
        URLQueryItem(
          name: $0.0.addingPercentEncoding(withAllowedCharacters: .queryValueAllowed) ?? "",
          value: $0.1.addingPercentEncoding(withAllowedCharacters: .queryValueAllowed))
      }
    }
    return components.url!
  }
}

extension CharacterSet {
  static let queryValueAllowed: CharacterSet = {
    var s = CharacterSet.alphanumerics
    s.insert(charactersIn: "-._~")
    return s
  }()
}

/// A cursor made of named positions (one per search, say), kept as JSON text in the store.
struct CursorMap: Sendable, Hashable {
  var values: [String: String] = [:]

  init(_ text: String?) {
    guard let text, let data = text.data(using: .utf8),
      let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    else { return }
    for (k, v) in object { if let s = v as? String { values[k] = s } }
  }

  subscript(key: String) -> String? {
    get { values[key] }
    set { values[key] = newValue }
  }

  var text: String {
    "{"
      + values.keys.sorted().map { JSONWriter.quoted($0) + ":" + JSONWriter.quoted(values[$0]!) }
      .joined(separator: ",") + "}"
  }
}

/// Mastodon ids are decimal strings that grow with time (longer is newer).
func mastodonIDIsNewer(_ a: String, than b: String) -> Bool {
  a.count != b.count ? a.count > b.count : a > b
}

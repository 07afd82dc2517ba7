import Foundation
import Inbox

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// One HTTP request, as the sources and the courier build them.
public struct HTTPRequest: Sendable, Hashable {
  public var method: String
  public var url: URL
  public var headers: [String: String]
  public var body: Data?

  public init(method: String = "GET", url: URL, headers: [String: String] = [:], body: Data? = nil) {
    self.method = method
    self.url = url
    self.headers = headers
    self.body = body
  }
}

/// One HTTP answer. Header names are matched without regard to case.
public struct HTTPResponse: Sendable, Hashable {
  public var status: Int
  public var headers: [String: String]
  public var body: Data

  public init(status: Int, headers: [String: String] = [:], body: Data = Data()) {
    self.status = status
    self.headers = Dictionary(
      headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { a, _ in a })
    self.body = body
  }

  public func header(_ name: String) -> String? { headers[name.lowercased()] }

  public var isSuccess: Bool { (200..<300).contains(status) }
}

/// Why a request produced no answer a source can use.
public struct HTTPFailure: Error, Sendable, Hashable, CustomStringConvertible {
  public var message: String
  /// When the platform asked us to come back (a rate limit's reset, `Retry-After`).
  public var retryAt: Date?
  /// The HTTP status, nil when the server could not be reached.
  public var status: Int?

  public init(_ message: String, status: Int? = nil, retryAt: Date? = nil) {
    self.message = message
    self.status = status
    self.retryAt = retryAt
  }

  public var description: String { message }
}

/// Sends requests. The real one is URLSession's; tests may use another.
public protocol HTTPTransport: Sendable {
  /// Sends the request and waits for the whole answer; throws `HTTPFailure` when unreachable.
  func send(_ request: HTTPRequest) throws -> HTTPResponse
}

/// The most a response body may hold unless the config says otherwise ([watch] max_response_mib).
public let defaultMaxResponseBytes = 16 << 20

/// A byte count as the messages say it: "16 MiB", "64 KiB", "1000 bytes".
public func byteSizeText(_ bytes: Int) -> String {
  if bytes >= 1 << 20, bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
  if bytes >= 1 << 10, bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
  return "\(bytes) bytes"
}

/// The transport over Foundation's URLSession (FoundationNetworking's curl on Linux).
///
/// A body is read as it arrives and never past `maxBodyBytes`: a declared `Content-Length`
/// over the cap is refused before the body, and a body that grows past it (no length, a
/// chunked one, a length that lies) is cancelled there. Either is a failure
/// ("response larger than 16 MiB"), so a hostile or broken server cannot fill the memory and
/// nothing of a cut-off body reaches a parser.
public final class URLSessionTransport: HTTPTransport, Sendable {
  private let session: URLSession
  private let delegate: TransferDelegate
  public let maxBodyBytes: Int

  /// `timeout`: the longest wait for any answer, so a hung server cannot stall the watcher.
  /// `maxBodyBytes`: the most a response body may hold.
  public init(timeout: TimeInterval = 30, maxBodyBytes: Int = defaultMaxResponseBytes) {
    let config = URLSessionConfiguration.ephemeral
    config.timeoutIntervalForRequest = timeout
    config.timeoutIntervalForResource = timeout * 2
    config.requestCachePolicy = .reloadIgnoringLocalCacheData
    config.urlCache = nil
    config.httpCookieStorage = nil
    config.httpShouldSetCookies = false
    self.maxBodyBytes = max(1, maxBodyBytes)
    delegate = TransferDelegate()
    session = URLSession(
      configuration: config, delegate: delegate, delegateQueue: BoundedDelegateQueue(room: 16))
  }

  deinit { session.invalidateAndCancel() }

  public func send(_ request: HTTPRequest) throws -> HTTPResponse {
    var r = URLRequest(url: request.url)
    r.httpMethod = request.method
    r.httpBody = request.body
    for (k, v) in request.headers { r.setValue(v, forHTTPHeaderField: k) }
    let transfer = Transfer(host: request.url.host ?? "?", limit: maxBodyBytes)
    let task = session.dataTask(with: r)
    delegate.begin(task.taskIdentifier, transfer)
    task.resume()
    transfer.done.wait()
    delegate.end(task.taskIdentifier)
    return try transfer.result()
  }
}

/// One request's answer as it arrives: the response, the body so far, whether it ran over.
private final class Transfer: Sendable {
  let host: String
  let limit: Int
  let done = DispatchSemaphore(value: 0)
  private struct State {
    var response: HTTPURLResponse?
    var body = Data()
    var overflow = false
    var cancelled = false
    var failure: HTTPFailure?

    /// True the first time only, once over the cap: one cancel per transfer.
    mutating func cancelOnce() -> Bool {
      guard overflow, !cancelled else { return false }
      cancelled = true
      return true
    }
  }
  private let state = Locked(State())

  init(host: String, limit: Int) {
    self.host = host
    self.limit = limit
  }

  /// Takes the response's head; true when the task must be cancelled now: the declared length
  /// is over the cap, so the body is not read at all.
  func start(_ response: URLResponse) -> Bool {
    state.withLock { s in
      s.response = response as? HTTPURLResponse
      if response.expectedContentLength > Int64(limit) { s.overflow = true }
      return s.cancelOnce()
    }
  }

  /// Takes a piece of the body; true when the task must be cancelled now: the body ran over the
  /// cap. What came is dropped, and so is anything still arriving before the cancel takes hold.
  func append(_ data: Data) -> Bool {
    state.withLock { s in
      if !s.overflow, s.body.count + data.count > limit {
        s.overflow = true
        s.body = Data()
      }
      if !s.overflow { s.body.append(data) }
      return s.cancelOnce()
    }
  }

  func finish(_ error: (any Error)?) {
    state.withLock { s in
      if let error, !s.overflow {
        // The message names the host, never the request's headers (where tokens travel).
        s.failure = HTTPFailure("\(host): \(error.localizedDescription)")
      }
    }
    done.signal()
  }

  func result() throws -> HTTPResponse {
    try state.withLock { s in
      if s.overflow {
        throw HTTPFailure(
          "\(host): response larger than \(byteSizeText(limit))",
          status: s.response?.statusCode)
      }
      if let failure = s.failure { throw failure }
      guard let http = s.response else { throw HTTPFailure("\(host): no HTTP answer") }
      var headers: [String: String] = [:]
      for (k, v) in http.allHeaderFields {
        if let k = k as? String, let v = v as? String { headers[k] = v }
      }
      return HTTPResponse(status: http.statusCode, headers: headers, body: s.body)
    }
  }
}

/// A task handed to another thread (URLSessionTask is thread-safe, but not marked `Sendable`).
private struct UncheckedTask: @unchecked Sendable {
  let task: URLSessionTask
  init(_ task: URLSessionTask) { self.task = task }
}

/// The session's delegate queue, with room for a few callbacks only.
///
/// FoundationNetworking hands each chunk the network brings to the delegate queue without
/// waiting, so a delegate that falls behind a fast server (a loaded machine) would pile the body
/// up in memory before the cap ever sees it: measured, a 1 MiB cap let a watcher grow to 1.1 GB.
/// Adding to a full queue waits instead, on URLSession's own work queue, which then stops reading
/// the socket (TCP slows the server down), so at most `room` chunks are in flight.
private final class BoundedDelegateQueue: OperationQueue, @unchecked Sendable {
  private let room: DispatchSemaphore

  init(room: Int) {
    self.room = DispatchSemaphore(value: room)
    super.init()
    maxConcurrentOperationCount = 1
  }

  override func addOperation(_ block: @escaping @Sendable () -> Void) {
    room.wait()
    let room = self.room
    super.addOperation {
      block()
      room.signal()
    }
  }
}

/// The session's delegate: hands each task's events to its `Transfer`, and follows a redirect
/// only for a plain GET that carries no credentials: a token (in a header) or an app password
/// (in a login's body) is never handed to wherever a server points (a feed may move; an API
/// answering with a redirect is an error).
private final class TransferDelegate: NSObject, URLSessionDataDelegate, Sendable {
  private let transfers = Locked<[Int: Transfer]>([:])

  func begin(_ id: Int, _ transfer: Transfer) {
    transfers.withLock { $0[id] = transfer }
  }

  func end(_ id: Int) {
    transfers.withLock { $0[id] = nil }
  }

  private func transfer(_ task: URLSessionTask) -> Transfer? {
    let id = task.taskIdentifier
    return transfers.withLock { $0[id] }
  }

  func urlSession(
    _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
    completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void
  ) {
    let refuse = transfer(dataTask)?.start(response) ?? true
    completionHandler(refuse ? .cancel : .allow)
    // FoundationNetworking ignores the disposition: cancel the task as well.
    if refuse { Self.cancel(dataTask) }
  }

  func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
    if transfer(dataTask)?.append(data) == true { Self.cancel(dataTask) }
  }

  /// Cancels from another thread: `cancel` waits for URLSession's work queue, which may itself be
  /// waiting for room in the delegate queue this callback is holding.
  private static func cancel(_ task: URLSessionTask) {
    let task = UncheckedTask(task)
    DispatchQueue.global().async { task.task.cancel() }
  }

  func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
    transfer(task)?.finish(error)
  }

  func urlSession(
    _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
    newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void
  ) {
    let original = task.originalRequest
    let plain =
      (original?.httpMethod ?? "GET") == "GET" && original?.value(forHTTPHeaderField: "Authorization") == nil
    completionHandler(plain ? request : nil)
  }
}

extension HTTPResponse {
  /// When the platform wants the next request: `Retry-After` (seconds or an HTTP date), or the
  /// reset time of an exhausted rate limit (`X-RateLimit-Reset` as RFC 3339, Mastodon's, or epoch
  /// seconds; `RateLimit-Reset`, Bluesky's, as epoch seconds).
  public func rateLimitedUntil(now: Date) -> Date? {
    if let after = header("retry-after") {
      if let seconds = Double(after.trimmingCharacters(in: .whitespaces)) {
        return now.addingTimeInterval(seconds)
      }
      let f = DateFormatter()
      f.locale = Locale(identifier: "en_US_POSIX")
      f.timeZone = TimeZone(identifier: "GMT")
      f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
      if let d = f.date(from: after) { return d }
    }
    let remaining = header("x-ratelimit-remaining") ?? header("ratelimit-remaining")
    guard status == 429 || remaining.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }) == 0 else {
      return nil
    }
    guard let reset = header("x-ratelimit-reset") ?? header("ratelimit-reset") else {
      return status == 429 ? now.addingTimeInterval(60) : nil
    }
    let trimmed = reset.trimmingCharacters(in: .whitespaces)
    if let n = Double(trimmed) {
      // Epoch seconds, or (small numbers) seconds from now.
      return n > 1_000_000_000 ? Date(timeIntervalSince1970: n) : now.addingTimeInterval(n)
    }
    return RFC3339.parse(trimmed) ?? now.addingTimeInterval(60)
  }

  /// The body as JSON, or a failure that says where the answer came from.
  func json(from source: String) throws -> Any {
    do {
      return try JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed])
    } catch {
      throw HTTPFailure("\(source): the answer is not JSON (\(body.count) bytes)", status: status)
    }
  }

  /// The platform's own error message from a JSON error body (`error`, `message`,
  /// `error_description`), cut short; else the status alone.
  public func platformMessage() -> String {
    var text = "HTTP \(status)"
    if let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] {
      let parts = ["error", "message", "error_description"].compactMap { object[$0] as? String }
      if !parts.isEmpty { text += ": " + parts.joined(separator: ": ") }
    }
    return String(text.prefix(300))
  }
}

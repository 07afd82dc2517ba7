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

/// The transport over Foundation's URLSession (FoundationNetworking's curl on Linux).
public final class URLSessionTransport: HTTPTransport, @unchecked Sendable {
  private let session: URLSession

  /// `timeout`: the longest wait for any answer, so a hung server cannot stall the watcher.
  public init(timeout: TimeInterval = 30) {
    let config = URLSessionConfiguration.ephemeral
    config.timeoutIntervalForRequest = timeout
    config.timeoutIntervalForResource = timeout * 2
    config.requestCachePolicy = .reloadIgnoringLocalCacheData
    config.urlCache = nil
    config.httpCookieStorage = nil
    config.httpShouldSetCookies = false
    session = URLSession(configuration: config, delegate: RedirectPolicy(), delegateQueue: nil)
  }

  public func send(_ request: HTTPRequest) throws -> HTTPResponse {
    var r = URLRequest(url: request.url)
    r.httpMethod = request.method
    r.httpBody = request.body
    for (k, v) in request.headers { r.setValue(v, forHTTPHeaderField: k) }
    let box = ResultBox()
    let done = DispatchSemaphore(value: 0)
    let task = session.dataTask(with: r) { data, response, error in
      if let error {
        // The message names the host, never the request's headers (where tokens travel).
        box.set(.failure(HTTPFailure("\(request.url.host ?? "?"): \(error.localizedDescription)")))
      } else if let http = response as? HTTPURLResponse {
        var headers: [String: String] = [:]
        for (k, v) in http.allHeaderFields {
          if let k = k as? String, let v = v as? String { headers[k] = v }
        }
        box.set(.success(HTTPResponse(status: http.statusCode, headers: headers, body: data ?? Data())))
      } else {
        box.set(.failure(HTTPFailure("\(request.url.host ?? "?"): no HTTP answer")))
      }
      done.signal()
    }
    task.resume()
    done.wait()
    return try box.get()
  }
}

/// Follows a redirect only for a plain GET that carries no credentials: a token (in a header) or
/// an app password (in a login's body) is never handed to wherever a server points (a feed may
/// move; an API answering with a redirect is an error).
private final class RedirectPolicy: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
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

private final class ResultBox: @unchecked Sendable {
  private let lock = NSLock()
  private var result: Result<HTTPResponse, HTTPFailure> = .failure(HTTPFailure("no answer"))

  func set(_ r: Result<HTTPResponse, HTTPFailure>) {
    lock.lock()
    result = r
    lock.unlock()
  }

  func get() throws -> HTTPResponse {
    lock.lock()
    defer { lock.unlock() }
    return try result.get()
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

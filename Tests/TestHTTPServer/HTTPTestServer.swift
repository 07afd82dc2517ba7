import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A request as the test server read it.
public struct ServedRequest: Sendable {
  public var method: String
  /// The path without the query.
  public var path: String
  public var query: [String: [String]]
  /// Header names in lower case.
  public var headers: [String: String]
  public var body: Data

  public func query(_ name: String) -> String? { query[name]?.first }

  public var json: [String: Any]? { try? JSONSerialization.jsonObject(with: body) as? [String: Any] }
}

/// An answer the test server sends; `hold` keeps the connection open without answering, as a
/// platform that took the request but has not replied yet; `stream` sends more than the body, as
/// a hostile or broken server does.
public struct ServedResponse: Sendable {
  public var status: Int
  public var headers: [String: String]
  public var body: Data
  public var hold: Bool
  public var stream: Stream?

  /// After the body, `filler` more bytes (spaces, so a JSON or XML body stays well formed up to
  /// where it is cut), declared by `declaredLength` (nil: no `Content-Length`, the end is the
  /// connection's close) and framed as chunks when `chunked`. The server stops when the
  /// client hangs up.
  public struct Stream: Sendable {
    public var filler: Int
    public var declaredLength: Int?
    public var chunked: Bool

    public init(filler: Int, declaredLength: Int? = nil, chunked: Bool = false) {
      self.filler = filler
      self.declaredLength = declaredLength
      self.chunked = chunked
    }
  }

  public init(
    status: Int = 200, headers: [String: String] = [:], body: Data = Data(), hold: Bool = false,
    stream: Stream? = nil
  ) {
    self.status = status
    self.headers = headers
    self.body = body
    self.hold = hold
    self.stream = stream
  }

  public static func json(_ object: Any, status: Int = 200, headers: [String: String] = [:]) -> ServedResponse
  {
    let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
    var h = headers
    h["Content-Type"] = "application/json"
    return ServedResponse(status: status, headers: h, body: data)
  }
}

/// A small HTTP/1.1 server on 127.0.0.1 (a free port, never another address) for tests.
///
/// Each connection carries one request and is closed after the answer. It serves at most
/// `maxRequests` and stops by itself when dropped or after `lifetime`, so a failing test
/// cannot leave it running.
public final class HTTPTestServer: @unchecked Sendable {
  public let port: UInt16
  private let listener: Int32
  private let handler: @Sendable (ServedRequest) -> ServedResponse
  private let lock = NSLock()
  private var served: [ServedRequest] = []
  private var stopped = false
  private var held: [Int32] = []
  private var acceptLoopEnded = false
  private var listenerClosed = false
  private let maxRequests: Int

  public var baseURL: String { "http://127.0.0.1:\(port)" }

  public init(
    maxRequests: Int = 500, lifetime: TimeInterval = 120,
    handler: @escaping @Sendable (ServedRequest) -> ServedResponse
  ) throws {
    self.handler = handler
    self.maxRequests = maxRequests
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw POSIXError(.EIO) }
    var one: Int32 = 1
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard bound == 0, listen(fd, 16) == 0 else {
      close(fd)
      throw POSIXError(.EADDRINUSE)
    }
    var actual = sockaddr_in()
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &actual) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    port = UInt16(bigEndian: actual.sin_port)
    listener = fd
    let thread = Thread { [weak self] in self?.acceptLoop() }
    thread.start()
    DispatchQueue.global().asyncAfter(deadline: .now() + lifetime) { [weak self] in self?.stop() }
  }

  deinit { stop() }

  /// Every request served so far, oldest first.
  public var requests: [ServedRequest] {
    lock.lock()
    defer { lock.unlock() }
    return served
  }

  public func stop() {
    lock.lock()
    let wasStopped = stopped
    stopped = true
    let open = held
    held = []
    lock.unlock()
    if wasStopped { return }
    // The accept loop may still be streaming an answer: it closes the listener itself when it
    // ends, so the descriptor's number is not handed to another server's socket while this
    // loop could still accept on it (and turn away that server's client).
    shutdown(listener, Int32(SHUT_RDWR))
    closeListenerIfDone()
    for fd in open { close(fd) }
  }

  /// Closes the listener once, when the server is stopped and its accept loop has ended.
  private func closeListenerIfDone() {
    lock.lock()
    defer { lock.unlock() }
    guard stopped, acceptLoopEnded, !listenerClosed else { return }
    listenerClosed = true
    close(listener)
  }

  private func acceptLoop() {
    defer {
      lock.lock()
      acceptLoopEnded = true
      lock.unlock()
      closeListenerIfDone()
    }
    while true {
      let client = accept(listener, nil, nil)
      if client < 0 {
        if errno == EINTR { continue }
        return
      }
      lock.lock()
      let done = stopped || served.count >= maxRequests
      lock.unlock()
      if done {
        close(client)
        return
      }
      var timeout = timeval(tv_sec: 10, tv_usec: 0)
      setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
      guard let request = Self.read(client) else {
        close(client)
        continue
      }
      lock.lock()
      served.append(request)
      lock.unlock()
      let response = handler(request)
      if response.hold {
        lock.lock()
        held.append(client)
        lock.unlock()
        continue
      }
      Self.write(response, to: client)
      close(client)
    }
  }

  private static func read(_ fd: Int32) -> ServedRequest? {
    var data = Data()
    var buffer = [UInt8](repeating: 0, count: 16_384)
    var headerEnd: Range<Data.Index>?
    while headerEnd == nil {
      let n = recv(fd, &buffer, buffer.count, 0)
      if n <= 0 { return nil }
      data.append(contentsOf: buffer[0..<n])
      headerEnd = data.range(of: Data("\r\n\r\n".utf8))
      if data.count > 1 << 20 { return nil }
    }
    let head = String(decoding: data[..<headerEnd!.lowerBound], as: UTF8.self)
    var lines = head.components(separatedBy: "\r\n")
    let start = lines.removeFirst().split(separator: " ")
    guard start.count >= 2 else { return nil }
    var headers: [String: String] = [:]
    for line in lines {
      guard let colon = line.firstIndex(of: ":") else { continue }
      headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
        in: .whitespaces)
    }
    var body = Data(data[headerEnd!.upperBound...])
    let length = Int(headers["content-length"] ?? "0") ?? 0
    while body.count < length {
      let n = recv(fd, &buffer, buffer.count, 0)
      if n <= 0 { break }
      body.append(contentsOf: buffer[0..<n])
    }
    let target = String(start[1])
    var components = URLComponents(string: "http://127.0.0.1" + target)
    var query: [String: [String]] = [:]
    for item in components?.queryItems ?? [] { query[item.name, default: []].append(item.value ?? "") }
    components?.query = nil
    return ServedRequest(
      method: String(start[0]), path: components?.path ?? target, query: query, headers: headers, body: body)
  }

  private static func write(_ response: ServedResponse, to fd: Int32) {
    var head = "HTTP/1.1 \(response.status) \(response.status < 400 ? "OK" : "Error")\r\n"
    var headers = response.headers
    if let stream = response.stream {
      if let declared = stream.declaredLength { headers["Content-Length"] = String(declared) }
      if stream.chunked { headers["Transfer-Encoding"] = "chunked" }
    } else {
      headers["Content-Length"] = String(response.body.count)
    }
    headers["Connection"] = "close"
    for (k, v) in headers.sorted(by: { $0.key < $1.key }) { head += "\(k): \(v)\r\n" }
    head += "\r\n"
    guard let stream = response.stream else {
      _ = sendAll(Array(head.utf8) + Array(response.body), to: fd)
      return
    }
    guard sendAll(Array(head.utf8), to: fd) else { return }
    func framed(_ part: [UInt8]) -> [UInt8] {
      stream.chunked ? Array((String(part.count, radix: 16) + "\r\n").utf8) + part + [13, 10] : part
    }
    if !response.body.isEmpty, !sendAll(framed(Array(response.body)), to: fd) { return }
    let filler = [UInt8](repeating: 0x20, count: 65_536)
    var left = stream.filler
    while left > 0 {
      let n = min(left, filler.count)
      guard sendAll(framed(Array(filler.prefix(n))), to: fd) else { return }
      left -= n
    }
    if stream.chunked { _ = sendAll(Array("0\r\n\r\n".utf8), to: fd) }
  }

  /// False when the client hung up.
  private static func sendAll(_ bytes: [UInt8], to fd: Int32) -> Bool {
    var offset = 0
    while offset < bytes.count {
      let n = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
      if n <= 0 { return false }
      offset += n
    }
    return true
  }
}

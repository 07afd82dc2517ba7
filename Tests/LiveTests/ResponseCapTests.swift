import Foundation
import Inbox
import Policy
import Store
import TestHTTPServer
import Testing

@testable import Live

/// A response body is never read past the cap: an endless or lying server is that source's
/// failure, backed off like any other, and nothing of the cut-off body is stored.
@Suite struct ResponseCapTests {
  static let cap = 1 << 20
  let transport = URLSessionTransport(timeout: 10, maxBodyBytes: ResponseCapTests.cap)

  func serve(_ response: ServedResponse) throws -> (HTTPTestServer, HTTPRequest) {
    let server = try HTTPTestServer(maxRequests: 5) { _ in response }
    return (server, HTTPRequest(url: URL(string: server.baseURL + "/page")!))
  }

  func refusal(_ response: ServedResponse) throws -> HTTPFailure? {
    let (server, request) = try serve(response)
    defer { server.stop() }
    do {
      _ = try transport.send(request)
      return nil
    } catch let failure as HTTPFailure {
      return failure
    }
  }

  @Test func aBodyUpToTheCapIsReadWhole() throws {
    let body = Data(repeating: 0x61, count: Self.cap)
    let (server, request) = try serve(ServedResponse(body: body))
    defer { server.stop() }
    #expect(try transport.send(request).body == body)
    // Streamed without a length, chunked or not, the same bytes are read too.
    for chunked in [false, true] {
      let (s, r) = try serve(
        ServedResponse(body: Data("[1]".utf8), stream: .init(filler: 1000, chunked: chunked)))
      defer { s.stop() }
      #expect(try transport.send(r).body == Data("[1]".utf8) + Data(repeating: 0x20, count: 1000))
    }
  }

  @Test func anEndlessBodyIsCutOffAtTheCap() throws {
    // 256 MiB without a Content-Length: far more than the test lets the client hold.
    let endless = ServedResponse(body: Data("[".utf8), stream: .init(filler: 256 << 20))
    let failure = try #require(try refusal(endless))
    #expect(failure.message == "127.0.0.1: response larger than 1 MiB")
    #expect(failure.status == 200)
    let chunked = ServedResponse(body: Data("[".utf8), stream: .init(filler: 256 << 20, chunked: true))
    #expect(try refusal(chunked)?.message == "127.0.0.1: response larger than 1 MiB")
  }

  @Test func aLyingContentLengthIsNotTrusted() throws {
    // Says 100 bytes, sends 64 MiB in chunks (a chunked body's length is its chunks').
    let small = ServedResponse(
      body: Data("[".utf8), stream: .init(filler: 64 << 20, declaredLength: 100, chunked: true))
    #expect(try refusal(small)?.message == "127.0.0.1: response larger than 1 MiB")
    // Says more than the cap: refused before the body is read.
    let large = ServedResponse(
      body: Data("[".utf8), stream: .init(filler: 64 << 20, declaredLength: 64 << 20))
    #expect(try refusal(large)?.message == "127.0.0.1: response larger than 1 MiB")
    // Says more than it sends, then hangs up: a cut-off body is a failure, not a short page.
    let short = ServedResponse(body: Data("[1,2".utf8), stream: .init(filler: 10, declaredLength: 5000))
    let cut = try #require(try refusal(short))
    #expect(cut.message.hasPrefix("127.0.0.1: "))
  }

  @Test(arguments: LiveStores.kinds) func aMastodonPageOverTheCapFailsTheSourceStoresNothingAndBacksOff(
    kind: LiveStoreKind
  ) throws {
    let dir = TempDir()
    let fake = try FakeMastodon()
    fake.addStatus(text: "where is my parcel")
    // A valid page followed by 8 MiB of spaces: still valid JSON if it were read to the end.
    fake.streamOnce = .init(filler: 8 << 20)
    let store = try LiveStores.make(kind, dir, clock: .fixed(testNow))
    let clock = TestClock()
    let source = MastodonSource(config: mastodonConfig(fake), token: Secret(fake.token))
    let poller = makePoller(store, [source], clock: clock, transport: transport)
    let first = try #require(poller.pollDue().first)
    #expect(first.error == "127.0.0.1: response larger than 1 MiB")
    #expect(first.nextPollAt == clock.now().addingTimeInterval(120))
    #expect(try store.mentions(order: .newest, limit: 5, offset: 0).isEmpty)
    let state = try #require(try store.sourceState(name: "shop-social"))
    #expect(state.failures == 1 && state.cursor == nil && state.health == .failing)
    #expect(state.lastError == "127.0.0.1: response larger than 1 MiB")
    // The server behaves again: the page is read, the source is healthy.
    clock.advance(121)
    let second = try #require(poller.pollDue().first)
    #expect(second.error == nil && second.report?.new == 1)
    #expect(try store.sourceState(name: "shop-social")?.health == .ok)
  }

  @Test(arguments: LiveStores.kinds) func aFeedOverTheCapKeepsNoValidatorsAndNoEntries(kind: LiveStoreKind)
    throws
  {
    let dir = TempDir()
    let feed = try FakeFeed()
    feed.add(id: "alert-1", title: "Shop in the news")
    feed.streamOnce = .init(filler: 8 << 20, chunked: true)
    let store = try LiveStores.make(kind, dir, clock: .fixed(testNow))
    let clock = TestClock()
    let source = FeedSource(config: FeedConfig(name: "alerts", url: URL(string: feed.url)!, interval: 60))
    let outcome = try #require(
      makePoller(store, [source], clock: clock, transport: transport).pollDue().first)
    #expect(outcome.error == "127.0.0.1: response larger than 1 MiB")
    #expect(try store.mentions(order: .newest, limit: 5, offset: 0).isEmpty)
    #expect(try store.sourceState(name: "alerts")?.etag == nil)
  }

  @Test func theCapIsSetInTheWatchTableAndCheckedWithItsLine() throws {
    let config = try LiveConfig.parse(text: "[watch]\nmax_response_mib = 4\n", path: "c.toml")
    #expect(config.maxResponseBytes == 4 << 20)
    #expect(LiveConfig().maxResponseBytes == 16 << 20)
    #expect(byteSizeText(16 << 20) == "16 MiB" && byteSizeText(1536) == "1536 bytes")
    #expect(throws: PolicyFileError.self) {
      try LiveConfig.parse(text: "[watch]\nmax_response_mib = 0\n", path: "c.toml")
    }
    do {
      _ = try LiveConfig.parse(
        text: "[watch]\ninterval = \"1m\"\nmax_response_mib = \"big\"\n", path: "c.toml")
    } catch {
      #expect(
        error.description
          == "c.toml:3: 'watch.max_response_mib' must be a whole number of MiB from 1 to 1024")
    }
  }
}

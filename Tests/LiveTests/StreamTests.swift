import Foundation
import Inbox
import Policy
import Store
import TestHTTPServer
import Testing

@testable import Live

@Suite(.serialized) struct StreamTests {
  @Test func searchesAndHashtagsKeepACursorEach() throws {
    let dir = TempDir()
    let fake = try FakeMastodon()
    fake.addStatus(text: "Shop is slow today", notify: false)
    fake.addStatus(text: "never again #shopfail", notify: false)
    let store = try SQLiteStore(path: dir.path + "/s.sqlite", clock: .fixed(testNow))
    let clock = TestClock()
    var config = mastodonConfig(fake, searches: ["shop", "#shopfail"])
    config.notifications = false
    let source = MastodonSource(config: config, token: Secret(fake.token))
    let poller = makePoller(store, [source], clock: clock)
    #expect(poller.pollDue().first?.report?.new == 2)
    #expect(
      try store.sourceState(name: "shop-social")?.cursor == #"{"search:shop":"1002","tag:shopfail":"1002"}"#)
    fake.addStatus(text: "#shopfail the shop lost it again", notify: false)
    clock.advance(61)
    #expect(poller.pollDue().first?.report?.new == 1)
    let tagRequests = fake.server.requests.filter { $0.path == "/api/v1/timelines/tag/shopfail" }
    #expect(tagRequests.map { $0.query("min_id") } == [nil, "1002"])
    #expect(
      try store.sourceState(name: "shop-social")?.cursor == #"{"search:shop":"1003","tag:shopfail":"1003"}"#)
  }

  @Test func aTokenIsNotFollowedThroughARedirect() throws {
    let fake = try FakeMastodon()
    let http = URLSessionTransport(timeout: 10)
    let response = try http.send(
      HTTPRequest(
        url: URL(string: fake.baseURL + "/redirect")!, headers: ["Authorization": "Bearer \(fake.token)"]))
    #expect(response.status == 302)
    #expect(fake.server.requests.map(\.path) == ["/redirect"])
  }

  @Test func aPasswordInARequestBodyIsNotFollowedThroughARedirect() throws {
    // A login carries the app password in its body, not in a header: only a plain GET follows.
    let elsewhere = try HTTPTestServer { _ in ServedResponse(status: 200) }
    let target = elsewhere.baseURL + "/xrpc/com.atproto.server.createSession"
    let service = try HTTPTestServer { _ in ServedResponse(status: 307, headers: ["Location": target]) }
    let http = URLSessionTransport(timeout: 10)
    let response = try http.send(
      HTTPRequest(
        method: "POST", url: URL(string: service.baseURL + "/xrpc/com.atproto.server.createSession")!,
        headers: ["Content-Type": "application/json"],
        body: Data(#"{"identifier":"shop.bsky.social","password":"app-pass-1234"}"#.utf8)))
    #expect(response.status == 307)
    #expect(service.requests.count == 1)
    #expect(elsewhere.requests.isEmpty)
  }

  @Test func anAtomAlertFeedIsReadEntryByEntry() throws {
    let atom = """
      <?xml version="1.0" encoding="utf-8"?>
      <feed xmlns="http://www.w3.org/2005/Atom"><title>Google Alert - shop</title>
      <entry><id>tag:google.com,2013:googlealerts/feed:123</id><title type="html">&lt;b&gt;Shop&lt;/b&gt; opens a store</title>
      <link href="https://www.google.com/url?rct=j&amp;url=https://news.example/a"/>
      <published>2026-12-01T06:00:00Z</published><content type="html">The &lt;b&gt;shop&lt;/b&gt; opened</content>
      <author><name>News Example</name></author></entry>
      </feed>
      """
    let reader = FeedEntryReader(feedURL: URL(string: "https://www.google.com/alerts/feeds/1/2")!)
    let mentions = try reader.mentions(from: Data(atom.utf8), origin: "alerts")
    #expect(mentions.count == 1)
    let m = try #require(mentions.first)
    #expect(m.platform == "rss")
    #expect(m.externalID == "tag:google.com,2013:googlealerts/feed:123")
    #expect(m.text == "Shop opens a store — The shop opened")
    #expect(m.url == "https://www.google.com/url?rct=j&url=https://news.example/a")
    #expect(m.author.handle == "News Example")
    #expect(m.createdAt == RFC3339.parse("2026-12-01T06:00:00Z"))
    #expect(throws: PayloadError.self) {
      try reader.mentions(from: Data("<rss><channel>".utf8), origin: "alerts")
    }
  }
}

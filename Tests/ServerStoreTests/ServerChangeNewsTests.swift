import Foundation
import Inbox
import XCTest

@testable import ServerStore

/// An inbox on a server asks for the change token only when the signal says there may be news
/// (`ServerChangeSignal.takeNews`): an idle inbox sends the server nothing while it listens.
final class ServerChangeNewsTests: XCTestCase {
  func testTheTokenIsAskedForAfterANotificationOnlyWhileListening() throws {
    let database = try TestDatabase()
    defer { database.drop() }
    let address = try TestServer.address(database.url)
    let store = try ServerStore(address: address)
    defer { store.close() }
    _ = try store.initialize()
    let signal = try ServerChangeSignal(address: address)
    XCTAssertTrue(signal.waitUntilListening(timeout: 10), "the signal never listened")
    // The wake after a new LISTEN counts as news once (a commit may have gone by before it).
    XCTAssertTrue(waitForNews(signal, within: 1), "no news after the first LISTEN")
    XCTAssertFalse(signal.takeNews(fallback: 60), "news again with nothing written")
    XCTAssertFalse(signal.takeNews(fallback: 60))
    try database.execute("INSERT INTO repute.events (at, actor, action) VALUES (1, 'anna', 'note')")
    XCTAssertTrue(waitForNews(signal, within: 1), "a commit elsewhere brought no news")
    XCTAssertFalse(signal.takeNews(fallback: 60), "one commit, news once")
    // The fallback: asked again after its time even with nothing heard.
    usleep(300_000)
    XCTAssertTrue(signal.takeNews(fallback: 0.2), "the fallback never asked")
    XCTAssertFalse(signal.takeNews(fallback: 0.2))
  }

  func testWithoutAListenerEveryPassAsks() throws {
    // A server nobody listens on (nothing at this port): the signal never listens, so the inbox
    // falls back to asking the store on every pass of its loop.
    let address = try ServerAddress.resolve(
      url: "postgres://nobody@127.0.0.1:1/none?connect_timeout=1", environment: [:], login: "nobody"
    ) { _ in .missing }
    let signal = try ServerChangeSignal(address: address)
    XCTAssertFalse(signal.isListening)
    XCTAssertTrue(signal.takeNews(fallback: 60))
    XCTAssertTrue(signal.takeNews(fallback: 60))
  }

  private func waitForNews(_ signal: ServerChangeSignal, within seconds: Double) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
      if signal.takeNews(fallback: 60) { return true }
      usleep(5_000)
    }
    return false
  }
}

import Foundation
import Inbox
import Store
import Testing

/// `repute reopen` on a folded row (issue 16): the same post twice by one author is one row
/// (`×2`); closing it closes its repeat, and reopening it from the command line reopens both,
/// with the repeat's own event, as the store does for the inbox.
@Suite(.serialized) struct ReopenRepeatsCLITests {
  let env = ["REPUTE_NOW": "2026-11-24T12:00:00Z", "TZ": "UTC"]

  @Test func reopenOfAFoldedRowReopensItsRepeats() throws {
    let text = "Mijn trein is alweer geannuleerd en niemand weet iets, echt belachelijk."
    let lines = ["1": "11:50", "2": "11:55"].sorted { $0.key < $1.key }.map { id, time in
      #"{"platform":"mastodon","id":"\#(id)","author":{"handle":"sanne"},"created_at":"2026-11-24T\#(time):00Z","text":"\#(text)","lang":"nl"}"#
    }
    let dir = try TeamStore.make(lines, environment: env)
    func run(_ arguments: [String]) throws -> ReputeProcess.Result {
      try ReputeProcess.run(arguments + ["--store", dir.store, "--as", "Anna"], environment: env)
    }
    func store() throws -> SQLiteStore {
      try SQLiteStore(path: dir.store, mode: .existing, clock: .fixed(RFC3339.parse(env["REPUTE_NOW"]!)!))
    }
    let first = try #require(try store().mentionID(platform: "mastodon", externalID: "1"))
    let repeated = try #require(try store().mentionID(platform: "mastodon", externalID: "2"))
    #expect(try store().mention(id: repeated)?.repeatOf == first)
    let closed = try run(["no-reply", "\(first)", "--reason", "1"])
    #expect(closed.status == 0, "\(closed.stderr)")
    #expect(try store().mention(id: repeated)?.status == .noReply)
    let reopened = try run(["reopen", "\(first)", "--json"])
    #expect(reopened.status == 0, "\(reopened.stderr)")
    #expect(try store().mention(id: first)?.status == .open)
    #expect(try store().mention(id: repeated)?.status == .open)
    #expect(try store().events(mentionID: repeated).map(\.action).suffix(2) == ["no_reply", "reopen"])
  }
}

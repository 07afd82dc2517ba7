import Foundation
import Inbox
import Store
import Testing

/// `repute reopen` on a folded row (issue 16): the same post twice by one author is one row
/// (`×2`); closing it closes its repeat, and reopening it from the command line reopens both,
/// with the repeat's own event, as the store does for the inbox. On a store file and on PostgreSQL
/// alike (issue 18).
@Suite(.serialized) struct ReopenRepeatsCLITests {
  let env = ["REPUTE_NOW": "2026-11-24T12:00:00Z", "TZ": "UTC"]

  @Test(arguments: CLIStores.kinds) func reopenOfAFoldedRowReopensItsRepeats(kind: CLIKind) throws {
    let text = "Mijn trein is alweer geannuleerd en niemand weet iets, echt belachelijk."
    let lines = ["1": "11:50", "2": "11:55"].sorted { $0.key < $1.key }.map { id, time in
      #"{"platform":"mastodon","id":"\#(id)","author":{"handle":"sanne"},"created_at":"2026-11-24T\#(time):00Z","text":"\#(text)","lang":"nl"}"#
    }
    let dir = try CLIStore(kind, lines, environment: env)
    func run(_ arguments: [String]) throws -> ReputeProcess.Result { try dir.run("Anna", arguments) }
    func mention(_ id: Int64) throws -> Mention? { try dir.withStore { try $0.mention(id: id) } }
    func id(_ external: String) throws -> Int64? {
      try dir.withStore { try ($0 as? any QueueStore)?.mentionID(platform: "mastodon", externalID: external) }
    }
    let first = try #require(try id("1"))
    let repeated = try #require(try id("2"))
    #expect(try mention(repeated)?.repeatOf == first)
    let closed = try run(["no-reply", "\(first)", "--reason", "1"])
    #expect(closed.status == 0, "\(closed.stderr)")
    #expect(try mention(repeated)?.status == .noReply)
    let reopened = try run(["reopen", "\(first)", "--json"])
    #expect(reopened.status == 0, "\(reopened.stderr)")
    #expect(try mention(first)?.status == .open)
    #expect(try mention(repeated)?.status == .open)
    #expect(try dir.events(mention: repeated).map(\.action).suffix(2) == ["no_reply", "reopen"])
  }
}

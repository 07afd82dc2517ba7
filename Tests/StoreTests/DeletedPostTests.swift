import Foundation
import Inbox
import Testing

@testable import Store

@Suite struct DeletedPostTests {
  @Test func aDeletionNoticeMarksTheMentionAndKeepsItsText() throws {
    let dir = TempFolder()
    let store = try SQLiteStore(path: dir.path + "/s.sqlite", clock: fixedClock)
    _ = try store.ingest([mention("7", text: "de app ligt eruit")], actor: "anna", annotator: nil)
    let notice = IncomingMention.tombstone(
      platform: "x", externalID: "7", reason: "deleted", raw: #"{"id":"7"}"#)
    var counts = try store.ingest([notice], actor: "repute", annotator: nil)
    #expect(counts.deleted == 1 && counts.new == 0 && counts.duplicate == 0)
    let stored = try #require(try store.mentions(order: .newest, limit: 10, offset: 0).first)
    #expect(stored.deleted == "deleted")
    #expect(stored.text == "de app ligt eruit", "never erased")
    #expect(try store.events(mentionID: stored.id).map(\.action) == ["ingest", "deleted"])
    // Told again: nothing changes, no second event.
    counts = try store.ingest([notice], actor: "repute", annotator: nil)
    #expect(counts.deleted == 0 && counts.unknownDeletions == 0)
    #expect(try store.events(mentionID: stored.id).map(\.action) == ["ingest", "deleted"])
  }

  @Test func aNoticeForAnUnknownPostStoresNothing() throws {
    let dir = TempFolder()
    let store = try SQLiteStore(path: dir.path + "/s.sqlite", clock: fixedClock)
    let notice = IncomingMention.tombstone(platform: "x", externalID: "404", reason: "deleted", raw: "{}")
    let counts = try store.ingest([notice], actor: "repute", annotator: nil)
    #expect(counts.unknownDeletions == 1 && counts.new == 0)
    #expect(try store.mentionCount() == 0)
  }

  @Test func aWithheldPostIsStoredMarkedAndAnEditStillKeepsTheEarlierText() throws {
    let dir = TempFolder()
    let store = try SQLiteStore(path: dir.path + "/s.sqlite", clock: fixedClock)
    var withheld = mention("9", text: "first")
    withheld.deletion = "withheld in IN"
    #expect(try store.ingest([withheld], actor: "anna", annotator: nil).deleted == 1)
    var edited = mention("9", text: "second")
    edited.deletion = "withheld in IN"
    let counts = try store.ingest([edited], actor: "anna", annotator: nil)
    #expect(counts.edited == 1 && counts.deleted == 0, "already marked")
    let stored = try #require(try store.mentions(order: .newest, limit: 1, offset: 0).first)
    #expect(stored.deleted == "withheld in IN" && stored.text == "second")
    #expect(try store.revisions(mentionID: stored.id).map(\.text) == ["first"])
    // A live post is not marked; a later notice marks it.
    _ = try store.ingest([mention("10")], actor: "anna", annotator: nil)
    let live = try #require(
      try store.mentions(order: .newest, limit: 10, offset: 0).first { $0.externalID == "10" })
    #expect(live.deleted == nil)
  }
}

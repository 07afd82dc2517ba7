import Foundation
import GRDB
import Inbox
import Policy
import Testing

@testable import Store

/// Issue 14, erasure: the reasons the team typed (overriding the advice, closing without a reply)
/// lose a forgotten author's handle and name (`ErasureConformanceTests`); on SQLite, where erasure
/// lifts the event log's guard for its own rewrite, the log stays append only for everyone else.
@Suite struct ForgetReasonsTests {
  let now = RFC3339.parse("2026-03-02T10:00:00Z")!

  func mention(_ id: String, _ text: String, handle: String, name: String? = nil) -> IncomingMention {
    IncomingMention(
      platform: "mastodon", externalID: id, author: Author(handle: handle, name: name, followers: 80),
      createdAt: now.addingTimeInterval(-600), text: text, lang: "en", raw: #"{"id":"\#(id)"}"#)
  }

  @Test func theEventLogStaysAppendOnlyAfterRedactingReasons() throws {
    let folder = TempFolder()
    let path = folder.path + "/repute.sqlite"
    let store = try SQLiteStore(path: path, clock: .fixed(now))
    _ = try store.ingest(
      [
        mention(
          "s1", "Your staff are liars and thieves, all of them!!!", handle: "geheimzinnig",
          name: "Wendelmoet Zwaluwstaart"),
        mention("p1", "Thank you for the friendly help at the counter, great service!", handle: "pendelaar"),
        mention("p2", "My parcel is still not here, third week, and nobody answers.", handle: "tante"),
      ], actor: "test", annotator: PolicyAnnotator(policy: .default))
    let s1 = try #require(try store.mentionID(platform: "mastodon", externalID: "s1"))
    let p1 = try #require(try store.mentionID(platform: "mastodon", externalID: "p1"))
    let p2 = try #require(try store.mentionID(platform: "mastodon", externalID: "p2"))
    // Their own mention: the reason names them by handle and by name.
    try store.enqueueReply(
      mentionID: s1, responder: "Anna", kind: .reply, text: "We hear you. – Anna", policy: .default,
      againstAdvice: (rule: "S8", reason: "@geheimzinnig is Wendelmoet Zwaluwstaart, a known customer"))
    // Others' mentions: the handle goes, wherever it is.
    try store.enqueueReply(
      mentionID: p2, responder: "Bram", kind: .reply, text: "So sorry! – Bram", policy: .default,
      againstAdvice: (rule: "S5", reason: "same parcel as @Geheimzinnig"))
    try store.decideNoReply(
      ids: [p1], reason: "thanked @geheimzinnig@social.example already", policy: .default, actor: "Anna")

    _ = try store.forget(author: "geheimzinnig", actor: "Sam")

    // What the reasons, the events and the file hold now is in the conformance suite
    // (`ErasureConformanceTests`); here SQLite's own guard: the log still refuses rewrites.
    #expect(throws: (any Error).self) {
      try store.pool.write { try $0.execute(sql: "UPDATE events SET actor = 'x'") }
    }
    #expect(throws: (any Error).self) {
      try store.pool.write { try $0.execute(sql: "DELETE FROM events") }
    }
  }
}

import Foundation
import GRDB
import Inbox
import Policy
import Testing

@testable import Store

/// The person behind the posts (issue 16): the timeline merges posts with what the team did,
/// identities link and unlink, the note is on the person, and forget takes all of it.
@Suite struct PersonStoreTests {
  static let now = Date(timeIntervalSince1970: 1_795_512_600)

  static func post(
    _ id: String, _ handle: String, platform: String = "mastodon", daysAgo: Double, _ text: String
  ) -> IncomingMention {
    IncomingMention(
      platform: platform, externalID: id, author: Author(handle: handle),
      createdAt: now.addingTimeInterval(-daysAgo * 86_400), text: text, lang: "nl", raw: "{}")
  }

  static let complaint = "Mijn trein is weer vertraagd en niemand zegt iets. Belachelijk."

  func store(_ dir: TempFolder) throws -> SQLiteStore {
    try SQLiteStore(path: dir.path + "/repute.sqlite", clock: .fixed(Self.now))
  }

  func id(_ store: SQLiteStore, _ external: String, platform: String = "mastodon") throws -> Int64 {
    try #require(try store.mentionID(platform: platform, externalID: external))
  }

  @Test("the timeline merges posts, replies, notes, escalations and watching, newest first")
  func timelineMerge() throws {
    let dir = TempFolder()
    let store = try store(dir)
    _ = try store.ingest(
      [
        Self.post("a", "kees", daysAgo: 10, Self.complaint),
        Self.post("b", "kees", daysAgo: 5, "Dank jullie!"),
        Self.post("c", "kees", daysAgo: 1, Self.complaint), Self.post("x", "anna", daysAgo: 2, "Iets anders"),
      ], actor: "test", annotator: PolicyAnnotator(policy: .default))
    let (a, c) = (try id(store, "a"), try id(store, "c"))
    try store.addNote(mentionID: a, text: "belde ook", actor: "Anna")
    try store.escalate(mentionID: c, note: "weer", actor: "Anna")
    try store.toggleWatch(mentionID: c, actor: "Bram")
    try store.enqueueReply(
      mentionID: a, responder: "Anna", kind: .reply, text: "Sorry, we kijken ernaar. – Anna", policy: .default
    )
    let author = try #require(try store.identity(mentionID: a)).authorID
    let page = try store.timeline(of: author, after: nil, limit: 10)
    #expect(page.next == nil)
    let posts = page.items.filter { $0.kind == .mention }
    #expect(posts.map(\.text) == [Self.complaint, "Dank jullie!", Self.complaint])
    #expect(Set(page.items.map(\.kind)) == [.mention, .reply, .note, .escalation, .watch])
    #expect(page.items.map(\.at) == page.items.map(\.at).sorted(by: >))
    #expect(!page.items.contains { $0.text == "Iets anders" })
    // The summary: three posts, two complaints in 30 and 90 days, the last a day ago, watched.
    let summary = try store.person(of: author, now: Self.now)
    #expect(summary.posts == 3)
    #expect(summary.complaints30 == 2 && summary.complaints90 == 2)
    #expect(summary.lastComplaint == Self.now.addingTimeInterval(-86_400))
    #expect(summary.watched)
    #expect(summary.identities.map(\.handle) == ["kees"])
  }

  @Test("pages of the timeline follow each other without a gap or a repeat")
  func paging() throws {
    let dir = TempFolder()
    let store = try store(dir)
    _ = try store.ingest(
      (0..<25).map { Self.post("p\($0)", "kees", daysAgo: Double($0), "bericht \($0)") }, actor: "test",
      annotator: nil)
    let author = try #require(try store.identity(mentionID: try id(store, "p0"))).authorID
    var seen: [String] = []
    var cursor: TimelineCursor?
    repeat {
      let page = try store.timeline(of: author, after: cursor, limit: 10)
      seen += page.items.map(\.text)
      cursor = page.next
    } while cursor != nil
    #expect(seen == (0..<25).map { "bericht \($0)" })
  }

  @Test("linked identities are one person: both timelines, one note; unlink splits them again")
  func linking() throws {
    let dir = TempFolder()
    let store = try store(dir)
    _ = try store.ingest(
      [
        Self.post("m1", "kees", daysAgo: 3, "op mastodon"),
        Self.post("b1", "kees.bsky.social", platform: "bluesky", daysAgo: 2, "op bluesky"),
      ], actor: "test", annotator: nil)
    let masto = try #require(try store.identity(mentionID: try id(store, "m1"))).authorID
    let bsky = try #require(try store.resolve(.handle("kees.bsky.social", platform: nil))).authorID
    try store.setPersonNote(of: bsky, text: "Vaste reiziger Utrecht", actor: "Anna")
    try store.link(masto, with: bsky, actor: "Anna")
    #expect(throws: PersonError.sameIdentity) { try store.link(bsky, with: masto, actor: "Anna") }
    for author in [masto, bsky] {
      let texts = try store.timeline(of: author, after: nil, limit: 10).items.map(\.text)
      #expect(texts == ["op bluesky", "op mastodon"])
      #expect(try store.personNote(of: author)?.text == "Vaste reiziger Utrecht")
      #expect(try store.person(of: author, now: Self.now).identities.count == 2)
    }
    #expect(try store.person(of: bsky, now: Self.now).identities.first?.authorID == bsky)
    try store.unlink(bsky, actor: "Bram")
    #expect(throws: PersonError.notLinked("@kees.bsky.social")) { try store.unlink(bsky, actor: "Bram") }
    #expect(try store.timeline(of: masto, after: nil, limit: 10).items.map(\.text) == ["op mastodon"])
    // The note stays with the person the identity left.
    #expect(try store.personNote(of: masto)?.text == "Vaste reiziger Utrecht")
    #expect(try store.personNote(of: bsky) == nil)
    let trail = try store.allEvents().map(\.action)
    #expect(trail.contains("person_link") && trail.contains("person_unlink") && trail.contains("person_note"))
    // The trail names ids, never a handle or the note.
    for event in try store.allEvents() where event.action.hasPrefix("person_") {
      #expect(!(event.detail ?? "").contains("kees") && !(event.detail ?? "").contains("Utrecht"))
    }
  }

  @Test("a handle on two platforms asks which; a platform: prefix picks one")
  func resolving() throws {
    let dir = TempFolder()
    let store = try store(dir)
    _ = try store.ingest(
      [
        Self.post("m1", "kees", daysAgo: 3, "een"),
        Self.post("b1", "kees", platform: "bluesky", daysAgo: 2, "twee"),
      ], actor: "test", annotator: nil)
    #expect(throws: PersonError.ambiguous("@kees", platforms: ["bluesky", "mastodon"])) {
      try store.resolve(.handle("kees", platform: nil))
    }
    let ref = try #require(PersonRef.parse("bluesky:@KEES"))
    #expect(try store.resolve(ref).platform == "bluesky")
    #expect(PersonRef.parse("42") == .mention(42))
    #expect(PersonRef.parse("@anna@example.social") == .handle("anna@example.social", platform: nil))
    #expect(
      PersonRef.parse("mastodon:@anna@example.social") == .handle("anna@example.social", platform: "mastodon")
    )
    #expect(throws: PersonError.noSuchAuthor("@nobody")) {
      try store.resolve(.handle("nobody", platform: nil))
    }
  }

  @Test("forget erases the person's note and links: no table holds the handle, the note or the link")
  func forget() throws {
    let dir = TempFolder()
    let path = dir.path + "/repute.sqlite"
    let store = try store(dir)
    _ = try store.ingest(
      [
        Self.post("m1", "geheimzinnig", daysAgo: 3, "een"),
        Self.post("b1", "geheim.bsky.social", platform: "bluesky", daysAgo: 2, "twee"),
        Self.post("k1", "kees", daysAgo: 1, "drie"),
      ], actor: "test", annotator: nil)
    let masto = try #require(try store.identity(mentionID: try id(store, "m1"))).authorID
    let bsky = try #require(try store.identity(mentionID: try id(store, "b1", platform: "bluesky"))).authorID
    let kees = try #require(try store.identity(mentionID: try id(store, "k1"))).authorID
    try store.link(masto, with: bsky, actor: "Anna")
    try store.setPersonNote(of: masto, text: "Zwartkopmeeuw belt om drie uur", actor: "Anna")
    try store.setPersonNote(of: kees, text: "Kees blijft", actor: "Anna")
    _ = try store.forget(author: "geheimzinnig", platform: "mastodon", actor: "Sam")
    try store.compact()
    // The other identity is a person of its own again, without the note.
    #expect(try store.personNote(of: bsky) == nil)
    #expect(try store.person(of: bsky, now: Self.now).identities.count == 1)
    #expect(try store.personNote(of: kees)?.text == "Kees blijft")
    try store.pool.read { db in
      #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM person_links") == 0)
      #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM person_notes") == 1)
      // No column of any table holds the handle or the note.
      for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'") {
        for column in try db.columns(in: table).map(\.name) {
          let hits =
            try Int.fetchOne(
              db,
              sql: """
                SELECT count(*) FROM "\(table)" WHERE CAST("\(column)" AS TEXT) LIKE '%geheimzinnig%'
                  OR CAST("\(column)" AS TEXT) LIKE '%Zwartkopmeeuw%'
                """) ?? 0
          #expect(hits == 0, "\(table).\(column)")
        }
      }
    }
    var data = FileManager.default.contents(atPath: path) ?? Data()
    data.append(FileManager.default.contents(atPath: path + "-wal") ?? Data())
    #expect(data.range(of: Data("Zwartkopmeeuw".utf8)) == nil)
  }

  @Test("purge: an identity without posts leaves its person, the note stays with the others")
  func purge() throws {
    let dir = TempFolder()
    let store = try store(dir)
    _ = try store.ingest(
      [
        Self.post("old", "kees", daysAgo: 400, "oud"),
        Self.post("new", "kees.bsky.social", platform: "bluesky", daysAgo: 1, "nieuw"),
      ], actor: "test", annotator: nil)
    let old = try #require(try store.identity(mentionID: try id(store, "old"))).authorID
    let new = try #require(try store.identity(mentionID: try id(store, "new", platform: "bluesky"))).authorID
    try store.link(old, with: new, actor: "Anna")
    try store.setPersonNote(of: new, text: "Vaste reiziger", actor: "Anna")
    _ = try store.purge(before: Self.now.addingTimeInterval(-365 * 86_400), actor: "Sam")
    #expect(try store.personNote(of: new)?.text == "Vaste reiziger")
    #expect(try store.person(of: new, now: Self.now).identities.map(\.authorID) == [new])
  }
}

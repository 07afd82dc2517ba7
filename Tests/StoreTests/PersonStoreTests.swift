import Foundation
import GRDB
import Inbox
import Policy
import Testing

@testable import Store

/// The person behind the posts (issue 16) on SQLite: forget and purge take the person's note and
/// links with the author. The timeline, links, the note and resolving a handle are
/// `PersonConformanceTests` (both stores).
@Suite struct PersonStoreTests {
  static let now = Date(timeIntervalSince1970: 1_795_512_600)

  static func post(
    _ id: String, _ handle: String, platform: String = "mastodon", daysAgo: Double, _ text: String
  ) -> IncomingMention {
    IncomingMention(
      platform: platform, externalID: id, author: Author(handle: handle),
      createdAt: now.addingTimeInterval(-daysAgo * 86_400), text: text, lang: "nl", raw: "{}")
  }

  func store(_ dir: TempFolder) throws -> SQLiteStore {
    try SQLiteStore(path: dir.path + "/repute.sqlite", clock: .fixed(Self.now))
  }

  func id(_ store: SQLiteStore, _ external: String, platform: String = "mastodon") throws -> Int64 {
    try #require(try store.mentionID(platform: platform, externalID: external))
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

import Foundation
import Inbox
import Policy
import XCTest

@testable import ServerStore

/// Erasure on the server, seen from inside PostgreSQL: after `forget` and `compact`, no column of
/// any table of the store's schema holds the author's text (the search document included); the
/// event log's guard lets erasure alone rewrite a detail; the store draws its own tombstone salt.
final class ServerErasureTests: XCTestCase {
  static let now = Date(timeIntervalSince1970: 1_795_512_600)
  static let secret = "Zwartkopmeeuw Kwartelkoning belde mij over dossier 4711"
  static let needles = [
    "geheimzinnig", "wendelmoet", "zwaluwstaart", "zwartkopmeeuw", "kwartelkoning", "dossier 4711",
  ]

  func post(_ id: String, _ text: String, handle: String, name: String? = nil, replyTo: String? = nil)
    -> IncomingMention
  {
    IncomingMention(
      platform: "mastodon", externalID: id, author: Author(handle: handle, name: name, followers: 80),
      createdAt: Self.now.addingTimeInterval(-600), text: text, lang: "nl", inReplyTo: replyTo,
      raw: #"{"id":"\#(id)","text":"\#(text)"}"#)
  }

  /// Every table and column of the schema whose text holds `needle`, lowercased.
  func holding(_ store: ServerStore, _ needle: String) throws -> [String] {
    try store.read { session in
      let columns = try await session.rows(
        """
        SELECT c.table_name::text, c.column_name::text FROM information_schema.columns c
        JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
        WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
        """, as: (String, String).self)
      var found: [String] = []
      for (table, column) in columns {
        let n =
          try await session.values(
            "SELECT count(*) FROM \(table) WHERE strpos(lower(\(column)::text), $1) > 0", binds: .of(needle),
            as: Int.self
          ).first ?? 0
        if n > 0 { found.append("\(table).\(column)") }
      }
      return found
    }
  }

  func testForgetLeavesTheTextInNoColumnOfAnyTableNorTheSearchDocument() throws {
    let database = try TestDatabase()
    defer { database.drop() }
    let store = try ServerStore(address: TestServer.address(database.url), clock: .fixed(Self.now))
    defer { store.close() }
    _ = try store.initialize()
    _ = try store.ingest(
      [
        post("s1", Self.secret, handle: "geheimzinnig", name: "Wendelmoet Zwaluwstaart"),
        post("q1", "Klopt, @geheimzinnig heeft gelijk", handle: "buurman"),
        post("n1", "Wendelmoet Zwaluwstaart belt ook", handle: "tante", replyTo: "s1"),
      ], actor: "test", annotator: PolicyAnnotator(policy: .default))
    let (s1, q1, author, other) = try store.read { session in
      let ids = try await session.values(
        "SELECT id FROM mentions ORDER BY external_id = 's1' DESC, external_id = 'q1' DESC", as: Int64.self)
      let authors = try await session.values(
        "SELECT id FROM authors ORDER BY handle = 'geheimzinnig' DESC, handle", as: Int64.self)
      return (ids[0], ids[1], authors[0], authors[1])
    }
    // What the store keeps about them elsewhere, written as the other topics write it.
    try database.execute(
      "INSERT INTO repute.watched_authors (author_id, since, watched_by) VALUES (\(author), 1, 'Anna')",
      "INSERT INTO repute.person_links (author_id, person_id) VALUES (\(author), \(author)), (\(other), \(author))",
      "INSERT INTO repute.person_notes (person_id, text, updated_by, updated_at) "
        + "VALUES (\(author), 'Wendelmoet belt elke week', 'Anna', 1)",
      "INSERT INTO repute.escalations (mention_id, reason, created_at, created_by, updated_at) "
        + "VALUES (\(s1), 'by_hand', 1, 'Anna', 1)",
      "INSERT INTO repute.escalation_notes (escalation_id, at, author, text) "
        + "SELECT id, 1, 'Anna', 'Kwartelkoning dreigt met de pers' FROM repute.escalations",
      "INSERT INTO repute.notices (recipient, kind, mention_id, actor, note, created_at) "
        + "VALUES ('Bram', 'assigned', \(s1), 'Anna', 'zie Zwartkopmeeuw', 1)",
      "INSERT INTO repute.notes (mention_id, at, author, text) VALUES (\(q1), 1, 'Anna', 'Zie @geheimzinnig')"
    )
    XCTAssertFalse(try holding(store, "kwartelkoning").isEmpty)

    let counts = try store.forget(author: "geheimzinnig", platform: nil, actor: "Sam")
    XCTAssertEqual(counts.mentions, 1)
    XCTAssertEqual(counts.authors, 1)
    XCTAssertTrue(try store.compact())
    for needle in Self.needles {
      XCTAssertEqual(try holding(store, needle), [], needle)
    }
    // The search document: no lexeme of theirs, and the redacted texts found by what is left.
    let search = try store.read { session in
      try await session.rows(
        """
        SELECT (SELECT count(*) FROM mentions WHERE search @@ to_tsquery('simple', 'kwartelkoning | geheimzinnig
          | zwaluwstaart | wendelmoet')), (SELECT count(*) FROM mentions WHERE search @@ to_tsquery('simple', 'klopt'))
        """, as: (Int, Int).self)
    }
    XCTAssertEqual(search.first?.0, 0)
    XCTAssertEqual(search.first?.1, 1)
    // The other identity is a person of its own again; the escalation stays, without its note.
    let left = try store.read { session in
      try await session.rows(
        """
        SELECT (SELECT count(*) FROM person_links), (SELECT count(*) FROM escalations),
          (SELECT count(*) FROM escalation_notes), (SELECT count(*) FROM notices),
          (SELECT count(*) FROM tombstones)
        """, as: (Int, Int, Int, Int, Int).self)
    }
    XCTAssertEqual(left.first?.0, 0)
    XCTAssertEqual(left.first?.1, 1)
    XCTAssertEqual(left.first?.2, 0)
    XCTAssertEqual(left.first?.3, 0)
    // One for the post, two for the author (on mastodon, and on any platform).
    XCTAssertEqual(left.first?.4, 3)
  }

  func testTheEventLogLetsOnlyErasureRewriteADetail() throws {
    let database = try TestDatabase()
    defer { database.drop() }
    let store = try ServerStore(address: TestServer.address(database.url), clock: .fixed(Self.now))
    defer { store.close() }
    _ = try store.initialize()
    try store.write { session in
      try await session.appendEvent(at: 1, actor: "Anna", action: "note", mentionID: nil, detail: #"{"a":1}"#)
    }
    let refused: [(String, String?)] = [
      ("UPDATE events SET detail = '{}'", nil),
      ("DELETE FROM events", "on"),
      ("UPDATE events SET actor = 'x'", "on"),
      ("UPDATE events SET detail = '{}', at = 2", "on"),
    ]
    for (sql, redacting) in refused {
      XCTAssertThrowsError(
        try store.write { session in
          if let redacting {
            try await session.execute("SELECT set_config('repute.redacting', $1, true)", .of(redacting))
          }
          try await session.execute(sql, .of())
        }, sql)
    }
    try store.write { session in
      try await session.execute("SELECT set_config('repute.redacting', 'on', true)", .of())
      try await session.execute("UPDATE events SET detail = '{}'", .of())
    }
    // The setting ends with its transaction.
    XCTAssertThrowsError(
      try store.write { session in try await session.execute("UPDATE events SET detail = NULL", .of()) })
    let detail = try store.read { session in
      try await session.values("SELECT detail FROM events", as: String?.self)
    }
    XCTAssertEqual(detail, ["{}"])
  }

  func testEachStoreDrawsItsOwnTombstoneSalt() throws {
    var salts: [String] = []
    for _ in 0..<2 {
      let database = try TestDatabase()
      defer { database.drop() }
      let store = try ServerStore(address: TestServer.address(database.url), clock: .fixed(Self.now))
      defer { store.close() }
      _ = try store.initialize()
      salts.append(try store.read { session in try await ServerStore.tombstoneSalt(session) })
    }
    XCTAssertEqual(salts.map(\.count), [32, 32])
    XCTAssertNotEqual(salts[0], salts[1])
    XCTAssertTrue(salts.allSatisfy { $0.allSatisfy(\.isHexDigit) })
  }
}

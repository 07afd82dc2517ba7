import Foundation
import Inbox
import PostgresNIO
import XCTest

@testable import ServerStore

/// Migration 11 builds the search documents with less work; they must be the documents migration 3
/// built, token for token and place for place, or the documents stored before it would disagree
/// with the queries after it. Migration 3's functions are made again under other names beside the
/// store's and both are asked about the same texts.
final class ServerSearchDocumentTests: XCTestCase {
  var database: TestDatabase!

  override func setUpWithError() throws {
    database = try TestDatabase()
  }

  override func tearDown() {
    database?.drop()
  }

  /// Texts and handles that reach the corners: punctuation of every kind, runs of spaces and other
  /// blanks, accents (precomposed and combining), scripts without spaces, digits of other scripts,
  /// what the parser reads as numbers, addresses or markup, a word too long to index, `0.5`
  /// itself, and nothing at all.
  static let samples: [(String, String?)] = [
    ("", nil), ("", ""), ("!!!", "@@"), ("  lead  trail  ", "h"), ("tab\there\nnew\rline", "X"),
    ("1e5 1.5e3 -3 +4 0x1F", "a_b"), ("Ĳssel straße ÆØÅ ﬁne ǅ İstanbul", "İ"), ("٣٤ ١٢abc ⅷ ½ ² x²", "b"),
    ("日本語のテキスト 中文 한국어", "c"), ("a‐b a—b a_b a'b a’b", "d"), ("e\u{301}cole n\u{303}", "e"),
    ("http://x.com/a?b=c www.foo.org user@mail.com <b>bold</b> &amp;", "e"),
    (String(repeating: "x", count: 3000) + " tail", "f"), ("0.5 0 5 05", "0.5"),
    ("Waar blijft mijn pakket?!? @bol #fail 😡😡", "klant_42"), ("late again… 2x, 3.5h — why?", "Ünïcødé"),
    ("a\u{00A0}b\u{2003}c\u{200B}d", "no break"), ("12:30 30-11-2026 €12,50", nil),
  ]

  func testTheDocumentsAreMigration3s() throws {
    let store = try ServerStore(
      address: TestServer.address(database.url), clock: .fixed(Date(timeIntervalSince1970: 1_795_512_600)))
    defer { store.close() }
    _ = try store.initialize()
    // Migration 3's two functions, renamed.
    let before = ServerSchema.version3[0...1].map {
      $0.replacingOccurrences(of: "search_text(", with: "before_search_text(")
        .replacingOccurrences(of: "search_document(", with: "before_search_document(")
    }
    XCTAssertEqual(before.count, 2)
    XCTAssertTrue(before[1].contains("before_search_document(") && before[1].contains("before_search_text("))
    let differing = try store.bridge.run { session in
      for statement in before { try await session.execute(statement) }
      var differing: [String] = []
      for (body, handle) in Self.samples {
        var binds = PostgresBindings()
        binds.append(body)
        binds.append(handle)
        let same = try await session.values(
          """
          SELECT before_search_document($1, $2) IS NOT DISTINCT FROM search_document($1, $2)
            AND to_tsvector('simple', before_search_text($1)) = to_tsvector('simple', search_text($1))
          """, binds: binds, as: Bool.self)
        if same.first != true { differing.append(body) }
      }
      return differing
    }
    XCTAssertEqual(differing, [])
  }
}

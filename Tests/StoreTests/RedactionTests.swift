import Foundation
import GRDB
import Inbox
import Policy
import Testing

@testable import Store

private let now = RFC3339.parse("2026-03-02T10:00:00Z")!

/// What others wrote about a forgotten author, and what it takes out of them, are in the
/// conformance suite (`ErasureConformanceTests`); the redactor's rules in `InboxTests`. Here what
/// only SQLite shows: its redaction step on its own, as a crash leaves it.
@Suite("Forget reaches what others wrote")
struct QuotingForgetTests {
  static let secret = "Zwartkopmeeuw Kwartelkoning belde mij over dossier 4711"

  func mention(
    _ id: String, _ text: String, handle: String, name: String? = nil, raw: String? = nil,
    minutesAgo: Double = 10, replyTo: String? = nil
  ) -> IncomingMention {
    IncomingMention(
      platform: "mastodon", externalID: id, author: Author(handle: handle, name: name, followers: 80),
      createdAt: now.addingTimeInterval(-minutesAgo * 60), text: text, lang: "nl", inReplyTo: replyTo,
      raw: raw ?? #"{"id":"\#(id)","text":"\#(text)"}"#)
  }

  func bytes(_ path: String) -> Data {
    var data = FileManager.default.contents(atPath: path) ?? Data()
    data.append(FileManager.default.contents(atPath: path + "-wal") ?? Data())
    data.append(FileManager.default.contents(atPath: path + "-shm") ?? Data())
    return data
  }

  @Test("a crash after the redaction leaves a forget that can be run again: the author is still there")
  func crashAfterRedaction() throws {
    let folder = TempFolder()
    let path = folder.path + "/repute.sqlite"
    let store = try SQLiteStore(path: path, clock: .fixed(now))
    _ = try store.ingest(
      [
        mention("s1", Self.secret, handle: "geheimzinnig", name: "Wendelmoet Zwaluwstaart", minutesAgo: 30),
        mention("q1", "Klopt, @geheimzinnig heeft gelijk", handle: "buurman"),
      ], actor: "test", annotator: PolicyAnnotator(policy: .default))
    // What forget does first, then the process dies.
    let author = try #require(
      try store.pool.read {
        try Int64.fetchOne($0, sql: "SELECT id FROM authors WHERE handle = 'geheimzinnig'")
      })
    #expect(try store.redact(try store.redactor(author: "geheimzinnig"), sparing: [author]).quoting == 1)
    #expect(try store.authorCount(handle: "geheimzinnig") == 1)
    // Run again: everything is done, nothing redacted twice.
    let counts = try store.forget(author: "geheimzinnig", actor: "Sam")
    #expect(counts.mentions == 1 && counts.quoting == 0)
    try store.compact()
    #expect(!bytes(path).contains(Data("Zwartkopmeeuw".utf8)))
    #expect(!bytes(path).contains(Data("geheimzinnig".utf8)))
  }
}

import Foundation
import GRDB
import Inbox
import Policy
import Testing

@testable import Store

/// How SQLite reads issue 16's filter words (what they list is checked on both stores in
/// `QueueFilterConformanceTests`).
@Suite struct FilterWordsStoreTests {
  let now = Date(timeIntervalSince1970: 1_795_512_600)

  /// Eight mentions an hour apart (`m0` the newest): `m1` claimed by Anna, `m2` by Bob, `m3` in
  /// Dutch, `m4` escalated, `m5` by a watched author, `m6` snoozed for an hour, `m7` replied.
  func seeded() throws -> (SQLiteStore, TempFolder, [String: Int64]) {
    let dir = TempFolder()
    let store = try SQLiteStore(path: dir.path + "/s.sqlite", clock: .fixed(now))
    var batch: [IncomingMention] = []
    for i in 0..<8 {
      var m = IncomingMention(
        platform: "x", externalID: "m\(i)", author: Author(handle: "u\(i)"),
        createdAt: now.addingTimeInterval(-Double(i) * 3600), text: "tekst \(i)", raw: "{}")
      m.lang = i == 3 ? "nl" : "en"
      batch.append(m)
    }
    _ = try store.ingest(batch, actor: "t", annotator: ScriptedAnnotator(windows: [:]))
    var ids: [String: Int64] = [:]
    for i in 0..<8 { ids["m\(i)"] = try #require(try store.mentionID(platform: "x", externalID: "m\(i)")) }
    _ = try store.claim(id: ids["m1"]!, actor: "Anna")
    _ = try store.claim(id: ids["m2"]!, actor: "Bob")
    try store.escalate(mentionID: ids["m4"]!, note: "pers", actor: "t")
    _ = try store.toggleWatch(mentionID: ids["m5"]!, actor: "t")
    try store.snooze(ids: [ids["m6"]!], until: now.addingTimeInterval(3600), actor: "t")
    try store.markReplied(ids: [ids["m7"]!], actor: "t")
    return (store, dir, ids)
  }

  @Test func theLanguageWordIsReadFromItsIndex() throws {
    let (store, dir, _) = try seeded()
    _ = dir
    let details = try store.pool.read { db in
      try Row.fetchAll(
        db,
        sql:
          "EXPLAIN QUERY PLAN SELECT count(*) FROM mentions m WHERE lower(coalesce(m.lang, m.detected_lang)) = 'nl'"
      ).map { $0["detail"] as String }
    }
    #expect(details.contains { $0.contains("mentions_by_lang") })
  }
}

import Foundation
import GRDB
import Inbox
import Policy
import Testing

@testable import Store

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A temporary folder removed when the test ends.
final class TempFolder {
  let path: String
  init() {
    path =
      FileManager.default.temporaryDirectory.appendingPathComponent("repute-store-\(UUID().uuidString)").path
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }
  deinit { try? FileManager.default.removeItem(atPath: path) }
}

func mention(
  _ id: String, text: String = "hello", handle: String = "anna", platform: String = "x",
  followers: Int? = nil, name: String? = nil
) -> IncomingMention {
  IncomingMention(
    platform: platform, externalID: id, author: Author(handle: handle, name: name, followers: followers),
    createdAt: Date(timeIntervalSince1970: 1_795_500_000 + (Double(id.hashValue % 1000))), text: text,
    raw: #"{"id":"\#(id)"}"#)
}

func mode(_ path: String) -> mode_t {
  var info = stat()
  stat(path, &info)
  return info.st_mode & 0o7777
}

let fixedClock = ReputeClock.fixed(Date(timeIntervalSince1970: 1_795_512_600))

@Suite struct StoreFileTests {
  @Test func aNewStoreIsPrivate() throws {
    let dir = TempFolder()
    let path = dir.path + "/deep/er/repute.sqlite"
    let store = try SQLiteStore(path: path, clock: fixedClock)
    _ = try store.ingest([mention("1")], actor: "anna", annotator: nil)
    #expect(mode(path) == 0o600)
    #expect(mode(dir.path + "/deep/er") == 0o700)
    #expect(mode(dir.path + "/deep") == 0o700)
    #expect(mode(path + "-wal") == 0o600)
    #expect(!StoreFiles.isShared(path: path))
  }

  @Test func aTeamStoreIsSharedWithItsGroup() throws {
    let dir = TempFolder()
    let path = dir.path + "/team/repute.sqlite"
    let group = String(cString: getgrgid(getgid())!.pointee.gr_name)
    try StoreFiles.createShared(path: path, group: group)
    let store = try SQLiteStore(path: path, clock: fixedClock)
    _ = try store.ingest([mention("1")], actor: "anna", annotator: nil)
    #expect(mode(path) == 0o660)
    #expect(mode(dir.path + "/team") == 0o2770)
    #expect(StoreFiles.isShared(path: path))
  }

  @Test func anUnknownGroupIsRefused() {
    let dir = TempFolder()
    #expect(throws: InboxError.invalidArgument("no such group: no-such-group-xyz")) {
      try StoreFiles.createShared(path: dir.path + "/s.sqlite", group: "no-such-group-xyz")
    }
  }

  @Test func aMissingStoreIsNotCreatedForReading() {
    let dir = TempFolder()
    #expect(throws: InboxError.self) {
      try SQLiteStore(path: dir.path + "/none.sqlite", mode: .existing, clock: fixedClock)
    }
    #expect(!FileManager.default.fileExists(atPath: dir.path + "/none.sqlite"))
  }

  @Test func aFileThatIsNoStoreIsAClearError() throws {
    let dir = TempFolder()
    let path = dir.path + "/notes.sqlite"
    _ = FileManager.default.createFile(
      atPath: path, contents: Data(String(repeating: "not a database\n", count: 400).utf8))
    do {
      _ = try SQLiteStore(path: path, mode: .existing, clock: fixedClock)
      Issue.record("opened a text file as a store")
    } catch let error as InboxError {
      #expect(error.description.contains("not a Repute store"))
    }
  }

  @Test func theLocationFollowsFlagsThenEnvironment() throws {
    #expect(
      try StoreLocation.resolve(explicit: "/a/b.sqlite", environment: ["REPUTE_STORE": "/c"]) == "/a/b.sqlite"
    )
    #expect(
      try StoreLocation.resolve(explicit: nil, environment: ["REPUTE_STORE": "/c.sqlite"]) == "/c.sqlite")
    #expect(
      try StoreLocation.resolve(explicit: nil, environment: ["XDG_DATA_HOME": "/x", "HOME": "/h"])
        == "/x/repute/repute.sqlite")
    #expect(
      try StoreLocation.resolve(explicit: nil, environment: ["HOME": "/h"])
        == "/h/.local/share/repute/repute.sqlite")
    #expect(try StoreLocation.resolve(explicit: "~/s.sqlite", environment: ["HOME": "/h"]) == "/h/s.sqlite")
    #expect(throws: InboxError.self) { try StoreLocation.resolve(explicit: nil, environment: [:]) }
  }
}

/// An empty store file as an older Repute made it (0600: stores others may read are refused),
/// opened without Repute's migrations.
func olderStore(_ path: String) throws -> DatabaseQueue {
  _ = FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
  return try DatabaseQueue(path: path)
}

@Suite struct MigrationTests {
  @Test func anOlderStoreIsUpgraded() throws {
    let dir = TempFolder()
    let path = dir.path + "/old.sqlite"
    // A store as the first release wrote it, with a mention in it.
    let queue = try olderStore(path)
    let all = try queue.read { try Schema.migrator.appliedIdentifiers($0) }
    #expect(all.isEmpty)
    try Schema.migrator.migrate(queue, upTo: "v1-mentions-authors-events")
    try queue.write { db in
      try db.execute(sql: "INSERT INTO authors (id, platform, handle) VALUES (1, 'x', 'anna')")
      try db.execute(
        sql: """
          INSERT INTO mentions (platform, external_id, author_id, created_at, ingested_at, text, raw,
            status, first_response_due_at) VALUES ('x', '1', 1, 0, 0, 'hi', '{}', 'open', 5000)
          """)
    }
    try queue.close()
    let store = try SQLiteStore(path: path, mode: .existing, clock: fixedClock)
    #expect(try store.appliedMigrations() == Schema.migrator.migrations)
    #expect(Schema.migrator.migrations.count >= 3)
    #expect(try store.mentionCount() == 1)
    let due = try store.pool.read { try Int64.fetchOne($0, sql: "SELECT due_at FROM mentions") }
    #expect(due == 5000)
  }

  @Test func signalsStoredAsJSONArePackedInPlace() throws {
    let dir = TempFolder()
    let path = dir.path + "/v12.sqlite"
    // A store as the schema before v14-ingest-compact wrote it: the signals as JSON.
    let queue = try olderStore(path)
    try Schema.migrator.migrate(queue, upTo: "v12-ingest")
    let annotator = PolicyAnnotator(policy: .default)
    let classification = annotator.classify(mention("1", text: "my train is late again, nobody knows why 😡"))
    let json = PolicyAnnotator.signalsJSON(classification)
    #expect(json.hasPrefix(#"[{"kind":"#))
    let damaged = #"[{"kind":"no_such_kind","token":"x","weight":1}]"#
    try queue.write { db in
      try db.execute(sql: "INSERT INTO authors (id, platform, handle) VALUES (1, 'x', 'anna')")
      for (id, signals) in [(1, json as String?), (2, damaged), (3, "[]"), (4, nil)] {
        try db.execute(
          sql: """
            INSERT INTO mentions (id, platform, external_id, author_id, created_at, ingested_at, text, raw,
              status, signals) VALUES (?, 'x', ?, 1, 0, 0, 'hi', '{}', 'open', ?)
            """, arguments: [id, String(id), signals])
      }
    }
    try queue.close()
    let store = try SQLiteStore(path: path, mode: .existing, clock: fixedClock)
    #expect(try store.appliedMigrations().contains("v14-ingest-compact"))
    // The rewritten rows are back in the store file, not left in a WAL every read goes through.
    let wal = try FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int
    #expect(wal == 0)
    let stored = try store.pool.read {
      try String?.fetchAll($0, sql: "SELECT signals FROM mentions ORDER BY id")
    }
    #expect(stored[0] == PackedSignals(classification.signals).text)
    #expect(stored[0]!.utf8.count * 3 < json.utf8.count)
    // What does not parse as the classifier's signals stays as it was, and reads as it is.
    #expect(stored[1] == damaged)
    #expect(stored[2] == "")
    #expect(stored[3] == nil)
    #expect(try store.mention(id: 1)?.signalsJSON == json)
    #expect(try store.mention(id: 2)?.signalsJSON == damaged)
    #expect(try store.mention(id: 3)?.signalsJSON == "[]")
    #expect(try store.mention(id: 4)?.signalsJSON == nil)
  }

  @Test func ingestStoresTheSignalsPacked() throws {
    let dir = TempFolder()
    let store = try SQLiteStore(path: dir.path + "/s.sqlite", clock: fixedClock)
    let annotator = PolicyAnnotator(policy: .default)
    let incoming = mention("1", text: "waarom is mijn trein weer te laat? niemand weet iets")
    _ = try store.ingest([incoming], actor: "test", annotator: annotator)
    let raw = try store.pool.read { try String.fetchOne($0, sql: "SELECT signals FROM mentions") }
    let classification = annotator.classify(incoming)
    #expect(raw == PackedSignals(classification.signals).text)
    #expect(raw?.hasPrefix("[") == false)
    #expect(try store.mention(id: 1)?.signalsJSON == PolicyAnnotator.signalsJSON(classification))
    // `policy apply` re-judges and stores them packed too.
    var stricter = PolicyConfig.default
    stricter.noise.mutedWords = ["iets"]
    let rejudged = PolicyAnnotator(policy: stricter)
    _ = try store.applyPolicy(source: PolicyFile.render(stricter), actor: "carmen", annotator: rejudged)
    let again = try store.pool.read { try String.fetchOne($0, sql: "SELECT signals FROM mentions") }
    #expect(again == PackedSignals(rejudged.classify(incoming).signals).text)
    #expect(try store.mention(id: 1)?.muted == true)
    #expect(try store.mention(id: 1)?.signalsJSON == PolicyAnnotator.signalsJSON(rejudged.classify(incoming)))
  }

  @Test func aNewStoreHasLargePagesAndAnOlderOneKeepsItsOwn() throws {
    let dir = TempFolder()
    let fresh = try SQLiteStore(path: dir.path + "/new.sqlite", clock: fixedClock)
    #expect(try fresh.pool.read { try Int.fetchOne($0, sql: "PRAGMA page_size") } == 16384)
    let path = dir.path + "/old.sqlite"
    let queue = try olderStore(path)
    try queue.write { try $0.execute(sql: "PRAGMA journal_mode = WAL") }
    try Schema.migrator.migrate(queue, upTo: "v12-ingest")
    try queue.close()
    let old = try SQLiteStore(path: path, mode: .existing, clock: fixedClock)
    #expect(try old.pool.read { try Int.fetchOne($0, sql: "PRAGMA page_size") } == 4096)
    _ = try old.ingest([mention("1")], actor: "test", annotator: nil)
    #expect(try old.mentionCount() == 1)
  }

  @Test func aStoreFromANewerReputeIsRefused() throws {
    let dir = TempFolder()
    let path = dir.path + "/new.sqlite"
    _ = try SQLiteStore(path: path, clock: fixedClock)
    let queue = try DatabaseQueue(path: path)
    try queue.write { try $0.execute(sql: "INSERT INTO grdb_migrations VALUES ('v99-from-the-future')") }
    try queue.close()
    #expect(
      throws: InboxError.storeUnavailable(
        "the store \(path) was written by a newer Repute; upgrade Repute to open it")
    ) {
      try SQLiteStore(path: path, mode: .existing, clock: fixedClock)
    }
  }
}

@Suite struct IngestTests {
  @Test func theEventLogIsAppendOnly() throws {
    let dir = TempFolder()
    let store = try SQLiteStore(path: dir.path + "/s.sqlite", clock: fixedClock)
    _ = try store.ingest([mention("1")], actor: "anna", annotator: nil)
    #expect(throws: StoreDatabaseError.self) {
      try store.pool.write { try $0.execute(sql: "UPDATE events SET actor = 'mallory'") }
    }
    #expect(throws: StoreDatabaseError.self) {
      try store.pool.write { try $0.execute(sql: "DELETE FROM events") }
    }
    #expect(try store.allEvents().map(\.actor) == ["anna"])
  }
}

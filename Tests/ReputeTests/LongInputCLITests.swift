import Foundation
import Store
import Testing

/// Any length of any field, through every entry point of the real binary (issue 13: a word of
/// 32,768 letters or more crashed ingest, watch, classify and reply, losing the whole batch). On a
/// store file and on PostgreSQL alike (issue 18).
@Suite(.serialized) struct LongInputCLITests {
  let now = ["REPUTE_NOW": "2026-11-24T12:00:00Z"]
  let word = String(repeating: "a", count: 40_000)

  func expectStored(_ r: ReputeProcess.Result, _ dir: CLIStore, count: Int, sourceLine: String = #function)
    throws
  {
    #expect(r.status == 0, "\(sourceLine): \(r.stderr)")
    #expect(r.lines.last == "ingested \(count) new, 0 duplicate, 0 rejected", "\(sourceLine): \(r.stdout)")
    let all = try dir.withStore { try $0.mentions(order: .newest, limit: 10, offset: 0) }
    #expect(all.count == count)
    #expect(all.contains { $0.text.contains(word) }, "the long text is stored whole")
  }

  @Test(arguments: CLIStores.kinds) func ingestJSONLinesWithAFortyThousandLetterWordKeepsTheBatch(
    kind: CLIKind
  ) throws {
    let store = try CLIStore(kind, [], environment: now)
    let dir = store.dir
    let file = dir.write(
      "long.jsonl",
      [mentionLine(1), mentionLine(2, text: word), mentionLine(3)].joined(separator: "\n") + "\n")
    try expectStored(try store.run(nil, ["ingest", file]), store, count: 3)
  }

  @Test(arguments: CLIStores.kinds) func ingestCSVWithAFortyThousandLetterWord(kind: CLIKind) throws {
    let store = try CLIStore(kind, [], environment: now)
    let dir = store.dir
    let file = dir.write(
      "long.csv",
      "id,author,created_at,text\nk1,anna,2026-11-24T09:30:00Z,short\nk2,bob,2026-11-24T09:30:00Z,\(word)\n")
    try expectStored(try store.run(nil, ["ingest", "--format", "csv", file]), store, count: 2)
  }

  @Test(arguments: CLIStores.kinds) func ingestRSSWithAFortyThousandLetterWord(kind: CLIKind) throws {
    let store = try CLIStore(kind, [], environment: now)
    let dir = store.dir
    let file = dir.write(
      "long.xml",
      """
      <?xml version="1.0" encoding="UTF-8"?>
      <rss version="2.0"><channel><title>alerts</title>
      <item><guid>a1</guid><title>short</title><link>https://news.example/1</link>\
      <pubDate>Tue, 24 Nov 2026 09:30:00 GMT</pubDate></item>
      <item><guid>a2</guid><title>long</title><description>\(word)</description>\
      <link>https://news.example/2</link><pubDate>Tue, 24 Nov 2026 09:31:00 GMT</pubDate></item>
      </channel></rss>
      """)
    try expectStored(try store.run(nil, ["ingest", "--format", "rss", file]), store, count: 2)
  }

  @Test(arguments: CLIStores.kinds) func classifyATextAndAFileWithAFortyThousandLetterWord(kind: CLIKind)
    throws
  {
    let store = try CLIStore(kind, [], environment: now)
    let dir = store.dir
    let plain = try store.run(nil, ["classify", "--json", word])
    #expect(plain.status == 0, "\(plain.stderr)")
    #expect(plain.lines.count == 1)
    let file = dir.write("long.jsonl", mentionLine(1, text: word) + "\n" + mentionLine(2) + "\n")
    let lines = try store.run(nil, ["classify", "--file", file])
    #expect(lines.status == 0, "\(lines.stderr)")
    #expect(lines.lines.count == 2)
  }

  @Test(arguments: CLIStores.kinds) func replyTextWithAFortyThousandLetterWordIsCheckedNotCrashed(
    kind: CLIKind
  )
    throws
  {
    let store = try CLIStore(kind, [mentionLine(1, platform: "mastodon")], environment: now)
    let r = try store.run("Anna", ["reply", "1", "--text", word, "--yes"])
    // Far over Mastodon's 500 characters: refused with its reason, exit 1, nothing queued.
    #expect(r.status == 1, "\(r.stderr)")
    #expect(r.stderr.contains("too_long"), "\(r.stderr)")
  }

  @Test(arguments: CLIStores.kinds) func watchTakesASpooledFileWithAFortyThousandLetterWord(kind: CLIKind)
    throws
  {
    let store = try CLIStore(kind, [], environment: now)
    let dir = store.dir
    try FileManager.default.createDirectory(atPath: dir.path + "/drop", withIntermediateDirectories: true)
    let config = dir.write("config.toml", "[[spool]]\nname = \"drop\"\npath = \"\(dir.path)/drop\"\n")
    dir.write("drop/long.jsonl", [mentionLine(1), mentionLine(2, text: word)].joined(separator: "\n") + "\n")
    let r = try store.run(nil, ["watch", "--once", "--config", config])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(FileManager.default.fileExists(atPath: dir.path + "/drop/processed/long.jsonl"), "\(r.stderr)")
    #expect(try store.withStore { try $0.mentions(order: .newest, limit: 10, offset: 0) }.count == 2)
  }
}

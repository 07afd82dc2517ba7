import Foundation
import Store
import Testing

/// Any length of any field, through every entry point of the real binary (issue 13: a word of
/// 32,768 letters or more crashed ingest, watch, classify and reply, losing the whole batch).
@Suite(.serialized) struct LongInputCLITests {
  let now = ["REPUTE_NOW": "2026-11-24T12:00:00Z"]
  let word = String(repeating: "a", count: 40_000)

  func expectStored(_ r: ReputeProcess.Result, _ dir: TempFolder, count: Int, sourceLine: String = #function)
    throws
  {
    #expect(r.status == 0, "\(sourceLine): \(r.stderr)")
    #expect(r.lines.last == "ingested \(count) new, 0 duplicate, 0 rejected", "\(sourceLine): \(r.stdout)")
    let store = try SQLiteStore(path: dir.store, mode: .existing, clock: fixedClock)
    let all = try store.mentions(order: .newest, limit: 10, offset: 0)
    #expect(all.count == count)
    #expect(all.contains { $0.text.contains(word) }, "the long text is stored whole")
  }

  @Test func ingestJSONLinesWithAFortyThousandLetterWordKeepsTheBatch() throws {
    let dir = TempFolder()
    let file = dir.write(
      "long.jsonl",
      [mentionLine(1), mentionLine(2, text: word), mentionLine(3)].joined(separator: "\n") + "\n")
    let r = try ReputeProcess.run(["ingest", "--store", dir.store, file], environment: now)
    try expectStored(r, dir, count: 3)
  }

  @Test func ingestCSVWithAFortyThousandLetterWord() throws {
    let dir = TempFolder()
    let file = dir.write(
      "long.csv",
      "id,author,created_at,text\nk1,anna,2026-11-24T09:30:00Z,short\nk2,bob,2026-11-24T09:30:00Z,\(word)\n")
    let r = try ReputeProcess.run(
      ["ingest", "--store", dir.store, "--format", "csv", file], environment: now)
    try expectStored(r, dir, count: 2)
  }

  @Test func ingestRSSWithAFortyThousandLetterWord() throws {
    let dir = TempFolder()
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
    let r = try ReputeProcess.run(
      ["ingest", "--store", dir.store, "--format", "rss", file], environment: now)
    try expectStored(r, dir, count: 2)
  }

  @Test func classifyATextAndAFileWithAFortyThousandLetterWord() throws {
    let dir = TempFolder()
    let plain = try ReputeProcess.run(["classify", "--store", dir.store, "--json", word], environment: now)
    #expect(plain.status == 0, "\(plain.stderr)")
    #expect(plain.lines.count == 1)
    let file = dir.write("long.jsonl", mentionLine(1, text: word) + "\n" + mentionLine(2) + "\n")
    let lines = try ReputeProcess.run(["classify", "--store", dir.store, "--file", file], environment: now)
    #expect(lines.status == 0, "\(lines.stderr)")
    #expect(lines.lines.count == 2)
  }

  @Test func replyTextWithAFortyThousandLetterWordIsCheckedNotCrashed() throws {
    let dir = TempFolder()
    let file = dir.write("m.jsonl", mentionLine(1, platform: "mastodon") + "\n")
    #expect(try ReputeProcess.run(["init", "--store", dir.store, "--name", "Anna"]).status == 0)
    #expect(try ReputeProcess.run(["ingest", "--store", dir.store, file], environment: now).status == 0)
    let r = try ReputeProcess.run(
      ["reply", "--store", dir.store, "--as", "Anna", "1", "--text", word, "--yes"], environment: now)
    // Far over Mastodon's 500 characters: refused with its reason, exit 1, nothing queued.
    #expect(r.status == 1, "\(r.stderr)")
    #expect(r.stderr.contains("too_long"), "\(r.stderr)")
  }

  @Test func watchTakesASpooledFileWithAFortyThousandLetterWord() throws {
    let dir = TempFolder()
    try FileManager.default.createDirectory(atPath: dir.path + "/drop", withIntermediateDirectories: true)
    let config = dir.write("config.toml", "[[spool]]\nname = \"drop\"\npath = \"\(dir.path)/drop\"\n")
    dir.write("drop/long.jsonl", [mentionLine(1), mentionLine(2, text: word)].joined(separator: "\n") + "\n")
    let r = try ReputeProcess.run(
      ["watch", "--once", "--store", dir.store, "--config", config], environment: now)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(FileManager.default.fileExists(atPath: dir.path + "/drop/processed/long.jsonl"), "\(r.stderr)")
    let store = try SQLiteStore(path: dir.store, mode: .existing, clock: fixedClock)
    #expect(try store.mentions(order: .newest, limit: 10, offset: 0).count == 2)
  }
}

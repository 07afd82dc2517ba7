import Foundation
import Inbox
import ServerStore
import Store
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `repute ingest`, `list` and `show` through the binary, on a store file and on PostgreSQL alike
/// (issue 18) but where a test is about the store file itself.
@Suite(.serialized) struct IngestCLITests {
  @Test(arguments: CLIStores.kinds) func ingestReportsEachBadLineAndKeepsTheRest(kind: CLIKind) throws {
    let store = try CLIStore(kind, [], environment: [:])
    let dir = store.dir
    let file = dir.write(
      "in.jsonl",
      [
        mentionLine(1), "{broken", mentionLine(2),
        #"{"platform":"x","id":"3","author":{"handle":"a"},"text":"t"}"#, mentionLine(3),
      ].joined(separator: "\n"))
    let r = try store.run(nil, ["ingest", file])
    #expect(r.status == 1)
    #expect(r.lines.last == "ingested 3 new, 0 duplicate, 2 rejected")
    let errors = r.stderr.split(separator: "\n").map(String.init)
    #expect(errors.count == 2)
    #expect(errors[0].hasPrefix("\(file):2: broken JSON"))
    #expect(errors[1] == #"\#(file):4: missing "created_at""#)
  }

  /// On a file only: a store file's path and the modes of what it makes.
  @Test(
    "a relative store path works, with new folders made private (it trapped in Foundation once)",
    arguments: ["r.sqlite", "s/r.sqlite", "./deep/er/r.sqlite"])
  func relativeStorePath(store: String) throws {
    let dir = TempFolder()
    let file = dir.write("in.jsonl", (1...2).map { mentionLine($0) }.joined(separator: "\n"))
    let r = try ReputeProcess.run(["ingest", "--store", store, file], in: dir.path)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.lines.last == "ingested 2 new, 0 duplicate, 0 rejected")
    let path = URL(fileURLWithPath: dir.path).appendingPathComponent(store).standardizedFileURL.path
    let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
    #expect(mode == 0o600)
    let folder =
      (try FileManager.default.attributesOfItem(
        atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path)[.posixPermissions] as? Int)
    if store.contains("/") { #expect(folder == 0o700) }
    let list = try ReputeProcess.run(["list", "--store", store, "--json"], in: dir.path)
    #expect(list.lines.count == 2, "\(list.stderr)")
  }

  @Test(
    "list --json and show --json carry the flags: escalated, claimed_by, watched", arguments: CLIStores.kinds)
  func flagsInJSON(kind: CLIKind) throws {
    let cli = try CLIStore(kind, [], environment: [:])
    let file = cli.dir.write("in.jsonl", (1...3).map { mentionLine($0) }.joined(separator: "\n"))
    #expect(try cli.run(nil, ["ingest", file]).status == 0)
    let opened = try cli.open()
    defer { (opened as? ServerStore)?.close() }
    let store = try #require(opened as? any QueueStore & ActionStore)
    func id(_ external: String) throws -> Int64 {
      try #require(try store.mentionID(platform: "x", externalID: external))
    }
    try store.toggleClaim(id: try id("1"), actor: "Anna")
    try store.escalate(mentionID: try id("2"), note: "press", actor: "Sam")
    try store.toggleWatch(mentionID: try id("3"), actor: "Sam")
    let listed = try cli.run(nil, ["list", "--json"])
    #expect(listed.status == 0, "\(listed.stderr)")
    var rows: [String: [String: Any]] = [:]
    for line in listed.lines {
      let row = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      rows[row["external_id"] as! String] = row
    }
    #expect(rows["1"]?["claimed_by"] as? String == "Anna")
    #expect(rows["1"]?["escalated"] as? Bool == false)
    #expect(rows["2"]?["escalated"] as? Bool == true)
    #expect(rows["2"]?["claimed_by"] is NSNull)
    #expect(rows["3"]?["watched"] as? Bool == true)
    #expect(rows["1"]?["watched"] as? Bool == false)
    let shown = try cli.run(nil, ["show", "--json", String(try id("2"))])
    let detail = try #require(
      try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
    #expect((detail["mention"] as? [String: Any])?["escalated"] as? Bool == true)
  }

  @Test(arguments: CLIStores.kinds) func aSecondIngestFindsDuplicatesAndEdits(kind: CLIKind) throws {
    let store = try CLIStore(kind, [], environment: [:])
    let dir = store.dir
    let file = dir.write("in.jsonl", (1...4).map { mentionLine($0) }.joined(separator: "\n"))
    #expect(try store.run(nil, ["ingest", file]).lines == ["ingested 4 new, 0 duplicate, 0 rejected"])
    let edited = dir.write(
      "edit.jsonl", [mentionLine(1), mentionLine(2, text: "changed")].joined(separator: "\n"))
    let r = try store.run(nil, ["ingest", edited])
    #expect(r.status == 0)
    #expect(r.lines.last == "ingested 0 new, 2 duplicate, 0 rejected")
    #expect(r.lines.first == "1 of the duplicates was an edit: the new text is stored, the earlier kept")
  }

  @Test(arguments: CLIStores.kinds) func standardInputIsNamedInMessages(kind: CLIKind) throws {
    let store = try CLIStore(kind, [], environment: [:])
    let r = try store.run(nil, ["ingest", "-"], stdin: mentionLine(1) + "\nnope\n")
    #expect(r.status == 1)
    #expect(r.stderr.hasPrefix("<stdin>:2: broken JSON"))
    #expect(r.lines.last == "ingested 1 new, 0 duplicate, 1 rejected")
  }

  @Test(arguments: CLIStores.kinds) func aMissingFileIsAUsageErrorAndNothingIsStored(kind: CLIKind) throws {
    let store = try CLIStore(kind, [], environment: [:])
    let dir = store.dir
    let good = dir.write("good.jsonl", mentionLine(1))
    let r = try store.run(nil, ["ingest", good, dir.path + "/missing.jsonl"])
    #expect(r.status == 2)
    #expect(r.stderr == "repute: \(dir.path)/missing.jsonl: no such file or folder\n")
    #expect(try store.run(nil, ["list", "--json"]).stdout.isEmpty, "the good file's mention is not stored")
    if kind == .sqlite {
      // Nor is a store file made for it.
      let fresh = TempFolder()
      #expect(
        try ReputeProcess.run(["ingest", "--store", fresh.store, good, dir.path + "/missing.jsonl"]).status
          == 2)
      #expect(!FileManager.default.fileExists(atPath: fresh.store))
    }
  }

  /// On a file only: a file that is not a database.
  @Test func anUnreadableStoreIsExitTwo() throws {
    let dir = TempFolder()
    let notStore = dir.write("store.sqlite", String(repeating: "plain text, not a database\n", count: 300))
    let r = try ReputeProcess.run(["ingest", "--store", notStore, dir.write("a.jsonl", mentionLine(1))])
    #expect(r.status == 2)
    #expect(r.stderr.contains("not a Repute store"))
    #expect(!r.stderr.contains("Fatal") && !r.stderr.contains("Stack"))
  }

  @Test(arguments: CLIStores.kinds) func listAndShowPrintJSONWithTheDocumentedFields(kind: CLIKind) throws {
    let store = try CLIStore(kind, [], environment: [:])
    let dir = store.dir
    let file = dir.write(
      "in.jsonl",
      [mentionLine(1, text: "why is my train late again"), mentionLine(2, text: #"evil \u001b[2J"#)].joined(
        separator: "\n"))
    _ = try store.run(nil, ["ingest", file])
    let list = try store.run(nil, ["list", "--json"])
    #expect(list.status == 0)
    #expect(list.lines.count == 2)
    // The store keeps the signals packed (v14-ingest-compact); list and show print them as JSON.
    let late = try list.lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
      .first { $0["external_id"] as? String == "1" }
    let signals = try #require(late?["signals"] as? [[String: Any]])
    #expect(signals.allSatisfy { $0.keys.sorted() == ["kind", "token", "weight"] })
    #expect(
      signals.contains { $0["kind"] as? String == "complaint_cue" && $0["token"] as? String == "late" })
    let lateShow = try store.run(nil, ["show", String(late!["id"] as! Int), "--json"])
    let lateDetail = try JSONSerialization.jsonObject(with: Data(lateShow.stdout.utf8)) as! [String: Any]
    let lateMention = lateDetail["mention"] as? [String: Any]
    #expect((lateMention?["signals"] as? [[String: Any]])?.count == signals.count)
    let object = try JSONSerialization.jsonObject(with: Data(list.lines[0].utf8)) as! [String: Any]
    for key in [
      "id", "platform", "external_id", "url", "author", "created_at", "text", "lang", "category", "status",
      "clock", "next_deadline", "due_in_seconds",
    ] {
      #expect(object.keys.contains(key), "missing \(key)")
    }
    #expect((object["author"] as? [String: Any])?.keys.sorted() == ["followers", "handle", "name"])
    // Text from outside never reaches the terminal raw, in JSON or in plain output.
    #expect(!list.stdout.contains("\u{1B}"))
    let plain = try store.run(nil, ["list"])
    #expect(plain.stdout.contains("evil ␛[2J"))
    let id = object["id"] as! Int
    let show = try store.run(nil, ["show", String(id), "--json"])
    let detail = try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as! [String: Any]
    #expect((detail["events"] as? [[String: Any]])?.first?["action"] as? String == "ingest")
    #expect((detail["raw"] as? String)?.contains(#""id":"\#(object["external_id"] as! String)""#) == true)
    let text = try store.run(nil, ["show", String(id)])
    #expect(text.stdout.contains("history:"))
    #expect(try store.run(nil, ["show", "999"]).stderr == "repute: no mention with id 999\n")
  }

  /// On a file only: a store file's path with no store at it.
  @Test func listOnAMissingStoreSaysHowToStart() throws {
    let dir = TempFolder()
    let r = try ReputeProcess.run(["list", "--store", dir.store])
    #expect(r.status == 2)
    #expect(r.stderr.contains("no store at"))
  }

  /// On a file only: the modes of a new store file and its folder.
  @Test func aNewStoreIsPrivate() throws {
    let dir = TempFolder()
    _ = try ReputeProcess.run(["ingest", "--store", dir.store, dir.write("a.jsonl", mentionLine(1))])
    var info = stat()
    stat(dir.store, &info)
    #expect(info.st_mode & 0o777 == 0o600)
    stat(dir.path + "/store", &info)
    #expect(info.st_mode & 0o777 == 0o700)
  }

  @Test func everyCommandHasHelp() throws {
    for command in ["init", "ingest", "list", "show", "demo"] {
      let r = try ReputeProcess.run([command, "--help"])
      #expect(r.status == 0)
      #expect(r.stdout.contains("USAGE: repute \(command)"))
    }
  }
}

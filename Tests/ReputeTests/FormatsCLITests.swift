import Foundation
import Testing

/// `repute ingest --format …` through the real binary, on the fixtures in `Tests/Fixtures`, into a
/// store file and PostgreSQL alike (issue 18).
@Suite(.serialized) struct FormatsCLITests {
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent()
    .appendingPathComponent("Fixtures")

  static func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }

  @Test(arguments: CLIStores.kinds) func autoTellsEachFormatApartInOneFolder(kind: CLIKind) throws {
    let store = try CLIStore(kind, [], environment: [:])
    let dir = store.dir
    let input = dir.path + "/drop"
    try FileManager.default.createDirectory(atPath: input, withIntermediateDirectories: true)
    for name in [
      "mastodon/home-timeline.json", "bluesky-twitwi/bluesky-posts.json", "x-v2-twarc/two_tweets.jsonl",
      "feeds/google-alerts.xml", "csv/brandwatch.csv",
    ] {
      try FileManager.default.copyItem(
        atPath: Self.fixture(name), toPath: input + "/" + name.replacingOccurrences(of: "/", with: "-"))
    }
    dir.write("drop/native.jsonl", mentionLine(1))
    let r = try store.run(nil, ["ingest", "--format", "auto", input])
    // 3 Mastodon + 16 Bluesky + 1 X + 2 alerts + 2 CSV rows + 1 native; the CSV's 3 bad rows.
    #expect(r.lines.last == "ingested 25 new, 0 duplicate, 3 rejected")
    #expect(r.status == 1)
    let errors = r.stderr.split(separator: "\n").map(String.init)
    #expect(errors.count == 3 && errors.allSatisfy { $0.hasPrefix(input + "/csv-brandwatch.csv:") })
    let list = try store.run(nil, ["list", "--json", "--limit", "100"])
    let platforms = Set(
      list.lines.compactMap {
        (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["platform"] as? String
      })
    // The CSV's rows name their platform (twitter is x; forum).
    #expect(platforms == ["mastodon", "bluesky", "x", "rss", "forum"])
  }

  @Test(arguments: CLIStores.kinds) func theDefaultIsStillNativeJSONLinesAndABadFormatIsAUsageError(
    kind: CLIKind
  ) throws {
    let store = try CLIStore(kind, [], environment: [:])
    let r = try store.run(nil, ["ingest", Self.fixture("mastodon/delete.json")])
    #expect(r.status == 1)
    // A pretty-printed Mastodon file read as JSON Lines: its first line is a lone "{".
    #expect(r.stderr.contains("delete.json:1: broken JSON at byte 2: expected a key in quotes\n"))
    let bad = try store.run(nil, ["ingest", "--format", "json", "x.json"])
    #expect(bad.status == 64, "EX_USAGE, as for every usage error")
    #expect(bad.stderr.contains("--format must be one of auto, jsonl, mastodon, bluesky, x, rss, csv"))
  }

  @Test(arguments: CLIStores.kinds) func aDeletedPostIsMarkedInListAndShowAndItsTextKept(kind: CLIKind) throws
  {
    let store = try CLIStore(kind, [], environment: [:])
    let first = try store.run(
      nil,
      [
        "ingest", "--format", "mastodon", Self.fixture("mastodon/home-timeline.json"),
      ])
    #expect(first.status == 0)
    let again = try store.run(
      nil,
      [
        "ingest", "--format", "auto",
        Self.fixture("mastodon/carol-seen-from-other-server.json"),
      ])
    #expect(again.lines.last == "ingested 0 new, 1 duplicate, 0 rejected", "one post through two servers")
    let delete = try store.run(
      nil,
      [
        "ingest", "--format", "auto", Self.fixture("mastodon/delete.json"),
      ])
    #expect(delete.status == 0)
    #expect(delete.lines.first == "1 mention was deleted or withheld by the platform: marked, the text kept")
    let list = try store.run(nil, ["list", "--json"])
    let carol = try #require(
      list.lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        .first { ($0["external_id"] as? String)?.hasSuffix("/1789") == true })
    #expect(carol["deleted"] as? String == "deleted")
    #expect((carol["text"] as? String)?.contains("Nobody picked up.") == true)
    let id = try #require(carol["id"] as? Int)
    let show = try store.run(nil, ["show", String(id)])
    #expect(show.stdout.contains("deleted   on the platform: deleted (the text below is as stored)"))
    #expect(show.stdout.contains("Nobody picked up."))
    let plain = try store.run(nil, ["list"])
    #expect(plain.lines.contains { $0.contains("[deleted] CW: klacht") })
    let others = try store.run(nil, ["list", "--json"])
    #expect(others.lines.filter { $0.contains(#""deleted":""#) }.count == 1, "only the deleted one says so")
    #expect(others.lines.filter { $0.contains(#""deleted":null"#) }.count == others.lines.count - 1)
  }

  @Test(arguments: CLIStores.kinds) func csvColumnsFromTheCommandLineAndStandardInput(kind: CLIKind) throws {
    let store = try CLIStore(kind, [], environment: [:])
    let dir = store.dir
    let csv = "When,Who,What,Key\n30/11/2026 10:00,bob,\"hallo, daar\",k1\n31/11/2026 10:00,eva,mis,k2\n"
    let r = try store.run(
      nil,
      [
        "ingest", "--format", "csv", "--csv-map",
        "created_at=When,author=Who,text=What,id=Key",
        "--csv-platform", "forum", "--csv-date-format", "dd/MM/yyyy HH:mm", "-",
      ], stdin: csv)
    #expect(r.lines.last == "ingested 1 new, 0 duplicate, 1 rejected")
    #expect(r.stderr.hasPrefix("<stdin>:3: bad date: 31/11/2026 10:00"))
    let config = dir.write(
      "tool.toml",
      "platform = \"forum\"\n[columns]\ncreated_at = \"When\"\nauthor = \"Who\"\ntext = \"What\"\nid = \"Key\"\n"
    )
    let fromFile = try store.run(
      nil,
      [
        "ingest", "--format", "csv", "--csv-config", config, "--csv-map", "text=Who",
        "-",
      ],
      stdin: "When,Who,What,Key\n2026-11-30T10:00:00Z,eva,hoi,k9\n")
    #expect(fromFile.lines.last == "ingested 1 new, 0 duplicate, 0 rejected")
    let listed = try store.run(nil, ["list", "--json"])
    #expect(
      listed.lines.contains { $0.contains(#""external_id":"k9""#) && $0.contains(#""text":"eva""#) },
      "the command line wins")
    let unknown = try store.run(nil, ["ingest", "--csv-map", "colour=Red", "-"], stdin: "")
    #expect(unknown.stderr.contains(#"unknown field "colour""#))
  }

  @Test(arguments: CLIStores.kinds) func platformJSONFromStandardInputIsDetected(kind: CLIKind) throws {
    let store = try CLIStore(kind, [], environment: [:])
    let text = try String(
      contentsOfFile: Self.fixture("x-v2-twarc/streaming_output_with_error.jsonl"), encoding: .utf8)
    let r = try store.run(nil, ["ingest", "--format", "auto", "-"], stdin: text)
    #expect(r.lines.last == "ingested 7 new, 0 duplicate, 1 rejected")
    #expect(r.stderr.hasPrefix("<stdin>:8: broken JSON at byte"))
  }
}

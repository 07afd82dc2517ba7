import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `repute report`, `log`, `team bio`, `forget` and `purge` through the binary, on a fixed clock.
/// Report, log and the team's bio run on a store file and on PostgreSQL alike (issue 18); the
/// erasures here read the store *file*'s bytes (the server's erasure: `ServerErasureCLITests`).
@Suite(.serialized) struct SupervisorCLITests {
  // No config of the person running the tests: forget and purge would clean its spools.
  static let env = [
    "REPUTE_NOW": "2026-03-02T10:00:00Z", "REPUTE_USER": "Sam",
    "XDG_CONFIG_HOME": "/nonexistent/repute-tests",
  ]

  func line(_ id: String, _ handle: String, _ text: String, at: String, followers: Int = 50) -> String {
    #"{"platform":"mastodon","id":"\#(id)","author":{"handle":"\#(handle)","name":"Naam \#(handle)","followers":\#(followers)},"created_at":"\#(at)","text":"\#(text)","lang":"nl"}"#
  }

  func seeded() throws -> TempFolder {
    let store = try seeded(.sqlite)
    return store.dir
  }

  /// Five mentions ingested into a store of `kind` by the command itself.
  func seeded(_ kind: CLIKind) throws -> CLIStore {
    let store = try CLIStore.empty(kind, environment: Self.env)
    let file = store.dir.write(
      "in.jsonl",
      [
        line(
          "1", "sanne", "Mijn trein is alweer geannuleerd en niemand weet iets, echt belachelijk.",
          at: "2026-03-02T09:00:00Z"),
        line("2", "tom", "Hoe laat vertrekt de eerste trein naar Utrecht?", at: "2026-03-02T09:50:00Z"),
        line("3", "angry", "Jullie zijn allemaal oplichters en leugenaars!!!", at: "2026-03-02T09:40:00Z"),
        line(
          "4", "geheim", "Mijn advocaat Wielewaalhof neemt contact op over dossier 8812.",
          at: "2026-03-02T09:30:00Z"),
        line("5", "oud", "Oude klacht over de Boomklever-lijn", at: "2025-12-01T09:30:00Z"),
      ].joined(separator: "\n"))
    let r = try store.run(nil, ["ingest", file])
    #expect(r.status == 0, "\(r.stderr)")
    // Unfounded (S8), legal words, and the complaint of 09:00 overdue; the one of December is
    // stale (due more than a week before the rules first ran), not running late.
    #expect(r.lines.contains("3 escalations raised for the supervisor"))
    return store
  }

  @Test(arguments: CLIStores.kinds) func reportJSONIsOneObjectAndCSVHasAHeader(kind: CLIKind) throws {
    let dir = try seeded(kind)
    let json = try dir.run(nil, ["report", "--json"])
    #expect(json.status == 0)
    #expect(json.lines.count == 1)
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    #expect(
      Array(object.keys).sorted() == [
        "categories", "follow_up_within_target", "hourly", "now", "overall", "responders", "since",
        "within_target",
      ])
    #expect((object["hourly"] as? [Int])?.count == 24)
    let categories = try #require(object["categories"] as? [[String: Any]])
    #expect(categories.first { $0["category"] as? String == "question" }?["open"] as? Int == 1)
    let csv = try dir.run(nil, ["report", "--csv", "--since", "2026-03-01"])
    #expect(
      csv.lines.first
        == "kind,name,open,overdue,within,late,pending,share,responses,median_seconds,p90_seconds,closed_without_reply"
    )
    #expect(csv.lines.contains { $0.hasPrefix("category,complaint,") })
    #expect(csv.lines.last?.hasPrefix("all,") == true)
    let bad = try dir.run(nil, ["report", "--since", "gisteren"])
    #expect(bad.status == 2)
    #expect(bad.stderr.contains("--since"))
  }

  @Test(arguments: CLIStores.kinds) func logPrintsJSONLinesWithTheRequiredFields(kind: CLIKind) throws {
    let dir = try seeded(kind)
    let r = try dir.run(nil, ["log", "--json"])
    #expect(r.status == 0)
    for text in r.lines {
      let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
      for key in ["at", "actor", "action", "mention_id", "detail"] {
        #expect(object.keys.contains(key), "\(text)")
      }
    }
    #expect(r.lines.contains { $0.contains(#""actor":"policy","action":"escalate","mention_id":3"#) })
    #expect(
      r.lines.contains { $0.contains(#""mention_id":1,"detail":{"escalation_id":3,"reason":"overdue"}"#) })
    let one = try dir.run(nil, ["log", "--json", "--mention", "4"])
    #expect(one.lines.first?.contains(#""action":"ingest""#) == true)
    #expect(one.lines.contains { $0.contains(#""reason":"legal_or_press""#) })
    let show = try dir.run(nil, ["show", "4"])
    #expect(show.stdout.contains("escalations:\n  2026-03-02T10:00:00.000Z  legal_or_press  new  by policy"))
  }

  @Test(arguments: CLIStores.kinds) func teamBioInDutchAndEnglish(kind: CLIKind) throws {
    let dir = try seeded(kind)
    let r = try dir.run(nil, ["team", "bio"])
    #expect(r.status == 0)
    #expect(r.lines.count == 2)
    #expect(r.lines[0].hasPrefix("nl: "))
    #expect(r.lines[1].hasPrefix("en: "))
    let en = try dir.run(nil, ["team", "bio", "--lang", "en"])
    #expect(en.lines == [String(r.lines[1].dropFirst(4))])
  }

  @Test func forgetWithoutATerminalErasesAndLogsWithoutTheHandle() throws {
    let dir = try seeded()
    let r = try ReputeProcess.run(
      ["forget", "--store", dir.store, "--author", "@geheim"], environment: Self.env)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("1 mentions, 1 authors"))
    var bytes = FileManager.default.contents(atPath: dir.store) ?? Data()
    bytes.append(FileManager.default.contents(atPath: dir.store + "-wal") ?? Data())
    // Not "8812" alone: four digits turn up by chance in the store's random hex (the tombstone
    // salt and keys, idempotency keys); the index's own tokens are checked by "wielewaalhof".
    for needle in ["Wielewaalhof", "wielewaalhof", "dossier 8812", "geheim"] {
      #expect(bytes.range(of: Data(needle.utf8)) == nil, "\(needle)")
    }
    let log = try ReputeProcess.run(["log", "--store", dir.store, "--json"], environment: Self.env)
    let forget = try #require(log.lines.last { $0.contains(#""action":"forget""#) })
    #expect(forget.contains(#""actor":"Sam""#))
    #expect(!log.stdout.contains("geheim"))
    // The same post again stays out.
    let again = dir.write(
      "again.jsonl",
      line("4", "geheim", "Mijn advocaat Wielewaalhof neemt contact op.", at: "2026-03-02T09:30:00Z"))
    let ingest = try ReputeProcess.run(["ingest", "--store", dir.store, again], environment: Self.env)
    #expect(ingest.lines.first == "1 forgotten posts were not stored again (repute forget, purge)")
  }

  @Test func forgetOfANameThatMatchesNobodyFailsAndLeavesTheStoreAlone() throws {
    let dir = try seeded()
    let before = FileManager.default.contents(atPath: dir.store)
    let r = try ReputeProcess.run(
      ["forget", "--store", dir.store, "--author", "nobody", "--yes"], environment: Self.env)
    #expect(r.status == 1, "\(r.stderr)")
    #expect(r.stderr == "repute: no author @nobody in the store \(dir.store): nothing erased\n")
    #expect(!r.stdout.contains("forgot"))
    // Not compacted (the cleanup writes the file) and nothing logged.
    #expect(FileManager.default.contents(atPath: dir.store) == before)
    let log = try ReputeProcess.run(["log", "--store", dir.store, "--json"], environment: Self.env)
    #expect(!log.stdout.contains(#""action":"forget""#))
    // Only on the platform asked for: a real author elsewhere does not count.
    let other = try ReputeProcess.run(
      ["forget", "--store", dir.store, "--author", "geheim", "--platform", "bluesky", "--yes"],
      environment: Self.env)
    #expect(other.status == 1)
    #expect(other.stderr.contains("no author @geheim on bluesky"))
  }

  @Test func purgeErasesWhatIsOlderThanTheRetention() throws {
    let dir = try seeded()
    let r = try ReputeProcess.run(
      ["purge", "--store", dir.store, "--older-than", "30", "--yes"], environment: Self.env)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("1 mentions"))
    let bytes = FileManager.default.contents(atPath: dir.store) ?? Data()
    #expect(bytes.range(of: Data("Boomklever".utf8)) == nil)
    let list = try ReputeProcess.run(["list", "--store", dir.store], environment: Self.env)
    #expect(!list.stdout.contains("@oud"))
    #expect(list.stdout.contains("@sanne"))
  }

  @Test func onASharedStoreTheRostersRoleDecides() throws {
    let login = String(cString: getpwuid(geteuid())!.pointee.pw_name)
    let group = String(cString: getgrgid(getegid())!.pointee.gr_name)
    let dir = TempFolder()
    #expect(try ReputeProcess.run(["init", "--group", group, "--store", dir.store]).status == 0)
    let file = dir.write("a.jsonl", line("1", "geheim", "Hallo", at: "2026-03-02T09:30:00Z"))
    #expect(try ReputeProcess.run(["ingest", "--store", dir.store, file]).status == 0)
    let pane = try ReputeProcess.run(["inbox", "--supervisor", "--store", dir.store])
    #expect(pane.status == 2)
    #expect(pane.stderr.contains("the escalation pane is for supervisors"))
    let forget = try ReputeProcess.run(["forget", "--author", "geheim", "--store", dir.store])
    #expect(forget.status == 2)
    #expect(forget.stderr.contains("only a supervisor"))
    let policy = dir.write(
      "policy.toml", "[[team]]\nname = \"Sam\"\nlogin = \"\(login)\"\nrole = \"supervisor\"\n")
    let applied = try ReputeProcess.run(["policy", "apply", policy, "--store", dir.store])
    #expect(applied.status == 0, "\(applied.stderr)")
    let again = try ReputeProcess.run(["forget", "--author", "geheim", "--yes", "--store", dir.store])
    #expect(again.status == 0, "\(again.stderr)")
    #expect(again.stdout.contains("1 mentions"))
  }

  @Test func forgetReachesQuotingMentionsAndTheSpoolsCopies() throws {
    let dir = TempFolder()
    let records = [
      line(
        "1", "geheim", "Mijn advocaat Wielewaalhof neemt contact op over dossier 8812.",
        at: "2026-03-02T09:30:00Z"),
      // A reply to their post: there the display name refers to them too.
      line(
        "2", "tom", "Net als @geheim heb ik ook een klacht, Naam geheim weet ervan",
        at: "2026-03-02T09:40:00Z"
      ).replacingOccurrences(of: #","lang""#, with: #","in_reply_to":"1","lang""#),
      line("3", "sanne", "Mijn trein is alweer geannuleerd", at: "2026-03-02T09:00:00Z"),
    ]
    let file = dir.write("in.jsonl", records.joined(separator: "\n") + "\n")
    #expect(try ReputeProcess.run(["ingest", "--store", dir.store, file], environment: Self.env).status == 0)
    // The watcher's spool kept a copy of the same file, and an old one.
    try FileManager.default.createDirectory(
      atPath: dir.path + "/spool/processed", withIntermediateDirectories: true)
    let copy = dir.write("spool/processed/in.jsonl", records.joined(separator: "\n") + "\n")
    let old = dir.write(
      "spool/processed/old.jsonl", line("9", "oud", "Oud", at: "2025-11-01T09:00:00Z") + "\n")
    let config = dir.write("config.toml", "[[spool]]\nname = \"drop\"\npath = \"\(dir.path)/spool\"\n")

    let r = try ReputeProcess.run(
      ["forget", "--store", dir.store, "--author", "geheim", "--config", config], environment: Self.env)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.lines.contains("quoting mentions redacted: 1"))
    #expect(r.lines.contains("spool drop: \(copy): 1 line dropped, 1 redacted"))
    var bytes = FileManager.default.contents(atPath: dir.store) ?? Data()
    bytes.append(FileManager.default.contents(atPath: dir.store + "-wal") ?? Data())
    bytes.append(FileManager.default.contents(atPath: copy) ?? Data())
    for needle in ["Wielewaalhof", "wielewaalhof", "dossier 8812", "@geheim", "Naam geheim"] {
      #expect(bytes.range(of: Data(needle.utf8)) == nil, "\(needle)")
    }
    let list = try ReputeProcess.run(["list", "--store", dir.store], environment: Self.env)
    #expect(list.stdout.contains("Net als @[forgotten] heb ik ook een klacht, [forgotten] weet ervan"))
    #expect(list.stdout.contains("Mijn trein is alweer geannuleerd"))
    let kept = try String(contentsOfFile: copy, encoding: .utf8)
    #expect(kept.contains("Mijn trein is alweer geannuleerd") && kept.contains("@[forgotten]"))

    // Purge deletes the spool's copies older than its cutoff.
    // Years before the cutoff: faketime shifts the times stat() reports by its offset from the
    // real clock (over a year for 2028), and the copy must still be old at every moment.
    let longAgo = Date(timeIntervalSince1970: 1_577_836_800)  // 2020-01-01
    try FileManager.default.setAttributes([.modificationDate: longAgo], ofItemAtPath: old)
    let purge = try ReputeProcess.run(
      ["purge", "--store", dir.store, "--older-than", "30", "--yes", "--config", config],
      environment: Self.env)
    #expect(purge.status == 0, "\(purge.stderr)")
    #expect(purge.lines.contains("spool drop: \(old): deleted (older than the cutoff)"))
    #expect(!FileManager.default.fileExists(atPath: old) && FileManager.default.fileExists(atPath: copy))
    // A config that cannot be read stops forget before anything is erased.
    let bad = try ReputeProcess.run(
      ["forget", "--store", dir.store, "--author", "sanne", "--yes", "--config", dir.path + "/nope.toml"],
      environment: Self.env)
    #expect(bad.status != 0)
    #expect(bad.stderr.contains("nope.toml"))
    #expect(
      try ReputeProcess.run(["list", "--store", dir.store], environment: Self.env).stdout.contains("@sanne"))
  }

  @Test func forgetTwiceSaysTheAuthorWasAlreadyForgotten() throws {
    let dir = try seeded()
    let first = try ReputeProcess.run(
      ["forget", "--store", dir.store, "--author", "geheim", "--yes"], environment: Self.env)
    #expect(first.status == 0, "\(first.stderr)")
    let again = try ReputeProcess.run(
      ["forget", "--store", dir.store, "--author", "@Geheim", "--yes"], environment: Self.env)
    #expect(again.status == 0, "\(again.stderr)")
    #expect(again.stdout == "@Geheim was already forgotten: nothing left to erase\n")
    #expect(!again.stderr.contains("no author"))
    // On a platform where they were never seen: still no author there.
    let elsewhere = try ReputeProcess.run(
      ["forget", "--store", dir.store, "--author", "geheim", "--platform", "bluesky", "--yes"],
      environment: Self.env)
    #expect(elsewhere.status == 1)
    #expect(elsewhere.stderr.contains("no author @geheim on bluesky"))
    // Still nothing of theirs in the files.
    var bytes = FileManager.default.contents(atPath: dir.store) ?? Data()
    bytes.append(FileManager.default.contents(atPath: dir.store + "-wal") ?? Data())
    #expect(bytes.range(of: Data("geheim".utf8)) == nil)
  }

  @Test func forgetWhoseCleanupFailsAfterTheErasureSaysItErased() throws {
    let dir = try seeded()
    var env = Self.env
    // The seam: the cleanup after the erasure's commit fails as a full disk would.
    env["REPUTE_FAULT"] = "erasure-cleanup"
    let r = try ReputeProcess.run(
      ["forget", "--store", dir.store, "--author", "geheim", "--yes"], environment: env)
    #expect(r.status == 3, "\(r.stderr)")
    #expect(r.stdout.contains("forgot @geheim: 1 mentions, 1 authors"))
    #expect(
      r.stderr.contains(
        "repute: erased; the compaction could not finish: injected fault (REPUTE_FAULT=erasure-cleanup): run `repute forget --compact` or free space"
      ), "\(r.stderr)")
    // The erasure is in the store: the author is gone and the log says so.
    let list = try ReputeProcess.run(["list", "--store", dir.store], environment: Self.env)
    #expect(!list.stdout.contains("geheim"))
    let log = try ReputeProcess.run(["log", "--store", dir.store, "--json"], environment: Self.env)
    #expect(log.stdout.contains(#""action":"forget""#))
    // The cleanup can be finished later on its own.
    let compact = try ReputeProcess.run(["forget", "--store", dir.store, "--compact"], environment: Self.env)
    #expect(compact.status == 0, "\(compact.stderr)")
    var bytes = FileManager.default.contents(atPath: dir.store) ?? Data()
    bytes.append(FileManager.default.contents(atPath: dir.store + "-wal") ?? Data())
    for needle in ["Wielewaalhof", "wielewaalhof", "geheim"] {
      #expect(bytes.range(of: Data(needle.utf8)) == nil, "\(needle)")
    }
  }

  @Test func purgeWhoseCleanupFailsSaysItErased() throws {
    let dir = try seeded()
    var env = Self.env
    env["REPUTE_FAULT"] = "erasure-cleanup"
    let r = try ReputeProcess.run(
      ["purge", "--store", dir.store, "--older-than", "30", "--yes"], environment: env)
    #expect(r.status == 3, "\(r.stderr)")
    #expect(r.stderr.contains("repute: erased; the compaction could not finish:"))
    #expect(r.stderr.contains("run `repute purge --compact` or free space"))
  }
}

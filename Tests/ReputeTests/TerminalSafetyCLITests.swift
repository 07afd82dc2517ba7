import Foundation
import Inbox
import Policy
import Store
import Testing

/// Text from outside never drives the terminal (issue 13): escape payloads through every field a
/// record can carry, and through the output of every command that prints them. On a store file and
/// on PostgreSQL alike (issue 18).
@Suite(.serialized) struct TerminalSafetyCLITests {
  /// A window title (OSC … BEL), the alternate screen (CSI ?1049h), a clear (CSI 2J), a C1 CSI
  /// (U+009B), a right-to-left override and a NUL.
  static let payload = "\u{1b}]0;hacked-title\u{07}\u{1b}[?1049h\u{1b}[2J\u{9b}31m\u{202e}evil\u{0}end"

  /// The bytes that must never reach stdout or stderr: ESC, BEL, NUL, any C1 control (C2 80…9F
  /// in UTF-8) and the bidi overrides and isolates (E2 80 AA…AE, E2 81 A6…A9).
  static func rawControl(in text: String) -> String? {
    let bytes = Array(text.utf8)
    for (i, b) in bytes.enumerated() {
      if b == 0x1B || b == 0x07 || b == 0x00 { return "byte \(b) at \(i)" }
      if b == 0xC2, i + 1 < bytes.count, (0x80...0x9F).contains(bytes[i + 1]) { return "C1 at \(i)" }
      if b == 0xE2, i + 2 < bytes.count {
        if bytes[i + 1] == 0x80, (0xAA...0xAE).contains(bytes[i + 2]) { return "bidi override at \(i)" }
        if bytes[i + 1] == 0x81, (0xA6...0xA9).contains(bytes[i + 2]) { return "bidi isolate at \(i)" }
      }
    }
    return nil
  }

  func expectClean(_ r: ReputeProcess.Result, _ what: String) {
    if let found = Self.rawControl(in: r.stdout) { Issue.record("\(what): stdout has \(found)") }
    if let found = Self.rawControl(in: r.stderr) { Issue.record("\(what): stderr has \(found)") }
  }

  static func json(_ object: [String: Any]) -> String {
    String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
  }

  /// Every field of a native record carries the payload, except the platform (refused at ingest,
  /// below) and the date. Each text names its id: the same text again by the same author would be
  /// folded into the first (issue 16's repeated posts).
  static func record(id: String, platform: String = "x", deleted: Any? = nil) -> String {
    var record: [String: Any] = [
      "platform": platform, "id": id, "url": "https://x.com/s/" + payload,
      "author": ["handle": "h" + payload, "name": "n" + payload, "followers": 12],
      "created_at": "2026-11-24T09:30:00Z", "text": "Waar is mijn pakket \(id)? " + payload,
      "lang": "nl" + payload,
      "in_reply_to": "r" + payload, "thread": "t" + payload,
    ]
    if let deleted { record["deleted"] = deleted }
    return json(record)
  }

  @Test(arguments: CLIStores.kinds) func escapePayloadsNeverReachTheTerminal(kind: CLIKind) throws {
    let cli = try CLIStore(kind, [], environment: [:])
    let dir = cli.dir
    let file = dir.write(
      "in.jsonl",
      [
        Self.record(id: "1"), Self.record(id: "2", deleted: "withheld " + Self.payload),
        Self.record(id: "3", platform: "forum" + Self.payload),
      ].joined(separator: "\n") + "\n")
    let ingest = try cli.run(nil, ["ingest", file])
    expectClean(ingest, "ingest")
    #expect(ingest.status == 1, "\(ingest.stderr)")
    #expect(
      ingest.stderr.hasPrefix("\(file):3: unknown platform \"forum␛]0;hacked-title␇"), "\(ingest.stderr)")

    // A CSV export: the payload in its platform column is refused, in the other columns stored.
    // (Without the NUL: a NUL in a text file stops it as binary data.)
    let payload = Self.payload.replacingOccurrences(of: "\u{0}", with: "")
    let csv = dir.write(
      "in.csv",
      "id,author,name,date,text,url,lang,platform\n"
        + "c1,a\(payload),b\(payload),2026-11-24T09:40:00Z,tekst \(payload),u\(payload),en\(payload),mastodon\n"
        + "c2,a,b,2026-11-24T09:41:00Z,tekst,u,en,forum\(payload)\n")
    let csvIngest = try cli.run(nil, ["ingest", "--format", "csv", csv])
    expectClean(csvIngest, "ingest --format csv")
    #expect(csvIngest.status == 1)
    #expect(csvIngest.stderr.hasPrefix("\(csv):3: unknown platform \"forum␛"), "\(csvIngest.stderr)")
    #expect(csvIngest.stdout.contains("ingested 1 new"))

    // What other writers (an older Repute, the inbox) put in the store: a platform that came in
    // before it was checked, notes, escalation notes, a reply and its responder. (PostgreSQL's
    // text holds no NUL: no writer put one in a server's notes and replies.)
    let written = kind == .sqlite ? Self.payload : payload
    try cli.withStore { mentions in
      let store = try #require(mentions as? any MentionStore & ActionStore & EscalationStore & OutboxStore)
      _ = try store.ingest(
        [
          IncomingMention(
            platform: "forum" + Self.payload, externalID: "old", author: Author(handle: "old"),
            createdAt: RFC3339.parse("2026-11-24T09:00:00Z")!, text: "oud", raw: "{}")
        ], actor: "repute", annotator: PolicyAnnotator(policy: .default))
      _ = try store.addNote(mentionID: 1, text: "note " + written, actor: "Anna" + written)
      let escalation = try store.escalate(
        mentionID: 1, note: "esc " + written, actor: "Anna" + written)
      try store.addNote(escalation: escalation, text: "esc note " + written, actor: "Bob" + written)
      try store.enqueueReply(
        mentionID: 1, responder: "Anna" + written, kind: .reply, text: "Sorry! " + written,
        policy: .default)
    }

    let list = try cli.run(nil, ["list"])
    #expect(list.status == 0, "\(list.stderr)")
    #expect(list.stdout.contains("forum␛]0;hacked-title␇"), "the old platform is shown, made visible")
    #expect(list.lines.count == 4, "one line a mention: \(list.stdout)")
    var runs: [([String], ReputeProcess.Result)] = [(["list"], list)]
    for arguments in [
      ["list", "--json"], ["show", "1"], ["show", "1", "--json"], ["show", "2"], ["show", "4"],
      ["show", "4", "--json"], ["report"], ["report", "--csv"], ["report", "--json"], ["log"],
      ["log", "--json"], ["outbox"], ["outbox", "--json"], ["team", "bio"], ["policy", "show"],
    ] {
      runs.append((arguments, try cli.run(nil, arguments)))
    }
    for (arguments, r) in runs {
      #expect(r.status == 0, "\(arguments): \(r.stderr)")
      expectClean(r, arguments.joined(separator: " "))
    }
    let csvReport = try #require(runs.first { $0.0 == ["report", "--csv"] }?.1)
    #expect(csvReport.stdout.contains("responder,Anna␛]0;hacked-title␇"), "\(csvReport.stdout)")
  }

  /// On a file only: `--as` and `REPUTE_USER` name a person on a file (the server refuses both).
  @Test func aResponderNameWithControlCharactersIsRefused() throws {
    let dir = TempFolder()
    let file = dir.write("in.jsonl", mentionLine(1) + "\n")
    let viaAs = try ReputeProcess.run(["ingest", "--store", dir.store, "--as", "Anna" + Self.payload, file])
    expectClean(viaAs, "--as")
    #expect(viaAs.status == 2)
    #expect(viaAs.stderr.contains("control characters"), "\(viaAs.stderr)")
    let viaEnvironment = try ReputeProcess.run(
      ["ingest", "--store", dir.store, file], environment: ["REPUTE_USER": "Anna\u{1b}[2J"])
    expectClean(viaEnvironment, "REPUTE_USER")
    #expect(viaEnvironment.status == 2)
    #expect(viaEnvironment.stderr.contains("control characters"), "\(viaEnvironment.stderr)")

    let policy = dir.write(
      "policy.toml",
      "[[team]]\nname = \"Anna\\u001b]0;hacked\\u0007\"\nlogin = \"anna\"\nrole = \"responder\"\n")
    for command in [["policy", "check", policy], ["policy", "apply", policy, "--store", dir.store]] {
      let r = try ReputeProcess.run(command)
      expectClean(r, command.joined(separator: " "))
      #expect(r.status == 1, "\(command): \(r.stderr)")
      #expect(r.stderr.contains("\(policy):2: "), "\(command): \(r.stderr)")
      #expect(r.stderr.contains("control characters"), "\(command): \(r.stderr)")
    }
  }
}

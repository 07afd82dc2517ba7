import Foundation
import Testing

/// The right person (issue 14): `--as` picks a member of the roster, whose one name is used in the
/// signature, the audit trail and the report; a name not on the roster is refused; a store without
/// a roster learns the responder's name once, from `repute init --name`.
@Suite struct PersonCLITests {
  let text = "Hoi Jeroen, we hebben je vraag doorgezet naar de dienstregeling en laten het je vandaag weten."

  /// The demo's store (roster: Anna, Bram, Carmen de Wit) and the id of Jeroen's question.
  func demo(_ dir: TempFolder) throws -> String {
    let seeded = try ReputeProcess.run(["demo", "--seed-only", "--store", dir.store])
    #expect(seeded.status == 0, "\(seeded.stderr)")
    let listed = try ReputeProcess.run(["list", "--json", "--store", dir.store])
    for line in listed.lines {
      let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      if object["external_id"] as? String == "demo-12", let id = object["id"] as? Int { return String(id) }
    }
    Issue.record("no demo-12 in \(listed.stdout)")
    return "-1"
  }

  func outbox(_ dir: TempFolder) throws -> [[String: Any]] {
    let listed = try ReputeProcess.run(["outbox", "--json", "--store", dir.store])
    #expect(listed.status == 0, "\(listed.stderr)")
    return listed.lines.map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
  }

  /// On a file only: `--as` and `REPUTE_USER` name the person on a file; on the server a person is
  /// the login role, and a role off the roster is refused there (`ServerCLITests`).
  @Test func aNameNotOnTheRosterIsRefusedForEveryCommandThatActs() throws {
    let dir = TempFolder()
    let id = try demo(dir)
    let refusal =
      "Zoe is not on the team's roster (Anna, Bram, Carmen de Wit): ask a supervisor to add them (policy apply)"
    let reply = try ReputeProcess.run(
      ["reply", "--store", dir.store, "--as", "Zoe", id, "--holding", "--text", text])
    #expect(reply.status == 2)
    #expect(reply.stderr == "repute: \(refusal)\n", "\(reply.stderr)")
    let viaEnvironment = try ReputeProcess.run(
      ["reply", "--store", dir.store, id, "--holding", "--text", text], environment: ["REPUTE_USER": "Zoe"])
    #expect(viaEnvironment.status == 2)
    #expect(viaEnvironment.stderr.contains(refusal), "\(viaEnvironment.stderr)")
    let inbox = try ReputeProcess.run(["inbox", "--store", dir.store, "--as", "zoe"])
    #expect(inbox.status == 2)
    #expect(
      inbox.stderr.contains("zoe is not on the team's roster (Anna, Bram, Carmen de Wit)"), "\(inbox.stderr)")
    let ingest = try ReputeProcess.run(
      ["ingest", "--store", dir.store, "--as", "Zoe", dir.write("a.jsonl", mentionLine(1))])
    #expect(ingest.status == 2)
    #expect(ingest.stderr.contains(refusal), "\(ingest.stderr)")
    #expect(try outbox(dir).count == 2, "only the demo's own replies")
  }

  @Test(arguments: CLIStores.kinds) func asByLoginSignsTracesAndReportsWithTheRostersName(kind: CLIKind)
    throws
  {
    let folder = TempFolder()
    let id = try demo(folder)
    let store = try CLIStore(kind, folder: folder, environment: [:])
    func outbox() throws -> [[String: Any]] {
      let listed = try store.run(nil, ["outbox", "--json"])
      #expect(listed.status == 0, "\(listed.stderr)")
      return listed.lines.map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    }
    let before = try outbox().count
    // By login: `--as anna` on a file, the login role anna on the server.
    let sent = try store.run("anna", ["reply", id, "--holding", "--text", text])
    #expect(sent.status == 0, "\(sent.stderr)")
    let queued = try #require(try outbox().last)
    #expect(try outbox().count == before + 1)
    #expect((queued["text"] as? String)?.hasSuffix("– Anna") == true, "\(queued)")
    #expect(queued["responder"] as? String == "Anna")
    let log = try store.run(nil, ["log", "--json", "--mention", id])
    #expect(log.status == 0, "\(log.stderr)")
    let actors = log.lines.compactMap {
      (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["actor"] as? String
    }
    #expect(actors.contains("Anna") && !actors.contains("anna"), "\(actors)")
    let report = try store.run(nil, ["report"])
    #expect(report.status == 0, "\(report.stderr)")
    #expect(report.stdout.contains("Anna") && !report.stdout.contains("anna"), "\(report.stdout)")
  }

  /// On a file only: a store without a roster, and `init --name` recording the one person who
  /// uses it, are a store file's (a server store's people are its login roles).
  @Test func aStoreWithoutARosterRefusesUntilInitNamesTheResponder() throws {
    let dir = TempFolder()
    let file = dir.write("m.jsonl", mentionLine(1, platform: "mastodon") + "\n")
    #expect(try ReputeProcess.run(["ingest", "--store", dir.store, file]).status == 0)
    let refused = try ReputeProcess.run([
      "reply", "--store", dir.store, "1", "--text", "Thanks, we are on it.",
    ])
    #expect(refused.status == 2)
    #expect(refused.stderr.contains("run `repute init --name NAME`"), "\(refused.stderr)")
    let anyName = try ReputeProcess.run(
      ["reply", "--store", dir.store, "--as", "Zoe", "1", "--text", "Thanks, we are on it."])
    #expect(anyName.status == 2, "no roster, so no name is taken on trust: \(anyName.stderr)")
    let inbox = try ReputeProcess.run(["inbox", "--store", dir.store])
    #expect(inbox.status == 2)
    #expect(inbox.stderr.contains("repute init --name"), "\(inbox.stderr)")
    #expect(try outbox(dir).isEmpty)

    let named = try ReputeProcess.run(["init", "--store", dir.store, "--name", "Sam"])
    #expect(named.status == 0, "\(named.stderr)")
    #expect(named.stdout.contains("replies are signed as – Sam"), "\(named.stdout)")
    let again = try ReputeProcess.run(["init", "--store", dir.store, "--name", "Bob"])
    #expect(again.status == 2, "the name is asked once; a roster grows by policy apply")
    #expect(again.stderr.contains("has a roster already (Sam)"), "\(again.stderr)")
    let sent = try ReputeProcess.run(
      ["reply", "--store", dir.store, "1", "--text", "Thanks, we are on it."],
      environment: ["REPUTE_NOW": "2026-11-24T12:00:00Z"])
    #expect(sent.status == 0, "\(sent.stderr)")
    #expect(try outbox(dir).map { $0["text"] as? String } == ["Thanks, we are on it. – Sam"])
    #expect(try outbox(dir).first?["responder"] as? String == "Sam")
  }

  /// On a file only: `init --name` on a new file (on the server `init` makes the schema).
  @Test func aNewStoreTakesTheNameAtInit() throws {
    let dir = TempFolder()
    let created = try ReputeProcess.run(["init", "--store", dir.store, "--name", "Anna de Vries"])
    #expect(created.status == 0, "\(created.stderr)")
    #expect(created.stdout.contains("replies are signed as – Anna"), "\(created.stdout)")
    let policy = try ReputeProcess.run(["policy", "show", "--store", dir.store])
    #expect(policy.stdout.contains("[[team]]\nname = \"Anna de Vries\""), "\(policy.stdout)")
    #expect(policy.stderr.contains("applied 2026-11-24T12:00:00.000Z by Anna de Vries"), "\(policy.stderr)")
    let blank = try ReputeProcess.run(["init", "--store", TempFolder().store, "--name", "  "])
    #expect(blank.status == 64, "\(blank.stderr)")
  }
}

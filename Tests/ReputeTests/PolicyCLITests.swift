import Foundation
import Testing

/// `repute policy`, and what the policy judges at ingest, in `list`, `show` and `classify`: on a
/// store file and on PostgreSQL alike (issue 18) where a store is read or written.
@Suite(.serialized) struct PolicyCLITests {
  let now = ["REPUTE_NOW": "2026-11-24T10:00:00Z"]

  func line(_ id: Int, _ text: String, minutesAgo: Int = 30, lang: String = "nl") -> String {
    let created = RFC3339Text.minus(minutes: minutesAgo, from: "2026-11-24T10:00:00Z")
    return
      #"{"platform":"x","id":"\#(id)","author":{"handle":"u\#(id)"},"created_at":"\#(created)","text":"\#(text)","lang":"\#(lang)"}"#
  }

  @Test func theDefaultPolicyPrintsAsAValidFile() throws {
    let dir = TempFolder()
    let show = try ReputeProcess.run(["policy", "show", "--default"])
    #expect(show.status == 0)
    #expect(show.stdout.contains("[windows.complaint]"))
    let file = dir.write("policy.toml", show.stdout)
    let check = try ReputeProcess.run(["policy", "check", file])
    #expect(check.status == 0)
    #expect(check.stdout == "\(file): ok\n")
  }

  @Test(arguments: CLIStores.kinds) func aBadPolicyFileIsRefusedWithItsLines(kind: CLIKind) throws {
    let store = try CLIStore(kind, [line(1, "Mijn trein is weer te laat")], environment: now)
    let dir = store.dir
    let file = dir.write(
      "bad.toml",
      """
      [windows.complaint]
      cooling_off = "soon"
      target = "1h"
      """)
    let check = try ReputeProcess.run(["policy", "check", file])
    #expect(check.status == 1)
    let errors = check.stderr.split(separator: "\n").map(String.init)
    #expect(errors.contains { $0.hasPrefix("\(file):2: ") })
    #expect(errors.contains { $0.hasPrefix("\(file):3: unknown key 'windows.complaint.target'") })
    // Applying it changes nothing: the store keeps the version it had.
    let before = try store.run(nil, ["policy", "show"])
    #expect(before.stderr.hasPrefix("# policy version "), "\(before.stderr)")
    let apply = try store.run("Carmen", ["policy", "apply", file])
    #expect(apply.status == 1)
    let show = try store.run(nil, ["policy", "show"])
    #expect(show.stderr == before.stderr && show.stdout == before.stdout)
  }

  @Test(arguments: CLIStores.kinds) func ingestJudgesMentionsAndListFollowsTheUrgencyOrder(kind: CLIKind)
    throws
  {
    let store = try CLIStore(kind, [], environment: now)
    let dir = store.dir
    let input = dir.write(
      "in.jsonl",
      [
        line(1, "Wat een fijne conducteur vanochtend, dank jullie wel!", minutesAgo: 50),
        line(2, "Mijn trein is alweer geannuleerd en ik wacht nog steeds op mijn geld", minutesAgo: 40),
        line(3, "Hoe laat vertrekt de eerste trein op zondag?", minutesAgo: 3),
      ].joined(separator: "\n"))
    let ingest = try store.run(nil, ["ingest", input])
    #expect(ingest.status == 0)
    let list = try store.run(nil, ["list", "--json"])
    let objects = try list.lines.map {
      try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
    }
    #expect(objects.map { $0["external_id"] as? String } == ["2", "3", "1"])
    #expect(objects.map { $0["category"] as? String } == ["complaint", "question", "praise"])
    #expect(objects.map { $0["status"] as? String } == ["open", "open", "open"])
    // At 10:00 (REPUTE_NOW): the complaint from 09:20 is due at 10:20; the question from 09:57 is past
    // its 2-minute cooling-off and due at 10:57.
    #expect(objects[0]["clock"] as? String == "on_time")
    #expect(objects[0]["due_in_seconds"] as? Int == 1200)
    #expect(objects[1]["clock"] as? String == "on_time")
    #expect(objects[1]["due_in_seconds"] as? Int == 3420)
    #expect(objects[2]["clock"] as? String == "none")
    #expect(objects[2]["next_deadline"] is NSNull)
  }

  @Test(arguments: CLIStores.kinds) func applyingAPolicyRejudgesAndIsLogged(kind: CLIKind) throws {
    let store = try CLIStore(
      kind, [line(1, "Mijn trein is weer vertraagd, echt waardeloos")], environment: now)
    let dir = store.dir
    // The default policy with the store's roster, applied by its supervisor.
    var policy = try ReputeProcess.run(["policy", "show", "--default"]).stdout + "\n" + TeamStore.roster
    policy = policy.replacingOccurrences(
      of: "[noise]\nmuted_words = []", with: "[noise]\nmuted_words = [\"vertraagd\"]")
    #expect(
      policy.contains("muted_words = [\"vertraagd\"]"), "the default policy's [noise] table changed shape")
    let file = dir.write("p.toml", policy)
    let apply = try store.run("Carmen", ["policy", "apply", file])
    #expect(apply.status == 0, "\(apply.stderr)")
    #expect(apply.stdout.hasPrefix("policy version "), "\(apply.stdout)")
    #expect(apply.stdout.hasSuffix(" in force; 1 open mentions re-judged\n"), "\(apply.stdout)")
    #expect(try store.run(nil, ["list"]).stdout.isEmpty)
    #expect(try store.run(nil, ["log"]).stdout.contains("policy"))
  }

  @Test(arguments: CLIStores.kinds) func showGivesTheAdviceWithTheThreadAround(kind: CLIKind) throws {
    let complaint =
      #"{"platform":"mastodon","id":"c1","author":{"handle":"sanne@m.nl"},"created_at":"2026-11-24T09:20:00Z","text":"Mijn trein is alweer geannuleerd en ik wacht nog steeds op mijn geld","lang":"nl","thread":"t1"}"#
    let answer =
      #"{"platform":"mastodon","id":"c2","author":{"handle":"pieter@m.nl"},"created_at":"2026-11-24T09:25:00Z","text":"@sanne via de app kun je het zelf aanvragen","lang":"nl","in_reply_to":"c1","thread":"t1"}"#
    let store = try CLIStore(kind, [complaint, answer], environment: now)
    let show = try store.run(nil, ["show", "1", "--json"])
    #expect(show.status == 0, "\(show.stderr)")
    let detail = try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as! [String: Any]
    let advice = detail["advice"] as? [String: Any]
    #expect((advice?["rules"] as? [String])?.contains("S11") == true)
    #expect((advice?["rules"] as? [String])?.contains("S10") == true)
    #expect((advice?["answered_by"] as? [String]) == ["pieter@m.nl"])
    #expect((detail["thread"] as? [[String: Any]])?.map { $0["external_id"] as? String } == ["c2"])
    let text = try store.run(nil, ["show", "1"])
    #expect(text.stdout.contains("advice:   apologise_then_follow_up"))
  }

  @Test(arguments: CLIStores.kinds) func classifyFileKeepsInputOrderAndGivesAdvice(kind: CLIKind) throws {
    let store = try CLIStore(kind, [], environment: [:])
    let dir = store.dir
    let file = dir.write(
      "c.jsonl",
      [
        line(1, "Waarom is mijn trein weer vertraagd?"), "{bad",
        line(2, "YOU ARE ALL CROOKS AND LIARS", lang: "en"),
        line(3, "Dank jullie wel voor de snelle hulp!"),
      ].joined(separator: "\n"))
    let r = try store.run(nil, ["classify", "--file", file])
    #expect(r.status == 1)
    #expect(r.stderr.hasPrefix("\(file):2: broken JSON"))
    let objects = try r.lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    #expect(objects.map { $0["id"] as? String } == ["1", "2", "3"])
    #expect(objects[1]["category"] as? String == "unfounded")
    let advice = objects[1]["advice"] as? [String: Any]
    #expect(advice?["action"] as? String == "no_reply_watch")
    #expect((objects[1]["rules"] as? [String])?.contains("S8") == true)
    #expect(objects[2]["category"] as? String == "praise")
    for o in objects {
      for key in ["category", "confidence", "signals", "rules", "advice"] {
        #expect(o[key] != nil, "missing \(key)")
      }
    }
    // A dry run: nothing was stored, and on a file no store is made for it.
    #expect(try store.run(nil, ["list", "--json"]).stdout.isEmpty)
    if kind == .sqlite {
      let fresh = TempFolder()
      _ = try ReputeProcess.run(["classify", "--store", fresh.store, "--file", file])
      #expect(!FileManager.default.fileExists(atPath: fresh.store))
    }
  }
}

/// Small RFC 3339 arithmetic for building test input.
enum RFC3339Text {
  static func minus(minutes: Int, from text: String) -> String {
    let formatter = ISO8601DateFormatter()
    let date = formatter.date(from: text)!.addingTimeInterval(Double(-minutes * 60))
    return formatter.string(from: date)
  }
}

import Foundation
import Inbox
import Store
import Testing

/// `repute escalations` and its actions: the escalation pane's `a`, `R`, `A` and `N` from the
/// command line, with the pane's store calls, its audit trail, and the roster's rule that only a
/// supervisor acts on an escalation.
@Suite(.serialized) struct EscalationsCLITests {
  let env = ["REPUTE_NOW": "2026-11-24T12:00:00Z", "TZ": "UTC"]

  /// One complaint, escalated by Anna; Anna and Bram responders, Carmen supervisor.
  func seeded(_ kind: CLIKind) throws -> CLIStore {
    let line =
      #"{"platform":"mastodon","id":"1","author":{"handle":"sanne"},"created_at":"2026-11-24T11:55:00Z","text":"Mijn trein is alweer geannuleerd en niemand weet iets, echt belachelijk.","lang":"nl"}"#
    let dir = try CLIStore(kind, [line], environment: env)
    let escalated = try run(dir, "Anna", ["escalate", "1", "--note", "Dreigt naar de pers te stappen"])
    #expect(escalated.status == 0, "\(escalated.stderr)")
    return dir
  }

  func run(_ store: CLIStore, _ who: String, _ arguments: [String]) throws -> ReputeProcess.Result {
    try store.run(who, arguments)
  }

  func json(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
  }

  @Test(arguments: CLIStores.kinds) func listedAcknowledgedReassignedNotedAndResolvedBySupervisorOnly(
    kind: CLIKind
  ) throws {
    let dir = try seeded(kind)
    let listed = try run(dir, "Carmen", ["escalations", "--json"])
    #expect(listed.status == 0, "\(listed.stderr)")
    let rows = listed.stdout.split(separator: "\n").map(String.init)
    #expect(rows.count == 1)
    let row = try json(try #require(rows.first))
    let id = try #require(row["id"] as? Int)
    #expect(row["mention_id"] as? Int == 1)
    #expect(row["state"] as? String == "new")

    // A responder is refused every action, and nothing changes.
    for action in [
      ["acknowledge", "\(id)"], ["resolve", "\(id)", "--note", "klaar"],
      ["reassign", "\(id)", "--to", "bram"],
      ["note", "\(id)", "--text", "x"],
    ] {
      let refused = try run(dir, "Anna", ["escalations"] + action)
      #expect(refused.status == 1, "\(action): \(refused.stderr)")
      #expect(refused.stderr.contains("only a supervisor"), "\(refused.stderr)")
    }
    #expect(try json(try run(dir, "Carmen", ["escalations", "--json"]).stdout)["state"] as? String == "new")

    let ack = try run(dir, "Carmen", ["escalations", "acknowledge", "\(id)", "--json"])
    #expect(ack.status == 0, "\(ack.stderr)")
    #expect(try json(ack.stdout)["outcome"] as? String == "acknowledged")
    let stranger = try run(dir, "Carmen", ["escalations", "reassign", "\(id)", "--to", "zoe"])
    #expect(stranger.status == 1)
    #expect(stranger.stderr.contains("zoe is not on the team's roster"), "\(stranger.stderr)")
    let moved = try run(dir, "Carmen", ["escalations", "reassign", "\(id)", "--to", "bram", "--json"])
    #expect(moved.status == 0, "\(moved.stderr)")
    #expect(try json(moved.stdout)["owner"] as? String == "Bram")
    #expect(try run(dir, "Carmen", ["escalations", "note", "\(id)", "--text", "Gebeld"]).status == 0)
    let resolved = try run(
      dir, "Carmen", ["escalations", "resolve", "\(id)", "--note", "Excuses en voucher"])
    #expect(resolved.status == 0, "\(resolved.stderr)")
    #expect(try run(dir, "Carmen", ["escalations"]).stdout.isEmpty)
    let again = try run(dir, "Carmen", ["escalations", "resolve", "\(id)", "--note", "nog eens"])
    #expect(again.status == 1, "\(again.stderr)")
    let unknown = try run(dir, "Carmen", ["escalations", "acknowledge", "999"])
    #expect(unknown.status == 2, "\(unknown.stderr)")

    // The audit trail holds each action in Carmen's name, as the pane's keys write it.
    let log = try run(dir, "Carmen", ["log", "--json"]).stdout.split(separator: "\n").map {
      try json(String($0))
    }
    let carmens = log.filter { $0["actor"] as? String == "Carmen" }.compactMap { $0["action"] as? String }
    #expect(
      carmens == ["escalation_acknowledge", "escalation_reassign", "escalation_note", "escalation_resolve"],
      "\(carmens)")
  }
}

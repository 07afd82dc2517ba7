import Foundation
import Inbox
import Store
import Testing

/// `repute assign` and `repute notices` (issue 16): a supervisor assigns to someone on the
/// roster, the assignee finds it under `mine` and in their notices, `show` names the assignee.
@Suite(.serialized) struct AssignCLITests {
  let env = ["REPUTE_NOW": "2026-11-24T12:00:00Z", "TZ": "UTC"]

  /// A complaint (1) and a question (2), with Anna and Bram responders and Carmen supervisor.
  func seeded(_ kind: CLIKind) throws -> CLIStore {
    let lines = [
      #"{"platform":"mastodon","id":"1","author":{"handle":"sanne"},"created_at":"2026-11-24T11:55:00Z","text":"Mijn trein is alweer geannuleerd en niemand weet iets, echt belachelijk.","lang":"nl"}"#,
      #"{"platform":"mastodon","id":"2","author":{"handle":"tom"},"created_at":"2026-11-24T11:55:00Z","text":"Hoe laat vertrekt de eerste trein naar Utrecht?","lang":"nl"}"#,
    ]
    return try CLIStore(kind, lines, environment: env)
  }

  func run(_ store: CLIStore, _ who: String, _ arguments: [String]) throws -> ReputeProcess.Result {
    try store.run(who, arguments)
  }

  func json(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
  }

  @Test(arguments: CLIStores.kinds) func aSupervisorAssignsAResponderMayNotAndTheLoginMustBeOnTheRoster(
    kind: CLIKind
  ) throws {
    let dir = try seeded(kind)
    let refused = try run(dir, "Anna", ["assign", "1", "--to", "bram"])
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("only a supervisor"), "\(refused.stderr)")
    let stranger = try run(dir, "Carmen", ["assign", "1", "--to", "zoe"])
    #expect(stranger.status == 1)
    #expect(stranger.stderr.contains("zoe is not on the team's roster"), "\(stranger.stderr)")
    _ = try run(dir, "Bram", ["claim", "1"])
    let done = try run(dir, "Carmen", ["assign", "1", "--to", "anna", "--json"])
    #expect(done.status == 0, "\(done.stderr)")
    let object = try json(done.stdout)
    #expect(object["outcome"] as? String == "assigned")
    #expect(object["assigned_to"] as? String == "Anna")
    #expect(object["released_claim_of"] as? String == "Bram")
    #expect(
      try run(dir, "Carmen", ["assign", "1", "--to", "Anna"]).stdout.contains("assigned to Anna already"))
    #expect(try run(dir, "Carmen", ["assign", "9", "--to", "anna"]).status == 2)
    #expect(try run(dir, "Carmen", ["assign", "1"]).status == 64)
    let show = try run(dir, "Anna", ["show", "1"])
    #expect(show.stdout.contains("assigned to Anna"), "\(show.stdout)")
    let shown = try json(try run(dir, "Anna", ["show", "1", "--json"]).stdout)
    #expect((shown["mention"] as? [String: Any])?["assigned_to"] as? String == "Anna")
    let store = try dir.open()
    #expect(try store.events(mentionID: 1).filter { $0.action == "assign" }.map(\.actor) == ["Carmen"])
  }

  @Test(arguments: CLIStores.kinds) func theAssigneeSeesItUnderMineAndInTheirNotices(kind: CLIKind) throws {
    let dir = try seeded(kind)
    #expect(try run(dir, "Carmen", ["assign", "2", "--to", "anna"]).status == 0)
    _ = try run(dir, "Anna", ["claim", "1"])
    let mine = try run(dir, "Anna", ["list", "--filter", "mine", "--json"])
    #expect(mine.status == 0, "\(mine.stderr)")
    let ids = mine.stdout.split(separator: "\n").compactMap { try? json(String($0))["id"] as? Int }
    #expect(Set(ids) == [1, 2])
    let assigned = try run(dir, "Bram", ["list", "--filter", "assigned:Anna", "--json"])
    #expect(assigned.stdout.split(separator: "\n").count == 1)
    let notices = try run(dir, "Anna", ["notices", "--json"])
    #expect(notices.status == 0, "\(notices.stderr)")
    let first = try json(String(notices.stdout.split(separator: "\n").first ?? ""))
    #expect(first["kind"] as? String == "assigned")
    #expect(first["mention_id"] as? Int == 2)
    #expect(first["actor"] as? String == "Carmen")
    #expect(first["read_at"] is NSNull)
    let text = try run(dir, "Anna", ["notices", "--mark-read", "--ui-lang", "en"])
    #expect(text.stdout.contains("Carmen assigned #2 (@tom) to you"), "\(text.stdout)")
    #expect(try run(dir, "Anna", ["notices"]).stdout.isEmpty)
    #expect(try run(dir, "Anna", ["notices", "--all"]).stdout.contains("assigned #2"))
    #expect(try run(dir, "Bram", ["notices", "--all"]).stdout.isEmpty)
  }
}

import Foundation
import Inbox
import Store
import Testing

/// `repute snippets` (issue 16): the library's rules and audit trail from the command line, with
/// the action commands' exit statuses.
@Suite(.serialized) struct SnippetsCLITests {
  let env = ["REPUTE_NOW": "2026-11-24T12:00:00Z", "TZ": "UTC"]

  func seeded(_ kind: CLIKind) throws -> CLIStore {
    let line =
      #"{"platform":"mastodon","id":"1","author":{"handle":"tom"},"created_at":"2026-11-24T11:55:00Z","text":"Moet ik op zondag mijn fiets reserveren?","lang":"nl"}"#
    return try CLIStore(
      kind, [line],
      roster: """
        [[team]]
        name = "Anna"
        login = "anna"

        [[team]]
        name = "Carmen"
        login = "carmen"
        role = "supervisor"

        [[team]]
        name = "Dirk"
        login = "dirk"
        role = "supervisor"

        """, environment: env)
  }

  func run(_ store: CLIStore, _ who: String, _ arguments: [String]) throws -> ReputeProcess.Result {
    try store.run(who, ["snippets"] + arguments)
  }

  func json(_ r: ReputeProcess.Result) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
  }

  @Test(arguments: CLIStores.kinds) func aResponderProposesASupervisorApprovesAndTheListShowsIt(kind: CLIKind)
    throws
  {
    let dir = try seeded(kind)
    let added = try run(
      dir, "Anna",
      ["add", "--title", "Fiets zondag", "--lang", "nl", "--text", "Hoi {name}, dat hoeft niet.", "--json"])
    #expect(added.status == 0, "\(added.stderr)")
    let object = try json(added)
    #expect(object["outcome"] as? String == "proposed")
    #expect(object["action"] as? String == "snippet_add")
    let id = try #require(object["id"] as? Int)
    #expect(try run(dir, "Anna", []).stdout.isEmpty)
    #expect(try run(dir, "Anna", ["--all"]).stdout.contains("#\(id)  nl  proposed  Fiets zondag"))
    let own = try run(dir, "Anna", ["approve", "\(id)"])
    #expect(own.status == 1)
    #expect(own.stderr.contains("only a supervisor"), "\(own.stderr)")
    let approved = try run(dir, "Carmen", ["approve", "\(id)"])
    #expect(approved.status == 0, "\(approved.stderr)")
    let listed = try run(dir, "Anna", ["--lang", "nl", "--json"])
    let line = try #require(
      try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [String: Any])
    #expect(line["title"] as? String == "Fiets zondag" && line["approved_by"] as? String == "Carmen")
    #expect(try run(dir, "Anna", ["--lang", "en"]).stdout.isEmpty)
    let again = try run(dir, "Carmen", ["approve", "\(id)"])
    #expect(again.status == 1)
    #expect(again.stderr.contains("not proposed"))
  }

  @Test(arguments: CLIStores.kinds) func aSupervisorsOwnIsSharedAtOnceAndFourEyesHoldForProposals(
    kind: CLIKind
  ) throws {
    let dir = try seeded(kind)
    let own = try run(
      dir, "Carmen", ["add", "--title", "Pers", "--lang", "nl", "--text", "Bel de persdienst.", "--json"])
    #expect(own.status == 0, "\(own.stderr)")
    #expect(try json(own)["outcome"] as? String == "approved")
    let store = try dir.open()
    let proposal = try store.addSnippet(lang: "en", title: "x", body: "y", actor: "Carmen", approved: false)
    let refused = try run(dir, "Carmen", ["approve", "\(proposal.id)"])
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("four eyes"), "\(refused.stderr)")
    #expect(try run(dir, "Dirk", ["approve", "\(proposal.id)"]).status == 0)
    let trail = try store.allEvents().filter { $0.action.hasPrefix("snippet_") }.map {
      "\($0.actor) \($0.action)"
    }
    #expect(
      trail == [
        "Carmen snippet_propose", "Carmen snippet_approve", "Carmen snippet_propose", "Dirk snippet_approve",
      ])
  }

  @Test(arguments: CLIStores.kinds) func rejectNeedsANoteRetireAndTheExitStatuses(kind: CLIKind) throws {
    let dir = try seeded(kind)
    let added = try run(
      dir, "Anna", ["add", "--title", "Vaag", "--lang", "nl", "--text", "Kijk op de site."])
    #expect(added.status == 0, "\(added.stderr)")
    #expect(try run(dir, "Carmen", ["reject", "1"]).status == 64)
    let rejected = try run(dir, "Carmen", ["reject", "1", "--note", "Te vaag", "--json"])
    #expect(rejected.status == 0, "\(rejected.stderr)")
    #expect(try json(rejected)["outcome"] as? String == "rejected")
    #expect(try run(dir, "Anna", ["--all"]).stdout.contains("note: Te vaag"))
    #expect(try run(dir, "Carmen", ["retire", "1"]).status == 1)
    #expect(try run(dir, "Carmen", ["approve", "99"]).status == 2)
    #expect(try run(dir, "Anna", ["add", "--title", "t", "--lang", "xyz", "--text", "x"]).status == 1)
    let mine = try run(dir, "Anna", ["add", "--title", "Mijn", "--lang", "nl", "--text", "Tekst"])
    #expect(mine.status == 0)
    #expect(try run(dir, "Anna", ["retire", "2"]).status == 0)
    #expect(try run(dir, "Anna", ["--all"]).stdout.contains("#2  nl  retired"))
  }
}

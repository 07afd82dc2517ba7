import Foundation
import Testing

/// `repute views` and `repute list --view` (issue 16): the same views as the inbox's keys 1-9,
/// with the same rules, audit trail and exit statuses as the other actions.
@Suite(.serialized) struct ViewsCLITests {
  let cli = ActionCommandsCLITests()

  func lines(_ r: ReputeProcess.Result) throws -> [[String: Any]] {
    try r.stdout.split(separator: "\n").map { line in
      try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }
  }

  @Test(arguments: CLIStores.kinds) func theDefaultsAreListedWithTheirCounts(kind: CLIKind) throws {
    let dir = try cli.seeded(kind)
    #expect(try cli.run(dir, "Anna", ["claim", "1"]).status == 0)
    let r = try cli.run(dir, "Anna", ["views", "--json"])
    #expect(r.status == 0, "\(r.stderr)")
    let views = try lines(r)
    #expect(views.map { $0["name"] as? String } == ["Mijn werk", "Klachten NL", "Escalaties"])
    #expect(views.map { $0["position"] as? Int } == [1, 2, 3])
    #expect(views[0]["count"] as? Int == 1)
    #expect(views.allSatisfy { $0["source"] as? String == "policy" })
    let text = try cli.run(dir, "Anna", ["views"])
    #expect(text.stdout.contains("1  Mijn werk  1  mine  (policy)"), "\(text.stdout)")
  }

  @Test(arguments: CLIStores.kinds) func aSavedViewListsWhatItsFilterDoesAndIsInTheTrail(kind: CLIKind) throws
  {
    let dir = try cli.seeded(kind)
    let saved = try cli.run(dir, "Bram", ["views", "save", "Pers", "--filter", "platform:x", "--json"])
    #expect(saved.status == 0, "\(saved.stderr)")
    #expect(try cli.json(saved)["action"] as? String == "view_save")
    let byView = try cli.run(dir, "Anna", ["list", "--json", "--view", "pers"])
    let byFilter = try cli.run(dir, "Anna", ["list", "--json", "--filter", "platform:x"])
    #expect(byView.status == 0, "\(byView.stderr)")
    #expect(byView.stdout == byFilter.stdout)
    #expect(try lines(byView).map { $0["id"] as? Int } == [3])
    let views = try lines(try cli.run(dir, "Anna", ["views", "--json"]))
    #expect(views.last?["name"] as? String == "Pers")
    #expect(views.last?["position"] as? Int == 4)
    #expect(views.last?["created_by"] as? String == "Bram")
    let log = try cli.run(dir, "Anna", ["log", "--json"])
    #expect(log.stdout.contains("view_save"), "\(log.stdout)")
  }

  @Test(arguments: CLIStores.kinds) func rulesRefuseWithExitOneAndUnknownNamesExit64(kind: CLIKind) throws {
    let dir = try cli.seeded(kind)
    #expect(try cli.run(dir, "Bram", ["views", "save", "Pers", "--filter", "platform:x"]).status == 0)
    let other = try cli.run(dir, "Anna", ["views", "delete", "Pers"])
    #expect(other.status == 1)
    #expect(other.stderr.contains("saved by Bram"), "\(other.stderr)")
    let policyView = try cli.run(dir, "Anna", ["views", "save", "Escalaties", "--filter", "watched"])
    #expect(policyView.status == 1)
    let taken = try cli.run(
      dir, "Anna", ["views", "save", "Vragen", "--filter", "question", "--position", "1"])
    #expect(taken.status == 1)
    #expect(taken.stderr.contains("position 1"), "\(taken.stderr)")
    #expect(try cli.run(dir, "Carmen", ["views", "delete", "pers"]).status == 0)
    #expect(try cli.run(dir, "Carmen", ["views", "delete", "pers"]).status == 2)
    let unknown = try cli.run(dir, "Anna", ["list", "--view", "Nope"])
    #expect(unknown.status == 64)
    #expect(unknown.stderr.contains("'Mijn werk', 'Klachten NL', 'Escalaties'"), "\(unknown.stderr)")
    let badFilter = try cli.run(dir, "Anna", ["views", "save", "X", "--filter", "klachtje"])
    #expect(badFilter.status == 64)
    #expect(badFilter.stderr.contains("unknown filter word: klachtje"), "\(badFilter.stderr)")
  }

  @Test(arguments: CLIStores.kinds) func aPolicyWithAnUnknownFilterWordIsRefusedAtItsLine(kind: CLIKind)
    throws
  {
    let dir = try cli.seeded(kind)
    let file = dir.dir.write(
      "views.toml",
      """
      [[team]]
      name = "Carmen"
      login = "\(NSUserName())"
      role = "supervisor"

      [[views]]
      name = "Pers"
      filter = "category:press"
      position = 3

      """)
    let r = try dir.run(nil, ["policy", "apply", file])
    #expect(r.status == 1)
    #expect(
      r.stderr.contains("views.toml:8: view 'Pers': unknown filter word: category:press"), "\(r.stderr)")
    let check = try ReputeProcess.run(["policy", "check", file], environment: cli.env)
    #expect(check.status == 1)
  }
}

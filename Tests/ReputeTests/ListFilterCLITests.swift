import Foundation
import Testing

/// `repute list --filter` reads the inbox's filter language (issue 16): `mine` is who `--as`
/// names, and closed mentions, which the urgency list leaves at its end, are listed by status. On a
/// store file and on PostgreSQL alike (issue 18).
@Suite(.serialized) struct ListFilterCLITests {
  let env = ["REPUTE_NOW": "2026-11-24T12:00:00Z", "TZ": "UTC"]

  func ids(_ r: ReputeProcess.Result) throws -> [Int] {
    try r.stdout.split(separator: "\n").map { line in
      let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      return try #require(object["id"] as? Int)
    }
  }

  @Test(arguments: CLIStores.kinds) func mineAndACategoryAndClosedMentions(kind: CLIKind) throws {
    let cli = ActionCommandsCLITests()
    let dir = try cli.seeded(kind)
    #expect(try cli.run(dir, "Anna", ["claim", "1"]).status == 0)
    #expect(try cli.run(dir, "Anna", ["claim", "2"]).status == 0)
    #expect(try cli.run(dir, "Bram", ["claim", "3"]).status == 0)
    let mine = try cli.run(dir, "Anna", ["list", "--json", "--filter", "mine category:complaint"])
    #expect(mine.status == 0, "\(mine.stderr)")
    #expect(try ids(mine) == [1])
    let hers = try cli.run(dir, "Bram", ["list", "--json", "--filter", "claimed:Anna"])
    #expect(try Set(ids(hers)) == [1, 2])
    // The roster's login (any case) names the same person as the stored name.
    let byLogin = try cli.run(dir, "Bram", ["list", "--json", "--filter", "claimed:ANNA"])
    #expect(byLogin.status == 0, "\(byLogin.stderr)")
    #expect(try Set(ids(byLogin)) == [1, 2])

    #expect(try cli.run(dir, "Anna", ["list", "--json", "--filter", "status:closed"]).stdout.isEmpty)
    let closing = try cli.run(dir, "Anna", ["no-reply", "1", "--reason", "1"])
    #expect(closing.status == 0, "\(closing.stderr)")
    let closed = try cli.run(dir, "Anna", ["list", "--json", "--filter", "status:closed"])
    #expect(closed.status == 0, "\(closed.stderr)")
    #expect(try ids(closed) == [1])
  }

  @Test(arguments: CLIStores.kinds) func anUnknownWordIsNamed(kind: CLIKind) throws {
    let cli = ActionCommandsCLITests()
    let dir = try cli.seeded(kind)
    let r = try cli.run(dir, "Anna", ["list", "--filter", "mine klachtje"])
    #expect(r.status != 0)
    #expect(r.stderr.contains("unknown filter word: klachtje"), "\(r.stderr)")
  }

  @Test(arguments: CLIStores.kinds) func aFirstNameTwoPeopleShareIsAmbiguous(kind: CLIKind) throws {
    let roster = """
      [[team]]
      name = "Anna de Vries"
      login = "avries"

      [[team]]
      name = "Anna Bakker"
      login = "abakker"

      """
    let line =
      #"{"platform":"mastodon","id":"1","author":{"handle":"sanne"},"created_at":"2026-11-24T11:55:00Z","text":"Waar blijft mijn trein?","lang":"nl"}"#
    let dir = try CLIStore(kind, [line], roster: roster, environment: env)
    func list(_ filter: String) throws -> ReputeProcess.Result {
      try dir.run(nil, ["list", "--filter", filter])
    }
    let shared = try list("claimed:anna")
    #expect(shared.status == 64, "\(shared.stderr)")
    #expect(
      shared.stderr.contains("claimed:anna is ambiguous: Anna de Vries or Anna Bakker"), "\(shared.stderr)")
    let byLogin = try list("claimed:abakker")
    #expect(byLogin.status == 0, "\(byLogin.stderr)")
  }
}

import Policy
import Testing

/// Who is acting, by the roster (issue 14, "The right person"): one name everywhere, or a refusal.
@Suite struct RosterTests {
  let roster = PolicyConfig(team: [
    TeamMember(name: "Anna", login: "anna"), TeamMember(name: "Bram", login: "bram"),
    TeamMember(name: "Carmen de Wit", login: "carmen", role: .supervisor),
  ])

  @Test(
    "--as names a member by name, first name or login, in any case; the roster's name comes back",
    arguments: [
      ("anna", "Anna"), ("ANNA", "Anna"), ("Bram", "Bram"), ("carmen", "Carmen de Wit"),
      ("Carmen", "Carmen de Wit"), ("carmen de wit", "Carmen de Wit"), (" anna ", "Anna"),
    ])
  func namedMember(requested: String, canonical: String) throws {
    #expect(try roster.resolveMember(requested: requested, login: "root").name == canonical)
  }

  @Test func aNameNotOnTheRosterIsRefusedWithTheRoster() {
    #expect(throws: RosterRefusal.notOnRoster(name: "Zoe", roster: ["Anna", "Bram", "Carmen de Wit"])) {
      try roster.resolveMember(requested: "Zoe", login: "anna")
    }
    #expect(
      RosterRefusal.notOnRoster(name: "Zoe", roster: ["Anna", "Bram", "Carmen de Wit"]).description
        == "Zoe is not on the team's roster (Anna, Bram, Carmen de Wit): ask a supervisor to add them (policy apply)"
    )
  }

  @Test func nobodyNamedMeansTheLoginsMemberOrARefusal() throws {
    #expect(try roster.resolveMember(requested: nil, login: "carmen").name == "Carmen de Wit")
    #expect(try roster.resolveMember(requested: "", login: "bram").name == "Bram")
    #expect(throws: RosterRefusal.loginNotOnRoster(login: "root", roster: ["Anna", "Bram", "Carmen de Wit"]))
    {
      try roster.resolveMember(requested: nil, login: "root")
    }
  }

  @Test func aStoreWithoutARosterKnowsNobody() {
    #expect(throws: RosterRefusal.noRoster) {
      try PolicyConfig().resolveMember(requested: "Anna", login: "anna")
    }
    #expect(RosterRefusal.noRoster.description.contains("repute init --name NAME"))
  }

  @Test func aSharedFirstNameIsAmbiguousButTheFullNameIsNot() throws {
    let two = PolicyConfig(team: [
      TeamMember(name: "Anna de Vries", login: "avries"), TeamMember(name: "Anna Jansen", login: "ajansen"),
    ])
    #expect(throws: RosterRefusal.ambiguous(name: "anna", matches: ["Anna de Vries", "Anna Jansen"])) {
      try two.resolveMember(requested: "anna", login: "root")
    }
    #expect(try two.resolveMember(requested: "anna jansen", login: "root").login == "ajansen")
    #expect(two.member(named: "anna") == nil)
    #expect(two.member(named: "avries")?.name == "Anna de Vries")
  }
}

import Inbox
import Store
import Testing

/// `--store` and `$REPUTE_STORE` name a file or the team's PostgreSQL server (issue 18).
@Suite struct StoreLocationServerTests {
  let noFile: (String) -> ServerAddress.PassFileRead = { _ in .missing }

  @Test func aURLIsAServerAndAPathAFile() throws {
    let server = try StoreLocation.address(
      explicit: "postgres://bob@h/team", environment: [:], login: "anna", readPassFile: noFile)
    guard case .server(let address) = server else {
      Issue.record("not a server: \(server)")
      return
    }
    #expect(address.user == "bob" && address.database == "team")
    #expect(
      try StoreLocation.address(
        explicit: "/a/b.sqlite", environment: [:], login: "anna", readPassFile: noFile)
        == .file("/a/b.sqlite"))
  }

  @Test func storeWinsOverREPUTE_STOREForServersToo() throws {
    let env = ["REPUTE_STORE": "postgresql://envhost/db", "HOME": "/h"]
    #expect(
      try StoreLocation.address(explicit: "/x.sqlite", environment: env, login: "a", readPassFile: noFile)
        == .file("/x.sqlite"))
    let fromEnv = try StoreLocation.address(explicit: nil, environment: env, login: "a", readPassFile: noFile)
    #expect(fromEnv.description == "postgres://a@envhost:5432/db?sslmode=prefer")
  }

  @Test func whatNeedsAFileRefusesAServerClearly() {
    for (explicit, env) in [
      ("postgres://h/db", [String: String]()), (nil, ["REPUTE_STORE": "postgres://h/db"]),
    ] {
      #expect(throws: InboxError.self) { try StoreLocation.resolve(explicit: explicit, environment: env) }
      do {
        _ = try StoreLocation.resolve(explicit: explicit, environment: env)
      } catch {
        #expect("\(error)".contains("this needs a store file, not the team's PostgreSQL store"))
      }
    }
  }
}

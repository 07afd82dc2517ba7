import Inbox
import Testing

/// libpq's URL form, the `PG*` variables and the password file, as `psql` reads them (issue 18).
@Suite struct StoreAddressTests {
  static let noFile: @Sendable (String) -> ServerAddress.PassFileRead = { _ in .missing }

  func resolve(
    _ url: String, _ environment: [String: String] = [:], login: String = "anna",
    file: @escaping (String) -> ServerAddress.PassFileRead = noFile
  ) throws -> ServerAddress {
    try ServerAddress.resolve(url: url, environment: environment, login: login, readPassFile: file)
  }

  @Test func theURLsParts() throws {
    let a = try resolve("postgres://bob@db.example.nl:6543/team?sslmode=verify-full&sslrootcert=/ca.pem")
    #expect(a.endpoint == .tcp(host: "db.example.nl", port: 6543))
    #expect(a.user == "bob" && a.database == "team" && a.schema == "repute")
    #expect(a.sslMode == .verifyFull && a.sslRootCert == "/ca.pem")
    #expect(try resolve("postgresql://[::1]:5433/x").endpoint == .tcp(host: "::1", port: 5433))
    #expect(try resolve("postgres://h/x?schema=team2").schema == "team2")
  }

  @Test func aSocketFolderByQueryOrEscape() throws {
    let a = try resolve("postgres://bob@/team?host=/tmp/pg&port=7000")
    #expect(a.endpoint == .socket(directory: "/tmp/pg", port: 7000))
    #expect(
      try resolve("postgres://%2Fvar%2Frun%2Fpg/team").endpoint
        == .socket(directory: "/var/run/pg", port: 5432))
    #expect(a.description == "postgres://bob@/team?host=/tmp/pg&port=7000")
  }

  /// The status line names a store briefly: the socket's folder and the query would push the
  /// views off it (a night run failed on a long socket path).
  @Test func theStatusLinesBriefName() throws {
    #expect(
      StoreAddress.server(try resolve("postgres://bob@/team?host=/tmp/pg&port=7000")).brief(home: nil)
        == "team")
    #expect(try resolve("postgres://bob@db.example.nl/team").brief == "db.example.nl/team")
    #expect(
      try resolve("postgres://bob@db.example.nl:6543/team?schema=nl").brief == "db.example.nl:6543/team:nl")
    #expect(try resolve("postgresql://[::1]:5433/x").brief == "[::1]:5433/x")
    #expect(
      StoreAddress.file("/home/anna/.local/share/repute/store.sqlite").brief(home: "/home/anna")
        == "~/.local/share/repute/store.sqlite")
    #expect(StoreAddress.file("/tmp/s.sqlite").brief(home: "/home/anna") == "/tmp/s.sqlite")
  }

  @Test func libpqsDefaults() throws {
    let a = try resolve("postgres://")
    #expect(a.endpoint == .socket(directory: "/var/run/postgresql", port: 5432))
    #expect(a.user == "anna" && a.database == "anna" && a.sslMode == .prefer && a.connectTimeout == 10)
  }

  @Test func theURLWinsOverTheVariablesWhichWinOverDefaults() throws {
    let env = [
      "PGHOST": "envhost", "PGPORT": "7777", "PGUSER": "envuser", "PGDATABASE": "envdb",
      "PGSSLMODE": "require",
    ]
    let fromEnv = try resolve("postgres://", env)
    #expect(fromEnv.endpoint == .tcp(host: "envhost", port: 7777))
    #expect(fromEnv.user == "envuser" && fromEnv.database == "envdb" && fromEnv.sslMode == .require)
    let fromURL = try resolve("postgres://u@h:1/d?sslmode=disable", env)
    #expect(fromURL.endpoint == .tcp(host: "h", port: 1))
    #expect(fromURL.user == "u" && fromURL.database == "d" && fromURL.sslMode == .disable)
    #expect(try resolve("postgres:///d", ["PGUSER": "carl"]).database == "d")
    #expect(try resolve("postgres://", ["PGUSER": "carl"]).database == "carl")
  }

  @Test func aPasswordOnTheCommandLineIsRefusedWithoutBeingRepeated() {
    for url in [
      "postgres://bob:hunter2@h/db", "postgres://h/db?password=hunter2", "postgres://bob:hunter2@/db",
    ] {
      do {
        _ = try resolve(url)
        Issue.record("\(url) was taken")
      } catch {
        let text = "\(error)"
        #expect(text.contains("never takes one on the command line"))
        #expect(!text.contains("hunter2"))
      }
    }
  }

  @Test func wrongPartsAreRefused() {
    #expect(throws: InboxError.self) { try resolve("postgres://h:99999/db") }
    #expect(throws: InboxError.self) { try resolve("postgres://h/db?sslmode=allow") }
    #expect(throws: InboxError.self) { try resolve("postgres://h/db?nonsense=1") }
    #expect(throws: InboxError.self) { try resolve("postgres://h1,h2/db") }
    #expect(throws: InboxError.self) { try resolve("postgres://h/db?schema=Robert%27;drop") }
    #expect(throws: InboxError.self) { try resolve("postgres://h/db%zz") }
  }

  @Test func thePasswordComesFromPGPASSWORDThenThePasswordFile() throws {
    let file: (String) -> ServerAddress.PassFileRead = { path in
      #expect(path == "/home/anna/.pgpass")
      return .contents("# team\nother:*:*:*:nope\ndb.example.nl:5432:team:anna:fromfile\n")
    }
    let a = try resolve("postgres://db.example.nl/team", ["HOME": "/home/anna"], file: file)
    #expect(a.password == "fromfile" && a.passwordSource == .passwordFile)
    let b = try resolve(
      "postgres://db.example.nl/team", ["HOME": "/home/anna", "PGPASSWORD": "fromenv"], file: file)
    #expect(b.password == "fromenv" && b.passwordSource == .environment)
    let c = try resolve("postgres://elsewhere/team", ["HOME": "/home/anna"], file: file)
    #expect(c.password == nil)
  }

  @Test func thePasswordFilesMatchingAsLibpq() throws {
    let text = #"""
      localhost:5432:*:anna:sock\:et
      /tmp/pg:7000:team:*:custom
      *:*:*:*:any\\thing
      """#
    let file: (String) -> ServerAddress.PassFileRead = { _ in .contents(text) }
    let env = ["PGPASSFILE": "/p"]
    #expect(try resolve("postgres:///x", env, file: file).password == "sock:et")
    #expect(try resolve("postgres:///team?host=/tmp/pg&port=7000", env, file: file).password == "custom")
    #expect(try resolve("postgres://h/x", env, file: file).password == #"any\thing"#)
  }

  @Test func aPasswordFileOthersMayReadIsNotRead() throws {
    let a = try resolve("postgres://h/x", ["HOME": "/h"], file: { _ in .openToOthers })
    #expect(a.password == nil)
    #expect(a.warnings.count == 1 && a.warnings[0].contains("group or world access"))
  }

  @Test func noDescriptionCarriesThePassword() throws {
    let a = try resolve("postgres://bob@h/db", ["PGPASSWORD": "s3cret-pw"])
    #expect(a.password == "s3cret-pw")
    for text in [
      a.description, a.debugDescription, "\(a)", String(reflecting: a), StoreAddress.server(a).description,
    ] {
      #expect(!text.contains("s3cret-pw"), "\(text)")
    }
    var dumped = ""
    dump(a, to: &dumped)
    #expect(!dumped.contains("s3cret-pw") && dumped.contains("(hidden)"), "\(dumped)")
    #expect(a.description == "postgres://bob@h:5432/db?sslmode=prefer")
  }

  @Test func serverURLsAreKnownByTheirScheme() {
    #expect(StoreAddress.isServerURL("postgres://x"))
    #expect(StoreAddress.isServerURL("postgresql://x"))
    #expect(!StoreAddress.isServerURL("/tmp/postgres://x"))
    #expect(!StoreAddress.isServerURL("store.sqlite"))
  }
}

import Foundation
import Inbox
import ServerStore
import Store
import TestServerSupport
import Testing

/// The stores the command tests run on (issue 18: every command test that passes on a store file
/// passes on PostgreSQL): a store file, and a database of its own on the server named by
/// `$REPUTE_TEST_PG_URL` (`scripts/pg-throwaway.sh`, which `.ci/run` starts). Without a server the
/// server's cases are left out; with `CI` set and none, they run and fail: CI never passes by
/// leaving them out.
enum CLIKind: String, Sendable, CaseIterable, CustomTestStringConvertible {
  case sqlite
  case postgres

  var testDescription: String { self == .sqlite ? "SQLite" : "PostgreSQL" }
}

enum CLIStores {
  static var serverURL: String? { TestPostgres.url }

  /// Both stores where there is a server (always in CI, where a missing one fails the cases).
  static let kinds: [CLIKind] = TestPostgres.covered ? [.sqlite, .postgres] : [.sqlite]

  /// The login roles of `TeamStore.roster` (Anna, Bram, Carmen) and of a second supervisor
  /// (Dirk), made once per run and kept (a role owns nothing; the next run finds them there). A
  /// roster's groups are granted to them when the roster reaches the server (`migrate`, `policy
  /// apply`). The tmux suites make the same roles (`E2EStores`): whichever runs first makes them.
  static let logins = ["anna", "bram", "carmen", "dirk"]

  static let roles: Result<Void, any Error> = Result {
    guard let url = serverURL else { throw NoServer() }
    try TestPostgres.makeRoles(logins, on: url)
  }

  struct NoServer: Error, CustomStringConvertible {
    var description: String {
      "CI is set and there is " + TestPostgres.howTo(for: "the command tests")
    }
  }
}

/// One store for one command test, made as `TeamStore.make` makes a file (the mentions ingested,
/// the roster applied, at the test's moment) and, for the server, copied into a database of its
/// own with `repute migrate`, as a team moves its store. A person runs commands on it as a person
/// would: on a file with `--as NAME`, on the server as the roster's login role of the name
/// (`--as` is refused there). The database is dropped when the store goes.
final class CLIStore {
  let kind: CLIKind
  /// The test's folder; on a file its `store` is the store.
  let dir: TempFolder
  /// The store as `--store` names it for whoever runs the tests: the file, or the server's URL
  /// as its superuser.
  let address: String
  let database: String?
  let environment: [String: String]

  convenience init(
    _ kind: CLIKind, _ lines: [String], roster: String = TeamStore.roster, environment: [String: String],
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    try self.init(
      kind,
      dir: TeamStore.make(lines, roster: roster, environment: environment, sourceLocation: sourceLocation),
      environment: environment, sourceLocation: sourceLocation)
  }

  /// The demo's store (`repute demo --seed-only`: its mentions and its roster of Anna, Bram and
  /// Carmen, whose logins are `anna`, `bram` and `carmen`).
  static func demo(
    _ kind: CLIKind, environment: [String: String] = [:], sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> CLIStore {
    let dir = TempFolder()
    let seeded = try ReputeProcess.run(
      ["demo", "--seed-only", "--store", dir.store], environment: environment)
    #expect(seeded.status == 0, "\(seeded.stderr)", sourceLocation: sourceLocation)
    return try CLIStore(kind, dir: dir, environment: environment, sourceLocation: sourceLocation)
  }

  /// A store a test made in `folder` on a file its own way (`repute demo`, say), moved to the
  /// server as the other constructor moves a team's.
  convenience init(
    _ kind: CLIKind, folder: TempFolder, environment: [String: String],
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    try self.init(kind, dir: folder, environment: environment, sourceLocation: sourceLocation)
  }

  /// A store with nothing in it yet, for a test that ingests itself: on a file the folder (the
  /// first command makes the file), on the server a database with `repute init` run on it, so
  /// the commands under test (ingest first) run on the server itself.
  static func empty(
    _ kind: CLIKind, environment: [String: String] = [:], sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> CLIStore {
    try CLIStore(
      kind, dir: TempFolder(), environment: environment, copy: false, sourceLocation: sourceLocation)
  }

  /// The store of a folder whose store file is made: that file, or on the server a copy of it
  /// (`copy`; else a new store).
  private init(
    _ kind: CLIKind, dir: TempFolder, environment: [String: String], copy: Bool = true,
    sourceLocation: SourceLocation
  ) throws {
    self.kind = kind
    // On the server a person is who they connect as: `REPUTE_USER`, like `--as`, is refused there.
    self.environment = kind == .postgres ? environment.filter { $0.key != "REPUTE_USER" } : environment
    self.dir = dir
    guard kind == .postgres else {
      address = dir.store
      database = nil
      return
    }
    guard let url = CLIStores.serverURL else { throw CLIStores.NoServer() }
    try CLIStores.roles.get()
    let name = TestPostgres.uniqueName("cli")
    database = name
    address = TestPostgres.url(url, database: name)
    try TestPostgres.superuser(url) { try await $0.execute("CREATE DATABASE \(name)") }
    let made = try ReputeProcess.run(
      copy ? ["migrate", "--from", dir.store, "--to", address] : ["init", "--store", address],
      environment: self.environment)
    #expect(made.status == 0, "\(made.stderr)", sourceLocation: sourceLocation)
  }

  deinit {
    guard let database, let url = CLIStores.serverURL else { return }
    TestPostgres.dropDatabase(database, on: url)
  }

  /// The login role of a person on the suites' rosters (`TestPostgres.login(of:)`).
  static func login(of name: String) -> String { TestPostgres.login(of: name) }

  /// The store's address as `name` reaches it: the file, or the URL with the person's login role.
  func address(as name: String?) -> String {
    kind == .postgres ? TestPostgres.address(address, as: name) : address
  }

  /// `repute ARGUMENTS… --store STORE` as `name` (`--as` on a file, the person's role on the
  /// server); without a name, as whoever runs the tests (the server's superuser there).
  func run(
    _ name: String?, _ arguments: [String], stdin: String? = nil, environment extra: [String: String] = [:]
  ) throws -> ReputeProcess.Result {
    var all = arguments + ["--store", address(as: name)]
    if kind == .sqlite, let name { all += ["--as", name] }
    return try ReputeProcess.run(all, stdin: stdin, environment: environment.merging(extra) { $1 })
  }

  /// The store itself, opened beside the binary at the test's moment (or at `moment`).
  func open(at moment: Date? = nil) throws -> any ReputeStore {
    let clock = ReputeClock.fixed(
      moment ?? RFC3339.parse(environment["REPUTE_NOW"] ?? ReputeProcess.pinnedNow)!)
    if kind == .sqlite { return try SQLiteStore(path: dir.store, mode: .existing, clock: clock) }
    return try ServerStore(address: TestPostgres.address(address), clock: clock)
  }

  /// `body` on the store itself (`open()`), closed after it on the server.
  func withStore<T>(_ body: (any MentionStore) throws -> T) throws -> T {
    let store = try open()
    defer { (store as? ServerStore)?.close() }
    return try body(store)
  }

  /// The audit trail of one mention: who did what, oldest first.
  func events(mention id: Int64) throws -> [(actor: String, action: String)] {
    try withStore { try $0.events(mentionID: id).map { ($0.actor, $0.action) } }
  }
}

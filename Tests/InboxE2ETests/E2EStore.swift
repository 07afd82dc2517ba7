import Foundation
import Inbox
import Policy
import ServerStore
import TestServerSupport
import Testing

/// The stores the tmux suites run the inbox on (issue 18: "the tmux suites run the inbox on
/// both"): a store file, and a database of its own on the PostgreSQL server named by
/// `$REPUTE_TEST_PG_URL` (`scripts/pg-throwaway.sh`, which `.ci/run` starts). Without one the
/// server's cases are left out and one test says so as skipped; with `CI` set and none, they run
/// and fail: CI never passes by leaving them out.
enum E2EKind: String, Sendable, CaseIterable, CustomTestStringConvertible {
  case sqlite
  case postgres

  var testDescription: String { self == .sqlite ? "SQLite" : "PostgreSQL" }
}

enum E2EStores {
  static let howTo = TestPostgres.howTo(for: "the tmux suites' server cases")

  /// The test server's URL (its superuser, on the socket the cluster trusts), when there is one.
  static var serverURL: String? { TestPostgres.url }

  /// The stores this run covers: the server's cases where there is a server (always in CI, where
  /// a missing one fails them).
  static let kinds: [E2EKind] = wantsServer ? [.sqlite, .postgres] : [.sqlite]

  /// Only the server: the tests that are about two processes on one PostgreSQL store.
  static let servers: [E2EKind] = wantsServer ? [.postgres] : []

  /// Whether this run covers the server's cases: with a server, and always in CI.
  static var wantsServer: Bool { TestPostgres.covered }

  /// The people of the suites' rosters, each a login role on the server (the demo's roster names
  /// them by these logins): members of one group role that each store is granted to.
  static let logins = ["anna", "bram", "carmen"]
  static let group = "repute_e2e_team"

  /// The roles, made once per run (kept afterwards: a role owns nothing, and the next run finds
  /// them there).
  static let roles: Result<Void, any Error> = Result {
    guard let url = serverURL else { throw NoServer() }
    try TestPostgres.makeRoles(logins, group: group, on: url)
  }

  struct NoServer: Error, CustomStringConvertible {
    var description: String { howTo }
  }
}

/// One fresh store of a kind for one test: a file in a folder of its own, or a database of its
/// own (`e2e_PID_N`) on the test server, the store in its default schema, with the people's roles
/// granted the use of it. Commands and inboxes reach it as a person would: on a file by `--as
/// NAME`, on the server by logging in as the person's role (the roster's `login`: `--as` is
/// refused there). A test removes it with `defer { store.drop() }` right after making it, so it
/// goes after the inboxes on it.
///
/// A server store is a copy of a template database made once per run and kind of store (`CREATE
/// DATABASE … TEMPLATE`, a third of a second, made ahead in the background: `E2ESpares`): making
/// it from the demo's file with `repute migrate`, or with `repute init` and a roster, costs a
/// second or more each time.
final class E2EStore: @unchecked Sendable {
  let kind: E2EKind
  /// A folder of the test's own for its files (JSON Lines, scripts); the store file is in it.
  let folder: URL
  /// The store as `--store` names it: the file, or the URL as the server's superuser (who made it).
  let address: String
  /// The database on the server; nil for a file.
  let database: String?

  private init(_ kind: E2EKind, prefix: String) throws {
    self.kind = kind
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    switch kind {
    case .sqlite:
      address = folder.appendingPathComponent("repute.sqlite").path
      database = nil
    case .postgres:
      guard let url = E2EStores.serverURL else { throw E2EStores.NoServer() }
      let database = TestPostgres.uniqueName("e2e")
      self.database = database
      address = TestPostgres.url(url, database: database)
    }
  }

  /// A store whose one responder (and supervisor) is `name`: on a file `repute init --name`, on
  /// the server the same roster with the login role of the name (`login(of:)`).
  static func named(_ kind: E2EKind, _ prefix: String = "inbox-e2e", name: String = "Anna") throws -> E2EStore
  {
    let store = try E2EStore(kind, prefix: prefix)
    if kind == .sqlite {
      let (status, text) = try ReputeBinary.run(["init", "--store", store.address, "--name", name])
      #expect(status == 0, "\(text)")
      return store
    }
    try store.copy(template: "named-" + login(of: name)) { template in
      var (status, text) = try ReputeBinary.run(["init", "--store", template.address])
      #expect(status == 0, "\(text)")
      var policy = PolicyConfig.default
      policy.team = [TeamMember(name: name, login: login(of: name), role: .supervisor)]
      let file = template.folder.appendingPathComponent("roster.toml")
      try PolicyFile.render(policy).write(to: file, atomically: true, encoding: .utf8)
      (status, text) = try ReputeBinary.run(["policy", "apply", file.path, "--store", template.address])
      #expect(status == 0, "\(text)")
    }
    return store
  }

  /// A store seeded with the demo's mentions and roster (`repute demo --seed-only`; on the server
  /// copied there from a file with `repute migrate`, as a team moves its store). `environment`
  /// other than the suites' own (another clock) seeds afresh rather than from the template.
  static func seeded(_ kind: E2EKind, _ prefix: String = "inbox-e2e", environment: [String: String] = [:])
    throws -> E2EStore
  {
    let store = try E2EStore(kind, prefix: prefix)
    func seed(_ target: E2EStore) throws {
      let file = kind == .sqlite ? target.address : target.folder.appendingPathComponent("demo.sqlite").path
      var (status, text) = try ReputeBinary.run(
        ["demo", "--seed-only", "--store", file], environment: environment)
      #expect(status == 0, "\(text)")
      if kind == .postgres {
        (status, text) = try ReputeBinary.run(["migrate", "--from", file, "--to", target.address])
        #expect(status == 0, "\(text)")
      }
    }
    if kind == .sqlite {
      try seed(store)
    } else if environment.isEmpty {
      try store.copy(template: "demo", seed)
    } else {
      try store.create(from: nil)
      try seed(store)
    }
    return store
  }

  /// A store whose one responder (and supervisor) is `name`, with the mentions of `lines` (native
  /// JSON Lines) ingested. On the server they are ingested into a file first and the file copied
  /// there with `repute migrate`: thousands of mentions arrive in a fraction of the time a debug
  /// build's ingest on the server takes.
  static func filled(_ kind: E2EKind, _ prefix: String, name: String = "Anna", lines: [String]) throws
    -> E2EStore
  {
    if kind == .sqlite {
      let store = try named(kind, prefix, name: name)
      try store.ingest(lines)
      return store
    }
    let store = try E2EStore(kind, prefix: prefix)
    let file = store.folder.appendingPathComponent("filled.sqlite").path
    var (status, text) = try ReputeBinary.run(["init", "--store", file])
    #expect(status == 0, "\(text)")
    var policy = PolicyConfig.default
    policy.team = [TeamMember(name: name, login: login(of: name), role: .supervisor)]
    let roster = store.folder.appendingPathComponent("roster.toml")
    try PolicyFile.render(policy).write(to: roster, atomically: true, encoding: .utf8)
    (status, text) = try ReputeBinary.run(["policy", "apply", roster.path, "--store", file])
    #expect(status == 0, "\(text)")
    let input = store.folder.appendingPathComponent("in.jsonl")
    try (lines.joined(separator: "\n") + "\n").write(to: input, atomically: true, encoding: .utf8)
    (status, text) = try ReputeBinary.run(["ingest", input.path, "--store", file])
    #expect(status == 0, "\(text)")
    try store.create(from: nil)
    (status, text) = try ReputeBinary.run(["migrate", "--from", file, "--to", store.address])
    #expect(status == 0, "\(text)")
    return store
  }

  /// The login role of a person on the suites' rosters (`TestPostgres.login(of:)`).
  static func login(of name: String) -> String { TestPostgres.login(of: name) }

  /// The store's address as `name` reaches it: the file (with `--as` beside it), or the URL with
  /// the person's login role as its user.
  func address(as name: String?) -> String {
    kind == .postgres ? TestPostgres.address(address, as: name) : address
  }

  /// `repute ARGUMENTS… --store STORE` to completion, as `name` when given (`--as` on a file, the
  /// person's role on the server); without a name, as whoever runs the tests (the server's
  /// superuser there, whose bookkeeping is recorded under its own name).
  @discardableResult
  func run(_ arguments: [String], as name: String? = nil, environment: [String: String] = [:]) throws -> (
    status: Int32, text: String
  ) {
    var all = arguments + ["--store", address(as: name)]
    if kind == .sqlite, let name { all += ["--as", name] }
    return try ReputeBinary.run(all, environment: environment)
  }

  /// `repute inbox` on the store as `name` in a new tmux session (see `ReputeBinary.inbox`).
  func inbox(
    as name: String, options: String = "", width: Int = 120, height: Int = 30,
    environment: [String: String] = [:]
  ) throws -> TmuxSession {
    let who = kind == .sqlite ? "--as \(TmuxSession.quote(name)) " : ""
    return try ReputeBinary.inbox(
      address(as: name), who: who, options: options, width: width, height: height, environment: environment)
  }

  /// Ingests `lines` (native JSON Lines) from a file in the store's folder.
  func ingest(_ lines: [String], named: String = "in.jsonl") throws {
    let file = folder.appendingPathComponent(named)
    try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
    let (status, text) = try run(["ingest", file.path])
    #expect(status == 0, "\(text)")
  }

  /// Removes the store: its folder, and on the server its database (after the inboxes on it ended).
  func drop() {
    try? FileManager.default.removeItem(at: folder)
    guard let database, let url = E2EStores.serverURL else { return }
    TestPostgres.dropDatabase(database, on: url)
  }

  /// The templates made so far in this run, by kind of store: the database's name.
  private static let templates = Locked([String: String]())
  /// One template made at a time (each is made once).
  private static let making = NSLock()

  /// Makes the store's database a copy of the run's template `key`, made first by `make` (given a
  /// store on the template's database) when this run has none yet.
  private func copy(template key: String, _ make: (E2EStore) throws -> Void) throws {
    Self.making.lock()
    defer { Self.making.unlock() }
    var template = Self.templates.current[key]
    if template == nil {
      let made = try E2EStore(.postgres, prefix: "e2e-template")
      defer { try? FileManager.default.removeItem(at: made.folder) }
      try made.create(from: nil)
      try make(made)
      template = made.database
      Self.templates.withLock { $0[key] = made.database }
    }
    guard let database, let template, let url = E2EStores.serverURL else { return }
    Self.dropStaleSpares()
    try E2ESpares.copy(template, into: database, url: url)
    // The copy's own groups, as `repute init` makes them on a copied database: the template's are
    // shared by every copy, and one test's roster would grant or revoke them for all.
    try TestPostgres.superuser(TestPostgres.url(url, database: database)) {
      try await $0.execute("SELECT repute.team_rehome()")
    }
  }

  /// Drops the spare copies earlier runs left behind (`E2ESpares`), once a run.
  private static let staleSpares: Void = {
    if let url = E2EStores.serverURL { E2ESpares.dropStale(url: url) }
  }()

  private static func dropStaleSpares() { _ = staleSpares }

  /// Creates the store's database, empty or as a copy of `template`.
  /// The people's login roles are made first: the roster's groups are granted to the logins the
  /// server has when the roster is applied (`repute policy apply`, `repute migrate`).
  private func create(from template: String?) throws {
    guard let database, let url = E2EStores.serverURL else { return }
    try E2EStores.roles.get()
    let copy = template.map { " TEMPLATE \($0)" } ?? ""
    try TestPostgres.superuser(url) { try await $0.execute("CREATE DATABASE \(database)\(copy)") }
  }
}

import Foundation
import Inbox
import Policy
import Testing

@testable import ServerStore

/// Rights held by the server (issue 19): on the demo's store on PostgreSQL, Anna (a responder)
/// with `psql` in hand is refused a supervisor's work by the server itself, and the attempt leaves
/// the data as it was; Carmen (the supervisor) may; Anna's normal day still works; `repute team`
/// grants and revokes a login's group.
@Suite("rights held by the server, with psql as a responder", .serialized)
struct ServerRightsE2ETests {
  static let psql = "/usr/bin/psql"

  @Test(
    "a responder's forbidden statements and commands are refused and change nothing; a supervisor's pass",
    .enabled(if: FileManager.default.isExecutableFile(atPath: psql), "psql is not installed"),
    arguments: E2EStores.servers)
  func responderIsRefused(kind: E2EKind) throws {
    let store = try E2EStore.seeded(kind, "rights")
    defer { store.drop() }
    let mention = try Self.sql(store, as: nil, "SELECT min(id) FROM repute.mentions WHERE status = 'open'")
      .text
    let outbox = try Self.sql(
      store, as: nil,
      """
      INSERT INTO repute.outbox (mention_id, responder, kind, text, status, created_at, updated_at, idempotency_key)
      VALUES (\(mention), 'Bram', 'reply', 'Dank je, we kijken ernaar.', 'awaiting_approval', 0, 0, 'rights-1')
      RETURNING id
      """
    ).text
    let escalation = try Self.sql(
      store, as: nil,
      """
      INSERT INTO repute.escalations (mention_id, reason, created_at, created_by, updated_at)
      VALUES (\(mention), 'by_hand', 0, 'Bram', 0) RETURNING id
      """
    ).text
    _ = try Self.sql(store, as: nil, "INSERT INTO repute.tombstones (key, at) VALUES ('rights-test', 0)")
    let before = try Self.snapshot(store)

    for statement in [
      "DELETE FROM repute.events",
      "UPDATE repute.events SET actor = 'Anna'",
      "SELECT key FROM repute.tombstones",
      "UPDATE repute.outbox SET status = 'queued', reviewed_by = 'Carmen de Wit' WHERE id = \(outbox)",
      "UPDATE repute.outbox SET status = 'returned', review_note = 'nee' WHERE id = \(outbox)",
      "INSERT INTO repute.events (at, actor, action) VALUES (0, 'Carmen de Wit', 'approve_reply')",
      "UPDATE repute.escalations SET state = 'resolved', resolved_at = 1 WHERE id = \(escalation)",
      "UPDATE repute.escalations SET owner = 'Anna' WHERE id = \(escalation)",
      "DELETE FROM repute.escalations WHERE id = \(escalation)",
      "INSERT INTO repute.policies (version, source, applied_at, applied_by) VALUES (99, '', 0, 'Anna')",
      "UPDATE repute.team SET role = 'supervisor' WHERE login = 'anna'",
      "DELETE FROM repute.mentions WHERE id = \(mention)",
      "INSERT INTO repute.tombstones (key, at) VALUES ('x', 0)",
    ] {
      let (status, text) = try Self.sql(store, as: "anna", statement)
      #expect(status != 0, "\(statement): \(text)")
      #expect(text.contains("ERROR"), "\(statement): \(text)")
    }
    let policy = store.folder.appendingPathComponent("policy.toml")
    try PolicyFile.render(.default).write(to: policy, atomically: true, encoding: .utf8)
    for command in [
      ["approve", outbox], ["policy", "apply", policy.path], ["forget", "--author", "angryvoice", "--yes"],
    ] {
      let (status, text) = try store.run(command, as: "Anna")
      #expect(status != 0, "\(command): \(text)")
    }
    #expect(try Self.snapshot(store) == before)

    // An event in her own name: her login is replaced by her roster name.
    let own = try Self.sql(
      store, as: "anna",
      "INSERT INTO repute.events (at, actor, action) VALUES (0, 'anna', 'note') RETURNING actor")
    #expect(own.status == 0 && own.text == "Anna", "\(own.text)")

    // Anna's normal day.
    for command in [
      ["claim", mention], ["note", mention, "--text", "Ik pak deze op"],
      ["snooze", mention, "--until", "2h"],
    ] {
      let (status, text) = try store.run(command, as: "Anna")
      #expect(status == 0, "\(command): \(text)")
    }
    // A reply: queued where the policy lets her, else sent for approval; in her name either way.
    let other = try Self.sql(
      store, as: nil,
      "SELECT min(id) FROM repute.mentions WHERE status = 'open' AND id <> \(mention) AND claimed_by IS NULL"
    ).text
    let reply = try store.run(["reply", other, "--text", "Dank je, we zoeken het uit.", "--yes"], as: "Anna")
    #expect(reply.status == 0, "\(reply.text)")
    let replied = try Self.sql(
      store, as: nil, "SELECT responder || ' ' || status FROM repute.outbox WHERE mention_id = \(other)")
    #expect(
      replied.text == "Anna queued" || replied.text == "Anna awaiting_approval", "\(replied.text)")

    // Carmen, the supervisor, may.
    let approved = try store.run(["approve", outbox], as: "Carmen")
    #expect(approved.status == 0, "\(approved.text)")
    #expect(try Self.sql(store, as: "carmen", "SELECT count(*) FROM repute.tombstones").text == "1")
    let forgot = try store.run(["forget", "--author", "angryvoice", "--yes"], as: "Carmen")
    #expect(forgot.status == 0, "\(forgot.text)")
    // Nobody approves their own reply, whatever they send as the reviewer.
    let hers = try Self.sql(
      store, as: nil,
      """
      INSERT INTO repute.outbox (mention_id, responder, kind, text, status, created_at, updated_at, idempotency_key)
      VALUES (\(mention), 'Carmen de Wit', 'reply', 'Zelf gedaan.', 'awaiting_approval', 0, 0, 'rights-2')
      RETURNING id
      """
    ).text
    let own2 = try Self.sql(
      store, as: "carmen",
      "UPDATE repute.outbox SET status = 'queued', reviewed_by = 'Anna' WHERE id = \(hers)")
    #expect(own2.status != 0 && own2.text.contains("their own reply"), "\(own2.text)")
  }

  @Test(
    "repute team add, role and remove change the roster, in the audit trail; on a server the login's group",
    arguments: E2EStores.kinds)
  func teamCommands(kind: E2EKind) throws {
    let store = try E2EStore.seeded(kind, "rights-team")
    defer { store.drop() }
    let server = kind == .postgres
    if server {
      guard FileManager.default.isExecutableFile(atPath: Self.psql) else { return }
      _ = try Self.sql(
        store, as: nil,
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'dirk') THEN CREATE ROLE dirk LOGIN; END IF; END $$"
      )
      let refused = try store.run(
        ["team", "add", "dirk", "--name", "Dirk", "--role", "responder"], as: "Anna")
      #expect(refused.status != 0, "\(refused.text)")
      let missing = try store.run(
        ["team", "add", "nobody_here", "--name", "Nobody", "--role", "responder"], as: "Carmen")
      #expect(missing.status != 0 && missing.text.contains("CREATE ROLE"), "\(missing.text)")
    }
    var run = try store.run(
      ["team", "add", "dirk", "--name", "Dirk Jansen", "--role", "responder"], as: "Carmen")
    #expect(run.status == 0, "\(run.text)")
    #expect(try store.run(["policy", "show"]).text.contains("Dirk Jansen"))
    if server {
      #expect(try Self.sql(store, as: "dirk", "SELECT count(*) > 0 FROM repute.mentions").text == "t")
      #expect(try Self.sql(store, as: "dirk", "SELECT count(*) FROM repute.tombstones").status != 0)
    }
    run = try store.run(["team", "role", "dirk", "supervisor"], as: "Carmen")
    #expect(run.status == 0, "\(run.text)")
    if server {
      #expect(try Self.sql(store, as: "dirk", "SELECT count(*) FROM repute.tombstones").text == "0")
    }
    let last = try store.run(["team", "role", "carmen", "responder"], as: "Carmen")
    #expect(last.status == 0, "another supervisor is left (Dirk): \(last.text)")
    run = try store.run(["team", "role", "carmen", "supervisor"], as: "Dirk")
    #expect(run.status == 0, "\(run.text)")
    run = try store.run(["team", "remove", "dirk"], as: "Carmen")
    #expect(run.status == 0, "\(run.text)")
    #expect(!(try store.run(["policy", "show"]).text.contains("Dirk Jansen")))
    if server {
      #expect(try Self.sql(store, as: "dirk", "SELECT count(*) FROM repute.mentions").status != 0)
    }
    let log = try store.run(["log", "--json"]).text
    let trail = log.split(separator: "\n").filter { $0.contains("\"team_") }
    #expect(trail.count == 5, "\(trail)")
    #expect(
      trail.allSatisfy {
        $0.contains("\"actor\":\"Carmen de Wit\"") || $0.contains("\"actor\":\"Dirk Jansen\"")
      }, "\(trail)")
  }

  @Test(
    "a responder signs only in their own name, and a reply needing approval waits for it; their day still works",
    .enabled(if: FileManager.default.isExecutableFile(atPath: psql), "psql is not installed"),
    arguments: E2EStores.servers)
  func responderSignsOnlyAsThemselves(kind: E2EKind) throws {
    let store = try E2EStore.seeded(kind, "rights-sign")
    defer { store.drop() }
    let pick =
      "SELECT id FROM repute.mentions WHERE status = 'open' AND claimed_by IS NULL AND assigned_to IS NULL"
    let plain = try Self.sql(
      store, as: nil, "\(pick) AND NOT repute.reply_needs_approval(id) ORDER BY id LIMIT 1"
    ).text
    let guarded = try Self.sql(store, as: nil, "\(pick) AND id <> \(plain) ORDER BY id DESC LIMIT 1").text
    // A resolved escalation for legal or press reasons still counts (the default policy's reason).
    _ = try Self.sql(
      store, as: nil,
      """
      INSERT INTO repute.escalations (mention_id, reason, state, created_at, created_by, updated_at, resolved_at)
      VALUES (\(guarded), 'legal_or_press', 'resolved', 0, 'Carmen de Wit', 0, 0)
      """)
    let bram = try Self.sql(
      store, as: nil,
      """
      INSERT INTO repute.outbox (mention_id, responder, kind, text, status, created_at, updated_at, idempotency_key)
      VALUES (\(plain), 'Bram', 'reply', 'Dank je.', 'awaiting_approval', 0, 0, 'sign-1') RETURNING id
      """
    ).text
    let before = try Self.snapshot(store)
    let reply =
      "INSERT INTO repute.outbox (mention_id, responder, kind, text, status, created_at, updated_at, idempotency_key)"
    for (statement, why) in [
      (
        "\(reply) VALUES (\(plain), 'Carmen de Wit', 'reply', 'Ok.', 'queued', 0, 0, 'sign-2')",
        "not Carmen de Wit"
      ),
      ("\(reply) VALUES (\(guarded), 'anna', 'reply', 'Ok.', 'queued', 0, 0, 'sign-3')", "approval"),
      ("UPDATE repute.outbox SET responder = 'Anna' WHERE id = \(bram)", "responder does not change"),
      (
        "INSERT INTO repute.notes (mention_id, at, author, text) VALUES (\(plain), 0, 'Bram', 'x')",
        "not Bram"
      ),
      ("UPDATE repute.mentions SET claimed_by = 'Bram' WHERE id = \(plain)", "not Bram"),
      ("UPDATE repute.mentions SET assigned_to = 'Anna' WHERE id = \(plain)", "only a supervisor assigns"),
      (
        "UPDATE repute.escalations SET reason = 'by_hand' WHERE mention_id = \(guarded)",
        "keeps its mention and reason"
      ),
      (
        "INSERT INTO repute.escalations (mention_id, reason, owner, created_at, created_by, updated_at) VALUES (\(plain), 'by_hand', 'Anna', 0, 'anna', 0)",
        "only a supervisor takes on"
      ),
      (
        "INSERT INTO repute.drafts (mention_id, author, kind, text, started_at, updated_at) VALUES (\(plain), 'Bram', 'reply', 'x', 0, 0)",
        "not Bram"
      ),
    ] {
      let (status, text) = try Self.sql(store, as: "anna", statement)
      #expect(status != 0 && text.contains(why) && text.contains("you are Anna"), "\(statement): \(text)")
    }
    #expect(try Self.snapshot(store) == before)

    // Her login in a column that names her becomes her roster name.
    let own = try Self.sql(
      store, as: "anna",
      "INSERT INTO repute.notes (mention_id, at, author, text) VALUES (\(plain), 0, 'anna', 'x') RETURNING author"
    )
    #expect(own.status == 0 && own.text == "Anna", "\(own.text)")

    // Anna's normal day through repute: claim, note, a draft, a reply, a reply for approval.
    for command in [
      ["claim", plain], ["note", plain, "--text", "Ik pak deze op"],
      ["reply", plain, "--text", "Dank je, we zoeken het uit.", "--yes"],
      ["claim", guarded], ["reply", guarded, "--text", "We kijken ernaar.", "--yes"],
    ] {
      let (status, text) = try store.run(command, as: "Anna")
      #expect(status == 0, "\(command): \(text)")
    }
    let address = try ServerAddress.resolve(
      url: store.address(as: "Anna"), environment: [:], login: SystemLogin.current()
    ) { _ in .missing }
    let anna = try ServerStore(address: address, clock: .fixed(Date(timeIntervalSince1970: 1_795_512_600)))
    defer { anna.close() }
    try anna.saveDraft(mentionID: Int64(plain) ?? 0, author: "Anna", kind: .reply, text: "Nog een vraag?")
    #expect(throws: InboxError.self) {
      try anna.saveDraft(mentionID: Int64(plain) ?? 0, author: "Bram", kind: .reply, text: "Namens Bram")
    }
    let written = try Self.sql(
      store, as: nil,
      """
      SELECT (SELECT string_agg(responder || ' ' || status, ',' ORDER BY id) FROM repute.outbox
        WHERE mention_id IN (\(plain), \(guarded)) AND idempotency_key NOT LIKE 'sign-%')
        || ';' || (SELECT string_agg(author, ',') FROM repute.drafts WHERE mention_id = \(plain))
      """
    ).text
    #expect(written == "Anna queued,Anna awaiting_approval;Anna", "\(written)")

    // Carmen, the supervisor, assigns to Bram; Anna's claim is released in it.
    let assigned = try store.run(["assign", guarded, "--to", "bram"], as: "Carmen")
    #expect(assigned.status == 0, "\(assigned.text)")
    let state = try Self.sql(
      store, as: nil,
      "SELECT assigned_to || ' ' || coalesce(claimed_by, '-') FROM repute.mentions WHERE id = \(guarded)")
    #expect(state.text == "Bram -", "\(state.text)")
  }

  /// What a refused attempt must leave as it was: the events, the outbox (its responders too),
  /// the escalations, the tombstones, the policies and the team, the mentions' claims and
  /// assignments, and who wrote the notes and drafts, summed.
  static func snapshot(_ store: E2EStore) throws -> String {
    try sql(
      store, as: nil,
      """
      SELECT (SELECT count(*) || md5(coalesce(string_agg(actor || action, ',' ORDER BY id), '')) FROM repute.events)
        || (SELECT md5(string_agg(status || coalesce(reviewed_by, '') || responder, ',' ORDER BY id)) FROM repute.outbox)
        || (SELECT md5(string_agg(state || coalesce(owner, ''), ',' ORDER BY id)) FROM repute.escalations)
        || (SELECT count(*) FROM repute.tombstones) || (SELECT count(*) FROM repute.policies)
        || (SELECT md5(string_agg(login || role, ',' ORDER BY login)) FROM repute.team)
        || (SELECT count(*) FROM repute.mentions)
        || (SELECT md5(coalesce(string_agg(id || ':' || coalesce(claimed_by, '') || ':' || coalesce(assigned_to, ''),
          ',' ORDER BY id), '')) FROM repute.mentions WHERE claimed_by IS NOT NULL OR assigned_to IS NOT NULL)
        || (SELECT count(*) || md5(coalesce(string_agg(author, ',' ORDER BY id), '')) FROM repute.notes)
        || (SELECT count(*) || md5(coalesce(string_agg(author, ',' ORDER BY id), '')) FROM repute.escalation_notes)
        || (SELECT count(*) || md5(coalesce(string_agg(mention_id || author, ',' ORDER BY mention_id, author), ''))
          FROM repute.drafts)
      """
    ).text
  }

  /// `psql -At -c SQL` on the store's database, as `login` (the server's superuser when nil).
  static func sql(_ store: E2EStore, as login: String?, _ statement: String) throws -> (
    status: Int32, text: String
  ) {
    let log = store.folder.appendingPathComponent("psql-\(UUID().uuidString).out").path
    defer { try? FileManager.default.removeItem(atPath: log) }
    let status = try TmuxSession.spawn(
      psql,
      [
        "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", store.address(as: login.map { $0.capitalized }),
        "-c",
        statement,
      ],
      environment: ProcessInfo.processInfo.environment, stdout: log)
    let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
    return (status, text.trimmingCharacters(in: .whitespacesAndNewlines))
  }
}

import Foundation
import Testing

/// `repute reply` and `repute outbox` through the real binary (issue 5), on a store file and on
/// PostgreSQL alike (issue 18).
@Suite struct ReplyCLITests {
  /// Past every cooling-off window of the mentions `mentionLine` writes (2026-11-24T09:30Z).
  let later = ["REPUTE_NOW": "2026-11-24T12:00:00Z"]

  /// Anna alone on the roster, as `repute init --name Anna` makes a store: replies are signed
  /// with her name.
  static let roster = "[[team]]\nname = \"Anna\"\nlogin = \"anna\"\nrole = \"supervisor\"\n"

  func store(_ kind: CLIKind, lines: [String]) throws -> CLIStore {
    try CLIStore(kind, lines, roster: Self.roster, environment: later)
  }

  func reply(_ dir: CLIStore, _ arguments: [String], now: [String: String]? = nil) throws
    -> ReputeProcess.Result
  {
    try dir.run("Anna", ["reply"] + arguments, environment: now ?? later)
  }

  func outbox(_ dir: CLIStore) throws -> [[String: Any]] {
    let listed = try dir.run(nil, ["outbox", "--json"])
    #expect(listed.status == 0, "\(listed.stderr)")
    return listed.lines.map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
  }

  @Test(arguments: CLIStores.kinds) func aReplyIsSignedOncePrintsItsOutboxIdAndShowsInTheOutboxAsJSONLines(
    kind: CLIKind
  ) throws {
    let dir = try store(
      kind, lines: [mentionLine(1, platform: "mastodon"), mentionLine(2, platform: "mastodon")])
    // English, as the mentions are: a reply in another language asks first (S13).
    let first = try reply(dir, ["1", "--text", "Thank you, great to hear 😊"])
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.lines == ["1"])
    let typed = try reply(dir, ["2", "--text", "Thanks! – Anna"])
    #expect(typed.lines == ["2"], "\(typed.stderr)")
    let records = try outbox(dir)
    #expect(
      records.map { $0["text"] as? String } == ["Thank you, great to hear 😊 – Anna", "Thanks! – Anna"])
    let keys = [
      "id", "mention_id", "responder", "kind", "text", "status", "created_at", "updated_at",
      "idempotency_key",
      "attempts", "next_attempt_at", "platform_post_id", "platform_url", "error", "reviewed_by",
      "review_note", "unverified_at",
    ]
    let line = try dir.run(nil, ["outbox", "--json"]).lines[0]
    // Fields in the documented order.
    let positions = keys.map { line.range(of: "\"\($0)\":")?.lowerBound }
    #expect(positions.allSatisfy { $0 != nil })
    #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
    #expect(records[0]["status"] as? String == "queued" && records[0]["responder"] as? String == "Anna")
    #expect(
      records[0]["kind"] as? String == "reply"
        && records[0]["created_at"] as? String == "2026-11-24T12:00:00.000Z")
    let text = try dir.run(nil, ["outbox"])
    #expect(text.lines.first?.hasPrefix("#1  queued  reply  mention 1  Anna") == true)
    let shown = try dir.run(nil, ["show", "1", "--json"])
    #expect(shown.stdout.contains(#""status":"replied""#))
  }

  @Test(arguments: CLIStores.kinds) func aRepliedComplaintIsBackOnTheClockForItsS10FollowUpInListJSON(
    kind: CLIKind
  ) throws {
    let complaint = "My train was cancelled and nobody answers my emails"
    let dir = try store(
      kind,
      lines: [
        mentionLine(1, text: complaint, platform: "mastodon"),
        mentionLine(2, text: complaint, platform: "mastodon"),
      ])
    let sent = try reply(dir, ["1", "--text", "So sorry about this, we are on it.", "--yes"])
    #expect(sent.status == 0, "\(sent.stderr)")
    func list(_ now: String) throws -> [[String: Any]] {
      let listed = try dir.run(nil, ["list", "--json"], environment: ["REPUTE_NOW": now])
      #expect(listed.status == 0, "\(listed.stderr)")
      return listed.lines.map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    }
    // Answered Tuesday 13:00 in Amsterdam; 24 service hours later is Thursday 14:00 (13:00Z).
    var rows = try list("2026-11-24T12:00:00Z")
    #expect(rows.map { $0["external_id"] as? String } == ["2", "1"])  // the overdue first response first
    let answered = rows[1]
    #expect(answered["status"] as? String == "replied")
    #expect(answered["follow_up_due"] as? Bool == true)
    #expect(answered["clock"] as? String == "on_time")
    #expect(answered["next_deadline"] as? String == "2026-11-26T13:00:00.000Z")
    #expect((answered["deadlines"] as? [String: Any])?["follow_up"] as? String == "2026-11-26T13:00:00.000Z")
    #expect(answered["due_in_seconds"] as? Int == 49 * 3600)
    #expect(rows[0]["follow_up_due"] as? Bool == false)
    rows = try list("2026-11-26T14:00:00Z")
    #expect(rows.first { $0["external_id"] as? String == "1" }?["clock"] as? String == "overdue")
    // `r` again: a follow-up reply fulfils it; nothing is due any more.
    let followUp = try reply(
      dir, ["1", "--text", "Did the refund arrive?", "--yes"], now: ["REPUTE_NOW": "2026-11-26T14:00:00Z"])
    #expect(followUp.status == 0, "\(followUp.stderr)")
    rows = try list("2026-11-26T14:00:00Z")
    let done = try #require(rows.first { $0["external_id"] as? String == "1" })
    #expect(done["follow_up_due"] as? Bool == false)
    #expect(done["clock"] as? String == "none")
    #expect(done["next_deadline"] is NSNull)
    #expect(try outbox(dir).map { $0["kind"] as? String } == ["reply", "follow_up"])
  }

  @Test(arguments: CLIStores.kinds) func aReplyOverXsLimitIsRefusedWithTheReasonAndExitOneEvenWithYes(
    kind: CLIKind
  ) throws {
    let dir = try store(
      kind, lines: [mentionLine(1, platform: "x")])
    let long = String(repeating: "We kijken er direct naar. ", count: 11)
    let refused = try reply(dir, ["1", "--text", long, "--yes"])
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("blocking S12 too_long"))
    #expect(refused.stderr.contains("of 280 characters on x (signature counted)"))
    #expect(refused.stdout.isEmpty)
    #expect(try outbox(dir).isEmpty)
  }

  @Test(arguments: CLIStores.kinds) func aWarningOrTheCoolingOffWindowNeedsYes(kind: CLIKind) throws {
    let dir = try store(
      kind, lines: [mentionLine(1, platform: "mastodon")])
    let shouting = try reply(dir, ["1", "--text", "Thanks for this!!!"])
    #expect(shouting.status == 1)
    #expect(shouting.stderr.contains("asks: 1 warning: S2"))
    #expect(shouting.stderr.contains("pass --yes"))
    // One minute after the mention: inside the cooling-off window of a complaint (S11).
    let early = ["REPUTE_NOW": "2026-11-24T09:31:00Z"]
    let dir2 = try store(
      kind,
      lines: [
        mentionLine(1, text: "My train was cancelled again and nobody helps, terrible", platform: "mastodon")
      ])
    let cooling = try reply(dir2, ["1", "--text", "We are sorry to hear that."], now: early)
    #expect(cooling.status == 1, "\(cooling.stderr)")
    #expect(cooling.stderr.contains("S11: the cooling-off window runs until"))
    let confirmed = try reply(dir2, ["1", "--text", "We are sorry to hear that.", "--yes"], now: early)
    #expect(confirmed.status == 0, "\(confirmed.stderr)")
    #expect(confirmed.stderr.contains("confirmed: S11"))
    #expect(try outbox(dir2).count == 1)
    #expect(try outbox(dir).isEmpty)
  }

  @Test(arguments: CLIStores.kinds) func aSecondReplyIsAFollowUpNamingTheFirstAndHoldingStopsTheClock(
    kind: CLIKind
  ) throws {
    let dir = try store(
      kind, lines: [mentionLine(1, platform: "mastodon"), mentionLine(2, platform: "mastodon")])
    #expect(try reply(dir, ["1", "--text", "Thank you, Tom."]).status == 0)
    let again = try reply(dir, ["1", "--text", "And one more thing."])
    #expect(again.status == 1)
    #expect(again.stderr.contains("Already answered by Anna at"))
    #expect(again.stderr.contains("(#1, queued)"))
    #expect(try reply(dir, ["1", "--text", "And one more thing.", "--yes"]).status == 0)
    let holding = try reply(
      dir, ["2", "--holding", "--text", "We are looking into it; you will hear from us today."])
    #expect(holding.status == 0, "\(holding.stderr)")
    #expect(try outbox(dir).map { $0["kind"] as? String } == ["reply", "follow_up", "holding"])
    // A holding reply to a mention answered already asks too, and stays a holding reply.
    let lateHolding = try reply(dir, ["1", "--holding", "--text", "We are checking this with the team."])
    #expect(lateHolding.status == 1)
    #expect(lateHolding.stderr.contains("Already answered by Anna"))
    let shown = try dir.run(nil, ["show", "2", "--json"])
    #expect(shown.stdout.contains(#""status":"holding""#))
  }

  @Test(arguments: CLIStores.kinds) func anUnknownMentionIsAUsageError(kind: CLIKind) throws {
    let dir = try store(
      kind, lines: [mentionLine(1)])
    let missing = try reply(dir, ["99", "--text", "hello"])
    #expect(missing.status == 2)
    #expect(missing.stderr.contains("no mention with id 99"))
  }

  @Test(arguments: CLIStores.kinds) func aTextSignedByATeammateIsBlockedWithExit1AndNothingQueued(
    kind: CLIKind
  ) throws {
    let dir = try store(
      kind, lines: [mentionLine(1, platform: "mastodon")])
    let policy = dir.dir.write(
      "policy.toml",
      "[[team]]\nname = \"Anna\"\nlogin = \"anna\"\n\n[[team]]\nname = \"Sam\"\nlogin = \"sam\"\n")
    // Anna, the supervisor of the roster in force: on the server only one may apply a policy.
    let applied = try dir.run("Anna", ["policy", "apply", policy])
    #expect(applied.status == 0, "\(applied.stderr)")
    let signed = try reply(dir, ["1", "--text", "Thanks, we are on it. - SAM", "--yes"])
    #expect(signed.status == 1)
    #expect(
      signed.stderr.contains(
        "blocking S16 signed_as_other: Signed as Sam, you are Anna: end the reply with \"– Anna\", not \"– Sam\"."
      ), "\(signed.stderr)")
    #expect(try outbox(dir).isEmpty)
    let own = try reply(dir, ["1", "--text", "Thanks, we are on it."])
    #expect(own.status == 0, "\(own.stderr)")
    #expect(try outbox(dir).map { $0["text"] as? String } == ["Thanks, we are on it. – Anna"])
  }
}

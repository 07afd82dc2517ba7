import Foundation
import Inbox
import Store
import Testing

/// Every action of the inbox from the command line (issue 16): the same writes, rules and audit
/// trail as the inbox's keys, with the exit statuses `repute reply` has. On a store file and on
/// PostgreSQL alike (issue 18), each person as the roster's login role there.
@Suite(.serialized) struct ActionCommandsCLITests {
  let env = ["REPUTE_NOW": "2026-11-24T12:00:00Z", "TZ": "UTC"]

  /// A complaint (1), a question (2) and a legal threat (3), with Anna and Bram responders and
  /// Carmen supervisor on the roster.
  func seeded(_ kind: CLIKind) throws -> CLIStore {
    let lines = [
      #"{"platform":"mastodon","id":"1","author":{"handle":"sanne"},"created_at":"2026-11-24T11:55:00Z","text":"Mijn trein is alweer geannuleerd en niemand weet iets, echt belachelijk.","lang":"nl"}"#,
      #"{"platform":"mastodon","id":"2","author":{"handle":"tom"},"created_at":"2026-11-24T11:55:00Z","text":"Hoe laat vertrekt de eerste trein naar Utrecht?","lang":"nl"}"#,
      #"{"platform":"x","id":"3","author":{"handle":"boos"},"created_at":"2026-11-24T11:50:00Z","text":"Mijn advocaat stuurt jullie een brief over de vertraging.","lang":"nl"}"#,
    ]
    return try CLIStore(kind, lines, environment: env)
  }

  func run(_ store: CLIStore, _ who: String, _ arguments: [String]) throws -> ReputeProcess.Result {
    try store.run(who, arguments)
  }

  func json(_ r: ReputeProcess.Result) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
  }

  func events(_ store: CLIStore, mention id: Int64) throws -> [(actor: String, action: String)] {
    try store.events(mention: id)
  }

  @Test(arguments: CLIStores.kinds) func claimKeepsATeammatesClaimUnlessTakenOverAndReleaseIsTheHoldersOnly(
    kind: CLIKind
  ) throws {
    let dir = try seeded(kind)
    let first = try run(dir, "Anna", ["claim", "1", "--json"])
    #expect(first.status == 0, "\(first.stderr)")
    #expect(try json(first)["outcome"] as? String == "claimed")
    #expect(try json(first)["actor"] as? String == "Anna")
    let again = try run(dir, "Anna", ["claim", "1"])
    #expect(again.status == 0)
    #expect(again.stdout.contains("claimed by you already"))
    let bram = try run(dir, "Bram", ["claim", "1"])
    #expect(bram.status == 1)
    #expect(bram.stderr.contains("claimed by Anna since Tue 24 Nov"), "\(bram.stderr)")
    #expect(bram.stderr.contains("--take-over"))
    let release = try run(dir, "Bram", ["release", "1"])
    #expect(release.status == 1)
    #expect(release.stderr.contains("claimed by Anna, not by you"))
    let taken = try run(dir, "Bram", ["claim", "1", "--take-over", "--json"])
    #expect(taken.status == 0, "\(taken.stderr)")
    #expect(try json(taken)["from"] as? String == "Anna")
    #expect(try run(dir, "Bram", ["release", "1"]).status == 0)
    #expect(try run(dir, "Bram", ["release", "1"]).stdout.contains("was not claimed"))
    let trail = try events(dir, mention: 1).filter { ["claim", "release"].contains($0.action) }
    #expect(trail.map(\.actor) == ["Anna", "Bram", "Bram"])
    #expect(trail.map(\.action) == ["claim", "claim", "release"])
  }

  /// On a file only: on the server a person is the login role, and a role off the roster is
  /// refused there (`ServerCLITests`).
  @Test func aNameNotOnTheRosterIsRefused() throws {
    let dir = try seeded(.sqlite)
    let r = try run(dir, "Zoe", ["claim", "1"])
    #expect(r.status == 2)
    #expect(r.stderr.contains("Zoe"), "\(r.stderr)")
  }

  @Test(arguments: CLIStores.kinds) func snoozeSaysTheDayAndTimeAndWarnsWhenItOutlastsTheTarget(kind: CLIKind)
    throws
  {
    let dir = try seeded(kind)
    let short = try run(dir, "Anna", ["snooze", "2", "--until", "30m", "--json"])
    #expect(short.status == 0, "\(short.stderr)")
    #expect(try json(short)["until"] as? String == "2026-11-24T12:30:00.000Z")
    #expect(!short.stderr.contains("warning"))
    let long = try run(dir, "Anna", ["snooze", "1", "--until", "2026-11-26T09:00"])
    #expect(long.status == 0, "\(long.stderr)")
    #expect(long.stdout.contains("until Thu 26 Nov"), "\(long.stdout)")
    #expect(long.stderr.contains("before the snooze ends"), "\(long.stderr)")
    let bad = try run(dir, "Anna", ["snooze", "1", "--until", "soon"])
    #expect(bad.status == 2)
    #expect(bad.stderr.contains("2026-12-08T09:00"))
    let past = try run(dir, "Anna", ["snooze", "1", "--until", "2026-11-20T09:00"])
    #expect(past.status == 1)
    #expect(past.stderr.contains("not in the future"))
  }

  @Test(arguments: CLIStores.kinds) func noReplyOnAComplaintTakesAListedReasonAndReopenUndoesIt(kind: CLIKind)
    throws
  {
    let dir = try seeded(kind)
    let refused = try run(dir, "Anna", ["no-reply", "1", "--reason", "te druk"])
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("one of the policy's reasons"), "\(refused.stderr)")
    let closed = try run(dir, "Anna", ["no-reply", "1", "--reason", "1", "--json"])
    #expect(closed.status == 0, "\(closed.stderr)")
    let reason = try #require(try json(closed)["reason"] as? String)
    #expect(reason.lowercased().contains("offline"), "\(reason)")
    let reopened = try run(dir, "Anna", ["reopen", "1"])
    #expect(reopened.status == 0, "\(reopened.stderr)")
    let notClosed = try run(dir, "Anna", ["reopen", "2"])
    #expect(notClosed.status == 1)
    #expect(try events(dir, mention: 1).map(\.action).suffix(2) == ["no_reply", "reopen"])
  }

  @Test(arguments: CLIStores.kinds) func recategoriseWatchEscalateAndNoteLeaveTheirTrail(kind: CLIKind) throws
  {
    let dir = try seeded(kind)
    let re = try run(dir, "Anna", ["recategorise", "2", "complaint", "--json"])
    #expect(re.status == 0, "\(re.stderr)")
    #expect(try json(re)["category"] as? String == "complaint")
    #expect(try run(dir, "Anna", ["recategorise", "2", "gossip"]).status == 2)
    let watch = try run(dir, "Anna", ["watch", "2"])
    #expect(watch.status == 0, "\(watch.stderr)")
    #expect(watch.stdout.contains("watching @tom"))
    #expect(try run(dir, "Anna", ["watch", "2"]).stdout.contains("watched already"))
    #expect(try run(dir, "Anna", ["unwatch", "2"]).stdout.contains("no longer watching @tom"))
    let escalated = try run(dir, "Anna", ["escalate", "2", "--note", "Vraagt al dagen", "--json"])
    #expect(escalated.status == 0, "\(escalated.stderr)")
    #expect(try json(escalated)["escalation_id"] as? Int != nil)
    #expect(try run(dir, "Anna", ["note", "2", "--text", "Gebeld, morgen terug"]).status == 0)
    let actions = try events(dir, mention: 2).map(\.action)
    for action in ["recategorise", "watch", "unwatch", "escalate", "note"] {
      #expect(actions.contains(action), "\(actions)")
    }
    #expect(try run(dir, "Anna", ["note", "2", "--text", "  "]).status == 64)
  }

  @Test(arguments: CLIStores.kinds) func approveAndSendBackAreASupervisorsAndNeverForTheirOwnReply(
    kind: CLIKind
  ) throws {
    let dir = try seeded(kind)
    let sent = try run(
      dir, "Anna",
      ["reply", "3", "--yes", "--text", "Dank voor je bericht. We nemen contact met je op over je brief."])
    #expect(sent.status == 0, "\(sent.stderr)")
    let outboxID = sent.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    let byResponder = try run(dir, "Bram", ["approve", outboxID])
    #expect(byResponder.status == 1)
    #expect(byResponder.stderr.contains("only a supervisor"), "\(byResponder.stderr)")
    let back = try run(dir, "Carmen", ["send-back", outboxID, "--note", "Noem de termijn"])
    #expect(back.status == 0, "\(back.stderr)")
    // Sent back, it no longer waits: approving it now is refused by the outbox's state.
    let late = try run(dir, "Carmen", ["approve", outboxID])
    #expect(late.status == 1)
    #expect(late.stderr.contains("returned"), "\(late.stderr)")
    let again = try run(
      dir, "Anna",
      [
        "reply", "3", "--yes", "--text",
        "Dank voor je bericht. We bellen je binnen twee werkdagen over je brief.",
      ])
    let second = again.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    let approved = try run(dir, "Carmen", ["approve", second, "--json"])
    #expect(approved.status == 0, "\(approved.stderr)")
    #expect(try json(approved)["outcome"] as? String == "queued")
    #expect(try run(dir, "Carmen", ["approve", "999"]).status == 2)
  }

  @Test(arguments: CLIStores.kinds) func theStoreRefusesFourEyesOnOnesOwnReply(kind: CLIKind) throws {
    let dir = try seeded(kind)
    let store = try #require(try dir.open() as? any OutboxStore)
    let sent = try run(
      dir, "Anna",
      ["reply", "3", "--yes", "--text", "Dank voor je bericht. We nemen contact met je op over je brief."])
    let id = try #require(Int64(sent.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
    #expect(throws: OutboxError.ownReply(id)) {
      try store.returnReply(id: id, note: "zelf", actor: "anna")
    }
  }

  @Test(arguments: CLIStores.kinds) func aQueuedReplyIsWithdrawnWithItsReasonAndTheMentionIsOpenAgain(
    kind: CLIKind
  ) throws {
    let dir = try seeded(kind)
    let sent = try run(dir, "Anna", ["reply", "2", "--yes", "--text", "Om 6:12 vanaf spoor 5. – Anna"])
    #expect(sent.status == 0, "\(sent.stderr)")
    let outboxID = sent.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    let bram = try run(dir, "Bram", ["withdraw", outboxID, "--reason", "niet de mijne"])
    #expect(bram.status == 1)
    #expect(bram.stderr.contains("Anna's"), "\(bram.stderr)")
    let done = try run(dir, "Anna", ["withdraw", outboxID, "--reason", "verkeerde tijd", "--json"])
    #expect(done.status == 0, "\(done.stderr)")
    #expect(try json(done)["restored"] as? Bool == true)
    let listed = try dir.run(nil, ["outbox", "--json"])
    #expect(listed.stdout.contains(#""status":"withdrawn""#), "\(listed.stdout)")
    let shown = try dir.run(nil, ["show", "2", "--json"])
    #expect(shown.stdout.contains(#""status":"open""#), "\(shown.stdout)")
    #expect(try events(dir, mention: 2).map(\.action).last == "withdraw_reply")
    let again = try run(dir, "Anna", ["withdraw", outboxID, "--reason", "nog eens"])
    #expect(again.status == 1)
  }
}

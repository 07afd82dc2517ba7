import Foundation
import Inbox
import Store
import Testing

/// `repute person` (issue 16): the timeline the inbox's `p` shows, the note on the person and
/// linked identities, with `--json`, the audit trail and the action commands' exit statuses. On a
/// store file and on PostgreSQL alike (issue 18).
@Suite(.serialized) struct PersonTimelineCLITests {
  let env = ["REPUTE_NOW": "2026-11-24T12:00:00Z", "TZ": "UTC"]

  /// Sanne complained twice on Mastodon (1, 2) and once on Bluesky (3); Tom asked (4).
  func seeded(_ kind: CLIKind) throws -> CLIStore {
    let lines = [
      #"{"platform":"mastodon","id":"1","author":{"handle":"sanne"},"created_at":"2026-11-20T09:00:00Z","text":"Mijn trein is alweer geannuleerd en niemand weet iets, echt belachelijk.","lang":"nl"}"#,
      #"{"platform":"mastodon","id":"2","author":{"handle":"sanne"},"created_at":"2026-11-24T11:00:00Z","text":"Weer vertraging, dit is echt belachelijk.","lang":"nl"}"#,
      #"{"platform":"bluesky","id":"3","author":{"handle":"sanne.bsky.social"},"created_at":"2026-11-24T11:30:00Z","text":"Ook hier: geen trein.","lang":"nl"}"#,
      #"{"platform":"mastodon","id":"4","author":{"handle":"tom"},"created_at":"2026-11-24T11:55:00Z","text":"Hoe laat vertrekt de eerste trein naar Utrecht?","lang":"nl"}"#,
    ]
    return try CLIStore(kind, lines, environment: env)
  }

  /// `repute ARGUMENTS…` as `who` (nobody named: whoever runs the tests).
  func run(_ dir: CLIStore, _ arguments: [String], as who: String? = nil) throws -> ReputeProcess.Result {
    try dir.run(who, arguments)
  }

  func json(_ r: ReputeProcess.Result) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
  }

  @Test(arguments: CLIStores.kinds) func timelineByIdAndHandleInTextAndJSON(kind: CLIKind) throws {
    let dir = try seeded(kind)
    let byID = try run(dir, ["person", "2"])
    #expect(byID.status == 0, "\(byID.stderr)")
    #expect(byID.stdout.hasPrefix("Timeline · @sanne\n"), "\(byID.stdout)")
    #expect(byID.stdout.contains("Weer vertraging") && byID.stdout.contains("alweer geannuleerd"))
    #expect(!byID.stdout.contains("Utrecht"))
    let byHandle = try run(dir, ["person", "@sanne", "--platform", "mastodon"])
    #expect(byHandle.stdout == byID.stdout)
    let object = try json(try run(dir, ["person", "mastodon:@sanne", "--json"]))
    #expect(object["posts"] as? Int == 2)
    let newestPost = (object["timeline"] as? [[String: Any]])?.first { $0["kind"] as? String == "mention" }
    #expect(newestPost?["text"] as? String == "Weer vertraging, dit is echt belachelijk.")
    // Unknown: exit 2 with the reason; a bad form: exit 2 too.
    let nobody = try run(dir, ["person", "@nobody"])
    #expect(nobody.status == 2 && nobody.stderr.contains("no author @nobody"))
  }

  @Test(arguments: CLIStores.kinds) func noteLinkAndUnlinkWithTheTrail(kind: CLIKind) throws {
    let dir = try seeded(kind)
    let noted = try run(dir, ["person", "note", "@sanne", "--text", "Vaste reiziger Utrecht"], as: "Anna")
    #expect(noted.status == 0, "\(noted.stderr)")
    let linked = try run(dir, ["person", "link", "1", "bluesky:@sanne.bsky.social", "--json"], as: "Anna")
    #expect(linked.status == 0, "\(linked.stderr)")
    #expect(try json(linked)["outcome"] as? String == "linked")
    // Linked: the Bluesky identity's timeline holds both, and the note.
    let both = try run(dir, ["person", "3"])
    #expect(both.stdout.contains("Ook hier: geen trein.") && both.stdout.contains("Weer vertraging"))
    #expect(both.stdout.contains("Note (Anna): Vaste reiziger Utrecht"), "\(both.stdout)")
    // Linking again is refused (exit 1); unlink, then unlink again is refused too.
    #expect(try run(dir, ["person", "link", "3", "2"], as: "Anna").status == 1)
    #expect(try run(dir, ["person", "unlink", "3"], as: "Anna").status == 0)
    #expect(try run(dir, ["person", "unlink", "3"], as: "Anna").status == 1)
    let log = try run(dir, ["log", "--json"])
    #expect(log.stdout.contains("person_link") && log.stdout.contains("person_unlink"))
    #expect(log.stdout.contains("person_note"))
  }
}

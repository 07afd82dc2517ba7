import Foundation
import Inbox
import Store
import Testing

/// Clear words through the binary (issue 14): what went wrong, and what to do about it.
@Suite(.serialized) struct ClearWordsCLITests {
  let now = ["REPUTE_NOW": "2026-11-24T12:00:00Z"]

  /// A mistyped command is named as unknown with the nearest one, not blamed on the inbox. On a
  /// file only: what it checks besides the words is that a typo makes no store file.
  @Test func anUnknownCommandSuggestsTheNearest() throws {
    let dir = TempFolder()
    let r = try ReputeProcess.run(["lst", "--store", dir.store], environment: now)
    #expect(r.status == 64, "EX_USAGE: \(r.stderr)")
    #expect(r.stderr.contains("unknown command 'lst': did you mean 'list'?"), "\(r.stderr)")
    #expect(!r.stderr.contains("Unexpected argument"), "\(r.stderr)")
    #expect(!FileManager.default.fileExists(atPath: dir.store), "a typo creates no store")
  }

  /// A word far from every command is unknown, with the list of commands to choose from.
  @Test func aWordFarFromEveryCommandListsThem() throws {
    let r = try ReputeProcess.run(["xyzzyplugh"], environment: now)
    #expect(r.status == 64, "\(r.stderr)")
    #expect(r.stderr.contains("unknown command 'xyzzyplugh'"), "\(r.stderr)")
    #expect(r.stderr.contains("list"), "\(r.stderr)")
  }

  /// A negative limit says what a limit must be, on a store file and on PostgreSQL alike.
  @Test(arguments: CLIStores.kinds) func aNegativeLimitSaysWhatIsWrong(kind: CLIKind) throws {
    let store = try CLIStore(kind, [], environment: now)
    let r = try store.run(nil, ["list", "--limit", "-1"])
    #expect(r.status == 64, "\(r.stderr)")
    #expect(r.stderr.contains("--limit must be at least 1"), "\(r.stderr)")
  }
}

/// The first run, with no store yet (issue 14).
@Suite(.serialized) struct FirstRunCLITests {
  let now = ["REPUTE_NOW": "2026-11-24T12:00:00Z"]

  /// `repute` with no store says where the store would be and how mentions get in, and makes none.
  /// On a file only: it is about a store file's path and that none is made.
  @Test func theFirstRunSaysWhereTheStoreIsAndHowToFillIt() throws {
    let dir = TempFolder()
    for arguments in [[], ["inbox"]] {
      let r = try ReputeProcess.run(arguments, environment: now.merging(["REPUTE_STORE": dir.store]) { $1 })
      #expect(r.status == 1, "\(arguments): \(r.stderr)")
      #expect(r.stderr.contains("no store at \(dir.store) yet"), "\(r.stderr)")
      for way in ["repute demo", "repute ingest FILE", "repute watch"] {
        #expect(r.stderr.contains(way), "\(way): \(r.stderr)")
      }
      #expect(!FileManager.default.fileExists(atPath: dir.store), "no empty store made silently")
    }
  }
}

/// `repute reply` says what became of the reply (issue 14), on a store file and on PostgreSQL
/// alike (issue 18).
@Suite(.serialized) struct ReplyWordsCLITests {
  let env = ["REPUTE_NOW": "2026-11-24T12:00:00Z", "TZ": "UTC"]

  /// A legal threat (1) with Anna and Bram responders and Carmen supervisor: replies are only sent
  /// as someone the roster names, and a responder's reply to a legal threat waits for a supervisor.
  func legalMention(_ kind: CLIKind) throws -> CLIStore {
    let line =
      #"{"platform":"x","id":"9","author":{"handle":"boos"},"created_at":"2026-11-24T11:50:00Z","text":"Mijn advocaat stuurt jullie een brief over de vertraging.","lang":"nl"}"#
    return try CLIStore(kind, [line], environment: env)
  }

  /// A reply that waits for four eyes says so, and why, not only its id.
  @Test(arguments: CLIStores.kinds) func aReplyWaitingForApprovalSaysSo(kind: CLIKind) throws {
    let dir = try legalMention(kind)
    let r = try dir.run(
      "Anna",
      ["reply", "1", "--yes", "--text", "Dank voor je bericht. We nemen contact met je op over je brief."])
    #expect(r.status == 0, "\(r.stderr)")
    let id = r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(Int(id) != nil, "stdout stays the outbox id for scripts: \(r.stdout)")
    #expect(
      r.stderr.contains("reply #\(id) is waiting for a supervisor's approval (legal or press)"), "\(r.stderr)"
    )
  }

  /// A teammate's claim from the command line names who claimed it and when, with no editor in it.
  @Test(arguments: CLIStores.kinds) func aClaimSaysWhoAndWhen(kind: CLIKind) throws {
    let dir = try legalMention(kind)
    let claimed = try dir.run("Bram", ["claim", "1"], environment: ["REPUTE_NOW": "2026-11-24T11:55:00Z"])
    #expect(claimed.status == 0, "\(claimed.stderr)")
    let r = try dir.run("Anna", ["reply", "1", "--text", "Dank voor je bericht, we kijken ernaar."])
    #expect(r.status == 1, "\(r.stderr)")
    #expect(r.stderr.contains("Bram claimed this mention on 2026-11-24 11:55"), "\(r.stderr)")
    #expect(!r.stderr.contains("editor"), "\(r.stderr)")
  }
}

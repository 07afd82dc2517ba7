import Foundation
import Inbox
import Testing

/// Issue 14, one language per screen: `show` and `classify` speak the language the inbox would
/// (`--ui-lang`, else LC_ALL, LC_MESSAGES, LANG), advice words and labels included. `show` on a
/// store file and on PostgreSQL alike (issue 18); `classify` of a text reads no store.
@Suite(.serialized) struct OneLanguageCLITests {
  static let complaint = "Mijn trein is alweer geannuleerd en niemand weet iets, echt belachelijk."
  static let english = ["LC_ALL": "", "LC_MESSAGES": "", "LANG": "en_GB.UTF-8"]
  static let dutch = ["LC_ALL": "", "LC_MESSAGES": "", "LANG": "nl_NL.UTF-8"]

  func store(_ kind: CLIKind) throws -> CLIStore {
    let line =
      #"{"platform":"mastodon","id":"1","author":{"handle":"sanne"},"created_at":"2026-11-24T11:55:00Z","text":"\#(Self.complaint)","lang":"nl"}"#
    return try CLIStore(kind, [line], environment: [:])
  }

  @Test(arguments: CLIStores.kinds, [["--ui-lang", "nl"], []])
  func showSpeaksDutchWhenTheInboxWould(kind: CLIKind, flag: [String]) throws {
    let dir = try store(kind)
    let r = try dir.run(nil, ["show", "1"] + flag, environment: Self.dutch)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("advies:   excuses, dan opvolgen, zelfde platform"), "\(r.stdout)")
    #expect(!r.stdout.contains("apologise_then_follow_up") && !r.stdout.contains("same_platform"))
  }

  @Test(arguments: CLIStores.kinds) func showKeepsTheCodesInEnglish(kind: CLIKind) throws {
    let dir = try store(kind)
    let r = try dir.run(nil, ["show", "1", "--ui-lang", "en"], environment: Self.dutch)
    #expect(r.stdout.contains("advice:   apologise_then_follow_up, same_platform"), "\(r.stdout)")
  }

  @Test(arguments: [["--ui-lang", "nl"], []])
  func classifySpeaksDutchWhenTheInboxWould(flag: [String]) throws {
    let r = try ReputeProcess.run(["classify"] + flag + [Self.complaint], environment: Self.dutch)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.hasPrefix("klacht ("), "\(r.stdout)")
    #expect(r.stdout.contains("  advies:  excuses, dan opvolgen, zelfde platform"), "\(r.stdout)")
    #expect(r.stdout.contains("  signalen: "), "\(r.stdout)")
    #expect(!r.stdout.contains("apologise_then_follow_up") && !r.stdout.contains("complaint_cue"))
  }

  @Test func classifyExplainsInTheUILanguageNotTheText() throws {
    let dutch = try ReputeProcess.run(
      ["classify", "--ui-lang", "nl", Self.complaint], environment: Self.english)
    let english = try ReputeProcess.run(
      ["classify", "--ui-lang", "en", Self.complaint], environment: Self.english)
    #expect(english.stdout.hasPrefix("complaint ("), "\(english.stdout)")
    #expect(english.stdout.contains("  advice:  apologise_then_follow_up"), "\(english.stdout)")
    // The explanation (the last line) differs with the reader's language, for the same Dutch text.
    let explanation = { (out: String) in out.split(separator: "\n").last.map(String.init) ?? "" }
    #expect(explanation(dutch.stdout) != explanation(english.stdout), "\(dutch.stdout)\n\(english.stdout)")
  }
}

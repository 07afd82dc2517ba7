import Desk
import Foundation
import Inbox
import Policy
import Testing

@testable import InboxUI

/// The filter language of the `f` prompt and `repute list --filter` (issue 16), in both languages.
@Suite struct FilterWordsTests {
  let zone = TimeZone(identifier: "Europe/Amsterdam")!

  func parse(_ text: String, me: String? = "Anna") -> (QueueFilter, [String]) {
    let (filter, unknown) = FilterWords.parse(text, me: me, timeZone: zone)
    return (filter, unknown)
  }

  @Test func englishWords() {
    let (f, unknown) = parse("mine category:complaint status:closed lang:NL escalated watched unclaimed")
    #expect(unknown.isEmpty)
    #expect(f.claimants == ["Anna"] && f.unclaimed && f.escalated && f.watched)
    #expect(f.categories == [.complaint] && f.statuses == [.replied, .noReply] && f.languages == ["nl"])
  }

  @Test func dutchWords() {
    let (f, unknown) = parse(
      "mijn categorie:klacht status:gesluimerd taal:en geëscaleerd gevolgd vrij klok:te_laat")
    #expect(unknown.isEmpty)
    #expect(f.claimants == ["Anna"] && f.unclaimed && f.escalated && f.watched && f.clocks == [.overdue])
    #expect(f.categories == [.complaint] && f.statuses == [.snoozed] && f.languages == ["en"])
  }

  @Test func statusWordsNameEveryStatus() {
    #expect(parse("status:no-reply").0.statuses == [.noReply])
    #expect(parse("no-reply geen-reactie").0.statuses == [.noReply])
    #expect(parse("status:replied status:open").0.statuses == [.replied, .open])
    #expect(parse("snoozed").0.statuses == [.snoozed])
    #expect(parse("status:gesloten").0.statuses == [.replied, .noReply])
  }

  @Test func claimedKeepsTheNamesCase() {
    #expect(parse("claimed:Bob geclaimd:Carla").0.claimants == ["Bob", "Carla"])
  }

  @Test("claimed:/assigned: take the roster's login or first name for the stored full name")
  func namesAreReadByTheRoster() {
    let team = [
      TeamMember(name: "Carmen de Wit", login: "cdewit"), TeamMember(name: "Anna de Vries", login: "anna"),
      TeamMember(name: "Anna Bakker", login: "abakker"),
    ]
    func people(_ text: String) -> (Set<String>, Set<String>, [String]) {
      let (f, unknown) = FilterWords.parse(text, me: "Anna de Vries", timeZone: zone, team: team)
      return (f.claimants, f.assignees, unknown)
    }
    #expect(people("claimed:carmen") == (["Carmen de Wit"], [], []))
    #expect(people("geclaimd:CDEWIT toegewezen:Carmen") == (["Carmen de Wit"], ["Carmen de Wit"], []))
    #expect(people("assigned:anna") == ([], ["Anna de Vries"], []))  // the login before a first name
    #expect(people("assigned:abakker") == ([], ["Anna Bakker"], []))
    // Not on the roster, or a first name two people share: compared as typed (the prompt and
    // `--filter` refuse the shared one first: `ambiguous`).
    #expect(people("claimed:Zoë claimed:bakker") == (["Zoë", "bakker"], [], []))
    let shared = [TeamMember(name: "Bram Smit", login: "bs"), TeamMember(name: "Bram Vos", login: "bv")]
    #expect(
      FilterWords.parse("claimed:bram", me: nil, timeZone: zone, team: shared).filter.claimants == ["bram"])
  }

  @Test("a first name two people share is named ambiguous, with both full names")
  func sharedFirstNamesAreAmbiguous() {
    let team = [
      TeamMember(name: "Anna de Vries", login: "avries"), TeamMember(name: "Anna Bakker", login: "abakker"),
      TeamMember(name: "Carmen de Wit", login: "cdewit"),
    ]
    let found = FilterWords.ambiguous("complaint claimed:anna toegewezen:Anna assigned:carmen", team: team)
    #expect(found.map(\.word) == ["claimed:anna", "toegewezen:Anna"])
    #expect(found.first?.candidates == ["Anna de Vries", "Anna Bakker"])
    // A full name, a login, a single first name or a name off the roster is not ambiguous.
    #expect(FilterWords.ambiguous("claimed:avries assigned:carmen claimed:Zoë mine anna", team: team).isEmpty)
  }

  @Test func daysAreReadInTheServiceHoursZone() {
    let (f, unknown) = parse("since:2026-12-01 until:2026-12-02")
    #expect(unknown.isEmpty)
    // Midnight in Amsterdam (UTC+1 in December), and `until` takes in the whole day named.
    #expect(f.since == Date(timeIntervalSince1970: 1_796_079_600))
    #expect(f.until == Date(timeIntervalSince1970: 1_796_079_600 + 2 * 86_400))
    // The prompt is prefilled with the days as typed, which read back to the same filter.
    #expect(f.words == "since:2026-12-01 until:2026-12-02")
    #expect(parse(f.words).0 == f)
  }

  @Test func wordsItDoesNotKnowAreNamed() {
    #expect(
      parse("mine klachtje status:weg since:gisteren lang:1 platform:myspace").1 == [
        "klachtje", "status:weg", "since:gisteren", "lang:1", "platform:myspace",
      ])
    #expect(parse("mine", me: nil).1 == ["mine"])
    #expect(parse("claimed:").1 == ["claimed:"])
  }

  @Test func theExistingWordsStillWork() {
    let (f, unknown) = parse("praise overdue mastodon @bluesky")
    #expect(unknown.isEmpty)
    #expect(f.categories == [.praise] && f.clocks == [.overdue] && f.platforms == ["mastodon", "bluesky"])
  }

  @Test func theInboxPromptParsesTheSameLanguage() {
    let (f, unknown) = QueueFilter.parse(
      "mine status:closed", strings: Strings(.nl), me: "Anna", timeZone: zone)
    #expect(unknown.isEmpty && f.claimants == ["Anna"] && f.statuses == [.replied, .noReply])
  }
}

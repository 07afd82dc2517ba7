import Desk
import Foundation
import Inbox
import InboxBackend
import InboxUI
import Policy
import Store
import TerminalUI
import Testing

/// Issue 14 in the inbox: the no-reply prompt offers the policy's reasons, the snooze prompt warns
/// when a snooze outlasts the target and says the day it ends, deadlines show their outcome.
@Suite("Honest clocks in the inbox")
struct HonestClocksUITests {
  let keys = InboxKeys.table(Strings(.en))

  func state(select: Int, language: UILanguage = .en) -> InboxState {
    var s = PaneSnapshotTests.state(Size(width: 120, height: 30), language: language, select: select)
    s.timeZone = TimeZone(identifier: "UTC")!
    return s
  }

  func press(_ s: inout InboxState, _ script: [String]) -> [InboxEffect] {
    Event.script(script).flatMap { s.handle($0, keys: keys) }
  }

  @Test("x on praise starts empty: the reason typed is the reason stored")
  func praisePrefill() {
    var s = state(select: 3)
    #expect(s.selectedRow?.mention.category == .praise)
    let effects = press(&s, ["x", "thanked nobody (S3)", "<Enter>"])
    #expect(effects == [.perform(.noReply(reason: "thanked nobody (S3)"), ids: [4])])
  }

  @Test("x on a complaint offers the policy's reasons and refuses others")
  func complaintReasons() {
    var s = state(select: 0)
    #expect(s.selectedRow?.mention.category == .complaint)
    _ = press(&s, ["x"])
    let footer = InboxRenderer.render(s, theme: .standard).text(ofRow: 29)
    #expect(footer.contains("1 handled offline (S7)"), "\(footer)")
    #expect(footer.contains("2 duplicate"))
    #expect(press(&s, ["te druk", "<Enter>"]).isEmpty)
    #expect(s.message?.isError == true)
    #expect(s.mode == .prompt(.noReply))
    _ = press(&s, ["<Esc>", "x"])
    #expect(press(&s, ["2", "<Enter>"]) == [.perform(.noReply(reason: "duplicate"), ids: [1])])
    _ = press(&s, ["x"])
    #expect(press(&s, ["sp", "<Enter>"]) == [.perform(.noReply(reason: "spam"), ids: [1])])
  }

  @Test("the snooze prompt warns when the snooze outlasts the target")
  func snoozeWarning() {
    var s = state(select: 1)
    #expect(s.selectedRow?.mention.category == .question)
    _ = press(&s, ["s", "10m"])
    #expect(!InboxRenderer.render(s, theme: .standard).text(ofRow: 29).contains("target"))
    _ = press(&s, ["<BS>", "<BS>", "<BS>", "2d"])
    let footer = InboxRenderer.render(s, theme: .standard).text(ofRow: 29)
    #expect(footer.contains("past its target 10:48: back as overdue then"), "\(footer)")
    #expect(
      press(&s, ["<Enter>"]) == [.perform(.snooze(until: fixedNow.addingTimeInterval(2 * 86_400)), ids: [2])])
  }

  @Test("the snooze confirmation gives the day and time", arguments: [UILanguage.en, .nl])
  func snoozeConfirmation(language: UILanguage) throws {
    let (source, store) = try seededSource(language: language)
    source.timeZone = TimeZone(identifier: "UTC")!
    let id = try #require(try store.mentionID(platform: "mastodon", externalID: "m1"))
    let said = try source.perform(
      .snooze(until: fixedNow.addingTimeInterval(86_400 + 1200)), on: [id], actor: "Anna")
    #expect(said == (language == .en ? "snoozed until Tue 3 Mar 10:20" : "gesluimerd tot di 3 mrt 10:20"))
  }

  static func answered(minutesLate: Double) -> QueueRow {
    var row = PaneSnapshotTests.row(
      1, "sanne", .complaint, minutesAgo: 180, dueIn: -60,
      "Mijn trein naar Utrecht is weer geannuleerd 😡 en niemand weet iets.", status: .replied)
    row.mention.deadlines.firstResponseAt = fixedNow.addingTimeInterval((-60 + minutesLate) * 60)
    return row
  }

  @Test(
    "a met and a late first response show their outcome, not a deadline", arguments: [UILanguage.en, .nl])
  func deadlineOutcome(language: UILanguage) {
    for (name, late) in [("met", -8.0), ("late", 143.0)] {
      var s = PaneSnapshotTests.state(Size(width: 80, height: 24), language: language)
      s.rows = [Self.answered(minutesLate: late)]
      s.list.setCount(1, height: s.layout.queueListHeight)
      s.list.select(0, height: s.layout.queueListHeight)
      s.selectedID = 1
      var detail = PaneSnapshotTests.detail(for: s.rows[0])
      detail.reopensConversation = false
      detail.thread = []
      detail.earlier = []
      detail.notes = []
      detail.advice = nil
      detail.signals = []
      s.detail = detail
      s.detailOpen = true
      s.focus = .detail
      let pane = InboxRenderer.render(s, theme: .standard)
      assertSnapshot(pane, named: "detail-deadline-\(name)-80x24-\(language.rawValue)")
      let lines = DetailText.lines(detail, state: s, width: 78).map { $0.spans.map(\.text).joined() }
      let first = lines.first { $0.contains(language == .en ? "first response" : "eerste reactie") } ?? ""
      switch (name, language) {
      case ("met", .en): #expect(first.contains("met at 09:52"), "\(first)")
      case ("met", _): #expect(first.contains("gehaald om 09:52"), "\(first)")
      case (_, .en): #expect(first.contains("answered 2h23m late"), "\(first)")
      default: #expect(first.contains("2u23m te laat beantwoord"), "\(first)")
      }
      #expect(!first.contains("ago") && !first.contains("geleden"), "\(first)")
    }
  }

  @Test(
    "an answered follow-up shows its outcome, a pending one its deadline", arguments: [UILanguage.en, .nl])
  func followUpOutcome(language: UILanguage) {
    for (name, late) in [("met", -3.0), ("late", 143.0)] {
      var s = PaneSnapshotTests.state(Size(width: 80, height: 24), language: language)
      var row = Self.answered(minutesLate: -8)
      // The follow-up was due 30 minutes ago and answered `late` minutes after that.
      row.mention.deadlines.followUp = nil
      row.mention.deadlines.followUpAnsweredDue = fixedNow.addingTimeInterval(-30 * 60)
      row.mention.deadlines.followUpAt = fixedNow.addingTimeInterval((-30 + late) * 60)
      s.rows = [row]
      var detail = PaneSnapshotTests.detail(for: row)
      detail.advice = nil
      s.detail = detail
      let lines = DetailText.lines(detail, state: s, width: 78).map { $0.spans.map(\.text).joined() }
      let follow =
        lines.first {
          $0.trimmingCharacters(in: .whitespaces).hasPrefix(language == .en ? "follow-up " : "opvolging ")
        }
        ?? ""
      switch (name, language) {
      case ("met", .en): #expect(follow.contains("met at 10:27 (target 10:30)"), "\(follow)")
      case ("met", _): #expect(follow.contains("gehaald om 10:27"), "\(follow)")
      case (_, .en): #expect(follow.contains("answered 2h23m late"), "\(follow)")
      default: #expect(follow.contains("2u23m te laat beantwoord"), "\(follow)")
      }
      // A pending follow-up counts down instead.
      row.mention.deadlines.followUp = fixedNow.addingTimeInterval(20 * 60)
      let pending =
        DetailText.lines(PaneSnapshotTests.detail(for: row), state: s, width: 78)
        .map { $0.spans.map(\.text).joined() }
        .first {
          $0.trimmingCharacters(in: .whitespaces).hasPrefix(language == .en ? "follow-up " : "opvolging ")
        }
        ?? ""
      #expect(!pending.contains(language == .en ? "met at" : "gehaald om"), "\(pending)")
      #expect(!pending.contains(language == .en ? "late" : "te laat"), "\(pending)")
    }
  }
}

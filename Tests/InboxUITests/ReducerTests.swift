import Desk
import Foundation
import Inbox
import InboxUI
import Policy
import TerminalUI
import Testing

@Suite("The reducer")
struct ReducerTests {
  let keys = InboxKeys.table(Strings(.en))

  func state(rows: Int = 30, size: Size = Size(width: 120, height: 30)) -> InboxState {
    var s = InboxState(strings: Strings(.en), actor: "Anna", storeLabel: "t", size: size, now: fixedNow)
    s.rows = (0..<rows).map { i in
      QueueRow(
        mention: Mention(
          id: Int64(i + 1), platform: "x", externalID: "e\(i)", url: nil, author: Author(handle: "a\(i)"),
          createdAt: fixedNow, ingestedAt: fixedNow, text: "t\(i)", lang: "en", inReplyTo: nil, thread: nil,
          staff: false, category: .question, status: .open, deadlines: MentionDeadlines(), editCount: 0))
    }
    s.list.setCount(rows, height: s.layout.queueListHeight)
    return s
  }

  func press(_ s: inout InboxState, _ script: [String]) -> [InboxEffect] {
    Event.script(script).flatMap { s.handle($0, keys: keys) }
  }

  @Test("j/k, pages and g/G move the selection within the queue")
  func movement() {
    var s = state()
    #expect(press(&s, ["j", "j"]) == [.syncWindow, .syncWindow])
    #expect(s.list.selected == 2)
    _ = press(&s, ["k"])
    #expect(s.list.selected == 1)
    _ = press(&s, ["G"])
    #expect(s.list.selected == 29)
    _ = press(&s, ["g"])
    #expect(s.list.selected == 0)
    _ = press(&s, ["<PgDn>"])
    #expect(s.list.selected == s.layout.queueListHeight - 1)
  }

  @Test("actions apply to the selected mention, or to every marked one")
  func targets() {
    var s = state()
    #expect(press(&s, ["c"]) == [.perform(.claim, ids: [1])])
    _ = press(&s, ["v", "<Space>", "<Space>"])
    #expect(s.marked == [1, 2])
    #expect(press(&s, ["w"]) == [.perform(.watch, ids: [1, 2])])
    _ = press(&s, ["<Esc>"])
    #expect(s.marked.isEmpty)
  }

  @Test("prompts collect text and submit an action")
  func prompts() {
    var s = state()
    _ = press(&s, ["N"])
    #expect(s.mode == .prompt(.note))
    let effects = press(&s, ["Bel haar terug", "<Enter>"])
    #expect(effects == [.perform(.note("Bel haar terug"), ids: [1])])
    #expect(s.mode == .queue)
    _ = press(&s, ["s", "2h", "<Enter>"])
    _ = press(&s, ["s", "soon", "<Enter>"])
    #expect(s.message?.isError == true)
    _ = press(&s, ["e", "juridisch?", "<Esc>"])
    #expect(s.mode == .queue && s.input.isEmpty)
  }

  @Test("recategorise picks a category by number")
  func recategorise() {
    var s = state()
    _ = press(&s, ["t"])
    #expect(s.mode == .pickCategory)
    #expect(press(&s, ["1"]) == [.perform(.recategorise(.complaint), ids: [1])])
  }

  @Test("filter and search narrow the queue; Esc clears them")
  func filterAndSearch() {
    var s = state()
    #expect(press(&s, ["f", "complaint overdue mastodon", "<Enter>"]) == [.reload])
    #expect(
      s.filter.categories == [.complaint] && s.filter.clocks == [.overdue]
        && s.filter.platforms == ["mastodon"])
    #expect(press(&s, ["/", "trein", "<Enter>"]) == [.reload])
    #expect(s.filter.search == "trein" && s.filter.categories == [.complaint])
    #expect(press(&s, ["f", "flurb", "<Enter>"]).isEmpty)
    #expect(s.message?.isError == true)
    #expect(press(&s, ["<Esc>"]) == [.reload])
    #expect(s.filter == QueueFilter())
  }

  @Test("the filter prompt refuses a first name two people share, naming both")
  func ambiguousName() {
    var s = state()
    s.team = [
      TeamMember(name: "Anna de Vries", login: "avries"), TeamMember(name: "Anna Bakker", login: "abakker"),
    ]
    #expect(press(&s, ["f", "claimed:anna", "<Enter>"]).isEmpty)
    #expect(s.message?.isError == true)
    #expect(
      s.message?.text == "claimed:anna is ambiguous, give the full name or login: Anna de Vries / Anna Bakker"
    )
    #expect(s.filter == QueueFilter())
    #expect(press(&s, ["f", "claimed:avries", "<Enter>"]) == [.reload])
    #expect(s.filter.claimants == ["Anna de Vries"])
  }

  @Test("Dutch filter words work too")
  func dutchFilter() {
    let (filter, unknown) = QueueFilter.parse("klacht te_laat beantwoord", strings: Strings(.nl))
    #expect(unknown.isEmpty)
    #expect(filter.categories == [.complaint] && filter.clocks == [.overdue] && filter.statuses == [.replied])
  }

  @Test("resize switches between side by side and one pane, keeping the selection")
  func resize() {
    var s = state()
    _ = press(&s, ["j", "j", "j"])
    #expect(s.layout.sideBySide && s.detailOpen)
    _ = s.handle(.resize(Size(width: 70, height: 20)), keys: keys)
    #expect(!s.layout.sideBySide && !s.detailOpen)
    #expect(s.list.selected == 3)
    _ = press(&s, ["<Enter>"])
    #expect(s.layout.queue.width == 0 && s.layout.detail.width == 70)
    _ = press(&s, ["<Esc>"])
    #expect(!s.detailOpen)
    _ = s.handle(.resize(Size(width: 120, height: 30)), keys: keys)
    #expect(s.detailOpen && s.list.selected == 3)
    _ = s.handle(.resize(Size(width: 50, height: 10)), keys: keys)
    #expect(s.layout.tooSmall)
  }

  @Test("help opens on ? and closes on Esc, ? or q without quitting")
  func help() {
    var s = state()
    _ = press(&s, ["?"])
    #expect(s.mode == .help)
    #expect(press(&s, ["q"]).isEmpty)
    #expect(s.mode == .queue)
    #expect(press(&s, ["q"]) == [.quit])
    #expect(press(&s, ["<C-c>"]) == [.quit])
    #expect(s.handle(.terminated(.signal(15)), keys: keys) == [.quit])
  }

  @Test("r and H open the editor on the selected mention")
  func later() {
    var s = state()
    let id = s.selectedRow!.id
    #expect(press(&s, ["r"]) == [.openEditor(id, .reply)])
    #expect(press(&s, ["H"]) == [.openEditor(id, .holding)])
  }

  @Test("a click selects a row, the wheel scrolls")
  func mouse() {
    var s = state()
    _ = s.handle(.mouse(MouseEvent(.press(.left), at: Position(row: 6, column: 3))), keys: keys)
    #expect(s.list.selected == 4)
    _ = s.handle(.mouse(MouseEvent(.wheelDown, at: Position(row: 6, column: 3))), keys: keys)
    #expect(s.list.offset == 3)
  }

  @Test("snooze times: minutes, hours, days, a time of day")
  func snooze() {
    let tz = TimeZone(identifier: "UTC")!
    #expect(Snooze.parse("30m", now: fixedNow) == fixedNow.addingTimeInterval(1800))
    #expect(Snooze.parse("2u", now: fixedNow) == fixedNow.addingTimeInterval(7200))
    #expect(Snooze.parse("1d", now: fixedNow) == fixedNow.addingTimeInterval(86_400))
    #expect(Snooze.parse("17:00", now: fixedNow, timeZone: tz) == RFC3339.parse("2026-03-02T17:00:00Z"))
    #expect(Snooze.parse("09:00", now: fixedNow, timeZone: tz) == RFC3339.parse("2026-03-03T09:00:00Z"))
    #expect(Snooze.parse("later", now: fixedNow) == nil)
  }
}

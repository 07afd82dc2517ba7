import Desk
import Foundation
import Inbox
import InboxBackend
import InboxUI
import Policy
import Store
import TerminalUI
import Testing

/// Assignment and notices in the inbox (issue 16): the notice line at the smallest and the usual
/// size in both languages, the notices list, the assign prompt, and the whole app on a store.
@Suite("Assign and notices in the inbox")
struct NoticesUITests {
  static func notice(_ id: Int64, _ kind: NoticeKind, mention: Int64, handle: String, read: Bool = false)
    -> Notice
  {
    Notice(
      id: id, recipient: "Anna", kind: kind, mentionID: mention, outboxID: nil,
      actor: kind == .assigned || kind == .sentBack ? "Carmen" : nil,
      note: kind == .sentBack ? "Geen toezeggingen" : nil,
      createdAt: fixedNow.addingTimeInterval(-Double(id) * 300), readAt: read ? fixedNow : nil, handle: handle
    )
  }

  static let list: [Notice] = [
    notice(1, .assigned, mention: 2, handle: "tom"),
    notice(2, .sentBack, mention: 1, handle: "sanne"),
    notice(3, .threadReply, mention: 5, handle: "nieuw"),
    notice(4, .delivered, mention: 3, handle: "jager", read: true),
  ]

  static func state(_ size: Size, _ language: UILanguage) -> InboxState {
    var s = PaneSnapshotTests.state(size, language: language)
    s.notices = NoticeSummary(unread: 3, newest: list[0])
    return s
  }

  @Test(
    "the notice line: the count always, the newest notice where there is room", arguments: UILanguage.allCases
  )
  func noticeLine(language: UILanguage) {
    for size in [Size(width: 60, height: 16), Size(width: 80, height: 24)] {
      let canvas = InboxRenderer.render(Self.state(size, language), theme: .standard)
      assertSnapshot(canvas, named: "notice-line-\(size.width)x\(size.height)-\(language.rawValue)")
      #expect(canvas.text(ofRow: 0).contains("✉ 3"))
    }
  }

  @Test("the notices list and the assign prompt")
  func panes() {
    var s = Self.state(Size(width: 80, height: 24), .en)
    s.noticeList = Self.list
    s.noticeSelected = 1
    s.mode = .notices
    assertSnapshot(InboxRenderer.render(s, theme: .standard), named: "notices-80x24")
    s.strings = Strings(.nl)
    assertSnapshot(InboxRenderer.render(s, theme: .standard), named: "notices-80x24-nl")
    var p = Self.state(Size(width: 80, height: 24), .en)
    p.mode = .prompt(.assign)
    p.assignable = ["anna", "bram", "bart", "carmen"]
    p.input = "b"
    assertSnapshot(InboxRenderer.render(p, theme: .standard), named: "prompt-assign-80x24")
  }

  func source(_ language: UILanguage = .en) throws -> (StoreSource, SQLiteStore) {
    let (store, base) = try makeStore()
    var policy = base
    policy.team.append(TeamMember(name: "Carmen", login: "carmen", role: .supervisor))
    _ = try store.ingest(sampleMentions, actor: "test", annotator: PolicyAnnotator(policy: policy))
    return (StoreSource(store: store, policy: policy, strings: Strings(language)), store)
  }

  func app(_ source: StoreSource, as actor: String) -> (InboxApp, MemoryTerminal) {
    let terminal = MemoryTerminal(size: Size(width: 100, height: 24), events: [], eventWhenExhausted: nil)
    let app = InboxApp(
      terminal: terminal, source: source, theme: .standard, strings: Strings(.en), actor: actor,
      storeLabel: "test.sqlite", now: { fixedNow })
    return (app, terminal)
  }

  @Test("A: a supervisor assigns with a completed name; a responder is told it is not theirs")
  func assign() throws {
    let (source, store) = try source()
    let (carmen, terminal) = app(source, as: "Carmen")
    carmen.start()
    let selected = try #require(carmen.state.selectedID)
    carmen.play(terminal, ["A", "b", "<Tab>"])
    #expect(carmen.state.input == "bram")
    carmen.play(terminal, ["<Enter>"])
    #expect(try store.entry(id: selected)?.assignedTo == "Bram")
    #expect(terminal.screenText().last?.contains("assigned to Bram") == true)
    #expect(try store.notices(for: "Bram").map(\.kind) == [.assigned])
    let (anna, annaTerminal) = app(source, as: "Anna")
    anna.start()
    anna.play(annaTerminal, ["A"])
    #expect(anna.state.mode == .queue)
    #expect(annaTerminal.screenText().last?.contains("only a supervisor assigns") == true)
  }

  @Test("the assignee's notice line, the list, and Enter to the mention (marked read); mine lists it")
  func notices() throws {
    let (source, store) = try source()
    let target = try #require(try store.mentionID(platform: "mastodon", externalID: "m4"))
    _ = try store.assign(id: target, to: "Anna", actor: "Carmen")
    let (anna, terminal) = app(source, as: "Anna")
    anna.start()
    #expect(terminal.screenText()[0].contains("✉ 1 notice"), "\(terminal.screenText()[0])")
    anna.play(terminal, ["m"])
    #expect(anna.state.mode == .notices)
    #expect(terminal.screenText().joined().contains("Carmen assigned #\(target) (@lotte) to you"))
    anna.play(terminal, ["<Enter>"])
    #expect(anna.state.mode == .queue)
    #expect(anna.state.selectedID == target)
    #expect(anna.state.notices.unread == 0)
    #expect(try store.noticeSummary(for: "Anna").unread == 0)
    anna.play(terminal, ["f"] + "mine".map(String.init) + ["<Enter>"])
    #expect(anna.state.rows.map(\.id) == [target])
  }
}

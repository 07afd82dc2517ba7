import Desk
import Foundation
import Inbox
import InboxBackend
import Policy
import Store
import TerminalUI
import Testing

@testable import InboxUI

/// The escalation pane: snapshots of a fixed board, the reducer's keys, and the whole app on a
/// real store (a responder's `e` appearing on the supervisor's pane).
@Suite("The escalation pane")
struct SupervisorPaneTests {
  static func board() -> SupervisorBoard {
    let rows = PaneSnapshotTests.rows
    var figures = TeamFigures(now: fixedNow, since: fixedNow.addingTimeInterval(-7 * 86_400))
    figures.open = [.complaint: [.overdue: 1, .onTime: 2], .question: [.dueSoon: 1, .cooling: 1]]
    figures.today = TargetShare(within: 4, late: 2, pending: 1)
    figures.week = TargetShare(within: 30, late: 6, pending: 1)
    figures.byCategory = [
      .question: ResponseTimes([600, 1200, 1800]), .complaint: ResponseTimes([2400, 5400]),
    ]
    figures.byResponder = ["Anna": ResponseTimes([600, 1200, 1800]), "Bram": ResponseTimes([2400, 5400])]
    figures.overall = ResponseTimes([600, 1200, 1800, 2400, 5400])
    figures.hourly = [0, 0, 1, 0, 2, 1, 0, 0, 0, 0, 1, 2, 3, 5, 4, 2, 1, 1, 0, 2, 3, 6, 9, 12]
    var holding = rows[1]
    holding.mention.status = .holding
    holding.mention.deadlines.followUp = fixedNow.addingTimeInterval(4 * 3600)
    return SupervisorBoard(
      escalations: [
        BoardEscalation(
          id: 11, reason: "legal_or_press", state: "new", owner: nil, severity: 3,
          createdAt: fixedNow.addingTimeInterval(-12 * 60), createdBy: "policy", mention: rows[2].mention),
        BoardEscalation(
          id: 12, reason: "by_hand", state: "acknowledged", owner: "Sam", severity: 2,
          createdAt: fixedNow.addingTimeInterval(-50 * 60), createdBy: "Anna",
          notes: [
            TeamNote(
              at: fixedNow.addingTimeInterval(-50 * 60), author: "Anna", text: "Klant dreigt met de krant")
          ],
          mention: rows[0].mention, claimedBy: "Anna"),
        BoardEscalation(
          id: 13, reason: "overdue", state: "new", owner: nil, severity: 1,
          createdAt: fixedNow.addingTimeInterval(-5 * 60), createdBy: "policy", mention: rows[5].mention),
      ],
      approvals: [
        BoardApproval(
          id: 21, mention: rows[3].mention, text: "Dank je wel, Lotte! Fijn om te horen. – Bram",
          author: "Bram",
          queuedAt: fixedNow.addingTimeInterval(-3 * 60), why: "legal/press")
      ],
      overdue: [rows[0]], holding: [holding],
      watched: [
        BoardWatched(
          platform: "x", handle: "angry", followers: 40, since: fixedNow.addingTimeInterval(-2 * 86_400),
          watchedBy: "Anna", mentionCount: 3, latest: [rows[5].mention], reactions: 2)
      ],
      figures: figures)
  }

  static func state(_ size: Size, language: UILanguage = .en, select: Int = 1) -> InboxState {
    var s = PaneSnapshotTests.state(size, language: language)
    s.supervisor = SupervisorViewState(active: true, board: board())
    s.supervisor.selected = select
    s.mode = .supervisor
    return s
  }

  @Test("wide: the boards beside the team's figures")
  func wide() {
    let canvas = InboxRenderer.render(Self.state(Size(width: 140, height: 40)), theme: .standard)
    assertSnapshot(canvas, named: "supervisor-140x40")
    let text = canvas.text
    #expect(text.contains("Escalation pane"))
    #expect(text.contains("legal/press"))
    #expect(text.contains("Klant dreigt met de krant"))
    #expect(text.contains(Sparkline.render(Self.board().figures!.hourly) + "  max 12"))
    // The selected escalation's line is drawn selected; the foreign escape stays visible text.
    #expect(canvas[3, 2].style == Theme.standard[.queueSelected])
    #expect(!text.unicodeScalars.contains { $0.value == 0x1B })
  }

  @Test("80×24 in Dutch: one column, the figures below")
  func narrowDutch() {
    assertSnapshot(
      InboxRenderer.render(Self.state(Size(width: 80, height: 24), language: .nl), theme: .standard),
      named: "supervisor-80x24-nl")
  }

  @Test("moving down far enough scrolls to the watched authors and the figures")
  func scrolled() {
    let canvas = InboxRenderer.render(Self.state(Size(width: 80, height: 24), select: 6), theme: .standard)
    assertSnapshot(canvas, named: "supervisor-80x24-watched")
    #expect(canvas.text.contains("@angry"))
  }

  /// The fixed board with two deliveries that need a person: an unverified one and a failed one.
  static func deliveriesState(_ size: Size, language: UILanguage = .en, select: Int) -> InboxState {
    let rows = PaneSnapshotTests.rows
    var s = state(size, language: language, select: select)
    s.supervisor.board?.deliveries = [
      BoardDelivery(
        id: 31, mention: rows[0].mention, status: "unverified", responder: "Anna",
        text: "Wat vervelend, Sanne! We zoeken uit welke trein je kunt nemen. – Anna",
        message: "Mastodon answered 200 but named no post; checking again with the same Idempotency-Key",
        updatedAt: fixedNow.addingTimeInterval(-2 * 60), nextCheck: fixedNow.addingTimeInterval(2 * 60)),
      BoardDelivery(
        id: 32, mention: rows[1].mention, status: "failed", responder: "Bram",
        text: "Yes, a bike needs a reservation on Sundays. – Bram",
        message: "Mastodon answered 200 but named no post; check the account's posts before retrying",
        updatedAt: fixedNow.addingTimeInterval(-50 * 60)),
    ]
    return s
  }

  @Test("deliveries that need a person: the mention, the responder, the reply's start, the message")
  func deliveries() throws {
    // Items: three escalations, one approval, then the deliveries; the unverified one selected.
    let canvas = InboxRenderer.render(
      Self.deliveriesState(Size(width: 140, height: 40), select: 4), theme: .standard)
    assertSnapshot(canvas, named: "supervisor-deliveries-140x40")
    let lines = canvas.text.components(separatedBy: "\n")
    #expect(lines.contains { $0.contains("Deliveries that need a person (2)") })
    let failed = try #require(lines.firstIndex { $0.contains("failed") && $0.contains("@tom") })
    #expect(lines[failed].contains("by Bram") && lines[failed].contains("Yes, a bike"))
    #expect(lines[failed + 1].contains("Mastodon answered 200 but named no post; check the account's posts"))
    // Selected: the whole reply and the message with the next check.
    #expect(canvas.text.contains("Wat vervelend, Sanne! We zoeken uit welke trein je kunt nemen. – Anna"))
    #expect(canvas.text.contains("checking again with the same Idempotency-Key ·"))
    #expect(canvas.text.contains("    next check 11:02"))
    // A failed delivery's status is drawn as overdue.
    let column = try #require(lines[failed].range(of: "failed")).lowerBound.utf16Offset(in: lines[failed])
    #expect(
      canvas[failed, column].style == Theme.standard[.escalation].patched(with: Theme.standard[.queueOverdue])
    )
    var keys = Self.deliveriesState(Size(width: 140, height: 40), select: 4)
    #expect(keys.supervisor.selectedItem == .delivery(31))
    // A delivery takes no approval key: the pane says to choose a reply awaiting approval.
    #expect(keys.handleSupervisor(.approve) == [])
    #expect(keys.message?.isError == true)
  }

  @Test("80×24 in Dutch: the deliveries section in words of its own")
  func deliveriesDutch() {
    let canvas = InboxRenderer.render(
      Self.deliveriesState(Size(width: 80, height: 24), language: .nl, select: 5), theme: .standard)
    assertSnapshot(canvas, named: "supervisor-deliveries-80x24-nl")
    #expect(canvas.text.contains("Verzendingen die iemand nodig hebben (2)"))
    #expect(canvas.text.contains("mislukt"))
  }

  @Test("the board on a real store lists unverified and recently failed replies, not sent ones")
  func deliveriesOnStore() throws {
    let (source, store) = try seededSource()
    let id = try #require(try store.mentionID(platform: "mastodon", externalID: "m1"))
    let other = try #require(try store.mentionID(platform: "mastodon", externalID: "m3"))
    let unverified = try store.enqueueReply(
      mentionID: id, responder: "Bram", kind: .reply, text: "Excuses, we zoeken het uit. – Bram",
      policy: source.policy)
    try store.markUnverified(
      id: unverified.id, error: "Mastodon answered 200 but named no post; checking again",
      retryAt: fixedNow.addingTimeInterval(60), at: fixedNow)
    let sent = try store.enqueueReply(
      mentionID: other, responder: "Anna", kind: .reply, text: "Yes. – Anna", policy: source.policy)
    try store.markSent(id: sent.id, postID: "9000", url: nil)
    let board = try source.board(now: fixedNow)
    #expect(board.deliveries.map(\.id) == [unverified.id])
    let d = try #require(board.deliveries.first)
    #expect(d.status == "unverified" && d.responder == "Bram" && d.mention.id == id)
    #expect(d.message == "Mastodon answered 200 but named no post; checking again")
    #expect(d.nextCheck == fixedNow.addingTimeInterval(60))
    #expect(board.items.contains(.delivery(unverified.id)))
  }

  @Test("keys: E toggles, a/R/A/N act on the selected escalation, y/b on a reply")
  func keys() {
    let keys = InboxKeys.table(Strings(.en))
    var s = PaneSnapshotTests.state(Size(width: 120, height: 30))
    func press(_ script: [String]) -> [InboxEffect] {
      Event.script(script).flatMap { s.handle($0, keys: keys) }
    }
    #expect(press(["E"]) == [.loadBoard])
    #expect(s.mode == .supervisor)
    s.supervisor.replace(Self.board())
    #expect(press(["a"]) == [.supervise(.acknowledge(escalation: 11))])
    #expect(press(["j", "R"]).isEmpty)
    #expect(s.mode == .prompt(.resolve))
    #expect(
      press(Array("Gebeld".map(String.init)) + ["<Enter>"]) == [
        .supervise(.resolve(escalation: 12, note: "Gebeld"))
      ])
    #expect(s.mode == .supervisor)
    _ = press(["A"])
    #expect(s.input == "Sam")
    _ = press(["<BS>", "<BS>", "<BS>"] + Array("bram".map(String.init)))
    #expect(press(["<Enter>"]) == [.supervise(.reassign(escalation: 12, to: "bram"))])
    #expect(
      press(["N"] + Array("ok".map(String.init)) + ["<Enter>"]) == [
        .supervise(.note(escalation: 12, text: "ok"))
      ])
    // y on an escalation: choose a reply first.
    #expect(press(["y"]).isEmpty)
    #expect(s.message?.isError == true)
    _ = press(["j", "j"])
    #expect(press(["y"]) == [.supervise(.approve(reply: 21))])
    #expect(press(["b", "<Enter>"]).isEmpty)
    #expect(s.message?.text == "say why it goes back")
    #expect(
      press(["b", "t", "o", "o", " ", "l", "o", "n", "g", "<Enter>"]) == [
        .supervise(.sendBack(reply: 21, note: "too long"))
      ])
    // Inbox keys are not silently applied to the pane's selection.
    #expect(press(["c"]).isEmpty)
    #expect(press(["E"]) == [.reload])
    #expect(s.mode == .queue)
    s.supervisor.allowed = false
    #expect(press(["E"]).isEmpty)
    #expect(s.message?.text.contains("supervisors") == true)
  }

  @Test("the app on a real store: an escalation by hand shows on the pane, acknowledge and resolve")
  func appOnStore() throws {
    let (source, store) = try seededSource()
    let (responderApp, responderTerminal) = makeApp(source)
    responderApp.start()
    responderApp.play(responderTerminal, ["e"] + Array("Belt de krant".map(String.init)) + ["<Enter>"])
    #expect(responderApp.state.message?.text == "escalated to the supervisor")

    let supervisorSource = StoreSource(store: store, policy: source.policy, strings: Strings(.en))
    let (app, terminal) = makeApp(supervisorSource, language: .en)
    app.configureSupervisor(supervisorSource, allowed: true, open: true)
    app.start()
    var screen = terminal.screenText().joined(separator: "\n")
    #expect(screen.contains("Escalation pane"))
    #expect(screen.contains("by hand           @sanne"))
    // Selected, the escalation shows the responder's note under it.
    let byHand = try #require(app.state.supervisor.board?.escalations.firstIndex { $0.reason == "by_hand" })
    app.play(terminal, Array(repeating: "j", count: byHand))
    screen = terminal.screenText().joined(separator: "\n")
    #expect(screen.contains("    10:00 Anna: Belt de krant"))
    app.play(terminal, ["a"])
    #expect(app.state.message?.text == "acknowledged")
    app.play(terminal, ["R"] + Array("Gebeld".map(String.init)) + ["<Enter>"])
    #expect(app.state.message?.text == "resolved")
    #expect(app.state.supervisor.board?.escalations.contains { $0.reason == "by_hand" } == false)
    screen = terminal.screenText().joined(separator: "\n")
    #expect(screen.contains("Team figures"))
    // The figures are counted on a thread of their own and arrive within a few passes.
    // At most 500 passes of 20 ms: a bound that reads no clock.
    for _ in 0..<500 where app.state.supervisor.board?.figures == nil {
      app.step(nil)
      Thread.sleep(forTimeInterval: 0.02)
    }
    let figures = try #require(app.state.supervisor.board?.figures)
    #expect(figures.openCount(.complaint) == 1)
    #expect(terminal.screenText().joined(separator: "\n").contains("First response within target"))
  }

  @Test("four eyes on the pane: a reply awaiting approval, approved by someone else, never by its writer")
  func approvals() throws {
    let (source, store) = try seededSource()
    let id = try #require(try store.mentionID(platform: "mastodon", externalID: "m1"))
    let other = try #require(try store.mentionID(platform: "mastodon", externalID: "m3"))
    let byBram = try store.enqueueReply(
      mentionID: id, responder: "Bram", kind: .reply, text: "Excuses, we zoeken het uit. – Bram",
      policy: source.policy,
      needsApproval: true)
    let own = try store.enqueueReply(
      mentionID: other, responder: "Anna", kind: .reply, text: "Yes, on Sundays too. – Anna",
      policy: source.policy,
      needsApproval: true)
    let (app, terminal) = makeApp(source)
    app.configureSupervisor(source, allowed: true, open: true)
    app.start()
    let board = try #require(app.state.supervisor.board)
    #expect(board.approvals.map(\.id) == [byBram.id, own.id])
    #expect(terminal.screenText().joined(separator: "\n").contains("by Bram"))
    let first = try #require(board.items.firstIndex(of: .approval(byBram.id)))
    app.play(terminal, Array(repeating: "j", count: first + 1) + ["y"])
    #expect(app.state.message?.text.contains("four eyes") == true)
    #expect(try store.outboxRecord(id: own.id)?.status == .awaitingApproval)
    app.play(terminal, ["k", "y"])
    #expect(app.state.message?.text == "approved: the reply may go out")
    #expect(try store.outboxRecord(id: byBram.id)?.status == .queued)
    #expect(app.state.supervisor.board?.approvals.map(\.id) == [own.id])
  }

  @Test(
    "four eyes from the editor's side: a responder's reply to a legal matter waits, a supervisor's does not")
  func editorAsksForApproval() throws {
    var mentions = sampleMentions
    mentions.append(
      mention("m7", "boos", minutesAgo: 30, "Mijn advocaat neemt contact met jullie op over de vertraging."))
    let (source, store) = try seededSource(mentions)
    var policy = source.policy
    policy.team.append(TeamMember(name: "Sam", login: "sam", role: .supervisor))
    let desk = ReplyDesk(store: store, policy: policy)
    let legal = try #require(try store.mentionID(platform: "mastodon", externalID: "m7"))
    #expect(try store.escalations(mentionID: legal).contains { $0.reason == "legal_or_press" })
    let byAnna = try desk.send(
      ReplyRequest(
        mentionID: legal, mode: .reply, body: "Excuses voor de vertraging.", actor: "Anna", confirmed: true),
      now: fixedNow)
    #expect(byAnna.status == "awaiting_approval")
    let bySam = try desk.send(
      ReplyRequest(
        mentionID: legal, mode: .reply, body: "Wij bellen u vandaag.", actor: "Sam", confirmed: true),
      now: fixedNow)
    #expect(bySam.status == "queued")
    let question = try #require(try store.mentionID(platform: "mastodon", externalID: "m3"))
    #expect(try !desk.needsApproval(mentionID: question, responder: TeamMember(name: "Anna", login: "anna")))
  }
}

@Test("every string of the escalation pane exists in English and Dutch")
func supervisorStrings() {
  for key in SupervisorText.allCases {
    let pair = Strings.supervisorTable[key]
    #expect(pair != nil, "\(key) has no text")
    #expect(pair?.en.isEmpty == false && pair?.nl.isEmpty == false, "\(key) is empty in a language")
  }
}

@Suite struct EscalationFactsTests {
  @Test func aRulesCountsAreSaidInWordsInBothLanguages() {
    let volume = #"{"last_hour":10,"usual":1.5}"#
    #expect(SupervisorPane.facts(volume, strings: Strings(.en)) == "10 this hour, usually 1.5")
    #expect(SupervisorPane.facts(volume, strings: Strings(.nl)) == "10 dit uur, normaal 1.5")
    let repeatComplainer = #"{"complaints":3,"within":"7d"}"#
    #expect(SupervisorPane.facts(repeatComplainer, strings: Strings(.en)) == "3 complaints within 7d")
  }

  @Test func unknownFactsStayVisibleAndEmptyOnesSayNothing() {
    #expect(SupervisorPane.facts(#"{"followers":12000}"#, strings: Strings(.en)) == "followers 12000")
    #expect(SupervisorPane.facts("{}", strings: Strings(.en)) == nil)
  }
}

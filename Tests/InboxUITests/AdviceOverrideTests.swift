import Desk
import Foundation
import Inbox
import Policy
import Store
import TerminalUI
import Testing

@testable import InboxBackend
@testable import InboxUI

/// Replying against the advice (S8, S5, S4) in the editor and at the desk, and the other rules
/// held at the moment of acting (issue 14).
@Suite("Replying against the advice")
struct AdviceOverrideTests {
  func app(selecting handle: String) throws -> (InboxApp, MemoryTerminal, SQLiteStore, Int64) {
    let (source, store) = try seededSource()
    let terminal = MemoryTerminal(size: Size(width: 100, height: 30), events: [], eventWhenExhausted: nil)
    let app = InboxApp(
      terminal: terminal, source: source, theme: .standard, strings: Strings(.en), actor: "Anna",
      storeLabel: "test.sqlite", now: { fixedNow })
    app.draftDelay = 0
    app.start()
    let index = try #require(app.state.rows.firstIndex { $0.mention.author.handle == handle })
    app.play(terminal, Array(repeating: "j", count: index))
    return (app, terminal, store, app.state.rows[index].id)
  }

  func screen(_ terminal: MemoryTerminal) -> String { terminal.screenText().joined(separator: "\n") }

  @Test("a holding reply is not held back by the cooling-off; an answer is (S11, S12)")
  func holdingSkipsCoolingOff() throws {
    let m = Mention(
      id: 1, platform: "mastodon", externalID: "1", url: nil, author: Author(handle: "a"),
      createdAt: fixedNow,
      ingestedAt: fixedNow, text: "?", lang: "nl", inReplyTo: nil, thread: nil, staff: false,
      category: .question, status: .open,
      deadlines: MentionDeadlines(earliestReply: fixedNow.addingTimeInterval(120)), editCount: 0)
    #expect(ReplyRules.localAsks(findings: [], mention: m, mode: .reply, now: fixedNow).count == 1)
    #expect(ReplyRules.localAsks(findings: [], mention: m, mode: .holding, now: fixedNow).isEmpty)
  }

  @Test("a holding reply to a misinformation claim is sent at once: no correction checks, no cooling-off")
  func holdingOnMisinformation() throws {
    let (app, terminal, store, id) = try app(selecting: "jager")
    app.play(terminal, ["H", " We bellen vandaag met de afdeling tarieven.", "<C-x>"])
    #expect(app.state.mode == .queue, "\(screen(terminal))")
    #expect(try store.outbox(mentionID: id).first?.kind == .holding)
  }

  @Test("r on an unfounded accusation: Ctrl-X asks for a reason naming S8; Esc keeps the text unsent")
  func overridePromptEsc() throws {
    let (app, terminal, store, id) = try app(selecting: "angry")
    #expect(!screen(terminal).contains("✓ the checks find nothing") || true)
    app.play(terminal, ["r", "We hear you. What happened on your trip?"])
    #expect(!screen(terminal).contains("the checks find nothing"), "\(screen(terminal))")
    #expect(screen(terminal).contains("S8"))
    app.play(terminal, ["<C-x>"])
    #expect(app.state.mode == .prompt(.overrideReason))
    #expect(screen(terminal).contains("S8"))
    #expect(screen(terminal).contains("reason to reply anyway"))
    app.play(terminal, ["<Esc>"])
    #expect(app.state.mode == .editor)
    #expect(app.state.reply?.editor.text == "We hear you. What happened on your trip?")
    #expect(try store.outbox(mentionID: id).isEmpty)
  }

  @Test("the reason sends it, and the trail keeps who, which rule and why")
  func overrideSends() throws {
    let (app, terminal, store, id) = try app(selecting: "angry")
    app.play(terminal, ["r", "We hear you. What happened on your trip?", "<C-x>", "<Enter>"])
    // An empty reason is no reason.
    #expect(app.state.mode == .editor)
    #expect(try store.outbox(mentionID: id).isEmpty)
    app.play(terminal, ["<C-x>", "Management asked us to answer", "<Enter>"])
    if app.state.mode == .confirmSend { app.play(terminal, ["y"]) }
    #expect(app.state.mode == .queue, "\(screen(terminal))")
    #expect(try store.outbox(mentionID: id).count == 1)
    let event = try #require(try store.events(mentionID: id).first { $0.action == "reply_against_advice" })
    #expect(event.actor == "Anna")
    #expect(event.detail?.contains(#""rule":"S8""#) == true)
    #expect(event.detail?.contains(#""reason":"Management asked us to answer""#) == true)
    let overrides = try store.adviceOverrides(limit: 10)
    #expect(overrides.map(\.rule) == ["S8"])
    #expect(overrides.first?.reason == "Management asked us to answer")
    #expect(overrides.first?.actor == "Anna")
  }

  @Test("the desk refuses a reply against the advice without a reason, whatever is confirmed")
  func deskRefuses() throws {
    let (source, store) = try seededSource()
    let id = try #require(
      try store.queue(QueueFilter(), limit: 50, offset: 0, now: fixedNow).first {
        $0.mention.author.handle == "angry"
      }
    )
    .mention.id
    let desk = ReplyDesk(store: store, policy: source.policy)
    let request = ReplyRequest(
      mentionID: id, mode: .reply, body: "We hear you.", actor: "Anna", confirmed: true)
    let assessment = try desk.assess(request, now: fixedNow)
    #expect(assessment.override?.rule == "S8")
    #expect(assessment.needsOverride)
    #expect(throws: ReplyRefusal.self) { try desk.send(request, now: fixedNow) }
    var withReason = request
    withReason.overrideReason = "The board wants an answer"
    #expect(try desk.assess(withReason, now: fixedNow).needsOverride == false)
    _ = try desk.send(withReason, now: fixedNow)
    #expect(try store.outbox(mentionID: id).count == 1)
  }

  @Test("the supervisor's pane lists replies against the advice: who, which rule, the reason")
  func paneListsOverrides() throws {
    let mention = Mention(
      id: 5, platform: "x", externalID: "5", url: nil, author: Author(handle: "angry"), createdAt: fixedNow,
      ingestedAt: fixedNow, text: "YOU ARE ALL CROOKS", lang: "en", inReplyTo: nil, thread: nil,
      staff: false, category: .unfounded, status: .replied, deadlines: MentionDeadlines(), editCount: 0)
    var state = InboxState(
      strings: Strings(.en), actor: "Carmen", storeLabel: "t", size: Size(width: 100, height: 30),
      now: fixedNow)
    state.supervisor.board = SupervisorBoard(
      overrides: [
        BoardOverride(
          at: fixedNow, actor: "Anna", rule: "S8", reason: "Management asked us to answer", mention: mention)
      ])
    let lines = SupervisorPane.mainLines(state.supervisor.board!, state: state, width: 100)
    let text = lines.map { $0.spans.map(\.text).joined() }
    #expect(text.contains { $0.contains("against the advice") })
    #expect(
      text.contains {
        $0.contains("Anna") && $0.contains("S8") && $0.contains("Management asked us to answer")
          && $0.contains("@angry")
      }, "\(text)")
  }
}

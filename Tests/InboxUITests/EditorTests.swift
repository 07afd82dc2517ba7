import Foundation
import Inbox
import InboxUI
import Policy
import Store
import TerminalUI
import Testing

@testable import Desk
@testable import InboxBackend

/// The reply editor in the whole app, on a `MemoryTerminal` and a real store (issue 5).
@Suite("The reply editor in memory")
struct EditorTests {
  /// The app opened with the queue's row for `handle` selected.
  func app(selecting handle: String, actor: String = "Anna") throws -> (
    InboxApp, MemoryTerminal, SQLiteStore, Int64
  ) {
    let (source, store) = try seededSource()
    let terminal = MemoryTerminal(size: Size(width: 100, height: 30), events: [], eventWhenExhausted: nil)
    let app = InboxApp(
      terminal: terminal, source: source, theme: .standard, strings: Strings(.en), actor: actor,
      storeLabel: "test.sqlite", now: { fixedNow })
    app.draftDelay = 0
    app.start()
    let index = try #require(app.state.rows.firstIndex { $0.mention.author.handle == handle })
    app.play(terminal, Array(repeating: "j", count: index))
    return (app, terminal, store, app.state.rows[index].id)
  }

  func screen(_ terminal: MemoryTerminal) -> String { terminal.screenText().joined(separator: "\n") }

  @Test("r opens the editor on the complaint's Dutch template, signed and checked (S13, S16)")
  func opensOnTemplate() throws {
    let (app, terminal, _, id) = try app(selecting: "sanne")
    app.play(terminal, ["r"])
    #expect(app.state.mode == .editor)
    let reply = try #require(app.state.reply)
    #expect(reply.mention.id == id)
    #expect(reply.editor.text.hasPrefix("Hoi Sanne, wat vervelend"))
    let text = screen(terminal)
    #expect(text.contains("Reply to @sanne · mastodon · complaint"))
    #expect(text.contains("– Anna  signature, added when sent (S16)"))
    // The reply is Dutch (the Dutch template), the findings are in the UI language, English.
    #expect(text.contains("S13 This is template 'complaint.nl' almost as it was"))
    #expect(text.contains("^X send · Esc keep draft"))
  }

  @Test("type a Dutch reply with an emoji, Ctrl-X: in the outbox signed once, the mention replied")
  func typeAndSend() throws {
    let (app, terminal, store, id) = try app(selecting: "sanne")
    app.play(terminal, ["r", "<C-u>", "Hoi Sanne, sorry voor de rit 😞 We bellen je vandaag."])
    #expect(app.state.reply?.findings.isEmpty == true)
    app.play(terminal, ["<C-x>"])
    #expect(app.state.mode == .queue)
    let records = try store.outbox(mentionID: id)
    #expect(records.map(\.text) == ["Hoi Sanne, sorry voor de rit 😞 We bellen je vandaag. – Anna"])
    #expect(records.first?.kind == .reply && records.first?.responder == "Anna")
    #expect(try store.mention(id: id)?.status == .replied)
    #expect(try store.draft(mentionID: id, author: "Anna") == nil)
    #expect(screen(terminal).contains("reply in the outbox: #\(records[0].id)"))
  }

  @Test("a typed signature is not doubled")
  func typedSignature() throws {
    let (app, terminal, store, id) = try app(selecting: "sanne")
    app.play(terminal, ["r", "<C-u>", "Sorry Sanne, we lossen het op. – Anna", "<C-x>"])
    #expect(try store.outbox(mentionID: id).map(\.text) == ["Sorry Sanne, we lossen het op. – Anna"])
  }

  @Test("a reply ending with a teammate's signature is blocked, not signed twice; Ctrl-X refuses it (S16)")
  func teammateSignature() throws {
    let (app, terminal, store, id) = try app(selecting: "sanne")
    app.play(terminal, ["r", "<C-u>", "Sorry Sanne, we lossen het op. -bram"])
    #expect(app.state.reply?.blocking.map(\.code) == ["signed_as_other"])
    var text = screen(terminal)
    #expect(
      text.contains("✖ S16 Signed as Bram, you are Anna: end the reply with \"– Anna\", not \"– Bram\"."))
    #expect(text.contains("– Anna  not added: the text is signed by a teammate (S16)"))
    app.play(terminal, ["<C-x>"])
    #expect(app.state.mode == .editor)
    text = screen(terminal)
    #expect(text.contains("not sent: S16 Signed as Bram, you are Anna"))
    #expect(try store.outbox(mentionID: id).isEmpty)
    // Signed as oneself, it goes out with one signature.
    app.play(terminal, ["<C-u>", "Sorry Sanne, we lossen het op.", "<C-x>"])
    #expect(try store.outbox(mentionID: id).map(\.text) == ["Sorry Sanne, we lossen het op. – Anna"])
  }

  @Test("the draft is saved as it is typed, kept by Esc, restored on reopening, seen by teammates")
  func drafts() throws {
    let (app, terminal, store, id) = try app(selecting: "sanne")
    app.play(terminal, ["r", "<C-u>", "Hoi Sanne, even"])
    app.step(nil)  // the loop's tick saves what waited its delay
    #expect(try store.draft(mentionID: id, author: "Anna")?.text == "Hoi Sanne, even")
    app.play(terminal, [" kijken", "<Esc>"])
    #expect(app.state.mode == .queue)
    #expect(try store.draft(mentionID: id, author: "Anna")?.text == "Hoi Sanne, even kijken")
    #expect(screen(terminal).contains("draft kept"))
    app.play(terminal, ["r"])
    #expect(app.state.reply?.editor.text == "Hoi Sanne, even kijken")
    #expect(screen(terminal).contains("your draft is back"))

    // Bram's inbox: the row is marked, the detail says who writes.
    let bram = StoreSource(store: store, policy: try makeStore().1, strings: Strings(.en))
    let terminal2 = MemoryTerminal(size: Size(width: 140, height: 40), events: [], eventWhenExhausted: nil)
    let other = InboxApp(
      terminal: terminal2, source: bram, theme: .standard, strings: Strings(.en), actor: "Bram",
      storeLabel: "t", now: { fixedNow })
    other.start()
    let row = try #require(terminal2.screenText().first { $0.contains("@sanne") })
    #expect(row.contains("✎Anna"))
    let detail = try #require(other.state.detail)
    #expect(detail.drafts.map(\.author) == ["Anna"])
    let lines = DetailText.lines(detail, state: other.state, width: 60).map { $0.spans.map(\.text).joined() }
    #expect(lines.contains { $0.contains("✎ Anna is writing a reply (reply)") })
  }

  @Test("a reply over X's 280 is refused with the reason; nothing reaches the outbox")
  func tooLongForX() throws {
    let (app, terminal, store, id) = try app(selecting: "angry")
    let long = String(repeating: "We begrijpen je boosheid. ", count: 12)
    app.play(terminal, ["r", long])
    app.play(terminal, ["<C-x>"])
    #expect(app.state.mode == .editor)
    let text = screen(terminal)
    #expect(text.contains("not sent: S12 "))
    #expect(text.contains("/280"))
    // The UI is English (`app(selecting:)`), and findings are written in the UI language.
    #expect(text.contains("✖ S12 318 of 280 characters on x (signature counted): 38 too many."))
    #expect(try store.outbox(mentionID: id).isEmpty)
  }

  @Test("a warning asks: y sends, any other key goes back with the text kept")
  func warningsAsk() throws {
    let (app, terminal, store, id) = try app(selecting: "sanne")
    app.play(terminal, ["r", "<C-x>"])  // the template unchanged (S13)
    #expect(app.state.mode == .confirmSend)
    #expect(screen(terminal).contains("1 warning: S13"))
    #expect(screen(terminal).contains("Send anyway? y sends"))
    app.play(terminal, ["n"])
    #expect(app.state.mode == .editor)
    #expect(try store.outbox(mentionID: id).isEmpty)
    app.play(terminal, ["<C-x>", "y"])
    #expect(app.state.mode == .queue)
    #expect(try store.outbox(mentionID: id).count == 1)
  }

  @Test("the cooling-off window asks for a confirmation (S11)")
  func coolingOff() throws {
    let (app, terminal, store, id) = try app(selecting: "jager")
    let m = try #require(try store.mention(id: id))
    #expect(try #require(m.deadlines.earliestReply) > fixedNow)
    app.play(terminal, ["r", "<C-x>"])
    #expect(app.state.mode == .confirmSend)
    #expect(screen(terminal).contains("S11: the cooling-off window runs until"))
  }

  @Test("a teammate's claim and draft since the editor opened: who and when, then y")
  func collision() throws {
    let (app, terminal, store, id) = try app(selecting: "sanne")
    app.play(terminal, ["r", "<C-u>", "Sorry Sanne, we lossen het op."])
    let later = try SQLiteStore(
      path: store.path, mode: .existing, clock: .fixed(fixedNow.addingTimeInterval(120)))
    try later.toggleClaim(id: id, actor: "Bram")
    try later.saveDraft(mentionID: id, author: "Bram", kind: .reply, text: "Hoi Sanne")
    app.play(terminal, ["<C-x>"])
    #expect(app.state.mode == .confirmSend)
    let text = screen(terminal)
    #expect(text.contains("Bram claimed this mention at"))
    #expect(text.contains("Bram has been writing a reply since"))
    app.play(terminal, ["y"])
    #expect(try store.outbox(mentionID: id).map(\.responder) == ["Anna"])
  }

  @Test("a teammate's reply between Ctrl-X and y is asked about again, not sent over")
  func collisionWhileAsking() throws {
    let (app, terminal, store, id) = try app(selecting: "sanne")
    app.play(terminal, ["r", "<C-x>"])  // the template unchanged asks (S13)
    #expect(app.state.mode == .confirmSend)
    let later = try SQLiteStore(
      path: store.path, mode: .existing, clock: .fixed(fixedNow.addingTimeInterval(60)))
    try later.enqueueReply(
      mentionID: id, responder: "Bram", kind: .reply, text: "Sorry Sanne! – Bram", policy: try makeStore().1)
    app.play(terminal, ["y"])
    #expect(app.state.mode == .confirmSend)
    #expect(screen(terminal).contains("Bram replied at"))
    #expect(try store.outbox(mentionID: id).map(\.responder) == ["Bram"])
    app.play(terminal, ["y"])
    #expect(try store.outbox(mentionID: id).map(\.kind) == [.reply, .followUp])
  }

  @Test("the open editor shows a teammate's new draft without a key press")
  func liveDrafting() throws {
    let (app, terminal, store, id) = try app(selecting: "sanne")
    app.play(terminal, ["r"])
    #expect(app.state.reply?.othersDrafting.isEmpty == true)
    try store.saveDraft(mentionID: id, author: "Bram", kind: .reply, text: "Hoi")
    app.step(nil)
    #expect(app.state.reply?.othersDrafting.map(\.author) == ["Bram"])
    #expect(screen(terminal).contains("✎ Bram is writing a reply too"))
  }

  @Test("a reply the supervisor returned is the draft again, with who sent it back and why")
  func returned() throws {
    let (app, terminal, store, id) = try app(selecting: "sanne")
    let held = try store.enqueueReply(
      mentionID: id, responder: "Anna", kind: .reply, text: "Sorry Sanne – Anna", policy: try makeStore().1,
      needsApproval: true)
    try store.returnReply(id: held.id, note: "noem de terugbetaling", actor: "Sara")
    app.play(terminal, ["r"])
    #expect(app.state.reply?.editor.text == "Sorry Sanne – Anna")
    #expect(screen(terminal).contains("↩ sent back for another look by Sara: noem de terugbetaling"))
  }

  @Test("a correction starts from the template with the rumour's facts and sources filled in (S9)")
  func correctionTemplate() throws {
    let (app, terminal, _, _) = try app(selecting: "jager")
    app.play(terminal, ["r"])
    let text = try #require(app.state.reply?.editor.text)
    #expect(
      text == "Hoi Jager, dank voor het delen. Wat er precies klopt: 2.9% Meer informatie: https://x.example")
    // With its source link the correction is not warned about a missing source.
    #expect(app.state.reply?.findings.contains { $0.code == "source_missing" } == false)
  }

  @Test("a second reply is a follow-up that names the earlier one")
  func followUp() throws {
    let (app, terminal, store, id) = try app(selecting: "sanne")
    app.play(terminal, ["r", "<C-u>", "Sorry Sanne, we lossen het op.", "<C-x>"])
    let index = try #require(app.state.rows.firstIndex { $0.id == id })
    app.play(terminal, ["g"] + Array(repeating: "j", count: index) + ["r"])
    #expect(app.state.reply?.isFollowUp == true)
    #expect(app.state.reply?.editor.text == "")
    #expect(screen(terminal).contains("Follow-up to @sanne"))
    app.play(terminal, ["Is het gelukt, Sanne?"])
    // The first answer apologised; the follow-up is not asked to again (S10).
    #expect(app.state.reply?.findings.contains { $0.code == "apology_missing" } == false)
    app.play(terminal, ["<C-x>"])
    #expect(screen(terminal).contains("Already answered by Anna at"))
    app.play(terminal, ["y"])
    #expect(try store.outbox(mentionID: id).map(\.kind) == [.reply, .followUp])
  }

  @Test("H sends a holding reply: the mention is holding with the follow-up clock running (S12)")
  func holding() throws {
    let (app, terminal, store, id) = try app(selecting: "tom")
    app.play(terminal, ["H"])
    #expect(app.state.reply?.editor.text.hasPrefix("Hi Tom, we have received your question") == true)
    #expect(screen(terminal).contains("Holding reply (S12) to @tom"))
    app.play(terminal, [" Back by 14:00!", "<C-x>"])
    if app.state.mode == .confirmSend { app.play(terminal, ["y"]) }
    #expect(try store.outbox(mentionID: id).first?.kind == .holding)
    let m = try #require(try store.mention(id: id))
    #expect(m.status == .holding)
    #expect(m.deadlines.followUp != nil)
  }

  @Test("Ctrl-T offers the templates for the mention's category and language first")
  func templates() throws {
    let (app, terminal, _, _) = try app(selecting: "tom")
    app.play(terminal, ["r", "<C-t>"])
    #expect(app.state.mode == .pickSnippet)
    #expect(app.state.reply?.pickerMatches.first?.title == "question.en")
    #expect(screen(terminal).contains("▸ T question.en"))
    app.play(terminal, ["<Enter>"])
    #expect(app.state.reply?.editor.text.hasPrefix("Hi Tom, good question!") == true)
    #expect(screen(terminal).contains("template question.en inserted"))
    app.play(terminal, ["<C-t>", "<Down>", "<Enter>"])
    #expect(app.state.reply?.editor.text.hasPrefix("Hi Tom, good question!") == false)
    app.play(terminal, ["<C-z>"])
    #expect(app.state.reply?.editor.text.hasPrefix("Hi Tom, good question!") == true)
  }

  @Test("a bracketed paste is text in the editor and nothing in the queue")
  func paste() throws {
    let (app, terminal, _, _) = try app(selecting: "sanne")
    app.play(terminal, ["<PasteBegin>", "q", "c", "<PasteEnd>"])
    #expect(app.state.mode == .queue)
    #expect(app.step(nil))
    app.play(terminal, ["r", "<C-u>", "<PasteBegin>", "zie", "<Enter>", "https://x.example", "<PasteEnd>"])
    #expect(app.state.reply?.editor.text == "zie\nhttps://x.example")
    app.play(terminal, ["<C-z>"])
    #expect(app.state.reply?.editor.text == "")
  }

  @Test("Ctrl-O hands the text to the external editor and takes it back")
  func externalEditor() throws {
    let (app, terminal, _, _) = try app(selecting: "sanne")
    var seen: String?
    app.externalEditor = { text in
      seen = text
      return .success("Sorry Sanne, hier het antwoord uit vim.\n")
    }
    app.play(terminal, ["r", "<C-o>"])
    #expect(seen?.hasPrefix("Hoi Sanne") == true)
    #expect(app.state.reply?.editor.text == "Sorry Sanne, hier het antwoord uit vim.")
    // What a file may hold beyond text never reaches the reply.
    app.externalEditor = { _ in .success("Regel 1\r\nRegel\t2 \u{1B}[2J\u{202E}klaar\n\n") }
    app.play(terminal, ["<C-o>"])
    #expect(app.state.reply?.editor.text == "Regel 1\nRegel 2 [2Jklaar")
    app.externalEditor = { _ in .failure(ExternalEditorError("vi exited with status 1")) }
    app.play(terminal, ["<C-o>"])
    #expect(screen(terminal).contains("the external editor failed: vi exited with status 1"))
    #expect(app.state.reply?.editor.text == "Regel 1\nRegel 2 [2Jklaar")
  }

  @Test("F1 shows the editor's keys in help; closing help goes back to the editor")
  func help() throws {
    let (app, terminal, _, _) = try app(selecting: "sanne")
    app.play(terminal, ["r", "<F1>"])
    #expect(app.state.mode == .help)
    // The help is longer than the screen: page through it, the editor's keys are on the way.
    var seen = screen(terminal)
    for _ in 0..<6 {
      app.play(terminal, ["<PgDn>"])
      seen += screen(terminal)
    }
    #expect(seen.contains("leave the editor, keep the draft"))
    #expect(seen.contains("Ctrl-K                delete to end of line"))
    app.play(terminal, ["<Esc>"])
    #expect(app.state.mode == .editor)
  }

  @Test("quitting with an unsaved edit saves the draft first")
  func quitSaves() throws {
    let (app, terminal, store, id) = try app(selecting: "sanne")
    app.draftDelay = 3600
    app.play(terminal, ["r", "<C-u>", "Bijna klaar"])
    #expect(try store.draft(mentionID: id, author: "Anna") == nil)
    #expect(!app.step(.terminated(.signal(15))))
    #expect(try store.draft(mentionID: id, author: "Anna")?.text == "Bijna klaar")
  }

  // MARK: Key latency: checks once per loop pass, current when drawn and when sent (issue 5)

  @Test("a burst of keys (typed ahead, a paste) is checked once and drawn once, with the final text's checks")
  func burstCheckedOnce() throws {
    let (app, terminal, _, _) = try app(selecting: "sanne")
    app.play(terminal, ["r"])
    let checks = try #require(app.state.reply?.checkCount)
    let frames = terminal.presentCount
    // Emptied (a blocking S13 finding), then a good reply: all queued together, one pass.
    terminal.send(burst: Event.script(["<C-u>", "Hoi Sanne, sorry voor de rit 😞 We bellen je vandaag."]))
    #expect(app.runPass())
    #expect(terminal.pending.isEmpty)
    #expect(app.state.reply?.checkCount == checks + 1)
    #expect(terminal.presentCount == frames + 1)
    #expect(app.state.reply?.checksPending == false)
    // What was drawn is the checks on the text drawn: none of the emptied text's, the length of
    // the signed final text.
    let text = screen(terminal)
    #expect(text.contains("✓ the checks find nothing"))
    #expect(!text.contains("The reply is empty"))
    let signed = "Hoi Sanne, sorry voor de rit 😞 We bellen je vandaag. – Anna"
    #expect(text.contains("\(PlatformLength.count(signed, platform: "mastodon"))/500"))
    // Keys one pass at a time still check once each.
    terminal.send(Event.script(["!", "!"]))
    #expect(app.runPass())
    #expect(app.runPass())
    #expect(app.state.reply?.checkCount == checks + 3)
    #expect(screen(terminal).contains("S2 A row of 2 exclamation marks"))
  }

  @Test("moving the cursor does not re-run the checks")
  func motionIsNotChecked() throws {
    let (app, terminal, _, _) = try app(selecting: "sanne")
    app.play(terminal, ["r"])
    let checks = try #require(app.state.reply?.checkCount)
    app.play(terminal, ["<Left>", "<Left>", "<C-a>", "<C-e>", "<Home>"])
    #expect(app.state.reply?.checkCount == checks)
  }

  @Test("Ctrl-X in the same pass as the typing judges the final text, not the last frame's checks")
  func sendJudgesFinalText() throws {
    let (app, terminal, store, id) = try app(selecting: "sanne")
    app.play(terminal, ["r", "<C-u>"])
    // The frame on screen says: empty, blocking.
    #expect(app.state.reply?.blocking.map(\.code) == ["empty"])
    #expect(screen(terminal).contains("S13 The reply is empty."))
    // A good reply and Ctrl-X typed ahead: sent, although the last frame's checks blocked.
    terminal.send(burst: Event.script(["Hoi Sanne, sorry voor de rit 😞 We bellen je vandaag.", "<C-x>"]))
    #expect(app.runPass())
    #expect(
      try store.outbox(mentionID: id).map(\.text) == [
        "Hoi Sanne, sorry voor de rit 😞 We bellen je vandaag. – Anna"
      ])
    #expect(app.state.mode == .queue)
  }

  @Test("Ctrl-X right after emptying the text refuses it, though the last frame's checks let it pass")
  func sendRefusesFinalText() throws {
    let (app, terminal, store, id) = try app(selecting: "sanne")
    app.play(terminal, ["r", "<C-u>", "Hoi Sanne, sorry voor de rit 😞 We bellen je vandaag."])
    #expect(app.state.reply?.findings.isEmpty == true)
    let checks = try #require(app.state.reply?.checkCount)
    terminal.send(burst: Event.script(["<C-u>", "<C-x>"]))
    #expect(app.runPass())
    #expect(app.state.reply?.checkCount == checks + 1)  // at Ctrl-X; the frame after needs none
    #expect(app.state.mode == .editor)
    #expect(screen(terminal).contains("not sent: S13 The reply is empty."))
    #expect(try store.outbox(mentionID: id).isEmpty)
  }

  @Test("findings follow the UI language; the checks read the reply in the mention's language")
  func findingsInUILanguage() throws {
    let (source, _) = try seededSource()
    let terminal = MemoryTerminal(size: Size(width: 100, height: 30), events: [], eventWhenExhausted: nil)
    let app = InboxApp(
      terminal: terminal, source: source, theme: .standard, strings: Strings(.nl), actor: "Anna",
      storeLabel: "test.sqlite", now: { fixedNow })
    app.start()
    let index = try #require(app.state.rows.firstIndex { $0.mention.author.handle == "sanne" })
    app.play(terminal, Array(repeating: "j", count: index) + ["r", "<C-u>", "Hoi Sanne, we zoeken het uit."])
    // A Dutch complaint without an apology: the Dutch list is read, the message is the UI's.
    #expect(
      app.state.reply?.findings.map(\.message) == ["Een antwoord op een klacht hoort excuses te bevatten."])
    // The Dutch apology counts (the mention's list), in a Dutch UI as in an English one.
    app.play(terminal, ["<C-u>", "Hoi Sanne, onze excuses, we zoeken het uit."])
    #expect(app.state.reply?.findings.isEmpty == true)

    let (english, englishTerminal, _, _) = try self.app(selecting: "sanne")
    english.play(englishTerminal, ["r", "<C-u>", "Hoi Sanne, we zoeken het uit."])
    #expect(english.state.reply?.findings.map(\.message) == ["A reply to a complaint should apologise."])
  }

  @Test("an editor open on a mention another process forgets closes and keeps nothing")
  func forgottenWhileTyping() throws {
    let (app, terminal, store, id) = try app(selecting: "sanne")
    app.play(terminal, ["r", "<C-u>", "Hoi Sanne"])
    #expect(try store.draft(mentionID: id, author: "Anna")?.text == "Hoi Sanne")
    _ = try store.forget(author: "sanne", actor: "Sam")
    // The next key is typed into the editor; its autosave finds the mention erased.
    app.play(terminal, ["!"])
    #expect(app.state.mode == .queue)
    #expect(app.state.reply == nil)
    #expect(app.state.message?.text.contains("was erased") == true)
    #expect(try store.drafts(mentionID: id).isEmpty)
    #expect(!screen(terminal).contains("Hoi Sanne"))
  }

  @Test("two responders sending at the same moment: the second is asked about the first, not sent")
  func simultaneousSends() throws {
    let (source, store) = try seededSource()
    let id = try #require(try store.mentionID(platform: "mastodon", externalID: "m3"))
    var desk = ReplyDesk(store: store, policy: source.policy)
    let opened = fixedNow.addingTimeInterval(-60)
    let request = ReplyRequest(
      mentionID: id, mode: .reply, body: "The first train leaves at 6:12.", actor: "Anna", openedAt: opened,
      confirmed: true, confirmedAsks: [])
    #expect(try desk.assess(request, now: fixedNow).asks.isEmpty)
    // Bram's reply lands after Anna's checks passed and before hers is stored.
    var raced = false
    desk.betweenCheckAndSend = {
      guard !raced else { return }
      raced = true
      try store.enqueueReply(
        mentionID: id, responder: "Bram", kind: .reply, text: "Om 6:12. – Bram", policy: source.policy)
    }
    do {
      _ = try desk.send(request, now: fixedNow)
      Issue.record("sent a second answer unasked")
    } catch let refusal as ReplyRefusal {
      #expect(refusal.assessment.asks.contains { if case .collision = $0 { true } else { false } })
    }
    #expect(try store.outbox(mentionID: id).map(\.responder) == ["Bram"])
  }
}

/// Undo (issue 16): `u` takes a reply still waiting for delivery back into the editor.
@Suite("Taking a reply back")
struct TakeBackTests {
  @Test("u after sending: the reply is withdrawn, the editor has its text, the mention is open again")
  func takeBack() throws {
    let (source, store) = try seededSource()
    let terminal = MemoryTerminal(size: Size(width: 100, height: 30), events: [], eventWhenExhausted: nil)
    let app = InboxApp(
      terminal: terminal, source: source, theme: .standard, strings: Strings(.en), actor: "Anna",
      storeLabel: "test.sqlite", now: { fixedNow })
    app.draftDelay = 0
    app.start()
    let index = try #require(app.state.rows.firstIndex { $0.mention.author.handle == "sanne" })
    app.play(terminal, Array(repeating: "j", count: index))
    let id = app.state.rows[index].id
    app.play(terminal, ["r", "<C-u>", "Hoi Sanne, sorry voor de rit. We bellen je vandaag.", "<C-x>"])
    #expect(try store.mention(id: id)?.status == .replied)
    let sent = try #require(try store.outbox(mentionID: id).first)
    let row = try #require(app.state.rows.firstIndex { $0.id == id })
    app.play(terminal, Array(repeating: "k", count: app.state.rows.count) + Array(repeating: "j", count: row))
    app.play(terminal, ["u"])
    #expect(app.state.mode == .editor)
    #expect(app.state.reply?.editor.text.hasPrefix("Hoi Sanne, sorry voor de rit.") == true)
    #expect(try store.outboxRecord(id: sent.id)?.status == .withdrawn)
    #expect(try store.mention(id: id)?.status == .open)
    // Nothing of Anna's waits any more: a second u says so.
    app.play(terminal, ["<Esc>", "u"])
    #expect(app.state.message?.isError == true)
  }
}

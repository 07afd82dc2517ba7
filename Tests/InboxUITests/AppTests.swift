import Foundation
import Inbox
import InboxBackend
import InboxUI
import Policy
import Store
import TerminalUI
import Testing

/// The whole inbox on a `MemoryTerminal` and a real store: key scripts in, screen and store out.
@Suite("The inbox app in memory")
struct AppTests {
  @Test("the first frame shows the status line, the queue in urgency order and the detail")
  func firstFrame() throws {
    let (source, _) = try seededSource()
    let (app, terminal) = makeApp(source)
    app.start()
    let screen = terminal.screenText()
    #expect(screen[0].contains("Repute · Anna · test.sqlite · open 6"))
    #expect(screen[1].contains("category") && screen[1].contains("author"))
    // The overdue complaint comes first.
    #expect(screen[2].hasPrefix("▸ ●") && screen[2].contains("complaint") && screen[2].contains("@sanne"))
    #expect(screen.joined().contains("Advice ["))
    #expect(app.state.selectedID != nil)
  }

  @Test("claim, note, watch and escalate reach the store and show on screen")
  func actions() throws {
    let (source, store) = try seededSource()
    let (app, terminal) = makeApp(source)
    app.start()
    let id = try #require(app.state.selectedID)
    app.play(terminal, ["c"])
    #expect(try store.entry(id: id)?.claimedBy == "Anna")
    #expect(terminal.screenText()[2].contains("Anna"))
    app.play(terminal, ["N", "Klant belt morgen terug", "<Enter>"])
    #expect(try store.notes(mentionID: id).map(\.text) == ["Klant belt morgen terug"])
    app.play(terminal, ["w"])
    #expect(terminal.screenText().joined(separator: "\n").contains("watched"))
    app.play(terminal, ["e", "pers belt", "<Enter>"])
    #expect(try store.escalations(mentionID: id).first?.notes.first?.text == "pers belt")
    let actions = try store.events(mentionID: id).map(\.action)
    #expect(actions.suffix(4) == ["claim", "note", "watch", "escalate"])
    // No personal text in the events.
    #expect(try !store.events(mentionID: id).contains { ($0.detail ?? "").contains("pers belt") })
    app.play(terminal, ["c"])
    #expect(try store.entry(id: id)?.claimedBy == nil)
  }

  @Test("recategorise by hand: recorded as manual, and the deadlines follow")
  func recategorise() throws {
    let (source, store) = try seededSource()
    let (app, terminal) = makeApp(source)
    app.start()
    let id = try #require(app.state.selectedID)
    app.play(terminal, ["t", "2"])  // question
    let m = try #require(try store.mention(id: id))
    #expect(m.category == .question && m.categoryBy == "Anna")
    let expected = source.policy.deadlines(category: .question, arrival: m.createdAt)
    #expect(m.deadlines.firstResponse == expected.firstResponse)
  }

  @Test("no reply with a reason, then reopen")
  func noReplyAndReopen() throws {
    let (source, store) = try seededSource()
    let (app, terminal) = makeApp(source)
    app.start()
    let id = try #require(app.state.selectedID)
    // A complaint closes only with one of the policy's reasons: "S8" is refused, 1 is taken.
    app.play(terminal, ["x", "S8", "<Enter>"])
    #expect(try store.mention(id: id)?.status == .open)
    app.play(terminal, ["<Esc>", "x", "1", "<Enter>"])
    #expect(try store.mention(id: id)?.status == .noReply)
    #expect(try store.entry(id: id)?.noReplyReason == "handled offline (S7)")
    // It moved to the end of the queue; find it again and reopen it.
    let index = try #require(app.state.rows.firstIndex { $0.id == id })
    app.play(terminal, ["g"] + Array(repeating: "j", count: index) + ["o"])
    #expect(try store.mention(id: id)?.status == .open)
  }

  @Test("snooze hides a mention until it wakes, unless its target has passed")
  func snooze() throws {
    let (source, store) = try seededSource()
    let (app, terminal) = makeApp(source)
    app.start()
    // The first row is overdue: a snooze never hides a deadline, so it stays, overdue.
    let overdue = try #require(app.state.selectedID)
    app.play(terminal, ["s", "30m", "<Enter>"])
    #expect(try store.mention(id: overdue)?.status == .snoozed)
    #expect(app.state.rows.first { $0.id == overdue }?.mention.clock(now: fixedNow) == .overdue)
    #expect(app.state.message?.text.hasPrefix("snoozed until Mon 2 Mar") == true)
    // Tom's question is due in 48 minutes: snoozed for 30, it sleeps.
    let index = try #require(app.state.rows.firstIndex { $0.mention.author.handle == "tom" })
    let id = app.state.rows[index].id
    app.play(terminal, ["g"] + Array(repeating: "j", count: index) + ["s", "30m", "<Enter>"])
    #expect(try store.mention(id: id)?.status == .snoozed)
    #expect(!app.state.rows.contains { $0.id == id })
    #expect(try store.wakeSnoozed(now: fixedNow.addingTimeInterval(1700)) == 0)
    #expect(try store.wakeSnoozed(now: fixedNow.addingTimeInterval(1801)) == 2)
    #expect(try store.mention(id: id)?.status == .open)
  }

  @Test("bulk: v, Space on two rows, then one action for both")
  func bulk() throws {
    let (source, store) = try seededSource()
    let (app, terminal) = makeApp(source)
    app.start()
    let first = app.state.rows[0].id
    let second = app.state.rows[1].id
    app.play(terminal, ["v", "<Space>", "<Space>", "c"])
    #expect(try store.entry(id: first)?.claimedBy == "Anna")
    #expect(try store.entry(id: second)?.claimedBy == "Anna")
    #expect(app.state.marked.isEmpty)
  }

  @Test("n jumps to the most urgent mention nobody claimed")
  func nextUnclaimed() throws {
    let (source, store) = try seededSource()
    let first = try source.window(QueueFilter(), offset: 0, limit: 1, now: fixedNow)[0].id
    try store.toggleClaim(id: first, actor: "Bram")
    let (app, terminal) = makeApp(source)
    app.start()
    app.play(terminal, ["n"])
    #expect(app.state.list.selected == 1)
  }

  @Test("search narrows the queue through FTS5, Esc clears it")
  func search() throws {
    let (source, _) = try seededSource()
    let (app, terminal) = makeApp(source)
    app.start()
    app.play(terminal, ["/", "trein", "<Enter>"])
    #expect(app.state.list.count == 1)
    #expect(terminal.screenText()[2].contains("@sanne"))
    app.play(terminal, ["<Esc>"])
    #expect(app.state.list.count == 6)
    app.play(terminal, ["/", "ang", "<Enter>"])  // a handle prefix
    #expect(app.state.rows.map(\.mention.author.handle) == ["angry"])
  }

  @Test("filter by category and platform")
  func filter() throws {
    let (source, _) = try seededSource()
    let (app, terminal) = makeApp(source)
    app.start()
    app.play(terminal, ["f", "praise", "<Enter>"])
    #expect(app.state.rows.allSatisfy { $0.mention.category == .praise })
    // The prompt starts from the filter in force.
    app.play(terminal, ["f"] + Array(repeating: "<BS>", count: 6) + ["x", "<Enter>"])
    #expect(app.state.rows.map(\.mention.platform) == ["x"])
  }

  @Test("another writer's mention shows up and the selection stays on the same mention")
  func live() throws {
    let (source, store) = try seededSource()
    let (app, terminal) = makeApp(source)
    app.start()
    app.play(terminal, ["j", "j"])
    let reading = try #require(app.state.selectedID)
    let other = try SQLiteStore(path: store.path, mode: .existing, clock: .fixed(fixedNow))
    _ = try other.ingest(
      [
        mention(
          "new-1", "urgent", minutesAgo: 300, "Waarom is mijn klacht nog steeds niet opgelost? Schandalig.")
      ],
      actor: "ingest", annotator: PolicyAnnotator(policy: source.policy))
    app.step(nil)
    #expect(app.state.list.count == 7)
    #expect(app.state.selectedID == reading)
    #expect(terminal.screenText().joined().contains("@urgent"))
    #expect(terminal.screenText()[0].contains("+1 new"))
  }

  @Test("the thread, the satisfied customer's answer and a reopened conversation")
  func thread() throws {
    let (source, store) = try seededSource(
      sampleMentions + [
        mention(
          "m1b", "sanne", minutesAgo: 5, "Nog steeds geen geld terug, echt belachelijk.", thread: "t1",
          replyTo: "m2")
      ])
    let m1 = try #require(try store.mentionID(platform: "mastodon", externalID: "m1"))
    try store.markReplied(ids: [m1], actor: "Anna")
    let newID = try #require(try store.mentionID(platform: "mastodon", externalID: "m1b"))
    let detail = try #require(try source.detail(id: newID, now: fixedNow))
    #expect(detail.reopensConversation)
    #expect(detail.thread.map(\.mention.externalID) == ["m1", "m2"])
    // Pieter answered Sanne's first post: the advice says so (S11).
    let first = try #require(try source.detail(id: m1, now: fixedNow))
    #expect(first.advice?.answeredBy.contains("pieter") == true)
  }

  @Test("a terminal too small says so; resizing keeps the selection")
  func tooSmall() throws {
    let (source, _) = try seededSource()
    let (app, terminal) = makeApp(source)
    app.start()
    app.play(terminal, ["j", "j"])
    let id = app.state.selectedID
    app.play(terminal, ["<resize@50x12>"])
    #expect(terminal.screenText()[0].contains("too small"))
    app.play(terminal, ["<resize@60x16>"])
    #expect(terminal.screenText()[0].contains("Repute"))
    #expect(app.state.selectedID == id)
    app.play(terminal, ["<resize@120x30>"])
    #expect(app.state.selectedID == id)
  }

  @Test("Dutch UI text from the same table")
  func dutch() throws {
    let (source, _) = try seededSource(language: .nl)
    let (app, terminal) = makeApp(source, language: .nl)
    app.start()
    #expect(terminal.screenText()[1].contains("categorie"))
    #expect(terminal.screenText()[2].contains("klacht"))
    app.play(terminal, ["?"])
    #expect(terminal.screenText().joined().contains("bewust niet reageren"))
  }

  @Test("q ends the loop; so does a closed terminal")
  func quit() throws {
    let (source, _) = try seededSource()
    let (app, terminal) = makeApp(source)
    app.start()
    terminal.send(script: ["j", "q", "j"])
    #expect(app.step(terminal.nextEvent(timeout: .zero)))
    #expect(!app.step(terminal.nextEvent(timeout: .zero)))
    #expect(!app.step(.terminated(.inputClosed)))
  }
}

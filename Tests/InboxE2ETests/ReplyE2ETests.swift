import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Signed replies through the real binary in tmux (issue 5): the editor, drafts across a
/// `kill -9`, the refusal of a reply too long for X, and `repute outbox --json`.
@Suite("replies in tmux", .serialized, .enabled(if: TmuxSession.isAvailable, "tmux is not installed"))
struct ReplyE2ETests {
  let inbox = InboxE2ETests()

  /// The outbox as JSON objects, on a store of either kind.
  func outbox(_ store: E2EStore) throws -> [[String: Any]] {
    let (status, text) = try store.run(["outbox", "--json"])
    #expect(status == 0, "\(text)")
    return text.split(separator: "\n").compactMap {
      try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
    }
  }

  /// Moves the selection down until the selected row shows `handle`.
  /// The queue's side of the selected row (left of the detail pane's border).
  static func selectedRow(_ screen: String) -> String {
    let row = screen.split(separator: "\n").first { $0.hasPrefix("▸") } ?? ""
    return String(row.split(separator: "│", omittingEmptySubsequences: false).first ?? "")
  }

  func select(_ handle: String, in session: TmuxSession) throws {
    for _ in 0..<30 {
      let screen = try session.capture()
      // The queue's side of the row only: the detail beside it changes when it arrives (issue 18).
      let selected = Self.selectedRow(screen)
      if selected.contains(handle) { return }
      try session.sendKeys("j")
      try session.waitFor("the selection to move off \(selected)") { Self.selectedRow($0) != selected }
    }
    throw TmuxSession.Failure(description: "no row for \(handle)")
  }

  /// Once the queue is up, selects `handle`'s row and presses r: the editor shows `until`.
  func reply(
    to handle: String = "@sanne@", in session: TmuxSession, until: String = "Reply to @sanne@mastodon.nl"
  ) throws {
    try session.waitFor("@sanne@mastodon.nl")
    try select(handle, in: session)
    try session.sendKeys("r")
    try session.waitFor(until)
  }

  @Test(
    "open a mention, type a Dutch reply with an emoji, send: in the outbox ending with – Anna",
    arguments: E2EStores.kinds)
  func typeAndSend(kind: E2EKind) throws {
    let store = try E2EStore.seeded(kind)
    defer { store.drop() }
    // The demo's own replies (Bram's answer to Femke, Anna's holding reply to Mark) are there already.
    let seeded = try outbox(store).count
    let session = try inbox.start(store)
    defer { session.kill() }
    try reply(in: session)
    try session.waitFor("– Anna  signature, added when sent (S16)")
    try session.sendKeys("C-u")
    try session.sendKeys("-l", "Hoi Sanne, sorry voor de rit 😞 We bellen je vandaag over je terugbetaling.")
    try session.waitFor("We bellen je vandaag over je terugbetaling.")
    try session.sendKeys("C-x")
    // Signed, apologising, past the cooling-off at the pinned hour: no warning, no question.
    let screen = try session.waitFor("reply in the outbox: #")
    #expect(!screen.contains("Send anyway?"))
    let records = try outbox(store)
    let reply = try #require(records.last)
    #expect(records.count == seeded + 1)
    let text = try #require(reply["text"] as? String)
    #expect(text == "Hoi Sanne, sorry voor de rit 😞 We bellen je vandaag over je terugbetaling. – Anna")
    #expect(text.hasSuffix("– Anna"))
    #expect(reply["responder"] as? String == "Anna")
    #expect(reply["status"] as? String == "queued")
    #expect(reply["kind"] as? String == "reply")
    #expect((reply["idempotency_key"] as? String)?.count == 36)
    #expect(reply["created_at"] is String && reply["mention_id"] is Int && reply["id"] is Int)
    // The mention is replied, with its personal follow-up due next (S10): the row and the detail say so.
    try session.waitFor("the row marked replied") { screen in
      screen.split(separator: "\n").contains { $0.contains("@sanne@") && $0.contains("follow-up due") }
        && screen.contains("complaint · mastodon · replied · follow-up due")
    }
  }

  @Test(
    "kill -9 while typing loses at most a second: the draft is back on reopening", arguments: E2EStores.kinds)
  func draftSurvivesKill(kind: E2EKind) throws {
    let store = try E2EStore.seeded(kind)
    defer { store.drop() }
    let first = try inbox.start(store)
    try reply(in: first)
    try first.sendKeys("C-u")
    try first.sendKeys("-l", "Hoi Sanne, dit concept mag niet verloren gaan ✍️")
    try first.waitFor("Hoi Sanne, dit concept mag niet verloren gaan ✍️")
    // Every key is in the editor now. The promise: it is saved by itself within about a second,
    // whatever happens next. The binary's clock is pinned (`REPUTE_NOW`), so the save's stamp
    // cannot say which save came last: wait until a draft is reported and more than the promised
    // second (real time, elapsed) has passed since the whole text was on screen.
    let typed = ContinuousClock.now
    func saved() throws -> String {
      try store.run(["show", "1"]).text
    }
    var shown = try saved()
    while ContinuousClock.now - typed < .seconds(10) {
      if shown.contains("Anna is writing a reply, saved "), ContinuousClock.now - typed > .milliseconds(1500)
      {
        break
      }
      usleep(100_000)
      shown = try saved()
    }
    // A teammate sees the draft, and whose it is.
    #expect(shown.contains("Anna is writing a reply"), "\(shown)")
    kill(try inbox.inboxPID(first), SIGKILL)
    try first.waitFor("EXITED")
    first.kill()

    let second = try inbox.start(store)
    defer { second.kill() }
    try reply(in: second, until: "your draft is back")
    try second.waitFor("Hoi Sanne, dit concept mag niet verloren gaan ✍️")
  }

  @Test(
    "a teammate's inbox marks the row ✎ with the name while the draft is being typed",
    arguments: E2EStores.kinds)
  func teammateSeesDraft(kind: E2EKind) throws {
    let store = try E2EStore.seeded(kind)
    defer { store.drop() }
    let anna = try inbox.start(store)
    defer { anna.kill() }
    let bram = try store.inbox(as: "Bram")
    defer { bram.kill() }
    try bram.waitFor("Repute · Bram")
    try reply(in: anna)
    try anna.sendKeys("-l", " Even kijken.")
    try bram.waitFor("Anna's draft in Bram's queue") { screen in
      screen.split(separator: "\n").contains { $0.contains("@sanne@") && $0.contains("✎Anna") }
    }
  }

  @Test("a reply over X's 280 characters is refused with the reason", arguments: E2EStores.kinds)
  func tooLongForX(kind: E2EKind) throws {
    let store = try E2EStore.seeded(kind)
    defer { store.drop() }
    let session = try inbox.start(store)
    defer { session.kill() }
    try reply(to: "@nieuwsjager", in: session, until: "Reply to @nieuwsjager · x")
    try session.sendKeys("C-u")
    let long = String(repeating: "De prijzen stijgen met 2,9 procent, niet 30. ", count: 7)
    try session.sendKeys("-l", long)
    try session.waitFor("the counter over 280") { $0.contains("/280") && $0.contains("too many") }
    try session.sendKeys("C-x")
    let screen = try session.waitFor("not sent: S12")
    #expect(screen.contains("of 280 characters on x (signature counted)"))
    #expect(try outbox(store).allSatisfy { ($0["text"] as? String)?.contains("2,9 procent") != true })
    // Esc keeps it as a draft; the queue is back.
    try session.sendKeys("Escape")
    try session.waitFor("draft kept")
  }

  @Test(
    "a bracketed paste lands in the editor as text: its q and newline are not commands",
    arguments: E2EStores.kinds)
  func bracketedPaste(kind: E2EKind) throws {
    let store = try E2EStore.seeded(kind)
    defer { store.drop() }
    let session = try inbox.start(store)
    defer { session.kill() }
    try reply(in: session)
    try session.sendKeys("C-u")
    try session.paste("quick fix: zie\nhttps://spoorlijn.example/hulp")
    try session.waitFor("https://spoorlijn.example/hulp")
    let screen = try session.waitFor("quick fix: zie")
    #expect(!screen.contains("EXITED"))
    #expect(screen.contains("Reply to @sanne@mastodon.nl"))
    try session.sendKeys("C-z")
    try session.waitFor("the paste undone in one step") { !$0.contains("quick fix") }
  }

  @Test(
    "word motions and kills arrive from the real terminal: Ctrl-←, Alt-b, Ctrl-K", arguments: E2EStores.kinds)
  func wordKeys(kind: E2EKind) throws {
    let store = try E2EStore.seeded(kind)
    defer { store.drop() }
    let session = try inbox.start(store)
    defer { session.kill() }
    try reply(in: session)
    try session.sendKeys("C-u")
    try session.sendKeys("-l", "een twee drie")
    try session.waitFor("een twee drie")
    try session.sendKeys("C-Left")
    try session.sendKeys("-l", "X")
    try session.waitFor("een twee Xdrie")
    try session.sendKeys("M-b", "M-b", "C-k")
    try session.waitFor("the line cut after een") { screen in
      screen.split(separator: "\n").contains { $0.trimmingCharacters(in: .whitespaces) == "een" }
    }
  }

  @Test("Ctrl-O runs $EDITOR on the text and takes the result back", arguments: E2EStores.kinds)
  func externalEditor(kind: E2EKind) throws {
    let store = try E2EStore.seeded(kind)
    defer { store.drop() }
    let script = store.folder.appendingPathComponent("ed.sh")
    try """
    #!/bin/sh
    [ "$(stat -c %a "$1")" = 600 ] || exit 3
    printf 'Sorry Sanne, geschreven in de editor.\\n' > "$1"
    """.write(to: script, atomically: true, encoding: .utf8)
    chmod(script.path, 0o700)
    let withEditor = try store.inbox(as: "Anna", environment: ["EDITOR": script.path, "VISUAL": ""])
    defer { withEditor.kill() }
    try reply(in: withEditor)
    try withEditor.sendKeys("C-o")
    try withEditor.waitFor("Sorry Sanne, geschreven in de editor.")
    #expect(try withEditor.display("#{alternate_on}") == "1")
  }

  @Test(
    "r on an unfounded accusation: Ctrl-X asks for an override naming S8, the reason queues it",
    arguments: E2EStores.kinds)
  func overrideTheAdvice(kind: E2EKind) throws {
    let store = try E2EStore.seeded(kind)
    defer { store.drop() }
    let seeded = try outbox(store).count
    let session = try inbox.start(store)
    defer { session.kill() }
    try reply(to: "@angryvoice", in: session, until: "Reply to @angryvoice")
    try session.sendKeys("C-u")
    try session.sendKeys("-l", "We hear you. Could you tell us what happened on your trip?")
    try session.waitFor("what happened on your trip?")
    // Nothing in the text itself is wrong; the advice is not to reply at all (S8).
    try session.sendKeys("C-x")
    let prompt = try session.waitFor("reason to reply anyway")
    #expect(prompt.contains("S8"), "\(prompt)")
    #expect(try outbox(store).count == seeded)
    try session.sendKeys("-l", "Management asked us to answer")
    try session.sendKeys("Enter")
    try session.waitFor("reply in the outbox: #")
    let records = try outbox(store)
    #expect(records.count == seeded + 1)
    #expect((records.last?["text"] as? String)?.hasSuffix("– Anna") == true)
    // The supervisor's pane lists the override: who, which rule, the reason.
    let carmen = try store.inbox(as: "Carmen", height: 40)
    defer { carmen.kill() }
    try carmen.waitFor("Repute · Carmen")
    try carmen.sendKeys("E")
    try carmen.waitFor("Escalation pane")
    let pane = try carmen.waitFor("the override on the pane") { screen in
      screen.split(separator: "\n").contains {
        $0.contains("Anna") && $0.contains("S8") && $0.contains("Management asked us to answer")
      }
    }
    #expect(pane.contains("against the advice"), "\(pane)")
  }
}

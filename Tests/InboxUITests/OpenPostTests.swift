import Desk
import Foundation
import Inbox
import InboxBackend
import InboxUI
import TerminalUI
import Testing

/// A fake browser: records what it was asked to open and answers as told.
final class FakeLinkOpener: LinkOpener {
  var answer: LinkOpening = .opened
  private(set) var opened: [String] = []

  func open(_ link: PostLink) -> LinkOpening {
    opened.append(link.url)
    return answer
  }
}

/// `O` opens the selected post on its platform, or shows its link to copy (issue 16).
@Suite("Opening the post")
struct OpenPostTests {
  let keys = InboxKeys.table(Strings(.en))

  func state(url: String?) -> InboxState {
    var s = InboxState(
      strings: Strings(.en), actor: "Anna", storeLabel: "t", size: Size(width: 120, height: 30), now: fixedNow
    )
    s.rows = [
      QueueRow(
        mention: Mention(
          id: 1, platform: "mastodon", externalID: "e1", url: url, author: Author(handle: "a"),
          createdAt: fixedNow, ingestedAt: fixedNow, text: "t", lang: "en", inReplyTo: nil, thread: nil,
          staff: false, category: .question, status: .open, deadlines: MentionDeadlines(), editCount: 0))
    ]
    s.list.setCount(1, height: s.layout.queueListHeight)
    return s
  }

  func press(_ s: inout InboxState, _ script: [String]) -> [InboxEffect] {
    Event.script(script).flatMap { s.handle($0, keys: keys) }
  }

  func app(url: String?, clipboard: Bool = false) throws -> (InboxApp, MemoryTerminal) {
    var incoming = mention("m1", "sanne", minutesAgo: 5, "Trein weer te laat.")
    incoming.url = url
    let (source, _) = try seededSource([incoming])
    let (app, terminal) = makeApp(source)
    terminal.clipboardSupported = clipboard
    app.start()
    return (app, terminal)
  }

  @Test("the link is checked: only http(s) of printable ASCII with a host")
  func linkCheck() {
    #expect(PostLink("https://mastodon.nl/@sanne/1")?.url == "https://mastodon.nl/@sanne/1")
    #expect(PostLink("HTTP://x.example/a?b=c") != nil)
    for bad in [
      nil, "", "javascript:alert(1)", "file:///etc/passwd", "https://", "mastodon.nl/@sanne/1",
      "https://x.example/\u{1B}]52;c;aGk=\u{07}", "https://x.example/a b", "https://x.example/\u{202E}",
      "-https://x.example", "https://x.example/\n",
    ] {
      #expect(PostLink(bad) == nil, "\(String(describing: bad))")
    }
  }

  @Test("O asks the app to open the selected mention's link; no link or a bad one says so")
  func reducer() {
    var s = state(url: "https://mastodon.nl/@a/1")
    #expect(press(&s, ["O"]) == [.openLink(PostLink("https://mastodon.nl/@a/1")!)])
    var none = state(url: nil)
    #expect(press(&none, ["O"]).isEmpty)
    #expect(none.message == StatusMessage("This mention has no link.", isError: true))
    var hostile = state(url: "https://x.example/\u{1B}[2J")
    #expect(press(&hostile, ["O"]).isEmpty)
    let shown = hostile.message?.text ?? ""
    #expect(shown.hasPrefix("Not opened") && !shown.contains("\u{1B}") && shown.contains("␛[2J"))
  }

  @Test("with an opener the link goes to the browser and the status line says so")
  func opens() throws {
    let (app, terminal) = try app(url: "https://mastodon.nl/@sanne/1")
    let opener = FakeLinkOpener()
    app.linkOpener = opener
    app.play(terminal, ["O"])
    #expect(opener.opened == ["https://mastodon.nl/@sanne/1"])
    #expect(
      terminal.screenText().last?.contains("Opened in the browser: https://mastodon.nl/@sanne/1") == true)
    #expect(app.state.mode == .queue)
  }

  @Test("without an opener the link is shown to copy; no clipboard, no question")
  func noOpener() throws {
    let (app, terminal) = try app(url: "https://mastodon.nl/@sanne/1")
    app.play(terminal, ["O"])
    #expect(
      terminal.screenText().last?.contains("No browser; the link: https://mastodon.nl/@sanne/1") == true)
    #expect(app.state.mode == .queue && terminal.copied.isEmpty)
    // The browser that fails to start shows the link too.
    let opener = FakeLinkOpener()
    opener.answer = .failed("no such file")
    app.linkOpener = opener
    app.play(terminal, ["O"])
    #expect(app.state.message?.text.contains("The browser did not start (no such file)") == true)
  }

  @Test("where the terminal takes OSC 52 the copy is offered: y copies, another key does not")
  func copyAfterAsking() throws {
    let (app, terminal) = try app(url: "https://mastodon.nl/@sanne/1", clipboard: true)
    app.play(terminal, ["O"])
    #expect(app.state.mode == .confirmCopy)
    #expect(terminal.screenText().last?.contains("Copy to the clipboard? y/n") == true)
    app.play(terminal, ["j"])  // Dutch "ja" also copies; nothing moved
    #expect(terminal.copied == ["https://mastodon.nl/@sanne/1"])
    #expect(app.state.mode == .queue && app.state.message?.text == "Link copied to the clipboard.")
    app.play(terminal, ["O", "n"])
    #expect(terminal.copied.count == 1 && app.state.mode == .queue)
    #expect(app.state.message?.text.hasPrefix("Not copied") == true)
  }

  @Test("OSC 52 is ESC ] 52 ; c ; base64 BEL")
  func osc52() {
    #expect(OSC52.sequence("https://x.example/a") == "\u{1B}]52;c;aHR0cHM6Ly94LmV4YW1wbGUvYQ==\u{07}")
    #expect(OSC52.sequence("ab") == "\u{1B}]52;c;YWI=\u{07}")
    #expect(OSC52.sequence("abc") == "\u{1B}]52;c;YWJj\u{07}")
    #expect(OSC52.sequence("") == "\u{1B}]52;c;\u{07}")
  }
}

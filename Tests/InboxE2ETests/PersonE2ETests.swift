import Foundation
import Testing

/// The person behind the posts in the real binary (issue 16): `p` opens the author's timeline,
/// and three identical posts from one commuter are one row `×3`, answered once.
@Suite(
  "the person behind the posts in tmux", .serialized,
  .enabled(if: TmuxSession.isAvailable, "tmux is not installed"))
struct PersonE2ETests {
  static let complaint =
    "Mijn trein is alweer geannuleerd en niemand weet iets, echt belachelijk slecht geregeld."

  /// Moves the selection down until the selected row shows `handle`.
  /// The queue's side of the selected row (left of the detail pane's border).
  static func selectedRow(_ screen: String) -> String {
    let row = screen.split(separator: "\n").first { $0.hasPrefix("▸") } ?? ""
    return String(row.split(separator: "│", omittingEmptySubsequences: false).first ?? "")
  }

  func select(_ handle: String, in session: TmuxSession) throws {
    for _ in 0..<20 {
      let screen = try session.capture()
      // The queue's side of the row only: the detail beside it changes when it arrives (issue 18).
      let selected = Self.selectedRow(screen)
      if selected.contains(handle) { return }
      try session.sendKeys("j")
      try session.waitFor("the selection to move off \(selected)") { Self.selectedRow($0) != selected }
    }
    throw TmuxSession.Failure(description: "no row for \(handle)")
  }

  @Test(
    "p shows the timeline; three identical posts are one row ×3, and one reply closes all three",
    arguments: E2EStores.kinds)
  func timelineAndFold(kind: E2EKind) throws {
    let store = try E2EStore.named(kind, "person-e2e")
    defer { store.drop() }
    let file = store.folder.appendingPathComponent("in.jsonl")
    let posts = ["10:00", "10:20", "10:40"].enumerated().map { i, time in
      #"{"platform":"mastodon","id":"p\#(i + 1)","created_at":"2026-11-24T\#(time):00Z","text":"\#(Self.complaint)","lang":"nl","author":{"handle":"pendelaar@mastodon.nl","name":"Pendelaar"}}"#
    }
    let other =
      #"{"platform":"mastodon","id":"q1","created_at":"2026-11-24T11:30:00Z","text":"Hoe laat vertrekt de eerste trein naar Utrecht?","lang":"nl","author":{"handle":"tom@mastodon.nl"}}"#
    try ((posts + [other]).joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
    let (status, text) = try store.run(["ingest", file.path])
    #expect(status == 0, "\(text)")

    let session = try store.inbox(as: "Anna")
    defer { session.kill() }
    try session.waitFor("×3")
    try select("@pendelaar", in: session)
    // The person view: its title, the header and a post.
    try session.sendKeys("p")
    try session.waitFor("Timeline · @pendelaar@mastodon.nl")
    let timeline = try session.waitFor("✉ post")
    #expect(timeline.contains("alweer geannuleerd"))
    #expect(!timeline.contains("eerste trein naar Utrecht"))
    try session.sendKeys("Escape")
    try session.waitFor("the queue again") { $0.contains("×3") && !$0.contains("Timeline ·") }

    // One reply on the row answers all three.
    try session.sendKeys("r")
    try session.waitFor("Reply to @pendelaar@mastodon.nl")
    try session.sendKeys("C-u")
    try session.sendKeys(
      "-l", "Sorry voor de rit, we zoeken uit wat er met je trein is gebeurd en bellen je.")
    try session.waitFor("en bellen je.")
    try session.sendKeys("C-x")
    let sent = try session.waitFor("the reply to go out or a question") {
      $0.contains("reply in the outbox: #") || $0.contains("Send anyway?")
    }
    if !sent.contains("reply in the outbox: #") {
      try session.sendKeys("y")
      try session.waitFor("reply in the outbox: #")
    }
    try session.sendKeys("q")
    try session.waitFor("EXITED 0")
    for id in 1...3 {
      let (status, json) = try store.run(["show", "\(id)", "--json"])
      #expect(status == 0, "\(json)")
      #expect(json.contains(#""status":"replied""#), "mention \(id): \(json)")
    }
    let (_, outbox) = try store.run(["outbox", "--json"])
    #expect(outbox.split(separator: "\n").count == 1, "\(outbox)")
  }

  @Test(
    "an open person view shows a post and a note on the person made by other processes",
    arguments: E2EStores.kinds)
  func followsOtherProcesses(kind: E2EKind) throws {
    let store = try E2EStore.named(kind, "person-follow-e2e")
    defer { store.drop() }
    let folder = store.folder
    func post(_ id: String, _ handle: String, _ time: String, _ text: String) -> String {
      #"{"platform":"mastodon","id":"\#(id)","created_at":"2026-11-24T\#(time):00Z","text":"\#(text)","lang":"nl","author":{"handle":"\#(handle)"}}"#
    }
    let first = folder.appendingPathComponent("first.jsonl")
    try (post("k1", "kees@mastodon.nl", "10:00", Self.complaint) + "\n").write(
      to: first, atomically: true, encoding: .utf8)
    #expect(try store.run(["ingest", first.path]).0 == 0)

    let session = try store.inbox(as: "Anna")
    defer { session.kill() }
    try select("@kees", in: session)
    try session.sendKeys("p")
    try session.waitFor("Timeline · @kees@mastodon.nl")

    // Another process stores Kees's next post, and someone else's: the view shows his only.
    let more = folder.appendingPathComponent("more.jsonl")
    let lines = [
      post("k2", "kees@mastodon.nl", "11:30", "En nu staat de trein weer stil bij Amersfoort."),
      post("t1", "tom@mastodon.nl", "11:31", "Rijdt de nachttrein vandaag?"),
    ]
    try (lines.joined(separator: "\n") + "\n").write(to: more, atomically: true, encoding: .utf8)
    #expect(try store.run(["ingest", more.path]).0 == 0)
    let timeline = try session.waitFor("stil bij Amersfoort")
    #expect(!timeline.contains("nachttrein"))

    // A note on the person from the command line (not on a mention): shown without a key.
    let (status, text) = try store.run(["person", "note", "1", "--text", "Pendelt dagelijks"], as: "Anna")
    #expect(status == 0, "\(text)")
    try session.waitFor("Pendelt dagelijks")
    try session.sendKeys("q")
  }
}

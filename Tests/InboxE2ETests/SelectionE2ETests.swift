import Foundation
import Testing

/// Issue 14, "the right mention", on the real binary at 60×16: a newer, more urgent mention
/// stored by another process while the detail is open leaves the detail, the `▸` and the next
/// action on the mention the responder chose.
@Suite(
  "the selection in tmux", .serialized, .enabled(if: TmuxSession.isAvailable, "tmux is not installed"))
struct SelectionE2ETests {
  /// The `@handle` on the line marked `▸`, when one is drawn.
  static func selectedAuthor(_ screen: String) -> String? {
    guard let line = screen.split(separator: "\n").first(where: { $0.hasPrefix("▸") }),
      let at = line.firstIndex(of: "@")
    else { return nil }
    return String(line[at...].prefix { $0 != " " })
  }

  /// The status line's open count (`open 11`).
  static func openCount(_ screen: String) -> Int? {
    guard let first = screen.split(separator: "\n").first, let range = first.range(of: "open ") else {
      return nil
    }
    return Int(first[range.upperBound...].prefix { $0.isNumber })
  }

  @Test(
    "at 60×16 with the detail open, an urgent arrival leaves detail, ▸ and claim on the same mention",
    arguments: E2EStores.kinds)
  func arrivalWithDetailOpen(kind: E2EKind) throws {
    let store = try E2EStore.seeded(kind, "select-e2e")
    defer { store.drop() }
    let session = try store.inbox(as: "Anna", width: 60, height: 16)
    defer { session.kill() }
    // At 60 columns the status line gives up "Repute" once the counts are in (`StatusLine`), and
    // the counts may be in by the first look: wait for the person and the open count instead.
    _ = try session.waitFor("the status line") {
      Self.openCount($0) != nil && $0.hasPrefix(" Anna · ") || $0.contains("Repute · Anna")
    }
    try session.sendKeys("j", "j")
    // The third row, whole: a capture may catch the frame halfway through drawing. The counts
    // too: a server store counts off the drawing thread, so the first frames may have none yet.
    let queue = try session.waitFor("the third row selected, and the open count") { screen in
      let lines = screen.split(separator: "\n")
      return lines.count > 4 && lines[4].hasPrefix("▸") && lines[4].contains("@")
        && screen.contains("? help") && Self.openCount(screen) != nil
    }
    let author = try #require(Self.selectedAuthor(queue))
    let opened = try #require(Self.openCount(queue))
    try session.sendKeys("Enter")
    // The detail fills the screen: its id line and the author's full handle.
    let detail = try session.waitFor("the detail of \(author)") { screen in
      screen.contains(" #") && screen.contains(" · ") && !screen.contains("▸")
        && screen.split(separator: "\n").contains { $0.contains(author) && $0.contains("followers") }
    }
    let idLine = try #require(detail.split(separator: "\n").first { $0.hasPrefix(" #") })
    let id = String(idLine.dropFirst(2).prefix { $0.isNumber })
    #expect(!id.isEmpty)

    // Complaints written 55 and 54 minutes ago: due in 5 and 6, above the selected mention.
    // Two, so the old window of three rows around the selection (the queue's height while the
    // detail fills the screen) loses the mention whenever the last count came in.
    let file = store.folder.appendingPathComponent("urgent.jsonl")
    let lines = [("urgent-1", "haast", 55), ("urgent-2", "spoed", 54)].map { id, handle, minutes in
      let at = ISO8601DateFormatter().string(from: ReputeBinary.now.addingTimeInterval(Double(-minutes * 60)))
      return
        #"{"platform":"mastodon","id":"\#(id)","created_at":"\#(at)","text":"Mijn trein is al een uur weg en niemand zegt iets. Belachelijk.","lang":"nl","author":{"handle":"\#(handle)@mastodon.nl","name":"\#(handle)"}}"#
    }
    try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
    #expect(try store.run(["ingest", file.path]).status == 0)

    // The inbox has taken the arrival in once its count shows in the status line.
    let after = try session.waitFor("the arrival counted") { screen in
      guard let now = Self.openCount(screen) else { return false }
      return now == opened + 2 && screen.contains("? help")
    }
    #expect(after.contains(" #\(id) · "), "\(after)")
    #expect(
      after.split(separator: "\n").contains { $0.contains(author) && $0.contains("followers") }, "\(after)")
    #expect(!after.contains("@haast") && !after.contains("@spoed"))

    try session.sendKeys("Escape")
    let closed = try session.waitFor("the queue again") { screen in
      screen.contains("category") && Self.selectedAuthor(screen) != nil && screen.contains("? help")
    }
    #expect(Self.selectedAuthor(closed) == author, "\(closed)")

    try session.sendKeys("c")
    try session.waitFor("claimed")
    let shown = try store.run(["show", id, "--json"])
    #expect(shown.status == 0)
    #expect(shown.text.contains(#""claimed_by":"Anna""#), "\(shown.text)")
    let listed = try store.run(["list", "--json"])
    let claimed = listed.text.split(separator: "\n").filter { $0.contains(#""claimed_by":"Anna""#) }
    #expect(claimed.count == 1 && claimed.first?.contains(#""id":\#(id),"#) == true, "\(claimed)")

    // The arrivals are in the queue above the mention that was selected.
    try session.sendKeys("g")
    try session.waitFor("the arrivals above \(author)") { screen in
      let lines = screen.split(separator: "\n")
      guard let arrival = lines.firstIndex(where: { $0.contains("@haast") }),
        let chosen = lines.firstIndex(where: { $0.contains(String(author.prefix(14))) })
      else { return false }
      return arrival < chosen && screen.contains("? help")
    }
  }
}

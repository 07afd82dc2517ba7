import Foundation
import Inbox
import Policy
import Testing

@testable import Store

/// "Earlier from this author" in the detail pane and the repeat-complainer count behind the
/// advice: only what the author wrote before the mention shown, never what came after it.
@Suite struct EarlierFromAuthorTests {
  static let shownAt = Date(timeIntervalSince1970: 1_795_500_000)

  /// Kees's posts, minutes from the one shown (negative: before it).
  static func post(_ id: String, minutes: Double, _ text: String) -> IncomingMention {
    IncomingMention(
      platform: "mastodon", externalID: id, author: Author(handle: "kees", name: "Kees"),
      createdAt: shownAt.addingTimeInterval(minutes * 60), text: text, lang: "nl", raw: "{}")
  }

  static let complaint = "Mijn trein is weer vertraagd en niemand zegt iets. Belachelijk."

  @Test("earlier posts are those created before the shown one; later posts are not counted")
  func onlyEarlier() throws {
    let dir = TempFolder()
    let store = try SQLiteStore(path: dir.path + "/repute.sqlite", clock: fixedClock)
    let annotator = PolicyAnnotator(policy: .default)
    // Stored out of order on purpose: ids say nothing about when a post was written.
    _ = try store.ingest(
      [
        Self.post("later-1", minutes: 30, Self.complaint),
        Self.post("shown", minutes: 0, Self.complaint),
        Self.post("before-1", minutes: -120, Self.complaint),
        Self.post("later-2", minutes: 60, Self.complaint),
        Self.post("before-2", minutes: -60, "Fijne reis gehad, dank jullie wel!"),
      ], actor: "test", annotator: annotator)
    let shownID = try #require(try store.mentionID(platform: "mastodon", externalID: "shown"))
    let shown = try #require(try store.entry(id: shownID)).mention
    let author = try store.author(of: shown)
    #expect(author.mentionCount == 5)
    #expect(author.earlier.map(\.externalID) == ["before-2", "before-1"])
    #expect(author.earlierCount == 2)
    #expect(author.earlierComplaints == 1)
  }

  @Test("the author's first post has nothing earlier, however much came after it")
  func firstPost() throws {
    let dir = TempFolder()
    let store = try SQLiteStore(path: dir.path + "/repute.sqlite", clock: fixedClock)
    _ = try store.ingest(
      (0..<4).map { Self.post("p\($0)", minutes: Double($0) * 10, Self.complaint) }, actor: "test",
      annotator: PolicyAnnotator(policy: .default))
    let first = try #require(try store.mentionID(platform: "mastodon", externalID: "p0"))
    let author = try store.author(of: try #require(try store.entry(id: first)).mention)
    #expect(author.earlier.isEmpty)
    #expect(author.earlierCount == 0)
    #expect(author.earlierComplaints == 0)
  }
}

import Desk
import Foundation
import Inbox
import InboxBackend
import InboxUI
import Policy
import Store
import TerminalUI
import Testing

/// The detail pane's "Earlier from this author" and the advice's repeat-complainer count look
/// back from the mention shown: posts the author wrote after it are neither listed nor counted.
@Suite("Earlier from this author")
struct EarlierFromAuthorUITests {
  static let complaint = "Mijn trein is weer vertraagd en niemand zegt iets. Belachelijk."

  /// Kees complained twice before the mention shown (an hour ago) and twice after it.
  func keesSource() throws -> (StoreSource, SQLiteStore, Int64) {
    let posts = [
      mention("k-before-1", "kees", minutesAgo: 300, Self.complaint),
      mention("k-before-2", "kees", minutesAgo: 200, Self.complaint),
      mention("k-shown", "kees", minutesAgo: 60, Self.complaint),
      mention("k-after-1", "kees", minutesAgo: 30, Self.complaint),
      mention("k-after-2", "kees", minutesAgo: 10, Self.complaint),
    ]
    let (source, store) = try seededSource(posts)
    let id = try #require(try store.mentionID(platform: "mastodon", externalID: "k-shown"))
    return (source, store, id)
  }

  @Test("the list and the count hold only posts written before the one shown")
  func detailLooksBack() throws {
    let (source, store, id) = try keesSource()
    let detail = try #require(try source.detail(id: id, now: fixedNow))
    let earlierIDs = Set(detail.earlier.map(\.externalID))
    #expect(earlierIDs == ["k-before-1", "k-before-2"])
    #expect(detail.earlier.allSatisfy { $0.createdAt < detail.row.mention.createdAt })
    // The advice counts the two complaints before, not the four others, in the UI's language
    // (English here), not the Dutch mention's: one language per screen.
    let explanation = try #require(detail.advice).explanation
    #expect(explanation.contains("complained 2 times before"), "\(explanation)")
    // Drawn: the heading counts the two earlier posts, and no later text is listed.
    var state = InboxState(
      strings: Strings(.en), actor: "Anna", storeLabel: "t", size: Size(width: 80, height: 60), now: fixedNow)
    state.timeZone = TimeZone(identifier: "UTC")!
    state.detail = detail
    let text = DetailText.lines(detail, state: state, width: 78).map { $0.spans.map(\.text).joined() }
    #expect(text.contains("Earlier from this author (2)"), "\(text)")
    _ = store
  }

  @Test("the author's first post has nothing earlier and no repeat-complainer advice")
  func firstPostHasNoPast() throws {
    let (source, store, _) = try keesSource()
    let first = try #require(try store.mentionID(platform: "mastodon", externalID: "k-before-1"))
    let detail = try #require(try source.detail(id: first, now: fixedNow))
    #expect(detail.earlier.isEmpty)
    let explanation = detail.advice?.explanation ?? ""
    #expect(!explanation.contains("klaagde"), "\(explanation)")
  }
}

import Foundation
import Inbox
import Policy
import Testing

/// The inbox's look after others' commits (issues 17 and 18) on both stores: the token, the feed,
/// the unread notices and the window's answer together, as the calls one by one give them (the
/// server's is one statement).
@Suite struct ChangeLookConformanceTests {
  let now = TestStores.now

  typealias Looked = any ChangeFeedStore & MentionStore & NoticeStore & QueueStore & ActionStore & AssignStore

  func ingest(_ s: Looked, _ ids: Range<Int>, platform: String = "mastodon") throws {
    _ = try s.ingest(
      ids.map { k in
        IncomingMention(
          platform: platform, externalID: "m\(k)", author: Author(handle: "@user\(k)@example.social"),
          createdAt: now, text: "My parcel is still not here (\(k)), and nobody answers my emails.",
          lang: "en", raw: "{}")
      }, actor: "t", annotator: PolicyAnnotator(policy: .default))
  }

  func id(_ s: Looked, _ k: Int) throws -> Int64 {
    try #require(try s.mentionID(platform: "mastodon", externalID: "m\(k)"))
  }

  /// The look and the calls it stands for, asked of the same store at the same moment.
  func expectSame(_ s: Looked, _ question: ChangeQuestion, _ comment: Comment) throws -> ChangeLook {
    let look = try s.look(question)
    let feed = try s.changedMentions(after: question.mark)
    #expect(look.token == (try s.changeToken()), comment)
    #expect(look.mark == feed.mark && look.ids == feed.ids && look.arrived == feed.arrived, comment)
    if let recipient = question.recipient {
      #expect(look.notices == (try s.noticeMark(for: recipient)), comment)
    } else {
      #expect(look.notices == nil, comment)
    }
    guard let reach = question.reach, let ids = feed.ids, let mark = question.mark else {
      #expect(look.reaches == nil, comment)
      return look
    }
    let above = reach.newAbove ?? (feed.arrived ? mark.newestMention : nil)
    let asked = reach.ids.union(ids)
    let reaches =
      asked.isEmpty && above == nil
      ? false : try s.reachesWindow(ids: asked, newAbove: above, anchor: reach.anchor, reach.filter, now: now)
    #expect(look.reaches == reaches, comment)
    return look
  }

  @Test(
    "the look gives the token, the feed, the notices and the window's answer together",
    arguments: TestStores.kinds)
  func oneLookAsTheCallsGiveIt(kind: StoreKind) throws {
    let store = try TestStore(kind)
    let s = try store.as(Looked.self)
    try ingest(s, 0..<30)
    // No mark yet: a mark, nothing named, nothing asked of the window.
    let first = try expectSame(s, ChangeQuestion(mark: nil, recipient: "Anna"), "no mark")
    #expect(first.ids == nil && first.notices == NoticeMark(unread: 0, newest: 0))
    let mark = first.mark
    let window = try s.queue(QueueFilter(), limit: 10, offset: 0, now: now).map(\.mention.id)
    let below = try s.queue(QueueFilter(), limit: 5, offset: 20, now: now).map(\.mention.id)
    func question(_ mark: ChangeFeedMark, ids: Set<Int64> = [], filter: QueueFilter = QueueFilter())
      -> ChangeQuestion
    {
      ChangeQuestion(
        mark: mark, recipient: "Anna",
        reach: ReachQuestion(ids: ids, newAbove: nil, anchor: window.last, filter: filter, now: now))
    }
    // Nothing since the mark.
    let quiet = try expectSame(s, question(mark), "nothing changed")
    #expect(quiet.ids == [] && quiet.reaches == false && quiet.token == first.token)
    // A row below the window changed: named, and it does not reach it.
    _ = try s.toggleClaim(id: below[0], actor: "Bob")
    let belowLook = try expectSame(s, question(mark), "a change below the window")
    #expect(belowLook.ids == [below[0]] && belowLook.reaches == false && belowLook.token != first.token)
    // A row in the window changed: it reaches it; asked again with it as an earlier change, too.
    _ = try s.toggleClaim(id: window[2], actor: "Bob")
    let inWindow = try expectSame(s, question(belowLook.mark), "a change in the window")
    #expect(inWindow.ids == [window[2]] && inWindow.reaches == true)
    let earlier = try expectSame(s, question(inWindow.mark, ids: [window[2]]), "an earlier change")
    #expect(earlier.ids == [] && earlier.reaches == true)
    // An assignment to Anna: its notice moves her mark; nobody else's.
    _ = try s.assign(id: below[1], to: "Anna", actor: "Sam")
    let assigned = try expectSame(s, question(inWindow.mark), "a notice")
    #expect(assigned.notices?.unread == 1 && assigned.notices?.newest != 0)
    #expect(
      try s.look(ChangeQuestion(mark: inWindow.mark, recipient: "Bob")).notices
        == NoticeMark(unread: 0, newest: 0))
    // New mentions: arrived, and they reach a window holding the queue's end only under a filter
    // they match.
    try ingest(s, 30..<32, platform: "rss")
    let atEnd = ChangeQuestion(
      mark: assigned.mark,
      reach: ReachQuestion(
        ids: [], newAbove: nil, anchor: nil, filter: QueueFilter(platforms: ["bluesky"]), now: now))
    let arrived = try expectSame(s, atEnd, "new mentions another platform")
    #expect(arrived.arrived && arrived.reaches == false && arrived.notices == nil)
    var rss = atEnd
    rss.reach?.filter = QueueFilter(platforms: ["rss"])
    #expect(try expectSame(s, rss, "new mentions of the filter's platform").reaches == true)
    // A search cannot be told from the rows: a change anywhere may reach it; no change, nothing.
    let search = QueueFilter(search: "parcel")
    #expect(
      try expectSame(s, question(arrived.mark, filter: search), "a search, nothing changed").reaches == false)
    #expect(
      try expectSame(s, question(arrived.mark, ids: [below[2]], filter: search), "a search").reaches == true)
  }

  @Test(
    "a mark the feed no longer reaches: anything may have changed, and the window is not asked",
    arguments: TestStores.kinds)
  func aMarkAheadOfTheFeed(kind: StoreKind) throws {
    let store = try TestStore(kind)
    let s = try store.as(Looked.self)
    try ingest(s, 0..<3)
    _ = try s.toggleClaim(id: try id(s, 0), actor: "anna")
    var ahead = try s.changedMentions(after: nil).mark
    ahead.seq += 1_000_000
    let look = try expectSame(
      s,
      ChangeQuestion(
        mark: ahead,
        reach: ReachQuestion(ids: [], newAbove: nil, anchor: nil, filter: QueueFilter(), now: now)),
      "a mark ahead")
    #expect(look.ids == nil && look.reaches == nil)
  }
}

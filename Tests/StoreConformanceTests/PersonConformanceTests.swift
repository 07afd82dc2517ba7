import Foundation
import Inbox
import Policy
import Testing

/// The person behind the posts (issue 16) on both stores: the timeline merges posts with what the
/// team did and pages without a gap, identities link and unlink with their audit events, the note
/// is on the person, a handle resolves as the commands name it, and an open person view is told
/// what touches the person.
@Suite struct PersonConformanceTests {
  typealias People = any QueueStore & ActionStore & OutboxStore & PersonStore & PersonChangeSource

  static let now = TestStores.now
  static let day: TimeInterval = 86_400
  static let complaint = "Mijn trein is weer vertraagd en niemand zegt iets. Belachelijk."

  static func post(
    _ id: String, _ handle: String, platform: String = "mastodon", daysAgo: Double, _ text: String
  ) -> IncomingMention {
    IncomingMention(
      platform: platform, externalID: id, author: Author(handle: handle),
      createdAt: now.addingTimeInterval(-daysAgo * day), text: text, lang: "nl", raw: "{}")
  }

  func open(_ kind: StoreKind, _ posts: [IncomingMention], annotator: (any MentionAnnotator)? = nil)
    throws -> (TestStore, People)
  {
    let store = try TestStore(kind)
    let s = try store.as(People.self)
    _ = try s.ingest(posts, actor: "test", annotator: annotator)
    return (store, s)
  }

  func id(_ s: People, _ external: String, platform: String = "mastodon") throws -> Int64 {
    try #require(try s.mentionID(platform: platform, externalID: external))
  }

  func authorOf(_ s: People, _ external: String, platform: String = "mastodon") throws -> Int64 {
    try #require(try s.identity(mentionID: try id(s, external, platform: platform))).authorID
  }

  @Test(
    "the timeline merges posts, replies, notes, escalations and watching, newest first",
    arguments: TestStores.kinds)
  func timelineMerge(kind: StoreKind) throws {
    let (store, s) = try open(
      kind,
      [
        Self.post("a", "kees", daysAgo: 10, Self.complaint),
        Self.post("b", "kees", daysAgo: 5, "Dank jullie!"),
        Self.post("c", "kees", daysAgo: 1, Self.complaint), Self.post("x", "anna", daysAgo: 2, "Iets anders"),
      ], annotator: defaultAnnotator)
    _ = store
    let (a, c) = (try id(s, "a"), try id(s, "c"))
    try s.addNote(mentionID: a, text: "belde ook", actor: "Anna")
    try s.escalate(mentionID: c, note: "weer", actor: "Anna")
    try s.toggleWatch(mentionID: c, actor: "Bram")
    try s.enqueueReply(
      mentionID: a, responder: "Anna", kind: .reply, text: "Sorry, we kijken ernaar. – Anna", policy: .default
    )
    let author = try authorOf(s, "a")
    let page = try s.timeline(of: author, after: nil, limit: 10)
    #expect(page.next == nil)
    let posts = page.items.filter { $0.kind == .mention }
    #expect(posts.map(\.text) == [Self.complaint, "Dank jullie!", Self.complaint])
    #expect(posts.map(\.actor) == ["kees", "kees", "kees"] && posts.allSatisfy { $0.platform == "mastodon" })
    #expect(posts.first?.state == "complaint · open")
    #expect(Set(page.items.map(\.kind)) == [.mention, .reply, .note, .escalation, .watch])
    #expect(page.items.map(\.at) == page.items.map(\.at).sorted(by: >))
    #expect(!page.items.contains { $0.text == "Iets anders" })
    // The team's lines, all at the pinned moment: by mention (newest id first), then as written.
    let team = page.items.filter { $0.kind != .mention }
    #expect(team.map(\.kind) == [.escalation, .watch, .reply, .note])
    #expect(team.map(\.mentionID) == [c, c, a, a])
    #expect(team.map(\.actor) == ["Anna", "Bram", "Anna", "Anna"])
    #expect(team.map(\.state) == ["new", "", "queued", ""])
    #expect(team[2].text == "Sorry, we kijken ernaar. – Anna" && team[3].text == "belde ook")
    // The summary: three posts, two complaints in 30 and 90 days, the last a day ago, watched.
    let summary = try s.person(of: author, now: Self.now)
    #expect(summary.posts == 3)
    #expect(summary.complaints30 == 2 && summary.complaints90 == 2)
    #expect(summary.lastComplaint == Self.now.addingTimeInterval(-Self.day))
    #expect(summary.watched)
    #expect(summary.identities.map(\.handle) == ["kees"])
    #expect(try s.person(of: try authorOf(s, "x"), now: Self.now).watched == false)
  }

  @Test("complaints count by their window, up to now, a repeat not again", arguments: TestStores.kinds)
  func complaintFigures(kind: StoreKind) throws {
    let (store, s) = try open(
      kind,
      [
        Self.post("old", "kees", daysAgo: 60, Self.complaint),
        Self.post("older", "kees", daysAgo: 130, Self.complaint + " Echt."),
        Self.post("recent", "kees", daysAgo: 1.0 / 24, Self.complaint + " Vandaag weer."),
        Self.post("later", "kees", daysAgo: -1, Self.complaint + " Morgen"),
      ], annotator: defaultAnnotator)
    // The same complaint again within the repeat window (the default policy's, once one is in
    // force): folded into the first, one complaint.
    try store.as((any PolicyStore).self).installPolicyIfMissing(source: "", actor: "test")
    _ = try s.ingest(
      [Self.post("again", "kees", daysAgo: 0.5 / 24, Self.complaint + " Vandaag weer.")], actor: "test",
      annotator: defaultAnnotator)
    #expect(try s.mention(id: try id(s, "again"))?.repeatOf == (try id(s, "recent")))
    let author = try authorOf(s, "old")
    let summary = try s.person(of: author, now: Self.now)
    #expect(summary.posts == 5)
    #expect(summary.complaints30 == 1 && summary.complaints90 == 2)
    #expect(summary.lastComplaint == Self.now.addingTimeInterval(-3600))
    // Seen from a month ago, the recent ones are not there yet.
    let before = try s.person(of: author, now: Self.now.addingTimeInterval(-30 * Self.day))
    #expect(before.complaints30 == 1 && before.complaints90 == 1)
    #expect(before.lastComplaint == Self.now.addingTimeInterval(-60 * Self.day))
    #expect(summary.note == nil && !summary.watched)
  }

  @Test("pages of the timeline follow each other without a gap or a repeat", arguments: TestStores.kinds)
  func paging(kind: StoreKind) throws {
    var posts = (0..<25).map { Self.post("p\($0)", "kees", daysAgo: Double($0), "bericht \($0)") }
    // Two at the same moment: the id breaks the tie, across a page's edge.
    posts.append(Self.post("twin", "kees", daysAgo: 9, "bericht 9b"))
    let (store, s) = try open(kind, posts)
    _ = store
    let author = try authorOf(s, "p0")
    var seen: [String] = []
    var pages = 0
    var cursor: TimelineCursor?
    repeat {
      let page = try s.timeline(of: author, after: cursor, limit: 10)
      seen += page.items.map(\.text)
      cursor = page.next
      pages += 1
    } while cursor != nil
    let expected = (0..<25).flatMap { $0 == 9 ? ["bericht 9b", "bericht 9"] : ["bericht \($0)"] }
    #expect(seen == expected)
    #expect(pages == 3)
    #expect(try s.timeline(of: author, after: nil, limit: 26).next == nil)
    #expect(try s.timeline(of: author, after: nil, limit: 25).next != nil)
  }

  @Test(
    "linked identities are one person: both timelines, one note; unlink splits them again",
    arguments: TestStores.kinds)
  func linking(kind: StoreKind) throws {
    let (store, s) = try open(
      kind,
      [
        Self.post("m1", "kees", daysAgo: 3, "op mastodon"),
        Self.post("b1", "kees.bsky.social", platform: "bluesky", daysAgo: 2, "op bluesky"),
      ])
    _ = store
    let masto = try authorOf(s, "m1")
    let bsky = try #require(try s.resolve(.handle("kees.bsky.social", platform: nil))).authorID
    try s.setPersonNote(of: bsky, text: "Vaste reiziger Utrecht", actor: "Anna")
    try s.link(masto, with: bsky, actor: "Anna")
    #expect(throws: PersonError.sameIdentity) { try s.link(bsky, with: masto, actor: "Anna") }
    for author in [masto, bsky] {
      let texts = try s.timeline(of: author, after: nil, limit: 10).items.map(\.text)
      #expect(texts == ["op bluesky", "op mastodon"])
      #expect(try s.personNote(of: author)?.text == "Vaste reiziger Utrecht")
      #expect(try s.person(of: author, now: Self.now).identities.count == 2)
      #expect(try s.person(of: author, now: Self.now).posts == 2)
    }
    #expect(try s.person(of: bsky, now: Self.now).identities.first?.authorID == bsky)
    #expect(try s.person(of: masto, now: Self.now).identities.map(\.authorID) == [masto, bsky])
    try s.unlink(bsky, actor: "Bram")
    #expect(throws: PersonError.notLinked("@kees.bsky.social")) { try s.unlink(bsky, actor: "Bram") }
    #expect(try s.timeline(of: masto, after: nil, limit: 10).items.map(\.text) == ["op mastodon"])
    // The note stays with the person the identity left.
    #expect(try s.personNote(of: masto)?.text == "Vaste reiziger Utrecht")
    #expect(try s.personNote(of: bsky) == nil)
    let trail = try s.allEvents().filter { $0.action.hasPrefix("person_") }
    #expect(trail.map(\.action) == ["person_note", "person_link", "person_unlink"])
    #expect(trail.map(\.actor) == ["Anna", "Anna", "Bram"])
    #expect(trail.allSatisfy { $0.mentionID == nil && $0.at == Self.now })
    let anchor = min(masto, bsky)
    #expect(
      trail.map(\.detail) == [
        #"{"author_id":\#(bsky),"person_id":\#(bsky)}"#,
        #"{"author_id":\#(masto),"with":\#(bsky),"person_id":\#(anchor)}"#,
        #"{"author_id":\#(bsky),"person_id":\#(anchor)}"#,
      ])
    // The trail names ids, never a handle or the note.
    for event in trail {
      #expect(!(event.detail ?? "").contains("kees") && !(event.detail ?? "").contains("Utrecht"))
    }
  }

  @Test(
    "linking joins the notes; the anchor leaving hands the person and its note on",
    arguments: TestStores.kinds)
  func anchors(kind: StoreKind) throws {
    let (store, s) = try open(
      kind,
      [
        Self.post("a", "kees", daysAgo: 3, "een"),
        Self.post("b", "kees", platform: "bluesky", daysAgo: 2, "twee"),
        Self.post("c", "kees", platform: "x", daysAgo: 1, "drie"),
      ])
    _ = store
    let (a, b, c) = (
      try authorOf(s, "a"), try authorOf(s, "b", platform: "bluesky"), try authorOf(s, "c", platform: "x")
    )
    try s.setPersonNote(of: a, text: "  eerste  ", actor: "Anna")
    #expect(try s.personNote(of: a) == PersonNote(text: "eerste", by: "Anna", at: Self.now))
    try s.setPersonNote(of: b, text: "tweede", actor: "Bram")
    try s.link(b, with: c, actor: "Bram")
    try s.link(c, with: a, actor: "Carmen")
    // The older note first; the one who linked wrote the joined note.
    #expect(try s.personNote(of: c) == PersonNote(text: "eerste\ntweede", by: "Carmen", at: Self.now))
    #expect(try s.personMark(of: b) == PersonMark(identities: [a, b, c], note: try s.personNote(of: a)))
    // The anchor (the lowest id) leaves: the others keep the person and the note.
    try s.unlink(a, actor: "Anna")
    #expect(try s.personNote(of: a) == nil)
    #expect(try s.personNote(of: b)?.text == "eerste\ntweede")
    #expect(try s.personMark(of: c).identities == [b, c])
    #expect(try s.personMark(of: a) == PersonMark(identities: [a], note: nil))
    // The last pair split: no link left, the note with the new anchor.
    try s.unlink(c, actor: "Anna")
    #expect(try s.personMark(of: b) == PersonMark(identities: [b], note: try s.personNote(of: b)))
    #expect(try s.personNote(of: b)?.text == "eerste\ntweede")
    #expect(throws: PersonError.notLinked("@kees")) { try s.unlink(b, actor: "Anna") }
    // An empty note removes it, with its own event.
    try s.setPersonNote(of: b, text: " \n ", actor: "Anna")
    #expect(try s.personNote(of: b) == nil)
    #expect(try s.allEvents().last?.action == "person_note_removed")
    #expect(throws: PersonError.noSuchAuthor("#9999")) { try s.link(b, with: 9999, actor: "Anna") }
    #expect(throws: PersonError.noSuchAuthor("#9999")) {
      try s.setPersonNote(of: 9999, text: "x", actor: "Anna")
    }
    #expect(throws: PersonError.noSuchAuthor("#9999")) { try s.unlink(9999, actor: "Anna") }
  }

  @Test("a handle on two platforms asks which; a platform: prefix picks one", arguments: TestStores.kinds)
  func resolving(kind: StoreKind) throws {
    let (store, s) = try open(
      kind,
      [
        Self.post("m1", "kees", daysAgo: 3, "een"),
        Self.post("b1", "kees", platform: "bluesky", daysAgo: 2, "twee"),
        Self.post("m2", "Joost", daysAgo: 2, "drie"), Self.post("m3", "joost", daysAgo: 2, "vier"),
        Self.post("m4", "Émile", daysAgo: 2, "vijf"),
      ])
    _ = store
    #expect(throws: PersonError.ambiguous("@kees", platforms: ["bluesky", "mastodon"])) {
      try s.resolve(.handle("kees", platform: nil))
    }
    let ref = try #require(PersonRef.parse("bluesky:@KEES"))
    #expect(try s.resolve(ref).platform == "bluesky")
    #expect(try s.resolve(.mention(try id(s, "m1"))).handle == "kees")
    #expect(throws: InboxError.notFound("no mention with id 9999")) { try s.resolve(.mention(9999)) }
    #expect(try s.identity(mentionID: 9999) == nil)
    #expect(throws: PersonError.noSuchAuthor("@nobody")) {
      try s.resolve(.handle("nobody", platform: nil))
    }
    #expect(throws: PersonError.noSuchAuthor("@kees on x")) { try s.resolve(.handle("kees", platform: "x")) }
    // The exact handle first, else any case (ASCII letters only, as SQLite's lower).
    #expect(try s.identities(handle: "@joost", platform: nil).map(\.handle) == ["joost"])
    #expect(try s.identities(handle: "Joost", platform: "mastodon").map(\.handle) == ["Joost"])
    #expect(try s.identities(handle: "JOOST", platform: nil).map(\.handle) == ["Joost", "joost"])
    #expect(try s.identities(handle: "ÉMILE", platform: nil).map(\.handle) == ["Émile"])
    #expect(try s.identities(handle: "émile", platform: nil).isEmpty)
  }

  @Test(
    "an open person view hears of a change to the person's posts, note or identities",
    arguments: TestStores.kinds)
  func changes(kind: StoreKind) throws {
    let (store, s) = try open(
      kind,
      [
        Self.post("k1", "kees", daysAgo: 3, "een"), Self.post("a1", "anna", daysAgo: 2, "twee"),
        Self.post("b1", "kees", platform: "bluesky", daysAgo: 1, "drie"),
      ])
    _ = store
    let (kees, anna, bsky) = (
      try authorOf(s, "k1"), try authorOf(s, "a1"), try authorOf(s, "b1", platform: "bluesky")
    )
    let (k1, a1, b1) = (try id(s, "k1"), try id(s, "a1"), try id(s, "b1", platform: "bluesky"))
    let before = try s.personMark(of: kees)
    #expect(before == PersonMark(identities: [kees], note: nil))
    #expect(try s.touchesPerson(of: kees, ids: [k1], newAbove: nil))
    #expect(try !s.touchesPerson(of: kees, ids: [a1, b1], newAbove: nil))
    #expect(try !s.touchesPerson(of: kees, ids: [], newAbove: nil))
    #expect(try !s.touchesPerson(of: kees, ids: [], newAbove: k1))
    #expect(try s.touchesPerson(of: anna, ids: [], newAbove: k1))
    #expect(try !s.touchesPerson(of: anna, ids: [], newAbove: a1))
    try s.link(kees, with: bsky, actor: "Anna")
    #expect(try s.personMark(of: kees) != before)
    #expect(try s.touchesPerson(of: kees, ids: [a1, b1], newAbove: nil))
    #expect(try s.touchesPerson(of: kees, ids: [], newAbove: a1))
    let linked = try s.personMark(of: bsky)
    try s.setPersonNote(of: bsky, text: "Vaste reiziger", actor: "Anna")
    #expect(try s.personMark(of: kees) != linked)
    #expect(try s.personMark(of: kees).note?.text == "Vaste reiziger")
    // A new post by the person is above the last id seen.
    _ = try s.ingest([Self.post("k2", "kees", daysAgo: 0, "vier")], actor: "test", annotator: nil)
    #expect(try s.touchesPerson(of: bsky, ids: [], newAbove: b1))
    #expect(try !s.touchesPerson(of: anna, ids: [], newAbove: b1))
  }
}

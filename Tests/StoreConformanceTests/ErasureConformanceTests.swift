import Foundation
import Inbox
import Policy
import Testing

/// The right to be forgotten and retention on both stores (`ErasureStore`): after a forget, the
/// author's text is in no table (nor the file, nor the search index); what others wrote keeps its
/// text with the handle and, where it refers to them, the name taken out; a tombstone refuses the
/// same posts later; purge erases by date; the counts say beforehand what would go.
@Suite struct ErasureConformanceTests {
  static let secret = "Zwartkopmeeuw Kwartelkoning belde mij over dossier 4711"
  static let needles = [
    "geheimzinnig", "Wendelmoet", "Zwaluwstaart", "Zwartkopmeeuw", "Kwartelkoning", "dossier 4711",
  ]

  @Test(
    "handle, name and quoted post go from others' text, raw, revisions, notes, drafts and search",
    arguments: TestStores.kinds)
  func quoting(_ kind: StoreKind) throws {
    let store = try TestStore(kind)
    let s = try store.as((any MentionStore & QueueStore & ActionStore & OutboxStore & ErasureStore).self)
    let quote = #"""
      {"id":"q1","content":"Klopt, @geheimzinnig heeft gelijk","account":{"acct":"buurman"},"quote":{"quoted_status":{"id":"s1","content":"Zwartkopmeeuw Kwartelkoning belde mij over dossier 4711","account":{"acct":"geheimzinnig","display_name":"Wendelmoet Zwaluwstaart"}}}}
      """#
    _ = try s.ingest(
      [
        erasurePost(
          "s1", Self.secret, handle: "geheimzinnig", name: "Wendelmoet Zwaluwstaart", minutesAgo: 30),
        erasurePost("q1", "Klopt, @geheimzinnig heeft gelijk", handle: "buurman", raw: quote),
        // A reply to their post: there their name refers to them.
        erasurePost(
          "n1", "Wendelmoet Zwaluwstaart belt ook over de vertraging", handle: "tante", minutesAgo: 5,
          replyTo: "s1"),
        erasurePost("p1", "Mijn trein is weer te laat", handle: "pendelaar", minutesAgo: 4),
      ], actor: "test", annotator: defaultAnnotator)
    _ = try s.indexSearch(limit: 20_000)
    let ids = try erasureIDs(store, "s1", "q1", "n1", "p1")
    let (s1, q1, n1, p1) = (ids[0], ids[1], ids[2], ids[3])
    // An edit keeps the earlier text naming them; a teammate's note and draft name them too, and
    // the team's note on their own post goes with it.
    _ = try s.ingest(
      [
        erasurePost(
          "n1", "Wendelmoet Zwaluwstaart belt ook over de vertraging (bewerkt)", handle: "tante",
          minutesAgo: 5, replyTo: "s1")
      ], actor: "test", annotator: defaultAnnotator)
    _ = try s.addNote(mentionID: q1, text: "Zie ook @geheimzinnig", actor: "Anna")
    _ = try s.addNote(mentionID: s1, text: "Kwartelkoning is een bekende klant", actor: "Anna")
    try s.saveDraft(
      mentionID: n1, author: "Bram", kind: .reply, text: "Beste, net als Wendelmoet Zwaluwstaart…")
    try s.saveDraft(mentionID: s1, author: "Bram", kind: .reply, text: "Beste Wendelmoet,")
    let before = try #require(try s.mention(id: q1))
    #expect(try s.mentionCount(author: "@Geheimzinnig", platform: nil) == 1)
    #expect(try s.authorCount(handle: "geheimzinnig", platform: "mastodon") == 1)
    #expect(try !s.wasForgotten(author: "geheimzinnig", platform: nil))

    let counts = try s.forget(author: "geheimzinnig", platform: nil, actor: "Sam")
    #expect(counts.mentions == 1 && counts.authors == 1 && counts.notes == 1)
    #expect(counts.quoting == 2)
    // The draft on their own post, and the one naming them on another (redacted, not erased).
    #expect(counts.replies == 2)
    #expect(try erasureLeftovers(store, Self.needles) == [])
    // Others' mentions keep their ids, category and status; the rest of their text stays.
    let after = try #require(try s.mention(id: q1))
    #expect(after.text == "Klopt, @[forgotten] heeft gelijk")
    #expect(after.category == before.category && after.status == before.status && !after.muted)
    let raw = try #require(try s.rawRecord(mentionID: q1))
    #expect(raw.contains("buurman") && !raw.contains("quoted_status"))
    #expect(try s.mention(id: n1)?.text == "[forgotten] belt ook over de vertraging (bewerkt)")
    #expect(try s.revisions(mentionID: n1).map(\.text) == ["[forgotten] belt ook over de vertraging"])
    #expect(try s.drafts(mentionID: n1).first?.text == "Beste, net als [forgotten]…")
    #expect(try s.mention(id: p1)?.text == "Mijn trein is weer te laat")
    // Their own post: an anonymous row, off the queue, with nothing of theirs.
    let erased = try #require(try s.mention(id: s1))
    #expect(erased.text == "" && erased.muted && erased.author.handle == "(forgotten)")
    #expect(try s.drafts(mentionID: s1).isEmpty && s.notes(mentionID: s1).isEmpty)
    #expect(try s.events(mentionID: s1).last?.action == "erased")
    // Search: the old words are gone from the index, the new text is found.
    let now = TestStores.now
    #expect(try s.queue(QueueFilter(search: "zwaluwstaart"), limit: 10, offset: 0, now: now).isEmpty)
    #expect(try s.queue(QueueFilter(search: "zwartkopmeeuw"), limit: 10, offset: 0, now: now).isEmpty)
    #expect(
      try s.queue(QueueFilter(search: "vertraging"), limit: 10, offset: 0, now: now).map(\.mention.id) == [n1]
    )
    let forget = try #require(try s.allEvents().last { $0.action == "forget" })
    #expect(forget.detail == #"{"mentions":1,"authors":1,"quoting":2}"# && forget.actor == "Sam")
    // The counts now say nobody; the tombstone says they were here; their post stays out.
    #expect(try s.mentionCount(author: "geheimzinnig", platform: nil) == 0)
    #expect(try s.authorCount(handle: "geheimzinnig", platform: nil) == 0)
    #expect(try s.wasForgotten(author: "@GeheimZinnig", platform: nil))
    #expect(try s.wasForgotten(author: "geheimzinnig", platform: "mastodon"))
    #expect(try !s.wasForgotten(author: "geheimzinnig", platform: "bluesky"))
    let again = try s.ingest(
      [erasurePost("s1", Self.secret, handle: "geheimzinnig", minutesAgo: 30)], actor: "test",
      annotator: defaultAnnotator)
    #expect(again.forgotten == 1 && again.new == 0)
    #expect(try erasureLeftovers(store, Self.needles) == [])
    // Forgotten twice: nothing left to erase.
    #expect(try s.forget(author: "geheimzinnig", platform: nil, actor: "Sam").authors == 0)
  }

  @Test(
    "the reasons the team typed lose the forgotten author; every event stays, as JSON",
    arguments: TestStores.kinds)
  func reasons(_ kind: StoreKind) throws {
    let store = try TestStore(kind)
    let s = try store.as((any MentionStore & QueueStore & ActionStore & OutboxStore & ErasureStore).self)
    _ = try s.ingest(
      [
        erasurePost(
          "s1", "Your staff are liars and thieves, all of them!!!", handle: "geheimzinnig",
          name: "Wendelmoet Zwaluwstaart", lang: "en"),
        erasurePost(
          "p1", "Thank you for the friendly help at the counter, great service!", handle: "pendelaar",
          lang: "en"),
        erasurePost(
          "p2", "My parcel is still not here, third week, and nobody answers.", handle: "tante", lang: "en"),
      ], actor: "test", annotator: defaultAnnotator)
    let ids = try erasureIDs(store, "s1", "p1", "p2")
    // Their own mention: the reason names them by handle and by name.
    try s.enqueueReply(
      mentionID: ids[0], responder: "Anna", kind: .reply, text: "We hear you. – Anna", policy: .default,
      needsApproval: false, expectedReplies: nil,
      againstAdvice: (rule: "S8", reason: "@geheimzinnig is Wendelmoet Zwaluwstaart, a known customer"))
    // Others' mentions: the handle goes, wherever it is.
    try s.enqueueReply(
      mentionID: ids[2], responder: "Bram", kind: .reply, text: "So sorry! – Bram", policy: .default,
      needsApproval: false, expectedReplies: nil,
      againstAdvice: (rule: "S5", reason: "same parcel as @Geheimzinnig"))
    try s.decideNoReply(
      ids: [ids[1]], reason: "thanked @geheimzinnig@social.example already", policy: .default, actor: "Anna")

    _ = try s.forget(author: "geheimzinnig", platform: nil, actor: "Sam")

    let reasons = try s.adviceOverrides().map(\.reason).sorted()
    #expect(reasons == ["@[forgotten] is [forgotten], a known customer", "same parcel as @[forgotten]"])
    #expect(try s.entry(id: ids[1])?.noReplyReason == "thanked @[forgotten] already")
    for event in try s.allEvents() {
      if let detail = event.detail {
        #expect((try? JSONSerialization.jsonObject(with: Data(detail.utf8))) != nil, "\(detail)")
      }
    }
    #expect(try erasureLeftovers(store, ["geheimzinnig", "Wendelmoet", "Zwaluwstaart"]) == [])
  }

  @Test(
    "one of two Annas is forgotten: the other's row, raw record and search stay as they were",
    arguments: TestStores.kinds)
  func sharedFirstName(_ kind: StoreKind) throws {
    let store = try TestStore(kind)
    let s = try store.as((any MentionStore & QueueStore & ErasureStore).self)
    func native(
      _ id: String, _ text: String, handle: String, name: String, replyTo: String? = nil,
      minutesAgo: Double = 10
    )
      -> IncomingMention
    {
      var raw = #"{"id":"\#(id)","author":{"handle":"\#(handle)","name":"\#(name)"},"text":"\#(text)""#
      if let replyTo { raw += #","in_reply_to":"\#(replyTo)""# }
      return erasurePost(
        id, text, handle: handle, name: name, raw: raw + "}", minutesAgo: minutesAgo, replyTo: replyTo)
    }
    _ = try s.ingest(
      [
        native("s1", "Mijn koffer is kwijt sinds dinsdag", handle: "anna_a", name: "Anna", minutesAgo: 30),
        native("b1", "Anna hier: de trein stond stil bij Gouda", handle: "anna_b", name: "Anna"),
        native("r1", "Sterkte Anna, mijn koffer was ook weg", handle: "piet", name: "Piet", replyTo: "s1"),
        native("r2", "Dank Anna, ik heb hetzelfde", handle: "anna_c", name: "Anna", replyTo: "s1"),
        native("k1", "Anna van de balie hielp mij top", handle: "kees", name: "Kees"),
      ], actor: "test", annotator: defaultAnnotator)
    _ = try s.indexSearch(limit: 20_000)
    let ids = try erasureIDs(store, "b1", "r1", "r2", "k1")
    let (b1, r1, r2, k1) = (ids[0], ids[1], ids[2], ids[3])
    let searches = ["anna", "gouda", "balie", "anna_b", "kees", "koffer"]
    func found() throws -> [[Int64]] {
      try searches.map { word in
        try s.queue(QueueFilter(search: word), limit: 50, offset: 0, now: TestStores.now).map(\.mention.id)
          .sorted()
      }
    }
    let before = (try s.mention(id: b1), try s.mention(id: k1), try s.rawRecord(mentionID: b1))
    let searchBefore = try found()

    _ = try s.forget(author: "anna_a", platform: nil, actor: "Sam")
    try s.compact()

    // The other Anna and the third person's Anna: not touched, in the row, the raw record or search.
    #expect(try s.mention(id: b1) == before.0)
    #expect(try s.mention(id: k1) == before.1)
    #expect(try s.rawRecord(mentionID: b1) == before.2)
    let searchAfter = try found()
    #expect(searchAfter[1] == searchBefore[1] && searchAfter[2] == searchBefore[2])
    #expect(searchAfter[3] == searchBefore[3] && searchAfter[4] == searchBefore[4])
    // "anna" still finds the other Anna, the third person's post, and the reply by anna_c (its
    // author's own handle); no longer Piet's reply, which named the forgotten one.
    #expect(searchAfter[0] == [b1, r2, k1])
    // A reply to the forgotten Anna names her by first name: redacted, in the text and the raw
    // record's text; the replier's own name stays, even when it is Anna too.
    #expect(try s.mention(id: r1)?.text == "Sterkte [forgotten], mijn koffer was ook weg")
    let raw1 = try #require(try s.rawRecord(mentionID: r1))
    #expect(raw1.contains("Sterkte [forgotten]") && raw1.contains(#""name":"Piet""#))
    #expect(try s.mention(id: r2)?.text == "Dank [forgotten], ik heb hetzelfde")
    let raw2 = try #require(try s.rawRecord(mentionID: r2))
    #expect(raw2.contains("Dank [forgotten]") && raw2.contains(#""name":"Anna""#))
    #expect(try s.mention(id: r2)?.author.name == "Anna")
  }

  @Test(
    "purge erases what was written before the cutoff, the authors left without a mention, and logs it",
    arguments: TestStores.kinds)
  func purge(_ kind: StoreKind) throws {
    let store = try TestStore(kind)
    let s = try store.as((any MentionStore & QueueStore & ErasureStore).self)
    let day = 24.0 * 60
    _ = try s.ingest(
      [
        erasurePost("o1", "Oude klacht over de Boomklever-lijn", handle: "oud", minutesAgo: 40 * day),
        erasurePost("o2", "Nog een oude over de Goudvink-halte", handle: "sanne", minutesAgo: 35 * day),
        erasurePost("n1", "Vandaag weer de Ijsvogel-trein te laat", handle: "sanne", minutesAgo: 60),
      ], actor: "test", annotator: defaultAnnotator)
    let cutoff = TestStores.now.addingTimeInterval(-30 * 86_400)
    #expect(try s.mentionCount(before: cutoff) == 2)
    let counts = try s.purge(before: cutoff, actor: "Sam")
    #expect(counts.mentions == 2 && counts.authors == 1)
    #expect(try s.mentionCount(before: cutoff) == 0)
    #expect(try s.authorCount(handle: "oud", platform: nil) == 0)
    #expect(try s.authorCount(handle: "sanne", platform: nil) == 1)
    let purge = try #require(try s.allEvents().last { $0.action == "purge" })
    #expect(purge.detail == #"{"before":"\#(RFC3339.format(cutoff))","mentions":2,"authors":1}"#)
    // Retention logs the cutoff, not each mention.
    #expect(try !s.allEvents().contains { $0.action == "erased" })
    #expect(try erasureLeftovers(store, ["Boomklever", "Goudvink"]) == [])
    #expect(try erasureLeftovers(store, ["Ijsvogel"]) == ["Ijsvogel"])
    // A purged post ingested again stays out.
    let again = try s.ingest(
      [erasurePost("o1", "Oude klacht over de Boomklever-lijn", handle: "oud", minutesAgo: 40 * day)],
      actor: "test", annotator: defaultAnnotator)
    #expect(again.forgotten == 1 && again.new == 0)
  }

  @Test(
    "the counts match the handle with or without @, in any case, on a platform or on all",
    arguments: TestStores.kinds)
  func counts(_ kind: StoreKind) throws {
    let store = try TestStore(kind)
    let s = try store.as((any MentionStore & ErasureStore).self)
    _ = try s.ingest(
      [
        erasurePost("1", "Eerste bericht", handle: "Jan_de_Wit"),
        erasurePost("2", "Tweede bericht", handle: "Jan_de_Wit"),
        IncomingMention(
          platform: "bluesky", externalID: "b1", author: Author(handle: "jan_de_wit"),
          createdAt: TestStores.now.addingTimeInterval(-600), text: "Derde", raw: "{}"),
        erasurePost("3", "Iemand anders", handle: "piet"),
      ], actor: "test", annotator: defaultAnnotator)
    #expect(try s.mentionCount(author: "@jan_de_wit", platform: nil) == 3)
    #expect(try s.mentionCount(author: "JAN_DE_WIT", platform: "mastodon") == 2)
    #expect(try s.authorCount(handle: "jan_de_wit", platform: nil) == 2)
    #expect(try s.authorCount(handle: "@Jan_de_Wit", platform: "bluesky") == 1)
    #expect(try s.authorCount(handle: "nobody", platform: nil) == 0)
    // Forgotten on one platform: the other keeps the author, and only that platform's tombstone.
    let counts = try s.forget(author: "jan_de_wit", platform: "bluesky", actor: "Sam")
    #expect(counts.mentions == 1 && counts.authors == 1)
    #expect(try s.wasForgotten(author: "jan_de_wit", platform: "bluesky"))
    #expect(try !s.wasForgotten(author: "jan_de_wit", platform: "mastodon"))
    #expect(try s.mentionCount(author: "jan_de_wit", platform: nil) == 2)
    #expect(try s.authorCount(handle: "(forgotten)", platform: nil) == 0)
  }
}

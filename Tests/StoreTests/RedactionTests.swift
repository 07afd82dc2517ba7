import Foundation
import GRDB
import Inbox
import Policy
import Testing

@testable import Store

private let now = RFC3339.parse("2026-03-02T10:00:00Z")!

@Suite("Redactor: what names a forgotten author")
struct RedactorTests {
  let redactor = Redactor(handles: ["geheimzinnig"], names: ["Wendelmoet Zwaluwstaart"])

  @Test(
    "handles and names are replaced, look-alikes are not",
    arguments: [
      ("Net als @geheimzinnig zei", "Net als @[forgotten] zei"),
      ("@Geheimzinnig@social.example klopt", "@[forgotten] klopt"),
      ("cc @GEHEIMZINNIG.", "cc @[forgotten]."),
      ("https://social.example/@geheimzinnig/1", "https://social.example/@[forgotten]/1"),
      ("wendelmoet  zwaluwstaart belde", "[forgotten] belde"),
      // A handle of letters only goes as an @-mention, never as a word of someone's sentence.
      ("geheimzinnig zegt het ook", "geheimzinnig zegt het ook"),
      // Another handle that starts the same, an e-mail address, a longer word: left alone.
      ("@geheimzinnigheid is iemand anders", "@geheimzinnigheid is iemand anders"),
      ("mail jan@geheimzinnig.nl", "mail jan@geheimzinnig.nl"),
      ("Wendelmoet alleen", "Wendelmoet alleen"),
    ])
  func redacts(text: String, expected: String) {
    #expect(redactor.redact(text).text == expected)
  }

  @Test("a full handle with a domain: the local part alone only when no other domain follows")
  func mastodonHandle() {
    let r = Redactor(handles: ["anna@social.example"], names: [])
    #expect(r.redact("dank @anna@social.example en @anna").text == "dank @[forgotten] en @[forgotten]")
    #expect(r.redact("@anna@other.example is een ander").count == 0)
  }

  @Test(
    "names: at least 4 letters and not a common word, unless they are several words",
    arguments: [
      ("Love", false), ("Shop", false), ("trein", false), ("Bo", false), ("Ann", false), ("Zoë", false),
      ("Wendelmoet", true), ("Anna de Wit", true), ("Zoëlla", true),
      // Several words only when one is no common word; one word only capitalised.
      ("Love Shop", false), ("De Trein", false), ("wendelmoet", false),
    ])
  func distinctive(name: String, expected: Bool) {
    #expect(Redactor.distinctive(name) == expected)
  }

  @Test("review: everyday words and look-alike names stay in other people's text")
  func everydayWords() {
    let train = Redactor(handles: ["detrein"], names: ["De Trein"])
    #expect(train.redact("Ik zat in de trein naar Utrecht").text == "Ik zat in de trein naar Utrecht")
    let service = Redactor(handles: ["klantenservice_nl"], names: ["Klantenservice"])
    #expect(service.redact("De klantenservice belde terug").text == "De klantenservice belde terug")
    #expect(service.redact("Klantenservice zei het al").text == "[forgotten] zei het al")
    #expect(service.redact("cc klantenservice_nl").text == "cc [forgotten]")
    let support = Redactor(handles: ["vertraging"], names: [])
    #expect(
      support.redact("Weer vertraging vandaag, @vertraging").text == "Weer vertraging vandaag, @[forgotten]")
    // A name split over a line break is still found by the quick filter.
    let r = Redactor(handles: ["wz"], names: ["Wendelmoet Zwaluwstaart"])
    #expect(r.needles.contains("zwaluwstaart"))
    #expect(r.redact("Wendelmoet\nZwaluwstaart belt").text == "[forgotten] belt")
  }

  @Test("a common-word name is left in other people's text; the handle still goes")
  func commonName() {
    let r = Redactor(handles: ["love1983"], names: ["Love"])
    #expect(r.redact("I love it, @love1983").text == "I love it, @[forgotten]")
  }

  @Test("a raw JSON record loses their embedded post and account, and keeps the rest")
  func raw() throws {
    let raw = #"""
      {"id":"9","content":"Klopt @geheimzinnig","account":{"acct":"buurman"},
       "mentions":[{"acct":"geheimzinnig","url":"https://s/@geheimzinnig"},{"acct":"tom"}],
       "quote":{"quoted_status":{"id":"1","content":"Zwartkopmeeuw geheim","account":{"acct":"geheimzinnig@s.example","display_name":"Wendelmoet Zwaluwstaart"}}}}
      """#
    let cleaned = try #require(redactor.redactRaw(raw, names: true))
    let object = try #require(try JSONSerialization.jsonObject(with: Data(cleaned.utf8)) as? [String: Any])
    #expect(object["content"] as? String == "Klopt @[forgotten]")
    #expect((object["mentions"] as? [[String: Any]])?.map { $0["acct"] as? String } == ["tom"])
    #expect((object["quote"] as? [String: Any])?["quoted_status"] == nil)
    #expect(!cleaned.contains("Zwartkopmeeuw") && !cleaned.lowercased().contains("geheimzinnig"))
    #expect((object["account"] as? [String: Any])?["acct"] as? String == "buurman")
    // X v2: the user row goes, and so does the tweet their id wrote; a Bluesky DID in a URI too.
    let x = #"""
      {"data":{"id":"5","text":"RT @geheimzinnig","author_id":"77"},
       "includes":{"users":[{"id":"42","username":"geheimzinnig"},{"id":"77","username":"buur"}],
       "tweets":[{"id":"4","text":"origineel","author_id":"42"}]}}
      """#
    let xCleaned = try #require(redactor.redactRaw(x, names: true))
    #expect(!xCleaned.contains("origineel") && !xCleaned.contains("\"42\"") && xCleaned.contains("buur"))
    let bsky = #"""
      {"post":{"author":{"handle":"buur.bsky.social"},"record":{"text":"zie"},
       "embed":{"record":{"uri":"at://did:plc:abc/app.bsky.feed.post/1","author":{"did":"did:plc:abc","handle":"geheimzinnig"}}},
       "reply":{"parent":{"uri":"at://did:plc:abc/app.bsky.feed.post/1"}}}}
      """#
    let bskyCleaned = try #require(redactor.redactRaw(bsky, names: true))
    #expect(!bskyCleaned.contains("did:plc:abc") && bskyCleaned.contains("zie"))
    // Nothing of theirs: nil, the record is left as read.
    #expect(redactor.redactRaw(#"{"content":"niets"}"#, names: true) == nil)
    #expect(redactor.redactRaw("1,tom,zegt @geheimzinnig", names: true) == "1,tom,zegt @[forgotten]")
  }
}

@Suite("Forget reaches what others wrote")
struct QuotingForgetTests {
  static let secret = "Zwartkopmeeuw Kwartelkoning belde mij over dossier 4711"

  func mention(
    _ id: String, _ text: String, handle: String, name: String? = nil, raw: String? = nil,
    minutesAgo: Double = 10, replyTo: String? = nil
  ) -> IncomingMention {
    IncomingMention(
      platform: "mastodon", externalID: id, author: Author(handle: handle, name: name, followers: 80),
      createdAt: now.addingTimeInterval(-minutesAgo * 60), text: text, lang: "nl", inReplyTo: replyTo,
      raw: raw ?? #"{"id":"\#(id)","text":"\#(text)"}"#)
  }

  func bytes(_ path: String) -> Data {
    var data = FileManager.default.contents(atPath: path) ?? Data()
    data.append(FileManager.default.contents(atPath: path + "-wal") ?? Data())
    data.append(FileManager.default.contents(atPath: path + "-shm") ?? Data())
    return data
  }

  @Test("handle, name and quoted post go from others' text, raw, revisions, notes, drafts and search")
  func quoting() throws {
    let folder = TempFolder()
    let path = folder.path + "/repute.sqlite"
    let store = try SQLiteStore(path: path, clock: .fixed(now))
    let annotator = PolicyAnnotator(policy: .default)
    let quote = #"""
      {"id":"q1","content":"Klopt, @geheimzinnig heeft gelijk","account":{"acct":"buurman"},"quote":{"quoted_status":{"id":"s1","content":"Zwartkopmeeuw Kwartelkoning belde mij over dossier 4711","account":{"acct":"geheimzinnig","display_name":"Wendelmoet Zwaluwstaart"}}}}
      """#
    _ = try store.ingest(
      [
        mention("s1", Self.secret, handle: "geheimzinnig", name: "Wendelmoet Zwaluwstaart", minutesAgo: 30),
        mention("q1", "Klopt, @geheimzinnig heeft gelijk", handle: "buurman", raw: quote),
        // A reply to their post: there their name refers to them.
        mention(
          "n1", "Wendelmoet Zwaluwstaart belt ook over de vertraging", handle: "tante", minutesAgo: 5,
          replyTo: "s1"),
        mention("p1", "Mijn trein is weer te laat", handle: "pendelaar", minutesAgo: 4),
      ], actor: "test", annotator: annotator)
    try store.indexSearch()
    let q1 = try #require(try store.mentionID(platform: "mastodon", externalID: "q1"))
    let n1 = try #require(try store.mentionID(platform: "mastodon", externalID: "n1"))
    let p1 = try #require(try store.mentionID(platform: "mastodon", externalID: "p1"))
    // An edit keeps the earlier text naming them; a teammate's note and draft name them too.
    _ = try store.ingest(
      [
        mention(
          "n1", "Wendelmoet Zwaluwstaart belt ook over de vertraging (bewerkt)", handle: "tante",
          minutesAgo: 5, replyTo: "s1")
      ],
      actor: "test", annotator: annotator)
    _ = try store.addNote(mentionID: q1, text: "Zie ook @geheimzinnig", actor: "Anna")
    try store.saveDraft(
      mentionID: n1, author: "Bram", kind: .reply, text: "Beste, net als Wendelmoet Zwaluwstaart…")
    let before = try #require(try store.mention(id: q1))
    let other = try SQLiteStore(path: path, mode: .existing, clock: fixedClock)

    let counts = try store.forget(author: "geheimzinnig", actor: "Sam")
    #expect(counts.mentions == 1)
    #expect(counts.quoting == 2)
    #expect(counts.replies == 1)
    #expect(try store.compact())
    let data = bytes(path)
    for needle in [
      "geheimzinnig", "Geheimzinnig", "Wendelmoet", "wendelmoet", "Zwaluwstaart", "zwaluwstaart",
      "Zwartkopmeeuw", "zwartkopmeeuw", "dossier 4711",
    ] {
      #expect(!data.contains(Data(needle.utf8)), "\(needle) is still in the store file")
    }
    // Their mentions keep their ids, category and status; the rest of their text stays.
    let after = try #require(try other.mention(id: q1))
    #expect(after.text == "Klopt, @[forgotten] heeft gelijk")
    #expect(after.category == before.category && after.status == before.status && !after.muted)
    let raw = try #require(try other.rawRecord(mentionID: q1))
    #expect(raw.contains("buurman") && !raw.contains("quoted_status"))
    #expect(try other.mention(id: n1)?.text == "[forgotten] belt ook over de vertraging (bewerkt)")
    #expect(try other.revisions(mentionID: n1).map(\.text) == ["[forgotten] belt ook over de vertraging"])
    #expect(try other.drafts(mentionID: n1).first?.text == "Beste, net als [forgotten]…")
    #expect(try other.mention(id: p1)?.text == "Mijn trein is weer te laat")
    #expect(data.contains(Data("Mijn trein is weer te laat".utf8)))
    // Search: the old words are gone from the index, the new text is found.
    #expect(try other.queue(QueueFilter(search: "zwaluwstaart"), limit: 10, offset: 0, now: now).isEmpty)
    #expect(
      try other.queue(QueueFilter(search: "vertraging"), limit: 10, offset: 0, now: now).map(\.mention.id)
        == [
          n1
        ])
    #expect(try other.allEvents().last { $0.action == "forget" }?.detail?.contains("\"quoting\":2") == true)
  }

  @Test("a crash after the redaction leaves a forget that can be run again: the author is still there")
  func crashAfterRedaction() throws {
    let folder = TempFolder()
    let path = folder.path + "/repute.sqlite"
    let store = try SQLiteStore(path: path, clock: .fixed(now))
    _ = try store.ingest(
      [
        mention("s1", Self.secret, handle: "geheimzinnig", name: "Wendelmoet Zwaluwstaart", minutesAgo: 30),
        mention("q1", "Klopt, @geheimzinnig heeft gelijk", handle: "buurman"),
      ], actor: "test", annotator: PolicyAnnotator(policy: .default))
    // What forget does first, then the process dies.
    let author = try #require(
      try store.pool.read {
        try Int64.fetchOne($0, sql: "SELECT id FROM authors WHERE handle = 'geheimzinnig'")
      })
    #expect(try store.redact(try store.redactor(author: "geheimzinnig"), sparing: [author]).quoting == 1)
    #expect(try store.authorCount(handle: "geheimzinnig") == 1)
    // Run again: everything is done, nothing redacted twice.
    let counts = try store.forget(author: "geheimzinnig", actor: "Sam")
    #expect(counts.mentions == 1 && counts.quoting == 0)
    try store.compact()
    #expect(!bytes(path).contains(Data("Zwartkopmeeuw".utf8)))
    #expect(!bytes(path).contains(Data("geheimzinnig".utf8)))
  }
}

@Suite("Forget erases the person, not everyone who shares a first name")
struct ErasureScopeTests {
  func native(
    _ id: String, _ text: String, handle: String, name: String, replyTo: String? = nil,
    minutesAgo: Double = 10
  ) -> IncomingMention {
    var raw = #"{"id":"\#(id)","author":{"handle":"\#(handle)","name":"\#(name)"},"text":"\#(text)""#
    if let replyTo { raw += #","in_reply_to":"\#(replyTo)""# }
    raw += "}"
    return IncomingMention(
      platform: "mastodon", externalID: id, author: Author(handle: handle, name: name, followers: 80),
      createdAt: now.addingTimeInterval(-minutesAgo * 60), text: text, lang: "nl", inReplyTo: replyTo,
      raw: raw)
  }

  func row(_ store: SQLiteStore, _ id: Int64) throws -> Row? {
    try store.pool.read { db in
      try Row.fetchOne(
        db,
        sql:
          "SELECT m.*, a.handle AS a_handle, a.name AS a_name FROM mentions m JOIN authors a ON a.id = m.author_id WHERE m.id = ?",
        arguments: [id])
    }
  }

  @Test("one of two Annas is forgotten: the other's row, raw record and search entry stay byte for byte")
  func sharedFirstName() throws {
    let folder = TempFolder()
    let store = try SQLiteStore(path: folder.path + "/repute.sqlite", clock: .fixed(now))
    _ = try store.ingest(
      [
        native("s1", "Mijn koffer is kwijt sinds dinsdag", handle: "anna_a", name: "Anna", minutesAgo: 30),
        native("b1", "Anna hier: de trein stond stil bij Gouda", handle: "anna_b", name: "Anna"),
        native("r1", "Sterkte Anna, mijn koffer was ook weg", handle: "piet", name: "Piet", replyTo: "s1"),
        native("r2", "Dank Anna, ik heb hetzelfde", handle: "anna_c", name: "Anna", replyTo: "s1"),
        native("k1", "Anna van de balie hielp mij top", handle: "kees", name: "Kees"),
      ], actor: "test", annotator: PolicyAnnotator(policy: .default))
    try store.indexSearch()
    func id(_ external: String) throws -> Int64 {
      let found = try store.mentionID(platform: "mastodon", externalID: external)
      return try #require(found)
    }
    let b1 = try id("b1")
    let r1 = try id("r1")
    let r2 = try id("r2")
    let k1 = try id("k1")
    let searches = ["anna", "gouda", "balie", "anna_b", "kees", "koffer"]
    func found() throws -> [[Int64]] {
      try searches.map { word in
        try store.queue(QueueFilter(search: word), limit: 50, offset: 0, now: now).map(\.mention.id).sorted()
      }
    }
    let before = (try row(store, b1), try row(store, k1), try store.rawRecord(mentionID: b1))
    let searchBefore = try found()

    _ = try store.forget(author: "anna_a", actor: "Sam")
    try store.compact()

    // The other Anna and the third person's Anna: not touched, in the row, the raw record or search.
    #expect(try row(store, b1) == before.0)
    #expect(try row(store, k1) == before.1)
    #expect(try store.rawRecord(mentionID: b1) == before.2)
    let searchAfter = try found()
    #expect(searchAfter[1] == searchBefore[1] && searchAfter[2] == searchBefore[2])
    #expect(searchAfter[3] == searchBefore[3] && searchAfter[4] == searchBefore[4])
    // "anna" still finds the other Anna, the third person's post, and the reply by anna_c (its
    // author's own handle); no longer Piet's reply, which named the forgotten one.
    #expect(searchAfter[0] == [b1, r2, k1])
    // A reply to the forgotten Anna names her by first name: redacted, in the text and the raw
    // record's text; the replier's own name stays, even when it is Anna too.
    #expect(try store.mention(id: r1)?.text == "Sterkte [forgotten], mijn koffer was ook weg")
    let raw1 = try #require(try store.rawRecord(mentionID: r1))
    #expect(raw1.contains("Sterkte [forgotten]") && raw1.contains(#""name":"Piet""#))
    #expect(try store.mention(id: r2)?.text == "Dank [forgotten], ik heb hetzelfde")
    let raw2 = try #require(try store.rawRecord(mentionID: r2))
    #expect(raw2.contains("Dank [forgotten]") && raw2.contains(#""name":"Anna""#))
    #expect(try row(store, r2)?["a_name"] as String? == "Anna")
  }
}

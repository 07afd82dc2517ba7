import Foundation
import Testing

@testable import Inbox

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

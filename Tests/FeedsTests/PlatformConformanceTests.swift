import Foundation
import Inbox
import Testing

@testable import Feeds

/// Bluesky against twitwi's expected normalisation; X against twarc's recorded pages.
@Suite struct BlueskyConformanceTests {
  /// Each PostView or FeedViewPost compared with the last entry of its twitwi normalisation (the
  /// post itself; earlier entries are the posts it quotes).
  static func check(posts: [Any], normalized: [Any]) {
    #expect(posts.count == normalized.count)
    for (value, expected) in zip(posts, normalized) {
      guard let object = JSONObject(value), let want = JSONObject((expected as? [Any])?.last) else {
        Issue.record("a fixture entry is not an object")
        continue
      }
      let outcomes = BlueskyFormat().post(object, item: nil)
      guard case .mention(let m)? = outcomes.first else {
        Issue.record("not read: \(want.string("uri") ?? "?"): \(outcomes)")
        continue
      }
      #expect(m.platform == "bluesky")
      #expect(m.externalID == want.string("uri"))
      #expect(m.url == want.string("url"), "link built from the handle and the record key")
      #expect(m.author.handle == want.string("user_handle"))
      #expect(m.author.name == want.text("user_display_name"))
      #expect(m.inReplyTo == want.text("to_post_uri"), "reply reference: the parent")
      #expect(m.thread == (want.text("to_root_post_uri") ?? want.string("uri")), "the thread is the root")
      if let seconds = want.int("timestamp_utc") {
        #expect(Int(m.createdAt.timeIntervalSince1970.rounded(.towardZero)) == seconds, "twitwi truncates")
      }
      let record = (object.object("post") ?? object).object("record")!
      let facets = BlueskyFormat.facetSummary(record)
      #expect(facets.mentions == ((want.array("mentioned_user_dids") as? [String]) ?? []).sorted())
      let tags = Set((want.array("hashtags") as? [String]) ?? [])
      #expect(Set(facets.tags).isSubset(of: tags), "facet hashtags are twitwi's hashtags")
      // Links expanded: every usable link facet's full address is in the text. (The corpus also
      // holds facets whose ranges cut characters or run past the text: those are left alone.)
      let usable = BlueskyFormat.linkRanges(
        Array(record.string("text")!.utf8), facets: record.objects("facets"))
      for link in usable { #expect(m.text.contains(link.uri)) }
      if usable.isEmpty { #expect(m.text == record.string("text")) }
      _ = facets.links
      if let langs = record.array("langs") as? [String], let first = langs.first {
        #expect(m.lang == BlueskyFormat.primaryLanguage(first))
      }
      #expect(
        JSONObject(try? JSONSerialization.jsonObject(with: Data(m.raw.utf8)))?.string("uri") == m.externalID)
    }
  }

  @Test func theCopiedFixturesMatchTwitwi() throws {
    let posts = try #require(Fixture.json("bluesky-twitwi/bluesky-posts.json") as? [Any])
    let normalized = try #require(Fixture.json("bluesky-twitwi/bluesky-normalized-posts.json") as? [Any])
    #expect(posts.count == 16)
    Self.check(posts: posts, normalized: normalized)
  }

  @Test(
    "all 123 posts of the shared corpus match twitwi",
    .enabled(if: Fixture.corpora != nil, "../shared/corpora is absent"))
  func theWholeCorpusMatchesTwitwi() throws {
    let base = Fixture.corpora!.appendingPathComponent("bluesky-twitwi")
    let posts = try #require(
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: base.appendingPathComponent("bluesky-posts.json")))
        as? [Any])
    let normalized = try #require(
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: base.appendingPathComponent("bluesky-normalized-posts.json"))) as? [Any])
    #expect(posts.count == 123)
    Self.check(posts: posts, normalized: normalized)
  }

  @Test func theFixtureFileReadsWholeThroughAutoDetection() {
    let parsed = Fixture.parse("bluesky-twitwi/bluesky-posts.json")
    #expect(parsed.rejections.isEmpty)
    #expect(parsed.mentions.count == 16)
    #expect(
      MentionFormat.detect(Fixture.bytes("bluesky-twitwi/bluesky-posts.json"), name: "p.json") == .bluesky)
  }

  @Test func searchPostsEnvelopesAndThreadsAndMissingPosts() throws {
    let posts = try #require(Fixture.json("bluesky-twitwi/bluesky-posts.json") as? [Any])
    let plain = posts.filter { JSONObject($0)?.has("post") == false }.prefix(3)
    let envelope = try JSONSerialization.data(withJSONObject: [
      "posts": Array(plain), "cursor": "3", "hitsTotal": 3,
    ])
    let search = FormatReader(format: .auto).parse(Array(envelope), name: "search.json")
    #expect(search.mentions.count == 3 && search.rejections.isEmpty)

    let reply = try #require(JSONObject(plain.first))
    let thread: [String: Any] = [
      "thread": [
        "$type": "app.bsky.feed.defs#threadViewPost", "post": reply.fields,
        "parent": [
          "$type": "app.bsky.feed.defs#notFoundPost", "uri": "at://did:plc:x/app.bsky.feed.post/gone",
          "notFound": true,
        ],
        "replies": [],
      ]
    ]
    let read = FormatReader(format: .bluesky).parse(
      Array(try JSONSerialization.data(withJSONObject: thread)), name: "thread.json")
    #expect(read.mentions.count == 2)
    let gone = try #require(read.mentions.first { $0.isTombstone })
    #expect(gone.externalID == "at://did:plc:x/app.bsky.feed.post/gone" && gone.deletion == "deleted")
  }

  @Test func facetsAreUTF8ByteRangesAndBadOnesAreIgnored() {
    // "Zie 🙂 acme.example/sto…" — the emoji is four bytes, so the link starts at byte 9.
    let text = "Zie 🙂 acme.example/sto…"
    let start = "Zie 🙂 ".utf8.count
    func facet(_ s: Int, _ e: Int) -> JSONObject {
      JSONObject([
        "index": ["byteStart": s, "byteEnd": e],
        "features": [["$type": "app.bsky.richtext.facet#link", "uri": "https://acme.example/storing"]],
      ])
    }
    #expect(
      BlueskyFormat.expandLinks(text, facets: [facet(start, text.utf8.count)])
        == "Zie 🙂 https://acme.example/storing")
    // Out of range, reversed, or inside the emoji: the text stays as it was.
    #expect(BlueskyFormat.expandLinks(text, facets: [facet(start, 999)]) == text)
    #expect(BlueskyFormat.expandLinks(text, facets: [facet(9, 3)]) == text)
    #expect(BlueskyFormat.expandLinks(text, facets: [facet(5, 12)]) == text)
  }

  @Test func theLexiconNamesTheFieldsWeRead() throws {
    let post = try #require(Fixture.json("atproto-lexicons/app.bsky.feed.post.json") as? [String: Any])
    let record = try #require(
      JSONObject(JSONObject(JSONObject(post)?.object("defs")?.object("main")?["record"])?["properties"]))
    for field in ["text", "facets", "reply", "langs", "createdAt"] { #expect(record.has(field), "\(field)") }
    let facet = try #require(Fixture.json("atproto-lexicons/app.bsky.richtext.facet.json") as? [String: Any])
    let byteSlice = try #require(JSONObject(facet)?.object("defs")?.object("byteSlice")?.object("properties"))
    #expect(byteSlice.has("byteStart") && byteSlice.has("byteEnd"))
    let defs = try #require(Fixture.json("atproto-lexicons/app.bsky.feed.defs.json") as? [String: Any])
    let views = try #require(JSONObject(defs)?.object("defs"))
    #expect(views.object("notFoundPost")?.object("properties")?.has("notFound") == true)
    #expect(views.object("feedViewPost")?.object("properties")?.has("post") == true)
  }
}

@Suite struct XConformanceTests {
  @Test func aRetweetStandsForTheTweetItRepeatsWithItsAuthorJoined() throws {
    let parsed = Fixture.parse("x-v2-twarc/two_tweets.jsonl")
    #expect(parsed.rejections.isEmpty)
    let m = try #require(parsed.mentions.first)
    let page = try #require(JSONObject(Fixture.json("x-v2-twarc/two_tweets.jsonl")))
    let retweet = try #require(page.objects("data").first)
    #expect(retweet.objects("referenced_tweets").first?.string("type") == "retweeted")
    let tweet = try #require(page.object("includes")?.objects("tweets").first)
    #expect(m.externalID == tweet.string("id"))
    let user = try #require(
      page.object("includes")?.objects("users").first { $0.string("id") == tweet.string("author_id") })
    #expect(m.platform == "x")
    #expect(m.author.handle == user.string("username"))
    #expect(m.author.name == user.string("name"))
    #expect(m.author.followers == user.object("public_metrics")?.int("followers_count"))
    #expect(m.url == "https://x.com/\(user.string("username")!)/status/\(tweet.string("id")!)")
    #expect(m.thread == tweet.string("conversation_id"))
    #expect(!m.text.contains("https://t.co/"), "t.co links expanded")
  }

  @Test func repliesComeFromReferencedTweetsAndEditsKeepTheFirstID() throws {
    let quoted = Fixture.parse("x-v2-twarc/quoted_edit.jsonl")
    let reply = try #require(quoted.mentions.first)
    // It answers 1576994789110992896, the second version of 1576994746135764992.
    #expect(reply.inReplyTo == "1576994746135764992")
    let before = try #require(Fixture.parse("x-v2-twarc/edited_before.jsonl").mentions.first)
    let after = try #require(Fixture.parse("x-v2-twarc/edited_after.jsonl").mentions.first)
    #expect(before.externalID == "1576994746135764992" && after.externalID == before.externalID)
    #expect(before.text != after.text)
    #expect(
      after.url == "https://x.com/wongmjane/status/1576994789110992896", "the link is to the version read")
    #expect(after.lang == nil, "\"qst\" is no language")
  }

  @Test func aBrokenLineInTwarcOutputIsReportedAndTheRestKept() {
    let parsed = Fixture.parse("x-v2-twarc/streaming_output_with_error.jsonl")
    #expect(parsed.mentions.count == 7)
    #expect(parsed.rejections.count == 1)
    #expect(parsed.rejections.first?.line == 8)
    #expect(
      parsed.rejections.first?.description.hasPrefix(
        "x-v2-twarc/streaming_output_with_error.jsonl:8: broken JSON at byte") == true)
  }

  @Test func complianceDeletionsAreTombstones() {
    let parsed = Fixture.parse("x-v2-twarc/tweets_compliance.jsonl")
    #expect(parsed.rejections.isEmpty)
    #expect(parsed.mentions.map(\.externalID) == ["1170025343920402432", "1170147183095664640"])
    #expect(parsed.mentions.allSatisfy { $0.isTombstone && $0.deletion?.hasPrefix("deleted") == true })
  }

  @Test(
    "every tweet page of the shared corpus reads; withheld tweets are marked",
    .enabled(if: Fixture.corpora != nil, "../shared/corpora is absent"))
  func theWholeCorpusReads() throws {
    let folder = Fixture.corpora!.appendingPathComponent("x-v2-twarc")
    let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter {
      $0.hasSuffix(".jsonl")
    }
    var withheld = 0
    for file in files.sorted() {
      let bytes = Array(try Data(contentsOf: folder.appendingPathComponent(file)))
      let parsed = FormatReader(format: .auto).parse(bytes, name: file)
      // What twarc wrote: count the tweets each page holds.
      var expected = 0
      var pagesWithoutTweets = 0
      var broken = 0
      for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
        guard let page = JSONObject(try? JSONSerialization.jsonObject(with: Data(line.utf8))) else {
          broken += 1
          continue
        }
        if let data = page.array("data") {
          let tweets = data.filter { JSONObject($0)?.has("text") == true }.count
          expected += tweets
          if tweets == 0 { pagesWithoutTweets += 1 }
        } else if page.object("data") != nil || page.has("text") || page.string("action") == "delete" {
          expected += 1
        }
      }
      #expect(parsed.mentions.count == expected, "\(file)")
      #expect(parsed.rejections.count == broken + pagesWithoutTweets, "\(file): \(parsed.rejections)")
      for m in parsed.mentions where !m.isTombstone {
        #expect(!m.author.handle.isEmpty && m.url?.hasPrefix("https://x.com/") == true, "\(file)")
      }
      withheld += parsed.mentions.filter { $0.deletion?.hasPrefix("withheld") == true }.count
    }
    #expect(withheld > 0)
  }
}

@Suite struct MastodonFormatTests {
  @Test func statusesBoostsWarningsAndRemoteHandles() throws {
    let parsed = Fixture.parse("mastodon/home-timeline.json")
    #expect(parsed.rejections.isEmpty)
    #expect(parsed.mentions.count == 3)
    let anna = parsed.mentions[0]
    #expect(anna.platform == "mastodon")
    #expect(anna.externalID == "https://social.example/users/anna/statuses/113500000000000001")
    #expect(anna.url == "https://social.example/@anna/113500000000000001")
    #expect(anna.author == Author(handle: "anna@social.example", name: "Anna de Vries", followers: 412))
    #expect(anna.lang == "nl")
    #expect(
      anna.text
        == "Hé @acmebank, de app doet het weer niet & ik kan niet betalen 😡 #storing\n\nZie https://status.acmebank.example/incidents/2026-11-30-betalingen\nWat is hier aan de hand?"
    )
    let ben = parsed.mentions[1]
    #expect(ben.inReplyTo == anna.externalID, "a reply within the document links to the parent's uri")
    #expect(ben.author.name == nil)
    let boost = parsed.mentions[2]
    #expect(boost.externalID == "https://other.example/users/carol/statuses/1789", "the boosted post")
    #expect(boost.author.handle == "carol@other.example")
    #expect(
      boost.text
        == "CW: klacht over \"service\"\n\nWaited 40 minutes on the phone with @acmebank.\nNobody picked up.")
  }

  @Test func theSamePostThroughTwoServersIsOneMention() throws {
    let here = try #require(Fixture.parse("mastodon/home-timeline.json").mentions.last)
    let there = try #require(Fixture.parse("mastodon/carol-seen-from-other-server.json").mentions.first)
    #expect(here.externalID == there.externalID)
    #expect(here.author.handle == there.author.handle, "a local acct is made whole with its server")
  }

  @Test func notificationsKeepOnlyPostsAndSayWhatIsMissing() throws {
    let parsed = Fixture.parse("mastodon/notifications.json")
    #expect(parsed.mentions.map(\.externalID) == ["https://gent.example/users/dirk/statuses/555"])
    #expect(parsed.mentions[0].inReplyTo == "gent.example/statuses/113499999999999999")
    #expect(parsed.rejections.count == 1)
    let line = try #require(parsed.rejections.first)
    #expect(line.reason == #"record 4: a mention notification without its "status""#)
    let text = String(decoding: Fixture.bytes("mastodon/notifications.json"), as: UTF8.self)
    let expectedLine = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex {
      $0.contains(#""id": "40004""#)
    }!
    #expect(line.line == expectedLine, "the line where record 4 begins")
  }

  @Test func groupedNotificationsJoinStatusesAndAccounts() throws {
    let parsed = Fixture.parse("mastodon/grouped-notifications.json")
    #expect(parsed.mentions.count == 1)
    let m = try #require(parsed.mentions.first)
    #expect(m.author == Author(handle: "dirk@gent.example", name: "Dirk", followers: 91))
    #expect(m.text == "Is @acmebank gehackt? Ik kreeg een rare sms")
    #expect(parsed.rejections.map(\.reason) == [#"record 3: status 113500000000000404 is not in "statuses""#])
  }

  @Test func anActivityPubDeleteIsATombstone() throws {
    let m = try #require(Fixture.parse("mastodon/delete.json").mentions.first)
    #expect(m.isTombstone && m.externalID == "https://other.example/users/carol/statuses/1789")
  }

  @Test func htmlToText() {
    #expect(HTMLText.plainText("<p>a</p><p>b<br>c</p>") == "a\n\nb\nc")
    #expect(
      HTMLText.plainText("x &lt;y&gt; &amp;amp; &#39;z&#x27; &#128512; &bogus; &")
        == "x <y> &amp; 'z' 😀 &bogus; &")
    #expect(
      HTMLText.plainText(
        #"<a href="https://a.example/long/path"><span class="invisible">https://</span><span class="ellipsis">a.example/lo</span><span class="invisible">ng/path</span></a>"#
      ) == "https://a.example/long/path")
    #expect(HTMLText.plainText(#"<a href="javascript:alert(1)">klik</a>"#) == "klik")
    #expect(HTMLText.plainText("<script>alert(1)</script>ok<style>p{}</style>") == "ok")
    #expect(HTMLText.plainText("a <b>vet</b>  en\n  <i>schuin</i>") == "a vet en schuin")
    #expect(HTMLText.plainText("1 < 2 <!-- c --> ok") == "1 < 2 ok")
  }
}

@Suite struct FeedFormatTests {
  @Test func googleAlertsUnwrapRedirectsAndStripHTML() throws {
    let parsed = Fixture.parse("feeds/google-alerts.xml")
    #expect(parsed.rejections.isEmpty)
    #expect(parsed.mentions.count == 2)
    let first = parsed.mentions[0]
    #expect(first.platform == "rss")
    #expect(first.externalID == "tag:google.com,2013:googlealerts/feed:11111111111111111111")
    #expect(first.url == "https://nieuws.example.nl/economie/acme-bank-storing-betalingen")
    #expect(first.author.handle == "nieuws.example.nl", "no author named: the site")
    #expect(
      first.text
        == "Acme Bank storing: klanten kunnen niet betalen\n\nKlanten van Acme Bank konden dinsdagochtend urenlang niet betalen met hun pas & de app 'deed niets' \u{A0}..."
    )
    #expect(first.createdAt == RFC3339.parse("2026-11-30T13:41:06Z"))
    #expect(parsed.mentions[1].url == "https://www.blog.example.com/2026/11/acme-review?ref=rss")
    #expect(parsed.mentions[1].author.handle == "blog.example.com")
    #expect(parsed.mentions[1].text.hasPrefix("Waarom Acme Bank de beste app heeft — review"))
  }

  @Test func rssInADeclaredLatin1Encoding() throws {
    let parsed = Fixture.parse("feeds/talkwalker-latin1.rss")
    #expect(parsed.mentions.count == 2)
    let first = parsed.mentions[0]
    #expect(first.url == "https://www.lesoir.example/eco/acme-panne")
    #expect(first.author.handle == "Rédaction éco")
    #expect(
      first.text
        == "La banque Acme s'excuse après la panne\n\nAprès une panne de plusieurs heures, la banque Acme présente ses excuses à ses clients."
    )
    #expect(first.lang == "fr")
    #expect(first.createdAt == RFC3339.parse("2026-11-30T13:05:00Z"))
    #expect(parsed.mentions[1].externalID == "https://www.rtbf.example/article/acme-42", "no guid: the link")
    let text = String(decoding: Fixture.bytes("feeds/talkwalker-latin1.rss"), as: UTF8.self)
    let itemLine =
      text.split(separator: "\n", omittingEmptySubsequences: false).lastIndex { $0.contains("<item>") }! + 1
    #expect(
      parsed.rejections == [
        RejectedRecord(file: "feeds/talkwalker-latin1.rss", line: itemLine, reason: "an entry without a date")
      ])
  }

  @Test func brokenXMLKeepsTheEntriesBeforeIt() throws {
    let parsed = Fixture.parse("feeds/broken.xml")
    #expect(parsed.mentions.map(\.externalID) == ["https://example.nl/1"])
    let problem = try #require(parsed.rejections.first)
    #expect(problem.line == 12, "where the document breaks off")
    #expect(problem.reason.hasPrefix("broken XML"))
  }
}

@Suite struct CSVFormatTests {
  @Test func usualHeadersSemicolonsQuotedNewlinesAndBadRows() throws {
    let parsed = Fixture.parse("csv/brandwatch.csv")
    #expect(parsed.mentions.count == 2)
    let anna = parsed.mentions[0]
    #expect(anna.platform == "x", "twitter is x")
    #expect(anna.externalID == "https://x.com/anna_nl/status/1001", "no id column: the url")
    #expect(anna.author == Author(handle: "anna_nl", followers: 1200))
    #expect(anna.text == "De app van Acme ligt er weer uit; ik kan niet betalen")
    #expect(anna.createdAt == RFC3339.parse("2026-11-30T09:00:00Z"))
    #expect(parsed.mentions[1].text == "Een bericht\nover twee regels")
    #expect(
      parsed.rejections.map(\.description) == [
        "csv/brandwatch.csv:3: bad date: 30/11/2026 10:00 (RFC 3339, or name the form with --csv-date-format)",
        "csv/brandwatch.csv:6: no author (column Author is empty)",
        "csv/brandwatch.csv:7: followers must be a whole number: abc",
      ])
  }

  @Test func aMappingNamesTheColumnsAndADateFormat() throws {
    let csv = "When,Who,What,Key\n30/11/2026 10:00,bob,hallo,k1\n"
    let mapping = CSVMapping(
      columns: try CSVMapping.parse("created_at=When, author=Who,text=What,id=Key"), platform: "forum",
      dateFormat: "dd/MM/yyyy HH:mm")
    let parsed = FormatReader(format: .csv, csv: mapping).parse(Array(csv.utf8), name: "m.csv")
    #expect(parsed.rejections.isEmpty)
    let m = try #require(parsed.mentions.first)
    #expect(m.platform == "forum" && m.externalID == "k1" && m.author.handle == "bob")
    #expect(m.createdAt == RFC3339.parse("2026-11-30T10:00:00Z"))
    #expect(throws: InboxError.self) { try CSVMapping.parse("colour=Red") }
    #expect(throws: InboxError.self) { try CSVMapping.parse("text") }
    let missing = FormatReader(format: .csv, csv: CSVMapping(columns: ["text": "Body"])).parse(
      Array(csv.utf8), name: "m.csv")
    #expect(missing.rejections.first?.description.hasPrefix(#"m.csv:1: no column "Body" for text"#) == true)
  }

  @Test func aMappingFileDescribesTheExportOnce() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("csvmap-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let good = dir.appendingPathComponent("tool.toml").path
    try #"""
    # Our listening tool's export
    platform = "Forum"
    date_format = "dd/MM/yyyy HH:mm"

    [columns]
    text = "What"
    author = "Who"
    created_at = "When"
    id = "Key"
    """#.write(toFile: good, atomically: true, encoding: .utf8)
    let mapping = try CSVMapping.load(path: good)
    #expect(mapping.platform == "forum" && mapping.dateFormat == "dd/MM/yyyy HH:mm")
    #expect(mapping.columns == ["text": "What", "author": "Who", "created_at": "When", "id": "Key"])
    let parsed = FormatReader(format: .csv, csv: mapping).parse(
      Array("When,Who,What,Key\n30/11/2026 10:00,bob,hallo,k1\n".utf8), name: "m.csv")
    #expect(parsed.mentions.count == 1 && parsed.rejections.isEmpty)

    let bad = dir.appendingPathComponent("bad.toml").path
    try "platform = \"x\"\n[columns]\ntext = \"What\"\ncolour = \"Red\"\n".write(
      toFile: bad, atomically: true, encoding: .utf8)
    #expect(
      throws: InboxError.invalidArgument(
        #"\#(bad):4: unknown field "colour" (known: id, text, author, name, followers, created_at, url, lang, in_reply_to, thread, platform)"#
      )
    ) {
      try CSVMapping.load(path: bad)
    }
    let typo = dir.appendingPathComponent("typo.toml").path
    try "\nplatfrom = \"x\"\n".write(toFile: typo, atomically: true, encoding: .utf8)
    #expect(
      throws: InboxError.invalidArgument(
        #"\#(typo):2: unknown key "platfrom" (known: platform, date_format, [columns])"#)
    ) {
      try CSVMapping.load(path: typo)
    }
  }
}

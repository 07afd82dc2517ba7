import Foundation
import Inbox
import Policy
import ServerStore
import Store
import TestHTTPServer
import Testing

/// Polls `condition` until it holds or 10 s pass.
func eventually(_ condition: () throws -> Bool) rethrows -> Bool {
  let deadline = Date().addingTimeInterval(10)
  while Date() < deadline {
    if try condition() { return true }
    usleep(20_000)
  }
  return try condition()
}

/// `repute watch`, `repute sources` and `repute deliver` driven as a person or cron would, against
/// fake platforms on 127.0.0.1, on a store file and on PostgreSQL alike (issue 18).
@Suite(.serialized) struct WatchCLITests {
  let mastodonToken = "mastodon-secret-token-123"

  func environment(_ extra: [String: String] = [:]) -> [String: String] {
    var env = ["REPUTE_MASTODON_TOKEN": mastodonToken, "no_proxy": "127.0.0.1", "NO_PROXY": "127.0.0.1"]
    env["http_proxy"] = ""
    env["HTTP_PROXY"] = ""
    for (k, v) in extra { env[k] = v }
    return env
  }

  func mastodonSection(_ fake: FakeMastodon, searches: [String] = []) -> String {
    """
    [[mastodon]]
    name = "shop-social"
    server = "\(fake.baseURL)"
    token_env = "REPUTE_MASTODON_TOKEN"
    searches = [\(searches.map { "\"\($0)\"" }.joined(separator: ", "))]

    """
  }

  /// The sections of a feed `alerts` read from `feed` and a spool `drop` in `dir`, whose folder
  /// this makes.
  func alertsAndDrop(_ feed: FakeFeed, in dir: TempFolder) throws -> String {
    try FileManager.default.createDirectory(atPath: dir.path + "/drop", withIntermediateDirectories: true)
    return """
      [[feed]]
      name = "alerts"
      url = "\(feed.url)"

      [[spool]]
      name = "drop"
      path = "\(dir.path)/drop"
      """
  }

  /// `COMMAND… --store STORE --config CONFIG`: `repute watch --once`, `deliver` or `sources` on
  /// the test's store, as whoever runs the tests.
  func arguments(_ command: String..., in store: CLIStore, config: String) -> [String] {
    command + ["--store", store.address, "--config", config]
  }

  /// What the tests read and write beside the binary: mentions, the outbox, the sources' state.
  typealias WatchedStore = MentionStore & OutboxStore & SourceStore

  /// Anna's reply to the newest mention, queued in the outbox.
  @discardableResult
  func queueReply(_ text: String, in store: any WatchedStore) throws -> OutboxRecord {
    let mention = try #require(try store.mentions(order: .newest, limit: 1, offset: 0).first)
    // Due at once: the send delay (the undo window) has tests of its own.
    var policy = PolicyConfig.default
    policy.sendDelay = 0
    return try store.enqueueReply(
      mentionID: mention.id, responder: "anna", kind: .reply, text: text, policy: policy)
  }

  @Test(arguments: CLIStores.kinds) func watchOnceStoresFromEverySourceAndSourcesShowsTheirHealth(
    kind: CLIKind
  ) throws {
    let cli = try CLIStore(kind, [], environment: [:])
    let dir = cli.dir
    let mastodon = try FakeMastodon()
    for i in 1...3 { mastodon.addStatus(text: "@shop where is parcel \(i)?") }
    let feed = try FakeFeed()
    feed.add(id: "alert-1", title: "Shop in the news")
    let sections = try alertsAndDrop(feed, in: dir)
    dir.write("drop/in.jsonl", mentionLine(1, platform: "x"))
    let config = dir.write(
      "config.toml",
      mastodonSection(mastodon) + """
        [[bluesky]]
        name = "shop-bsky"
        identifier = "shop.bsky.social"
        password_env = "REPUTE_BSKY_UNSET"
        searches = ["shop"]

        """ + sections)
    let r = try ReputeProcess.run(
      arguments("watch", "--once", in: cli, config: config), environment: environment())
    #expect(r.status == 1)
    #expect(
      r.lines.map { $0.components(separatedBy: ";").first! } == [
        "shop-social: 3 new", "alerts: 1 new", "drop: 1 new",
      ])
    #expect(
      r.stderr
        == "repute: shop-bsky: the environment variable REPUTE_BSKY_UNSET is not set (it holds the token)\n")
    #expect(FileManager.default.fileExists(atPath: dir.path + "/drop/processed/in.jsonl"))

    let s = try ReputeProcess.run(
      arguments("sources", in: cli, config: config), environment: environment())
    #expect(s.status == 0)
    #expect(s.lines.first?.hasPrefix("shop-social (mastodon): ok; last poll ") == true)
    #expect(s.lines.contains(#"  cursor: {"notifications":"3"}"#))
    #expect(s.lines.contains { $0.hasPrefix("shop-bsky (bluesky): failing ×1") })
    #expect(
      s.lines.contains(
        "  last error: the environment variable REPUTE_BSKY_UNSET is not set (it holds the token)"))
    #expect(s.lines.contains(#"  cursor: "v1""#))
    let json = try ReputeProcess.run(
      arguments("sources", "--json", in: cli, config: config), environment: environment())
    #expect(json.lines.count == 4)
    #expect(
      json.lines.first?.hasPrefix(#"{"name":"shop-social","kind":"mastodon","configured":true,"#) == true)

    // The token went to the server and nowhere else: not printed, not in the store.
    #expect(mastodon.server.requests.first?.headers["authorization"] == "Bearer \(mastodonToken)")
    for text in [r.stdout, r.stderr, s.stdout, json.stdout] { #expect(!text.contains(mastodonToken)) }
    // In the store file's bytes and its WAL (a server's pages are its own to read).
    if kind == .sqlite {
      let storeBytes = try Data(contentsOf: URL(fileURLWithPath: dir.store))
      let wal = (try? Data(contentsOf: URL(fileURLWithPath: dir.store + "-wal"))) ?? Data()
      #expect(storeBytes.range(of: Data(mastodonToken.utf8)) == nil)
      #expect(wal.range(of: Data(mastodonToken.utf8)) == nil)
    }
  }

  @Test(arguments: CLIStores.kinds) func watchOnceReadsEverySourceWithTheFullFormats(kind: CLIKind) throws {
    let cli = try CLIStore(kind, [], environment: [:])
    let dir = cli.dir
    let mastodon = try FakeMastodon()
    // A mention notification as Mastodon writes it: HTML, a shortened link, an entity, a CW.
    mastodon.addStatus(
      text:
        #"Where&#8217;s my order? <a href="https://shop.example/track/1?ref=mail" rel="nofollow">shop.example/track/1…</a><br>Still nothing"#,
      acct: "boos", spoilerText: "rant")
    // A boost in the hashtag timeline stands for the boosted post.
    let original = mastodon.addStatus(
      text: "the #shop lost my parcel", acct: "carla@elsewhere.social", notify: false)
    let boost = mastodon.boost(original, by: "dan@example.social")
    let feed = try FakeFeed()
    feed.add(
      id: "alert-1", title: "&lt;b&gt;Shop&lt;/b&gt; in the news",
      link: "https://www.google.com/url?rct=j&amp;sa=t&amp;url=https://news.example/shop-story&amp;ct=ga")
    let config = dir.write(
      "config.toml", mastodonSection(mastodon, searches: ["#shop"]) + (try alertsAndDrop(feed, in: dir)))
    dir.write(
      "drop/export.csv",
      "Post ID,Content,Author,Date\np-1,\"the shop's app, again\",erin,2026-12-01T07:30:00Z\np-2,no date,fay,\n"
    )
    let r = try ReputeProcess.run(
      arguments("watch", "--once", in: cli, config: config), environment: environment())
    #expect(r.status == 0)
    let opened = try cli.open()
    defer { (opened as? ServerStore)?.close() }
    let store = try #require(opened as? any WatchedStore)
    let all = try store.mentions(order: .newest, limit: 20, offset: 0)
    func mention(_ externalID: String) -> Mention? { all.first { $0.externalID == externalID } }

    let notified = try #require(mention("https://example.social/users/x/statuses/1001"))
    #expect(
      notified.text
        == "CW: rant\n\nWhere\u{2019}s my order? https://shop.example/track/1?ref=mail\nStill nothing")
    #expect(notified.author.handle == "boos@example.social")
    let boosted = try #require(mention("https://example.social/users/x/statuses/\(original)"))
    #expect(boosted.author.handle == "carla@elsewhere.social")
    #expect(boosted.text == "the #shop lost my parcel")
    #expect(!all.contains { $0.externalID.contains("/statuses/\(boost)") })

    let alert = try #require(mention("alert-1"))
    #expect(alert.url == "https://news.example/shop-story")
    #expect(alert.text.hasPrefix("Shop in the news"))

    // The CSV is ingested; its bad row is refused by FILE:LINE and shown as the spool's health.
    let erin = try #require(all.first { $0.author.handle == "erin" })
    #expect(erin.text == "the shop's app, again")
    #expect(FileManager.default.fileExists(atPath: dir.path + "/drop/processed/export.csv"))
    #expect(r.stderr.contains("drop: \(dir.path)/drop/export.csv:3: "))
    let health = try #require(try store.sourceState(name: "drop"))
    #expect(health.warning?.hasPrefix("1 record refused: \(dir.path)/drop/export.csv:3: ") == true)
    #expect(health.health == .warning && health.lastError == nil)
    // Shown as a warning with the count and the first reason, not as failing.
    let s = try ReputeProcess.run(
      ["sources", "--store", cli.address, "--config", config], environment: environment())
    #expect(s.lines.contains { $0.hasPrefix("drop (spool): warning, 1 record refused; last poll ") })
    #expect(s.lines.contains { $0.hasPrefix("  warning: 1 record refused: \(dir.path)/drop/export.csv:3: ") })
    #expect(s.lines.contains { $0.hasPrefix("shop-social (mastodon): ok;") })
    let json = try ReputeProcess.run(
      ["sources", "--json", "--store", cli.address, "--config", config], environment: environment())
    let drop = try #require(json.lines.first { $0.contains(#""name":"drop""#) })
    let object = try #require(try JSONSerialization.jsonObject(with: Data(drop.utf8)) as? [String: Any])
    #expect(object["health"] as? String == "warning" && object["refused"] as? Int == 1)
    #expect(object["last_error"] is NSNull && object["failures"] as? Int == 0)
    #expect(
      (object["warning"] as? String)?.hasPrefix("1 record refused: \(dir.path)/drop/export.csv:3: ") == true)
    let mastodonLine = try #require(json.lines.first { $0.contains(#""name":"shop-social""#) })
    #expect(mastodonLine.contains(#""health":"ok""#) && mastodonLine.contains(#""warning":null"#))
    #expect(all.count == 4)
  }

  /// A post with a NUL in it is stored with its page, not the page lost, with U+FFFD in the NUL's
  /// place and the text whole, on both stores.
  @Test(arguments: CLIStores.kinds) func aSpooledPostWithANULIsStored(kind: CLIKind) throws {
    let cli = try CLIStore(kind, [], environment: [:])
    let dir = cli.dir
    try FileManager.default.createDirectory(atPath: dir.path + "/drop", withIntermediateDirectories: true)
    let config = dir.write("config.toml", "[[spool]]\nname = \"drop\"\npath = \"\(dir.path)/drop\"\n")
    dir.write("drop/in.jsonl", mentionLine(1, text: #"nul\u0000here"#) + "\n" + mentionLine(2) + "\n")
    let r = try ReputeProcess.run(arguments("watch", "--once", in: cli, config: config))
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.lines.first?.hasPrefix("drop: 2 new") == true, "\(r.stdout)")
    let texts = try cli.withStore { try $0.mentions(order: .newest, limit: 5, offset: 0).map(\.text) }
    // U+FFFD in its place on both stores, and the text whole (SQLite read a NUL's text back only
    // up to it).
    #expect(texts.contains("nul\u{FFFD}here 1"), "\(texts)")
    // Read again, the post is a duplicate.
    dir.write("drop/again.jsonl", mentionLine(1, text: #"nul\u0000here"#) + "\n")
    let again = try ReputeProcess.run(arguments("watch", "--once", in: cli, config: config))
    #expect(again.lines.first?.hasPrefix("drop: 0 new") == true, "\(again.stdout)")
  }

  @Test(arguments: CLIStores.kinds) func aFeedLargerThanTheConfiguredCapFailsTheWatchAndStoresNothing(
    kind: CLIKind
  ) throws {
    let cli = try CLIStore(kind, [], environment: [:])
    let dir = cli.dir
    let feed = try FakeFeed()
    feed.add(id: "alert-1", title: "Shop in the news")
    // A valid feed, then 8 MiB of spaces without a length: a 1 MiB cap cuts it off.
    feed.streamOnce = .init(filler: 8 << 20)
    let config = dir.write(
      "config.toml", "[watch]\nmax_response_mib = 1\n\n[[feed]]\nname = \"alerts\"\nurl = \"\(feed.url)\"\n")
    let r = try ReputeProcess.run(
      ["watch", "--once", "--store", cli.address, "--config", config], environment: environment())
    #expect(r.status == 1)
    #expect(
      r.stderr.hasPrefix("repute: alerts: 127.0.0.1: response larger than 1 MiB; next poll "), "\(r.stderr)")
    let s = try ReputeProcess.run(
      ["sources", "--store", cli.address, "--config", config], environment: environment())
    #expect(s.lines.first?.hasPrefix("alerts (feed): failing ×1; last poll ") == true)
    #expect(s.lines.contains("  last error: 127.0.0.1: response larger than 1 MiB"))
    let opened = try cli.open()
    defer { (opened as? ServerStore)?.close() }
    let store = try #require(opened as? any WatchedStore)
    #expect(try store.mentions(order: .newest, limit: 5, offset: 0).isEmpty)
    // The next answer is the feed alone: read and stored.
    let again = try ReputeProcess.run(
      ["watch", "--once", "--store", cli.address, "--config", config], environment: environment())
    #expect(again.status == 0, "\(again.stderr)")
    #expect(try store.mentions(order: .newest, limit: 5, offset: 0).map(\.text) == ["Shop in the news"])
  }

  @Test(arguments: CLIStores.kinds) func aBadConfigIsRefusedWithItsLineAndAnOpenTokenFileIsRefusedByName(
    kind: CLIKind
  ) throws {
    let cli = try CLIStore(kind, [], environment: [:])
    let dir = cli.dir
    let bad = dir.write(
      "bad.toml", "[[feed]]\nname = \"a\"\nurl = \"https://example.com/f\"\ncolour = \"red\"\n")
    let r = try ReputeProcess.run(arguments("watch", "--once", in: cli, config: bad))
    #expect(r.status == 2)
    #expect(
      r.stderr == "repute: \(bad):4: unknown key 'feed[0].colour'; expected one of: name, url, interval\n")

    let token = dir.write("token", "mastodon-secret-token-123")
    chmod(token, 0o644)
    let mastodon = try FakeMastodon()
    let config = dir.write(
      "c.toml",
      """
      [[mastodon]]
      name = "shop-social"
      server = "\(mastodon.baseURL)"
      token_file = "\(token)"
      """)
    let open = try ReputeProcess.run(arguments("watch", "--once", in: cli, config: config))
    #expect(open.status == 1)
    #expect(
      open.stderr
        == "repute: shop-social: \(token): the token file must be private to you (chmod 600 \(token)); it is 644\n"
    )
    #expect(mastodon.server.requests.isEmpty)
    chmod(token, 0o600)
    let fixed = try ReputeProcess.run(arguments("watch", "--once", in: cli, config: config))
    #expect(fixed.status == 0)
    #expect(!fixed.stdout.contains("mastodon-secret-token-123"))
  }

  @Test(arguments: CLIStores.kinds) func aWatcherKilledMidPollResumesWithNoDuplicateAndNoGap(kind: CLIKind)
    throws
  {
    let cli = try CLIStore(kind, [], environment: [:])
    let dir = cli.dir
    let mastodon = try FakeMastodon()
    for i in 1...3 { mastodon.addStatus(text: "@shop parcel \(i) is late") }
    mastodon.addStatus(
      text: "my parcel from the shop never came", acct: "other@example.social", notify: false)
    let config = dir.write("config.toml", mastodonSection(mastodon, searches: ["parcel"]))
    // The search hangs: the watcher has stored the notifications' page and waits for the search.
    mastodon.holdOnce = ["/api/v2/search"]
    let watcher = try ReputeProcess.start(
      arguments("watch", "--once", in: cli, config: config), environment: environment())
    #expect(eventually { mastodon.server.requests.contains { $0.path == "/api/v2/search" } })
    watcher.kill9()
    let opened = try cli.open()
    defer { (opened as? ServerStore)?.close() }
    let store = try #require(opened as? any WatchedStore)
    #expect(try store.mentionCount() == 3)
    #expect(try store.sourceState(name: "shop-social")?.cursor == #"{"notifications":"3"}"#)

    let before = mastodon.server.requests.count
    let again = try ReputeProcess.run(
      arguments("watch", "--once", in: cli, config: config), environment: environment())
    #expect(again.status == 0)
    #expect(again.lines.first?.hasPrefix("shop-social: 1 new") == true)
    let after = mastodon.server.requests.dropFirst(before)
    // The notifications resume after the committed page, not from the start.
    #expect(after.filter { $0.path == "/api/v1/notifications" }.map { $0.query("min_id") } == ["3"])
    #expect(try store.mentionCount() == 4)
    let ids = try store.mentions(order: .newest, limit: 10, offset: 0).map(\.externalID)
    #expect(Set(ids).count == 4)
  }

  @Test(arguments: CLIStores.kinds) func configValuesInErrorsReachTheTerminalWithoutTheirEscapes(
    kind: CLIKind
  ) throws {
    let cli = try CLIStore(kind, [], environment: [:])
    let dir = cli.dir
    // A bad value in the config: the FILE:LINE error quotes it, escapes made visible.
    let bad = dir.write(
      "bad.toml",
      """
      [[feed]]
      name = "alerts"
      url = "\\u001B[2J\\u001B]0;owned\\u0007"

      [[spool]]
      name = "drop\\u001B[31m"
      path = "/tmp"
      """)
    let r = try ReputeProcess.run(arguments("watch", "--once", in: cli, config: bad))
    #expect(r.status == 2)
    #expect(r.stderr.contains("bad.toml:3: 'feed[0].url' must be an http(s) URL"))
    #expect(
      r.stderr.contains("bad.toml:6: 'spool[0].name' must be one word without spaces or control characters"))
    #expect(!r.stderr.contains("\u{1B}") && !r.stderr.contains("\u{07}"))

    // A warning naming a config value (the token's variable) on a run that goes on.
    let odd = dir.write(
      "odd.toml",
      """
      [[bluesky]]
      name = "shop-bsky"
      identifier = "shop.bsky.social"
      password_env = "UNSET\\u001B]0;owned\\u0007"
      searches = ["shop"]
      """)
    let w = try ReputeProcess.run(arguments("watch", "--once", in: cli, config: odd))
    #expect(w.status == 1)
    #expect(w.stderr.hasPrefix("repute: shop-bsky: the environment variable UNSET"))
    #expect(!w.stderr.contains("\u{1B}") && !w.stderr.contains("\u{07}"))
  }

  @Test(arguments: CLIStores.kinds) func deliverPrintsAMentionsURLInItsFailureWithoutItsEscapes(kind: CLIKind)
    throws
  {
    let cli = try CLIStore(kind, [], environment: [:])
    let dir = cli.dir
    let file = dir.write(
      "in.jsonl",
      #"{"platform":"forum","id":"f1","author":{"handle":"lotte"},"created_at":"2026-11-24T09:30:00Z","text":"help","url":"https://forum.example/t/1\u001b]0;owned\u0007"}"#
        + "\n")
    #expect(try ReputeProcess.run(["ingest", "--store", cli.address, file]).status == 0)
    let opened = try cli.open()
    defer { (opened as? ServerStore)?.close() }
    let store = try #require(opened as? any WatchedStore)
    try queueReply("We're on it. – Anna", in: store)
    // No config file: replies that need no account are still handled.
    let r = try ReputeProcess.run(
      ["deliver", "--store", cli.address], environment: ["XDG_CONFIG_HOME": dir.path + "/config"])
    #expect(r.status == 1, "\(r.stderr)")
    #expect(
      r.stdout.contains("failed: forum has no reply API: answer where the post is (https://forum.example/t/1")
    )
    #expect(!r.stdout.contains("\u{1B}") && !r.stdout.contains("\u{07}"))
  }

  @Test(arguments: CLIStores.kinds) func aSenderKilledBeforeMastodonAnsweredLeavesExactlyOnePost(
    kind: CLIKind
  ) throws {
    let cli = try CLIStore(kind, [], environment: [:])
    let dir = cli.dir
    let mastodon = try FakeMastodon()
    mastodon.addStatus(text: "@shop my parcel is lost")
    let config = dir.write("config.toml", mastodonSection(mastodon))
    #expect(
      try ReputeProcess.run(
        arguments("watch", "--once", in: cli, config: config), environment: environment()
      )
      .status == 0)
    let opened = try cli.open()
    defer { (opened as? ServerStore)?.close() }
    let store = try #require(opened as? any WatchedStore)
    let record = try queueReply("So sorry! We're on it. – Anna", in: store)

    mastodon.holdAfterPost = true
    let sender = try ReputeProcess.start(
      arguments("deliver", in: cli, config: config), environment: environment())
    #expect(eventually { mastodon.posts.count == 1 })
    sender.kill9()
    #expect(try store.outboxRecord(id: record.id)?.status == .queued)
    #expect(try store.outboxRecord(id: record.id)?.attempts == 1)

    let again = try ReputeProcess.run(
      arguments("deliver", in: cli, config: config), environment: environment())
    #expect(again.status == 0)
    #expect(again.lines == ["reply \(record.id) sent: \(mastodon.baseURL)/@shop/9000"])
    #expect(mastodon.posts.count == 1)
    let attempts = mastodon.server.requests.filter { $0.path == "/api/v1/statuses" }
    #expect(attempts.count == 2)
    #expect(Set(attempts.map { $0.headers["idempotency-key"] }) == [record.idempotencyKey])
    let sent = try #require(try store.outboxRecord(id: record.id))
    #expect(sent.status == .sent)
    #expect(sent.attempts == 2)
  }

  @Test(arguments: CLIStores.kinds)
  func aServerThatAnswers200WithGarbageLeavesTheReplyUnverifiedInTheOutboxUntilTheCheck(kind: CLIKind) throws
  {
    let cli = try CLIStore(kind, [], environment: [:])
    let dir = cli.dir
    let mastodon = try FakeMastodon()
    mastodon.addStatus(text: "@shop my parcel is lost")
    let config = dir.write("config.toml", mastodonSection(mastodon))
    #expect(
      try ReputeProcess.run(arguments("watch", "--once", in: cli, config: config), environment: environment())
        .status == 0)
    let opened = try cli.open()
    defer { (opened as? ServerStore)?.close() }
    let store = try #require(opened as? any WatchedStore)
    let record = try queueReply("So sorry! We're on it. – Anna", in: store)
    // The issue's server: 200, a body that is no status, and nothing posted.
    mastodon.garbledPosts = [("<html><body>Thanks!</body></html>", false)]

    let first = try ReputeProcess.run(
      arguments("deliver", in: cli, config: config), environment: environment())
    #expect(first.status == 1)
    let reason = "Mastodon answered 200 but named no post; checking again with the same Idempotency-Key"
    #expect(first.lines == ["reply \(record.id) unverified (\(reason)); next check at 2026-11-24 12:01:00"])
    let listed = try ReputeProcess.run(["outbox", "--json", "--store", cli.address])
    #expect(listed.status == 0)
    let line = try #require(listed.lines.first)
    let json = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    #expect(json["status"] as? String == "unverified")
    #expect(json["error"] as? String == reason)
    #expect(json["platform_post_id"] is NSNull)
    #expect(json["unverified_at"] as? String == "2026-11-24T12:00:00.000Z")
    #expect(json["next_attempt_at"] as? String == "2026-11-24T12:01:00.000Z")
    let text = try ReputeProcess.run(["outbox", "--store", cli.address, "--status", "unverified"])
    #expect(text.lines.count == 1)
    #expect(
      text.lines.first?.contains(
        "unverified  reply  mention \(record.mentionID)  anna  2026-11-24T12:00:00.000Z  next check 2026-11-24T12:01:00.000Z  error: \(reason)"
      ) == true, "\(text.stdout)")

    // A minute later the check posts it, with the same key: one post.
    let later = environment(["REPUTE_NOW": "2026-11-24T12:01:00Z"])
    let again = try ReputeProcess.run(arguments("deliver", in: cli, config: config), environment: later)
    #expect(again.status == 0, "\(again.stderr)")
    #expect(again.lines == ["reply \(record.id) sent: \(mastodon.baseURL)/@shop/9000"])
    #expect(mastodon.posts.count == 1)
    #expect(mastodon.postCount(key: record.idempotencyKey) == 1)
    let sent = try ReputeProcess.run(["outbox", "--json", "--store", cli.address])
    #expect(sent.stdout.contains(#""status":"sent""#) && sent.stdout.contains(#""platform_post_id":"9000""#))
  }

  @Test(arguments: CLIStores.kinds) func aRunningWatcherSendsAReplyPutInTheOutboxWhileItRuns(kind: CLIKind)
    throws
  {
    let cli = try CLIStore(kind, [], environment: [:])
    let dir = cli.dir
    let mastodon = try FakeMastodon()
    mastodon.addStatus(text: "@shop is the shop open on Sunday?")
    let config = dir.write("config.toml", mastodonSection(mastodon))
    // The store exists before the watcher starts (CLIStore made it), so this test never opens one
    // being created.
    let opened = try cli.open()
    defer { (opened as? ServerStore)?.close() }
    let store = try #require(opened as? any WatchedStore)
    let watcher = try ReputeProcess.start(
      arguments("watch", in: cli, config: config), environment: environment())
    defer { watcher.kill9() }
    #expect(eventually { (try? store.mentionCount()) == 1 })
    let record = try queueReply("Yes, 12 to 5. – Anna", in: store)
    #expect(eventually { (try? store.outboxRecord(id: record.id))??.status == .sent })
    #expect(mastodon.posts.count == 1)
    #expect(mastodon.posts.first?["in_reply_to_id"] as? String == "1001")
  }

  @Test(arguments: CLIStores.kinds) func aSenderKilledBeforeBlueskyAnsweredLeavesExactlyOnePost(kind: CLIKind)
    throws
  {
    let cli = try CLIStore(kind, [], environment: [:])
    let dir = cli.dir
    let bluesky = try FakeBluesky()
    bluesky.addPost("the shop lost my parcel", minute: 5)
    let config = dir.write(
      "config.toml",
      """
      [[bluesky]]
      name = "shop-bsky"
      service = "\(bluesky.baseURL)"
      identifier = "shop.bsky.social"
      password_env = "REPUTE_BSKY_PASSWORD"
      searches = ["shop"]
      """)
    let env = environment(["REPUTE_BSKY_PASSWORD": bluesky.password])
    let watch = try ReputeProcess.run(
      arguments("watch", "--once", in: cli, config: config), environment: env)
    #expect(watch.status == 0)
    #expect(!watch.stdout.contains(bluesky.password) && !watch.stderr.contains(bluesky.password))
    let opened = try cli.open()
    defer { (opened as? ServerStore)?.close() }
    let store = try #require(opened as? any WatchedStore)
    let record = try queueReply("So sorry. – Anna", in: store)

    bluesky.holdAfterCreate = true
    let sender = try ReputeProcess.start(
      arguments("deliver", in: cli, config: config), environment: env)
    #expect(eventually { bluesky.posts.count == 1 })
    sender.kill9()
    let again = try ReputeProcess.run(
      arguments("deliver", in: cli, config: config), environment: env)
    #expect(again.status == 0)
    #expect(
      again.lines.first?.hasPrefix("reply \(record.id) sent: https://bsky.app/profile/shop.bsky.social/post/")
        == true)
    #expect(bluesky.posts.count == 1)
    #expect(bluesky.createAttempts == 1)
    #expect(try store.outboxRecord(id: record.id)?.status == .sent)
  }
}

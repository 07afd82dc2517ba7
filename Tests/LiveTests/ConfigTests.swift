import Foundation
import Inbox
import Policy
import Testing

@testable import Live

@Suite struct ConfigTests {
  static let example = """
    [watch]
    interval = "5m"
    max_backoff = "1h"

    [[mastodon]]
    name = "shop-social"
    server = "https://mastodon.example"
    token_env = "REPUTE_MASTODON_TOKEN"
    searches = ["Shop", "#shopfail"]
    reply_visibility = "unlisted"

    [[bluesky]]
    name = "shop-bsky"
    identifier = "shop.bsky.social"
    password_file = "~/.config/repute/bluesky.secret"
    searches = ["shop"]

    [[feed]]
    name = "alerts"
    url = "https://www.google.com/alerts/feeds/1/2"
    interval = "1h"

    [[spool]]
    name = "drop"
    path = "~/repute-drop"
    csv_config = "~/talkwalker.toml"
    """

  @Test func theREADMEsExampleReads() throws {
    let config = try LiveConfig.parse(text: Self.example, path: "config.toml", home: "/home/anna")
    #expect(config.interval == 300)
    #expect(config.mastodon.first?.token == .environment("REPUTE_MASTODON_TOKEN"))
    #expect(config.mastodon.first?.replyVisibility == "unlisted")
    #expect(config.bluesky.first?.service == URL(string: "https://bsky.social"))
    #expect(config.bluesky.first?.password == .file("/home/anna/.config/repute/bluesky.secret"))
    #expect(config.feeds.first?.interval == 3600)
    #expect(config.spools.first?.path == "/home/anna/repute-drop")
    #expect(config.spools.first?.csvConfig == "/home/anna/talkwalker.toml")
    #expect(config.sourceNames.map(\.name) == ["shop-social", "shop-bsky", "alerts", "drop"])
  }

  /// The example config of the live-sources guide (it was the README's until issue 15 moved it).
  @Test func theExampleInTheGuideIsAValidConfig() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    let guide = "docs/guide/live-sources.md"
    let readme = try String(contentsOf: root.appendingPathComponent(guide), encoding: .utf8)
    let section = try #require(readme.range(of: "## The config file"))
    let start = try #require(readme.range(of: "```toml\n", range: section.upperBound..<readme.endIndex))
    let end = try #require(readme.range(of: "```", range: start.upperBound..<readme.endIndex))
    let config = try LiveConfig.parse(
      text: String(readme[start.upperBound..<end.lowerBound]), path: guide)
    #expect(config.sourceNames.map(\.kind) == ["mastodon", "bluesky", "feed", "spool"])
    #expect(config.bluesky.first?.searches == ["shop", "\"Shop Co\""])
    #expect(config.threadRefresh == 900)
  }

  @Test func unknownKeysAndBadValuesAreNamedWithTheirLines() {
    let text = """
      [watch]
      intervall = "5m"

      [[mastodon]]
      name = "a"
      server = "ftp://nope"
      token_env = "T"

      [[feed]]
      name = "a"
      url = "https://example.com/feed"
      """
    #expect {
      try LiveConfig.parse(text: text, path: "c.toml")
    } throws: { error in
      let lines = (error as? PolicyFileError)?.description.split(separator: "\n").map(String.init) ?? []
      return lines == [
        "c.toml:2: unknown key 'watch.intervall'; expected one of: interval, max_backoff, thread_refresh, max_response_mib",
        #"c.toml:6: 'mastodon[0].server' must be an http(s) URL, not "ftp://nope""#,
        "c.toml:10: two sources are named 'a'",
      ]
    }
  }

  @Test func aTokenWrittenInTheConfigIsRefused() {
    let text = "[[mastodon]]\nname = \"a\"\nserver = \"https://m.example\"\ntoken = \"abc\"\n"
    #expect {
      try LiveConfig.parse(text: text, path: "c.toml")
    } throws: { error in
      let message = (error as? PolicyFileError)?.description ?? ""
      return message.contains("c.toml:4: 'mastodon[0].token': a secret does not go in the config")
        && message.contains("c.toml:1: 'mastodon[0]' needs token_env") && !message.contains("abc")
    }
  }

  @Test func aTokenFileMustBePrivate() throws {
    let dir = TempDir()
    let open = dir.write("token", "s3cret-value\n", mode: 0o644)
    #expect(
      throws: InboxError.permissionDenied(
        "\(open): the token file must be private to you (chmod 600 \(open)); it is 644")
    ) {
      try CredentialSource.file(open).load()
    }
    let closed = dir.write("token2", "s3cret-value\n", mode: 0o600)
    let secret = try CredentialSource.file(closed).load()
    #expect(secret.revealed == "s3cret-value")
    #expect("\(secret)" == "(secret)")
    #expect(throws: InboxError.self) {
      try CredentialSource.environment("REPUTE_NO_SUCH_VAR").load(environment: [:])
    }
  }
}

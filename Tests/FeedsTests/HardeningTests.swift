import Foundation
import Inbox
import Testing

@testable import Feeds

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What one `Ingester.read` gave, collected on its own thread.
final class ReadResult: @unchecked Sendable {
  private let lock = NSLock()
  private var _mentions: [IncomingMention] = []
  private var _rejections: [RejectedRecord] = []
  private var _error: (any Error)?

  var mentions: [IncomingMention] { lock.withLock { _mentions } }
  var rejections: [RejectedRecord] { lock.withLock { _rejections } }
  var error: (any Error)? { lock.withLock { _error } }

  /// Reads `path` on a thread of its own; nil when it has not finished after `seconds` (a hang).
  static func read(_ path: String, format: MentionFormat, within seconds: Double = 20) -> ReadResult? {
    let result = ReadResult()
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
      do {
        try Ingester(batchSize: 100, format: format).read(
          path, batch: { b in result.lock.withLock { result._mentions += b } },
          reject: { r in result.lock.withLock { result._rejections.append(r) } })
      } catch {
        result.lock.withLock { result._error = error }
      }
      done.signal()
    }
    thread.stackSize = 1 << 22
    thread.start()
    return done.wait(timeout: .now() + seconds) == .success ? result : nil
  }
}

/// The inputs of each format used below: two good records, on lines 1 and 2 of the file where the
/// format has lines.
enum Samples {
  static func text(_ format: MentionFormat) -> String {
    switch format {
    case .jsonl, .auto: return mentionLine(1) + "\n" + mentionLine(2) + "\n"
    case .csv:
      return
        "id,author,created_at,text\nk1,anna,2026-11-24T09:30:00Z,hallo\nk2,bob,2026-11-24T09:31:00Z,daar\n"
    case .rss:
      return """
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0"><channel><title>alerts</title>
        <item><guid>a1</guid><title>een</title><link>https://n.example/1</link><pubDate>Tue, 24 Nov 2026 09:30:00 GMT</pubDate></item>
        <item><guid>a2</guid><title>twee</title><link>https://n.example/2</link><pubDate>Tue, 24 Nov 2026 09:31:00 GMT</pubDate></item>
        </channel></rss>

        """
    case .mastodon:
      return [1, 2].map { status($0, followers: 10) }.joined(separator: "\n") + "\n"
    case .bluesky:
      return [1, 2].map {
        #"{"uri":"at://did:plc:a/app.bsky.feed.post/\#($0)","cid":"c\#($0)","author":{"did":"did:plc:a","handle":"a.bsky.social","followersCount":3},"record":{"$type":"app.bsky.feed.post","text":"hallo \#($0)","createdAt":"2026-11-24T09:30:00Z"},"indexedAt":"2026-11-24T09:30:00Z"}"#
      }.joined(separator: "\n") + "\n"
    case .x:
      return [1, 2].map {
        #"{"data":{"id":"\#($0)","text":"hallo \#($0)","author_id":"u1","created_at":"2026-11-24T09:30:00.000Z"},"includes":{"users":[{"id":"u1","username":"anna","name":"Anna","public_metrics":{"followers_count":5}}]}}"#
      }.joined(separator: "\n") + "\n"
    }
  }

  static func status(_ id: Int, followers: Int) -> String {
    #"{"id":"\#(id)","uri":"https://social.example/users/carol/statuses/\#(id)","url":"https://social.example/@carol/\#(id)","created_at":"2026-11-30T09:59:00.000Z","content":"<p>hallo \#(id)</p>","account":{"id":"1","username":"carol","acct":"carol","url":"https://social.example/@carol","followers_count":\#(followers)}}"#
  }

  static let formats: [MentionFormat] = [.jsonl, .csv, .rss, .mastodon, .bluesky, .x]
}

@Suite struct ReadOnceTests {
  /// A FIFO written by another thread: every format reads it once, to its end, like a file.
  @Test(arguments: Samples.formats)
  func aFIFOIsReadOnceLikeAFile(format: MentionFormat) throws {
    let dir = TempFolder()
    let fifo = dir.path + "/in.fifo"
    #expect(mkfifo(fifo, 0o600) == 0)
    let content = Array(Samples.text(format).utf8)
    let writer = Thread {
      let fd = open(fifo, O_WRONLY)
      guard fd >= 0 else { return }
      content.withUnsafeBytes { _ = write(fd, $0.baseAddress!, $0.count) }
      close(fd)
    }
    writer.start()
    let result = ReadResult.read(fifo, format: format, within: 20)
    if result == nil {
      // Unblock a reader that opened the FIFO again, so the thread can end.
      let fd = open(fifo, O_WRONLY | O_NONBLOCK)
      if fd >= 0 { close(fd) }
    }
    let read = try #require(result, "\(format) hung on a FIFO")
    #expect(read.error == nil, "\(String(describing: read.error))")
    #expect(read.rejections.isEmpty, "\(read.rejections)")
    #expect(read.mentions.count == 2, "\(format)")
  }
}

@Suite struct BoundedInputTests {
  /// /dev/zero never ends and has no line break: each format stops quickly, naming the path.
  @Test(arguments: Samples.formats + [.auto])
  func devZeroEndsWithAnErrorNamingIt(format: MentionFormat) throws {
    let read = try #require(ReadResult.read("/dev/zero", format: format, within: 30), "\(format) never ended")
    #expect(read.mentions.isEmpty)
    let messages = read.rejections.map(\.description) + (read.error.map { ["\($0)"] } ?? [])
    #expect(!messages.isEmpty, "\(format): no message")
    #expect(messages.allSatisfy { $0.hasPrefix("/dev/zero:1: ") }, "\(format): \(messages)")
    #expect(!messages.joined().contains("standard input"), "\(format): \(messages)")
  }

  /// A CSV field past the limit is refused by its line; the rows around it are kept.
  @Test func aCSVRecordPastTheLimitIsRefusedAndTheRestKept() throws {
    let dir = TempFolder()
    let huge = String(repeating: "x", count: (1 << 20) + 10)
    let file = dir.write(
      "big.csv",
      "id,author,created_at,text\nk1,anna,2026-11-24T09:30:00Z,een\nk2,bob,2026-11-24T09:30:00Z,\"\(huge)\"\n"
        + "k3,eva,2026-11-24T09:30:00Z,\"twee\nregels\"\nk4,dan,2026-11-24T09:30:00Z,vier\n")
    let read = try #require(ReadResult.read(file, format: .csv))
    #expect(read.mentions.map(\.externalID) == ["k1", "k3", "k4"])
    #expect(read.rejections.map(\.description) == ["\(file):3: a record longer than 1 MiB"])
  }
}

@Suite struct ByteOrderMarkTests {
  /// A UTF-8 byte-order mark at the start is no part of the first record, in every text format,
  /// read whole or streamed.
  @Test(arguments: Samples.formats)
  func aLeadingByteOrderMarkIsSkipped(format: MentionFormat) throws {
    let bytes = [0xEF, 0xBB, 0xBF] + Array(Samples.text(format).utf8)
    let parsed = FormatReader(format: format).parse(bytes, name: "bom")
    #expect(parsed.rejections.isEmpty, "\(format): \(parsed.rejections)")
    #expect(parsed.mentions.count == 2, "\(format)")
    let dir = TempFolder()
    let file = dir.write("bom.in", bytes: bytes)
    let read = try #require(ReadResult.read(file, format: format))
    #expect(read.rejections.isEmpty, "\(format): \(read.rejections)")
    #expect(read.mentions.count == 2, "\(format)")
    let auto = try #require(ReadResult.read(file, format: .auto))
    #expect(auto.rejections.isEmpty && auto.mentions.count == 2, "auto for \(format): \(auto.rejections)")
  }
}

@Suite struct FollowerCountTests {
  /// One rule in every format: a follower count below zero is a broken record, refused by its line.
  @Test func aNegativeFollowerCountIsRefusedInEveryFormat() {
    let inputs: [(MentionFormat, String)] = [
      (
        .jsonl,
        #"{"platform":"x","id":"1","author":{"handle":"a","followers":-7},"created_at":"2026-11-24T09:30:00Z","text":"t"}"#
      ),
      (.mastodon, Samples.status(1, followers: -7)),
      (
        .bluesky,
        Samples.text(.bluesky).split(separator: "\n")[0].replacingOccurrences(
          of: #""followersCount":3"#, with: #""followersCount":-7"#)
      ),
      (
        .x,
        Samples.text(.x).split(separator: "\n")[0].replacingOccurrences(
          of: #""followers_count":5"#, with: #""followers_count":-7"#)
      ),
      (.csv, "id,author,followers,created_at,text\nk1,anna,-7,2026-11-24T09:30:00Z,hallo\n"),
    ]
    for (format, text) in inputs {
      let parsed = FormatReader(format: format).parse(Array(text.utf8), name: "n")
      #expect(parsed.mentions.isEmpty, "\(format)")
      #expect(parsed.rejections.count == 1, "\(format)")
      #expect(
        parsed.rejections.first?.description.contains("must not be negative") == true,
        "\(format): \(parsed.rejections)")
    }
  }
}

@Suite struct MessageTests {
  /// An empty CSV is no records, and a header that cannot be read says why in words.
  @Test func csvHeaderProblemsAreSaidInWords() {
    #expect(FormatReader(format: .csv).parse([], name: "e.csv").rejections.isEmpty)
    let bad = FormatReader(format: .csv).parse([0xFF, 0xFE, 0x41, 0x0A, 0x61, 0x0A], name: "b.csv")
    #expect(bad.rejections.map(\.description).allSatisfy { !$0.contains("cannotRead") }, "\(bad.rejections)")
    #expect(bad.rejections.first?.description.hasPrefix("b.csv:1: ") == true, "\(bad.rejections)")
  }

  /// An entity the feed never declares (HTML's `&nbsp;` in an RSS title) is named as such.
  @Test func anUndeclaredEntityInAFeedIsNamedAsOne() {
    let feed = """
      <?xml version="1.0" encoding="UTF-8"?>
      <rss version="2.0"><channel><title>alerts</title>
      <item><guid>a1</guid><title>een</title><link>https://n.example/1</link><pubDate>Tue, 24 Nov 2026 09:30:00 GMT</pubDate></item>
      <item><guid>a2</guid><title>twee&nbsp;drie</title><link>https://n.example/2</link><pubDate>Tue, 24 Nov 2026 09:31:00 GMT</pubDate></item>
      </channel></rss>
      """
    let parsed = FormatReader(format: .rss).parse(Array(feed.utf8), name: "f.xml")
    let messages = parsed.rejections.map(\.description)
    #expect(!messages.contains { $0.contains("without a date") }, "\(messages)")
    #expect(messages.contains { $0.hasPrefix("f.xml:4: ") && $0.contains("&nbsp;") }, "\(messages)")
    #expect(parsed.mentions.map(\.externalID) == ["a1"])
    // With a DOCTYPE the parser goes on without the entity: the entry is still refused for it.
    let typed = feed.replacingOccurrences(of: "<rss version", with: "<!DOCTYPE rss>\n<rss version")
      .replacingOccurrences(of: "twee&nbsp;drie", with: "twee").replacingOccurrences(
        of: "Tue, 24 Nov 2026 09:31:00 GMT", with: "&when;")
    let again = FormatReader(format: .rss).parse(Array(typed.utf8), name: "f.xml").rejections.map(
      \.description)
    #expect(!again.contains { $0.contains("without a date") }, "\(again)")
    #expect(again.contains { $0.hasPrefix("f.xml:5: ") && $0.contains("&when;") }, "\(again)")
  }
}

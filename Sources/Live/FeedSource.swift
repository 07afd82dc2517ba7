import Feeds
import Foundation
import Inbox
import Store

/// An RSS or Atom feed, fetched with a conditional request (`If-None-Match` with the ETag,
/// `If-Modified-Since` with Last-Modified): an unchanged feed costs a 304 and nothing else.
/// Every entry is offered each time; the store keeps each one once. Entries are read by the full
/// feed format (`--format rss`): alert redirect links unwrapped, HTML stripped, declared encodings.
public struct FeedSource: ConfiguredSource {
  public let config: FeedConfig
  public let parser: any PayloadParser
  public var kind: String { "feed" }

  public init(config: FeedConfig, parser: any PayloadParser = FormatParser(.rss)) {
    self.config = config
    self.parser = parser
  }

  public func poll(from state: SourceState?, context: PollContext) throws -> PollReport {
    var headers = ["Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5"]
    if let etag = state?.etag { headers["If-None-Match"] = etag }
    if let modified = state?.lastModified { headers["If-Modified-Since"] = modified }
    let response = try context.http.send(HTTPRequest(url: config.url, headers: headers))
    if response.status == 304 { return PollReport() }
    guard response.isSuccess else { throw HTTPFailure(response.platformMessage(), status: response.status) }
    let parsed = parser.parse(response.body, origin: config.url.absoluteString)
    // A feed with nothing readable is an error, and its ETag is not kept: the next poll reads it
    // again rather than being told "unchanged".
    if parsed.mentions.isEmpty, let first = parsed.rejections.first {
      throw PayloadError(origin: "\(first.file):\(first.line)", reason: first.reason)
    }
    let cursor = SourceCursor(
      source: name, kind: kind, cursor: nil, etag: response.header("etag"),
      lastModified: response.header("last-modified"))
    var report = PollReport()
    try context.commitPage(parsed.mentions, refused: parsed.rejections, cursor: cursor, in: &report)
    return report
  }
}

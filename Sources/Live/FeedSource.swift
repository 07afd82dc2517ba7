import Foundation
import Inbox
import Store

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// An RSS or Atom feed, fetched with a conditional request (`If-None-Match` with the ETag,
/// `If-Modified-Since` with Last-Modified): an unchanged feed costs a 304 and nothing else.
/// Every entry is offered each time; the store keeps each one once.
public struct FeedSource: LiveSource {
  public let config: FeedConfig
  public let parser: any PayloadParser
  public var name: String { config.name }
  public var kind: String { "feed" }
  public var interval: TimeInterval? { config.interval }

  public init(config: FeedConfig, parser: (any PayloadParser)? = nil) {
    self.config = config
    self.parser = parser ?? FeedEntryReader(feedURL: config.url)
  }

  public func poll(from state: SourceState?, context: PollContext) throws -> PollReport {
    var headers = ["Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5"]
    if let etag = state?.etag { headers["If-None-Match"] = etag }
    if let modified = state?.lastModified { headers["If-Modified-Since"] = modified }
    let response = try context.http.send(HTTPRequest(url: config.url, headers: headers))
    if response.status == 304 { return PollReport() }
    guard response.isSuccess else { throw HTTPFailure(response.platformMessage(), status: response.status) }
    let mentions = try parser.mentions(from: response.body, origin: config.url.absoluteString)
    let cursor = SourceCursor(
      source: name, kind: kind, cursor: nil, etag: response.header("etag"),
      lastModified: response.header("last-modified"))
    let new = try context.commit(SourcePage(mentions: mentions, cursor: cursor))
    return PollReport(new: new, pages: 1)
  }
}

/// RSS 2.0 items and Atom entries, read minimally: the id (`guid`/`id`, else the link), the link,
/// the title and summary as text, the date. The full feed format (redirect links unwrapped,
/// declared encodings) plugs in as a `PayloadParser`.
public struct FeedEntryReader: PayloadParser {
  public let feedURL: URL

  public init(feedURL: URL) { self.feedURL = feedURL }

  public func mentions(from body: Data, origin: String) throws -> [IncomingMention] {
    let delegate = FeedDelegate()
    let parser = XMLParser(data: body)
    parser.delegate = delegate
    parser.shouldResolveExternalEntities = false
    guard parser.parse() else {
      throw PayloadError(
        origin: origin, reason: "line \(parser.lineNumber): not a readable RSS or Atom feed")
    }
    guard delegate.rootClosed else {
      throw PayloadError(
        origin: origin, reason: "not a complete RSS or Atom feed (no closing </rss> or </feed>)")
    }
    let host = feedURL.host ?? "feed"
    return delegate.entries.compactMap { e in
      guard let id = e["id"] ?? e["link"], !id.isEmpty else { return nil }
      let date =
        (e["date"]).flatMap { RFC3339.parse($0) ?? Self.rfc822($0) } ?? Date(timeIntervalSince1970: 0)
      let title = PlainText.fromHTML(e["title"] ?? "")
      let summary = PlainText.fromHTML(e["summary"] ?? "")
      let text = [title, summary].filter { !$0.isEmpty }.joined(separator: " — ")
      var raw = "{"
      raw += ["id", "link", "title", "summary", "date"].compactMap { k in
        e[k].map { JSONWriter.quoted(k) + ":" + JSONWriter.quoted($0) }
      }.joined(separator: ",")
      raw += "}"
      return IncomingMention(
        platform: "rss", externalID: id, url: e["link"], author: Author(handle: e["author"] ?? host),
        createdAt: date, text: text, raw: raw)
    }
  }

  static func rfc822(_ s: String) -> Date? {
    let f = DateFormatter()
    f.locale = Locale(identifier: "en_US_POSIX")
    for format in ["EEE, dd MMM yyyy HH:mm:ss Z", "dd MMM yyyy HH:mm:ss Z", "EEE, dd MMM yyyy HH:mm:ss zzz"] {
      f.dateFormat = format
      if let d = f.date(from: s.trimmingCharacters(in: .whitespaces)) { return d }
    }
    return nil
  }
}

private final class FeedDelegate: NSObject, XMLParserDelegate {
  var entries: [[String: String]] = []
  private var current: [String: String]?
  private var text = ""
  private var authorDepth = false
  /// The feed's root element (`rss`, `feed`, `rdf:RDF`) was seen to its end.
  var rootClosed = false

  func parser(
    _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
    attributes: [String: String] = [:]
  ) {
    let n = name.lowercased()
    if n == "item" || n == "entry" {
      current = [:]
    } else if current != nil, n == "link", let href = attributes["href"],
      attributes["rel"] == nil || attributes["rel"] == "alternate"
    {
      current?["link"] = href
    } else if n == "author" {
      authorDepth = true
    }
    text = ""
  }

  func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

  func parser(_ parser: XMLParser, foundCDATA data: Data) { text += String(decoding: data, as: UTF8.self) }

  func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?)
  {
    let n = name.lowercased()
    let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
    defer { text = "" }
    if n == "rss" || n == "feed" || n == "rdf:rdf" { rootClosed = true }
    guard current != nil else { return }
    switch n {
    case "item", "entry":
      if let c = current { entries.append(c) }
      current = nil
    case "guid", "id": if current?["id"] == nil, !value.isEmpty { current?["id"] = value }
    case "link": if current?["link"] == nil, !value.isEmpty { current?["link"] = value }
    case "title": current?["title"] = value
    case "description", "summary", "content": if current?["summary"] == nil { current?["summary"] = value }
    case "pubdate", "published", "updated", "dc:date", "date":
      if current?["date"] == nil { current?["date"] = value }
    case "name" where authorDepth: current?["author"] = value
    case "author":
      authorDepth = false
      if current?["author"] == nil, !value.isEmpty { current?["author"] = value }
    default: break
    }
  }
}

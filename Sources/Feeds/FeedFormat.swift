import Foundation
import Inbox

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// RSS 2.0 and Atom feeds, above all alert feeds (Google Alerts, Talkwalker): each item or entry
/// is one mention.
///
/// Redirect links are unwrapped to the real address (`https://www.google.com/url?…&url=REAL`), the
/// title and summary lose their HTML, entities and the declared encoding are handled by the XML
/// parser. The author is the entry's author when it names one, else the site it links to.
struct FeedFormat: Sendable {
  func read(_ bytes: [UInt8], name: String, limit: Int, into out: inout ParsedInput) {
    guard bytes.count <= limit else {
      out.rejections.append(RejectedRecord(file: name, line: 1, reason: "a feed larger than 256 MiB"))
      return
    }
    let parser = XMLParser(data: Data(bytes))
    parser.shouldResolveExternalEntities = false
    parser.shouldProcessNamespaces = false
    let collector = FeedCollector()
    parser.delegate = collector
    // On Linux, parse() can answer true and still leave an error (a truncated document).
    let ok = parser.parse() && parser.parserError == nil
    for entry in collector.entries {
      switch entry.mention() {
      case .success(let m): out.mentions.append(m)
      case .failure(let e):
        out.rejections.append(RejectedRecord(file: name, line: entry.line, reason: e.reason))
      }
    }
    if !ok {
      let error = parser.parserError.map { "\($0.localizedDescription)" } ?? "unknown error"
      let line = max(1, parser.lineNumber)
      if collector.sawFeed || collector.entries.isEmpty {
        out.rejections.append(
          RejectedRecord(
            file: name, line: line,
            reason: "broken XML at column \(parser.columnNumber): \(Self.short(error))"))
      }
    } else if !collector.sawFeed {
      out.rejections.append(RejectedRecord(file: name, line: 1, reason: "not an RSS or Atom feed"))
    }
  }

  private static func short(_ text: String) -> String {
    TerminalSafe.sanitize(String(text.prefix(120)), lines: .single)
  }

  /// Unwraps a redirector's link (Google, Bing, Talkwalker, feed proxies) to the address inside it.
  static func unwrap(_ link: String) -> String {
    guard let components = URLComponents(string: link), let host = components.host?.lowercased(),
      let items = components.queryItems
    else { return link }
    let redirector =
      host.hasPrefix("google.") || host.contains(".google.") || host.hasSuffix("bing.com")
      || host.hasSuffix("talkwalker.com") || components.path.contains("redirect") || components.path == "/url"
      || components.path.contains("click")
    guard redirector else { return link }
    for key in ["url", "u", "q", "target", "link", "dest", "destination", "redirect"] {
      if let value = items.first(where: { $0.name.lowercased() == key })?.value,
        value.hasPrefix("http://") || value.hasPrefix("https://")
      {
        return value
      }
    }
    return link
  }
}

/// One item or entry as read, before it becomes a mention.
struct FeedEntry {
  var line: Int
  var id: String?
  var title = ""
  var titleIsHTML = true
  var summary = ""
  var link: String?
  var author: String?
  var date: String?
  var lang: String?

  struct Problem: Error {
    var reason: String
  }

  func mention() -> Result<IncomingMention, Problem> {
    let url = link.map { FeedFormat.unwrap($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    guard
      let key = (id?.trimmingCharacters(in: .whitespacesAndNewlines)).flatMap({ $0.isEmpty ? nil : $0 })
        ?? url
    else { return .failure(Problem(reason: "an entry without an id or a link")) }
    guard let dateText = date else { return .failure(Problem(reason: "an entry without a date")) }
    guard let created = PlatformDate.parse(dateText) else {
      return .failure(Problem(reason: "bad date: \(TerminalSafe.sanitize(String(dateText.prefix(40))))"))
    }
    let heading = HTMLText.plainText(title)
    let body = HTMLText.plainText(summary)
    let text = [heading, body].filter { !$0.isEmpty }.joined(separator: "\n\n")
    var handle = author?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
    if handle.isEmpty, let url, let host = URLComponents(string: url)?.host {
      handle =
        host.lowercased().hasPrefix("www.") ? String(host.lowercased().dropFirst(4)) : host.lowercased()
    }
    if handle.isEmpty { handle = "unknown" }
    let raw = JSONObject.serialize(
      [
        "id": key, "title": title, "summary": summary, "link": link ?? NSNull(), "author": author ?? NSNull(),
        "date": dateText,
      ] as [String: Any])
    return .success(
      IncomingMention(
        platform: "rss", externalID: key, url: url, author: Author(handle: handle), createdAt: created,
        text: text,
        lang: lang.map(BlueskyFormat.primaryLanguage), raw: raw))
  }
}

/// Collects RSS items and Atom entries from XMLParser's events.
final class FeedCollector: NSObject, XMLParserDelegate {
  var entries: [FeedEntry] = []
  var sawFeed = false
  private var current: FeedEntry?
  private var text = ""
  private var channelLang: String?
  private var stack: [String] = []
  private var entryLang: String?

  func parser(
    _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
    qualifiedName qName: String?,
    attributes attributeDict: [String: String] = [:]
  ) {
    let name = elementName.lowercased()
    stack.append(name)
    text = ""
    switch name {
    case "rss", "feed", "rdf:rdf", "channel":
      sawFeed = true
      if let lang = attributeDict["xml:lang"] { channelLang = lang }
    case "item", "entry":
      sawFeed = true
      current = FeedEntry(line: parser.lineNumber)
      entryLang = attributeDict["xml:lang"]
    case "link":
      guard current != nil else { return }
      // Atom: <link rel="alternate" href="…"/>; RSS: <link>…</link>.
      if let href = attributeDict["href"] {
        let rel = attributeDict["rel"] ?? "alternate"
        if rel == "alternate" || current?.link == nil { current?.link = href }
      }
    case "title":
      if current != nil { current?.titleIsHTML = attributeDict["type"] != "text" }
    default: break
    }
  }

  func parser(_ parser: XMLParser, foundCharacters string: String) {
    if text.utf8.count < 1 << 20 { text += string }
  }

  func parser(_ parser: XMLParser, foundCDATA block: Data) {
    if text.utf8.count < 1 << 20 { text += String(decoding: block, as: UTF8.self) }
  }

  func parser(
    _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
    qualifiedName qName: String?
  ) {
    let name = elementName.lowercased()
    if !stack.isEmpty { stack.removeLast() }
    let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
    defer { text = "" }
    guard current != nil else {
      if name == "language", !value.isEmpty { channelLang = value }
      return
    }
    let parent = stack.last ?? ""
    switch name {
    case "item", "entry":
      if var entry = current {
        entry.lang = entryLang ?? channelLang
        entries.append(entry)
      }
      current = nil
    case "title" where parent == "item" || parent == "entry": current?.title = value
    case "description", "summary", "content", "content:encoded":
      if value.count > (current?.summary.count ?? 0) { current?.summary = value }
    case "link":
      if current?.link == nil, !value.isEmpty { current?.link = value }
    case "guid", "id":
      if parent == "item" || parent == "entry" { current?.id = value }
    case "pubdate", "published", "dc:date", "updated", "a10:updated":
      if current?.date == nil || name == "published" || name == "pubdate", !value.isEmpty {
        current?.date = value
      }
    case "dc:creator", "name":
      if !value.isEmpty { current?.author = value }
    case "author":
      if current?.author == nil, !value.isEmpty, !value.contains("\n") { current?.author = value }
    default: break
    }
  }
}

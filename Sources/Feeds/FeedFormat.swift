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
      out.rejections.append(
        RejectedRecord(file: name, line: 1, reason: "a feed larger than \(FormatReader.describe(limit))"))
      return
    }
    let document: [UInt8]
    switch Self.utf8Document(bytes) {
    case .success(let utf8): document = utf8
    case .failure(let problem):
      out.rejections.append(RejectedRecord(file: name, line: problem.line, reason: problem.reason))
      return
    }
    guard let first = document.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }),
      first == UInt8(ascii: "<")
    else {
      out.rejections.append(RejectedRecord(file: name, line: 1, reason: "not an RSS or Atom feed (no XML)"))
      return
    }
    let parser = XMLParser(data: Data(document))
    parser.shouldResolveExternalEntities = false
    parser.shouldProcessNamespaces = false
    let collector = FeedCollector()
    parser.delegate = collector
    // On Linux, parse() can answer true and still leave an error (a truncated document).
    let ok = parser.parse() && parser.parserError == nil
    // An entity XML does not know (HTML's &nbsp; in a title) is dropped or stops the parser: say
    // so, by its line, rather than what its loss looks like ("an entry without a date").
    let entities = Self.undeclaredEntities(document)
    var entityTold = false
    for entry in collector.entries {
      // An entry that held such an entity lost part of its text, or its date: refused for it.
      if let entity = entities.first(where: {
        (entry.line...max(entry.line, entry.endLine)).contains($0.line)
      }) {
        out.rejections.append(RejectedRecord(file: name, line: entity.line, reason: entity.reason))
        entityTold = true
        continue
      }
      switch entry.mention() {
      case .success(let m): out.mentions.append(m)
      case .failure(let e):
        out.rejections.append(RejectedRecord(file: name, line: entry.line, reason: e.reason))
      }
    }
    if let entity = entities.first, !ok, !entityTold {
      out.rejections.append(
        RejectedRecord(
          file: name, line: entity.line, reason: entity.reason + "; the rest of the feed is skipped"))
    } else if !ok {
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

  /// The entity references that are neither one of XML's five nor declared in the document (the
  /// first 100), each with its line and what to say about it.
  static func undeclaredEntities(_ bytes: [UInt8]) -> [(line: Int, reason: String)] {
    var found: [(line: Int, reason: String)] = []
    let known: Set<String> = ["amp", "lt", "gt", "quot", "apos"]
    var declared: Set<String> = []
    var line = 1
    var i = 0
    let n = bytes.count
    func starts(_ s: String, at k: Int) -> Bool {
      let u = Array(s.utf8)
      return k + u.count <= n && Array(bytes[k..<(k + u.count)]) == u
    }
    func skip(to end: String) {
      while i < n, !starts(end, at: i) {
        if bytes[i] == 0x0A { line += 1 }
        i += 1
      }
      i += end.utf8.count
    }
    func isNameByte(_ b: UInt8) -> Bool {
      ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x2E || b == 0x2D
        || b == 0x5F || b == 0x3A
    }
    while i < n {
      let b = bytes[i]
      if b == 0x0A {
        line += 1
        i += 1
      } else if b == 0x3C, starts("<![CDATA[", at: i) {
        skip(to: "]]>")
      } else if b == 0x3C, starts("<!--", at: i) {
        skip(to: "-->")
      } else if b == 0x3C, starts("<!ENTITY", at: i) {
        i += 8
        while i < n, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x25 { i += 1 }
        let from = i
        while i < n, isNameByte(bytes[i]) { i += 1 }
        declared.insert(String(decoding: bytes[from..<i], as: UTF8.self))
      } else if b == 0x26, i + 1 < n,
        ((bytes[i + 1] | 0x20) >= 0x61 && (bytes[i + 1] | 0x20) <= 0x7A) || bytes[i + 1] == 0x5F
      {
        var j = i + 1
        while j < n, j - i < 64, isNameByte(bytes[j]) { j += 1 }
        let entityName = String(decoding: bytes[(i + 1)..<j], as: UTF8.self)
        if j < n, bytes[j] == 0x3B, !known.contains(entityName), !declared.contains(entityName) {
          if found.count == 100 { break }
          found.append(
            (
              line,
              "the entity &\(TerminalSafe.sanitize(entityName)); is not declared (XML knows only &amp; &lt; &gt; "
                + "&quot; &apos;; write the character or &#NNN;)"
            ))
        }
        i = j
      } else {
        i += 1
      }
    }
    return found
  }

  private static func short(_ text: String) -> String {
    TerminalSafe.sanitize(String(text.prefix(120)), lines: .single)
  }

  struct EncodingProblem: Error {
    var line: Int
    var reason: String
  }

  /// The document in UTF-8 with its declaration saying so, from the encoding it declares (or its
  /// byte order mark). Foundation's XMLParser traps on names that are not valid UTF-8, so nothing
  /// else reaches it: invalid UTF-8 is refused here with its byte offset.
  static func utf8Document(_ bytes: [UInt8]) -> Result<[UInt8], EncodingProblem> {
    if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
      let little = bytes[0] == 0xFF
      var units: [UInt16] = []
      units.reserveCapacity(bytes.count / 2)
      var i = 2
      while i + 1 < bytes.count {
        units.append(
          little ? UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8 : UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1])
        )
        i += 2
      }
      return .success(declaringUTF8(Array(String(decoding: units, as: UTF16.self).utf8)))
    }
    var body = bytes
    if body.starts(with: [0xEF, 0xBB, 0xBF]) { body.removeFirst(3) }
    let declared = declaredEncoding(body)?.lowercased() ?? "utf-8"
    switch declared {
    case "utf-8", "utf8", "us-ascii", "ascii":
      guard body.withUnsafeBufferPointer({ String(validating: $0, as: UTF8.self) }) != nil else {
        let offset = body.withUnsafeBufferPointer { JSONDocuments.invalidUTF8Offset($0) }
        let line = 1 + body[..<offset].filter { $0 == 0x0A }.count
        return .failure(
          EncodingProblem(
            line: line, reason: "invalid UTF-8 at byte \(offset + 1) (the feed declares \(declared))"))
      }
      return .success(body)
    case "iso-8859-1", "latin1", "latin-1", "iso8859-1", "iso-latin-1":
      var scalars = String.UnicodeScalarView()
      for b in body { scalars.append(Unicode.Scalar(b)) }
      return .success(declaringUTF8(Array(String(scalars).utf8)))
    default:
      let encodings: [String: String.Encoding] = [
        "windows-1252": .windowsCP1252, "cp1252": .windowsCP1252, "iso-8859-2": .isoLatin2,
        "windows-1250": .windowsCP1250, "windows-1251": .windowsCP1251, "shift_jis": .shiftJIS,
        "euc-jp": .japaneseEUC, "iso-2022-jp": .iso2022JP, "utf-16": .utf16,
      ]
      guard let encoding = encodings[declared] else {
        return .failure(
          EncodingProblem(line: 1, reason: "the encoding \(TerminalSafe.sanitize(declared)) is not supported")
        )
      }
      guard let text = String(data: Data(body), encoding: encoding) else {
        return .failure(EncodingProblem(line: 1, reason: "not valid \(declared)"))
      }
      return .success(declaringUTF8(Array(text.utf8)))
    }
  }

  /// The `encoding` of the XML declaration at the start, if any.
  static func declaredEncoding(_ bytes: [UInt8]) -> String? {
    guard bytes.starts(with: Array("<?xml".utf8)) else { return nil }
    let head = bytes.prefix(300)
    guard let end = head.firstIndex(of: UInt8(ascii: ">")) else { return nil }
    let declaration = String(decoding: head[..<end], as: UTF8.self)
    guard let range = declaration.range(of: "encoding") else { return nil }
    let rest = declaration[range.upperBound...].drop { $0 == " " || $0 == "=" }
    guard let quote = rest.first, quote == "\"" || quote == "'" else { return nil }
    return String(rest.dropFirst().prefix { $0 != quote })
  }

  /// Rewrites the declaration (on the first line) to say UTF-8, keeping the lines where they are.
  static func declaringUTF8(_ bytes: [UInt8]) -> [UInt8] {
    var body = bytes
    if body.starts(with: [0xEF, 0xBB, 0xBF]) { body.removeFirst(3) }
    guard body.starts(with: Array("<?xml".utf8)), let end = body.prefix(300).firstIndex(of: UInt8(ascii: ">"))
    else { return body }
    return Array(#"<?xml version="1.0" encoding="UTF-8"?>"#.utf8) + body[(end + 1)...]
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
  /// The line where the entry ends (its start while it is being read).
  var endLine = 0
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
        entry.endLine = parser.lineNumber
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

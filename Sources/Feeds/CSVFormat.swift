import CSV
import Foundation
import Inbox
import TOMLKit

/// Which CSV column holds which mention field, for exports from listening tools.
///
/// Given as `field=Column Header` pairs (`--csv-map 'text=Full Text,author=Author'`); a field not
/// named is looked for under the headers such exports commonly use (`text`, `content`, `full
/// text`, `message`…), case-insensitively. `id` falls back to the URL when no id column exists.
public struct CSVMapping: Sendable, Hashable {
  /// The fields a column can fill.
  public static let fields = [
    "id", "text", "author", "name", "followers", "created_at", "url", "lang", "in_reply_to", "thread",
    "platform",
  ]

  /// Field → header, as given.
  public var columns: [String: String]
  /// The platform for rows without a platform column (default `csv`).
  public var platform: String
  /// A `DateFormatter` pattern for the date column, when it is in none of the usual forms.
  public var dateFormat: String?

  public init(columns: [String: String] = [:], platform: String = "csv", dateFormat: String? = nil) {
    self.columns = columns
    self.platform = platform
    self.dateFormat = dateFormat
  }

  /// Reads `field=Header,field=Header`; an unknown field or a pair without `=` is an error.
  public static func parse(_ spec: String) throws -> [String: String] {
    var columns: [String: String] = [:]
    for pair in spec.split(separator: ",") {
      guard let eq = pair.firstIndex(of: "=") else {
        throw InboxError.invalidArgument("--csv-map: \"\(pair)\" is not field=Column")
      }
      let field = pair[..<eq].trimmingCharacters(in: .whitespaces).lowercased()
      let column = pair[pair.index(after: eq)...].trimmingCharacters(in: .whitespaces)
      guard fields.contains(field) else {
        throw InboxError.invalidArgument(
          "--csv-map: unknown field \"\(field)\" (known: \(fields.joined(separator: ", ")))")
      }
      guard !column.isEmpty else { throw InboxError.invalidArgument("--csv-map: no column for \"\(field)\"") }
      columns[field] = column
    }
    return columns
  }

  /// Headers commonly used for each field by listening tools' exports (lower case).
  static let usualHeaders: [String: [String]] = [
    "id": ["id", "post id", "mention id", "tweet id", "guid", "resource id", "status id", "message id"],
    "text": ["text", "full text", "content", "message", "snippet", "body", "post", "mention", "tweet"],
    "author": [
      "author", "handle", "author handle", "username", "user", "screen name", "twitter screen name",
      "user name",
      "author username",
    ],
    "name": ["name", "author name", "display name", "full name", "author display name"],
    "followers": ["followers", "follower count", "followers count", "author followers", "twitter followers"],
    "created_at": [
      "created_at", "created at", "date", "published", "published date", "published at", "timestamp", "time",
      "datetime", "date (utc)",
    ],
    "url": ["url", "link", "permalink", "post url"],
    "lang": ["lang", "language"],
    "in_reply_to": ["in_reply_to", "in reply to", "reply to", "parent id"],
    "thread": ["thread", "thread id", "conversation id", "conversation_id"],
    "platform": ["platform", "network", "source", "page type", "site type", "channel"],
  ]

  /// The delimiter of a header line: the most frequent of `,`, `;` and tab.
  static func delimiter(_ header: some Sequence<UInt8>) -> UnicodeScalar {
    var counts: [UInt8: Int] = [0x2C: 0, 0x3B: 0, 0x09: 0]
    var quoted = false
    for b in header {
      if b == 0x0A && !quoted { break }
      if b == 0x22 { quoted.toggle() }
      if !quoted, counts[b] != nil { counts[b]! += 1 }
    }
    let best = counts.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }!
    return best.value == 0 ? "," : UnicodeScalar(best.key)
  }

  /// Reads a whole CSV held in memory.
  func read(_ bytes: [UInt8], name: String, into out: inout ParsedInput) {
    var mentions: [IncomingMention] = []
    var rejections: [RejectedRecord] = []
    read(
      stream: InputStream(data: Data(bytes)), header: bytes.prefix(1 << 16), name: name,
      mention: { mentions.append($0) }, reject: { rejections.append($0) })
    out.mentions += mentions
    out.rejections += rejections
  }

  /// Streams a CSV: `mention` gets each row that maps to a mention, `reject` each that does not.
  /// `header` holds the input's first bytes, to tell the delimiter.
  public func read(
    stream: InputStream, header: some Sequence<UInt8>, name: String,
    mention: (IncomingMention) throws -> Void,
    reject: (RejectedRecord) -> Void
  ) rethrows {
    let reader: CSVReader
    do {
      reader = try CSVReader(stream: stream, hasHeaderRow: true, delimiter: Self.delimiter(header))
    } catch {
      reject(RejectedRecord(file: name, line: 1, reason: "cannot read the CSV header: \(error)"))
      return
    }
    guard let headerRow = reader.headerRow, !headerRow.isEmpty else {
      reject(RejectedRecord(file: name, line: 1, reason: "no header row"))
      return
    }
    let headers = headerRow.map { $0.trimmingCharacters(in: .whitespaces) }
    let lowered = headers.map { $0.lowercased() }
    var index: [String: Int] = [:]
    let listed = headers.prefix(30).map { TerminalSafe.sanitize($0) }.joined(separator: ", ")
    for field in Self.fields {
      if let column = columns[field] {
        guard let i = headers.firstIndex(of: column) ?? lowered.firstIndex(of: column.lowercased()) else {
          reject(
            RejectedRecord(
              file: name, line: 1,
              reason:
                "no column \"\(TerminalSafe.sanitize(column))\" for \(field) (the header has: \(listed))"))
          return
        }
        index[field] = i
      } else if let i = Self.usualHeaders[field]?.lazy.compactMap({ lowered.firstIndex(of: $0) }).first {
        index[field] = i
      }
    }
    for needed in ["text", "author", "created_at"] where index[needed] == nil {
      reject(
        RejectedRecord(
          file: name, line: 1,
          reason:
            "no column for \(needed); name it with --csv-map \(needed)=HEADER (the header has: \(listed))"))
      return
    }
    guard index["id"] != nil || index["url"] != nil else {
      reject(
        RejectedRecord(
          file: name, line: 1, reason: "no column for id or url; name one with --csv-map id=HEADER"))
      return
    }
    let formatter = dateFormat.map { pattern -> DateFormatter in
      let f = DateFormatter()
      f.locale = Locale(identifier: "en_US_POSIX")
      f.timeZone = TimeZone(identifier: "UTC")
      f.dateFormat = pattern
      return f
    }
    var line = 1 + headerRow.reduce(0) { $0 + Self.newlines($1) }
    while let row = reader.next() {
      // A decoding error ends the row early and the reader would go on mid-line: stop here.
      if let error = reader.error, !Self.isEnd(error) { break }
      line += 1
      let rowLine = line
      line += row.reduce(0) { $0 + Self.newlines($1) }
      if row.count == 1 && row[0].isEmpty { continue }
      func value(_ field: String) -> String? {
        guard let i = index[field], i < row.count else { return nil }
        let v = row[i].trimmingCharacters(in: .whitespacesAndNewlines)
        return v.isEmpty ? nil : v
      }
      func fail(_ reason: String) { reject(RejectedRecord(file: name, line: rowLine, reason: reason)) }
      guard row.count <= headers.count || row[headers.count...].allSatisfy(\.isEmpty) else {
        fail("\(row.count) fields, the header has \(headers.count)")
        continue
      }
      guard let id = value("id") ?? value("url") else {
        fail("no id (column \(TerminalSafe.sanitize(headers[index["id"] ?? index["url"]!])) is empty)")
        continue
      }
      guard var handle = value("author") else {
        fail("no author (column \(TerminalSafe.sanitize(headers[index["author"]!])) is empty)")
        continue
      }
      if handle.hasPrefix("@") { handle.removeFirst() }
      guard let dateText = value("created_at") else {
        fail("no date (column \(TerminalSafe.sanitize(headers[index["created_at"]!])) is empty)")
        continue
      }
      guard let date = formatter?.date(from: dateText) ?? Self.date(dateText) else {
        fail(
          "bad date: \(TerminalSafe.sanitize(String(dateText.prefix(40)))) (RFC 3339, or name the form with --csv-date-format)"
        )
        continue
      }
      var followers: Int?
      if let f = value("followers") {
        guard let n = Int(f.filter { $0 != "," && $0 != "." && $0 != " " }), n >= 0 else {
          fail("followers must be a whole number: \(TerminalSafe.sanitize(String(f.prefix(20))))")
          continue
        }
        followers = n
      }
      // A short row may end before the text column (an empty text is still a text).
      guard let textColumn = index["text"], textColumn < row.count else {
        fail("no text: the row has \(row.count) fields, the text is field \(index["text"]! + 1)")
        continue
      }
      var platformName = value("platform")?.lowercased() ?? platform
      if platformName == "twitter" { platformName = "x" }
      var raw: [String: Any] = [:]
      for (i, header) in headers.enumerated() where i < row.count { raw[header] = row[i] }
      try mention(
        IncomingMention(
          platform: platformName, externalID: id, url: value("url"),
          author: Author(handle: handle, name: value("name"), followers: followers), createdAt: date,
          text: row[textColumn].replacingOccurrences(of: "\r\n", with: "\n"),
          lang: value("lang")?.lowercased(), inReplyTo: value("in_reply_to"),
          thread: value("thread"), raw: JSONObject.serialize(raw)))
    }
    // On Linux a file's InputStream still says it has bytes at its end, and CSV.swift then reports
    // the end as `cannotReadFile`; a real read error comes as `streamErrorHasOccurred`.
    if let error = reader.error, !Self.isEnd(error) {
      reject(
        RejectedRecord(
          file: name, line: line + 1, reason: "unreadable from here (\(error)); the rest is skipped"))
    }
  }

  private static func isEnd(_ error: any Error) -> Bool {
    if case CSVError.cannotReadFile = error { return true }
    return false
  }

  /// Line breaks inside a field: LF, CR LF and a lone CR each count once, as CSV.swift ends rows.
  private static func newlines(_ field: String) -> Int {
    var n = 0
    var afterCR = false
    for b in field.utf8 {
      if b == 0x0D {
        n += 1
      } else if b == 0x0A && !afterCR {
        n += 1
      }
      afterCR = b == 0x0D
    }
    return n
  }

  /// RFC 3339 (a space for the `T` allowed), RFC 822, or seconds since 1970.
  static func date(_ text: String) -> Date? {
    if let d = PlatformDate.parse(text) { return d }
    if !text.isEmpty, text.utf8.count <= 13, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
      let seconds = Double(text)
    {
      // Milliseconds when the number is too large for seconds.
      return Date(timeIntervalSince1970: seconds > 1e11 ? seconds / 1000 : seconds)
    }
    return nil
  }
}

extension CSVMapping {
  /// Reads a mapping kept in a TOML file, so a tool's export is described once:
  ///
  /// ```toml
  /// platform = "forum"                  # for rows without a platform column
  /// date_format = "dd/MM/yyyy HH:mm"    # when the dates are in no usual form
  /// [columns]
  /// text = "Full Text"
  /// author = "Author"
  /// ```
  ///
  /// Problems are `FILE:LINE: message`; an unknown key is one.
  public static func load(path: String) throws -> CSVMapping {
    guard let data = FileManager.default.contents(atPath: path),
      let text = String(data: data, encoding: .utf8)
    else { throw InboxError.invalidArgument("\(path): cannot read the file as UTF-8 text") }
    let table: TOMLTable
    do {
      table = try TOMLTable(string: text)
    } catch let error as TOMLParseError {
      throw InboxError.invalidArgument("\(path):\(error.source.begin.line): \(error.description)")
    }
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    func line(of key: String, after: Int = 0) -> Int {
      for (i, l) in lines.enumerated() where i >= after {
        let t = l.trimmingCharacters(in: .whitespaces)
        if t.hasPrefix(key), t.dropFirst(key.count).trimmingCharacters(in: .whitespaces).hasPrefix("=") {
          return i + 1
        }
      }
      return 1
    }
    let columnsLine = lines.firstIndex { $0.trimmingCharacters(in: .whitespaces) == "[columns]" } ?? 0
    func fail(_ key: String, _ message: String, inColumns: Bool = false) -> InboxError {
      .invalidArgument("\(path):\(line(of: key, after: inColumns ? columnsLine : 0)): \(message)")
    }
    var mapping = CSVMapping()
    for key in table.keys {
      switch key {
      case "platform":
        guard let s = table[key]?.string, !s.isEmpty else { throw fail(key, "platform must be a name") }
        mapping.platform = s.lowercased()
      case "date_format":
        guard let s = table[key]?.string, !s.isEmpty else { throw fail(key, "date_format must be a pattern") }
        mapping.dateFormat = s
      case "columns":
        guard let columns = table[key]?.table else { throw fail(key, "columns must be a table") }
        for field in columns.keys {
          guard fields.contains(field) else {
            throw fail(
              field, "unknown field \"\(field)\" (known: \(fields.joined(separator: ", ")))", inColumns: true)
          }
          guard let header = columns[field]?.string, !header.isEmpty else {
            throw fail(field, "the column for \(field) must be a header in quotes", inColumns: true)
          }
          mapping.columns[field] = header
        }
      default:
        throw fail(key, "unknown key \"\(key)\" (known: platform, date_format, [columns])")
      }
    }
    return mapping
  }
}

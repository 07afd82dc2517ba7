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
  static func delimiter(_ header: some Sequence<UInt8>) -> UInt8 {
    var counts: [UInt8: Int] = [0x2C: 0, 0x3B: 0, 0x09: 0]
    var quoted = false
    for b in header {
      if (b == 0x0A || b == 0x0D) && !quoted { break }
      if b == 0x22 { quoted.toggle() }
      if !quoted, counts[b] != nil { counts[b]! += 1 }
    }
    let best = counts.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }!
    return best.value == 0 ? 0x2C : best.key
  }

  /// Reads a whole CSV held in memory.
  func read(_ bytes: [UInt8], name: String, into out: inout ParsedInput) {
    var mentions: [IncomingMention] = []
    var rejections: [RejectedRecord] = []
    read(
      CSVRecordReader(bytes: bytes, delimiter: Self.delimiter(bytes.prefix(1 << 16))), name: name,
      mention: { mentions.append($0) }, reject: { rejections.append($0) })
    out.mentions += mentions
    out.rejections += rejections
  }

  /// Streams a CSV from `fd`, read once: `prefix` holds the bytes already read from it (to tell the
  /// format and the delimiter), the rest comes from `fd`, which is closed at the end when
  /// `ownsDescriptor`. `mention` gets each row that maps to a mention, `reject` each that does not.
  public func read(
    fd: Int32, prefix: [UInt8], ownsDescriptor: Bool, name: String,
    mention: (IncomingMention) throws -> Void,
    reject: (RejectedRecord) -> Void
  ) rethrows {
    let reader = CSVRecordReader(
      bytes: prefix, fd: fd, ownsDescriptor: ownsDescriptor, delimiter: Self.delimiter(prefix))
    try read(reader, name: name, mention: mention, reject: reject)
  }

  /// Why a record that is not a row was refused.
  static func reason(_ record: CSVRecordReader.Record) -> (line: Int, reason: String)? {
    switch record {
    case .fields: return nil
    case .tooLong(let line):
      return (line, "a record longer than \(FormatReader.describe(CSVRecordReader.maximumRecordBytes))")
    case .notUTF8(let line, let field): return (line, "field \(field + 1) is not UTF-8 text")
    case .binary(let line): return (line, "a NUL byte: binary data, not CSV text; the rest is skipped")
    case .endless(let line):
      return (
        line,
        "a record longer than \(FormatReader.describe(CSVRecordReader.maximumSkippedBytes)) "
          + "(a quote never closed?); the rest is skipped"
      )
    }
  }

  func read(
    _ reader: CSVRecordReader, name: String,
    mention: (IncomingMention) throws -> Void,
    reject: (RejectedRecord) -> Void
  ) rethrows {
    func refuse(_ record: CSVRecordReader.Record, _ what: String = "") {
      if let (line, reason) = Self.reason(record) {
        reject(RejectedRecord(file: name, line: line, reason: what + reason))
      }
    }
    // An empty input holds no records; a header that is not a row stops here.
    guard let first = reader.next() else { return readFailure(reader, name: name, reject: reject) }
    guard case .fields(_, let headerRow) = first, !headerRow.allSatisfy(\.isEmpty) else {
      switch first {
      case .fields:
        reject(RejectedRecord(file: name, line: 1, reason: "no header row (the first line is empty)"))
      case .tooLong, .notUTF8: refuse(first, "the header row: ")
      case .binary, .endless: refuse(first)
      }
      return
    }
    let headers = headerRow.map { $0.trimmingCharacters(in: .whitespaces) }
    guard let index = columnIndex(headers, name: name, reject: reject) else { return }
    let formatter = dateFormat.map { pattern -> DateFormatter in
      let f = DateFormatter()
      f.locale = Locale(identifier: "en_US_POSIX")
      f.timeZone = TimeZone(identifier: "UTC")
      f.dateFormat = pattern
      return f
    }
    while let record = reader.next() {
      guard case .fields(let rowLine, let row) = record else {
        refuse(record)
        continue
      }
      if row.count == 1 && row[0].isEmpty { continue }
      switch parse(row, headers: headers, index: index, formatter: formatter) {
      case .success(let m): try mention(m)
      case .failure(let refusal): reject(RejectedRecord(file: name, line: rowLine, reason: refusal.reason))
      }
    }
    readFailure(reader, name: name, reject: reject)
  }

  /// Which column holds each field: the one `--csv-map` names, else a usual header. Nil (with the
  /// header rejected) when a needed field has no column.
  private func columnIndex(_ headers: [String], name: String, reject: (RejectedRecord) -> Void) -> [String:
    Int]?
  {
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
          return nil
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
      return nil
    }
    guard index["id"] != nil || index["url"] != nil else {
      reject(
        RejectedRecord(
          file: name, line: 1, reason: "no column for id or url; name one with --csv-map id=HEADER"))
      return nil
    }
    return index
  }

  /// Why a row is not a mention.
  struct RowRefusal: Error {
    var reason: String
  }

  /// One row as a mention, or why it is not one.
  private func parse(
    _ row: [String], headers: [String], index: [String: Int], formatter: DateFormatter?
  ) -> Result<IncomingMention, RowRefusal> {
    func refused(_ reason: String) -> Result<IncomingMention, RowRefusal> {
      .failure(RowRefusal(reason: reason))
    }
    func value(_ field: String) -> String? {
      guard let i = index[field], i < row.count else { return nil }
      let v = row[i].trimmingCharacters(in: .whitespacesAndNewlines)
      return v.isEmpty ? nil : v
    }
    guard row.count <= headers.count || row[headers.count...].allSatisfy(\.isEmpty) else {
      return refused("\(row.count) fields, the header has \(headers.count)")
    }
    guard let id = value("id") ?? value("url") else {
      return refused(
        "no id (column \(TerminalSafe.sanitize(headers[index["id"] ?? index["url"]!])) is empty)")
    }
    guard var handle = value("author") else {
      return refused("no author (column \(TerminalSafe.sanitize(headers[index["author"]!])) is empty)")
    }
    if handle.hasPrefix("@") { handle.removeFirst() }
    guard let dateText = value("created_at") else {
      return refused("no date (column \(TerminalSafe.sanitize(headers[index["created_at"]!])) is empty)")
    }
    guard let date = formatter?.date(from: dateText) ?? Self.date(dateText) else {
      return refused(
        "bad date: \(TerminalSafe.sanitize(String(dateText.prefix(40)))) (RFC 3339, or name the form with --csv-date-format)"
      )
    }
    var followers: Int?
    if let f = value("followers") {
      guard let n = Int(f.filter { $0 != "," && $0 != "." && $0 != " " }) else {
        return refused("followers must be a whole number: \(TerminalSafe.sanitize(String(f.prefix(20))))")
      }
      guard n >= 0 else {
        return refused("followers must not be negative: \(n)")
      }
      followers = n
    }
    // A short row may end before the text column (an empty text is still a text).
    guard let textColumn = index["text"], textColumn < row.count else {
      return refused("no text: the row has \(row.count) fields, the text is field \(index["text"]! + 1)")
    }
    let named = value("platform") ?? platform
    guard let platformName = KnownPlatform.canonical(named) else {
      return refused(KnownPlatform.refusal(named))
    }
    var raw: [String: Any] = [:]
    for (i, header) in headers.enumerated() where i < row.count { raw[header] = row[i] }
    return .success(
      IncomingMention(
        platform: platformName, externalID: id, url: value("url"),
        author: Author(handle: handle, name: value("name"), followers: followers), createdAt: date,
        text: row[textColumn].replacingOccurrences(of: "\r\n", with: "\n"),
        lang: value("lang")?.lowercased(), inReplyTo: value("in_reply_to"),
        thread: value("thread"), raw: JSONObject.serialize(raw)))
  }

  /// A read error of the descriptor, by the line where reading stopped.
  private func readFailure(_ reader: CSVRecordReader, name: String, reject: (RejectedRecord) -> Void) {
    if let error = reader.readError {
      reject(
        RejectedRecord(file: name, line: reader.line, reason: "read error: \(error); the rest is skipped"))
    }
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
        guard let known = KnownPlatform.canonical(s) else { throw fail(key, KnownPlatform.refusal(s)) }
        mapping.platform = known
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

import Foundation
import Inbox

/// The input formats `repute ingest --format` reads; `auto` tells them apart by their content.
public enum MentionFormat: String, CaseIterable, Sendable {
  case auto, jsonl, mastodon, bluesky, x, rss, csv

  /// Guesses the format from the first bytes of an input (64 KiB is plenty) and its name.
  ///
  /// Native JSON Lines is recognised from the first record's keys, so the million-line path pays
  /// for one look at the first line only. Nil when nothing fits.
  public static func detect(_ prefix: [UInt8], name: String) -> MentionFormat? {
    var start = 0
    if prefix.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
    while start < prefix.count, [0x20, 0x09, 0x0A, 0x0D].contains(prefix[start]) { start += 1 }
    let lower = name.lowercased()
    guard start < prefix.count else {
      if lower.hasSuffix(".csv") || lower.hasSuffix(".tsv") { return .csv }
      return nil
    }
    switch prefix[start] {
    case UInt8(ascii: "<"):
      return .rss
    case UInt8(ascii: "{"), UInt8(ascii: "["):
      let keys = prefix.withUnsafeBufferPointer { leadingKeys(UnsafeBufferPointer(rebasing: $0[start...])) }
      return jsonFormat(keys)
    default:
      if lower.hasSuffix(".csv") || lower.hasSuffix(".tsv") { return .csv }
      let firstLine = prefix[start...].prefix { $0 != 0x0A }
      if firstLine.contains(UInt8(ascii: ",")) || firstLine.contains(UInt8(ascii: ";"))
        || firstLine.contains(0x09)
      {
        return .csv
      }
      return nil
    }
  }

  /// Which JSON format has these top-level keys (of the object, or of an array's first element).
  static func jsonFormat(_ keys: Set<String>) -> MentionFormat? {
    if keys.contains("platform") { return .jsonl }
    let x: Set = [
      "__twarc", "includes", "matching_rules", "author_id", "edit_history_tweet_ids", "conversation_id",
      "data",
    ]
    if !keys.isDisjoint(with: x) { return .x }
    if keys.contains("action") && keys.contains("id") && !keys.contains("account") { return .x }
    let bluesky: Set = [
      "posts", "feed", "thread", "cid", "record", "post", "indexedAt", "notFound", "blocked",
    ]
    if !keys.isDisjoint(with: bluesky) { return .bluesky }
    let mastodon: Set = [
      "notification_groups", "account", "accounts", "content", "visibility", "reblog", "spoiler_text",
      "statuses",
      "@context", "object", "event",
    ]
    if !keys.isDisjoint(with: mastodon) { return .mastodon }
    return nil
  }

  /// The keys of the first object in `bytes` (or of a leading array's first element), read as far
  /// as the bytes go: a prefix cut in the middle still names the keys before the cut.
  static func leadingKeys(_ bytes: UnsafeBufferPointer<UInt8>) -> Set<String> {
    var cursor = JSONCursor(bytes)
    var keys: Set<String> = []
    do {
      if try cursor.peekKind() == .array {
        try cursor.consume(UInt8(ascii: "["), "'['")
        guard try cursor.peekKind() == .object else { return keys }
      }
      guard try cursor.peekKind() == .object else { return keys }
      try cursor.members { c, key in
        keys.insert(String(decoding: key, as: UTF8.self))
        try c.skipValue()
      }
    } catch {}
    return keys
  }
}

/// What parsing one input gave: the mentions (and deletion notices) in input order, and the
/// records refused, each with its `FILE:LINE`.
public struct ParsedInput: Sendable {
  public var mentions: [IncomingMention] = []
  public var rejections: [RejectedRecord] = []

  public init() {}
}

/// One record's fate inside a format: a mention, or the reason it was refused. `item` is the
/// index in the document's list of records (the top-level array, or the envelope's), so the
/// reader can say on which line that record starts.
enum Outcome {
  case mention(IncomingMention)
  case reject(String, item: Int?)
}

/// A JSON-based platform format: turns one JSON value (a whole document, or one line of JSON
/// Lines) into outcomes.
protocol JSONRecordFormat: Sendable {
  /// The member of an envelope object that holds the list of records (`data`, `posts`, …).
  var listKeys: [String] { get }
  func outcomes(_ value: Any) -> [Outcome]
}

/// Reads the platform formats from bytes in memory: an HTTP response body, a dropped file.
///
/// This is the entry point the live sources share with `repute ingest`.
public struct FormatReader: Sendable {
  public var format: MentionFormat
  public var csv: CSVMapping
  /// The largest one-document input read (tests lower it).
  public var documentLimit = FormatReader.maximumDocumentSize

  /// A JSON file holding one document (an array or an envelope) is read up to this size; beyond
  /// it, the records must come as JSON Lines, which stream.
  public static let maximumDocumentSize = 256 << 20

  /// A size limit as people say it: `256 MiB`, `100 bytes`.
  static func describe(_ limit: Int) -> String {
    limit >= 1 << 20 && limit % (1 << 20) == 0 ? "\(limit >> 20) MiB" : "\(limit) bytes"
  }

  public init(format: MentionFormat, csv: CSVMapping = CSVMapping()) {
    self.format = format
    self.csv = csv
  }

  /// Parses a whole input. `name` is what `FILE` says in rejections.
  public func parse(_ bytes: [UInt8], name: String) -> ParsedInput {
    var out = ParsedInput()
    var chosen = format
    if chosen == .auto {
      guard let detected = MentionFormat.detect(Array(bytes.prefix(1 << 16)), name: name) else {
        out.rejections.append(
          RejectedRecord(file: name, line: 1, reason: "cannot tell the format; name it with --format"))
        return out
      }
      chosen = detected
    }
    switch chosen {
    case .auto: break
    case .jsonl:
      let native = NativeFormat()
      forEachLine(bytes) { number, whole in
        let line = number == 1 ? Ingester.withoutByteOrderMark(whole) : whole
        if line.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) { return }
        switch Result(catching: { () throws(NativeFormat.RecordError) in try native.parse(line) }) {
        case .success(let m): out.mentions.append(m)
        case .failure(let e):
          out.rejections.append(RejectedRecord(file: name, line: number, reason: e.reason))
        }
      }
    case .mastodon:
      JSONDocuments.read(bytes, name: name, format: MastodonFormat(), limit: documentLimit, into: &out)
    case .bluesky:
      JSONDocuments.read(bytes, name: name, format: BlueskyFormat(), limit: documentLimit, into: &out)
    case .x: JSONDocuments.read(bytes, name: name, format: XFormat(), limit: documentLimit, into: &out)
    case .rss: FeedFormat().read(bytes, name: name, limit: documentLimit, into: &out)
    case .csv: csv.read(bytes, name: name, into: &out)
    }
    return out
  }

  private func forEachLine(_ bytes: [UInt8], _ body: (Int, UnsafeBufferPointer<UInt8>) -> Void) {
    bytes.withUnsafeBufferPointer { all in
      var start = 0
      var number = 0
      while start < all.count {
        var end = start
        while end < all.count && all[end] != 0x0A { end += 1 }
        number += 1
        var lineEnd = end
        if lineEnd > start && all[lineEnd - 1] == 0x0D { lineEnd -= 1 }
        body(number, UnsafeBufferPointer(rebasing: all[start..<lineEnd]))
        start = end + 1
      }
    }
  }
}

/// JSON input of the platform formats: one document, or JSON Lines of documents.
enum JSONDocuments {
  /// Reads `bytes` as one JSON document, or as JSON Lines when more than one value follows.
  static func read(
    _ bytes: [UInt8], name: String, format: some JSONRecordFormat, limit: Int, into out: inout ParsedInput
  ) {
    bytes.withUnsafeBufferPointer { all in
      var start = 0
      if all.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
      let body = UnsafeBufferPointer(rebasing: all[start...])
      guard !body.allSatisfy({ [0x20, 0x09, 0x0A, 0x0D].contains($0) }) else { return }
      if let end = firstValueEnd(body), hasMoreContent(body, after: end) {
        readLines(body, name: name, format: format, into: &out)
      } else {
        guard body.count <= limit else {
          out.rejections.append(
            RejectedRecord(
              file: name, line: 1,
              reason:
                "one JSON document larger than \(FormatReader.describe(limit)); write the records as JSON Lines (one a line)"
            ))
          return
        }
        readDocument(body, name: name, lineBase: 1, format: format, into: &out)
      }
    }
  }

  /// Reads every line of `bytes` as a document of its own.
  static func readLines(
    _ bytes: UnsafeBufferPointer<UInt8>, name: String, format: some JSONRecordFormat,
    into out: inout ParsedInput
  ) {
    var start = 0
    var number = 0
    while start < bytes.count {
      var end = start
      while end < bytes.count && bytes[end] != 0x0A { end += 1 }
      number += 1
      let line = UnsafeBufferPointer(rebasing: bytes[start..<end])
      if !line.allSatisfy({ [0x20, 0x09, 0x0D].contains($0) }) {
        readLine(line, name: name, number: number, format: format, into: &out)
      }
      start = end + 1
    }
  }

  /// One line of JSON Lines: every rejection names this line.
  static func readLine(
    _ line: UnsafeBufferPointer<UInt8>, name: String, number: Int, format: some JSONRecordFormat,
    into out: inout ParsedInput
  ) {
    guard let value = decode(line) else {
      out.rejections.append(RejectedRecord(file: name, line: number, reason: problem(line, inLine: true)))
      return
    }
    for outcome in format.outcomes(value) {
      switch outcome {
      case .mention(let m): out.mentions.append(m)
      case .reject(let reason, let item):
        let prefix = item.map { "record \($0 + 1): " } ?? ""
        out.rejections.append(RejectedRecord(file: name, line: number, reason: prefix + reason))
      }
    }
  }

  /// A whole document: a rejected record names the line where it starts.
  static func readDocument(
    _ bytes: UnsafeBufferPointer<UInt8>, name: String, lineBase: Int, format: some JSONRecordFormat,
    into out: inout ParsedInput
  ) {
    guard let value = decode(bytes) else {
      let reason = problem(bytes, inLine: false)
      out.rejections.append(
        RejectedRecord(
          file: name, line: lineBase + line(of: problemOffset(bytes), in: bytes) - 1, reason: reason))
      return
    }
    var offsets: [Int]?
    for outcome in format.outcomes(value) {
      switch outcome {
      case .mention(let m): out.mentions.append(m)
      case .reject(let reason, let item):
        var lineNumber = lineBase
        if let item {
          if offsets == nil { offsets = recordOffsets(bytes, listKeys: format.listKeys) }
          if let offsets, item < offsets.count {
            lineNumber = lineBase + line(of: offsets[item], in: bytes) - 1
          }
        }
        let prefix = item.map { "record \($0 + 1): " } ?? ""
        out.rejections.append(RejectedRecord(file: name, line: lineNumber, reason: prefix + reason))
      }
    }
  }

  /// The JSON value in `bytes`, checked first by the strict, non-recursive reader (so deep nesting
  /// or a broken byte never reaches Foundation); nil when it is not one valid JSON value.
  static func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> Any? {
    guard String(validating: bytes, as: UTF8.self) != nil else { return nil }
    var cursor = JSONCursor(bytes)
    do {
      try cursor.skipValue()
      cursor.skipWhitespace()
      guard cursor.atEnd else { return nil }
    } catch {
      return nil
    }
    return try? JSONSerialization.jsonObject(with: Data(buffer: bytes), options: [.fragmentsAllowed])
  }

  /// Why `bytes` is not one JSON value, with the byte offset (1-based).
  static func problem(_ bytes: UnsafeBufferPointer<UInt8>, inLine: Bool) -> String {
    if String(validating: bytes, as: UTF8.self) == nil {
      return "invalid UTF-8 at byte \(invalidUTF8Offset(bytes) + 1)"
    }
    var cursor = JSONCursor(bytes)
    do {
      try cursor.skipValue()
      cursor.skipWhitespace()
      if !cursor.atEnd {
        return
          "broken JSON at byte \(cursor.index + 1): expected the end of the \(inLine ? "line" : "document")"
      }
    } catch {
      return "broken JSON at byte \(error.offset + 1): expected \(error.expected)"
    }
    return "unreadable JSON (a number out of range?)"
  }

  static func problemOffset(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
    if String(validating: bytes, as: UTF8.self) == nil { return invalidUTF8Offset(bytes) }
    var cursor = JSONCursor(bytes)
    do {
      try cursor.skipValue()
      cursor.skipWhitespace()
      return cursor.index
    } catch {
      return error.offset
    }
  }

  static func invalidUTF8Offset(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
    var iterator = bytes.makeIterator()
    var decoder = UTF8()
    var offset = 0
    while true {
      switch decoder.decode(&iterator) {
      case .scalarValue(let scalar): offset += UTF8.width(scalar)
      case .emptyInput, .error: return offset
      }
    }
  }

  /// The 1-based line of a byte offset.
  static func line(of offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
    var count = 1
    for i in 0..<min(offset, bytes.count) where bytes[i] == 0x0A { count += 1 }
    return count
  }

  /// Where the first value ends, when the bytes hold at least one complete value.
  static func firstValueEnd(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
    var cursor = JSONCursor(bytes)
    do {
      try cursor.skipValue()
      return cursor.index
    } catch {
      return nil
    }
  }

  static func hasMoreContent(_ bytes: UnsafeBufferPointer<UInt8>, after index: Int) -> Bool {
    var i = index
    while i < bytes.count {
      if ![0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { return true }
      i += 1
    }
    return false
  }

  /// The byte offsets of the records: the elements of a top-level array, or of the first member
  /// named in `listKeys` that holds an array.
  static func recordOffsets(_ bytes: UnsafeBufferPointer<UInt8>, listKeys: [String]) -> [Int] {
    var cursor = JSONCursor(bytes)
    var offsets: [Int] = []
    do {
      switch try cursor.peekKind() {
      case .array:
        offsets = try elements(&cursor)
      case .object:
        try cursor.members { c, key in
          let name = String(decoding: key, as: UTF8.self)
          if offsets.isEmpty, listKeys.contains(name), try c.peekKind() == .array {
            offsets = try elements(&c)
          } else {
            try c.skipValue()
          }
        }
      default: break
      }
    } catch {}
    return offsets
  }

  private static func elements(_ cursor: inout JSONCursor) throws -> [Int] {
    var offsets: [Int] = []
    try cursor.consume(UInt8(ascii: "["), "'['")
    cursor.skipWhitespace()
    if !cursor.atEnd && cursor.bytes[cursor.index] == UInt8(ascii: "]") {
      cursor.index += 1
      return offsets
    }
    while true {
      cursor.skipWhitespace()
      offsets.append(cursor.index)
      try cursor.skipValue()
      cursor.skipWhitespace()
      guard !cursor.atEnd else { throw cursor.fail("',' or ']'") }
      if cursor.bytes[cursor.index] == UInt8(ascii: ",") {
        cursor.index += 1
        continue
      }
      try cursor.consume(UInt8(ascii: "]"), "',' or ']'")
      return offsets
    }
  }
}

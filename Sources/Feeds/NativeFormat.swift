import Foundation
import Inbox

/// A record that could not be read, with where it was and why.
public struct RejectedRecord: Sendable, Hashable, CustomStringConvertible {
  public var file: String
  public var line: Int
  public var reason: String

  public init(file: String, line: Int, reason: String) {
    self.file = file
    self.line = line
    self.reason = reason
  }

  /// `FILE:LINE: reason`, as printed on stderr.
  public var description: String { "\(file):\(line): \(reason)" }
}

/// Repute's native mention format: JSON Lines, one mention per line.
///
/// Required: `platform`, `id` (string, or integer taken as its decimal string), `author.handle`,
/// `created_at` (RFC 3339), `text`. Optional: `url`, `author.name`, `author.followers`, `lang`,
/// `in_reply_to`, `thread`, `staff`, `deleted` (true, or the platform's reason). Unknown fields are kept in the raw record, not rejected.
public struct NativeFormat: Sendable {
  public init() {}

  /// Why a record was refused.
  public struct RecordError: Error, Sendable, Hashable {
    public var reason: String
  }

  /// Parses one line; throws a reason (without file and line) when the record is not acceptable.
  public func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(RecordError) -> IncomingMention {
    guard let raw = String(validating: bytes, as: UTF8.self) else {
      throw RecordError(reason: "invalid UTF-8 at byte \(JSONDocuments.invalidUTF8Offset(bytes) + 1)")
    }
    var cursor = JSONCursor(bytes)
    var fields = Fields()
    do {
      guard try cursor.peekKind() == .object else {
        // Valid JSON of another kind is "not an object"; anything else is broken JSON.
        try cursor.skipValue()
        cursor.skipWhitespace()
        guard cursor.atEnd else { throw cursor.fail("the end of the line") }
        throw RecordError(reason: "not a JSON object")
      }
      try cursor.members { cursor, key in try fields.read(key, &cursor) }
      cursor.skipWhitespace()
      guard cursor.atEnd else { throw cursor.fail("the end of the line after the object") }
    } catch let error as JSONCursor.Malformed {
      throw RecordError(reason: "broken JSON at byte \(error.offset + 1): expected \(error.expected)")
    } catch let error as RecordError {
      throw error
    } catch {
      throw RecordError(reason: "unreadable record: \(error)")
    }
    return try fields.mention(raw: raw)
  }

  /// The known fields as they are found, in any order.
  private struct Fields {
    var platform: String?
    var id: String?
    var url: String?
    var handle: String?
    var hasAuthor = false
    var name: String?
    var followers: Int?
    var createdAt: String?
    var text: String?
    var lang: String?
    var inReplyTo: String?
    var thread: String?
    var staff = false
    var deleted: String?
    var nulls: Set<String> = []

    mutating func read(_ key: UnsafeBufferPointer<UInt8>, _ c: inout JSONCursor) throws {
      switch String(decoding: key, as: UTF8.self) {
      case "platform": platform = try Self.string(&c, "platform", &nulls)
      case "id": id = try Self.identifier(&c, "id", &nulls)
      case "url": url = try Self.string(&c, "url", &nulls)
      case "created_at": createdAt = try Self.string(&c, "created_at", &nulls)
      case "text": text = try Self.string(&c, "text", &nulls)
      case "lang": lang = try Self.string(&c, "lang", &nulls)
      case "in_reply_to": inReplyTo = try Self.identifier(&c, "in_reply_to", &nulls)
      case "thread": thread = try Self.identifier(&c, "thread", &nulls)
      case "deleted":
        // A record flag: true, or the platform's reason as a string.
        switch try c.peekKind() {
        case .bool: deleted = try c.bool() ? "deleted" : nil
        case .string: deleted = try c.string()
        case .null: try c.null()
        default: throw RecordError(reason: #""deleted" must be true, false or a reason"#)
        }
      case "staff":
        switch try c.peekKind() {
        case .bool: staff = try c.bool()
        case .null: try c.null()
        default: throw RecordError(reason: #""staff" must be true or false"#)
        }
      case "author":
        switch try c.peekKind() {
        case .object:
          hasAuthor = true
          try c.members { c, key in try readAuthor(key, &c) }
        case .null:
          try c.null()
          nulls.insert("author")
        default: throw RecordError(reason: #""author" must be an object"#)
        }
      default:
        try c.skipValue()
      }
    }

    mutating func readAuthor(_ key: UnsafeBufferPointer<UInt8>, _ c: inout JSONCursor) throws {
      switch String(decoding: key, as: UTF8.self) {
      case "handle": handle = try Self.string(&c, "author.handle", &nulls)
      case "name": name = try Self.string(&c, "author.name", &nulls)
      case "followers":
        switch try c.peekKind() {
        case .null: try c.null()
        case .number:
          let number = try c.number()
          guard number.isInteger, let value = Int(number.text) else {
            throw RecordError(reason: #""author.followers" must be an integer"#)
          }
          guard value >= 0 else {
            throw RecordError(reason: #""author.followers" must not be negative: "# + "\(value)")
          }
          followers = value
        default: throw RecordError(reason: #""author.followers" must be an integer"#)
        }
      default:
        try c.skipValue()
      }
    }

    static func string(_ c: inout JSONCursor, _ name: String, _ nulls: inout Set<String>) throws -> String? {
      switch try c.peekKind() {
      case .string: return try c.string()
      case .null:
        try c.null()
        nulls.insert(name)
        return nil
      default: throw RecordError(reason: "\"\(name)\" must be a string")
      }
    }

    /// A platform id: a string, or an integer taken as its decimal string.
    static func identifier(_ c: inout JSONCursor, _ name: String, _ nulls: inout Set<String>) throws
      -> String?
    {
      switch try c.peekKind() {
      case .string: return try c.string()
      case .number:
        let number = try c.number()
        guard number.isInteger else {
          throw RecordError(reason: "\"\(name)\" must be a string or an integer")
        }
        return String(number.text)
      case .null:
        try c.null()
        nulls.insert(name)
        return nil
      default: throw RecordError(reason: "\"\(name)\" must be a string or an integer")
      }
    }

    func required<T>(_ value: T?, _ name: String) throws(RecordError) -> T {
      if let value { return value }
      throw RecordError(reason: nulls.contains(name) ? "\"\(name)\" is null" : "missing \"\(name)\"")
    }

    func mention(raw: String) throws(RecordError) -> IncomingMention {
      let named = try required(platform, "platform")
      guard !named.isEmpty else { throw RecordError(reason: #""platform" is empty"#) }
      guard let platform = KnownPlatform.canonical(named) else {
        throw RecordError(reason: KnownPlatform.refusal(named))
      }
      let id = try required(id, "id")
      guard !id.isEmpty else { throw RecordError(reason: #""id" is empty"#) }
      guard hasAuthor else {
        throw RecordError(reason: nulls.contains("author") ? #""author" is null"# : #"missing "author""#)
      }
      var handle = try required(handle, "author.handle")
      if handle.hasPrefix("@") { handle.removeFirst() }
      guard !handle.isEmpty else { throw RecordError(reason: #""author.handle" is empty"#) }
      let created = try required(createdAt, "created_at")
      guard let date = RFC3339.parse(created) else {
        throw RecordError(
          reason:
            "bad date in \"created_at\": \(TerminalSafe.sanitize(String(created.prefix(40)))) (RFC 3339 expected)"
        )
      }
      let text = try required(text, "text")
      return IncomingMention(
        platform: platform, externalID: id, url: url,
        author: Author(handle: handle, name: name, followers: followers), createdAt: date, text: text,
        lang: lang?.lowercased(), inReplyTo: inReplyTo, thread: thread, staff: staff, raw: raw,
        deletion: deleted)
    }
  }

}

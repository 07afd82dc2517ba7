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
/// `in_reply_to`, `thread`, `staff`. Unknown fields are kept in the raw record, not rejected.
public struct NativeFormat: Sendable {
  private let decoder = JSONDecoder()

  public init() {}

  /// Parses one line; throws a reason (without file and line) when the record is not acceptable.
  public func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(RecordError) -> IncomingMention {
    guard let raw = String(validating: bytes, as: UTF8.self) else {
      throw RecordError(reason: "invalid UTF-8 at byte \(firstInvalidUTF8(bytes) + 1)")
    }
    let record: Record
    do {
      record = try decoder.decode(Record.self, from: Data(buffer: bytes))
    } catch let error as RecordError {
      throw error
    } catch let error as DecodingError {
      throw RecordError(reason: Self.describe(error))
    } catch {
      throw RecordError(reason: "unreadable record: \(error)")
    }
    return IncomingMention(
      platform: record.platform, externalID: record.id, url: record.url,
      author: Author(handle: record.handle, name: record.name, followers: record.followers),
      createdAt: record.createdAt, text: record.text, lang: record.lang, inReplyTo: record.inReplyTo,
      thread: record.thread, staff: record.staff, raw: raw)
  }

  /// Why a record was refused.
  public struct RecordError: Error, Sendable, Hashable {
    public var reason: String
  }

  private static func describe(_ error: DecodingError) -> String {
    func path(_ context: DecodingError.Context, _ extra: (any CodingKey)? = nil) -> String {
      (context.codingPath + (extra.map { [$0] } ?? [])).map(\.stringValue).joined(separator: ".")
    }
    switch error {
    case .keyNotFound(let key, let context):
      return "missing \"\(path(context, key))\""
    case .valueNotFound(_, let context):
      return "\"\(path(context))\" is null"
    case .typeMismatch(let type, let context):
      if context.codingPath.isEmpty { return "not a JSON object" }
      return "\"\(path(context))\" must be \(typeName(type))"
    case .dataCorrupted(let context):
      if context.codingPath.isEmpty {
        return "broken JSON" + (Self.detail(context).map { ": \($0)" } ?? "")
      }
      return "\"\(path(context))\": \(context.debugDescription)"
    @unknown default:
      return "unreadable record"
    }
  }

  private static func detail(_ context: DecodingError.Context) -> String? {
    if let underlying = context.underlyingError {
      let text = "\(underlying)"
      return text.count > 200 ? String(text.prefix(200)) + "…" : text
    }
    return context.debugDescription.isEmpty ? nil : context.debugDescription
  }

  private static func typeName(_ type: Any.Type) -> String {
    switch type {
    case is String.Type: return "a string"
    case is Int.Type, is Int64.Type: return "an integer"
    case is Bool.Type: return "true or false"
    case is Double.Type: return "a number"
    default:
      let name = "\(type)"
      if name.hasPrefix("Dictionary") || name.hasPrefix("KeyedDecodingContainer") { return "an object" }
      return "of type \(name)"
    }
  }

  private func firstInvalidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
    var iterator = bytes.makeIterator()
    var decoder = UTF8()
    var offset = 0
    var consumed = 0
    while true {
      // Count how many bytes each scalar took by re-encoding: simple and only run on bad input.
      switch decoder.decode(&iterator) {
      case .scalarValue(let scalar):
        offset += UTF8.width(scalar)
        consumed = offset
      case .emptyInput:
        return consumed
      case .error:
        return offset
      }
    }
  }

  /// The decoded shape of one line.
  private struct Record: Decodable {
    var platform: String
    var id: String
    var url: String?
    var handle: String
    var name: String?
    var followers: Int?
    var createdAt: Date
    var text: String
    var lang: String?
    var inReplyTo: String?
    var thread: String?
    var staff: Bool

    enum Keys: String, CodingKey {
      case platform, id, url, author, text, lang, thread, staff
      case createdAt = "created_at"
      case inReplyTo = "in_reply_to"
    }

    enum AuthorKeys: String, CodingKey {
      case handle, name, followers
    }

    init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: Keys.self)
      platform = try c.decode(String.self, forKey: .platform).lowercased()
      guard !platform.isEmpty else { throw RecordError(reason: "\"platform\" is empty") }
      id = try Self.identifier(c, .id, required: true)!
      guard !id.isEmpty else { throw RecordError(reason: "\"id\" is empty") }
      let author = try c.nestedContainer(keyedBy: AuthorKeys.self, forKey: .author)
      var handle = try author.decode(String.self, forKey: .handle)
      if handle.hasPrefix("@") { handle.removeFirst() }
      guard !handle.isEmpty else { throw RecordError(reason: "\"author.handle\" is empty") }
      self.handle = handle
      name = try author.decodeIfPresent(String.self, forKey: .name)
      followers = try author.decodeIfPresent(Int.self, forKey: .followers)
      if let followers, followers < 0 {
        throw RecordError(reason: "\"author.followers\" must not be negative")
      }
      let created = try c.decode(String.self, forKey: .createdAt)
      guard let date = RFC3339.parse(created) else {
        throw RecordError(reason: "bad date in \"created_at\": \(created.prefix(40)) (RFC 3339 expected)")
      }
      createdAt = date
      text = try c.decode(String.self, forKey: .text)
      url = try c.decodeIfPresent(String.self, forKey: .url)
      lang = try c.decodeIfPresent(String.self, forKey: .lang)?.lowercased()
      inReplyTo = try Self.identifier(c, .inReplyTo, required: false)
      thread = try Self.identifier(c, .thread, required: false)
      staff = try c.decodeIfPresent(Bool.self, forKey: .staff) ?? false
    }

    /// A platform id: a string, or an integer taken as its decimal string.
    private static func identifier(_ c: KeyedDecodingContainer<Keys>, _ key: Keys, required: Bool)
      throws -> String?
    {
      if !required {
        guard c.contains(key), try !c.decodeNil(forKey: key) else { return nil }
      }
      if let text = try? c.decode(String.self, forKey: key) { return text }
      if let number = try? c.decode(Int64.self, forKey: key) { return String(number) }
      if let number = try? c.decode(UInt64.self, forKey: key) { return String(number) }
      if !c.contains(key) {
        throw DecodingError.keyNotFound(
          key, .init(codingPath: c.codingPath, debugDescription: "missing"))
      }
      throw RecordError(reason: "\"\(key.stringValue)\" must be a string or an integer")
    }
  }
}

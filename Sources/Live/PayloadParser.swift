import Feeds
import Foundation
import Inbox
import Store

/// Turns one response body from a platform into mentions.
///
/// The narrow seam between live polling and the formats: the sources here fetch, page and keep
/// cursors; a parser only maps a payload to `IncomingMention`s. By default every source uses
/// `FormatParser`, the same full formats `repute ingest` reads (HTML to text, boosts unwrapped,
/// facets, redirect links unwrapped, encodings); tests plug in their own.
public protocol PayloadParser: Sendable {
  /// The mentions in `body`, and the records refused, each named `ORIGIN:LINE: reason`;
  /// `origin` (the URL, or the file) is what names the payload.
  func parse(_ body: Data, origin: String) -> ParsedInput
}

/// The full platform format behind `FormatReader`, as a live source's parser.
public struct FormatParser: PayloadParser {
  public var format: MentionFormat

  public init(_ format: MentionFormat) { self.format = format }

  public func parse(_ body: Data, origin: String) -> ParsedInput {
    FormatReader(format: format).parse([UInt8](body), name: origin)
  }
}

extension PollContext {
  /// Tells the person running the watcher about each refused record and counts them in
  /// `report`, whose first one becomes the source's health message. The page's good records
  /// are stored all the same.
  func refused(_ rejections: [RejectedRecord], in report: inout PollReport) {
    guard !rejections.isEmpty else { return }
    for rejection in rejections { note(rejection.description) }
    report.rejected += rejections.count
    if report.firstRejection == nil { report.firstRejection = rejections.first?.description }
  }

  /// Stores one page of a stream with the cursor just past it, and counts it in `report`: its
  /// new mentions, its refused records (see `refused(_:in:)`) and the page itself.
  func commitPage(
    _ mentions: [IncomingMention], refused rejections: [RejectedRecord], cursor: SourceCursor,
    in report: inout PollReport
  ) throws {
    report.new += try commit(SourcePage(mentions: mentions, cursor: cursor))
    refused(rejections, in: &report)
    report.pages += 1
  }

  /// Stores the posts of a thread fetched as context (S8, S11), muted and out of the queue; a
  /// record that could not be read is told to the person running the watcher.
  func commitContext(_ mentions: [IncomingMention], refused rejections: [RejectedRecord]) throws {
    for rejection in rejections { note(rejection.description) }
    _ = try commit(SourcePage(mentions: mentions, cursor: nil, contextOnly: true))
  }
}

/// A payload that could not be read, with where it came from.
public struct PayloadError: Error, Sendable, Hashable, CustomStringConvertible {
  public var origin: String
  public var reason: String

  public init(origin: String, reason: String) {
    self.origin = origin
    self.reason = reason
  }

  public var description: String { "\(origin): \(reason)" }
}

/// JSON as `JSONSerialization` reads it, with typed lookups.
enum JSONValue {
  static func object(_ v: Any?) -> [String: Any]? { v as? [String: Any] }
  static func array(_ v: Any?) -> [Any]? { v as? [Any] }

  static func string(_ v: Any?) -> String? {
    if let s = v as? String { return s }
    if let n = v as? NSNumber, !(v is Bool) { return n.stringValue }
    return nil
  }

  static func int(_ v: Any?) -> Int? {
    if let n = v as? NSNumber, !(v is Bool) { return n.intValue }
    if let s = v as? String { return Int(s) }
    return nil
  }
}

import Foundation
import Inbox

/// The small parts of a mention's detail as `ServerStore.detailJSON` builds them: a JSON array of
/// values by place (numbers, strings, nulls, arrays), read here with the same columns in the same
/// places as the parts' own statements.
struct ServerDetailJSON {
  let values: [Any]

  init(_ text: String) throws {
    guard let values = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [Any] else {
      throw Self.malformed(text)
    }
    self.values = values
  }

  init(values: [Any]) { self.values = values }

  static func malformed(_ what: Any) -> InboxError {
    InboxError.storeUnavailable("the server's detail of a mention came back malformed: \(what)")
  }

  subscript(_ i: Int) -> Any? {
    guard i < values.count, !(values[i] is NSNull) else { return nil }
    return values[i]
  }

  func int64(_ i: Int) throws -> Int64 {
    guard let n = try int64OrNil(i) else { throw Self.malformed(values) }
    return n
  }

  func int64OrNil(_ i: Int) throws -> Int64? {
    guard let v = self[i] else { return nil }
    if let n = v as? Int64 { return n }
    if let n = v as? Int { return Int64(n) }
    if let n = v as? NSNumber { return n.int64Value }
    throw Self.malformed(values)
  }

  func int(_ i: Int) throws -> Int { Int(try int64(i)) }

  func bool(_ i: Int) throws -> Bool {
    if let b = self[i] as? Bool { return b }
    if let n = self[i] as? NSNumber { return n.boolValue }
    throw Self.malformed(values)
  }

  func string(_ i: Int) throws -> String {
    guard let s = self[i] as? String else { throw Self.malformed(values) }
    return s
  }

  func stringOrNil(_ i: Int) throws -> String? {
    guard let v = self[i] else { return nil }
    guard let s = v as? String else { throw Self.malformed(values) }
    return s
  }

  func date(_ i: Int) throws -> Date { Date(epochMilliseconds: try int64(i)) }

  func dateOrNil(_ i: Int) throws -> Date? { try int64OrNil(i).map(Date.init(epochMilliseconds:)) }

  /// The array at `i` as a value of its own; nil when it is null.
  func optional(_ i: Int) throws -> ServerDetailJSON? {
    guard let v = self[i] else { return nil }
    guard let array = v as? [Any] else { throw Self.malformed(values) }
    return ServerDetailJSON(values: array)
  }

  /// The array of arrays at `i` (an aggregate: null when it has no rows).
  func list(_ i: Int) throws -> [ServerDetailJSON] {
    guard let v = self[i] else { return [] }
    guard let rows = v as? [Any] else { throw Self.malformed(values) }
    return try rows.map { row in
      guard let array = row as? [Any] else { throw Self.malformed(values) }
      return ServerDetailJSON(values: array)
    }
  }

  /// The two counts at `i`.
  func pair(_ i: Int) throws -> (Int, Int) {
    guard let both = try optional(i) else { return (0, 0) }
    return (try both.int(0), try both.int(1))
  }

  // MARK: The parts, by their statements' columns

  /// `id, at, author, text`, as `ServerStore.note`.
  static func note(_ r: ServerDetailJSON) throws -> NoteRecord {
    NoteRecord(id: try r.int64(0), at: try r.date(1), author: try r.string(2), text: try r.string(3))
  }

  /// `ServerStore.escalations(mentionID:)`'s columns, then the notes.
  static func escalation(_ r: ServerDetailJSON) throws -> EscalationRecord {
    EscalationRecord(
      id: try r.int64(0), mentionID: try r.int64(1), reason: try r.string(2), state: try r.string(3),
      owner: try r.stringOrNil(4), createdAt: try r.date(5), createdBy: try r.string(6),
      notes: try r.list(8).map(note), count: try r.int(7))
  }

  /// The ingest event that stored the mention (`ServerStore.arrivalEventSQL`).
  static func arrival(_ r: ServerDetailJSON, mentionID: Int64) throws -> Event {
    Event(
      id: try r.int64(0), at: try r.date(1), actor: try r.string(2), action: try r.string(3),
      mentionID: mentionID, detail: nil)
  }

  /// `id, at, actor, action, mention_id, detail`.
  static func event(_ r: ServerDetailJSON) throws -> Event {
    Event(
      id: try r.int64(0), at: try r.date(1), actor: try r.string(2), action: try r.string(3),
      mentionID: try r.int64OrNil(4), detail: try r.stringOrNil(5))
  }

  /// `ServerStore.draftColumns`.
  static func draft(_ r: ServerDetailJSON) throws -> DraftRecord {
    DraftRecord(
      mentionID: try r.int64(0), author: try r.string(1),
      kind: ReplyKind(rawValue: try r.string(2)) ?? .reply,
      text: try r.string(3), startedAt: try r.date(4), updatedAt: try r.date(5))
  }

  /// `ReplySQL.outboxColumns`, as `ReplySQL.outboxRecord`.
  static func outbox(_ r: ServerDetailJSON) throws -> OutboxRecord {
    OutboxRecord(
      id: try r.int64(0), mentionID: try r.int64(1), responder: try r.string(2),
      kind: ReplyKind(rawValue: try r.string(3)) ?? .reply, text: try r.string(4),
      status: OutboxStatus(rawValue: try r.string(5)) ?? .queued, createdAt: try r.date(6),
      updatedAt: try r.date(7), idempotencyKey: try r.string(8), attempts: try r.int(9),
      nextAttemptAt: try r.dateOrNil(10), platformPostID: try r.stringOrNil(11),
      platformURL: try r.stringOrNil(12), error: try r.stringOrNil(13), reviewedBy: try r.stringOrNil(14),
      reviewNote: try r.stringOrNil(15), unverifiedAt: try r.dateOrNil(16),
      withdrawReason: try r.stringOrNil(17))
  }

  /// `text, updated_by, updated_at` of the person's note.
  static func personNote(_ r: ServerDetailJSON) throws -> PersonNote {
    PersonNote(text: try r.string(0), by: try r.string(1), at: try r.date(2))
  }
}

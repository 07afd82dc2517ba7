import Foundation
import Inbox
import NIOCore
import PostgresNIO

/// The streaming path of ingest for big batches (issue 18): the batch's new rows go to the server
/// in one `COPY … FROM STDIN` into a staging table of the connection's own (temporary: never
/// logged, emptied at every commit), then into `mentions` with one `INSERT … SELECT … ON CONFLICT`
/// in the batch's order. Everything else about the batch is as for a small one (`IngestPlan`):
/// the same counts, ids, events and escalations.
extension ServerStore {
  /// New rows from which a batch streams rather than binds (`repute ingest` writes 10,000 a batch;
  /// a live source a few).
  static let copyThreshold = 200

  /// The staging table, made once per connection (`ON COMMIT DELETE ROWS` empties it at each commit).
  static let stagingTable = "repute_ingest_staging"

  static var createStaging: String {
    """
    CREATE TEMPORARY TABLE IF NOT EXISTS \(stagingTable) (
      ord integer NOT NULL, \(insertColumns.map { "\($0.name) \($0.type)" }.joined(separator: ", ")))
      ON COMMIT DELETE ROWS
    """
  }

  /// Inserts the new rows through the staging table; returns their ids in the batch's order.
  static func copyInsert(
    _ session: ServerSession, _ rows: [IngestPlan.NewRow], annotations: [MentionAnnotation]?, now: Int64
  ) async throws -> [Int64] {
    try await session.execute(createStaging)
    let columns = ["ord"] + insertColumns.map(\.name)
    try await session.connection.copyFrom(
      table: stagingTable, columns: columns, format: .text(.init()), logger: session.logger
    ) { writer in
      var buffer = ByteBufferAllocator().buffer(capacity: 1 << 20)
      for (ord, row) in rows.enumerated() {
        CopyText.write(&buffer, ord, row, annotations?[row.index], now: now)
        if buffer.readableBytes >= 1 << 20 {
          try await writer.write(buffer)
          buffer.clear()
        }
      }
      if buffer.readableBytes > 0 { try await writer.write(buffer) }
    }
    let names = insertColumns.map(\.name).joined(separator: ", ")
    let inserted = try await session.values(
      """
      INSERT INTO mentions (\(names)) SELECT \(names) FROM \(stagingTable) ORDER BY ord
      ON CONFLICT (platform, external_id) DO NOTHING RETURNING id
      """, as: Int64.self)
    guard inserted.count == rows.count else {
      throw ServerStoreError(
        sqlState: "40001", message: "another writer stored some of the batch's mentions at the same time",
        address: "")
    }
    return inserted.sorted()
  }
}

/// `COPY`'s text format: columns split by tabs, rows by newlines, `\N` for NULL, and a backslash
/// before a backslash, tab, newline or carriage return in a value.
enum CopyText {
  /// Writes one staging row: its place, then `insertColumns` in order (as `ServerStore.bind`).
  static func write(
    _ b: inout ByteBuffer, _ ord: Int, _ row: IngestPlan.NewRow, _ a: MentionAnnotation?, now: Int64
  ) {
    let m = row.mention
    b.writeString(String(ord))
    text(&b, m.platform)
    text(&b, m.externalID)
    text(&b, m.url)
    int(&b, row.authorID)
    int(&b, m.createdAt.epochMilliseconds)
    int(&b, now)
    text(&b, row.text)
    text(&b, m.lang)
    text(&b, m.inReplyTo)
    text(&b, m.thread)
    text(&b, m.staff ? "t" : "f")
    text(&b, row.raw)
    text(&b, a?.category.rawValue)
    text(&b, a == nil ? nil : "policy")
    text(&b, a.map { "\($0.confidence)" })
    text(&b, a?.signals.text)
    text(&b, a?.muted == true ? "t" : "f")
    int(&b, a?.deadlines.earliestReply?.epochMilliseconds)
    int(&b, a?.deadlines.firstResponse?.epochMilliseconds)
    int(&b, a?.deadlines.followUp?.epochMilliseconds)
    int(&b, a?.deadlines.firstResponse?.epochMilliseconds)
    text(&b, a != nil && m.lang == nil ? a?.detectedLang : nil)
    int(&b, Int64(row.editCount))
    text(&b, row.deleted)
    int(&b, row.deletedAt)
    b.writeInteger(UInt8(ascii: "\n"))
  }

  static func int(_ b: inout ByteBuffer, _ value: Int64?) {
    b.writeInteger(UInt8(ascii: "\t"))
    guard let value else {
      b.writeStaticString("\\N")
      return
    }
    b.writeString(String(value))
  }

  static func text(_ b: inout ByteBuffer, _ value: String?) {
    b.writeInteger(UInt8(ascii: "\t"))
    guard let value else {
      b.writeStaticString("\\N")
      return
    }
    var start = value.utf8.startIndex
    let utf8 = value.utf8
    var i = start
    while i != utf8.endIndex {
      let byte = utf8[i]
      let escaped: UInt8?
      switch byte {
      case UInt8(ascii: "\\"): escaped = UInt8(ascii: "\\")
      case UInt8(ascii: "\t"): escaped = UInt8(ascii: "t")
      case UInt8(ascii: "\n"): escaped = UInt8(ascii: "n")
      case UInt8(ascii: "\r"): escaped = UInt8(ascii: "r")
      default: escaped = nil
      }
      if let escaped {
        b.writeBytes(utf8[start..<i])
        b.writeInteger(UInt8(ascii: "\\"))
        b.writeInteger(escaped)
        start = utf8.index(after: i)
      }
      i = utf8.index(after: i)
    }
    b.writeBytes(utf8[start..<utf8.endIndex])
  }
}

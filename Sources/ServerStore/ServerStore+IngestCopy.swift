import Foundation
import Inbox
import NIOCore
import PostgresNIO

/// The streaming path of ingest for big batches (issue 18): the batch's new rows go to the server
/// in one `COPY mentions … FROM STDIN`, straight into the table, each with an id taken from the
/// table's sequence first in the batch's order. The batch holds the writers' turn and has looked
/// up its keys, so every row it sends is new; there is no staging table to merge from and no
/// conflict to resolve row by row (`psql`'s experiment: staging and merging cost a third more
/// than copying into `mentions` itself). Everything else about the batch is as for a small one
/// (`IngestPlan`): the same counts, ids, events and escalations.
extension ServerStore {
  /// New rows from which a batch streams rather than binds (`repute ingest` writes 10,000 a batch;
  /// a live source a few).
  static let copyThreshold = 200

  /// Some of a batch's new mentions were stored by another writer while it ran (one that did not
  /// take the writers' turn): the batch is rolled back whole rather than miscounted.
  static var raced: InboxError {
    .storeUnavailable(
      "another writer stored some of this batch's mentions at the same time; nothing of it was stored, run it again"
    )
  }

  /// Inserts the new rows with `COPY`; returns their ids in the batch's order.
  static func copyInsert(
    _ session: ServerSession, _ rows: [IngestPlan.NewRow], annotations: [MentionAnnotation]?, now: Int64,
    prepared: CopyRows? = nil
  ) async throws -> [Int64] {
    let ids = try await idRange(session, count: rows.count)
    try await copyInsert(session, rows, ids: ids, annotations: annotations, now: now, prepared: prepared)
    return ids
  }

  /// Inserts the new rows with `COPY`, with the ids drawn for them (`idRange`) in the batch's order.
  static func copyInsert(
    _ session: ServerSession, _ rows: [IngestPlan.NewRow], ids: [Int64], annotations: [MentionAnnotation]?,
    now: Int64, prepared: CopyRows? = nil
  ) async throws {
    try await copy(
      session, into: "mentions", columns: ["id"] + insertColumns.map(\.name), rows: rows.count
    ) { buffer, n in
      let row = rows[n]
      if let prepared {
        CopyText.write(&buffer, ids[n], row, prepared, annotations?[row.index], now: now)
      } else {
        CopyText.write(&buffer, ids[n], row, annotations?[row.index], now: now)
      }
    }
  }

  /// Streams `rows` rows into `table` with `COPY … FROM STDIN` in its text format, each written by
  /// `write` (the buffer, the row's place), a mebibyte a message. A key stored meanwhile by a writer
  /// that did not take the turn fails the batch whole (`raced`): nothing of it stays.
  static func copy(
    _ session: ServerSession, into table: String, columns: [String], rows: Int,
    write: @escaping @Sendable (inout ByteBuffer, Int) -> Void
  ) async throws {
    do {
      try await session.connection.copyFrom(
        table: table, columns: columns, format: .text(.init()), logger: session.logger
      ) { writer in
        var buffer = ByteBufferAllocator().buffer(capacity: 1 << 20)
        for n in 0..<rows {
          write(&buffer, n)
          if buffer.readableBytes >= 1 << 20 {
            try await writer.write(buffer)
            buffer.clear()
          }
        }
        if buffer.readableBytes > 0 { try await writer.write(buffer) }
      }
    } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
      throw ServerStore.raced
    }
  }
}

extension ServerStore {
  /// `count` new ids for `mentions`, in order, drawn from its sequence in one step: the sequence is
  /// moved past the range at once rather than asked once per row (5.5 µs a row in the server).
  /// The batch holds the writers' turn and every mention is inserted under it, so nobody draws
  /// from the sequence between the `nextval` and the `setval`; a writer that did not take the
  /// turn and took an id in the range fails the batch on the key, as `raced`.
  /// The same for `authors` (`table`: a table of the store whose id is an identity column).
  static func idRange(_ session: ServerSession, count: Int, table: String = "mentions") async throws
    -> [Int64]
  {
    var binds = PostgresBindings()
    binds.append(Int64(count))
    guard
      let last = try await session.values(
        """
        SELECT setval(s.seq, nextval(s.seq) + $1::bigint - 1)
        FROM (SELECT pg_get_serial_sequence('\(table)', 'id')::regclass AS seq) AS s
        """, binds: binds, as: Int64.self
      ).first
    else { throw InboxError.storeUnavailable("the server drew no ids for the new \(table)") }
    return Array((last - Int64(count) + 1)...last)
  }
}

/// `COPY`'s text format: columns split by tabs, rows by newlines, `\N` for NULL, and a backslash
/// before a backslash, tab, newline or carriage return in a value.
enum CopyText {
  /// Writes one row of `mentions`: its id, then `insertColumns` in order (as `ServerStore.bind`).
  static func write(
    _ b: inout ByteBuffer, _ id: Int64, _ row: IngestPlan.NewRow, _ a: MentionAnnotation?, now: Int64
  ) {
    let m = row.mention
    decimal(&b, id)
    head(&b, m)
    int(&b, row.authorID)
    int(&b, m.createdAt.epochMilliseconds)
    int(&b, now)
    body(&b, m, text: row.text, raw: row.raw, a)
    tail(&b, row)
  }

  /// Writes one row as `write(_:_:_:_:now:)` does, taking what `rows` holds of its post ready.
  static func write(
    _ b: inout ByteBuffer, _ id: Int64, _ row: IngestPlan.NewRow, _ rows: CopyRows, _ a: MentionAnnotation?,
    now: Int64
  ) {
    let m = row.mention
    decimal(&b, id)
    rows.write(&b, part: 0, of: row.index)
    int(&b, row.authorID)
    rows.write(&b, part: 1, of: row.index)
    int(&b, now)
    // Edited later in the batch: its final text and record, not the post's own.
    if row.text == m.text && row.raw == m.raw {
      rows.write(&b, part: 2, of: row.index)
    } else {
      body(&b, m, text: row.text, raw: row.raw, a)
    }
    tail(&b, row)
  }

  /// The post's platform, id and link.
  static func head(_ b: inout ByteBuffer, _ m: IncomingMention) {
    text(&b, m.platform)
    text(&b, m.externalID)
    text(&b, m.url)
  }

  /// From the text to the detected language.
  static func body(
    _ b: inout ByteBuffer, _ m: IncomingMention, text value: String, raw: String, _ a: MentionAnnotation?
  ) {
    text(&b, value)
    text(&b, m.lang)
    text(&b, m.inReplyTo)
    text(&b, m.thread)
    text(&b, m.staff ? "t" : "f")
    text(&b, raw)
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
  }

  /// What the batch decides of the row: its edits, whether and when it was deleted, whether it is
  /// inserted escalated (`IngestPlan.guessEscalated`); the row's end.
  static func tail(_ b: inout ByteBuffer, _ row: IngestPlan.NewRow) {
    int(&b, Int64(row.editCount))
    text(&b, row.deleted)
    int(&b, row.deletedAt)
    text(&b, row.escalated ? "t" : "f")
    b.writeInteger(UInt8(ascii: "\n"))
  }

  static func int(_ b: inout ByteBuffer, _ value: Int64?) {
    b.writeInteger(UInt8(ascii: "\t"))
    guard let value else {
      b.writeStaticString("\\N")
      return
    }
    decimal(&b, value)
  }

  /// Writes `value` in decimal digits, without making a string of it.
  static func decimal(_ b: inout ByteBuffer, _ value: Int64) {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
      var rest = value.magnitude
      var start = digits.count
      repeat {
        start -= 1
        digits[start] = UInt8(ascii: "0") + UInt8(rest % 10)
        rest /= 10
      } while rest > 0
      if value < 0 { b.writeInteger(UInt8(ascii: "-")) }
      b.writeBytes(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: digits[start...])))
    }
  }

  static func text(_ b: inout ByteBuffer, _ value: String?) {
    b.writeInteger(UInt8(ascii: "\t"))
    guard var value else {
      b.writeStaticString("\\N")
      return
    }
    value.withUTF8 { bytes in escaped(&b, bytes) }
  }

  /// Writes `bytes` with COPY's escapes, in runs between the bytes that need one.
  static func escaped(_ b: inout ByteBuffer, _ bytes: UnsafeBufferPointer<UInt8>) {
    var start = 0
    for i in 0..<bytes.count {
      let escape: UInt8
      switch bytes[i] {
      case UInt8(ascii: "\\"): escape = UInt8(ascii: "\\")
      case UInt8(ascii: "\t"): escape = UInt8(ascii: "t")
      case UInt8(ascii: "\n"): escape = UInt8(ascii: "n")
      case UInt8(ascii: "\r"): escape = UInt8(ascii: "r")
      default: continue
      }
      b.writeBytes(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[start..<i])))
      b.writeInteger(UInt8(ascii: "\\"))
      b.writeInteger(escape)
      start = i + 1
    }
    b.writeBytes(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[start..<bytes.count])))
  }
}

/// Each post of a batch as its row of `COPY` text but for what only the writing knows: its id, its
/// author's id and the batch's time go between three parts made ready beforehand (`CopyText.head`;
/// the creation time; `CopyText.body`), and the batch's own edits and deletions after them. A
/// deletion notice has no row.
struct CopyRows: Sendable {
  private var bytes: ByteBuffer
  /// Where each post's parts start, and where its last one ends: four a post.
  private var bounds: [Int]

  init(_ mentions: [IncomingMention], annotations: [MentionAnnotation]?) {
    bytes = ByteBufferAllocator().buffer(capacity: mentions.count * 512)
    bounds = []
    bounds.reserveCapacity(mentions.count * 4)
    for (n, m) in mentions.enumerated() {
      bounds.append(bytes.writerIndex)
      guard !m.isTombstone else {
        bounds += [Int](repeating: bytes.writerIndex, count: 3)
        continue
      }
      CopyText.head(&bytes, m)
      bounds.append(bytes.writerIndex)
      CopyText.int(&bytes, m.createdAt.epochMilliseconds)
      bounds.append(bytes.writerIndex)
      CopyText.body(&bytes, m, text: m.text, raw: m.raw, annotations?[n])
      bounds.append(bytes.writerIndex)
    }
  }

  /// Writes part `part` (0, 1 or 2) of the post at `index` of the batch.
  func write(_ b: inout ByteBuffer, part: Int, of index: Int) {
    let start = bounds[index * 4 + part]
    let end = bounds[index * 4 + part + 1]
    _ = bytes.withUnsafeReadableBytes { all in
      b.writeBytes(UnsafeRawBufferPointer(rebasing: all[start..<end]))
    }
  }
}

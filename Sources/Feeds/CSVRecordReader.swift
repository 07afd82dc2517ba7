import Foundation
import Inbox

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Splits CSV (RFC 4180) into records of fields, from bytes in memory or streamed from a
/// descriptor, in bounded memory whatever the input.
///
/// The input is read once, from the descriptor already open (after the bytes already taken from
/// it to tell the format), so a pipe, a FIFO or `<(…)` reads like a file. A record longer than
/// `maximumRecordBytes` is not kept: its bytes are skipped to its end and it comes back as
/// `.tooLong`; a NUL byte means the input is not text, and reading stops there.
///
/// Quoted fields may hold delimiters, `""` and line breaks; a quote inside an unquoted field is
/// kept as it is, as is text after a closing quote. LF, CR LF and a lone CR each end one line.
final class CSVRecordReader {
  /// The longest record kept (all its fields and delimiters): as JSON Lines' line limit, 1 MiB.
  static let maximumRecordBytes = 1 << 20
  /// A record longer than this ends the reading: there is no telling where it would end (an
  /// endless stream such as `/dev/zero`, or a quote never closed).
  static let maximumSkippedBytes = 256 << 20

  enum Record {
    /// A record and the line where it starts.
    case fields(line: Int, [String])
    /// Longer than `maximumRecordBytes`: skipped.
    case tooLong(line: Int)
    /// A field (0-based) that is not valid UTF-8: skipped.
    case notUTF8(line: Int, field: Int)
    /// A NUL byte: not text. Nothing more is read.
    case binary(line: Int)
    /// A record without an end in sight: nothing more is read.
    case endless(line: Int)
  }

  private let fd: Int32
  private let ownsDescriptor: Bool
  private var buffer: [UInt8]
  private var position = 0
  private var eof: Bool
  /// The line the reader has come to.
  private(set) var line = 1
  private var stopped = false
  /// A CR just ended a record: an LF right after it belongs to the same line break.
  private var afterCR = false
  let delimiter: UInt8
  /// A read error of the descriptor, said once reading stops.
  private(set) var readError: String?

  /// Reads `bytes`, then (when `fd` is not -1) the rest of `fd`, which it closes at the end only
  /// when `ownsDescriptor`. A UTF-8 byte-order mark at the start is skipped.
  init(bytes: [UInt8], fd: Int32 = -1, ownsDescriptor: Bool = false, delimiter: UInt8) {
    buffer = bytes
    self.fd = fd
    self.ownsDescriptor = ownsDescriptor
    eof = fd < 0
    self.delimiter = delimiter
    if buffer.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
  }

  deinit {
    if ownsDescriptor && fd >= 0 { close(fd) }
  }

  /// More bytes into the buffer; false at the end of the input.
  private func refill() -> Bool {
    guard !eof else { return false }
    if buffer.count != 1 << 16 { buffer = [UInt8](repeating: 0, count: 1 << 16) }
    while true {
      let n = buffer.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress!, $0.count) }
      if n < 0 {
        if errno == EINTR { continue }
        readError = String(cString: strerror(errno))
        eof = true
        return false
      }
      if n == 0 {
        eof = true
        return false
      }
      position = 0
      buffer.removeSubrange(n...)
      return true
    }
  }

  @inline(__always) private func nextByte() -> UInt8? {
    if position == buffer.count {
      guard refill() else { return nil }
    }
    defer { position += 1 }
    return buffer[position]
  }

  private enum State {
    case fieldStart, unquoted, quoted, closingQuote
  }

  /// The next record; nil at the end of the input (or after `.binary` or `.endless`).
  func next() -> Record? {
    guard !stopped else { return nil }
    let start = line
    var fields: [String] = []
    var field: [UInt8] = []
    var size = 0
    var state = State.fieldStart
    var badField: Int?
    var skipping = false
    var previousCR = false

    func endField() {
      guard !skipping else { return }
      if let text = String(validating: field, as: UTF8.self) {
        fields.append(text)
      } else {
        badField = badField ?? fields.count
        fields.append("")
      }
      field.removeAll(keepingCapacity: true)
    }
    func finish() -> Record {
      if skipping { return .tooLong(line: start) }
      if let badField { return .notUTF8(line: start, field: badField) }
      return .fields(line: start, fields)
    }

    while true {
      guard let b = nextByte() else {
        afterCR = false
        if size == 0 { return nil }
        endField()
        return finish()
      }
      if afterCR {
        afterCR = false
        if b == 0x0A { continue }
      }
      size += 1
      if b == 0 {
        stopped = true
        return .binary(line: line)
      }
      if size > Self.maximumRecordBytes && !skipping {
        skipping = true
        fields = []
        field = []
      }
      if skipping && size > Self.maximumSkippedBytes {
        stopped = true
        return .endless(line: start)
      }
      if state == .closingQuote {
        if b == 0x22 {
          // "" inside quotes: one quote.
          if !skipping { field.append(b) }
          state = .quoted
          continue
        }
        // Text after the closing quote stays in the field.
        state = .unquoted
      }
      switch state {
      case .quoted:
        if b == 0x22 {
          state = .closingQuote
        } else {
          if b == 0x0D || (b == 0x0A && !previousCR) { line += 1 }
          previousCR = b == 0x0D
          if !skipping { field.append(b) }
        }
        continue
      case .fieldStart:
        if b == 0x22 {
          state = .quoted
          previousCR = false
          continue
        }
        state = .unquoted
      default: break
      }
      // Unquoted.
      if b == delimiter {
        endField()
        state = .fieldStart
      } else if b == 0x0A || b == 0x0D {
        line += 1
        afterCR = b == 0x0D
        endField()
        return finish()
      } else if !skipping {
        field.append(b)
      }
    }
  }
}

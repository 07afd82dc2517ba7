import Foundation
import Inbox

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads a file descriptor line by line in constant memory, whatever the input's size.
///
/// A line longer than `maximumLineLength` is not kept: the reader skips to its end and hands back
/// `.tooLong`, so one runaway line cannot exhaust memory. A line that has not ended after
/// `maximumSkippedBytes`, or a NUL byte in one too long (binary data), ends the reading, so an
/// endless input such as `/dev/zero` cannot hold it forever either.
public struct LineReader: ~Copyable {
  /// One line, as raw bytes without its line break.
  public enum Line {
    case bytes(number: Int, UnsafeBufferPointer<UInt8>)
    case tooLong(number: Int)
    /// A NUL byte in a line too long to keep: binary data, not text. The last line handed out.
    case binary(number: Int)
    /// A line with no end after `maximumSkippedBytes`. The last line handed out.
    case endless(number: Int)
  }

  private let fd: Int32
  private let ownsDescriptor: Bool
  private var buffer: UnsafeMutableBufferPointer<UInt8>
  private var start = 0
  private var end = 0
  private var eof = false
  private var lineNumber = 0
  private var skipping = false
  private var skipped = 0
  public let maximumLineLength: Int
  /// How far a line too long is skipped looking for its end: at least 256 MiB.
  public var maximumSkippedBytes: Int { max(256 << 20, 4 * maximumLineLength) }

  /// Reads from an open descriptor; closes it at the end only when `ownsDescriptor`.
  /// `prefix` holds bytes already read from `fd` (at most 64 KiB, to tell the format), which
  /// come first.
  public init(fd: Int32, ownsDescriptor: Bool, maximumLineLength: Int = 1 << 20, prefix: [UInt8] = []) {
    self.fd = fd
    self.ownsDescriptor = ownsDescriptor
    self.maximumLineLength = maximumLineLength
    buffer = .allocate(capacity: max(maximumLineLength + 1, 1 << 16) + (1 << 16))
    precondition(prefix.count <= 1 << 16, "a prefix of at most 64 KiB")
    if !prefix.isEmpty {
      _ = UnsafeMutableBufferPointer(rebasing: buffer[0..<prefix.count]).initialize(from: prefix)
      end = prefix.count
    }
  }

  deinit {
    buffer.deallocate()
    if ownsDescriptor { close(fd) }
  }

  /// Calls `body` with each line; the buffer passed is only valid during the call.
  ///
  /// `beforeWaiting` is called with the descriptor each time every complete line so
  /// far has been handed out and the reader is about to read more, which on a pipe may wait: the
  /// caller of a live feed hands on what it holds there (`LiveInput`).
  public mutating func forEachLine(
    beforeWaiting: (Int32) throws -> Void = { _ in }, _ body: (Line) throws -> Void
  ) throws {
    while true {
      // Hand out every complete line in the buffer.
      while let newline = indexOfNewline(from: start) {
        lineNumber += 1
        if skipping {
          skipping = false
          skipped = 0
          try body(.tooLong(number: lineNumber))
        } else {
          var lineEnd = newline
          if lineEnd > start && buffer[lineEnd - 1] == 13 { lineEnd -= 1 }
          if lineEnd - start > maximumLineLength {
            try body(.tooLong(number: lineNumber))
          } else {
            try body(.bytes(number: lineNumber, UnsafeBufferPointer(rebasing: buffer[start..<lineEnd])))
          }
        }
        start = newline + 1
      }
      if eof {
        if start < end || skipping {
          lineNumber += 1
          if skipping || end - start > maximumLineLength {
            try body(.tooLong(number: lineNumber))
          } else {
            try body(.bytes(number: lineNumber, UnsafeBufferPointer(rebasing: buffer[start..<end])))
          }
        }
        start = 0
        end = 0
        return
      }
      // Keep the partial line, then read more behind it.
      if start > 0 {
        let count = end - start
        if count > 0 {
          memmove(buffer.baseAddress!, buffer.baseAddress! + start, count)
        }
        start = 0
        end = count
      }
      if end > maximumLineLength {
        // The line is already too long: drop what we have and skip to its end, unless it is
        // binary or shows no end in sight.
        if memchr(buffer.baseAddress!, 0, end) != nil {
          try body(.binary(number: lineNumber + 1))
          return
        }
        skipped += end
        if skipped > maximumSkippedBytes {
          try body(.endless(number: lineNumber + 1))
          return
        }
        skipping = true
        start = 0
        end = 0
      }
      try beforeWaiting(fd)
      let n = read(fd, buffer.baseAddress! + end, buffer.count - end)
      if n < 0 {
        if errno == EINTR { continue }
        throw InboxError.storeUnavailable("read error: \(String(cString: strerror(errno)))")
      }
      if n == 0 { eof = true } else { end += n }
    }
  }

  private func indexOfNewline(from: Int) -> Int? {
    guard from < end else { return nil }
    let base = buffer.baseAddress! + from
    guard let found = memchr(base, 10, end - from) else { return nil }
    return from + (UnsafeRawPointer(found) - UnsafeRawPointer(base))
  }
}

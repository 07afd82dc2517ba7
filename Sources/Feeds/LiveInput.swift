import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Input that arrives over time: a pipe, a FIFO, a socket or a terminal, as when a feed's consumer
/// pipes its lines into `repute ingest -`. What has been read is stored when the input pauses, or
/// at the latest `maximumDelay` after the first of it arrived, rather than when a batch of 10,000
/// is full or the input ends: a mention piped in is in every open inbox within a second, and a
/// steady trickle commits a few times a second, not once a line (issue 17).
///
/// A regular file is never live: reading it never waits, so its batches stay full.
struct LiveInput {
  /// How long the input may be silent before what is waiting is stored.
  static let pause: TimeInterval = 0.05
  /// How long the first waiting mention may wait while more keeps arriving.
  static let maximumDelay: TimeInterval = 0.25

  /// When the first mention not yet handed on was read (monotonic nanoseconds), if any is.
  private var waitingSince: UInt64?

  /// Whether `fd` is input that arrives over time (anything but a regular file).
  static func isLive(_ fd: Int32) -> Bool {
    var info = stat()
    return fstat(fd, &info) == 0 && isLive(mode: info.st_mode)
  }

  /// Whether a file of this mode arrives over time: a pipe, a FIFO, a socket or a device; not a
  /// regular file or a folder.
  static func isLive(mode: mode_t) -> Bool {
    let kind = mode & S_IFMT
    return kind != S_IFREG && kind != S_IFDIR
  }

  /// Notes that a mention was read and is waiting to be handed on.
  mutating func arrived() {
    if waitingSince == nil { waitingSince = Self.monotonicNow() }
  }

  /// Notes that everything read was handed on.
  mutating func handedOn() {
    waitingSince = nil
  }

  /// Called before the reader waits for more of `fd`: true when what is waiting should be handed
  /// on now (the input paused, or the first of it has waited `maximumDelay`); false when nothing
  /// waits or more input is ready to be read first.
  func dueBeforeReading(_ fd: Int32) -> Bool {
    guard let since = waitingSince else { return false }
    while true {
      let waited = TimeInterval(Self.monotonicNow() &- since) / 1e9
      let left = Self.maximumDelay - waited
      if left <= 0 { return true }
      var watch = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
      let ready = poll(&watch, 1, Int32((min(Self.pause, left) * 1000).rounded(.up)))
      if ready > 0 { return false }
      if ready == 0 { return true }
      // Interrupted: look again; any other failure is the read's to report.
      if errno != EINTR { return false }
    }
  }

  private static func monotonicNow() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
  }
}

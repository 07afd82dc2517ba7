import Foundation
import Inbox
import Policy
import Store

/// Buffered writing to a file descriptor: one system call per 64 KiB, not per line.
final class BufferedWriter {
  private var buffer: [UInt8] = []
  private let fd: Int32

  init(fd: Int32 = 1) {
    self.fd = fd
    buffer.reserveCapacity(1 << 16)
  }

  deinit { flush() }

  /// One line of text. Each command sanitises the foreign fields it prints (so a field stays on its
  /// line); this is the last guard, for a field one forgot: nothing that reaches the terminal may
  /// drive it.
  func line(_ text: String) {
    buffer.append(contentsOf: TerminalSafe.sanitize(text, lines: .multi).utf8)
    buffer.append(10)
    if buffer.count >= 1 << 16 { flush() }
  }

  /// Writes one line of UTF-8 bytes; the array comes back from `takeScratch` for the next one.
  func line(bytes: [UInt8]) {
    buffer.append(contentsOf: bytes)
    buffer.append(10)
    scratch = bytes
    if buffer.count >= 1 << 16 { flush() }
  }

  /// A buffer with capacity from earlier lines, to write the next line into.
  func takeScratch() -> [UInt8] {
    defer { scratch = [] }
    return scratch
  }

  private var scratch: [UInt8] = []

  func flush() {
    var offset = 0
    buffer.withUnsafeBytes { raw in
      while offset < raw.count {
        let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
        if n <= 0 { break }
        offset += n
      }
    }
    buffer.removeAll(keepingCapacity: true)
  }
}

/// JSON for people's scripts: fields in the documented order, always present (null when unknown).
enum JSONOutput {
  /// A mention as `list --json` prints it.
  static func mention(_ m: Mention, now: Date, flags: MentionFlags? = nil) -> String {
    var w = JSONWriter()
    w.int("id", m.id)
    w.string("platform", m.platform)
    w.string("external_id", m.externalID)
    w.string("url", m.url)
    var author = JSONWriter()
    author.string("handle", m.author.handle)
    author.string("name", m.author.name)
    author.int("followers", m.author.followers)
    w.raw("author", author.finish())
    w.string("created_at", RFC3339.format(m.createdAt))
    w.string("text", m.text)
    w.string("lang", m.lang)
    w.string("in_reply_to", m.inReplyTo)
    w.string("thread", m.thread)
    w.bool("staff", m.staff)
    w.string("category", m.category?.rawValue)
    let classified = m.category != nil
    w.string("status", classified ? m.status.rawValue : nil)
    w.string("clock", m.clock(now: now)?.rawValue)
    let next = classified ? m.nextDeadline : nil
    w.string("next_deadline", next.map(RFC3339.format))
    w.int("due_in_seconds", next.map { Int64($0.timeIntervalSince(now).rounded(.down)) })
    w.bool("follow_up_due", classified && m.followUpPending)
    // How the first response went (S12): when it went out, and how late (0 when in time).
    w.string("first_response_at", m.deadlines.firstResponseAt.map(RFC3339.format))
    w.int("late_by_seconds", m.policyDeadlines.firstResponseOutcome.map { Int64($0.lateBy.rounded(.down)) })
    // How the latest answered follow-up went (S12, S10), named as the first response's.
    w.string("follow_up_at", m.deadlines.followUpAt.map(RFC3339.format))
    w.int("follow_up_late_by_seconds", m.followUpOutcome.map { Int64($0.lateBy.rounded(.down)) })
    w.string("snoozed_until", m.status == .snoozed ? m.snoozedUntil.map(RFC3339.format) : nil)
    // Flags beside the lifecycle; null where they were not looked up (a thread's other posts).
    w.bool("escalated", flags?.escalated)
    w.string("claimed_by", flags?.claimedBy)
    w.string("assigned_to", flags?.assignedTo)
    w.bool("watched", flags?.watched)
    w.double("confidence", m.confidence)
    w.raw("signals", m.signalsJSON)
    w.string("detected_lang", m.detectedLang)
    w.string("category_by", m.categoryBy)
    var deadlines = JSONWriter()
    deadlines.string("earliest_reply", m.deadlines.earliestReply.map(RFC3339.format))
    deadlines.string("first_response", m.deadlines.firstResponse.map(RFC3339.format))
    deadlines.string("follow_up", m.deadlines.followUp.map(RFC3339.format))
    w.raw("deadlines", deadlines.finish())
    w.int("edits", m.editCount)
    w.string("deleted", m.deleted)
    // Repeated posts folded into one row (issue 16): how many posts the row stands for (×3), and
    // on a repeat, the post it was folded into.
    w.int("repeats", m.repeats + 1)
    w.int("repeat_of", m.repeatOf)
    return w.finish()
  }

  static func event(_ e: Event) -> String {
    var w = JSONWriter()
    w.int("id", e.id)
    w.string("at", RFC3339.format(e.at))
    w.string("actor", e.actor)
    w.string("action", e.action)
    w.int("mention_id", e.mentionID)
    w.raw("detail", e.detail)
    return w.finish()
  }

  /// A mention with its history, as `show --json` prints it.
  static func detail(
    _ m: Mention, events: [Event], revisions: [(text: String, replacedAt: Date)], raw: String?,
    advice: Advice?, thread: [Mention], now: Date, flags: MentionFlags? = nil, repeatIDs: [Int64] = []
  ) -> String {
    var w = JSONWriter()
    w.raw("mention", mention(m, now: now, flags: flags))
    w.raw("repeat_ids", JSONWriter.array(repeatIDs.map(String.init)))
    // The source record exactly as it was read, as a string (it need not be JSON in later formats).
    w.string("raw", raw)
    if let advice { PolicyAnnotator.writeAdvice(advice, into: &w) } else { w.raw("advice", nil) }
    w.raw("thread", JSONWriter.array(thread.map { mention($0, now: now) }))
    w.raw("events", JSONWriter.array(events.map(event)))
    w.raw(
      "revisions",
      JSONWriter.array(
        revisions.map { r in
          var rw = JSONWriter()
          rw.string("text", r.text)
          rw.string("replaced_at", RFC3339.format(r.replacedAt))
          return rw.finish()
        }))
    return w.finish()
  }
}

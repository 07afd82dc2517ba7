import Foundation
import GRDB
import Inbox
import Policy
import Testing

@testable import Store

private let now = RFC3339.parse("2026-03-02T10:00:00Z")!

private func incoming(
  _ id: String, _ text: String, handle: String, minutesAgo: Double, platform: String = "mastodon",
  thread: String? = nil, replyTo: String? = nil
) -> IncomingMention {
  IncomingMention(
    platform: platform, externalID: id,
    author: Author(handle: handle, name: handle.capitalized, followers: 80),
    createdAt: now.addingTimeInterval(-minutesAgo * 60), text: text, lang: "nl", inReplyTo: replyTo,
    thread: thread, raw: #"{"id":"\#(id)","text":"\#(text)"}"#)
}

/// The team figures' arithmetic; the figures from a store are in the conformance suite
/// (`FigureConformanceTests`).
@Suite("Team figures")
struct TeamFigureTests {
  @Test("percentiles of nothing, one, and an even count")
  func percentiles() {
    #expect(ResponseTimes([]) == ResponseTimes())
    #expect(ResponseTimes([7]) == ResponseTimes(count: 1, median: 7, p90: 7))
    #expect(ResponseTimes([4, 1, 3, 2]) == ResponseTimes(count: 4, median: 2.5, p90: 4))
    #expect(ResponseTimes(Array(1...10).map(Double.init)).p90 == 9)
  }

  @Test("sparkline of the last 24 hours")
  func sparkline() {
    #expect(Sparkline.render([0, 1, 2, 4, 8]) == "▁▂▃▅█")
    #expect(Sparkline.render([0, 0]) == "▁▁")
  }
}

@Suite("Forget and purge")
struct ForgetTests {
  static let secret = "Zwartkopmeeuw Kwartelkoning belde mij om 03:00 over mijn dossier 4711"

  func bytes(_ path: String) -> Data {
    var data = FileManager.default.contents(atPath: path) ?? Data()
    data.append(FileManager.default.contents(atPath: path + "-wal") ?? Data())
    data.append(FileManager.default.contents(atPath: path + "-shm") ?? Data())
    return data
  }

  func contains(_ data: Data, _ needle: String) -> Bool {
    data.range(of: Data(needle.utf8)) != nil
  }

  @Test("after forget the author's text, handle and name are nowhere in the store's bytes")
  func forgetErasesBytes() throws {
    let folder = TempFolder()
    let path = folder.path + "/repute.sqlite"
    let store = try SQLiteStore(path: path, clock: .fixed(now))
    let annotator = PolicyAnnotator(policy: .default)
    _ = try store.ingest(
      [
        incoming("s1", Self.secret, handle: "geheimzinnig", minutesAgo: 30, thread: "t"),
        incoming("s2", "Ik schakel mijn advocaat in, Zwartkopmeeuw", handle: "geheimzinnig", minutesAgo: 20),
        incoming("k1", "Klopt, bij mij ook", handle: "buurman", minutesAgo: 10, thread: "t", replyTo: "s1"),
      ], actor: "test", annotator: annotator)
    try store.indexSearch()
    let s1 = try #require(try store.mentionID(platform: "mastodon", externalID: "s1"))
    let s2 = try #require(try store.mentionID(platform: "mastodon", externalID: "s2"))
    try store.addNote(mentionID: s1, text: "Zwartkopmeeuw belt vaker", actor: "Anna")
    try store.escalate(mentionID: s1, note: "Kwartelkoning dreigt", actor: "Anna")
    try store.toggleWatch(mentionID: s1, actor: "Anna")
    // An edit keeps the earlier text as a revision: that goes too.
    _ = try store.ingest(
      [incoming("s1", Self.secret + " (bewerkt)", handle: "geheimzinnig", minutesAgo: 30, thread: "t")],
      actor: "test", annotator: annotator)
    try store.markReplied(ids: [s2], actor: "Anna")
    // A draft and an outbox reply quote the author; a reply to the neighbour names them.
    try store.saveDraft(
      mentionID: s1, author: "Bram", kind: .reply, text: "Beste Geheimzinnig, over Zwartkopmeeuw…")
    try store.enqueueReply(
      mentionID: s1, responder: "Anna", kind: .holding,
      text: "@geheimzinnig over Kwartelkoning: we zoeken het uit",
      policy: .default)
    let k1 = try #require(try store.mentionID(platform: "mastodon", externalID: "k1"))
    try store.enqueueReply(
      mentionID: k1, responder: "Anna", kind: .reply, text: "Dank! Net als @geheimzinnig zoeken we het uit.",
      policy: .default)
    // Another process has the store open and reads while we forget.
    let other = try SQLiteStore(path: path, mode: .existing, clock: fixedClock)
    #expect(try other.mentionCount() == 3)
    #expect(contains(try Data(contentsOf: URL(fileURLWithPath: path)) + bytes(path), "Zwartkopmeeuw"))

    let counts = try store.forget(author: "@geheimzinnig", actor: "Sam")
    #expect(counts.mentions == 2)
    #expect(counts.authors == 1)
    #expect(counts.replies == 3)
    #expect(try store.compact())
    let data = bytes(path)
    for needle in [
      Self.secret, "Zwartkopmeeuw", "zwartkopmeeuw", "Kwartelkoning", "kwartelkoning", "geheimzinnig",
      "Geheimzinnig", "dossier 4711",
    ] {
      #expect(!contains(data, needle), "\(needle) is still in the store file")
    }
    // What others wrote stays, the anonymous figures stay, the trail says forget without the handle.
    #expect(try other.mentionCount() == 3)
    #expect(contains(data, "Klopt, bij mij ook"))
    #expect(try other.outbox(mentionID: k1).first?.text == "Dank! Net als @[forgotten] zoeken we het uit.")
    #expect(try other.drafts(mentionID: s1).isEmpty && other.outbox(mentionID: s1).isEmpty)
    let forgotten = try #require(try other.mention(id: s2))
    #expect(forgotten.text.isEmpty && forgotten.muted && forgotten.category != nil)
    let figures = try other.teamFigures(now: now, today: now.addingTimeInterval(-86_400), since: .distantPast)
    #expect(figures.overall.count == 3)  // s2 replied elsewhere, the holding reply to s1, the reply to k1
    let trail = try other.allEvents()
    let forget = try #require(trail.last { $0.action == "forget" })
    #expect(forget.actor == "Sam")
    #expect(!(forget.detail ?? "").contains("geheim"))
    #expect(try other.escalations(mentionID: s1).allSatisfy { $0.notes.isEmpty })
    #expect(try other.watchedAuthors().isEmpty)
    // Search finds nothing of it any more.
    #expect(try other.queue(QueueFilter(search: "zwartkopmeeuw"), limit: 10, offset: 0, now: now).isEmpty)

    // A later ingest of the same posts does not bring them back; a new post does arrive.
    let again = try other.ingest(
      [
        incoming("s1", Self.secret, handle: "geheimzinnig", minutesAgo: 30),
        incoming("s3", "Nieuw bericht", handle: "geheimzinnig", minutesAgo: 1),
      ], actor: "test", annotator: annotator)
    #expect(again.forgotten == 1)
    #expect(again.new == 1)
    #expect(!contains(bytes(path), "Zwartkopmeeuw"))
  }

  @Test("an editor still open on a forgotten mention cannot save its draft or send it back in")
  func noDraftAfterForget() throws {
    let folder = TempFolder()
    let path = folder.path + "/repute.sqlite"
    let store = try SQLiteStore(path: path, clock: .fixed(now))
    _ = try store.ingest(
      [incoming("s1", Self.secret, handle: "geheimzinnig", minutesAgo: 30)], actor: "test",
      annotator: PolicyAnnotator(policy: .default))
    let s1 = try #require(try store.mentionID(platform: "mastodon", externalID: "s1"))
    // Anna's inbox has the editor open; Sam forgets the author from another process.
    let anna = try SQLiteStore(path: path, mode: .existing, clock: .fixed(now))
    try anna.saveDraft(mentionID: s1, author: "Anna", kind: .reply, text: "Over dossier 4711…")
    _ = try store.forget(author: "geheimzinnig", actor: "Sam")
    #expect(try store.drafts(mentionID: s1).isEmpty)
    // Anna's next autosave, and her send, are refused: the text does not come back.
    #expect(throws: ActionError.erased(s1)) {
      try anna.saveDraft(
        mentionID: s1, author: "Anna", kind: .reply, text: "Over dossier 4711, Zwartkopmeeuw")
    }
    #expect(throws: ActionError.erased(s1)) {
      try anna.enqueueReply(
        mentionID: s1, responder: "Anna", kind: .reply, text: "Over dossier 4711. – Anna", policy: .default)
    }
    #expect(try store.drafts(mentionID: s1).isEmpty && store.outbox(mentionID: s1).isEmpty)
    try store.compact()
    #expect(!contains(bytes(path), "dossier 4711"))
    // Discarding (an empty draft) still works, so the editor can close.
    try anna.discardDraft(mentionID: s1, author: "Anna")
  }

  @Test("purge --older-than: old mentions erased, their authors too, recent ones kept")
  func purge() throws {
    let folder = TempFolder()
    let path = folder.path + "/repute.sqlite"
    let store = try SQLiteStore(path: path, clock: .fixed(now))
    _ = try store.ingest(
      [
        incoming("old", "Oud bericht van Kwartelkoning", handle: "oudje", minutesAgo: 40 * 1440),
        incoming("new", "Recent bericht", handle: "jong", minutesAgo: 60),
      ], actor: "test", annotator: PolicyAnnotator(policy: .default))
    try store.indexSearch()
    let counts = try store.purge(before: now.addingTimeInterval(-30 * 86_400), actor: "Sam")
    #expect(counts.mentions == 1)
    #expect(counts.authors == 1)
    try store.compact()
    let data = bytes(path)
    #expect(!contains(data, "Kwartelkoning"))
    #expect(!contains(data, "oudje"))
    #expect(contains(data, "Recent bericht"))
    #expect(try store.allEvents().contains { $0.action == "purge" })
    // Purging again finds nothing new: the erased rows are not counted twice.
    #expect(try store.purge(before: now.addingTimeInterval(-30 * 86_400), actor: "Sam").mentions == 0)
  }

  @Test("the event log is append only, also for forget")
  func appendOnly() throws {
    let folder = TempFolder()
    let store = try SQLiteStore(path: folder.path + "/repute.sqlite", clock: .fixed(now))
    try store.record(actor: "Sam", action: "init")
    #expect(throws: (any Error).self) {
      try store.pool.write { try $0.execute(sql: "UPDATE events SET actor = 'x'") }
    }
    #expect(throws: (any Error).self) { try store.pool.write { try $0.execute(sql: "DELETE FROM events") } }
  }
}

/// The longest any one write of a second connection took, measured on its own thread.
final class WriteWaits: @unchecked Sendable {
  private let lock = NSLock()
  private var stop = false
  private(set) var longest: TimeInterval = 0
  private(set) var writes = 0
  private(set) var failures: [String] = []

  var stopped: Bool { lock.withLock { stop } }
  func finish() { lock.withLock { stop = true } }
  func record(_ seconds: TimeInterval) {
    lock.withLock {
      longest = max(longest, seconds)
      writes += 1
    }
  }
  func fail(_ error: Error) { lock.withLock { failures.append("\(error)") } }
}

@Suite("Forget and purge leave the store to the team")
struct ErasureConcurrencyTests {
  @Test("no concurrent write waits more than a second during forget, purge and their cleanup")
  func writersKeepWriting() throws {
    let folder = TempFolder()
    let path = folder.path + "/repute.sqlite"
    let store = try SQLiteStore(path: path, clock: .fixed(now))
    let annotator = PolicyAnnotator(policy: .default)
    // 20,000 mentions with raw records of a few kilobytes (a boosted post, a thread's context):
    // about 100 MB, so work that holds the store for the whole file shows.
    let padding = String(repeating: "context ", count: 500)
    var batch: [IncomingMention] = []
    for i in 0..<20_000 {
      let handle = i % 10 == 0 ? "user7" : "user\(1000 + i % 3000)"
      let text = i % 10 == 5 ? "Net als @user7 wacht ik op de trein \(i)" : "Mijn trein is laat \(i)"
      batch.append(
        IncomingMention(
          platform: "mastodon", externalID: "m\(i)",
          author: Author(handle: handle, name: "Piet", followers: 80),
          createdAt: now.addingTimeInterval(-Double(20_000 - i) * 120), text: text, lang: "nl",
          raw: #"{"id":"m\#(i)","text":"\#(text)","context":"\#(padding)"}"#))
      if batch.count == 2_000 {
        _ = try store.ingest(batch, actor: "test", annotator: annotator)
        batch.removeAll()
      }
    }
    try store.indexSearch()

    let waits = WriteWaits()
    let done = DispatchSemaphore(value: 0)
    let writerPath = path
    Thread.detachNewThread {
      defer { done.signal() }
      do {
        let writer = try SQLiteStore(path: writerPath, mode: .existing, clock: .fixed(now))
        // The wait for the store itself, apart from the writer's own work: how long taking the
        // write lock (`BEGIN IMMEDIATE`) takes. A whole ingest's time on a loaded machine is
        // mostly CPU the test does not control; the lock is what the erasure must not hold.
        var probeConfig = Configuration()
        probeConfig.busyMode = .timeout(10)
        let probe = try DatabaseQueue(path: writerPath, configuration: probeConfig)
        var i = 0
        while !waits.stopped {
          let start = ContinuousClock.now
          try probe.inTransaction(.immediate) { _ in .commit }
          let waited = ContinuousClock.now - start
          waits.record(Double(waited.components.seconds) + Double(waited.components.attoseconds) / 1e18)
          _ = try writer.ingest(
            [
              IncomingMention(
                platform: "mastodon", externalID: "w\(i)", author: Author(handle: "writer"),
                createdAt: now, text: "Nog steeds vertraging \(i)", lang: "nl", raw: "{}")
            ], actor: "test", annotator: annotator)
          i += 1
          Thread.sleep(forTimeInterval: 0.01)
        }
      } catch {
        waits.fail(error)
      }
    }
    var joined = false
    defer {
      if !joined {
        waits.finish()
        done.wait()
      }
    }
    let forgot = try store.forget(author: "user7", actor: "Sam")
    try store.compact()
    let purged = try store.purge(before: now.addingTimeInterval(-10 * 86_400), actor: "Sam")
    try store.compact()
    waits.finish()
    done.wait()
    joined = true
    #expect(forgot.mentions == 2_000 && forgot.quoting == 2_000)
    #expect(purged.mentions > 5_000)
    #expect(waits.failures.isEmpty, "\(waits.failures)")
    #expect(waits.writes > 10)
    #expect(waits.longest < 1.0, "a concurrent writer waited \(waits.longest) s for the store")
  }
}

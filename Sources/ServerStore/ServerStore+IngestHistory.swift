import Inbox

/// A post this process's ingest stored, as a later batch's arrival work asks about it: when it was
/// written, whether it is a complaint, folded as a repeat or escalated, and short hashes of its
/// text and repeat key. A hash tells two texts apart for certain; two equal ones may still differ,
/// so an equal hash is asked of the server as before.
struct PostTrace: Sendable {
  var id: Int64
  var createdAt: Int64
  var text: UInt32
  var key: UInt32
  var complaint: Bool
  var folded = false
  var escalated = false

  static func hash(_ text: String) -> UInt32 { UInt32(truncatingIfNeeded: text.hashValue) }
}

/// The arrival work's lookups by author (issue 18): each new mention asked the server about its
/// author's earlier posts up to three times (a repeat to fold into, the complaints in the rules'
/// window, an earlier escalation on the same text), an index descent each, 15–20 s of the server's
/// time at a million mentions. An author this process added, while nobody else wrote since, has no
/// post in the store the process does not know (`IngestAuthorMemory.posts`); one the batch added
/// has none but the batch's. Those are answered here: the complaints counted, and the repeat and
/// the escalation found absent for certain, or else asked as before.
extension ArrivalWork {
  /// Every post of `author` stored before this batch, when this process knows them all
  /// (`ArrivalAuthors.before`).
  func before(_ author: Int64) -> [PostTrace]? {
    ArrivalAuthors(fresh: freshAuthors, history: history).before(author)
  }

  /// Whether the new mention `rows[n]` (repeat key `key`) may repeat an earlier post: false when
  /// every post the server's lookup would compare it with is known and none has its key. The
  /// lookup compares the author's latest `repeatScan` posts within `window` of it with a lower id.
  func mayRepeat(_ n: Int, key: RepeatKey, window: Int64) -> Bool {
    let row = rows[n]
    guard let stored = before(row.authorID) else { return true }
    let t = row.mention.createdAt.epochMilliseconds
    func near(_ c: PostTrace) -> Bool { c.createdAt >= t - window && c.createdAt <= t + window }
    var candidates = stored.filter(near)
    for k in batchRows[row.authorID] ?? [] where rows[k].id < row.id && near(traces[k]) {
      candidates.append(traces[k])
    }
    if candidates.isEmpty { return false }
    candidates.sort { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }
    let wanted = PostTrace.hash(key.text)
    return candidates.prefix(Self.repeatScan).contains { $0.key == wanted }
  }

  /// Whether an earlier post of the arrival's author may carry an open escalation on the same text
  /// within the hour (what `earlierEscalations` asks): false when the author's posts are all known
  /// and none does. The batch's own posts have no escalation stored yet.
  func mayHaveEscalated(_ arrival: New) -> Bool {
    guard let stored = before(arrival.authorID) else { return true }
    let t = arrival.mention.createdAt.epochMilliseconds
    let text = PostTrace.hash(arrival.text)
    return stored.contains { c in
      c.escalated && c.id != arrival.id && c.text == text && c.createdAt > t - 3_600_000
        && c.createdAt < t + 3_600_000
    }
  }

  /// The author's complaints stored before the batch within (`from`, `to`]
  /// (`ArrivalAuthors.earlierComplaints`).
  func earlierComplaints(_ author: Int64, from: Int64, to: Int64) -> (all: Int, distinct: Int)? {
    ArrivalAuthors(fresh: freshAuthors, history: history).earlierComplaints(author, from: from, to: to)
  }

  /// The batch's new posts of the authors whose every post is known here, as the next batch may
  /// remember them.
  func traced(folded: [Int64: Int64], escalated: Set<Int64>) -> [Int64: [PostTrace]] {
    var out: [Int64: [PostTrace]] = [:]
    for (n, row) in rows.enumerated() where before(row.authorID) != nil {
      var trace = traces[n]
      trace.folded = folded[row.id] != nil
      trace.escalated = escalated.contains(row.id)
      out[row.authorID, default: []].append(trace)
    }
    return out
  }

  /// Each new row's trace, before folding and escalating, in the rows' order.
  static func traceRows(_ rows: [New]) -> [PostTrace] {
    rows.map { row in
      // The repeat key of the text as stored: the annotation's, unless a later copy edited it.
      let key =
        row.text == row.mention.text
        ? row.annotation?.repeatKey?.text ?? RepeatKey.key(row.text)
        : RepeatKey.key(row.text)
      return PostTrace(
        id: row.id, createdAt: row.mention.createdAt.epochMilliseconds, text: PostTrace.hash(row.text),
        key: PostTrace.hash(key), complaint: row.annotation?.category == .complaint)
    }
  }
}

extension IngestAuthorMemory {
  /// Adds a batch's traces (`IngestAuthors.traces`, nil: forget them all) after its commit.
  func remember(_ traces: [Int64: [PostTrace]]?, continued: Bool) {
    guard let traces, continued || !traces.isEmpty else {
      posts = [:]
      postCount = 0
      return
    }
    if !continued {
      posts = [:]
      postCount = 0
    }
    let added = traces.values.reduce(0) { $0 + $1.count }
    // Past the limit the memory starts again: an author is remembered with all its posts or not.
    if postCount + added > Self.postLimit {
      posts = [:]
      postCount = 0
      return
    }
    for (author, list) in traces { posts[author, default: []] += list }
    postCount += added
  }
}

import Foundation
import GRDB
import Inbox
import Policy

/// What narrows the inbox's queue: categories, statuses, clocks, platforms and a full-text search.
public struct QueueQuery: Sendable, Hashable {
  public var categories: Set<Category> = []
  public var statuses: Set<MentionStatus> = []
  public var clocks: Set<ClockState> = []
  public var platforms: Set<String> = []
  /// Words to find in the text or the author's handle (FTS5); nil or empty: no search.
  public var search: String?

  public init(
    categories: Set<Category> = [], statuses: Set<MentionStatus> = [], clocks: Set<ClockState> = [],
    platforms: Set<String> = [], search: String? = nil
  ) {
    self.categories = categories
    self.statuses = statuses
    self.clocks = clocks
    self.platforms = platforms
    self.search = search
  }

  /// True when nothing narrows the queue, so the store's own urgency window serves it.
  public var isEmpty: Bool {
    categories.isEmpty && statuses.isEmpty && clocks.isEmpty && platforms.isEmpty
      && (search ?? "").trimmingCharacters(in: .whitespaces).isEmpty
  }
}

/// One queue row as the inbox shows it: the mention and who claimed it.
public struct QueueEntry: Sendable, Hashable {
  public var mention: Mention
  public var claimedBy: String?
  public var snoozedUntil: Date?
  public var noReplyReason: String?

  public init(mention: Mention, claimedBy: String?, snoozedUntil: Date? = nil, noReplyReason: String? = nil) {
    self.mention = mention
    self.claimedBy = claimedBy
    self.snoozedUntil = snoozedUntil
    self.noReplyReason = noReplyReason
  }
}

/// What a mention carries beside its status and clock: an open escalation, a claim, a watched
/// author (the flags of `repute list --json`).
public struct MentionFlags: Sendable, Hashable {
  public var escalated = false
  public var claimedBy: String?
  public var watched = false

  public init(escalated: Bool = false, claimedBy: String? = nil, watched: Bool = false) {
    self.escalated = escalated
    self.claimedBy = claimedBy
    self.watched = watched
  }
}

extension SQLiteStore {
  /// The flags of these mentions, 500 ids a query, each answered from an index (escalations by
  /// mention, watched authors by author, the claim in the row itself). Unknown ids are left out.
  public func flags(mentionIDs: [Int64]) throws -> [Int64: MentionFlags] {
    var out: [Int64: MentionFlags] = [:]
    try pool.read { db in
      for start in stride(from: 0, to: mentionIDs.count, by: 500) {
        let slice = mentionIDs[start..<min(start + 500, mentionIDs.count)]
        let rows = try Row.fetchAll(
          db,
          sql: """
            SELECT m.id, m.claimed_by,
              EXISTS (SELECT 1 FROM escalations e WHERE e.mention_id = m.id AND e.state != 'resolved'),
              EXISTS (SELECT 1 FROM watched_authors w WHERE w.author_id = m.author_id)
            FROM mentions m WHERE m.id IN (\(slice.map { _ in "?" }.joined(separator: ",")))
            """, arguments: StatementArguments(Array(slice)))
        for row in rows {
          out[row[0]] = MentionFlags(escalated: row[2], claimedBy: row[1], watched: row[3])
        }
      }
    }
    return out
  }
}

/// An internal note for the team on a mention.
public struct NoteRecord: Sendable, Hashable {
  public var id: Int64
  public var at: Date
  public var author: String
  public var text: String
}

/// An escalation to the supervisor, beside its mention.
public struct EscalationRecord: Sendable, Hashable {
  public var id: Int64
  public var mentionID: Int64
  public var reason: String
  public var state: String
  public var owner: String?
  public var createdAt: Date
  public var createdBy: String
  public var notes: [NoteRecord]
  /// How many arrivals it stands for: repeats of the same author and text within an hour.
  public var count: Int = 1
}

/// Counts for the inbox's status line.
public struct QueueTally: Sendable, Hashable {
  public var byStatus: [MentionStatus: Int] = [:]
  public var byClock: [ClockState: Int] = [:]
  public var total = 0

  public init() {}
}

/// The author of a mention as the detail pane shows them.
public struct AuthorRecord: Sendable, Hashable {
  public var platform: String
  public var author: Author
  public var watched: Bool
  public var mentionCount: Int
  /// Their latest mentions written before this one, newest first (never one written after it).
  public var earlier: [Mention]
  /// How many mentions they wrote before this one.
  public var earlierCount: Int
  /// How many of those were complaints (the advice's repeat-complainer count).
  public var earlierComplaints: Int
}

/// Why an action was refused.
public enum ActionError: Error, CustomStringConvertible, Equatable {
  case noSuchMention(Int64)
  case notClosed(Int64)
  /// The author was forgotten (or the mention purged): nothing may be written about it again.
  case erased(Int64)
  /// Closing without a reply needs one of the policy's reasons for this category (`[closing]`).
  case reasonNotListed(Int64, category: String, reasons: [String])

  public var description: String {
    switch self {
    case .noSuchMention(let id): return "no mention \(id)"
    case .notClosed(let id): return "mention \(id) is not closed by a reply or a no-reply decision"
    case .erased(let id):
      return "mention \(id) was erased (forget or purge): no draft or reply can be kept on it"
    case .reasonNotListed(let id, let category, let reasons):
      let list = reasons.enumerated().map { "\($0.offset + 1) \($0.element)" }.joined(separator: ", ")
      return
        "mention \(id) is a \(category): closing it without a reply takes one of the policy's reasons: \(list)"
    }
  }
}

// MARK: - Actions

/// The responder's actions on mentions. Each is one short write transaction and one event per
/// mention (who, what, which mention); personal text never goes into an event's detail.
extension SQLiteStore {
  /// Claims the mention for `actor`, or releases it when `actor` holds the claim already.
  /// Returns who holds it afterwards.
  @discardableResult
  public func toggleClaim(id: Int64, actor: String) throws -> String? {
    let now = clock.now().epochMilliseconds
    return try pool.write { db in
      guard
        let row = try Row.fetchOne(db, sql: "SELECT claimed_by FROM mentions WHERE id = ?", arguments: [id])
      else { throw ActionError.noSuchMention(id) }
      let holder: String? = row[0]
      if holder == actor {
        try db.execute(
          sql: "UPDATE mentions SET claimed_by = NULL, claimed_at = NULL WHERE id = ?", arguments: [id])
        try appendEvent(db, at: now, actor: actor, action: "release", mentionID: id, detail: nil)
        return nil
      }
      try db.execute(
        sql: "UPDATE mentions SET claimed_by = ?, claimed_at = ? WHERE id = ?", arguments: [actor, now, id])
      let detail = holder == nil ? nil : #"{"taken_over":true}"#
      try appendEvent(db, at: now, actor: actor, action: "claim", mentionID: id, detail: detail)
      return actor
    }
  }

  /// Sets the category by hand (recorded as manual, with who did it); the deadlines follow the
  /// new category's window from the mention's arrival.
  public func recategorise(ids: [Int64], to category: Category, policy: PolicyConfig, actor: String) throws {
    let now = clock.now().epochMilliseconds
    try pool.write { db in
      for id in ids {
        guard
          let row = try Row.fetchOne(
            db,
            sql: """
              SELECT category, created_at, status, snoozed_from, follow_up_due_at, first_response_at
              FROM mentions WHERE id = ?
              """, arguments: [id])
        else { throw ActionError.noSuchMention(id) }
        let old: String? = row[0]
        let arrival = Date(epochMilliseconds: row[1])
        let status = MentionStatus(rawValue: row[2]) ?? .open
        let d = policy.deadlines(category: category, arrival: arrival)
        let phase = Self.phase(status: status, snoozedFrom: row[3])
        let pending = (row[4] as Int64?).map(Date.init(epochMilliseconds:))
        let answered = (row[5] as Int64?).map(Date.init(epochMilliseconds:))
        let follow = Self.followUp(
          phase: phase, pending: pending, answeredAt: answered,
          window: { policy.followUpDeadline(category: category, firstResponseAt: $0) })
        // A snoozed mention keeps the target of the status it came from (a snooze never hides it).
        let active = Deadlines(
          arrival: d.arrival, earliestReply: d.earliestReply, firstResponse: d.firstResponse,
          followUp: follow
        ).activeTarget(status: phase)
        try db.execute(
          sql: """
            UPDATE mentions SET category = ?, category_source = 'manual', category_by = ?,
              earliest_reply_at = ?, first_response_due_at = ?, follow_up_due_at = ?, due_at = ?
            WHERE id = ?
            """,
          arguments: [
            category.rawValue, actor, Self.earliest(d.earliestReply, answeredAt: answered).epochMilliseconds,
            d.firstResponse?.epochMilliseconds, follow?.epochMilliseconds, active?.epochMilliseconds, id,
          ])
        var w = JSONWriter()
        w.string("from", old)
        w.string("to", category.rawValue)
        try appendEvent(db, at: now, actor: actor, action: "recategorise", mentionID: id, detail: w.finish())
        try Self.closeSettledOverdue(db, mentionID: id, now: now)
      }
    }
  }

  /// The lifecycle a mention is in for its deadlines: a snoozed one keeps the one it came from.
  static func phase(status: MentionStatus, snoozedFrom: String?) -> MentionStatus {
    status == .snoozed ? (snoozedFrom.flatMap(MentionStatus.init(rawValue:)) ?? .open) : status
  }

  /// The follow-up target after re-judging a mention's category: a holding reply's stays (S12);
  /// a pending personal follow-up (S10) is counted again from the first response with the new
  /// window (`window`), and goes when that has none; a fulfilled or never-set one stays unset.
  static func followUp(
    phase: MentionStatus, pending: Date?, answeredAt: Date?, window: (Date) -> Date?
  ) -> Date? {
    switch phase {
    case .holding: return pending
    case .replied:
      guard pending != nil, let answeredAt else { return nil }
      return window(answeredAt)
    case .open, .noReply, .snoozed: return nil
    }
  }

  /// The earliest reply, moved up to the first response when the organisation answered sooner:
  /// the cooling-off (S11) ends with the answer (as `applyReply` has it).
  static func earliest(_ earliest: Date, answeredAt: Date?) -> Date {
    guard let answeredAt, answeredAt < earliest else { return earliest }
    return answeredAt
  }

  /// Decides, on purpose, not to reply (S3, S5, S8): the mention leaves the clock. On a replied
  /// mention it decides against the personal follow-up (S10), which is cleared.
  ///
  /// A category the policy gives a list of reasons (`[closing]`; by default a complaint and a
  /// question) closes only with one of them (`reason` may be its number or the start of exactly
  /// one); others take any reason. Nothing is written when one of `ids` is refused.
  public func decideNoReply(ids: [Int64], reason: String, policy: PolicyConfig, actor: String) throws {
    let now = clock.now().epochMilliseconds
    try pool.write { db in
      for id in ids {
        guard
          let row = try Row.fetchOne(db, sql: "SELECT category FROM mentions WHERE id = ?", arguments: [id])
        else { throw ActionError.noSuchMention(id) }
        let category = (row[0] as String?).flatMap(Category.init(rawValue:))
        guard let chosen = policy.closing.reason(reason, for: category) else {
          throw ActionError.reasonNotListed(
            id, category: category?.rawValue ?? "-", reasons: policy.closing.reasons(for: category) ?? [])
        }
        try db.execute(
          sql: """
            UPDATE mentions SET status = 'no_reply', due_at = NULL, no_reply_reason = ?,
              follow_up_due_at = CASE WHEN status = 'replied' THEN NULL ELSE follow_up_due_at END,
              snoozed_until = NULL, snoozed_from = NULL WHERE id = ?
            """, arguments: [chosen, id])
        guard db.changesCount == 1 else { throw ActionError.noSuchMention(id) }
        try appendEvent(db, at: now, actor: actor, action: "no_reply", mentionID: id, detail: nil)
        try Self.closeSettledOverdue(db, mentionID: id, now: now)
      }
    }
  }

  /// Reopens mentions closed by a reply or a no-reply decision: open again, on the first-response
  /// clock. A pending follow-up (S10) is dropped: the next answer starts a new one.
  public func reopen(ids: [Int64], actor: String) throws {
    let now = clock.now().epochMilliseconds
    try pool.write { db in
      for id in ids {
        try db.execute(
          sql: """
            UPDATE mentions SET status = 'open', due_at = first_response_due_at, no_reply_reason = NULL,
              follow_up_due_at = NULL
            WHERE id = ? AND status IN ('replied', 'no_reply')
            """, arguments: [id])
        guard db.changesCount == 1 else { throw ActionError.notClosed(id) }
        try appendEvent(db, at: now, actor: actor, action: "reopen", mentionID: id, detail: nil)
      }
    }
  }

  /// Puts mentions aside until `until`: out of the queue until they wake, or until their target
  /// passes, whichever comes first. A snooze never hides a deadline: `due_at` keeps the active
  /// target, so the overdue board and the overdue rule see it pass.
  public func snooze(ids: [Int64], until: Date, actor: String) throws {
    let now = clock.now().epochMilliseconds
    try pool.write { db in
      for id in ids {
        try db.execute(
          sql: """
            UPDATE mentions SET snoozed_from = CASE WHEN status = 'snoozed' THEN snoozed_from ELSE status END,
              status = 'snoozed', snoozed_until = ? WHERE id = ?
            """, arguments: [until.epochMilliseconds, id])
        guard db.changesCount == 1 else { throw ActionError.noSuchMention(id) }
        try appendEvent(
          db, at: now, actor: actor, action: "snooze", mentionID: id,
          detail: #"{"until":"\#(RFC3339.format(until))"}"#)
      }
    }
  }

  /// Wakes the snoozed mentions whose time has come: back to their earlier status and clock.
  /// The inbox calls this on its tick; any process may, waking a mention happens once.
  @discardableResult
  public func wakeSnoozed(now: Date) throws -> Int {
    let at = now.epochMilliseconds
    // A read first, so the common case (nothing to wake) takes no write lock.
    let due = try pool.read { db in
      try Int64.fetchAll(
        db,
        sql:
          "SELECT id FROM mentions WHERE snoozed_until IS NOT NULL AND snoozed_until <= ? AND status = 'snoozed'",
        arguments: [at])
    }
    if due.isEmpty { return 0 }
    return try pool.write { db in
      var woken = 0
      for id in due {
        try db.execute(
          sql: """
            UPDATE mentions SET status = coalesce(snoozed_from, 'open'), snoozed_from = NULL,
              snoozed_until = NULL,
              due_at = CASE coalesce(snoozed_from, 'open') WHEN 'open' THEN first_response_due_at
                WHEN 'holding' THEN follow_up_due_at WHEN 'replied' THEN follow_up_due_at END
            WHERE id = ? AND status = 'snoozed' AND snoozed_until <= ?
            """, arguments: [id, at])
        if db.changesCount == 1 {
          woken += 1
          try appendEvent(db, at: at, actor: "repute", action: "wake", mentionID: id, detail: nil)
        }
      }
      return woken
    }
  }

  /// Watches the mention's author (S8), or stops watching. Returns whether they are watched now.
  @discardableResult
  public func toggleWatch(mentionID: Int64, actor: String) throws -> Bool {
    let now = clock.now().epochMilliseconds
    return try pool.write { db in
      guard
        let authorID = try Int64.fetchOne(
          db, sql: "SELECT author_id FROM mentions WHERE id = ?", arguments: [mentionID])
      else { throw ActionError.noSuchMention(mentionID) }
      try db.execute(sql: "DELETE FROM watched_authors WHERE author_id = ?", arguments: [authorID])
      if db.changesCount == 1 {
        try appendEvent(db, at: now, actor: actor, action: "unwatch", mentionID: mentionID, detail: nil)
        return false
      }
      try db.execute(
        sql: "INSERT INTO watched_authors (author_id, since, watched_by) VALUES (?, ?, ?)",
        arguments: [authorID, now, actor])
      try appendEvent(db, at: now, actor: actor, action: "watch", mentionID: mentionID, detail: nil)
      return true
    }
  }

  /// Escalates a mention to the supervisor with a note; returns the escalation's id. When the
  /// mention is already escalated by hand and still open, the note goes to that escalation.
  @discardableResult
  public func escalate(mentionID: Int64, reason: String = "by_hand", note: String, actor: String) throws
    -> Int64
  {
    let now = clock.now().epochMilliseconds
    return try pool.write { db in
      guard try Bool.fetchOne(db, sql: "SELECT 1 FROM mentions WHERE id = ?", arguments: [mentionID]) != nil
      else { throw ActionError.noSuchMention(mentionID) }
      let open = try Int64.fetchOne(
        db,
        sql: "SELECT id FROM escalations WHERE mention_id = ? AND reason = ? AND state != 'resolved' LIMIT 1",
        arguments: [mentionID, reason])
      let id: Int64
      if let open {
        id = open
        try db.execute(sql: "UPDATE escalations SET updated_at = ? WHERE id = ?", arguments: [now, id])
        try appendEvent(
          db, at: now, actor: actor, action: "escalation_note", mentionID: mentionID,
          detail: #"{"escalation_id":\#(id)}"#)
      } else {
        let severity = EscalationReason(rawValue: reason)?.severity ?? 2
        try db.execute(
          sql: """
            INSERT INTO escalations (mention_id, reason, state, created_at, created_by, updated_at, severity)
            VALUES (?, ?, 'new', ?, ?, ?, ?)
            """, arguments: [mentionID, reason, now, actor, now, severity])
        id = db.lastInsertedRowID
        var w = JSONWriter()
        w.int("escalation_id", id)
        w.string("reason", reason)
        try appendEvent(
          db, at: now, actor: actor, action: "escalate", mentionID: mentionID, detail: w.finish())
      }
      if !note.isEmpty {
        try db.execute(
          sql: "INSERT INTO escalation_notes (escalation_id, at, author, text) VALUES (?, ?, ?, ?)",
          arguments: [id, now, actor, note])
      }
      return id
    }
  }

  /// Adds an internal note for the team; returns its id.
  @discardableResult
  public func addNote(mentionID: Int64, text: String, actor: String) throws -> Int64 {
    let now = clock.now().epochMilliseconds
    return try pool.write { db in
      guard try Bool.fetchOne(db, sql: "SELECT 1 FROM mentions WHERE id = ?", arguments: [mentionID]) != nil
      else { throw ActionError.noSuchMention(mentionID) }
      try db.execute(
        sql: "INSERT INTO notes (mention_id, at, author, text) VALUES (?, ?, ?, ?)",
        arguments: [mentionID, now, actor, text])
      let id = db.lastInsertedRowID
      try appendEvent(
        db, at: now, actor: actor, action: "note", mentionID: mentionID, detail: #"{"note_id":\#(id)}"#)
      return id
    }
  }
}

// MARK: - Reading for the inbox

extension SQLiteStore {
  static let entryColumns = mentionColumns + ", m.claimed_by, m.snoozed_until, m.no_reply_reason"

  static func entry(_ row: Row) -> QueueEntry {
    // The queue's three columns come last, after however many the mention has.
    let base = row.count - 3
    let until: Int64? = row[base + 1]
    return QueueEntry(
      mention: mention(row), claimedBy: row[base], snoozedUntil: until.map(Date.init(epochMilliseconds:)),
      noReplyReason: row[base + 2])
  }

  /// One window of the queue in urgency order, narrowed by `query`.
  ///
  /// Three segments, as in `mentions(order: .urgency)`: what is on the clock and past its
  /// cooling-off (by deadline), what is still cooling (by earliest reply), then everything off the
  /// clock (newest first). Snoozed mentions stay hidden until they wake or their target passes.
  public func queue(_ query: QueueQuery, limit: Int, offset: Int, now: Date) throws -> [QueueEntry] {
    let at = now.epochMilliseconds
    if let search = query.search, let match = Self.ftsMatch(search),
      try matchCount(match, words: search) <= Self.sortedSearchLimit
    {
      return try searchWindow(query, match: match, words: search, limit: limit, offset: offset, now: at)
    }
    let (filter, arguments) = try filterSQL(query, now: at)
    return try pool.read { db in
      let segments = QueueSegment.all.enumerated().map { index, segment in
        // The last segment is never skipped whole, so it is never counted.
        (
          select: segment.select(filter: filter, offset: true),
          count: index == QueueSegment.all.count - 1 ? "" : segment.count(filter: filter)
        )
      }
      var result: [QueueEntry] = []
      var skip = offset
      for segment in segments {
        let wanted = limit - result.count
        if wanted <= 0 { break }
        var args = arguments
        args["now"] = at
        if skip > 0 && !segment.count.isEmpty {
          // Counting a segment of a million reads its whole index: keep the count while nothing
          // was committed and the clock is within the same second.
          let key =
            "\(path)|\(segment.count)|\(arguments.keys.sorted())|\(String(describing: arguments.sorted { $0.key < $1.key }.map { $0.value.map { "\($0)" } }))"
          let token = try changeToken()
          let size: Int
          if let cached = SegmentCounts.shared.get(key, token: token, now: at) {
            size = cached
          } else {
            size = try Int.fetchOne(db, sql: segment.count, arguments: StatementArguments(args)) ?? 0
            SegmentCounts.shared.set(key, size, token: token, now: at)
          }
          if skip >= size {
            skip -= size
            continue
          }
        }
        args["limit"] = wanted
        args["offset"] = skip
        result += try Row.fetchAll(db, sql: segment.select, arguments: StatementArguments(args)).map(
          Self.entry)
        skip = 0
      }
      return result
    }
  }

  /// How many mentions the queue holds under `query`.
  ///
  /// Unfiltered, from indexes alone (all mentions, minus the muted, minus the snoozed still
  /// asleep with their target still ahead), so a million-row store counts in milliseconds, not a
  /// table scan.
  public func queueCount(_ query: QueueQuery, now: Date) throws -> Int {
    let at = now.epochMilliseconds
    if query.isEmpty {
      return try pool.read { db in
        let all =
          try Int.fetchOne(db, sql: "SELECT count(*) FROM mentions INDEXED BY mentions_by_status") ?? 0
        let muted =
          try Int.fetchOne(
            db, sql: "SELECT count(*) FROM mentions INDEXED BY mentions_muted_by_status WHERE muted = 1") ?? 0
        let asleep =
          try Int.fetchOne(
            db,
            sql: """
              SELECT count(*) FROM mentions INDEXED BY mentions_by_snooze
              WHERE snoozed_until > ? AND status = 'snoozed' AND muted = 0
                AND (due_at IS NULL OR due_at > ?)
              """, arguments: [at, at]) ?? 0
        return all - muted - asleep
      }
    }
    var unsearched = query
    unsearched.search = nil
    let (filter, arguments) = try filterSQL(unsearched, now: at)
    var args = arguments
    args["now"] = at
    if let search = query.search, let match = Self.ftsMatch(search) {
      args["match"] = match
      let searched = Self.searchedSQL(tail: try tailMatches(search).json, &args)
      // A broad search (a common word at a million mentions) is counted from the index alone:
      // muted or sleeping matches are then counted too, and the queue's end may show gaps.
      let broad = try matchCount(match, words: search)
      if broad > Self.sortedSearchLimit && unsearched.isEmpty { return broad }
      // Driven by the full-text index (and the unindexed tail): only the matches are looked at.
      return try pool.read { db in
        try Int.fetchOne(
          db,
          sql: """
            SELECT count(*) FROM mentions m
            WHERE \(searched) AND m.muted = 0
              AND NOT \(Self.asleepSQL) \(filter)
            """, arguments: StatementArguments(args)) ?? 0
      }
    }
    // One scan, counting the rows on the clock and off it apart: the keyset windows skip a part
    // that holds none of the filter's rows instead of walking its index (`SegmentHints`).
    let mark = try contentMark()
    return try pool.read { db in
      let row = try Row.fetchOne(
        db,
        sql: """
          SELECT count(*) FILTER (WHERE m.due_at IS NOT NULL), count(*) FILTER (WHERE m.due_at IS NULL)
          FROM mentions m
          WHERE m.muted = 0 AND NOT \(Self.asleepSQL) \(filter)
          """, arguments: StatementArguments(args))
      let onClock: Int = row?[0] ?? 0
      let offClock: Int = row?[1] ?? 0
      SegmentHints.shared.set(Self.hintKey(path, query), mark: mark, onClock: onClock, offClock: offClock)
      return onClock + offClock
    }
  }

  /// Up to this many matches are sorted by urgency directly; broader searches walk the queue's
  /// own indexes and keep the rows that match.
  static let sortedSearchLimit = 5000

  /// How many mentions a search matches: from the full-text index alone, plus the matches among
  /// the mentions it has not taken in yet (`SearchTail`).
  /// Kept while nothing was committed: every window of a search asks, and a common word's count
  /// reads hundreds of thousands of index entries.
  func matchCount(_ match: String, words: String) throws -> Int {
    let key = "\(path)|match|\(match)"
    let token = try changeToken()
    if let cached = SegmentCounts.shared.get(key, token: token, now: 0) { return cached }
    let indexed = try pool.read { db in
      try Int.fetchOne(
        db, sql: "SELECT count(*) FROM mention_search WHERE mention_search MATCH ?", arguments: [match]) ?? 0
    }
    let count = try indexed + tailMatches(words).count
    SegmentCounts.shared.set(key, count, token: token, now: 0)
    return count
  }

  /// A snoozed mention still asleep: its snooze has not ended and its target (if any) has not
  /// passed. Only these are kept out of the queue; a snooze never hides a deadline.
  static let asleepSQL = """
    (m.status = 'snoozed' AND coalesce(m.snoozed_until, 0) > :now AND (m.due_at IS NULL OR m.due_at > :now))
    """

  /// `asleepSQL` for the rows on the clock (`due_at` set), by rowid against the few snoozed ones
  /// (`mentions_by_snooze`): a segment's count stays an index-only read of the deadline index.
  static let notAsleepOnClockSQL = """
    m.id NOT IN (SELECT id FROM mentions INDEXED BY mentions_by_snooze
      WHERE snoozed_until > :now AND status = 'snoozed' AND due_at > :now)
    """

  /// The queue's segment of a row in SQL: 0 answerable now, 1 cooling, 2 no target.
  static let segmentSQL = """
    CASE WHEN m.due_at IS NOT NULL AND (m.earliest_reply_at IS NULL OR m.earliest_reply_at <= :now) THEN 0
      WHEN m.due_at IS NOT NULL THEN 1 ELSE 2 END
    """

  /// What every window of a search's matches shares: the filter without the search, the match
  /// condition (the index and the unindexed tail) and their arguments with `now` and `limit`.
  func searchSQL(_ query: QueueQuery, match: String, words: String, limit: Int, now at: Int64) throws -> (
    filter: String, searched: String, arguments: [String: DatabaseValueConvertible?]
  ) {
    var unsearched = query
    unsearched.search = nil
    let (filter, arguments) = try filterSQL(unsearched, now: at)
    var args = arguments
    args["now"] = at
    args["match"] = match
    let searched = Self.searchedSQL(tail: try tailMatches(words).json, &args)
    args["limit"] = limit
    return (filter, searched, args)
  }

  /// A window of the search's matches in the queue's urgency order, driven by the full-text
  /// index (the matches are sorted, not the queue scanned).
  func searchWindow(
    _ query: QueueQuery, match: String, words: String, limit: Int, offset: Int, now at: Int64
  ) throws -> [QueueEntry] {
    var (filter, searched, args) = try searchSQL(query, match: match, words: words, limit: limit, now: at)
    args["offset"] = offset
    let segment = Self.segmentSQL
    return try pool.read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT \(Self.entryColumns) FROM mentions m JOIN authors a ON a.id = m.author_id
          WHERE \(searched) AND m.muted = 0
            AND NOT \(Self.asleepSQL) \(filter)
          ORDER BY \(segment),
            CASE \(segment) WHEN 0 THEN m.due_at WHEN 1 THEN m.earliest_reply_at ELSE -m.created_at END,
            CASE \(segment) WHEN 2 THEN -m.id ELSE m.id END
          LIMIT :limit OFFSET :offset
          """, arguments: StatementArguments(args)
      ).map(Self.entry)
    }
  }

  /// Where the active target's span starts, as `Deadlines.clock` has it: the holding reply while
  /// holding (S12), the first response once replied (S10), the arrival otherwise.
  /// A snoozed mention's span is the one of the status it came from.
  static let spanStartSQL = """
    CASE CASE m.status WHEN 'snoozed' THEN coalesce(m.snoozed_from, 'open') ELSE m.status END
      WHEN 'holding' THEN coalesce(m.holding_since, m.created_at)
      WHEN 'replied' THEN coalesce(m.first_response_at, m.created_at) ELSE m.created_at END
    """

  /// The query's conditions on `m`; a search's unindexed matches are found first (`tailMatches`).
  func filterSQL(_ query: QueueQuery, now: Int64) throws -> (String, [String: DatabaseValueConvertible?]) {
    var parts: [String] = []
    var args: [String: DatabaseValueConvertible?] = [:]
    func list(_ name: String, _ values: [String]) -> String {
      values.enumerated().map { index, value in
        args["\(name)\(index)"] = value
        return ":\(name)\(index)"
      }.joined(separator: ", ")
    }
    if !query.categories.isEmpty {
      parts.append("m.category IN (\(list("cat", query.categories.map(\.rawValue).sorted())))")
    }
    if !query.statuses.isEmpty {
      parts.append("m.status IN (\(list("st", query.statuses.map(\.rawValue).sorted())))")
    }
    if !query.platforms.isEmpty {
      parts.append("m.platform IN (\(list("pf", query.platforms.sorted())))")
    }
    if !query.clocks.isEmpty {
      // The same rules as `Deadlines.clock`: cooling before the earliest reply, overdue past the
      // target, due soon in the last fifth of the span, nothing when off the clock.
      let start = Self.spanStartSQL
      var clocks: [String] = []
      for clock in query.clocks {
        switch clock {
        case .none: clocks.append("m.due_at IS NULL")
        case .cooling:
          clocks.append("(m.due_at IS NOT NULL AND m.status = 'open' AND m.earliest_reply_at > :now)")
        case .overdue:
          clocks.append(
            "(m.due_at IS NOT NULL AND m.due_at <= :now AND NOT (m.status = 'open' AND m.earliest_reply_at > :now))"
          )
        case .dueSoon:
          clocks.append(
            """
            (m.due_at > :now AND NOT (m.status = 'open' AND m.earliest_reply_at > :now)
              AND 5 * (m.due_at - :now) <= m.due_at - (\(start)))
            """)
        case .onTime:
          clocks.append(
            """
            (m.due_at > :now AND NOT (m.status = 'open' AND m.earliest_reply_at > :now)
              AND 5 * (m.due_at - :now) > m.due_at - (\(start)))
            """)
        }
      }
      parts.append("(" + clocks.joined(separator: " OR ") + ")")
    }
    if let search = query.search, let match = Self.ftsMatch(search) {
      parts.append(Self.searchedSQL(tail: try tailMatches(search).json, &args))
      args["match"] = match
    }
    _ = now
    return (parts.isEmpty ? "" : "AND " + parts.joined(separator: " AND "), args)
  }

  /// Turns what the responder typed into an FTS5 query: every word must occur, the last one as a
  /// prefix (so the queue narrows while typing); quotes keep FTS5 syntax out of it.
  static func ftsMatch(_ text: String) -> String? {
    let words = text.split(whereSeparator: { $0.isWhitespace }).map { word in
      String(word).replacingOccurrences(of: "\"", with: "\"\"")
    }.filter { !$0.isEmpty }
    guard !words.isEmpty else { return nil }
    return words.enumerated().map { index, word in
      index == words.count - 1 ? "\"\(word)\"*" : "\"\(word)\""
    }.joined(separator: " ")
  }

  /// Counts per status and per clock for the status line.
  public func tally(now: Date) throws -> QueueTally {
    let at = now.epochMilliseconds
    return try pool.read { db in
      var tally = QueueTally()
      // From the status index, minus the muted ones: no table scan at a million rows.
      for row in try Row.fetchAll(
        db, sql: "SELECT status, count(*) FROM mentions INDEXED BY mentions_by_status GROUP BY status")
      {
        if let status = MentionStatus(rawValue: row[0]) { tally.byStatus[status] = row[1] }
      }
      for row in try Row.fetchAll(
        db,
        sql: """
          SELECT status, count(*) FROM mentions INDEXED BY mentions_muted_by_status
          WHERE muted = 1 GROUP BY status
          """)
      {
        if let status = MentionStatus(rawValue: row[0]) { tally.byStatus[status, default: 0] -= row[1] }
      }
      tally.total = tally.byStatus.values.reduce(0, +)
      // Clocks from the deadline index alone.
      let row = try Row.fetchOne(
        db,
        sql: """
          SELECT
            count(*) FILTER (WHERE earliest_reply_at > :now),
            count(*) FILTER (WHERE due_at <= :now AND NOT coalesce(earliest_reply_at > :now, 0))
          FROM mentions INDEXED BY mentions_by_due WHERE due_at IS NOT NULL AND muted = 0
          """, arguments: ["now": at])
      tally.byClock[.cooling] = row?[0] ?? 0
      tally.byClock[.overdue] = row?[1] ?? 0
      return tally
    }
  }

  /// The queue entry for one mention.
  public func entry(id: Int64) throws -> QueueEntry? {
    try pool.read { db in
      try Row.fetchOne(
        db,
        sql:
          "SELECT \(Self.entryColumns) FROM mentions m JOIN authors a ON a.id = m.author_id WHERE m.id = ?",
        arguments: [id]
      ).map(Self.entry)
    }
  }

  /// The other posts in the mention's thread (the same thread id, or replies linked either way),
  /// oldest first, including muted ones: the organisation's own answers are muted (S11).
  public func thread(of mention: Mention, limit: Int = 50) throws -> [QueueEntry] {
    try pool.read { db in
      var threadKey = mention.thread
      if threadKey == nil, let parent = mention.inReplyTo {
        threadKey = try String.fetchOne(
          db, sql: "SELECT thread FROM mentions WHERE platform = ? AND external_id = ?",
          arguments: [mention.platform, parent])
      }
      // One indexed lookup per link (an OR over three columns would scan the platform's rows).
      var links = """
        SELECT id FROM mentions WHERE platform = :platform AND in_reply_to = :external
        UNION SELECT id FROM mentions WHERE platform = :platform AND external_id = :parent
        """
      var args: [String: DatabaseValueConvertible?] = [
        "platform": mention.platform, "id": mention.id, "external": mention.externalID,
        "parent": mention.inReplyTo,
      ]
      if let threadKey {
        links += "\nUNION SELECT id FROM mentions WHERE platform = :platform AND thread = :thread"
        args["thread"] = threadKey
      }
      let sql = """
        SELECT \(Self.entryColumns) FROM mentions m JOIN authors a ON a.id = m.author_id
        WHERE m.id IN (\(links)) AND m.id != :id ORDER BY m.created_at, m.id LIMIT :limit
        """
      args["limit"] = limit
      return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)).map(Self.entry)
    }
  }

  /// The author of a mention: whether watched, how many mentions, and what they wrote before it.
  ///
  /// Earlier means created before the mention (at the same moment: stored before it), whatever
  /// order the posts were stored in: a post written after the one shown is not its history.
  public func author(of mention: Mention, earlier limit: Int = 5) throws -> AuthorRecord {
    try pool.read { db in
      let authorID =
        try Int64.fetchOne(db, sql: "SELECT author_id FROM mentions WHERE id = ?", arguments: [mention.id])
        ?? -1
      let watched =
        try Bool.fetchOne(db, sql: "SELECT 1 FROM watched_authors WHERE author_id = ?", arguments: [authorID])
        ?? false
      let count =
        try Int.fetchOne(db, sql: "SELECT count(*) FROM mentions WHERE author_id = ?", arguments: [authorID])
        ?? 0
      let before = "(m.created_at < :at OR (m.created_at = :at AND m.id < :id))"
      let args: StatementArguments = [
        "author": authorID, "at": mention.createdAt.epochMilliseconds, "id": mention.id, "limit": limit,
      ]
      let earlier = try Row.fetchAll(
        db,
        sql: """
          SELECT \(Self.mentionColumns) FROM mentions m JOIN authors a ON a.id = m.author_id
          WHERE m.author_id = :author AND \(before) ORDER BY m.created_at DESC, m.id DESC LIMIT :limit
          """, arguments: args
      ).map(Self.mention)
      // Both counts from `mentions_by_author (author_id, created_at, category)` alone.
      let counts = try Row.fetchOne(
        db,
        sql: """
          SELECT count(*), count(*) FILTER (WHERE m.category = 'complaint') FROM mentions m
          WHERE m.author_id = :author AND \(before)
          """, arguments: args)
      return AuthorRecord(
        platform: mention.platform, author: mention.author, watched: watched, mentionCount: count,
        earlier: earlier, earlierCount: counts?[0] ?? 0, earlierComplaints: counts?[1] ?? 0)
    }
  }

  /// The team's notes on a mention, oldest first.
  public func notes(mentionID: Int64) throws -> [NoteRecord] {
    try pool.read { db in
      try Row.fetchAll(
        db, sql: "SELECT id, at, author, text FROM notes WHERE mention_id = ? ORDER BY id",
        arguments: [mentionID]
      ).map { NoteRecord(id: $0[0], at: Date(epochMilliseconds: $0[1]), author: $0[2], text: $0[3]) }
    }
  }

  /// The escalations of a mention, with their notes.
  public func escalations(mentionID: Int64) throws -> [EscalationRecord] {
    try pool.read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT id, mention_id, reason, state, owner, created_at, created_by, repeats FROM escalations
          WHERE mention_id = ? ORDER BY id
          """, arguments: [mentionID]
      ).map { row in
        let id: Int64 = row[0]
        let notes = try Row.fetchAll(
          db, sql: "SELECT id, at, author, text FROM escalation_notes WHERE escalation_id = ? ORDER BY id",
          arguments: [id]
        ).map { NoteRecord(id: $0[0], at: Date(epochMilliseconds: $0[1]), author: $0[2], text: $0[3]) }
        return EscalationRecord(
          id: id, mentionID: row[1], reason: row[2], state: row[3], owner: row[4],
          createdAt: Date(epochMilliseconds: row[5]), createdBy: row[6], notes: notes, count: row[7])
      }
    }
  }

  /// Whether a mention reopens a conversation: an earlier post in its thread (not the
  /// organisation's own) was replied to or closed with a no-reply decision by the team.
  public func reopensConversation(_ mention: Mention) throws -> Bool {
    guard mention.thread != nil || mention.inReplyTo != nil else { return false }
    return try thread(of: mention).contains { other in
      other.mention.createdAt <= mention.createdAt
        && (other.mention.status == .replied || other.mention.status == .noReply)
    }
  }

  /// The most urgent open mention nobody has claimed: its offset in the queue under `query`
  /// (no cherry-picking), or nil when there is none in the first `scan` rows.
  public func firstUnclaimed(_ query: QueueQuery, now: Date, scan: Int = 5000) throws -> (
    offset: Int, id: Int64
  )? {
    var offset = 0
    let page = 500
    while offset < scan {
      let rows = try queue(query, limit: page, offset: offset, now: now)
      if let index = rows.firstIndex(where: {
        $0.claimedBy == nil && ($0.mention.status == .open || $0.mention.status == .holding)
      }) {
        return (offset + index, rows[index].mention.id)
      }
      if rows.count < page { return nil }
      offset += page
    }
    return nil
  }
}

extension SQLiteStore {
  /// The highest mention id stored.
  public func newestMentionID() throws -> Int64 {
    try pool.read { try Int64.fetchOne($0, sql: "SELECT max(id) FROM mentions") ?? 0 }
  }

  /// How many queue mentions (not muted) have an id above `id`.
  public func arrivals(after id: Int64) throws -> Int {
    try pool.read {
      try Int.fetchOne($0, sql: "SELECT count(*) FROM mentions WHERE id > ? AND muted = 0", arguments: [id])
        ?? 0
    }
  }
}

extension SQLiteStore {
  /// Records that the organisation replied outside Repute (the outbox comes with the replies
  /// issue): the mention leaves the clock as replied. Used by the demo and by imports.
  public func markReplied(ids: [Int64], actor: String) throws {
    let now = clock.now().epochMilliseconds
    try pool.write { db in
      for id in ids {
        try db.execute(
          sql: """
            UPDATE mentions SET status = 'replied', due_at = NULL, snoozed_until = NULL, snoozed_from = NULL
            WHERE id = ?
            """, arguments: [id])
        guard db.changesCount == 1 else { throw ActionError.noSuchMention(id) }
        try appendEvent(db, at: now, actor: actor, action: "replied_elsewhere", mentionID: id, detail: nil)
        try Self.closeSettledOverdue(db, mentionID: id, now: now)
      }
    }
  }

  /// The id of a mention by its platform and the platform's id.
  public func mentionID(platform: String, externalID: String) throws -> Int64? {
    try pool.read {
      try Int64.fetchOne(
        $0, sql: "SELECT id FROM mentions WHERE platform = ? AND external_id = ?",
        arguments: [platform, externalID])
    }
  }
}

// MARK: - The search index

extension SQLiteStore {
  /// Adds up to `limit` mentions not yet in the full-text index, oldest first, in one short
  /// transaction; returns how many. Safe from any process: the high-water mark moves with them.
  @discardableResult
  public func indexSearch(limit: Int = 20_000) throws -> Int {
    try pool.write { db in
      let upto =
        try Int64.fetchOne(
          db, sql: "SELECT CAST(value AS INTEGER) FROM store_meta WHERE key = 'search_indexed_upto'") ?? 0
      guard
        let last = try Int64.fetchOne(
          db, sql: "SELECT max(id) FROM (SELECT id FROM mentions WHERE id > ? ORDER BY id LIMIT ?)",
          arguments: [upto, limit])
      else { return 0 }
      try db.execute(
        sql: """
          INSERT INTO mention_search (rowid, text, handle)
          SELECT m.id, m.text, a.handle FROM mentions m JOIN authors a ON a.id = m.author_id
          WHERE m.id > ? AND m.id <= ? ORDER BY m.id
          """, arguments: [upto, last])
      let added = db.changesCount
      try db.execute(
        sql: "UPDATE store_meta SET value = ? WHERE key = 'search_indexed_upto'", arguments: [String(last)])
      return added
    }
  }

  /// How many mentions wait to be added to the full-text index.
  public func searchBacklog() throws -> Int {
    try pool.read { db in
      let upto =
        try Int64.fetchOne(
          db, sql: "SELECT CAST(value AS INTEGER) FROM store_meta WHERE key = 'search_indexed_upto'") ?? 0
      return try Int.fetchOne(db, sql: "SELECT count(*) FROM mentions WHERE id > ?", arguments: [upto]) ?? 0
    }
  }
}

extension SQLiteStore {
  /// The newest mention id and event id: they move with every ingest and every action.
  public func contentMark() throws -> [Int64] {
    try pool.read { db in
      [
        try Int64.fetchOne(db, sql: "SELECT max(id) FROM mentions") ?? 0,
        try Int64.fetchOne(db, sql: "SELECT max(id) FROM events") ?? 0,
      ]
    }
  }
}

/// Segment sizes of the queue, remembered for a second while the store is unchanged.
final class SegmentCounts: @unchecked Sendable {
  static let shared = SegmentCounts()
  private let lock = NSLock()
  private var entries: [String: (size: Int, token: Int64, at: Int64)] = [:]

  func get(_ key: String, token: Int64, now: Int64) -> Int? {
    lock.lock()
    defer { lock.unlock() }
    guard let e = entries[key], e.token == token, abs(now - e.at) < 1000 else { return nil }
    return e.size
  }

  func set(_ key: String, _ size: Int, token: Int64, now: Int64) {
    lock.lock()
    defer { lock.unlock() }
    if entries.count > 64 { entries.removeAll() }
    entries[key] = (size, token, now)
  }
}

/// How many of a filter's rows are on the clock (the first two segments) and off it (the last),
/// as the last count found them, while the store's content is unchanged (`contentMark`: new
/// mentions or events, not index upkeep). A part with none is skipped by the windows; the first
/// two are only skipped together, since the clock moves rows from the second to the first.
final class SegmentHints: @unchecked Sendable {
  static let shared = SegmentHints()
  private let lock = NSLock()
  private var entries: [String: (mark: [Int64], onClock: Int, offClock: Int)] = [:]

  func set(_ key: String, mark: [Int64], onClock: Int, offClock: Int) {
    lock.lock()
    defer { lock.unlock() }
    if entries.count > 64 { entries.removeAll() }
    entries[key] = (mark, onClock, offClock)
  }

  /// The segments known to hold none of the filter's rows.
  func empty(_ key: String, mark: [Int64]) -> Set<Int> {
    lock.lock()
    defer { lock.unlock() }
    guard let e = entries[key], e.mark == mark else { return [] }
    var result: Set<Int> = []
    if e.onClock == 0 { result.formUnion([0, 1]) }
    if e.offClock == 0 { result.insert(2) }
    return result
  }
}

extension SQLiteStore {
  static func hintKey(_ path: String, _ q: QueueQuery) -> String {
    let parts = [
      q.categories.map(\.rawValue).sorted(), q.statuses.map(\.rawValue).sorted(),
      q.clocks.map(\.rawValue).sorted(), q.platforms.sorted(), [q.search ?? ""],
    ]
    return path + "|" + parts.map { $0.joined(separator: ",") }.joined(separator: "|")
  }
}

import Foundation
import GRDB
import Inbox
import Policy

/// The team's figures from what the store keeps at write time (v23b, issue 17): the open queue
/// from the running totals, the shares from `figure_hours`, each with the few rows whose state
/// moves with time read from their indexes; response times from the answered mentions alone. A
/// report under a team's writes reads no scan of the mentions that arrived in the period.
extension SQLiteStore {
  /// The figures at `now`: open per category and clock; the share within target for mentions that
  /// arrived since `today` and in the 7 days before `now`; response times since `since`; volume
  /// per hour over the 24 hours before `now`.
  public func teamFigures(now: Date, today: Date, since: Date) throws -> TeamFigures {
    let at = now.epochMilliseconds
    return try pool.read { db in
      var f = TeamFigures(now: now, since: since)
      // Open, holding and snoozed, by category and clock (the same rules as `Deadlines.clock`; a
      // snoozed mention is off the clock until its target passes: a snooze never hides it).
      f.open = try Self.openByClock(db, now: at)
      let weekAgo = at - 7 * 86_400_000
      let from = since.epochMilliseconds
      let week = try Self.windowShares(db, from: weekAgo, now: at)
      let period = from == weekAgo ? week : try Self.windowShares(db, from: from, now: at)
      f.today = try Self.windowShares(db, from: today.epochMilliseconds, now: at).all
      f.week = week.all
      f.period = period.all
      f.followUpWeek = week.followUp
      f.followUpPeriod = period.followUp
      for (key, share) in period.byCategory {
        guard let c = Category(rawValue: key) else { continue }
        f.periodByCategory[c] = share
      }
      // Who answered, and how fast: only the answered mentions are read (`mentions_answered`).
      for row in try Row.fetchAll(
        db,
        sql: """
          SELECT first_response_by,
            count(*) FILTER (WHERE first_response_at <= first_response_due_at),
            count(*) FILTER (WHERE first_response_at > first_response_due_at)
          FROM mentions INDEXED BY mentions_answered
          WHERE created_at >= ? AND created_at <= ? AND first_response_at IS NOT NULL
            AND first_response_due_at IS NOT NULL
          GROUP BY 1
          """, arguments: [from, at])
      {
        f.shareByResponder[(row[0] as String?) ?? "?"] = TargetShare(within: row[1], late: row[2])
      }
      // Response times: first response minus arrival, for mentions that arrived in the period.
      var byCategory: [Category: [Double]] = [:]
      var byResponder: [String: [Double]] = [:]
      var all: [Double] = []
      let rows = try Row.fetchCursor(
        db,
        sql: """
          SELECT category, first_response_by, first_response_at - created_at FROM mentions
          INDEXED BY mentions_answered
          WHERE created_at >= ? AND created_at <= ? AND first_response_at IS NOT NULL
          """, arguments: [from, at])
      while let row = try rows.next() {
        let seconds = Double(row[2] as Int64) / 1000
        all.append(seconds)
        if let c = (row[0] as String?).flatMap(Category.init(rawValue:)) {
          byCategory[c, default: []].append(seconds)
        }
        byResponder[(row[1] as String?) ?? "?", default: []].append(seconds)
      }
      f.overall = ResponseTimes(all)
      f.byCategory = byCategory.mapValues(ResponseTimes.init)
      f.byResponder = byResponder.mapValues(ResponseTimes.init)
      // Volume per hour, the 24 hours before now: one count per hour's range of the index, not
      // one GROUP BY over the day, which sorted every arrival of the day to group them (issue 17:
      // at 28,800 arrivals a day the sort was half of this read's CPU).
      let first = at - 24 * 3_600_000
      let perHour = try db.cachedStatement(
        sql: """
          SELECT count(*) FROM mentions INDEXED BY mentions_by_created
          WHERE created_at >= ? AND created_at < ? AND muted = 0
          """)
      f.hourly = try (0..<24).map { hour in
        let start = first + Int64(hour) * 3_600_000
        return try Int.fetchOne(perHour, arguments: [start, start + 3_600_000]) ?? 0
      }
      return f
    }
  }
}

// MARK: - The supervisor's boards

extension SQLiteStore {
  /// Mentions past their active target (first response or follow-up), most overdue first.
  public func overdueBoard(now: Date, limit: Int = 100) throws -> [QueueEntry] {
    try pool.read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT \(Self.entryColumns) FROM mentions m INDEXED BY mentions_by_due
          JOIN authors a ON a.id = m.author_id
          WHERE m.due_at IS NOT NULL AND m.muted = 0 AND m.due_at <= ?
            AND NOT (m.status = 'open' AND coalesce(m.earliest_reply_at > ?, 0))
          ORDER BY m.due_at, m.id LIMIT ?
          """, arguments: [now.epochMilliseconds, now.epochMilliseconds, limit]
      ).map(Self.entry)
    }
  }

  /// How many mentions are past their active target, from the deadline index alone (as the status
  /// line counts them: a mention still cooling is not overdue), counting at most `cap + 1`.
  public func overdueCount(now: Date, cap: Int = 10_000) throws -> Int {
    try pool.read { db in
      try Int.fetchOne(
        db,
        sql: """
          SELECT count(*) FROM (SELECT 1 FROM mentions INDEXED BY mentions_by_due
            WHERE due_at IS NOT NULL AND muted = 0 AND due_at <= ? AND NOT coalesce(earliest_reply_at > ?, 0)
            LIMIT ?)
          """, arguments: [now.epochMilliseconds, now.epochMilliseconds, cap + 1]) ?? 0
    }
  }

  /// Mentions that got a holding reply (S12) and wait for their follow-up, soonest due first.
  public func holdingBoard(limit: Int = 100) throws -> [QueueEntry] {
    try pool.read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT \(Self.entryColumns) FROM mentions m INDEXED BY mentions_by_status
          JOIN authors a ON a.id = m.author_id
          WHERE m.status = 'holding' AND m.muted = 0
          ORDER BY coalesce(m.follow_up_due_at, m.due_at), m.id LIMIT ?
          """, arguments: [limit]
      ).map(Self.entry)
    }
  }

  /// The watched authors (S8), most recently active first, each with their latest mentions.
  public func watchedAuthors(latest: Int = 2, limit: Int = 50) throws -> [WatchedAuthorEntry] {
    try pool.read { db in
      let rows = try Row.fetchAll(
        db,
        sql: """
          SELECT a.id, a.platform, a.handle, a.name, a.followers, w.since, w.watched_by,
            (SELECT count(*) FROM mentions m WHERE m.author_id = a.id),
            (SELECT max(created_at) FROM mentions m WHERE m.author_id = a.id) AS last
          FROM watched_authors w JOIN authors a ON a.id = w.author_id
          ORDER BY last DESC LIMIT ?
          """, arguments: [limit])
      return try rows.map { row in
        let authorID: Int64 = row[0]
        let mentions = try Row.fetchAll(
          db,
          sql: """
            SELECT \(Self.mentionColumns) FROM mentions m JOIN authors a ON a.id = m.author_id
            WHERE m.author_id = ? ORDER BY m.created_at DESC, m.id DESC LIMIT ?
            """, arguments: [authorID, latest]
        ).map(Self.mention)
        // Others reacting: replies to any of the author's posts, and others' posts in their threads.
        let reactions =
          try Int.fetchOne(
            db,
            sql: """
              SELECT count(*) FROM (
                SELECT r.id FROM mentions own JOIN mentions r
                  ON r.platform = own.platform AND r.in_reply_to = own.external_id
                WHERE own.author_id = :a AND r.author_id != :a AND r.muted = 0
                UNION
                SELECT t.id FROM mentions own JOIN mentions t
                  ON t.platform = own.platform AND t.thread = own.thread
                WHERE own.author_id = :a AND own.thread IS NOT NULL AND t.author_id != :a AND t.muted = 0
                  AND t.created_at > own.created_at)
              """, arguments: ["a": authorID]) ?? 0
        let followers: Int64? = row[4]
        return WatchedAuthorEntry(
          platform: row[1],
          author: Author(handle: row[2], name: row[3], followers: followers.map { Int($0) }),
          since: Date(epochMilliseconds: row[5]), watchedBy: row[6], mentionCount: row[7], latest: mentions,
          reactions: reactions)
      }
    }
  }
}

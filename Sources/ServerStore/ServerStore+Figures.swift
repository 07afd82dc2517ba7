import Foundation
import Inbox
import Policy
import PostgresNIO

/// The team's figures on the server, from what the store keeps at write time (migration 8, as
/// the SQLite store's v23b): the open queue from `figure_open`, the shares from `figure_hours`,
/// each with the few rows whose state moves with time read from their indexes; response times
/// from the answered mentions alone (`mentions_answered`). All on one snapshot, as a SQLite read.
extension ServerStore {
  /// The figures at `now`: open per category and clock; the share within target for mentions that
  /// arrived since `today` and in the 7 days before `now`; response times since `since`; volume
  /// per hour over the 24 hours before `now`.
  public func teamFigures(now: Date, today: Date, since: Date) throws -> TeamFigures {
    let at = now.epochMilliseconds
    let from = since.epochMilliseconds
    let startOfToday = today.epochMilliseconds
    return try read(timeout: 120) { session in
      try await session.snapshot { session in
        var f = TeamFigures(now: now, since: since)
        f.open = try await ServerFigureSQL.openByClock(session, now: at)
        let weekAgo = at - 7 * 86_400_000
        let week = try await ServerFigureSQL.windowShares(session, from: weekAgo, now: at)
        let period =
          from == weekAgo ? week : try await ServerFigureSQL.windowShares(session, from: from, now: at)
        f.today = try await ServerFigureSQL.windowShares(session, from: startOfToday, now: at).all
        f.week = week.all
        f.period = period.all
        f.followUpWeek = week.followUp
        f.followUpPeriod = period.followUp
        for (key, share) in period.byCategory {
          guard let c = Category(rawValue: key) else { continue }
          f.periodByCategory[c] = share
        }
        try await Self.responses(session, from: from, now: at, into: &f)
        f.hourly = try await Self.hourly(session, now: at)
        return f
      }
    }
  }

  /// Who answered and how fast, for the mentions that arrived in [from, now]: only the answered
  /// mentions are read (`mentions_answered`, a partial index no new mention enters).
  private static func responses(_ session: ServerSession, from: Int64, now: Int64, into f: inout TeamFigures)
    async throws
  {
    for (responder, share) in try await session.decoded(
      """
      SELECT first_response_by,
        count(*) FILTER (WHERE first_response_at <= first_response_due_at),
        count(*) FILTER (WHERE first_response_at > first_response_due_at)
      FROM mentions
      WHERE created_at >= $1 AND created_at <= $2 AND first_response_at IS NOT NULL
        AND first_response_due_at IS NOT NULL
      GROUP BY 1
      """, binds: .of(from, now),
      { r in
        (
          try r[0].decode(String?.self) ?? "?",
          TargetShare(within: try r[1].decode(Int.self), late: try r[2].decode(Int.self))
        )
      })
    {
      f.shareByResponder[responder] = share
    }
    // Response times: first response minus arrival, for mentions that arrived in the period, as
    // the median and the 90th percentile of each group: ranked on the server, so only the few
    // values at those ranks travel, not every answered mention of the period.
    var picked: [String: [String: (n: Int, at: [Int: Int64])]] = [:]
    for (kind, key, n, rank, millis) in try await session.decoded(
      """
      WITH answered AS (
        SELECT category, coalesce(first_response_by, '?') AS responder, first_response_at - created_at AS ms
        FROM mentions WHERE created_at >= $1 AND created_at <= $2 AND first_response_at IS NOT NULL),
      ranked AS (
        SELECT 'all' AS kind, '' AS key, ms, row_number() OVER (ORDER BY ms) AS rn, count(*) OVER () AS n
        FROM answered
        UNION ALL
        SELECT 'category', category, ms, row_number() OVER (PARTITION BY category ORDER BY ms),
          count(*) OVER (PARTITION BY category)
        FROM answered WHERE category IS NOT NULL
        UNION ALL
        SELECT 'responder', responder, ms, row_number() OVER (PARTITION BY responder ORDER BY ms),
          count(*) OVER (PARTITION BY responder)
        FROM answered)
      SELECT kind, key, n, rn, ms FROM ranked
      WHERE rn = n / 2 + 1 OR (n % 2 = 0 AND rn = n / 2)
        OR rn = greatest(1, least(n, ceil(0.9::float8 * n)::bigint))
      """, binds: .of(from, now),
      { r in
        (
          try r[0].decode(String.self), try r[1].decode(String.self), try r[2].decode(Int.self),
          try r[3].decode(Int.self), try r[4].decode(Int64.self)
        )
      })
    {
      picked[kind, default: [:]][key, default: (n, [:])].at[rank] = millis
    }
    func times(_ group: (n: Int, at: [Int: Int64])) -> ResponseTimes {
      ResponseTimes(ranked: group.n) { rank in Double(group.at[rank] ?? 0) / 1000 }
    }
    f.overall = picked["all"]?[""].map(times) ?? ResponseTimes()
    for (key, group) in picked["category"] ?? [:] {
      if let c = Category(rawValue: key) { f.byCategory[c] = times(group) }
    }
    f.byResponder = (picked["responder"] ?? [:]).mapValues(times)
  }

  /// Arrivals (not muted) per hour, the 24 hours before `now`, oldest first: a day's range of the
  /// arrival index, counted in one statement.
  private static func hourly(_ session: ServerSession, now: Int64) async throws -> [Int] {
    var hourly = Array(repeating: 0, count: 24)
    let first = now - 24 * 3_600_000
    for (hour, n) in try await session.decoded(
      """
      SELECT (created_at - $1) / 3600000, count(*) FROM mentions
      WHERE created_at >= $1 AND created_at < $2 AND NOT muted GROUP BY 1
      """, binds: .of(first, now), { (try $0[0].decode(Int.self), try $0[1].decode(Int.self)) })
    where (0..<24).contains(hour) {
      hourly[hour] = n
    }
    return hourly
  }
}

// MARK: - The supervisor's boards

extension ResponseTimes {
  /// The median and the 90th percentile of `count` durations from the values at the ranks they
  /// need (1-based, ascending), with the same arithmetic as `init(_:)` over all of them.
  init(ranked count: Int, _ value: (Int) -> Double) {
    guard count > 0 else {
      self.init()
      return
    }
    let mid = count / 2
    let rank = Int((0.9 * Double(count)).rounded(.up))
    self.init(
      count: count, median: count % 2 == 1 ? value(mid + 1) : (value(mid) + value(mid + 1)) / 2,
      p90: value(max(1, min(count, rank))))
  }
}

extension ServerStore {
  /// Mentions past their active target (first response or follow-up), most overdue first; a
  /// mention still cooling off is not overdue.
  public func overdueBoard(now: Date, limit: Int) throws -> [QueueEntry] {
    let at = now.epochMilliseconds
    return try read { session in
      try await Self.records(
        session,
        """
        SELECT \(ServerQueueSQL.entryColumns) FROM mentions m JOIN authors a ON a.id = m.author_id
        WHERE m.due_at IS NOT NULL AND NOT m.muted AND m.due_at <= $1
          AND NOT (m.status = 'open' AND coalesce(m.earliest_reply_at > $1, false))
        ORDER BY m.due_at, m.id LIMIT $2
        """, binds: .of(at, Int64(limit)), ServerRows.entry)
    }
  }

  /// Mentions that got a holding reply (S12) and wait for their follow-up, soonest due first.
  public func holdingBoard(limit: Int) throws -> [QueueEntry] {
    try read { session in
      try await Self.records(
        session,
        """
        SELECT \(ServerQueueSQL.entryColumns) FROM mentions m JOIN authors a ON a.id = m.author_id
        WHERE m.status = 'holding' AND NOT m.muted
        ORDER BY coalesce(m.follow_up_due_at, m.due_at), m.id LIMIT $1
        """, binds: .of(Int64(limit)), ServerRows.entry)
    }
  }

  /// The watched authors (S8), most recently active first, each with their latest mentions and
  /// how many posts of others react to them (replies to theirs, later posts in their threads).
  public func watchedAuthors(latest: Int, limit: Int) throws -> [WatchedAuthorEntry] {
    try read { session in
      try await session.snapshot { session in
        let authors = try await session.decoded(
          """
          SELECT a.id, a.platform, a.handle, a.name, a.followers, w.since, w.watched_by,
            (SELECT count(*) FROM mentions m WHERE m.author_id = a.id),
            (SELECT max(created_at) FROM mentions m WHERE m.author_id = a.id) AS last
          FROM watched_authors w JOIN authors a ON a.id = w.author_id
          ORDER BY last DESC NULLS LAST, a.id LIMIT $1
          """, binds: .of(Int64(limit))
        ) { r in
          (
            id: try r[0].decode(Int64.self), platform: try r[1].decode(String.self),
            author: Author(
              handle: try r[2].decode(String.self), name: try r[3].decode(String?.self),
              followers: try r[4].decode(Int?.self)),
            since: Date(epochMilliseconds: try r[5].decode(Int64.self)),
            watchedBy: try r[6].decode(String.self),
            count: try r[7].decode(Int.self)
          )
        }
        var out: [WatchedAuthorEntry] = []
        for author in authors {
          let mentions = try await Self.records(
            session,
            """
            SELECT \(Self.mentionColumns) FROM mentions m JOIN authors a ON a.id = m.author_id
            WHERE m.author_id = $1 ORDER BY m.created_at DESC, m.id DESC LIMIT $2
            """, binds: .of(author.id, Int64(latest)), Self.mention)
          let reactions =
            try await session.one(
              """
              SELECT count(*) FROM (
                SELECT r.id FROM mentions own JOIN mentions r
                  ON r.platform = own.platform AND r.in_reply_to = own.external_id
                WHERE own.author_id = $1 AND r.author_id <> $1 AND NOT r.muted
                UNION
                SELECT t.id FROM mentions own JOIN mentions t
                  ON t.platform = own.platform AND t.thread = own.thread
                WHERE own.author_id = $1 AND own.thread IS NOT NULL AND t.author_id <> $1 AND NOT t.muted
                  AND t.created_at > own.created_at) AS reacting
              """, binds: .of(author.id), as: Int.self) ?? 0
          out.append(
            WatchedAuthorEntry(
              platform: author.platform, author: author.author, since: author.since,
              watchedBy: author.watchedBy,
              mentionCount: author.count, latest: mentions, reactions: reactions))
        }
        return out
      }
    }
  }
}

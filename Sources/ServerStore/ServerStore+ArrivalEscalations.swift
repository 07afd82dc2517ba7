import Foundation
import Inbox
import Policy
import PostgresNIO

/// The escalations new mentions raise on arrival, as `SQLiteStore.raiseOnArrival` raises them:
/// the reasons each carries by itself, then a repeat complainer (k complaints within d days, the
/// folded repeats counted with their first post). A post repeating an escalated one (the same
/// author and text within the hour) is counted on that escalation instead, with an
/// `escalation_repeat` event. Every escalation raised is an `escalate` event by the policy.
extension ArrivalWork {
  /// An escalation this batch raises, or an earlier one it counts a repeat on.
  enum Target: Hashable {
    case stored(Int64)
    case raised(Int)
  }

  /// An escalation the batch raises.
  struct Raised {
    var mention: New
    var reason: EscalationReason
    var detail: String?
  }

  /// The batch's escalations worked out in order: what to insert, what to count, what to log.
  struct EscalationPlan {
    var raised: [Raised] = []
    var repeats: [Target: Int] = [:]
    var repeatOrder: [Target] = []
    var log: [(action: String, target: Target, reason: EscalationReason, mentionID: Int64)] = []
    /// Open escalations stored before the batch on a post repeated by an arrival: by the arrival's
    /// place among `arrivals` and the reason, the earliest one.
    var earlier: [Int: [String: Int64]] = [:]

    /// Raises `reason` for `arrival` (its place `n`), unless it repeats an escalated post; true
    /// when raised.
    mutating func raise(_ arrival: New, at n: Int, reason: EscalationReason, detail: String?) -> Bool {
      let target: Target? =
        earlier[n]?[reason.rawValue].map(Target.stored)
        ?? raised.indices.first { i in
          let r = raised[i]
          return r.reason == reason && r.mention.id != arrival.id && r.mention.authorID == arrival.authorID
            && r.mention.text == arrival.text
            && abs(
              r.mention.mention.createdAt.epochMilliseconds - arrival.mention.createdAt.epochMilliseconds)
              < 3_600_000
        }.map(Target.raised)
      if let target {
        if repeats[target] == nil { repeatOrder.append(target) }
        repeats[target, default: 0] += 1
        log.append(("escalation_repeat", target, reason, arrival.id))
        return false
      }
      // One open escalation per mention and reason (`escalations_open_once`).
      if raised.contains(where: { $0.mention.id == arrival.id && $0.reason == reason }) { return false }
      raised.append(Raised(mention: arrival, reason: reason, detail: detail))
      log.append(("escalate", .raised(raised.count - 1), reason, arrival.id))
      return true
    }
  }

  /// Raises the escalations of the batch's new mentions (the folded ones aside); returns how many
  /// were raised and their events, in order, for the caller to append after the ingest event.
  func escalate(_ session: ServerSession, folded: [Int64: Int64], rules: Escalation?, now: Int64)
    async throws -> (raised: Int, events: [ServerStore.PlannedRow], mentions: Set<Int64>)
  {
    let arrivals = rows.filter { row in
      guard let a = row.annotation, folded[row.id] == nil, !a.muted else { return false }
      return !a.escalation.isEmpty || a.category == .complaint
    }
    if arrivals.isEmpty { return (0, [], []) }
    var plan = EscalationPlan()
    plan.earlier = try await earlierEscalations(session, arrivals)
    var raised = 0
    for (n, arrival) in arrivals.enumerated() {
      for reason in arrival.annotation!.escalation
      where plan.raise(arrival, at: n, reason: reason, detail: nil) {
        raised += 1
      }
    }
    if let rules {
      raised += try await repeatComplainers(session, arrivals, rules: rules, folded: folded, plan: &plan)
    }
    let ids = try await insert(session, plan.raised, now: now)
    func id(_ target: Target) -> Int64 {
      switch target {
      case .stored(let id): return id
      case .raised(let n): return ids[n]
      }
    }
    if !plan.repeatOrder.isEmpty {
      var binds = PostgresBindings()
      binds.append(plan.repeatOrder.map(id))
      binds.append(plan.repeatOrder.map { Int64(plan.repeats[$0]!) })
      binds.append(now)
      try await session.ingestStatement(
        """
        UPDATE escalations SET repeats = repeats + v.n, updated_at = $3
        FROM unnest($1::bigint[], $2::bigint[]) AS v(id, n) WHERE escalations.id = v.id
        """, binds: binds)
    }
    let events = plan.log.map { entry -> ServerStore.PlannedRow in
      var w = JSONWriter()
      w.int("escalation_id", id(entry.target))
      w.string("reason", entry.reason.rawValue)
      return ServerStore.PlannedRow(action: entry.action, mentionID: entry.mentionID, detail: w.finish())
    }
    return (raised, events, Set(plan.raised.map(\.mention.id)))
  }

  /// The repeat complainers among the complaints that arrived: the author's complaints within
  /// the rules' window up to the new one's time reach the rules' number, counted again without
  /// the folded repeats (`complaintsInWindowSQL` and its distinct form on SQLite). Counted per
  /// arrival on the author's index: as a join, the planner that sees thousands of arrivals hashes
  /// them and reads every complaint in the store for every batch. A new author's complaints are
  /// all among the batch's rows, and those of an author this process added earlier are among them
  /// and the posts it remembers (`before`), so theirs are counted here, as the statement would.
  private func repeatComplainers(
    _ session: ServerSession, _ arrivals: [New], rules: Escalation, folded: [Int64: Int64],
    plan: inout EscalationPlan
  ) async throws -> Int {
    let complaints = arrivals.enumerated().filter { $0.element.annotation?.category == .complaint }
    if complaints.isEmpty { return 0 }
    let verdict = EscalationRules(rules)
    let window = Int64(rules.repeatWindow.components.seconds) * 1000
    let within = DurationText.format(rules.repeatWindow)
    var byPlace: [Int: (all: Int, distinct: Int)] = [:]
    var known: [Int64: [New]] = [:]
    for row in rows where row.annotation?.category == .complaint && before(row.authorID) != nil {
      known[row.authorID, default: []].append(row)
    }
    var probed: [Int] = []
    for (k, (_, arrival)) in complaints.enumerated() {
      guard let theirs = known[arrival.authorID] else {
        probed.append(k)
        continue
      }
      let at = arrival.mention.createdAt.epochMilliseconds
      // The complaints stored before the batch (none for a new author), then the batch's.
      var count = earlierComplaints(arrival.authorID, from: at - window, to: at) ?? (0, 0)
      for c in theirs {
        let t = c.mention.createdAt.epochMilliseconds
        guard t > at - window, t <= at else { continue }
        count.all += 1
        if folded[c.id] == nil { count.distinct += 1 }
      }
      if count.all > 0 { byPlace[k] = count }
    }
    var binds = PostgresBindings()
    binds.append(probed.map { complaints[$0].element.authorID })
    binds.append(probed.map { complaints[$0].element.mention.createdAt.epochMilliseconds })
    binds.append(window)
    var counted: [(Int64, Int, Int)] = []
    if !probed.isEmpty {
      counted = try await session.rows(
        """
        SELECT n.ord, c.n_all, c.n_first
        FROM unnest($1::bigint[], $2::bigint[]) WITH ORDINALITY AS n(author_id, created_at, ord)
        CROSS JOIN LATERAL (
          SELECT count(*) AS n_all, count(*) FILTER (WHERE m.repeat_of IS NULL) AS n_first FROM mentions m
          WHERE m.author_id = n.author_id AND m.category = 'complaint'
            AND m.created_at > n.created_at - $3 AND m.created_at <= n.created_at) AS c
        WHERE c.n_all > 0
        """, binds: binds, as: (Int64, Int, Int).self)
    }
    for (ord, all, distinct) in counted { byPlace[probed[Int(ord) - 1]] = (all, distinct) }
    var raised = 0
    for (k, (n, arrival)) in complaints.enumerated() {
      guard let count = byPlace[k],
        verdict.isRepeatComplainer(category: .complaint, complaintsInWindow: count.all),
        verdict.isRepeatComplainer(category: .complaint, complaintsInWindow: count.distinct)
      else { continue }
      var w = JSONWriter()
      w.int("complaints", Int64(count.distinct))
      w.string("within", within)
      if plan.raise(arrival, at: n, reason: .repeatComplainer, detail: w.finish()) { raised += 1 }
    }
    return raised
  }

  /// Open escalations stored before the batch on an earlier post by the same author with the same
  /// text within an hour of each arrival (`repeatedEscalationSQL` on SQLite), the earliest per reason.
  /// A new author's posts are all in this batch, whose escalations are not stored yet: none; an
  /// author whose posts this process remembers is asked only when one of them may have one.
  /// The arrival's text is the one just stored for it (`New.text`), so it is sent rather than
  /// read back by id (a probe of `mentions` per arrival). The join is left to the planner: in a
  /// bulk ingest without statistics it is driven from the open escalations (a probe each), which
  /// at a million was cheaper than a probe of the author's posts per arrival (8–10 s with the read back
  /// by id, against 13 s: the arrivals outnumber the open escalations).
  private func earlierEscalations(_ session: ServerSession, _ arrivals: [New]) async throws -> [Int: [String:
    Int64]]
  {
    let probed = arrivals.indices.filter { mayHaveEscalated(arrivals[$0]) }
    if probed.isEmpty { return [:] }
    var binds = PostgresBindings()
    binds.append(probed.map { arrivals[$0].id })
    binds.append(probed.map { arrivals[$0].authorID })
    binds.append(probed.map { arrivals[$0].mention.createdAt.epochMilliseconds })
    binds.append(probed.map { arrivals[$0].text })
    let rows = try await session.rows(
      """
      SELECT n.ord, e.reason, min(e.id)
      FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[])
        WITH ORDINALITY AS n(id, author_id, created_at, text, ord)
      JOIN mentions m ON m.author_id = n.author_id AND m.created_at > n.created_at - 3600000
        AND m.created_at < n.created_at + 3600000 AND m.id <> n.id AND m.text = n.text
      JOIN escalations e ON e.mention_id = m.id AND e.state <> 'resolved'
      GROUP BY n.ord, e.reason
      """, binds: binds, as: (Int64, String, Int64).self)
    var out: [Int: [String: Int64]] = [:]
    for (ord, reason, id) in rows { out[probed[Int(ord) - 1], default: [:]][reason] = id }
    return out
  }

  /// Inserts the raised escalations in order; returns their ids in that order.
  private func insert(_ session: ServerSession, _ raised: [Raised], now: Int64) async throws -> [Int64] {
    var ids: [Int64] = []
    for chunk in raised.chunked(1000) {
      var binds = PostgresBindings()
      for r in chunk {
        binds.append(r.mention.id)
        binds.append(r.reason.rawValue)
        binds.append(Int64(r.reason.severity))
        binds.append(r.detail)
      }
      binds.append(now)
      let n = chunk.count * 4
      let inserted = try await session.values(
        """
        INSERT INTO escalations (mention_id, reason, state, created_at, created_by, updated_at, severity, detail)
        SELECT v.mention_id, v.reason, 'new', $\(n + 1), 'policy', $\(n + 1), v.severity, v.detail
        FROM (VALUES \(ServerStore.placeholders(rows: chunk.count, types: ["bigint", "text", "integer", "text"])))
          AS v(mention_id, reason, severity, detail)
        RETURNING id
        """, binds: binds, as: Int64.self)
      ids += inserted.sorted()
    }
    return ids
  }
}

import Inbox
import Policy
import PostgresNIO

/// The escalated flag of a batch's new mentions, written with their rows (issue 18). Set afterwards
/// by the escalations' trigger, each flag was an update of a row the `COPY` had just written, and of
/// every index of the table with it (the flag is in their conditions): 125 µs a flag, 4.8 s of the
/// server's time at a million generated mentions. So the batch guesses, before writing, which new
/// mentions the policy will escalate (`IngestPlan.guessEscalated`), inserts them flagged, and sets
/// back the few guessed wrong in its own transaction (`ServerStore.unflagUnescalated`), before
/// anybody else can see them; the trigger finds the rest already right.
extension IngestPlan {
  /// Marks the new rows the policy will most likely escalate on arrival (`ArrivalWork.escalate`):
  /// those whose own verdict names reasons (not muted), and the complaints of an author whose
  /// every post is known here (`arrivals`) that make a repeat complainer by the rules' count, the
  /// batch's complaints of the author included. Wrong only for a row the batch then folds as a
  /// repeat, or whose every reason it counts on an earlier escalation.
  mutating func guessEscalated(
    annotations: [MentionAnnotation]?, rules: Escalation?, arrivals: ArrivalAuthors
  ) {
    guard let annotations else { return }
    var complaints: [Int64: [Int64]] = [:]
    if rules != nil {
      for row in newRows where annotations[row.index].category == .complaint {
        complaints[row.authorID, default: []].append(row.mention.createdAt.epochMilliseconds)
      }
    }
    let verdict = rules.map(EscalationRules.init)
    let window = (rules?.repeatWindow.components.seconds ?? 0) * 1000
    for n in newRows.indices {
      let a = annotations[newRows[n].index]
      guard !a.muted else { continue }
      if !a.escalation.isEmpty {
        newRows[n].escalated = true
        continue
      }
      guard let verdict, a.category == .complaint, let theirs = complaints[newRows[n].authorID],
        let earlier = arrivals.earlierComplaints(
          newRows[n].authorID, from: newRows[n].mention.createdAt.epochMilliseconds - window,
          to: newRows[n].mention.createdAt.epochMilliseconds)
      else { continue }
      let at = newRows[n].mention.createdAt.epochMilliseconds
      let count = earlier.all + theirs.filter { $0 > at - window && $0 <= at }.count
      newRows[n].escalated = verdict.isRepeatComplainer(category: .complaint, complaintsInWindow: count)
    }
  }
}

extension ServerStore {
  /// Sets back the flag of the new rows inserted escalated (`IngestPlan.guessEscalated`) on which
  /// the batch raised no escalation (`escalated`: the ids of those it raised one on).
  static func unflagUnescalated(
    _ session: ServerSession, _ plan: IngestPlan, ids: [Int64], escalated: Set<Int64>
  ) async throws {
    var wrong: [Int64] = []
    for n in plan.newRows.indices where plan.newRows[n].escalated && !escalated.contains(ids[n]) {
      wrong.append(ids[n])
    }
    if wrong.isEmpty { return }
    var binds = PostgresBindings()
    binds.append(wrong)
    try await session.ingestStatement(
      "UPDATE mentions SET escalated = false WHERE id = ANY($1::bigint[]) AND escalated", binds: binds)
  }
}

/// The authors of a batch whose every post stored before it is known here: those the batch added
/// (none) and those this process added in earlier batches while nobody else wrote
/// (`IngestAuthorMemory.posts`).
struct ArrivalAuthors: Sendable {
  let fresh: Set<Int64>
  let history: IngestAuthorMemory?

  /// Every post of `author` stored before this batch, when this process knows them all: none for
  /// an author the batch added; nil when the server is to be asked.
  func before(_ author: Int64) -> [PostTrace]? {
    if fresh.contains(author) { return [] }
    return history?.posts[author]
  }

  /// The author's complaints stored before the batch within (`from`, `to`]: all, and those not
  /// folded as repeats (nil when not known here).
  func earlierComplaints(_ author: Int64, from: Int64, to: Int64) -> (all: Int, distinct: Int)? {
    guard let stored = before(author) else { return nil }
    var count = (all: 0, distinct: 0)
    for c in stored where c.complaint && c.createdAt > from && c.createdAt <= to {
      count.all += 1
      if !c.folded { count.distinct += 1 }
    }
    return count
  }
}

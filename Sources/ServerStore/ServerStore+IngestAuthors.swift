import Inbox
import PostgresNIO

/// The authors of an ingest's batches: stored or updated in one statement a batch, and remembered
/// between the batches of one process, so an author it stored or looked up already is not looked
/// up again while nobody else has written to the store.
///
/// A bulk ingest meets most authors again: at a million generated mentions, half the batches'
/// author rows are authors an earlier batch of the same run stored, each a probe of the unique
/// key on the server (the statement was 18–25 s of the server's time). The process knows their
/// ids, names and counts, and they are still true if no other writer committed since its last
/// batch: every statement that writes `authors` moves the change counter (migration 2), so the
/// counter the next batch finds, one past what the last batch left at its commit, says so. Any
/// other number (another machine's batch, a person's change, a batch of ours that failed) and
/// the batch asks the server for every author, as without the memory.
///
/// A class, used only under `ServerStore.ingestAuthors`' lock: the batch reads the dictionary and
/// the caller adds to it in place afterwards (a value lent into the batch's closure could still be
/// shared when added to, and a copy of half a million authors per batch is what it saves).
final class IngestAuthorMemory: @unchecked Sendable {
  /// An author as the store holds it after the batch.
  struct Known: Sendable {
    var id: Int64
    var name: String?
    var followers: Int64?
  }

  var authors: [AuthorKey: Known] = [:]
  /// The change counter at the commit of the batch that left `authors`; nil: nothing remembered.
  var counter: Int64?

  /// At most this many authors are remembered (a few hundred bytes each); past it, the memory
  /// starts again.
  static let limit = 1_000_000

  /// Every post of the authors this process's ingest added, by author, while nobody else wrote
  /// since (`PostTrace`, `ArrivalWork.before`); how many; at most `postLimit` (32 bytes each).
  var posts: [Int64: [PostTrace]] = [:]
  var postCount = 0
  static let postLimit = 2_000_000

  /// Forgets everything (a batch failed, or the store was written by someone else).
  func clear() {
    authors = [:]
    counter = nil
    posts = [:]
    postCount = 0
  }
}

/// What a batch found of its authors, and what the next batch of the process may remember.
struct IngestAuthors: Sendable {
  var ids: [AuthorKey: Int64] = [:]
  /// The authors added now, who have no mention stored before the batch.
  var added = Set<Int64>()
  /// Every author of the batch as the store holds it after the batch.
  var known: [AuthorKey: IngestAuthorMemory.Known] = [:]
  /// Whether the batch went on from the memory it was given (nobody wrote since): then `known`
  /// adds to it, else it replaces it.
  var continued = false
  /// The batch's new posts of the authors whose every post it knew (`ArrivalWork.traced`); nil
  /// when it edited a post stored before, whose trace would then be out of date.
  var traces: [Int64: [PostTrace]]? = [:]
}

extension ServerStore {
  /// The authors of `posts`, stored or updated: a known author takes the batch's latest name and
  /// follower count where the batch has one (as SQLite's `authorID(for:)`); a new one is added in
  /// the order the batch names them. `remembered` are authors as the store holds them now (see
  /// `IngestAuthorMemory`): one whose name and count the batch leaves as they are is not sent.
  ///
  /// One statement for the rest: each author looked up on the unique key (a probe per key), the
  /// new ones inserted in the batch's order (an id each, none drawn for a known author), the
  /// changed ones updated, and every id returned. The parts of one statement see the table as it
  /// was before it, so the lookup finds exactly the authors stored before the batch. Whether a
  /// known author changed is worked out beside its lookup, so only the changed ones are visited
  /// again by id (most of a batch's known authors have the same name and count: comparing after
  /// the update's join probed each of them a second time, 30–40 % of the statement at a million).
  static func upsertAuthors(
    _ session: ServerSession, _ wanted: WantedAuthors,
    remembered: [AuthorKey: IngestAuthorMemory.Known] = [:]
  ) async throws -> IngestAuthors {
    try await upsertAuthors(session, AuthorsToAsk(wanted, remembered: remembered))
  }

  /// As `upsertAuthors(_:_:remembered:)`, with what the memory answers worked out beforehand.
  static func upsertAuthors(_ session: ServerSession, _ toAsk: AuthorsToAsk) async throws -> IngestAuthors {
    let asked = toAsk.asked
    let latest = toAsk.latest
    var out = toAsk.answered
    if asked.isEmpty { return out }
    if asked.count >= copyThreshold {
      return try await copyAuthors(session, asked, latest: latest, into: out)
    }
    var binds = PostgresBindings()
    binds.append(asked.map(\.platform))
    binds.append(asked.map(\.handle))
    // An array bound here holds no NULL: a missing name or count is flagged beside it.
    binds.append(asked.map { latest[$0]!.name ?? "" })
    binds.append(asked.map { latest[$0]!.followers ?? 0 })
    binds.append(asked.map { latest[$0]!.name != nil })
    binds.append(asked.map { latest[$0]!.followers != nil })
    for (platform, handle, id, isNew, name, followers) in try await session.rows(
      """
      WITH v AS (
        SELECT u.platform, u.handle, CASE WHEN u.has_name THEN u.name END AS name,
          CASE WHEN u.has_followers THEN u.followers END AS followers, u.ord
        FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::boolean[], $6::boolean[])
          WITH ORDINALITY AS u(platform, handle, name, followers, has_name, has_followers, ord)),
      known AS (
        SELECT v.ord, v.platform, v.handle, a.id, coalesce(v.name, a.name) AS name,
          coalesce(v.followers, a.followers) AS followers,
          (coalesce(v.name, a.name), coalesce(v.followers, a.followers)) IS DISTINCT FROM (a.name, a.followers)
            AS differs
        FROM v
        CROSS JOIN LATERAL (
          SELECT id, name, followers FROM authors WHERE platform = v.platform AND handle = v.handle LIMIT 1) AS a),
      added AS (
        INSERT INTO authors (platform, handle, name, followers)
        SELECT v.platform, v.handle, v.name, v.followers FROM v
        WHERE NOT EXISTS (SELECT 1 FROM known WHERE known.ord = v.ord)
        ORDER BY v.ord
        RETURNING platform, handle, id, name, followers),
      changed AS (
        UPDATE authors SET name = known.name, followers = known.followers
        FROM known WHERE known.differs AND authors.id = known.id)
      SELECT platform, handle, id, false, name, followers FROM known
      UNION ALL
      SELECT platform, handle, id, true, name, followers FROM added
      """, binds: binds, as: (String, String, Int64, Bool, String?, Int64?).self)
    {
      let key = AuthorKey(platform: platform, handle: handle)
      out.ids[key] = id
      out.known[key] = IngestAuthorMemory.Known(id: id, name: name, followers: followers)
      if isNew { out.added.insert(id) }
    }
    return out
  }
}

/// A batch's authors split by what the process remembers (`IngestAuthorMemory`): those remembered
/// and left as they are, answered already, and the rest, to ask the server about in the batch's
/// order. Worked out beside the batch's first statements (`ServerStore.write`).
struct AuthorsToAsk: Sendable {
  var asked: [AuthorKey] = []
  var latest: [AuthorKey: WantedAuthors.Latest]
  var answered = IngestAuthors()

  init(_ wanted: WantedAuthors, remembered: [AuthorKey: IngestAuthorMemory.Known]) {
    latest = wanted.latest
    answered.ids.reserveCapacity(wanted.order.count)
    // Remembered and left as they are: nothing to ask or write.
    for key in wanted.order {
      let latest = wanted.latest[key]!
      guard let known = remembered[key], (latest.name ?? known.name) == known.name,
        (latest.followers ?? known.followers) == known.followers
      else {
        asked.append(key)
        continue
      }
      answered.ids[key] = known.id
      answered.known[key] = known
    }
  }
}

import Foundation
import GRDB
import Inbox
import Policy

extension SQLiteStore {
  /// The policy in force: the newest applied version (nil only on a store nobody set up yet).
  public func currentPolicy() throws -> StoredPolicy? {
    try pool.read { db in
      try Row.fetchOne(
        db, sql: "SELECT version, source, applied_at, applied_by FROM policies ORDER BY version DESC LIMIT 1"
      ).map {
        StoredPolicy(
          version: $0[0], source: $0[1], appliedAt: Date(epochMilliseconds: $0[2]), appliedBy: $0[3])
      }
    }
  }

  /// Installs `source` as version 1 when the store has no policy yet (a new store starts with the
  /// default policy). Two processes racing here install it once.
  public func installPolicyIfMissing(source: String, actor: String) throws {
    let now = clock.now().epochMilliseconds
    try pool.write { db in
      let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM policies") ?? 0
      guard count == 0 else { return }
      try db.execute(
        sql: "INSERT INTO policies (version, source, applied_at, applied_by) VALUES (1, ?, ?, ?)",
        arguments: [source, now, actor])
      try appendEvent(
        db, at: now, actor: actor, action: "policy_installed", mentionID: nil, detail: #"{"version":1}"#)
    }
  }

  /// Makes `source` the store's policy and recomputes the category and deadlines of every open
  /// mention with it; a responder's manual category stays. Returns the new version and how many
  /// mentions were recomputed.
  ///
  /// The new version is written first, in its own transaction, so every process picks it up at
  /// once; the recomputation follows in short batches, so nobody waits behind it.
  ///
  /// `replacing`: the version the caller's rights were checked against (who may apply a policy
  /// depends on the one in force); when another was applied meanwhile, nothing changes and
  /// `InboxError.invalidArgument` is thrown, so no one acts on a roster no longer in force.
  @discardableResult
  public func applyPolicy(
    source: String, actor: String, annotator: any MentionAnnotator, replacing expected: Int64? = nil
  ) throws -> (
    version: Int64, recomputed: Int
  ) {
    let now = clock.now().epochMilliseconds
    let version: Int64 = try pool.write { db in
      let current = try Int64.fetchOne(db, sql: "SELECT max(version) FROM policies") ?? 0
      if let expected, expected != current {
        throw InboxError.invalidArgument(
          "policy version \(current) was applied meanwhile (you checked against \(expected)): nothing applied; try again"
        )
      }
      let next = current + 1
      try db.execute(
        sql: "INSERT INTO policies (version, source, applied_at, applied_by) VALUES (?, ?, ?, ?)",
        arguments: [next, source, now, actor])
      try appendEvent(
        db, at: now, actor: actor, action: "policy_applied", mentionID: nil, detail: #"{"version":\#(next)}"#)
      return next
    }
    let recomputed = try recompute(annotator: annotator)
    return (version, recomputed)
  }

  /// Re-judges every mention that is still being worked on (open, holding, snoozed, and replied
  /// with its personal follow-up still to come, S10).
  func recompute(annotator: any MentionAnnotator) throws -> Int {
    var lastID: Int64 = 0
    var total = 0
    while true {
      let rows = try pool.read { db in
        try Row.fetchAll(
          db,
          sql: """
            SELECT m.id, m.platform, m.external_id, m.url, a.handle, a.name, a.followers, m.created_at,
              m.text, m.lang, m.in_reply_to, m.thread, m.staff, m.raw, m.status, m.category_source,
              m.category, m.snoozed_from, m.follow_up_due_at, m.first_response_at
            FROM mentions m JOIN authors a ON a.id = m.author_id
            WHERE m.id > ? AND (m.status IN ('open', 'holding', 'snoozed')
              OR (m.status = 'replied' AND m.follow_up_due_at IS NOT NULL))
            ORDER BY m.id LIMIT 5000
            """,
          arguments: [lastID])
      }
      guard let last = rows.last else { return total }
      lastID = last[0]
      // Judge outside the write lock; write the verdicts in one short transaction.
      let verdicts = rows.map { row -> (Int64, MentionAnnotation, Targets) in
        let followers: Int64? = row[6]
        let incoming = IncomingMention(
          platform: row[1], externalID: row[2], url: row[3],
          author: Author(handle: row[4], name: row[5], followers: followers.map { Int($0) }),
          createdAt: Date(epochMilliseconds: row[7]), text: row[8], lang: row[9], inReplyTo: row[10],
          thread: row[11], staff: row[12], raw: row[13])
        var verdict = annotator.annotate(incoming)
        var category = verdict.category
        if (row[15] as String?) == "manual",
          let manual = (row[16] as String?).flatMap(Category.init(rawValue:))
        {
          // A responder's category stays, and its deadlines follow it.
          verdict.deadlines = annotator.deadlines(category: manual, arrival: incoming.createdAt)
          category = manual
        }
        let status = MentionStatus(rawValue: row[14]) ?? .open
        // A snoozed mention keeps the target of the status it came from (a snooze never hides it).
        let phase = Self.phase(status: status, snoozedFrom: row[17])
        let answered = (row[19] as Int64?).map(Date.init(epochMilliseconds:))
        let follow = Self.followUp(
          phase: phase,
          pending: (row[18] as Int64?).map(Date.init(epochMilliseconds:)), answeredAt: answered,
          window: { annotator.followUpDeadline(category: category, firstResponseAt: $0) })
        let first = verdict.deadlines.firstResponse
        let earliest = verdict.deadlines.earliestReply.map { Self.earliest($0, answeredAt: answered) }
        let due: Date? =
          switch phase {
          case .open: first
          case .holding, .replied: follow
          case .noReply, .snoozed: nil
          }
        return (row[0], verdict, Targets(earliest: earliest, follow: follow, due: due))
      }
      try pool.write { db in
        let update = try db.cachedStatement(
          sql: """
            UPDATE mentions SET
              category = CASE WHEN category_source = 'manual' THEN category ELSE :category END,
              category_source = CASE WHEN category_source = 'manual' THEN 'manual' ELSE 'policy' END,
              confidence = :confidence, signals = :signals, muted = :muted,
              detected_lang = CASE WHEN lang IS NULL THEN :lang END,
              earliest_reply_at = :earliest, first_response_due_at = :first,
              follow_up_due_at = :follow, due_at = :due
            WHERE id = :id
            """)
        for (id, a, t) in verdicts {
          try update.execute(arguments: [
            "category": a.category.rawValue, "confidence": a.confidence, "signals": a.signals.text,
            "muted": a.muted, "lang": a.detectedLang,
            "earliest": t.earliest?.epochMilliseconds,
            "first": a.deadlines.firstResponse?.epochMilliseconds,
            "follow": t.follow?.epochMilliseconds, "due": t.due?.epochMilliseconds, "id": id,
          ])
        }
      }
      total += rows.count
    }
  }
}

/// A re-judged mention's targets: its earliest reply, follow-up and the active one (`due_at`).
struct Targets {
  var earliest: Date?
  var follow: Date?
  var due: Date?
}

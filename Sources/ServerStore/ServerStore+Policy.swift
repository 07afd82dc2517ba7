import Foundation
import Inbox
import Policy
import PostgresNIO

/// The policy in force on the server, as `SQLiteStore+Policy` keeps it in a file: each applied
/// version a row of `policies` with its `policy_installed` / `policy_applied` event, the newest in
/// force. Writes take the writers' turn, so two supervisors applying at once on two machines get
/// two versions, or one refusal, never one number twice.
extension ServerStore: PolicyStore {
  public func currentPolicy() throws -> StoredPolicy? {
    try read { session in
      try await session.rows(
        "SELECT version, source, applied_at, applied_by FROM policies ORDER BY version DESC LIMIT 1",
        as: (Int64, String, Int64, String).self
      ).first.map { version, source, at, by in
        StoredPolicy(version: version, source: source, appliedAt: Date(epochMilliseconds: at), appliedBy: by)
      }
    }
  }

  public func installPolicyIfMissing(source: String, actor: String) throws {
    let now = nowMilliseconds
    try write { session in
      let count = try await session.values("SELECT count(*) FROM policies", as: Int64.self).first ?? 0
      guard count == 0 else { return }
      try await session.execute(
        "INSERT INTO policies (version, source, applied_at, applied_by) VALUES (1, $1, $2, $3)",
        .of(source, now, actor))
      try await Self.writeTeam(session, source: source)
      try await session.appendEvent(
        at: now, actor: actor, action: "policy_installed", mentionID: nil, detail: #"{"version":1}"#)
    }
  }

  /// Makes `source` the store's policy and recomputes the open mentions' verdicts, as on SQLite:
  /// the version in its own transaction first (every process picks it up at once), then the
  /// mentions in short batches. `replacing`: the version the caller's rights were checked against;
  /// another applied meanwhile refuses with `InboxError.invalidArgument`, nothing changed.
  @discardableResult
  public func applyPolicy(
    source: String, actor: String, annotator: any MentionAnnotator, replacing expected: Int64?
  ) throws -> (version: Int64, recomputed: Int) {
    let now = nowMilliseconds
    let version: Int64 = try write { session in
      let current =
        try await session.values("SELECT coalesce(max(version), 0) FROM policies", as: Int64.self).first ?? 0
      if let expected, expected != current {
        throw InboxError.invalidArgument(
          "policy version \(current) was applied meanwhile (you checked against \(expected)): nothing applied; try again"
        )
      }
      let next = current + 1
      try await session.execute(
        "INSERT INTO policies (version, source, applied_at, applied_by) VALUES ($1, $2, $3, $4)",
        .of(next, source, now, actor))
      // The new roster before the event: the server records it under the applier's name in it.
      try await Self.writeTeam(session, source: source)
      try await session.appendEvent(
        at: now, actor: actor, action: "policy_applied", mentionID: nil, detail: #"{"version":\#(next)}"#)
      return next
    }
    return (version, try recompute(annotator: annotator))
  }

  /// The mentions a new policy re-judges, a batch at a time: those still being worked on (open,
  /// holding, snoozed, and replied with the personal follow-up still to come, S10).
  static let recomputeBatch = 5000

  /// Re-judges every mention still being worked on: judged here, between two short statements
  /// (a read of a batch, one `UPDATE … FROM unnest(…)` of its verdicts), so no lock is held while
  /// the classifier runs.
  func recompute(annotator: any MentionAnnotator) throws -> Int {
    var lastID: Int64 = 0
    var total = 0
    while true {
      let after = lastID
      let rows = try read(timeout: 120) { session in
        try await session.rows(
          """
          SELECT m.id, m.platform, m.external_id, m.url, a.handle, a.name, a.followers, m.created_at,
            m.text, m.lang, m.in_reply_to, m.thread, m.staff, m.raw, m.status, m.category_source,
            m.category, m.snoozed_from, m.follow_up_due_at, m.first_response_at
          FROM mentions m JOIN authors a ON a.id = m.author_id
          WHERE m.id > $1 AND (m.status IN ('open', 'holding', 'snoozed')
            OR (m.status = 'replied' AND m.follow_up_due_at IS NOT NULL))
          ORDER BY m.id LIMIT $2
          """, binds: .of(after, Self.recomputeBatch),
          as: RecomputeRow.self)
      }
      guard let last = rows.last else { return total }
      lastID = last.0
      let verdicts = Verdicts(rows.map { Self.verdict(for: $0, annotator: annotator) })
      try write(timeout: 120) { session in
        try await session.execute(
          """
          UPDATE mentions m SET
            category = CASE WHEN m.category_source = 'manual' THEN m.category ELSE v.category END,
            category_source = CASE WHEN m.category_source = 'manual' THEN 'manual' ELSE 'policy' END,
            confidence = v.confidence, signals = v.signals, muted = v.muted,
            detected_lang = CASE WHEN m.lang IS NULL THEN nullif(v.lang, '') END,
            earliest_reply_at = nullif(v.earliest, $10), first_response_due_at = nullif(v.first, $10),
            follow_up_due_at = nullif(v.follow, $10), due_at = nullif(v.due, $10)
          FROM unnest($1::bigint[], $2::text[], $3::float8[], $4::text[], $5::bool[], $6::text[],
            $7::bigint[], $8::bigint[], $9::bigint[], $11::bigint[])
            AS v(id, category, confidence, signals, muted, lang, earliest, first, follow, due)
          WHERE m.id = v.id
          """, verdicts.binds)
      }
      total += rows.count
    }
  }

  typealias RecomputeRow = (
    Int64, String, String, String?, String, String?, Int64?, Int64, String, String?, String?, String?,
    Bool, String, String, String?, String?, String?, Int64?, Int64?
  )

  /// One mention's new verdict and targets, as `SQLiteStore.recompute` works them out.
  static func verdict(for row: RecomputeRow, annotator: any MentionAnnotator) -> Verdict {
    let incoming = IncomingMention(
      platform: row.1, externalID: row.2, url: row.3,
      author: Author(handle: row.4, name: row.5, followers: row.6.map { Int($0) }),
      createdAt: Date(epochMilliseconds: row.7), text: row.8, lang: row.9, inReplyTo: row.10,
      thread: row.11, staff: row.12, raw: row.13)
    var verdict = annotator.annotate(incoming)
    var category = verdict.category
    if row.15 == "manual", let manual = row.16.flatMap(Category.init(rawValue:)) {
      // A responder's category stays, and its deadlines follow it.
      verdict.deadlines = annotator.deadlines(category: manual, arrival: incoming.createdAt)
      category = manual
    }
    let status = MentionStatus(rawValue: row.14) ?? .open
    // A snoozed mention keeps the target of the status it came from (a snooze never hides it).
    let phase = Retargeting.phase(status: status, snoozedFrom: row.17)
    let answered = row.19.map(Date.init(epochMilliseconds:))
    let follow = Retargeting.followUp(
      phase: phase, pending: row.18.map(Date.init(epochMilliseconds:)), answeredAt: answered,
      window: { annotator.followUpDeadline(category: category, firstResponseAt: $0) })
    let first = verdict.deadlines.firstResponse
    let earliest = verdict.deadlines.earliestReply.map { Retargeting.earliest($0, answeredAt: answered) }
    let due: Date? =
      switch phase {
      case .open: first
      case .holding, .replied: follow
      case .noReply, .snoozed: nil
      }
    return Verdict(id: row.0, annotation: verdict, earliest: earliest, follow: follow, due: due)
  }

  struct Verdict {
    var id: Int64
    var annotation: MentionAnnotation
    var earliest: Date?
    var follow: Date?
    var due: Date?
  }

  /// A batch of verdicts as the arrays of one `UPDATE … FROM unnest(…)`. The driver binds no array
  /// with NULLs in it, so a missing time is `Verdicts.none` (no real millisecond) and a missing
  /// language the empty text, both turned back into NULL by `nullif` in the statement.
  struct Verdicts {
    static let none = Int64.min
    let binds: PostgresBindings

    init(_ verdicts: [Verdict]) {
      func ms(_ date: Date?) -> Int64 { date?.epochMilliseconds ?? Self.none }
      var binds = PostgresBindings(capacity: 11)
      binds.append(verdicts.map(\.id))
      binds.append(verdicts.map(\.annotation.category.rawValue))
      binds.append(verdicts.map(\.annotation.confidence))
      binds.append(verdicts.map(\.annotation.signals.text))
      binds.append(verdicts.map(\.annotation.muted))
      binds.append(verdicts.map { $0.annotation.detectedLang ?? "" })
      binds.append(verdicts.map { ms($0.earliest) })
      binds.append(verdicts.map { ms($0.annotation.deadlines.firstResponse) })
      binds.append(verdicts.map { ms($0.follow) })
      binds.append(Self.none)
      binds.append(verdicts.map { ms($0.due) })
      self.binds = binds
    }
  }
}

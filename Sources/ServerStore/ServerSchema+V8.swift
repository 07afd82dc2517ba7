/// Migration 8 on the server: the team's figures from a summary kept at write time (issue 17's
/// rule on PostgreSQL), the counterpart of the SQLite store's v23b.
///
/// `figure_hours` holds, per hour of arrival and category (`''`: none), what each mention adds to
/// the report's shares in states that do not move with time (the columns of
/// `ServerFigureSummary.columns`); `figure_open` the open, holding and snoozed mentions (not
/// muted) per category, on a clock or off it, from which the open queue by clock is read. Both are
/// kept by statement-level triggers with transition tables on `mentions`, one per event (a
/// trigger with transition tables takes one event): a statement adds what its new rows bring and
/// takes away what its old rows brought, in one aggregate per statement, so ingest's batch of
/// thousands of rows costs one grouped insert, and every writer (ingest, `repute migrate`'s COPY,
/// the domain's writes, `psql`) keeps them true. The migration builds both from the rows a store
/// already has.
extension ServerSchema {
  static let version8: [String] =
    [
      """
      CREATE TABLE figure_hours (
        hour bigint NOT NULL, category text NOT NULL,
        \(ServerFigureSummary.columns.map { "\($0.name) bigint NOT NULL" }.joined(separator: ", ")),
        PRIMARY KEY (hour, category))
      """,
      """
      CREATE TABLE figure_open (
        category text NOT NULL, clocked boolean NOT NULL, n bigint NOT NULL, PRIMARY KEY (category, clocked))
      """,
      ServerFigureSummary.addHours(from: [("mentions", 1)]),
      ServerFigureSummary.addOpen(from: [("mentions", 1)]),
    ]
    + figureTrigger("insert", referencing: "NEW TABLE AS new_rows", [("new_rows", 1)])
    + figureTrigger(
      "update", referencing: "OLD TABLE AS old_rows NEW TABLE AS new_rows",
      [("new_rows", 1), ("old_rows", -1)])
    + figureTrigger("delete", referencing: "OLD TABLE AS old_rows", [("old_rows", -1)])

  /// The function and the statement trigger that move the summary for one event on `mentions`,
  /// from the rows of its transition tables (`sources`, each with the sign its rows count with).
  private static func figureTrigger(
    _ event: String, referencing: String, _ sources: [(table: String, sign: Int)]
  ) -> [String] {
    [
      """
      CREATE FUNCTION figures_on_\(event)() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $b$
      BEGIN
        \(ServerFigureSummary.addHours(from: sources));
        \(ServerFigureSummary.addOpen(from: sources));
        RETURN NULL;
      END $b$
      """,
      """
      CREATE TRIGGER figures_on_\(event) AFTER \(event.uppercased()) ON mentions REFERENCING \(referencing)
        FOR EACH STATEMENT EXECUTE FUNCTION figures_on_\(event)()
      """,
    ]
  }
}

/// What one mention adds to `figure_hours` and `figure_open` (migration 8), as SQL on a row named
/// by a prefix (`m.`, `r.`, or none): the report's conditions split into the parts that do not
/// depend on the moment of the report, as the SQLite store's `FigureSummary` has them.
enum ServerFigureSummary {
  struct Column: Sendable {
    var name: String
    var condition: @Sendable (String) -> String
    /// 0 or 1 for the row `p` (a NULL condition counts 0).
    func sql(_ p: String) -> String { "((\(condition(p))) IS TRUE)::int" }
  }

  static let hourMs: Int64 = 3_600_000

  /// The hour of arrival: `created_at` divided by an hour, rounded down (also before 1970).
  static func hour(_ p: String) -> String {
    "CASE WHEN \(p)created_at >= 0 THEN \(p)created_at / 3600000 ELSE (\(p)created_at + 1) / 3600000 - 1 END"
  }

  /// A first-response target counts when set and the mention is not muted; a no-reply decision
  /// without a response is closed without reply.
  static func target(_ p: String) -> String { "NOT \(p)muted AND \(p)first_response_due_at IS NOT NULL" }
  static func closed(_ p: String) -> String { "(\(p)status = 'no_reply' AND \(p)first_response_at IS NULL)" }
  static func followUp(_ p: String) -> String {
    "NOT \(p)muted AND (\(p)follow_up_due_at IS NOT NULL OR \(p)follow_up_answered_due_at IS NOT NULL)"
  }
  /// Waiting for a follow-up: late once `follow_up_due_at` passed, pending before.
  static func followUpWaiting(_ p: String) -> String {
    "NOT \(p)muted AND \(p)follow_up_due_at IS NOT NULL AND \(p)status IN ('holding', 'replied', 'snoozed')"
  }

  static let columns: [Column] = [
    Column(name: "arrived") { "NOT \($0)muted" },
    Column(name: "fr_within") {
      "\(target($0)) AND \($0)first_response_at IS NOT NULL AND \($0)first_response_at <= \($0)first_response_due_at"
    },
    Column(name: "fr_late") { "\(target($0)) AND \($0)first_response_at > \($0)first_response_due_at" },
    // Late once `first_response_due_at` passed, pending before.
    Column(name: "fr_waiting") { "\(target($0)) AND \($0)first_response_at IS NULL AND NOT \(closed($0))" },
    Column(name: "fr_closed") { "\(target($0)) AND \(closed($0))" },
    Column(name: "fu_within") {
      "\(followUp($0)) AND \($0)follow_up_at IS NOT NULL AND \($0)follow_up_at <= \($0)follow_up_answered_due_at"
    },
    Column(name: "fu_late") { "\(followUp($0)) AND \($0)follow_up_at > \($0)follow_up_answered_due_at" },
    Column(name: "fu_waiting") { followUpWaiting($0) },
  ]

  /// Counted in `figure_open`: open, holding or snoozed, not muted.
  static func open(_ p: String) -> String {
    "NOT \(p)muted AND \(p)status IN ('open', 'holding', 'snoozed')"
  }

  /// The per-hour sums of the rows of `sources` (a table and the sign its rows count with), by
  /// hour and category, as `SELECT hour, category, arrived, …`; only groups that change anything.
  static func hours(from sources: [(table: String, sign: Int)]) -> String {
    let parts = sources.map { table, sign in
      let values = columns.map { (sign < 0 ? "-" : "") + $0.sql("r.") }.joined(separator: ", ")
      return "SELECT \(hour("r.")) AS hour, coalesce(r.category, '') AS category, \(values) FROM \(table) r"
    }
    let names = columns.map(\.name)
    return """
      SELECT hour, category, \(names.map { "sum(\($0))" }.joined(separator: ", "))
      FROM (\(parts.joined(separator: " UNION ALL "))) AS d (hour, category, \(names.joined(separator: ", ")))
      GROUP BY 1, 2 HAVING \(names.map { "sum(\($0)) <> 0" }.joined(separator: " OR ")) ORDER BY 1, 2
      """
  }

  /// Adds what the rows of `sources` bring (or take away) to `figure_hours`.
  static func addHours(from sources: [(table: String, sign: Int)]) -> String {
    let names = columns.map(\.name)
    return """
      INSERT INTO figure_hours (hour, category, \(names.joined(separator: ", ")))
      \(hours(from: sources))
      ON CONFLICT (hour, category) DO UPDATE SET
        \(names.map { "\($0) = figure_hours.\($0) + excluded.\($0)" }.joined(separator: ", "))
      """
  }

  /// Adds what the rows of `sources` bring (or take away) to `figure_open`.
  static func addOpen(from sources: [(table: String, sign: Int)]) -> String {
    let parts = sources.map { table, sign in
      """
      SELECT coalesce(r.category, ''), r.due_at IS NOT NULL, \(sign) FROM \(table) r WHERE \(open("r."))
      """
    }
    return """
      INSERT INTO figure_open (category, clocked, n)
      SELECT category, clocked, sum(n) FROM (\(parts.joined(separator: " UNION ALL "))) AS d (category, clocked, n)
      GROUP BY 1, 2 HAVING sum(n) <> 0 ORDER BY 1, 2
      ON CONFLICT (category, clocked) DO UPDATE SET n = figure_open.n + excluded.n
      """
  }
}

import GRDB

extension Schema {
  /// v23a (issue 17): ingest adds a batch's running totals once, not a trigger per mention.
  ///
  /// A trigger on `INSERT INTO mentions` makes every insert a statement that writes more than one
  /// row, so SQLite opens a statement journal for it inside the batch's transaction and copies each
  /// page the insert touches (ten or so 16 KiB pages: the row and its indexes) into it first; past
  /// 64 KiB that journal is a temporary file. That per-row copy, not the totals' arithmetic, made a
  /// million-mention ingest 4.3 times sqlite3's `.import` (docs/benchmarks-log.md). Updates and
  /// deletes keep their triggers: they change one mention per statement.
  static let batchTotalsSQL = """
    DROP TRIGGER queue_totals_on_insert;
    """

  /// v23b (issue 17): the team's figures from a summary kept at write time, not a scan.
  ///
  /// `figure_hours` holds, per hour of arrival and category, what each mention adds to the
  /// report's shares in states that do not move with time: arrived (not muted); first responses
  /// within and past the target, waiting for one, closed without reply; follow-ups answered within
  /// and past their target, and waiting. What moves with time (a waiting mention turns late when
  /// its target passes) is read from indexes of the few targets still ahead. Ingest adds a batch
  /// at once (`SQLiteStore.addToFigures`, no trigger per inserted row, see v23a); every later
  /// update and delete moves the mention's contribution by trigger. The migration builds it from
  /// the rows a store already has.
  static var figureSummarySQL: String {
    let columns = FigureSummary.columns
    let names = columns.map(\.name)
    func values(_ p: String) -> String {
      ([FigureSummary.hour(p), "coalesce(\(p)category, '')"] + columns.map { $0.sql(p) })
        .joined(separator: ", ")
    }
    let minus = columns.map { "\($0.name) = \($0.name) - \($0.sql("OLD."))" }.joined(separator: ", ")
    let whereOld = "hour = \(FigureSummary.hour("OLD.")) AND category = coalesce(OLD.category, '')"
    return """
      CREATE TABLE figure_hours (
        hour INTEGER NOT NULL, category TEXT NOT NULL,
        \(names.map { "\($0) INTEGER NOT NULL" }.joined(separator: ", ")),
        PRIMARY KEY (hour, category)) STRICT, WITHOUT ROWID;
      INSERT INTO figure_hours \(FigureSummary.aggregate(where: "true"));
      CREATE TRIGGER figure_hours_on_update AFTER UPDATE OF
        \(FigureSummary.readColumns.joined(separator: ", ")) ON mentions
        BEGIN
          UPDATE figure_hours SET \(minus) WHERE \(whereOld);
          INSERT INTO figure_hours VALUES (\(values("NEW."))) \(FigureSummary.addUp);
        END;
      CREATE TRIGGER figure_hours_on_delete AFTER DELETE ON mentions
        BEGIN
          UPDATE figure_hours SET \(minus) WHERE \(whereOld);
        END;
      CREATE INDEX mentions_answered ON mentions (created_at) WHERE first_response_at IS NOT NULL;
      CREATE INDEX mentions_awaiting_first ON mentions (first_response_due_at)
        WHERE first_response_at IS NULL AND first_response_due_at IS NOT NULL;
      CREATE INDEX mentions_awaiting_follow_up ON mentions (follow_up_due_at)
        WHERE follow_up_due_at IS NOT NULL AND status IN ('holding', 'replied', 'snoozed');
      """
  }
}

/// What one mention adds to `figure_hours` (v23b), as SQL on a row named by a prefix (`m.`,
/// `OLD.`, `NEW.`, or none): the report's conditions (as `teamFiguresByScan` in the tests counts them,
/// row by row) split into the parts that do not depend on the moment of the report.
enum FigureSummary {
  struct Column: Sendable {
    var name: String
    var condition: @Sendable (String) -> String
    /// 0 or 1 for the row `p`.
    func sql(_ p: String) -> String { "coalesce(\(condition(p)), 0)" }
  }

  /// The hour of arrival: `created_at` divided by an hour, rounded down (also before 1970).
  static func hour(_ p: String) -> String {
    "CASE WHEN \(p)created_at >= 0 THEN \(p)created_at / 3600000 ELSE (\(p)created_at + 1) / 3600000 - 1 END"
  }

  static let hourMs: Int64 = 3_600_000

  /// A first-response target counts when set and the mention is not muted; a no-reply decision
  /// without a response is closed without reply.
  static func target(_ p: String) -> String {
    "\(p)muted = 0 AND \(p)first_response_due_at IS NOT NULL"
  }
  static func closed(_ p: String) -> String {
    "(\(p)status = 'no_reply' AND \(p)first_response_at IS NULL)"
  }
  static func followUp(_ p: String) -> String {
    "\(p)muted = 0 AND (\(p)follow_up_due_at IS NOT NULL OR \(p)follow_up_answered_due_at IS NOT NULL)"
  }
  /// Waiting for a follow-up: late once `follow_up_due_at` passed, pending before.
  static func followUpWaiting(_ p: String) -> String {
    "\(p)muted = 0 AND \(p)follow_up_due_at IS NOT NULL AND \(p)status IN ('holding', 'replied', 'snoozed')"
  }

  static let columns: [Column] = [
    Column(name: "arrived") { "\($0)muted = 0" },
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

  /// The summary's rows for the mentions `condition` selects, summed per hour and category.
  static func aggregate(where condition: String) -> String {
    let sums = columns.map { "sum(\($0.sql("")))" }.joined(separator: ", ")
    return """
      SELECT \(hour("")), coalesce(category, ''), \(sums) FROM mentions WHERE \(condition) GROUP BY 1, 2
      """
  }

  /// Adding rows to the summary: `INSERT INTO figure_hours SELECT … ` then this.
  static var addUp: String {
    "ON CONFLICT DO UPDATE SET "
      + columns.map { "\($0.name) = \($0.name) + excluded.\($0.name)" }
      .joined(separator: ", ")
  }

  /// The columns of `mentions` the conditions read: an update of any other leaves the summary be.
  static let readColumns = [
    "created_at", "category", "muted", "status", "first_response_due_at", "first_response_at",
    "follow_up_due_at", "follow_up_answered_due_at", "follow_up_at",
  ]
}

import GRDB

extension Schema {
  /// v29 (issue 17): the running totals also by language and by the open-escalation flag, so the
  /// counts of the views a team shows on every inbox's status line (the policy's "Klachten NL",
  /// `category:complaint lang:nl`; "Escalaties", `escalated`) are read from a few rows instead of
  /// counted again after every commit elsewhere: at 200,000 mentions those two counts were 40 % of
  /// an open inbox's CPU while others wrote.
  ///
  /// The language is the filter word's expression (`lower(coalesce(lang, detected_lang))`, '' for
  /// none) and the flag is v28's `escalated`. The table is built again from the rows; its triggers
  /// follow the two new columns. Ingest adds a batch's new rows itself (`addToTotals`, v23a).
  static let totalsByLanguageSQL = """
    DROP TRIGGER queue_totals_on_delete;
    DROP TRIGGER queue_totals_on_update;
    DROP TABLE queue_totals;
    CREATE TABLE queue_totals (
      platform TEXT NOT NULL, category TEXT NOT NULL, status TEXT NOT NULL, muted INTEGER NOT NULL,
      clocked INTEGER NOT NULL, lang TEXT NOT NULL, escalated INTEGER NOT NULL, n INTEGER NOT NULL,
      PRIMARY KEY (platform, category, status, muted, clocked, lang, escalated)) STRICT, WITHOUT ROWID;
    INSERT INTO queue_totals
      SELECT \(totalsKey("")), count(*) FROM mentions GROUP BY \(totalsKey(""));
    CREATE TRIGGER queue_totals_on_delete AFTER DELETE ON mentions
      BEGIN
        UPDATE queue_totals SET n = n - 1 WHERE \(totalsMatch("OLD."));
      END;
    CREATE TRIGGER queue_totals_on_update AFTER UPDATE OF
        platform, category, status, muted, due_at, lang, detected_lang, escalated ON mentions
      WHEN OLD.platform IS NOT NEW.platform OR OLD.category IS NOT NEW.category
        OR OLD.status IS NOT NEW.status OR OLD.muted IS NOT NEW.muted
        OR (OLD.due_at IS NULL) IS NOT (NEW.due_at IS NULL)
        OR \(totalsLang("OLD.")) IS NOT \(totalsLang("NEW.")) OR OLD.escalated IS NOT NEW.escalated
      BEGIN
        UPDATE queue_totals SET n = n - 1 WHERE \(totalsMatch("OLD."));
        INSERT INTO queue_totals VALUES (\(totalsKey("NEW.")), 1) ON CONFLICT DO UPDATE SET n = n + 1;
      END;
    """

  /// A mention's language as the totals keep it: the filter word's expression, '' for none.
  static func totalsLang(_ p: String) -> String { "lower(coalesce(\(p)lang, \(p)detected_lang, ''))" }

  /// The totals' key of a mention (`p`: its prefix, "" in a query over `mentions`).
  static func totalsKey(_ p: String) -> String {
    "\(p)platform, coalesce(\(p)category, ''), \(p)status, \(p)muted, \(p)due_at IS NOT NULL, "
      + "\(totalsLang(p)), \(p)escalated"
  }

  /// The totals' row of a mention.
  private static func totalsMatch(_ p: String) -> String {
    """
    platform = \(p)platform AND category = coalesce(\(p)category, '') AND status = \(p)status
      AND muted = \(p)muted AND clocked = (\(p)due_at IS NOT NULL) AND lang = \(totalsLang(p))
      AND escalated = \(p)escalated
    """
  }
}

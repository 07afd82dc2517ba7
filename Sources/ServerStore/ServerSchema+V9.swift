/// Migration 9 on the server: the queue's running totals (SQLite's `queue_totals`, v20 and v29).
///
/// How many mentions there are by platform, category, status, muting, whether a clock runs,
/// language (the filter word's expression, '' for none) and the open-escalation flag, so the
/// unfiltered count, the status line's tally and the views' counts read a few rows instead of
/// counting the table (about 80 ms at 100 k). Kept by triggers in the writing transaction, so every
/// writer keeps them true, `repute migrate`'s `COPY` included:
///
/// - inserting and deleting: one statement-level trigger each over the statement's transition
///   table, one aggregate per statement (an ingest batch of 10,000 adds its totals once; nothing
///   runs per inserted mention, the rule of SQLite's v23a);
/// - updating: a row trigger that runs only when a row's key changes (its `WHEN` is checked without
///   calling the function), moving one mention from its old row to its new one. It takes the
///   writers' turn (the change counter's row, migration 2) before it locks a totals row, so a
///   writer that did not take the turn first cannot hold a totals row that a writer in its turn
///   waits for while it waits for the turn.
///
/// Rows whose count falls to zero stay (zero is a count like any other; readers skip them).
extension ServerSchema {
  /// The totals' key of a mention (`p`: its prefix, "" in a query over `mentions`), in the
  /// table's column order.
  static func totalsKey(_ p: String) -> String {
    "\(p)platform, coalesce(\(p)category, ''), \(p)status, \(p)muted, \(p)due_at IS NOT NULL, "
      + "\(totalsLang(p)), \(p)escalated"
  }

  /// A mention's language as the totals keep it: the filter word's expression, '' for none.
  static func totalsLang(_ p: String) -> String { "lower(coalesce(\(p)lang, \(p)detected_lang, ''))" }

  /// The totals' columns, the key's first.
  static let totalsColumns = "platform, category, status, muted, clocked, lang, escalated"

  /// The statement that builds the totals again from the rows (after a bulk load).
  static let rebuildTotals = [
    "DELETE FROM queue_totals",
    "INSERT INTO queue_totals SELECT \(totalsKey("")), count(*) FROM mentions GROUP BY \(totalsKey(""))",
  ]

  static let version9: [String] =
    [
      """
      CREATE TABLE queue_totals (
        platform text NOT NULL, category text NOT NULL, status text NOT NULL, muted boolean NOT NULL,
        clocked boolean NOT NULL, lang text NOT NULL, escalated boolean NOT NULL, n bigint NOT NULL,
        PRIMARY KEY (\(totalsColumns)))
      """,
      rebuildTotals[1],
      """
      CREATE FUNCTION queue_totals_added() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      BEGIN
        INSERT INTO queue_totals AS t
          SELECT \(totalsKey("")), count(*) FROM added GROUP BY \(totalsKey(""))
          ON CONFLICT (\(totalsColumns)) DO UPDATE SET n = t.n + excluded.n;
        RETURN NULL;
      END $$
      """,
      """
      CREATE TRIGGER mentions_totals_insert AFTER INSERT ON mentions REFERENCING NEW TABLE AS added
        FOR EACH STATEMENT EXECUTE FUNCTION queue_totals_added()
      """,
      """
      CREATE FUNCTION queue_totals_removed() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      BEGIN
        UPDATE queue_totals AS t SET n = t.n - r.n
        FROM (SELECT \(totalsKey("")), count(*) AS n FROM removed GROUP BY \(totalsKey(""))) AS r
          (\(totalsColumns), n)
        WHERE (t.platform, t.category, t.status, t.muted, t.clocked, t.lang, t.escalated)
          = (r.platform, r.category, r.status, r.muted, r.clocked, r.lang, r.escalated);
        RETURN NULL;
      END $$
      """,
      """
      CREATE TRIGGER mentions_totals_delete AFTER DELETE ON mentions REFERENCING OLD TABLE AS removed
        FOR EACH STATEMENT EXECUTE FUNCTION queue_totals_removed()
      """,
      """
      CREATE FUNCTION queue_totals_moved() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      BEGIN
        PERFORM 1 FROM change_counter FOR NO KEY UPDATE;
        UPDATE queue_totals SET n = n - 1
        WHERE (platform, category, status, muted, clocked, lang, escalated) = (\(totalsKey("OLD.")));
        INSERT INTO queue_totals AS t VALUES (\(totalsKey("NEW.")), 1)
          ON CONFLICT (\(totalsColumns)) DO UPDATE SET n = t.n + 1;
        RETURN NULL;
      END $$
      """,
      """
      CREATE TRIGGER mentions_totals_update
        AFTER UPDATE OF platform, category, status, muted, due_at, lang, detected_lang, escalated ON mentions
        FOR EACH ROW WHEN (
          OLD.platform IS DISTINCT FROM NEW.platform OR OLD.category IS DISTINCT FROM NEW.category
          OR OLD.status IS DISTINCT FROM NEW.status OR OLD.muted IS DISTINCT FROM NEW.muted
          OR (OLD.due_at IS NULL) IS DISTINCT FROM (NEW.due_at IS NULL)
          OR \(totalsLang("OLD.")) IS DISTINCT FROM \(totalsLang("NEW."))
          OR OLD.escalated IS DISTINCT FROM NEW.escalated)
        EXECUTE FUNCTION queue_totals_moved()
      """,
    ]
}

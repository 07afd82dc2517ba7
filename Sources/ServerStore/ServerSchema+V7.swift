/// Migration 7 on the server: the change feed (issue 17's `changes`, on PostgreSQL).
///
/// `changes` names, in commit order, the mentions whose row changed or went, that an event names,
/// whose drafts changed, or that a notice is about, as SQLite's triggers of v20 and v24 name them;
/// an open inbox reads the entries after its mark (`ChangeFeedStore.changedMentions`) to learn
/// which mentions to look at again. New mentions are not entries: they are the ids above the
/// newest an inbox has seen.
///
/// Written by triggers, so every writer feeds it, `psql` included: one per table and statement
/// (never per row), reading the statement's changed rows from its transition table, each id once.
/// `seq` comes from a sequence, and a sequence hands out numbers at once, not at commit: two
/// writers could commit in the other order than they numbered, and a reader between the commits
/// would step over the later-committed, lower number for good. So the trigger first takes the
/// writers' turn (the change counter's row of migration 2, which the store's writes take before
/// their first statement and every counted statement takes anyway): whoever numbers entries holds
/// it until its commit, and numbers are committed in order.
///
/// Kept small: when a statement's numbers cross a multiple of 1,024, the entries more than 16,384
/// behind are deleted (as SQLite's `changes_pruned`). An inbox whose mark is older than what is
/// left reloads everything.
extension ServerSchema {
  /// How many entries the feed keeps at least (SQLite's `Schema.changeFeedKept`).
  static let changeFeedKept = 16_384

  /// Each table's statement triggers: the event, the transition table's name, and the column that
  /// names the mention.
  private static let fed: [(table: String, event: String, rows: String, column: String)] = [
    ("mentions", "UPDATE", "NEW", "id"),
    ("mentions", "DELETE", "OLD", "id"),
    ("events", "INSERT", "NEW", "mention_id"),
    ("drafts", "INSERT", "NEW", "mention_id"),
    ("drafts", "UPDATE", "NEW", "mention_id"),
    ("drafts", "DELETE", "OLD", "mention_id"),
    ("notices", "INSERT", "NEW", "mention_id"),
  ]

  static let version7: [String] =
    [
      "CREATE SEQUENCE changes_seq AS bigint",
      """
      CREATE TABLE changes (
        seq bigint PRIMARY KEY DEFAULT nextval('changes_seq'), mention_id bigint NOT NULL)
      """,
      "ALTER SEQUENCE changes_seq OWNED BY changes.seq",
      // The entries of one statement: TG_ARGV[0] is the column naming the mention in the
      // transition table `changed`.
      """
      CREATE FUNCTION changes_feed() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $f$
      DECLARE
        added bigint;
        last bigint;
      BEGIN
        PERFORM 1 FROM change_counter FOR NO KEY UPDATE;
        EXECUTE format(
          'INSERT INTO changes (mention_id) SELECT DISTINCT %1$I FROM changed WHERE %1$I IS NOT NULL ORDER BY 1',
          TG_ARGV[0]);
        GET DIAGNOSTICS added = ROW_COUNT;
        IF added > 0 THEN
          last := currval('changes_seq');
          IF last / 1024 <> (last - added) / 1024 THEN
            DELETE FROM changes WHERE seq <= last - \(changeFeedKept);
          END IF;
        END IF;
        RETURN NULL;
      END $f$
      """,
    ]
    + fed.map { t in
      """
      CREATE TRIGGER \(t.table)_changes_on_\(t.event.lowercased()) AFTER \(t.event) ON \(t.table)
        REFERENCING \(t.rows) TABLE AS changed
        FOR EACH STATEMENT EXECUTE FUNCTION changes_feed('\(t.column)')
      """
    }
}

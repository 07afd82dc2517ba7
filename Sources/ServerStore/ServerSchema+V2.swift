/// Migration 2 on the server: the store's change counter, what `changeToken()` reads.
///
/// One row (`change_counter`) whose number goes up by one in every statement that writes a table
/// an inbox shows, from a statement-level trigger on each of migration 1's tables. It is an
/// ordinary row, so the new number is seen exactly when the transaction that wrote it commits, and
/// not before (a sequence or a max of ids is seen before the commit, or not at all when ids commit
/// out of order; see docs/DECISIONS.md, "The change token on the server"). Writers take turns on
/// the row from their first write to their commit, as writers take turns on a SQLite store.
extension ServerSchema {
  /// The tables whose writes move the counter: every table of migration 1.
  static let countedTables = [
    "store_meta", "authors", "mentions", "mention_revisions", "events", "policies", "watched_authors",
    "notes",
    "escalations", "escalation_notes", "drafts", "sources", "thread_fetches", "tombstones", "outbox",
    "notices", "views", "person_links", "person_notes", "snippets",
  ]

  static let version2: [String] =
    [
      "CREATE TABLE change_counter (one boolean PRIMARY KEY DEFAULT true CHECK (one), n bigint NOT NULL)",
      "INSERT INTO change_counter (one, n) VALUES (true, 1)",
      """
      CREATE FUNCTION change_counter_bump() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      BEGIN UPDATE change_counter SET n = n + 1; RETURN NULL; END $$
      """,
    ]
    + countedTables.map { table in
      """
      CREATE TRIGGER \(table)_change_counter AFTER INSERT OR UPDATE OR DELETE ON \(table)
        FOR EACH STATEMENT EXECUTE FUNCTION change_counter_bump()
      """
    }
}

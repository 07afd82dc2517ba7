/// Migration 5 on the server: the live change signal (issue 17's wake, on PostgreSQL).
///
/// Every statement that changes what an inbox shows notifies the channel named after the store's
/// schema (`repute` by default), which `ServerChangeSignal` listens on. One trigger per table and
/// statement, never per row: an ingest of 5,000 mentions calls `pg_notify` a handful of times, and
/// PostgreSQL delivers a transaction's notifications with the same channel and payload once, at
/// its commit (and never for a rolled-back one). A statement that changed no row still notifies:
/// the signal only says "look again", and `changeToken` decides whether anything changed.
///
/// Left out, as they change nothing an inbox shows from moment to moment: the sources' polling
/// state (every poll writes it), fetched threads, tombstones and the store's own bookkeeping.
extension ServerSchema {
  /// The tables whose changes wake an inbox.
  static let signalledTables = [
    "mentions", "mention_revisions", "events", "notes", "authors", "watched_authors", "escalations",
    "escalation_notes", "drafts", "outbox", "notices", "views", "snippets", "person_links", "person_notes",
    "policies",
  ]

  static let version5: [String] =
    [
      """
      CREATE FUNCTION notify_change() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      BEGIN PERFORM pg_notify(TG_TABLE_SCHEMA, ''); RETURN NULL; END $$
      """
    ]
    + signalledTables.map { table in
      """
      CREATE TRIGGER \(table)_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON \(table)
        FOR EACH STATEMENT EXECUTE FUNCTION notify_change()
      """
    }
}

/// Migration 11 on the server: the same search documents (migration 3) for half the server's work.
///
/// What a mention's document costs was the larger part of the server's work at ingest (issue 18's
/// budget against `psql \copy`): about 35 µs a mention, of which the regular expression that turns
/// every run of other characters into one space was about 11 and the parser, run twice (the text,
/// then the handle), most of the rest. Two changes, each giving the parser the same tokens in the
/// same places, so the documents stored before stay right and the query (`search_query`) agrees:
///
/// - `search_text` replaces only the runs of characters that are neither a letter, a digit nor a
///   space: a space is already a separator to the parser, and a blank between two tokens takes no
///   place, so `a  b` parses as `a b` does. A text of words and spaces now costs the expression one
///   scan rather than one replacement per space.
/// - `search_document` parses once: the text, then `0.5`, then the handle, and deletes `0.5`. The
///   parser gives `0.5` one place of its own (a decimal number) and no cleaned text holds a `.`,
///   so nothing else is deleted: the handle's tokens start two places after the text's last, as
///   the `' ':1` between two documents placed them.
///
/// Measured on 20,000 generated mentions in `psql` (docs/benchmarks-log.md, "Ingest on
/// PostgreSQL"): 700 ms for the documents before, 340–390 ms after, the same documents for every
/// row and for the edge cases of `Tests/ServerStoreTests` (`ServerSearchDocumentTests`).
///
/// And the escalated flag (migration 1b) is set once per statement that inserts escalations, not
/// once per row: ingest raises its batch's escalations in a few statements of hundreds of rows,
/// and each row's `UPDATE mentions` cost 0.7 ms (1.8 s of a 100 k ingest's server time), with the
/// statement triggers on `mentions` (figures, change feed) run for each. An `AFTER` row trigger
/// runs when its statement has ended and sees all of its rows, so one `UPDATE` at the end of the
/// statement that sets each named mention's flag from its escalations as they are then gives the
/// same flags. Updates and deletes keep the row trigger (a few rows each).
extension ServerSchema {
  static let version11: [String] = [
    """
    DO $do$
    DECLARE
      ext text;
      fold text;
    BEGIN
      SELECT n.nspname INTO ext FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
        WHERE e.extname = 'unaccent';
      fold := CASE WHEN EXISTS (SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu')
        THEN format('lower(%I.unaccent(x) COLLATE "und-x-icu")', ext)
        ELSE format('lower(%I.unaccent(x))', ext) END;
      EXECUTE format($f$
        CREATE OR REPLACE FUNCTION search_text(x text) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE
        RETURN regexp_replace(%s, '[^[:alnum:] ]+', ' ', 'g') $f$, fold);
    END $do$
    """,
    """
    CREATE OR REPLACE FUNCTION search_document(body text, handle text) RETURNS tsvector
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN ts_delete(to_tsvector('simple', search_text(body) || ' 0.5 ' || search_text(coalesce(handle, ''))), '0.5')
    """,
    """
    CREATE FUNCTION escalations_flag_added() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
    BEGIN
      UPDATE mentions m SET escalated = e.is_open
      FROM (
        SELECT a.mention_id, EXISTS (SELECT 1 FROM escalations x
          WHERE x.mention_id = a.mention_id AND x.state IN ('new', 'acknowledged')) AS is_open
        FROM (SELECT DISTINCT mention_id FROM added WHERE mention_id IS NOT NULL) AS a) AS e
      WHERE m.id = e.mention_id AND m.escalated IS DISTINCT FROM e.is_open;
      RETURN NULL;
    END $$
    """,
    "DROP TRIGGER escalations_flag ON escalations",
    """
    CREATE TRIGGER escalations_flag AFTER DELETE OR UPDATE OF state, mention_id ON escalations
      FOR EACH ROW EXECUTE FUNCTION escalations_flag()
    """,
    """
    CREATE TRIGGER escalations_flag_added AFTER INSERT ON escalations REFERENCING NEW TABLE AS added
      FOR EACH STATEMENT EXECUTE FUNCTION escalations_flag_added()
    """,
  ]
}

/// Migration 15 on the server: the escalated flag (migrations 1b and 11) set by a statement planned
/// for the table as it is, and found from a mention's own escalations only.
///
/// The statement trigger's `UPDATE mentions … FROM (the added escalations)` was planned once per
/// session and its plan kept (PL/pgSQL keeps the plan of a statement without parameters): an
/// ingest's first batch planned it against a `mentions` of a few thousand rows, where reading the
/// whole table and hashing it is cheapest, and every later batch read the whole table again, however
/// large it had grown. At a million generated mentions the 38,074 flags took 34–38 s of the server's
/// 124 s (docs/benchmarks-log.md, "Session 12"). Run with `EXECUTE`, it is planned at each
/// statement (a millisecond) for the rows there are: by id, a probe per flag, once the table is big.
///
/// And both flag functions asked `EXISTS (… WHERE mention_id = m AND state IN ('new',
/// 'acknowledged'))`: on a table never analysed (a bulk ingest into a new store) the planner took
/// `escalations_by_state` for selective and ANDed every open escalation into each mention's
/// answer. Written as an aggregate over the mention's escalations, only `escalations_by_mention`
/// can answer: a mention has a few. The flag is the same: true when one of them is open, false
/// when none is (or it has none).
extension ServerSchema {
  static let version15: [String] = [
    """
    CREATE OR REPLACE FUNCTION escalations_flag_added() RETURNS trigger LANGUAGE plpgsql
    SET search_path FROM CURRENT AS $$
    BEGIN
      EXECUTE $q$
        UPDATE mentions m SET escalated = e.is_open
        FROM (
          SELECT a.mention_id, coalesce((SELECT bool_or(x.state IN ('new', 'acknowledged')) FROM escalations x
            WHERE x.mention_id = a.mention_id), false) AS is_open
          FROM (SELECT DISTINCT mention_id FROM added WHERE mention_id IS NOT NULL) AS a) AS e
        WHERE m.id = e.mention_id AND m.escalated IS DISTINCT FROM e.is_open $q$;
      RETURN NULL;
    END $$
    """,
    """
    CREATE OR REPLACE FUNCTION escalations_flag() RETURNS trigger LANGUAGE plpgsql
    SET search_path FROM CURRENT AS $$
    DECLARE target bigint;
    BEGIN
      FOR target IN
        SELECT DISTINCT m FROM unnest(ARRAY[
          CASE WHEN TG_OP <> 'INSERT' THEN OLD.mention_id END,
          CASE WHEN TG_OP <> 'DELETE' THEN NEW.mention_id END]) AS m WHERE m IS NOT NULL
      LOOP
        UPDATE mentions SET escalated = e.is_open
        FROM (SELECT coalesce((SELECT bool_or(x.state IN ('new', 'acknowledged')) FROM escalations x
          WHERE x.mention_id = target), false) AS is_open) AS e
        WHERE id = target AND escalated IS DISTINCT FROM e.is_open;
      END LOOP;
      RETURN NULL;
    END $$
    """,
  ]
}

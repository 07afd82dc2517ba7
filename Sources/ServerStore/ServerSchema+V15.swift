/// Migration 15 on the server: the escalated flag (migrations 1b and 11) found from a mention's own
/// escalations only, whatever the planner knows of the table.
///
/// Both flag functions asked `EXISTS (… WHERE mention_id = m AND state IN ('new', 'acknowledged'))`.
/// On a table never analysed (a bulk ingest into a new store: autovacuum comes later, `repute
/// ingest` analyses `mentions` and `authors` at the end) the planner took `escalations_by_state`
/// for selective and answered each mention with a bitmap of every open escalation ANDed with its
/// own: each flag read all open escalations, so a batch's flags cost as many open escalations as
/// the store held. At a million generated mentions, 38,074 flags took 34 s of the server's 124 s
/// (docs/benchmarks-log.md, "Session 12"). Written as an aggregate over the mention's escalations,
/// only `escalations_by_mention` can answer: a mention has a few. The flag is the same: true when
/// one of them is open, false when none is (or it has none).
extension ServerSchema {
  static let version15: [String] = [
    """
    CREATE OR REPLACE FUNCTION escalations_flag_added() RETURNS trigger LANGUAGE plpgsql
    SET search_path FROM CURRENT AS $$
    BEGIN
      UPDATE mentions m SET escalated = e.is_open
      FROM (
        SELECT a.mention_id, coalesce((SELECT bool_or(x.state IN ('new', 'acknowledged')) FROM escalations x
          WHERE x.mention_id = a.mention_id), false) AS is_open
        FROM (SELECT DISTINCT mention_id FROM added WHERE mention_id IS NOT NULL) AS a) AS e
      WHERE m.id = e.mention_id AND m.escalated IS DISTINCT FROM e.is_open;
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

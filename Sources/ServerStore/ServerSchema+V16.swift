/// Migration 16 on the server: ingest's question about forgotten posts (`forgotten_among`,
/// migration 13) answered without sorting its keys when there is nothing to find.
///
/// `key = ANY(keys)` over the tombstones' key sorted the batch's 10,000 keys before its first
/// probe: 9–11 ms a batch on a store with no tombstone at all, 1 s of the server's time at a
/// million mentions (docs/benchmarks-log.md, "Session 14"). Now a store without tombstones answers
/// at once, and one with some joins the keys to the tombstones, which the planner may hash (12–15
/// ms at 50,000 tombstones, against 21 ms). The answer is the same: the keys among the tombstones.
extension ServerSchema {
  static let version16: [String] = [
    """
    CREATE OR REPLACE FUNCTION forgotten_among(keys text[]) RETURNS SETOF text LANGUAGE plpgsql STABLE
      SECURITY DEFINER SET search_path FROM CURRENT AS $$
    BEGIN
      IF NOT EXISTS (SELECT 1 FROM tombstones) THEN RETURN; END IF;
      RETURN QUERY SELECT DISTINCT t.key FROM unnest(keys) AS u(key) JOIN tombstones t ON t.key = u.key;
    END $$
    """
  ]
}

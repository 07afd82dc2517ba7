SET search_path TO :schema;
\set cols 'm.id, m.platform, m.external_id, m.url, a.handle, a.name, a.followers, m.created_at, m.ingested_at, m.text, m.lang, m.in_reply_to, m.thread, m.staff, m.category, m.status, m.earliest_reply_at, m.first_response_due_at, m.follow_up_due_at, m.edit_count, m.confidence, m.signals, m.detected_lang, m.category_by, m.muted, m.deleted, m.holding_since, m.first_response_at, m.snoozed_until, m.snoozed_from, m.follow_up_at, m.follow_up_answered_due_at, m.repeats, m.repeat_of, m.claimed_by, m.snoozed_until, m.no_reply_reason, m.assigned_to'
\echo '== 1. top window, segment 0 (answerable, by deadline)'
PREPARE s0(bigint, bigint, bigint) AS SELECT :cols FROM mentions m JOIN authors a ON a.id = m.author_id
  WHERE m.due_at IS NOT NULL AND (m.earliest_reply_at IS NULL OR m.earliest_reply_at <= $1) AND NOT m.muted
    AND NOT (m.status = 'snoozed' AND coalesce(m.snoozed_until, 0) > $1 AND (m.due_at IS NULL OR m.due_at > $1))
  ORDER BY m.due_at, m.id LIMIT $2 OFFSET $3;
EXPLAIN (ANALYZE, COSTS OFF, TIMING ON, SUMMARY ON) EXECUTE s0(1795512600000, 60, 0);
\echo '== 2. keyset window deep in segment 0 (after an anchor)'
PREPARE s0k(bigint, bigint, bigint, bigint) AS SELECT :cols FROM mentions m JOIN authors a ON a.id = m.author_id
  WHERE m.due_at IS NOT NULL AND (m.earliest_reply_at IS NULL OR m.earliest_reply_at <= $1) AND NOT m.muted
    AND NOT (m.status = 'snoozed' AND coalesce(m.snoozed_until, 0) > $1 AND (m.due_at IS NULL OR m.due_at > $1))
    AND (m.due_at, m.id) > ($3, $4)
  ORDER BY m.due_at, m.id LIMIT $2;
EXPLAIN (ANALYZE, COSTS OFF, SUMMARY ON) EXECUTE s0k(1795512600000, 60, 1794800000000, 1);
\echo '== 3. keyset window backwards in segment 2 (off the clock, newest first): the queue end'
PREPARE s2b(bigint, bigint) AS SELECT :cols FROM mentions m JOIN authors a ON a.id = m.author_id
  WHERE m.due_at IS NULL AND NOT m.muted
    AND NOT (m.status = 'snoozed' AND coalesce(m.snoozed_until, 0) > $1 AND (m.due_at IS NULL OR m.due_at > $1))
  ORDER BY m.created_at, m.id LIMIT $2;
EXPLAIN (ANALYZE, COSTS OFF, SUMMARY ON) EXECUTE s2b(1795512600000, 60);
\echo '== 4. a common word (trein: a sixth of the mentions) in segment 0'
PREPARE s0q(bigint, bigint, text) AS SELECT :cols FROM mentions m JOIN authors a ON a.id = m.author_id
  WHERE m.due_at IS NOT NULL AND (m.earliest_reply_at IS NULL OR m.earliest_reply_at <= $1) AND NOT m.muted
    AND NOT (m.status = 'snoozed' AND coalesce(m.snoozed_until, 0) > $1 AND (m.due_at IS NULL OR m.due_at > $1))
    AND m.search @@ $3::tsquery
  ORDER BY m.due_at, m.id LIMIT $2 OFFSET 0;
EXPLAIN (ANALYZE, COSTS OFF, SUMMARY ON) EXECUTE s0q(1795512600000, 60, '(''trein'':*)');
\echo '== 5. a rare word (one mention in a thousand) in segment 0'
EXPLAIN (ANALYZE, COSTS OFF, SUMMARY ON) EXECUTE s0q(1795512600000, 60, '(''zeldzaam'':*)');
\echo '== 6. claimed:anna (one in 97) in segment 0'
PREPARE s0c(bigint, bigint, text[]) AS SELECT :cols FROM mentions m JOIN authors a ON a.id = m.author_id
  WHERE m.due_at IS NOT NULL AND (m.earliest_reply_at IS NULL OR m.earliest_reply_at <= $1) AND NOT m.muted
    AND NOT (m.status = 'snoozed' AND coalesce(m.snoozed_until, 0) > $1 AND (m.due_at IS NULL OR m.due_at > $1))
    AND (m.claimed_by = ANY($3))
  ORDER BY m.due_at, m.id LIMIT $2 OFFSET 0;
EXPLAIN (ANALYZE, COSTS OFF, SUMMARY ON) EXECUTE s0c(1795512600000, 60, '{anna}');
\echo '== 7. queueCount, no filter'
PREPARE qc(bigint) AS SELECT count(*) FROM mentions m WHERE NOT m.muted
  AND NOT (m.status = 'snoozed' AND coalesce(m.snoozed_until, 0) > $1 AND (m.due_at IS NULL OR m.due_at > $1));
EXPLAIN (ANALYZE, COSTS OFF, SUMMARY ON) EXECUTE qc(1795512600000);
\echo '== 8. a segment count (offset window skipping segment 0)'
PREPARE c0(bigint) AS SELECT count(*) FROM mentions m WHERE m.due_at IS NOT NULL AND (m.earliest_reply_at IS NULL OR m.earliest_reply_at <= $1) AND NOT m.muted
    AND NOT (m.status = 'snoozed' AND coalesce(m.snoozed_until, 0) > $1 AND (m.due_at IS NULL OR m.due_at > $1));
EXPLAIN (ANALYZE, COSTS OFF, SUMMARY ON) EXECUTE c0(1795512600000);
\echo '== 9. tally'
EXPLAIN (ANALYZE, COSTS OFF, SUMMARY ON) SELECT status, count(*) FILTER (WHERE NOT muted) FROM mentions GROUP BY status;
PREPARE tc(bigint) AS SELECT count(*) FILTER (WHERE earliest_reply_at > $1),
  count(*) FILTER (WHERE due_at <= $1 AND (earliest_reply_at IS NULL OR earliest_reply_at <= $1))
  FROM mentions WHERE due_at IS NOT NULL AND NOT muted;
EXPLAIN (ANALYZE, COSTS OFF, SUMMARY ON) EXECUTE tc(1795512600000);
\echo '== 10. two words, trein utrecht (a thirty-sixth), in segment 2'
PREPARE s2q(bigint, bigint, text) AS SELECT :cols FROM mentions m JOIN authors a ON a.id = m.author_id
  WHERE m.due_at IS NULL AND NOT m.muted
    AND NOT (m.status = 'snoozed' AND coalesce(m.snoozed_until, 0) > $1 AND (m.due_at IS NULL OR m.due_at > $1))
    AND m.search @@ $3::tsquery
  ORDER BY m.created_at DESC, m.id DESC LIMIT $2 OFFSET 0;
EXPLAIN (ANALYZE, COSTS OFF, SUMMARY ON) EXECUTE s2q(1795512600000, 60, '(''trein'') & (''utrecht'':*)');
\echo '== 11. queueCount of a search (common word)'
PREPARE qs(bigint, text) AS SELECT count(*) FROM mentions m WHERE NOT m.muted
  AND NOT (m.status = 'snoozed' AND coalesce(m.snoozed_until, 0) > $1 AND (m.due_at IS NULL OR m.due_at > $1)) AND m.search @@ $2::tsquery;
EXPLAIN (ANALYZE, COSTS OFF, SUMMARY ON) EXECUTE qs(1795512600000, '(''trein'':*)');

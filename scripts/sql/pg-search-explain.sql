-- The search's statements (ServerStore+Queue, ServerStore+Search) under EXPLAIN (ANALYZE, BUFFERS),
-- for the four shapes of issue 18's search budget: a common word, a rare one, one without a match
-- and a prefix. psql -v schema=S -v now=MS -v common=W -v rare=W -v none=W -v prefix=W
SET search_path TO :schema;
\set cols 'm.id, m.platform, m.external_id, m.url, a.handle, a.name, a.followers, m.created_at, m.ingested_at, m.text, m.lang, m.in_reply_to, m.thread, m.staff, m.category, m.status, m.earliest_reply_at, m.first_response_due_at, m.follow_up_due_at, m.edit_count, m.confidence, m.signals, m.detected_lang, m.category_by, m.muted, m.deleted, m.holding_since, m.first_response_at, m.snoozed_until, m.snoozed_from, m.follow_up_at, m.follow_up_answered_due_at, m.repeats, m.repeat_of, m.claimed_by, m.snoozed_until, m.no_reply_reason, m.assigned_to'
\set asleep '(m.status = ''snoozed'' AND coalesce(m.snoozed_until, 0) > $1 AND (m.due_at IS NULL OR m.due_at > $1))'
PREPARE s0(bigint, bigint, text) AS SELECT :cols FROM mentions m JOIN authors a ON a.id = m.author_id
  WHERE m.due_at IS NOT NULL AND (m.earliest_reply_at IS NULL OR m.earliest_reply_at <= $1) AND NOT m.muted
    AND NOT :asleep AND m.search @@ $3::tsquery
  ORDER BY m.due_at, m.id LIMIT $2 OFFSET 0;
PREPARE s1(bigint, bigint, text) AS SELECT :cols FROM mentions m JOIN authors a ON a.id = m.author_id
  WHERE m.due_at IS NOT NULL AND m.earliest_reply_at > $1 AND NOT m.muted
    AND NOT :asleep AND m.search @@ $3::tsquery
  ORDER BY m.earliest_reply_at, m.id LIMIT $2 OFFSET 0;
PREPARE s2(bigint, bigint, text) AS SELECT :cols FROM mentions m JOIN authors a ON a.id = m.author_id
  WHERE m.due_at IS NULL AND NOT m.muted AND NOT :asleep AND m.search @@ $3::tsquery
  ORDER BY m.created_at DESC, m.id DESC LIMIT $2 OFFSET 0;
PREPARE qs(bigint, text) AS SELECT count(*) FROM mentions m WHERE NOT m.muted AND NOT :asleep
  AND m.search @@ $2::tsquery;
SELECT search_query(ARRAY[:'common']) AS q_common, search_query(ARRAY[:'rare']) AS q_rare,
  search_query(ARRAY[:'none']) AS q_none, search_query(ARRAY[:'prefix']) AS q_prefix \gset
\echo == common :q_common
EXPLAIN (ANALYZE, BUFFERS, COSTS ON, SUMMARY ON) EXECUTE s0(:now, 120, :'q_common');
EXPLAIN (ANALYZE, BUFFERS, COSTS ON, SUMMARY ON) EXECUTE s1(:now, 120, :'q_common');
EXPLAIN (ANALYZE, BUFFERS, COSTS ON, SUMMARY ON) EXECUTE s2(:now, 120, :'q_common');
EXPLAIN (ANALYZE, BUFFERS, COSTS ON, SUMMARY ON) EXECUTE qs(:now, :'q_common');
\echo == rare :q_rare
EXPLAIN (ANALYZE, BUFFERS, COSTS ON, SUMMARY ON) EXECUTE s0(:now, 120, :'q_rare');
EXPLAIN (ANALYZE, BUFFERS, COSTS ON, SUMMARY ON) EXECUTE s1(:now, 120, :'q_rare');
EXPLAIN (ANALYZE, BUFFERS, COSTS ON, SUMMARY ON) EXECUTE s2(:now, 120, :'q_rare');
EXPLAIN (ANALYZE, BUFFERS, COSTS ON, SUMMARY ON) EXECUTE qs(:now, :'q_rare');
\echo == none :q_none
EXPLAIN (ANALYZE, BUFFERS, COSTS ON, SUMMARY ON) EXECUTE s0(:now, 120, :'q_none');
EXPLAIN (ANALYZE, BUFFERS, COSTS ON, SUMMARY ON) EXECUTE s1(:now, 120, :'q_none');
EXPLAIN (ANALYZE, BUFFERS, COSTS ON, SUMMARY ON) EXECUTE s2(:now, 120, :'q_none');
EXPLAIN (ANALYZE, BUFFERS, COSTS ON, SUMMARY ON) EXECUTE qs(:now, :'q_none');
\echo == prefix :q_prefix
EXPLAIN (ANALYZE, BUFFERS, COSTS ON, SUMMARY ON) EXECUTE s0(:now, 120, :'q_prefix');
EXPLAIN (ANALYZE, BUFFERS, COSTS ON, SUMMARY ON) EXECUTE s1(:now, 120, :'q_prefix');
EXPLAIN (ANALYZE, BUFFERS, COSTS ON, SUMMARY ON) EXECUTE s2(:now, 120, :'q_prefix');
EXPLAIN (ANALYZE, BUFFERS, COSTS ON, SUMMARY ON) EXECUTE qs(:now, :'q_prefix');

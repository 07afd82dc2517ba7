SET search_path TO :schema;
\echo '== 1. @kees on any platform: the folded handle index (migration 6)'
PREPARE ids(text, text, text) AS SELECT id, platform, handle FROM authors
  WHERE translate(handle, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') = $1
    AND ($2::text IS NULL OR platform = $2::text) AND handle <> $3 ORDER BY id;
EXPLAIN (ANALYZE, COSTS OFF, SUMMARY ON) EXECUTE ids('kees', NULL, '(forgotten)');
\echo '== 1b. the same by lower(handle), as SQLite asks it (no index: every author read)'
EXPLAIN (ANALYZE, COSTS OFF, SUMMARY ON) SELECT id, platform, handle FROM authors
  WHERE lower(handle) = lower('kees') AND handle <> '(forgotten)' ORDER BY id;
\echo '== 2. the person of three identities: members, then the summary'
PREPARE members(bigint) AS SELECT author_id FROM person_links
  WHERE person_id = coalesce((SELECT person_id FROM person_links WHERE author_id = $1), $1) ORDER BY author_id;
EXPLAIN (ANALYZE, COSTS OFF, SUMMARY ON) EXECUTE members(50002);
PREPARE summary(bigint[], bigint, bigint, bigint) AS SELECT count(*),
    count(*) FILTER (WHERE category = 'complaint' AND repeat_of IS NULL AND created_at <= $4 AND created_at >= $2),
    count(*) FILTER (WHERE category = 'complaint' AND repeat_of IS NULL AND created_at <= $4 AND created_at >= $3),
    max(created_at) FILTER (WHERE category = 'complaint' AND repeat_of IS NULL AND created_at <= $4)
  FROM mentions WHERE author_id = ANY($1::bigint[]);
EXPLAIN (ANALYZE, COSTS OFF, SUMMARY ON)
  EXECUTE summary('{50001,50002,50003}', 1795512600000 - 30 * 86400000::bigint, 1795512600000 - 90 * 86400000::bigint, 1795512600000);
\echo '== 3. the timeline: the first page of 50 posts, one deep in (after a cursor), and an old person'
PREPARE page(bigint[], bigint) AS SELECT m.id, m.created_at, a.handle, m.text, m.platform, coalesce(m.category, ''), m.status
  FROM unnest($1::bigint[]) AS p(author_id)
    CROSS JOIN LATERAL (SELECT id, created_at, author_id, text, platform, category, status FROM mentions
      WHERE author_id = p.author_id ORDER BY created_at DESC, id DESC LIMIT $2) m
    JOIN authors a ON a.id = m.author_id
  ORDER BY m.created_at DESC, m.id DESC LIMIT $2;
EXPLAIN (ANALYZE, COSTS OFF, SUMMARY ON) EXECUTE page('{50001,50002,50003}', 51);
PREPARE deep(bigint[], bigint, bigint, bigint) AS SELECT m.id, m.created_at, a.handle, m.text, m.platform, coalesce(m.category, ''), m.status
  FROM unnest($1::bigint[]) AS p(author_id)
    CROSS JOIN LATERAL (SELECT id, created_at, author_id, text, platform, category, status FROM mentions
      WHERE author_id = p.author_id AND created_at <= $3 AND (created_at < $3 OR id < $4)
      ORDER BY created_at DESC, id DESC LIMIT $2) m
    JOIN authors a ON a.id = m.author_id
  ORDER BY m.created_at DESC, m.id DESC LIMIT $2;
EXPLAIN (ANALYZE, COSTS OFF, SUMMARY ON)
  EXECUTE deep('{50001,50002,50003}', 51, 1795512600000 - 900 * 3600000::bigint, 0);
SELECT id AS old FROM authors WHERE handle = 'oud' \gset
EXPLAIN (ANALYZE, COSTS OFF, SUMMARY ON) EXECUTE page(ARRAY[:old]::bigint[], 51);
\echo '== 3b. the old person asked at once in time order (without the lateral): every mention read backwards'
EXPLAIN (ANALYZE, COSTS OFF, SUMMARY ON) SELECT m.id, m.created_at, a.handle, m.text, m.platform, coalesce(m.category, ''), m.status
  FROM mentions m JOIN authors a ON a.id = m.author_id
  WHERE m.author_id = ANY(ARRAY[:old]::bigint[]) ORDER BY m.created_at DESC, m.id DESC LIMIT 51;
\echo '== 4. what the team did on a page (50 posts): replies, notes, escalations, watching'
SELECT array_agg(id) AS page FROM (SELECT id FROM mentions WHERE author_id BETWEEN 50001 AND 50003 ORDER BY created_at DESC, id DESC LIMIT 50) p \gset
EXPLAIN (ANALYZE, COSTS OFF, SUMMARY ON)
  SELECT mention_id, created_at, responder, text, status FROM outbox WHERE mention_id = ANY(:'page'::bigint[]) ORDER BY id;
EXPLAIN (ANALYZE, COSTS OFF, SUMMARY ON)
  SELECT mention_id, at, author, text, '' FROM notes WHERE mention_id = ANY(:'page'::bigint[]) ORDER BY id;
EXPLAIN (ANALYZE, COSTS OFF, SUMMARY ON)
  SELECT mention_id, created_at, created_by, reason, state FROM escalations WHERE mention_id = ANY(:'page'::bigint[]) ORDER BY id;
EXPLAIN (ANALYZE, COSTS OFF, SUMMARY ON)
  SELECT mention_id, at, actor, '', action FROM events WHERE mention_id = ANY(:'page'::bigint[])
    AND action IN ('watch', 'unwatch') ORDER BY id;
\echo '== 5. touchesPerson: ten changed ids, and anything new above an id'
EXPLAIN (ANALYZE, COSTS OFF, SUMMARY ON)
  SELECT EXISTS (SELECT 1 FROM mentions WHERE id = ANY('{5,500,5000,50000,90000,97001,97002,97003,97004,97005}'::bigint[])
    AND author_id = ANY('{50001,50002,50003}'::bigint[]));
EXPLAIN (ANALYZE, COSTS OFF, SUMMARY ON)
  SELECT EXISTS (SELECT 1 FROM mentions WHERE id > 99990 AND author_id = ANY('{50001,50002,50003}'::bigint[]));
\echo '== 6. notices: 200 of the 1,000 unread of one recipient, the newest (the notice line), the count'
PREPARE unread(text, bigint) AS
  SELECT n.id, n.recipient, n.kind, n.mention_id, n.outbox_id, n.actor, n.note, n.created_at, n.read_at, a.handle
  FROM (SELECT * FROM notices WHERE recipient = $1 AND read_at IS NULL ORDER BY id DESC LIMIT $2) n
    LEFT JOIN mentions m ON m.id = n.mention_id LEFT JOIN authors a ON a.id = m.author_id
  ORDER BY n.id DESC;
EXPLAIN (ANALYZE, COSTS OFF, SUMMARY ON) EXECUTE unread('member0', 200);
EXPLAIN (ANALYZE, COSTS OFF, SUMMARY ON) EXECUTE unread('member0', 1);
EXPLAIN (ANALYZE, COSTS OFF, SUMMARY ON)
  SELECT count(*) FROM notices WHERE recipient = 'member0' AND read_at IS NULL;

-- A person's side at 100k mentions, for EXPLAIN: 50,000 authors on three platforms (user1 …), a
-- mention every 20 s back from the pinned moment; one person of three linked identities (kees on
-- mastodon, bluesky and x) with 1,000 posts each, a reply, a note and an escalation on every
-- tenth of them and a watch; an old person (500 posts, all 60 days old or more); 20,000 notices for
-- 20 recipients, a fifth unread (all of member0's).
\set now 1795512600000
SET search_path TO :schema;
INSERT INTO authors (platform, handle, name)
  SELECT (ARRAY['x', 'mastodon', 'bluesky'])[1 + g % 3], 'user' || g, 'User ' || g
  FROM generate_series(1, 50000) g;
INSERT INTO authors (platform, handle) VALUES ('mastodon', 'kees'), ('bluesky', 'Kees'), ('x', 'kees');
INSERT INTO mentions (platform, external_id, author_id, created_at, ingested_at, text, raw, category,
  status, lang)
SELECT a.platform, 'e' || g, a.id, :now - g * 20000::bigint, :now, 'De trein is weer te laat ' || g, '{}',
  CASE WHEN g % 5 < 3 THEN 'complaint' ELSE 'praise' END, 'open', 'nl'
FROM generate_series(1, 97000) g JOIN authors a ON a.id = 1 + g % 50000;
INSERT INTO mentions (platform, external_id, author_id, created_at, ingested_at, text, raw, category,
  status, lang)
SELECT a.platform, 'k' || g || a.platform, a.id, :now - g * 3600000::bigint, :now, 'Kees ' || g, '{}',
  'complaint', 'open', 'nl'
FROM generate_series(1, 1000) g CROSS JOIN authors a WHERE a.id BETWEEN 50001 AND 50003;
-- An old person: 500 posts, the newest 60 days back, older than every other mention.
INSERT INTO authors (platform, handle) VALUES ('x', 'oud');
INSERT INTO mentions (platform, external_id, author_id, created_at, ingested_at, text, raw, category,
  status, lang)
SELECT 'x', 'oud' || g, (SELECT id FROM authors WHERE handle = 'oud'),
  :now - 60 * 86400000::bigint - g * 3600000::bigint, :now, 'oud ' || g, '{}', 'praise', 'open', 'nl'
FROM generate_series(1, 500) g;
INSERT INTO person_links (author_id, person_id) SELECT id, 50001 FROM authors WHERE id BETWEEN 50001 AND 50003;
INSERT INTO person_notes (person_id, text, updated_by, updated_at) VALUES (50001, 'Vaste reiziger', 'Anna', :now);
INSERT INTO watched_authors (author_id, since, watched_by) VALUES (50002, :now, 'Bram');
INSERT INTO outbox (mention_id, responder, kind, text, status, created_at, updated_at, idempotency_key)
  SELECT id, 'Anna', 'reply', 'Sorry', 'sent', created_at + 60000, created_at + 60000, 'o' || id
  FROM mentions WHERE author_id BETWEEN 50001 AND 50003 AND id % 10 = 0;
INSERT INTO notes (mention_id, at, author, text)
  SELECT id, created_at + 60000, 'Bram', 'belde ook' FROM mentions WHERE author_id BETWEEN 50001 AND 50003 AND id % 10 = 1;
INSERT INTO escalations (mention_id, reason, created_at, created_by, updated_at)
  SELECT id, 'by_hand', created_at + 60000, 'Anna', created_at + 60000
  FROM mentions WHERE author_id BETWEEN 50001 AND 50003 AND id % 10 = 2;
INSERT INTO events (at, actor, action, mention_id)
  SELECT created_at, 'test', 'ingest', id FROM mentions;
INSERT INTO notices (recipient, kind, mention_id, actor, created_at, read_at)
  SELECT 'member' || (g % 20), 'assigned', 1 + g * 4, 'Sam', :now - g * 1000, CASE WHEN g % 5 <> 0 THEN :now END
  FROM generate_series(1, 20000) g;
ANALYZE;

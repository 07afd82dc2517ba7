-- 100k mentions for EXPLAIN: 5000 authors, a mention every 20 s back from the pinned moment.
\set now 1795512600000
SET search_path TO :schema;
INSERT INTO authors (platform, handle, name)
  SELECT 'x', 'user' || g, 'User ' || g FROM generate_series(1, 5000) g;
INSERT INTO mentions (platform, external_id, author_id, created_at, ingested_at, text, raw, category,
  status, earliest_reply_at, first_response_due_at, due_at, muted, lang)
SELECT 'x', 'e' || g, 1 + g % 5000, :now - g * 20000::bigint, :now,
  (ARRAY['De trein', 'Mijn pakket', 'Het café', 'Een vertraging', 'Wat fijn', 'Geen wifi'])[1 + g % 6]
    || ' ' || (ARRAY['is weer te laat', 'was dicht vandaag', 'komt niet aan', 'dank jullie wel',
      'waarom toch', 'in Utrecht'])[1 + (g / 7) % 6]
    || CASE WHEN g % 1000 = 0 THEN ' zeldzaamwoord' ELSE '' END,
  '{}',
  CASE WHEN g % 5 < 3 THEN 'complaint' ELSE 'praise' END, 'open',
  CASE WHEN g % 5 < 3 THEN :now - g * 20000::bigint + CASE WHEN g % 10 = 0 THEN 3600000 ELSE 0 END END,
  CASE WHEN g % 5 < 3 THEN :now - g * 20000::bigint + 7200000 END,
  CASE WHEN g % 5 < 3 THEN :now - g * 20000::bigint + 7200000 END,
  g % 20 = 0, CASE WHEN g % 3 = 0 THEN 'nl' ELSE 'en' END
FROM generate_series(1, 100000) g;
UPDATE mentions SET claimed_by = 'anna' WHERE id % 97 = 0;
ANALYZE authors;
ANALYZE mentions;

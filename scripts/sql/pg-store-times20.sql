-- A store of a million mentions on the server from one of 50,000, for the inbox's figures at a
-- million when a release `repute ingest` of a million is out of reach: schema :big (made by
-- `repute init`, the policy and authors copied) gets the mentions of schema :small twenty times,
-- each copy 150,000 s later than the one before (the generator's 3 s apart times 50,000: the same
-- span as its million), external ids, replies and threads suffixed with the copy's number, and
-- every time on a mention shifted alike. The search documents, totals and figures are made by the
-- store's own triggers. Not copied: events, escalations, repeats' links (`repeat_of`).
--   repute init --store "URL&schema=big"
--   psql URL -v small=small -v big=big -f scripts/sql/pg-store-times20.sql
\timing on
SET search_path TO :big;
INSERT INTO policies SELECT * FROM :small.policies;
INSERT INTO authors SELECT * FROM :small.authors;
SELECT setval(pg_get_serial_sequence(:'big' || '.authors', 'id'), (SELECT max(id) FROM authors));
\set d 150000000
INSERT INTO mentions (platform, external_id, url, author_id, created_at, ingested_at, text, lang,
  in_reply_to, thread, staff, raw, edit_count, category, category_source, confidence, signals, muted,
  status, earliest_reply_at, first_response_due_at, follow_up_due_at, due_at, snoozed_until,
  detected_lang, category_by, claimed_by, claimed_at, snoozed_from, no_reply_reason,
  first_response_at, first_response_by, holding_since, context_only, deleted, deleted_at,
  follow_up_at, follow_up_answered_due_at, assigned_to, repeat_of, repeats, escalated)
SELECT platform, external_id || '-' || k, url, author_id, created_at + k * :d, ingested_at + k * :d,
  text, lang, in_reply_to || '-' || k, thread || '-' || k, staff, raw, edit_count, category,
  category_source, confidence, signals, muted, status, earliest_reply_at + k * :d,
  first_response_due_at + k * :d, follow_up_due_at + k * :d, due_at + k * :d, snoozed_until + k * :d,
  detected_lang, category_by, claimed_by, claimed_at + k * :d, snoozed_from, no_reply_reason,
  first_response_at + k * :d, first_response_by, holding_since + k * :d, context_only, deleted,
  deleted_at + k * :d, follow_up_at + k * :d, follow_up_answered_due_at + k * :d, assigned_to, NULL,
  repeats, escalated
FROM generate_series(0::bigint, 19::bigint) k, :small.mentions ORDER BY k, id;
ANALYZE mentions;

import Foundation
import GRDB
import Inbox
import Policy

// The migrations, in the order `Schema.migrator` registers them. Released ones never change.
extension Schema {
  /// v7 and v10: replies, drafts and the outbox; live sources.
  static func registerRepliesAndSources(_ migrator: inout DatabaseMigrator) {
    migrator.registerMigration("v7-replies") { db in
      // Signed replies: drafts saved as they are typed, and the outbox that hands each reply to
      // delivery exactly once (the idempotency key goes to the platform with every attempt).
      try db.execute(
        sql: """
          -- When the first response (a reply or a holding reply) went out and who sent it: the
          -- team's figures read response times from these, and a holding reply starts the
          -- follow-up span at holding_since (S12).
          ALTER TABLE mentions ADD COLUMN first_response_at INTEGER;
          ALTER TABLE mentions ADD COLUMN first_response_by TEXT;
          ALTER TABLE mentions ADD COLUMN holding_since INTEGER;
          CREATE INDEX mentions_by_first_response ON mentions (first_response_at)
            WHERE first_response_at IS NOT NULL;

          -- One draft per mention and responder, overwritten as it is typed.
          CREATE TABLE drafts (
            mention_id INTEGER NOT NULL REFERENCES mentions(id),
            author TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('reply', 'holding')),
            text TEXT NOT NULL,
            started_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (mention_id, author)
          ) STRICT;

          CREATE TABLE outbox (
            id INTEGER PRIMARY KEY,
            mention_id INTEGER NOT NULL REFERENCES mentions(id),
            responder TEXT NOT NULL,
            -- reply: the first response; holding: a holding reply (S12); follow_up: a further reply.
            kind TEXT NOT NULL CHECK (kind IN ('reply', 'holding', 'follow_up')),
            -- Exactly what will be posted, signature included.
            text TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'queued'
              CHECK (status IN ('queued', 'awaiting_approval', 'returned', 'sent', 'failed')),
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            idempotency_key TEXT NOT NULL UNIQUE,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER,
            -- What the platform answered: the new post's id and link, or its error message.
            platform_post_id TEXT,
            platform_url TEXT,
            error TEXT,
            -- Four eyes: who approved it, or the note it was sent back with.
            reviewed_by TEXT,
            review_note TEXT
          ) STRICT;
          CREATE INDEX outbox_by_mention ON outbox (mention_id);
          CREATE INDEX outbox_by_status ON outbox (status, next_attempt_at);
          """)
    }
    migrator.registerMigration("v10-sources") { db in
      // Live sources: one row per configured source with its cursor (committed in the same
      // transaction as the mentions it covers, so a kill mid-poll neither loses nor repeats any),
      // conditional-request validators, health, backoff, and a lease so two watchers on one store
      // do not poll the same source at once. Posts fetched only as thread context (S8, S11) are
      // stored muted and marked, so a later real mention of the same post joins the queue.
      try db.execute(
        sql: """
          CREATE TABLE sources (
            name TEXT PRIMARY KEY NOT NULL,
            kind TEXT NOT NULL,
            cursor TEXT,
            etag TEXT,
            last_modified TEXT,
            last_poll_at INTEGER,
            last_success_at INTEGER,
            last_error TEXT,
            failures INTEGER NOT NULL DEFAULT 0,
            next_poll_at INTEGER,
            last_new INTEGER NOT NULL DEFAULT 0,
            lease_by TEXT,
            lease_until INTEGER
          ) STRICT;
          ALTER TABLE mentions ADD COLUMN context_only INTEGER NOT NULL DEFAULT 0;
          CREATE TABLE thread_fetches (
            mention_id INTEGER PRIMARY KEY REFERENCES mentions(id),
            fetched_at INTEGER NOT NULL,
            posts INTEGER NOT NULL
          ) STRICT;
          -- The mentions whose conversation is fetched again: few, so the index costs ingest little.
          CREATE INDEX mentions_threaded ON mentions (platform, created_at)
            WHERE context_only = 0 AND (in_reply_to IS NOT NULL OR thread IS NOT NULL);
          """)
    }
  }

  /// v8, v9, v13, v12, v14 and v15: escalations, deleted posts, follow-ups, the ingest's own tables and events.
  static func registerEscalationsAndIngest(_ migrator: inout DatabaseMigrator) {
    migrator.registerMigration("v8-escalations") { db in
      // The supervisor's pane, the team's figures and the right to be forgotten.
      try db.execute(
        sql: """
          -- Escalations get a severity (the pane's order), the rule's facts (counts, never personal
          -- text) and a key for rules that are not one mention's (a volume rise: its hour).
          ALTER TABLE escalations ADD COLUMN severity INTEGER NOT NULL DEFAULT 2;
          ALTER TABLE escalations ADD COLUMN detail TEXT;
          ALTER TABLE escalations ADD COLUMN rule_key TEXT;
          ALTER TABLE escalations ADD COLUMN resolved_at INTEGER;
          UPDATE escalations SET severity = CASE reason
            WHEN 'legal_or_press' THEN 3 WHEN 'volume_rise' THEN 3
            WHEN 'overdue' THEN 1 WHEN 'repeat_complainer' THEN 1 ELSE 2 END;
          -- The rules are idempotent: one open escalation per mention and reason (by hand, a
          -- second escalation adds its note to the open one), one per rule key.
          CREATE UNIQUE INDEX escalations_open_once ON escalations (mention_id, reason)
            WHERE state != 'resolved' AND reason != 'by_hand' AND rule_key IS NULL;
          CREATE UNIQUE INDEX escalations_by_rule_key ON escalations (reason, rule_key)
            WHERE rule_key IS NOT NULL;
          -- The pane's order, read straight from the index (by state first, it sorted them all).
          CREATE INDEX escalations_board ON escalations (severity DESC, created_at, id)
            WHERE state != 'resolved';

          -- The outbox sets the first response (v7); a reply the organisation made outside
          -- Repute (`replied_elsewhere`) counts as one too, set once from its event, so the
          -- team's figures read one indexed column whichever way the answer went out.
          UPDATE mentions SET
            first_response_at = (SELECT min(at) FROM events e WHERE e.mention_id = mentions.id
              AND e.action = 'replied_elsewhere'),
            first_response_by = (SELECT actor FROM events e WHERE e.mention_id = mentions.id
              AND e.action = 'replied_elsewhere' ORDER BY e.at, e.id LIMIT 1)
          WHERE first_response_at IS NULL AND id IN (SELECT mention_id FROM events
            WHERE action = 'replied_elsewhere' AND mention_id IS NOT NULL);
          CREATE TRIGGER events_first_response AFTER INSERT ON events
          WHEN new.mention_id IS NOT NULL AND new.action = 'replied_elsewhere'
          BEGIN
            UPDATE mentions SET first_response_at = new.at, first_response_by = new.actor
            WHERE id = new.mention_id AND first_response_at IS NULL;
          END;

          -- Forgotten posts: a salted SHA-256 of (platform, id), so a later ingest of the same post
          -- does not bring it back, without keeping the post's id itself.
          CREATE TABLE tombstones (
            key TEXT PRIMARY KEY NOT NULL,
            at INTEGER NOT NULL
          ) STRICT, WITHOUT ROWID;
          INSERT INTO store_meta (key, value) VALUES ('tombstone_salt', lower(hex(randomblob(16))));
          """)
    }
    migrator.registerMigration("v9-deleted-posts") { db in
      // A post the platform deleted or withheld keeps its row and text; these say why and when the
      // store learnt it. NULL (nearly every row) costs nothing on the ingest path.
      try db.execute(sql: "ALTER TABLE mentions ADD COLUMN deleted TEXT")
      try db.execute(sql: "ALTER TABLE mentions ADD COLUMN deleted_at INTEGER")
    }
    migrator.registerMigration("v13-follow-up") { db in
      // A replied mention whose personal follow-up (S10) is pending is on the clock against it:
      // `due_at` is the follow-up target, as `applyReply` now sets it. The organisation's answer
      // also ends the cooling-off (S11), so an answered mention is never in the cooling segment.
      try db.execute(
        sql: """
          UPDATE mentions SET due_at = follow_up_due_at
          WHERE status = 'replied' AND follow_up_due_at IS NOT NULL;
          UPDATE mentions SET earliest_reply_at = first_response_at
          WHERE first_response_at IS NOT NULL AND earliest_reply_at > first_response_at;
          """)
    }
    migrator.registerMigration("v12-ingest") { db in
      // The repeat-complainer rule counts an author's complaints within a window for every new
      // complaint at ingest: with created_at and category in the author's index that count reads
      // the index alone, only the window's entries, instead of every mention the author ever
      // wrote. Still one index, so ingest maintains no more than before.
      try db.execute(
        sql: """
          DROP INDEX mentions_by_author;
          CREATE INDEX mentions_by_author ON mentions (author_id, created_at, category);
          """)
    }
    migrator.registerMigration("v14-ingest-compact") { db in
      // The signals packed (`PackedSignals`): the JSON array was as wide as the raw record and a
      // third of the `mentions` table, written once per mention at ingest. Every stored list is
      // rewritten in place; one that does not parse stays JSON, which reads as it is.
      let pack = DatabaseFunction("repute_pack_signals", argumentCount: 1, pure: true) { values in
        guard let json = String.fromDatabaseValue(values[0]) else { return values[0] }
        return Schema.packedSignals(json: json)?.text ?? json
      }
      db.add(function: pack)
      defer { db.remove(function: pack) }
      try db.execute(
        sql: """
          UPDATE mentions SET signals = repute_pack_signals(signals)
          WHERE signals IS NOT NULL AND substr(signals, 1, 1) = '['
          """)
    }
    migrator.registerMigration("v15-ingest-events") { db in
      // The detail pane finds the ingest batch that stored a mention: without this index that
      // scanned every event (38 k at a million mentions, 3-4 ms a key deep in the queue), with it
      // the hundred or so ingest events.
      try db.execute(sql: "CREATE INDEX IF NOT EXISTS events_ingest ON events (id) WHERE action = 'ingest'")
    }
  }

  /// v16 to v18: unverified deliveries, advice overrides, honest clocks.
  static func registerDeliveryAndClocks(_ migrator: inout DatabaseMigrator) {
    migrator.registerMigration("v16-outbox-unverified") { db in
      // A platform that answered 2xx without naming the post it made leaves the reply
      // `unverified`: maybe posted, maybe not, checked again with the same key. SQLite cannot
      // widen a CHECK in place, so the table is rebuilt (it is small: one row per reply), with
      // `unverified_at`, when the first such answer came: the checks stop inside Mastodon's
      // one-hour idempotency window, counted from it.
      try db.execute(
        sql: """
          CREATE TABLE outbox_v16 (
            id INTEGER PRIMARY KEY,
            mention_id INTEGER NOT NULL REFERENCES mentions(id),
            responder TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('reply', 'holding', 'follow_up')),
            text TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'queued'
              CHECK (status IN ('queued', 'awaiting_approval', 'returned', 'sent', 'failed', 'unverified')),
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            idempotency_key TEXT NOT NULL UNIQUE,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER,
            platform_post_id TEXT,
            platform_url TEXT,
            error TEXT,
            reviewed_by TEXT,
            review_note TEXT,
            unverified_at INTEGER
          ) STRICT;
          INSERT INTO outbox_v16 (id, mention_id, responder, kind, text, status, created_at, updated_at,
            idempotency_key, attempts, next_attempt_at, platform_post_id, platform_url, error,
            reviewed_by, review_note)
          SELECT id, mention_id, responder, kind, text, status, created_at, updated_at,
            idempotency_key, attempts, next_attempt_at, platform_post_id, platform_url, error,
            reviewed_by, review_note
          FROM outbox;
          DROP TABLE outbox;
          ALTER TABLE outbox_v16 RENAME TO outbox;
          CREATE INDEX outbox_by_mention ON outbox (mention_id);
          CREATE INDEX outbox_by_status ON outbox (status, next_attempt_at);
          """)
    }
    migrator.registerMigration("v17-advice-overrides") { db in
      // The supervisor's pane lists replies against the advice (S8, S5, S4): a handful of events
      // among millions, found through this index rather than a scan.
      try db.execute(
        sql: """
          CREATE INDEX IF NOT EXISTS events_against_advice ON events (id)
          WHERE action = 'reply_against_advice'
          """)
    }
    migrator.registerMigration("v18-honest-clocks") { db in
      // A snooze never hides a deadline (issue 14): a snoozed mention keeps its active target in
      // `due_at`, so the queue, the overdue board and the overdue rule see it when it passes.
      // Repeats of one author's same text within an hour are one escalation with a count.
      try db.execute(
        sql: """
          UPDATE mentions SET due_at = CASE coalesce(snoozed_from, 'open')
              WHEN 'open' THEN first_response_due_at
              WHEN 'holding' THEN follow_up_due_at WHEN 'replied' THEN follow_up_due_at END
            WHERE status = 'snoozed';
          ALTER TABLE escalations ADD COLUMN repeats INTEGER NOT NULL DEFAULT 1;
          """)
    }
  }
}

import Foundation
import GRDB
import Inbox
import Policy

// The migrations, in the order `Schema.migrator` registers them. Released ones never change.
extension Schema {
  /// v1 to v3: mentions, authors and events; the queue's order; the policy's verdicts.
  static func registerMentions(_ migrator: inout DatabaseMigrator) {
    migrator.registerMigration("v1-mentions-authors-events") { db in
      try db.execute(
        sql: """
          CREATE TABLE store_meta (
            key TEXT PRIMARY KEY NOT NULL,
            value TEXT NOT NULL
          ) STRICT;

          CREATE TABLE authors (
            id INTEGER PRIMARY KEY,
            platform TEXT NOT NULL,
            handle TEXT NOT NULL,
            name TEXT,
            followers INTEGER,
            UNIQUE (platform, handle)
          ) STRICT;

          CREATE TABLE mentions (
            id INTEGER PRIMARY KEY,
            platform TEXT NOT NULL,
            external_id TEXT NOT NULL,
            url TEXT,
            author_id INTEGER NOT NULL REFERENCES authors(id),
            created_at INTEGER NOT NULL,
            ingested_at INTEGER NOT NULL,
            text TEXT NOT NULL,
            lang TEXT,
            in_reply_to TEXT,
            thread TEXT,
            staff INTEGER NOT NULL DEFAULT 0,
            raw TEXT NOT NULL,
            edit_count INTEGER NOT NULL DEFAULT 0,
            -- filled by the policy at ingest (NULL when no policy classified it)
            category TEXT,
            category_source TEXT,
            confidence REAL,
            signals TEXT,
            muted INTEGER NOT NULL DEFAULT 0,
            status TEXT NOT NULL DEFAULT 'open',
            -- absolute deadlines, epoch milliseconds
            earliest_reply_at INTEGER,
            first_response_due_at INTEGER,
            follow_up_due_at INTEGER,
            UNIQUE (platform, external_id)
          ) STRICT;
          CREATE INDEX mentions_by_created ON mentions (created_at);
          CREATE INDEX mentions_by_author ON mentions (author_id);
          CREATE INDEX mentions_by_thread ON mentions (platform, thread) WHERE thread IS NOT NULL;
          CREATE INDEX mentions_by_reply ON mentions (platform, in_reply_to) WHERE in_reply_to IS NOT NULL;

          CREATE TABLE mention_revisions (
            id INTEGER PRIMARY KEY,
            mention_id INTEGER NOT NULL REFERENCES mentions(id),
            text TEXT NOT NULL,
            replaced_at INTEGER NOT NULL
          ) STRICT;
          CREATE INDEX mention_revisions_by_mention ON mention_revisions (mention_id);

          -- The audit trail. Append only: the triggers refuse every update and delete.
          CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            at INTEGER NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            mention_id INTEGER,
            detail TEXT
          ) STRICT;
          CREATE INDEX events_by_mention ON events (mention_id) WHERE mention_id IS NOT NULL;
          CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
            BEGIN SELECT RAISE(ABORT, 'the event log is append only'); END;
          CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
            BEGIN SELECT RAISE(ABORT, 'the event log is append only'); END;

          -- The policy in force: every applied version is kept; the newest one rules.
          CREATE TABLE policies (
            version INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            applied_at INTEGER NOT NULL,
            applied_by TEXT NOT NULL
          ) STRICT;
          """)
    }
    migrator.registerMigration("v2-queue-order") { db in
      // The active target (first response while open, follow-up while holding) in one indexed
      // column, so the urgency order over a million mentions is a range scan, not a sort.
      try db.execute(
        sql: """
          ALTER TABLE mentions ADD COLUMN due_at INTEGER;
          ALTER TABLE mentions ADD COLUMN snoozed_until INTEGER;
          UPDATE mentions SET due_at = CASE status
            WHEN 'open' THEN first_response_due_at WHEN 'holding' THEN follow_up_due_at END;
          CREATE INDEX mentions_by_due ON mentions (due_at) WHERE due_at IS NOT NULL AND muted = 0;
          CREATE INDEX mentions_by_earliest ON mentions (earliest_reply_at)
            WHERE due_at IS NOT NULL AND muted = 0;
          """)
    }
    migrator.registerMigration("v3-policy-verdicts") { db in
      try db.execute(
        sql: """
          -- The language the classifier read the text in, when the source gave none.
          ALTER TABLE mentions ADD COLUMN detected_lang TEXT;
          -- Who set a manual category (category_source = 'manual'); the policy never overrides it.
          ALTER TABLE mentions ADD COLUMN category_by TEXT;
          -- The queue's count and window queries read both columns from the index alone.
          DROP INDEX mentions_by_due;
          CREATE INDEX mentions_by_due ON mentions (due_at, earliest_reply_at)
            WHERE due_at IS NOT NULL AND muted = 0;
          CREATE INDEX mentions_by_status ON mentions (status);
          """)
    }
  }

  /// v4 to v6: the inbox's actions, the search index, the queue's counts.
  static func registerInboxActions(_ migrator: inout DatabaseMigrator) {
    migrator.registerMigration("v4-inbox-actions") { db in
      // What the inbox's actions need: claims, snoozes, no-reply reasons, watched authors,
      // escalations (room for the supervisor's pane) and the team's internal notes.
      try db.execute(
        sql: """
          ALTER TABLE mentions ADD COLUMN claimed_by TEXT;
          ALTER TABLE mentions ADD COLUMN claimed_at INTEGER;
          -- The status a snoozed mention returns to when it wakes.
          ALTER TABLE mentions ADD COLUMN snoozed_from TEXT;
          ALTER TABLE mentions ADD COLUMN no_reply_reason TEXT;
          CREATE INDEX mentions_by_claim ON mentions (claimed_by) WHERE claimed_by IS NOT NULL;
          CREATE INDEX mentions_by_snooze ON mentions (snoozed_until) WHERE snoozed_until IS NOT NULL;

          CREATE TABLE watched_authors (
            author_id INTEGER PRIMARY KEY REFERENCES authors(id),
            since INTEGER NOT NULL,
            watched_by TEXT NOT NULL
          ) STRICT;

          CREATE TABLE notes (
            id INTEGER PRIMARY KEY,
            mention_id INTEGER NOT NULL REFERENCES mentions(id),
            at INTEGER NOT NULL,
            author TEXT NOT NULL,
            text TEXT NOT NULL
          ) STRICT;
          CREATE INDEX notes_by_mention ON notes (mention_id);

          CREATE TABLE escalations (
            id INTEGER PRIMARY KEY,
            mention_id INTEGER NOT NULL REFERENCES mentions(id),
            reason TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'new' CHECK (state IN ('new', 'acknowledged', 'resolved')),
            owner TEXT,
            created_at INTEGER NOT NULL,
            created_by TEXT NOT NULL,
            updated_at INTEGER NOT NULL
          ) STRICT;
          CREATE INDEX escalations_by_mention ON escalations (mention_id);
          CREATE INDEX escalations_by_state ON escalations (state, created_at);

          CREATE TABLE escalation_notes (
            id INTEGER PRIMARY KEY,
            escalation_id INTEGER NOT NULL REFERENCES escalations(id),
            at INTEGER NOT NULL,
            author TEXT NOT NULL,
            text TEXT NOT NULL
          ) STRICT;
          CREATE INDEX escalation_notes_by_escalation ON escalation_notes (escalation_id);
          """)
    }
    migrator.registerMigration("v5-search") { db in
      // Full-text search for the inbox's `/`: text and author handle, contentless (the text lives
      // in `mentions` only). Not filled by an insert trigger: measured on 300k mentions, a
      // per-row trigger made ingest 2.6-5.6x slower, while one INSERT … SELECT of the same rows
      // takes about 4 s. So `indexSearch` catches up in bulk from `search_indexed_upto` (the
      // inbox does it in the background), and ingest stays as fast as before. SQLite here is
      // 3.40: no contentless_delete, so an edit removes the old text with FTS5's 'delete'
      // command, only for rows already indexed.
      try db.execute(
        sql: """
          CREATE VIRTUAL TABLE mention_search USING fts5(
            text, handle, content = '', tokenize = 'unicode61 remove_diacritics 2');
          INSERT INTO store_meta (key, value) VALUES ('search_indexed_upto', '0');
          CREATE TRIGGER mention_search_update AFTER UPDATE OF text ON mentions
          WHEN old.id <= (SELECT CAST(value AS INTEGER) FROM store_meta WHERE key = 'search_indexed_upto')
          BEGIN
            INSERT INTO mention_search (mention_search, rowid, text, handle)
              VALUES ('delete', old.id, old.text, (SELECT handle FROM authors WHERE id = old.author_id));
            INSERT INTO mention_search (rowid, text, handle)
              VALUES (new.id, new.text, (SELECT handle FROM authors WHERE id = new.author_id));
          END;
          CREATE TRIGGER mention_search_delete AFTER DELETE ON mentions
          WHEN old.id <= (SELECT CAST(value AS INTEGER) FROM store_meta WHERE key = 'search_indexed_upto')
          BEGIN
            INSERT INTO mention_search (mention_search, rowid, text, handle)
              VALUES ('delete', old.id, old.text, (SELECT handle FROM authors WHERE id = old.author_id));
          END;
          """)
    }
    migrator.registerMigration("v6-queue-counts") { db in
      // The inbox counts a million-mention queue from indexes alone: everything by status, minus
      // the muted ones (few, so this partial index costs ingest next to nothing).
      try db.execute(sql: "CREATE INDEX mentions_muted_by_status ON mentions (status) WHERE muted = 1")
    }
  }
}

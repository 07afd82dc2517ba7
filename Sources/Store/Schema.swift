import Foundation
import GRDB
import Inbox
import Policy

/// The store's versioned schema. Migrations only ever append: a released one never changes.
///
/// A migration's name is a label, not its place: they run in the order registered here (v7 to v13
/// were written side by side and landed as v7, v10, v8, v9, v13, v12). A new one goes last.
enum Schema {
  /// The identifiers of every migration this build knows, oldest first.
  static var migrator: DatabaseMigrator {
    var migrator = DatabaseMigrator()
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
    migrator.registerMigration("v19-follow-up-outcome") { db in
      // Each deadline shows its outcome (issue 14): a reply that answers a pending follow-up (after
      // a holding reply, S12, or the personal follow-up after a complaint, S10) records when it
      // went out and the target it answered, since `follow_up_due_at` moves on or is cleared.
      // Stores from before have no record: their follow-ups show no outcome.
      try db.execute(
        sql: """
          ALTER TABLE mentions ADD COLUMN follow_up_at INTEGER;
          ALTER TABLE mentions ADD COLUMN follow_up_answered_due_at INTEGER;
          """)
    }
    return migrator
  }

  /// The packed form of a signals JSON array as `PolicyAnnotator.signalsJSON` wrote it; nil when
  /// it is not such an array (an unknown kind, a missing field).
  static func packedSignals(json: String) -> PackedSignals? {
    guard let data = json.data(using: .utf8),
      let array = try? JSONSerialization.jsonObject(with: data) as? [Any]
    else { return nil }
    var signals: [Signal] = []
    signals.reserveCapacity(array.count)
    for item in array {
      guard let object = item as? [String: Any], let name = object["kind"] as? String,
        let kind = SignalKind(rawValue: name), let token = object["token"] as? String
      else { return nil }
      let weight: Double
      switch object["weight"] {
      case let number as NSNumber: weight = number.doubleValue
      case is NSNull, nil: weight = .nan
      default: return nil
      }
      signals.append(Signal(kind: kind, token: token, weight: weight))
    }
    return PackedSignals(signals)
  }
}

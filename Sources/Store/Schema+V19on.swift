import GRDB

extension Schema {
  /// v19 onwards. A new migration goes at the end of this function.
  static func registerFromV19(_ migrator: inout DatabaseMigrator) {
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
    migrator.registerMigration("v20-change-feed") { db in
      // A team on one host (issue 17): open inboxes read what changed, not the whole store again.
      try db.execute(sql: changeFeedSQL)
      try db.execute(sql: queueTotalsSQL)
    }
    migrator.registerMigration("v21-outbox-withdrawn") { db in
      // Undo and withdraw (issue 16): a reply still waiting for delivery can be taken back, so the
      // outbox gets the status `withdrawn`, the reason given, and what the mention's clocks were
      // before the reply moved them (`undo_state`), so taking it back restores them. SQLite cannot
      // widen a CHECK in place: the table is rebuilt, as in v16.
      try db.execute(
        sql: """
          CREATE TABLE outbox_v21 (
            id INTEGER PRIMARY KEY,
            mention_id INTEGER NOT NULL REFERENCES mentions(id),
            responder TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('reply', 'holding', 'follow_up')),
            text TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'queued'
              CHECK (status IN ('queued', 'awaiting_approval', 'returned', 'sent', 'failed', 'unverified',
                'withdrawn')),
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
            unverified_at INTEGER,
            undo_state TEXT,
            withdraw_reason TEXT
          ) STRICT;
          INSERT INTO outbox_v21 (id, mention_id, responder, kind, text, status, created_at, updated_at,
            idempotency_key, attempts, next_attempt_at, platform_post_id, platform_url, error,
            reviewed_by, review_note, unverified_at)
          SELECT id, mention_id, responder, kind, text, status, created_at, updated_at,
            idempotency_key, attempts, next_attempt_at, platform_post_id, platform_url, error,
            reviewed_by, review_note, unverified_at
          FROM outbox;
          DROP TABLE outbox;
          ALTER TABLE outbox_v21 RENAME TO outbox;
          CREATE INDEX outbox_by_mention ON outbox (mention_id);
          CREATE INDEX outbox_by_status ON outbox (status, next_attempt_at);
          """)
    }
    migrator.registerMigration("v22-filter-by-language") { db in
      // The filter word `lang:xx` (issue 16): a language the team rarely sees is counted and found
      // from an index at a million mentions, not a scan. The source's language, else the one the
      // classifier read, as the filter compares it.
      try db.execute(
        sql: "CREATE INDEX mentions_by_lang ON mentions (lower(coalesce(lang, detected_lang)))")
    }
    migrator.registerMigration("v23a-batch-totals") { db in
      // Ingest adds a batch's running totals once (issue 17): `Schema.batchTotalsSQL`.
      try db.execute(sql: batchTotalsSQL)
    }
    migrator.registerMigration("v23b-figure-summary") { db in
      // `report` and the supervisor's figures from a summary kept at write time (issue 17):
      // `Schema.figureSummarySQL`, built here from the rows the store already has.
      try db.execute(sql: figureSummarySQL)
    }
    migrator.registerMigration("v24-assign-and-notices") { db in
      // Assign and notices (issue 16): see `assignAndNoticesSQL` (Schema+V24.swift).
      try db.execute(sql: assignAndNoticesSQL)
    }
    migrator.registerMigration("v25-saved-views") { db in
      // Saved views, shared by the team (issue 16): see `savedViewsSQL`.
      try db.execute(sql: savedViewsSQL)
    }
    migrator.registerMigration("v26a-person") { db in
      // The person behind the posts (issue 16): linked identities and the note on the person.
      try db.execute(sql: personSQL)
    }
    migrator.registerMigration("v26b-repeats") { db in
      // Repeated posts folded into the first at ingest (issue 16, `SQLiteStore+Repeats.swift`).
      try db.execute(sql: repeatsSQL)
    }
    migrator.registerMigration("v27-snippets") { db in
      try db.execute(sql: snippetsSQL)
    }
    migrator.registerMigration("v28-open-escalation") { db in
      // The open-escalation flag on mentions and its indexes (issue 16): see `openEscalationSQL`.
      try db.execute(sql: openEscalationSQL)
    }
    migrator.registerMigration("v29-totals-by-language") { db in
      // The running totals by language and open escalation too (issue 17): see `totalsByLanguageSQL`.
      try db.execute(sql: totalsByLanguageSQL)
    }
  }

  /// The change feed: every write that can change what an inbox shows of a mention (its row,
  /// its events, its drafts) appends the mention's id in the same transaction. New mentions are
  /// not in it (ingest writes nothing extra per row): they are the ids above the newest one seen.
  /// An inbox reads the ids after its mark; a commit that only touched an index appends nothing.
  /// Only the newest rows are kept: an inbox further behind reloads everything
  /// (`SQLiteStore.changedMentions`).
  static let changeFeedSQL = """
    CREATE TABLE changes (seq INTEGER PRIMARY KEY, mention_id INTEGER NOT NULL) STRICT;
    CREATE TRIGGER changes_on_mention_update AFTER UPDATE ON mentions
      BEGIN INSERT INTO changes (mention_id) VALUES (NEW.id); END;
    CREATE TRIGGER changes_on_mention_delete AFTER DELETE ON mentions
      BEGIN INSERT INTO changes (mention_id) VALUES (OLD.id); END;
    CREATE TRIGGER changes_on_event AFTER INSERT ON events WHEN NEW.mention_id IS NOT NULL
      BEGIN INSERT INTO changes (mention_id) VALUES (NEW.mention_id); END;
    CREATE TRIGGER changes_on_draft_insert AFTER INSERT ON drafts
      BEGIN INSERT INTO changes (mention_id) VALUES (NEW.mention_id); END;
    CREATE TRIGGER changes_on_draft_update AFTER UPDATE ON drafts
      BEGIN INSERT INTO changes (mention_id) VALUES (NEW.mention_id); END;
    CREATE TRIGGER changes_on_draft_delete AFTER DELETE ON drafts
      BEGIN INSERT INTO changes (mention_id) VALUES (OLD.mention_id); END;
    CREATE TRIGGER changes_pruned AFTER INSERT ON changes WHEN NEW.seq % 1024 = 0
      BEGIN DELETE FROM changes WHERE seq <= NEW.seq - \(changeFeedKept); END;
    """

  /// How many of the newest feed rows are kept (pruned in steps of 1,024).
  static let changeFeedKept = 16_384

  /// Running totals of the queue by platform, category, status, muting and whether the mention
  /// is on a clock (`due_at` set), kept in the writing transaction (by triggers; since v23 ingest
  /// adds a batch's new mentions itself, `SQLiteStore.addToTotals`): the status line
  /// and an unfiltered queue count read a few rows instead of counting hundreds of thousands of
  /// index entries after every commit.
  static let queueTotalsSQL = """
    CREATE TABLE queue_totals (
      platform TEXT NOT NULL, category TEXT NOT NULL, status TEXT NOT NULL, muted INTEGER NOT NULL,
      clocked INTEGER NOT NULL, n INTEGER NOT NULL,
      PRIMARY KEY (platform, category, status, muted, clocked)) STRICT, WITHOUT ROWID;
    INSERT INTO queue_totals
      SELECT platform, coalesce(category, ''), status, muted, due_at IS NOT NULL, count(*) FROM mentions
      GROUP BY platform, coalesce(category, ''), status, muted, due_at IS NOT NULL;
    CREATE TRIGGER queue_totals_on_insert AFTER INSERT ON mentions
      BEGIN
        INSERT INTO queue_totals VALUES (NEW.platform, coalesce(NEW.category, ''), NEW.status, NEW.muted,
          NEW.due_at IS NOT NULL, 1) ON CONFLICT DO UPDATE SET n = n + 1;
      END;
    CREATE TRIGGER queue_totals_on_delete AFTER DELETE ON mentions
      BEGIN
        UPDATE queue_totals SET n = n - 1 WHERE platform = OLD.platform
          AND category = coalesce(OLD.category, '') AND status = OLD.status AND muted = OLD.muted
          AND clocked = (OLD.due_at IS NOT NULL);
      END;
    CREATE TRIGGER queue_totals_on_update AFTER UPDATE OF platform, category, status, muted, due_at ON mentions
      WHEN OLD.platform IS NOT NEW.platform OR OLD.category IS NOT NEW.category
        OR OLD.status IS NOT NEW.status OR OLD.muted IS NOT NEW.muted
        OR (OLD.due_at IS NULL) IS NOT (NEW.due_at IS NULL)
      BEGIN
        UPDATE queue_totals SET n = n - 1 WHERE platform = OLD.platform
          AND category = coalesce(OLD.category, '') AND status = OLD.status AND muted = OLD.muted
          AND clocked = (OLD.due_at IS NOT NULL);
        INSERT INTO queue_totals VALUES (NEW.platform, coalesce(NEW.category, ''), NEW.status, NEW.muted,
          NEW.due_at IS NOT NULL, 1) ON CONFLICT DO UPDATE SET n = n + 1;
      END;
    """
}

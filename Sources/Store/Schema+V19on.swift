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
  }
}

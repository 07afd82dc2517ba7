import GRDB

extension Schema {
  /// Assignment and notices (issue 16, v24): `mentions.assigned_to` (a roster name, beside the
  /// claim), the `notices` table, and the indexes that keep `mine`, the notice line and the
  /// notices made at ingest to indexed lookups.
  static let assignAndNoticesSQL = """
    ALTER TABLE mentions ADD COLUMN assigned_to TEXT;
    CREATE INDEX mentions_by_assignee ON mentions (assigned_to) WHERE assigned_to IS NOT NULL;
    CREATE TABLE notices (
      id INTEGER PRIMARY KEY,
      recipient TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('assigned', 'approved', 'sent_back', 'delivered',
        'delivery_failed', 'thread_reply', 'watched_posted')),
      mention_id INTEGER REFERENCES mentions(id),
      outbox_id INTEGER,
      actor TEXT,
      note TEXT,
      created_at INTEGER NOT NULL,
      read_at INTEGER
    ) STRICT;
    CREATE INDEX notices_unread ON notices (recipient, id) WHERE read_at IS NULL;
    CREATE INDEX notices_by_recipient ON notices (recipient, id);
    CREATE INDEX notices_by_mention ON notices (mention_id);
    CREATE UNIQUE INDEX notices_once_per_arrival ON notices (recipient, kind, mention_id)
      WHERE kind IN ('thread_reply', 'watched_posted');
    CREATE INDEX outbox_by_post ON outbox (platform_post_id) WHERE platform_post_id IS NOT NULL;
    CREATE TRIGGER changes_on_notice AFTER INSERT ON notices WHEN NEW.mention_id IS NOT NULL
      BEGIN INSERT INTO changes (mention_id) VALUES (NEW.mention_id); END;
    """
}

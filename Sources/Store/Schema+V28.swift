import GRDB

extension Schema {
  /// Whether a mention has an open escalation (`new` or `acknowledged`), kept on the mention by
  /// triggers on `escalations`, with an index per queue segment over the flagged rows only: the
  /// window of `escalated` walks the few escalated mentions in the segment's order instead of the
  /// whole segment asking each row (13 ms at a million, issue 16). The flag is only written when
  /// it changes, so a second escalation of the same mention or an acknowledgement adds nothing to
  /// the change feed; the queue's totals and figures do not read it.
  static let openEscalationSQL = """
    ALTER TABLE mentions ADD COLUMN escalated INTEGER NOT NULL DEFAULT 0;
    UPDATE mentions SET escalated = 1 WHERE id IN
      (SELECT mention_id FROM escalations WHERE state IN ('new', 'acknowledged'));
    CREATE INDEX mentions_escalated_by_due ON mentions (due_at)
      WHERE escalated = 1 AND due_at IS NOT NULL AND muted = 0;
    CREATE INDEX mentions_escalated_by_earliest ON mentions (earliest_reply_at)
      WHERE escalated = 1 AND due_at IS NOT NULL AND muted = 0;
    CREATE INDEX mentions_escalated_by_created ON mentions (created_at) WHERE escalated = 1 AND due_at IS NULL;
    CREATE TRIGGER escalated_on_insert AFTER INSERT ON escalations
      WHEN NEW.state IN ('new', 'acknowledged')
      BEGIN
        UPDATE mentions SET escalated = 1 WHERE id = NEW.mention_id AND escalated = 0;
      END;
    CREATE TRIGGER escalated_on_update AFTER UPDATE OF state, mention_id ON escalations
      BEGIN
        \(escalatedRecheck("OLD"))
        \(escalatedRecheck("NEW"))
      END;
    CREATE TRIGGER escalated_on_delete AFTER DELETE ON escalations
      BEGIN
        \(escalatedRecheck("OLD"))
      END;
    """

  /// Sets the flag of the escalation's mention from its escalations, when that changes it.
  private static func escalatedRecheck(_ row: String) -> String {
    """
    UPDATE mentions SET escalated = (SELECT count(*) > 0 FROM escalations
        WHERE mention_id = \(row).mention_id AND state IN ('new', 'acknowledged'))
      WHERE id = \(row).mention_id AND escalated IS NOT (SELECT count(*) > 0 FROM escalations
        WHERE mention_id = \(row).mention_id AND state IN ('new', 'acknowledged'));
    """
  }
}

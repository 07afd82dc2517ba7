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
  }
}

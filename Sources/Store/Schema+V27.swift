import GRDB

extension Schema {
  /// Snippets (issue 16): the team's library of replies beside the policy's templates. A title is
  /// taken once per language among the live ones (proposed or approved), so the picker never
  /// offers two snippets under one name; rejected and retired ones keep theirs for the audit trail.
  static let snippetsSQL = """
    CREATE TABLE snippets (
      id INTEGER PRIMARY KEY,
      lang TEXT NOT NULL,
      title TEXT NOT NULL,
      body TEXT NOT NULL,
      status TEXT NOT NULL DEFAULT 'proposed'
        CHECK (status IN ('proposed', 'approved', 'rejected', 'retired')),
      created_by TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      approved_by TEXT,
      approved_at INTEGER,
      reviewed_by TEXT,
      review_note TEXT
    ) STRICT;
    CREATE UNIQUE INDEX snippets_live_title ON snippets (lang, lower(title))
      WHERE status IN ('proposed', 'approved');
    CREATE INDEX snippets_by_status ON snippets (status, lang);
    """
}

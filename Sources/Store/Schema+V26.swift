import GRDB

extension Schema {
  /// v26: the person behind the posts (issue 16). An author is a person of their own until the
  /// team links them to another identity: `person_links` then names, for each linked author, the
  /// person they belong to (the id of the group's first author, its anchor). The person's note is
  /// kept by that anchor, so one note covers every identity. Both go with `forget`.
  static let personSQL = """
    CREATE TABLE person_links (
      author_id INTEGER PRIMARY KEY REFERENCES authors(id),
      person_id INTEGER NOT NULL REFERENCES authors(id)
    ) STRICT;
    CREATE INDEX person_links_by_person ON person_links (person_id);
    CREATE TABLE person_notes (
      person_id INTEGER PRIMARY KEY REFERENCES authors(id),
      text TEXT NOT NULL,
      updated_by TEXT NOT NULL,
      updated_at INTEGER NOT NULL
    ) STRICT;
    """

  /// v26b: a repeat points at the first post it repeats (`repeat_of`, indexed for the few that
  /// are: a reply to the first finds its repeats); the first counts them (`repeats`), so the
  /// queue shows `×3` from the row itself. Adding the columns rewrites no row.
  static let repeatsSQL = """
    ALTER TABLE mentions ADD COLUMN repeat_of INTEGER;
    ALTER TABLE mentions ADD COLUMN repeats INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX mentions_by_repeat ON mentions (repeat_of) WHERE repeat_of IS NOT NULL;
    """
}

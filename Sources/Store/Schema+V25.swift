import GRDB

extension Schema {
  /// v25: the team's saved views (issue 16). One row per view: the name as typed, its key (the
  /// name lowercased, so `Pers` and `pers` are one view in any script), the filter as typed, the
  /// position that is its key in the inbox, who saved it and when it last changed.
  static let savedViewsSQL = """
    CREATE TABLE views (
      key TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      filter TEXT NOT NULL,
      position INTEGER NOT NULL UNIQUE CHECK (position BETWEEN 1 AND 9),
      created_by TEXT NOT NULL,
      updated_at INTEGER NOT NULL
    ) STRICT;
    """
}

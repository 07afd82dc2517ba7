/// Migration 6 on the server: a person named by handle (`repute person @kees`, the inbox's person
/// view) is found from an index, not a scan of every author.
///
/// `PersonStore.identities` matches the exact handle first, else the handle in any case, as
/// SQLite's `lower` folds it (ASCII letters only). One expression index on the handle folded that
/// way answers both: the exact ones are picked from the few rows it finds. (`UNIQUE (platform,
/// handle)` serves only a lookup that names the platform, in the exact case.)
extension ServerSchema {
  static let version6: [String] = [
    """
    CREATE INDEX authors_by_folded_handle
      ON authors (translate(handle, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'))
    """
  ]
}

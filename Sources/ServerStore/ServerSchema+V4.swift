/// Migration 4 on the server: what erasure needs (`ServerStore+Erasure`).
///
/// - The event log stays append only, with one way through for erasure alone: an update that
///   changes nothing but `detail`, in a transaction that said so with the transaction-local
///   setting `repute.redacting` (`set_config(…, true)`, gone at its end). So a forgotten author's
///   handle leaves the reasons the team typed without lifting the guard for anyone else, and
///   without `ALTER TABLE … DISABLE TRIGGER` (the table's owner only, and a lock that stops every
///   reader of the log). As on SQLite, where erasure drops and restores the trigger inside its
///   own transaction, the guard keeps mistakes out, not a writer who means it.
/// - The store's tombstone salt (`store_meta.tombstone_salt`), drawn at random as every SQLite
///   store draws its own when it is made, so a forgotten post's key is no plain hash of its id.
///   Not where tombstones exist already (a store copied from a file keeps the file's salt, with
///   its tombstones).
extension ServerSchema {
  static let version4: [String] = [
    """
    CREATE OR REPLACE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql
      SET search_path FROM CURRENT AS $$
    BEGIN
      IF TG_OP = 'UPDATE' AND current_setting('repute.redacting', true) = 'on'
        AND (NEW.id, NEW.at, NEW.actor, NEW.action, NEW.mention_id)
          IS NOT DISTINCT FROM (OLD.id, OLD.at, OLD.actor, OLD.action, OLD.mention_id)
      THEN
        RETURN NEW;
      END IF;
      RAISE EXCEPTION 'the event log is append only';
    END $$
    """,
    """
    INSERT INTO store_meta (key, value)
    SELECT 'tombstone_salt', replace(gen_random_uuid()::text, '-', '')
    WHERE NOT EXISTS (SELECT 1 FROM tombstones)
    ON CONFLICT (key) DO NOTHING
    """,
  ]
}

/// Migration 3 on the server: the queue's search and its windows' indexes.
///
/// Search: each mention keeps its search document in `search`, a `tsvector` a trigger writes
/// whenever the text or the author changes, with a GIN index, so there is nothing to catch up
/// (SQLite's FTS5 index is filled in the background; here `indexSearch` has nothing to do).
/// The document is built the way SQLite's index tokenises (`unicode61 remove_diacritics 2`):
/// `search_text` removes accents (`unaccent`), lowercases and keeps only runs of letters and
/// digits, and the 'simple' configuration makes each run a token in its place; the text's tokens
/// first, then the handle's one place further on, so a phrase never runs from the text into the
/// handle. The query (`search_query`) takes each word through the same two steps, so the document
/// and the query cannot disagree about what a token is. Letters beyond ASCII are found by ICU's
/// rules where the server has ICU, else by the database's locale (the C locale would drop them).
/// (Tokens written into the vector one by one in SQL agreed as well, and cost ten times as much
/// per mention: 120 µs against 12.)
///
/// `unaccent` comes with postgresql-contrib; it is a trusted extension, so the store's role may
/// create it (in `repute_ext`, shared by every store in the database) when it may create a schema.
/// Where it is already installed, in whatever schema, that one is used.
///
/// The windows: one index per segment of the queue on its key and the id (the tie-break), so a
/// window is an index range in the queue's own order, from the top or from an anchor.
extension ServerSchema {
  static let version3: [String] = [
    """
    DO $do$
    DECLARE
      ext text;
      fold text;
    BEGIN
      SELECT n.nspname INTO ext FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
        WHERE e.extname = 'unaccent';
      IF ext IS NULL THEN
        BEGIN
          CREATE SCHEMA IF NOT EXISTS repute_ext;
          CREATE EXTENSION unaccent SCHEMA repute_ext;
          ext := 'repute_ext';
        EXCEPTION WHEN OTHERS THEN
          RAISE EXCEPTION 'search needs PostgreSQL''s unaccent extension, which could not be created: %', SQLERRM
            USING HINT = 'install postgresql-contrib on the server, or have the database owner run '
              'CREATE EXTENSION unaccent';
        END;
      END IF;
      fold := CASE WHEN EXISTS (SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu')
        THEN format('lower(%I.unaccent(x) COLLATE "und-x-icu")', ext)
        ELSE format('lower(%I.unaccent(x))', ext) END;
      EXECUTE format($f$
        CREATE FUNCTION search_text(x text) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE
        RETURN regexp_replace(%s, '[^[:alnum:]]+', ' ', 'g') $f$, fold);
    END $do$
    """,
    // The text's tokens, then the handle's one place further on (a gap no phrase spans).
    """
    CREATE FUNCTION search_document(body text, handle text) RETURNS tsvector LANGUAGE sql STABLE PARALLEL SAFE
    RETURN ts_delete(
      to_tsvector('simple', search_text(body)) || ''' '':1'::tsvector
        || to_tsvector('simple', search_text(coalesce(handle, ''))), ' ')
    """,
    // Every word must occur, as the phrase of its tokens (read back from the same parser in
    // place order), the last one's last token as a prefix; words without a token are left out.
    // Null when no word has one.
    """
    CREATE FUNCTION search_query(words text[]) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE
    BEGIN ATOMIC
      WITH w AS (
        SELECT n, ARRAY(
            SELECT replace(replace(l.lexeme, '\\', '\\\\'), '''', '''''')
            FROM unnest(to_tsvector('simple', search_text(u.word))) AS l, unnest(l.positions) AS p ORDER BY p) AS t
        FROM unnest(words) WITH ORDINALITY AS u(word, n)),
      kept AS (
        SELECT row_number() OVER (ORDER BY n) AS k, count(*) OVER () AS total, t FROM w WHERE cardinality(t) > 0)
      SELECT string_agg('(' || (
          SELECT string_agg('''' || tok || '''' || CASE WHEN kept.k = kept.total AND i = cardinality(kept.t)
            THEN ':*' ELSE '' END, ' <-> ' ORDER BY i)
          FROM unnest(kept.t) WITH ORDINALITY AS x(tok, i)) || ')', ' & ' ORDER BY k)
      FROM kept;
    END
    """,
    "ALTER TABLE mentions ADD COLUMN search tsvector",
    """
    CREATE FUNCTION mentions_search() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $b$
    BEGIN
      NEW.search := search_document(NEW.text, (SELECT handle FROM authors WHERE id = NEW.author_id));
      RETURN NEW;
    END $b$
    """,
    """
    CREATE TRIGGER mentions_search BEFORE INSERT OR UPDATE OF text, author_id ON mentions
      FOR EACH ROW EXECUTE FUNCTION mentions_search()
    """,
    // A handle never changes under its key today; should one, its mentions' documents follow.
    """
    CREATE FUNCTION authors_search() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $b$
    BEGIN
      UPDATE mentions SET search = search_document(text, NEW.handle) WHERE author_id = NEW.id;
      RETURN NULL;
    END $b$
    """,
    """
    CREATE TRIGGER authors_search AFTER UPDATE OF handle ON authors
      FOR EACH ROW WHEN (OLD.handle IS DISTINCT FROM NEW.handle) EXECUTE FUNCTION authors_search()
    """,
    "UPDATE mentions m SET search = search_document(m.text, a.handle) FROM authors a WHERE a.id = m.author_id",
    "CREATE INDEX mentions_by_search ON mentions USING gin (search)",
    """
    CREATE INDEX mentions_window_due ON mentions (due_at, id) WHERE due_at IS NOT NULL AND NOT muted
    """,
    """
    CREATE INDEX mentions_window_earliest ON mentions (earliest_reply_at, id) WHERE due_at IS NOT NULL AND NOT muted
    """,
    "CREATE INDEX mentions_window_created ON mentions (created_at, id) WHERE due_at IS NULL AND NOT muted",
  ]
}

/// Migration 13 on the server: rights held by the server (issue 19). See docs/DECISIONS.md,
/// "Rights on the server store", and docs/guide/team-server.md.
///
/// - Two NOLOGIN group roles per store, named for its database and schema (role names are the
///   cluster's, so two stores never share one): `DB_SCHEMA_responder` and `DB_SCHEMA_supervisor`
///   (a long pair shortened with a hash), the supervisor's a member of the responder's. Made by
///   whoever runs the migration (the schema's owner, who needs `CREATEROLE`), or taken as found;
///   `team_groups` names them. A copy of the database (`CREATE DATABASE … TEMPLATE`) uses the
///   original's two until `repute init` runs on it: `team_rehome()` then makes the copy's own.
/// - `team`: the roster in force as the server checks it (login, name, role), rewritten with every
///   policy revision; `team_sync()` (the owner's rights, a supervisor's call) grants each login its
///   group and revokes the groups of logins the roster no longer has.
/// - Grants (`team_grants()`, run again after every later migration): the responder may read and
///   write the working tables; not read the tombstones (`forgotten_among` answers ingest's question
///   without them), not update or delete an event, not write the policy or the roster, not delete a
///   mention, an author or an escalation. The supervisor may besides.
/// - Triggers for what a row's transition says: an event's actor is the writer's roster name (their
///   login mapped through `team`; a client sending its login gets it replaced, any other person's
///   name is refused; the program's own `repute` and `policy` pass); only a supervisor approves or
///   sends back a reply, never their own, and the reviewer is the writer; only a supervisor resolves
///   (an overdue one closes by itself once its mention is no longer overdue) or reassigns an
///   escalation. The schema's owner (and a superuser) is the store's administrator and passes.
extension ServerSchema {
  static let version13: [String] = [
    """
    CREATE TABLE team_groups (
      role text PRIMARY KEY CHECK (role IN ('responder', 'supervisor')), name text NOT NULL UNIQUE)
    """,
    """
    CREATE TABLE team (
      login text PRIMARY KEY, name text NOT NULL,
      role text NOT NULL CHECK (role IN ('responder', 'supervisor')))
    """,
    """
    CREATE FUNCTION team_group(which text) RETURNS text LANGUAGE sql STABLE SET search_path FROM CURRENT AS $$
      SELECT name FROM team_groups WHERE role = which
    $$
    """,
    """
    CREATE FUNCTION team_trusted() RETURNS boolean LANGUAGE sql STABLE SET search_path FROM CURRENT AS $$
      SELECT coalesce(pg_has_role(session_user, n.nspowner, 'MEMBER'), false)
      FROM pg_namespace n WHERE n.nspname = current_schema()
    $$
    """,
    """
    CREATE FUNCTION team_supervisor() RETURNS boolean LANGUAGE sql STABLE SET search_path FROM CURRENT AS $$
      SELECT team_trusted() OR coalesce(pg_has_role(session_user, team_group('supervisor'), 'MEMBER'), false)
    $$
    """,
    """
    CREATE FUNCTION team_actor() RETURNS text LANGUAGE sql STABLE SET search_path FROM CURRENT AS $$
      SELECT coalesce((SELECT name FROM team WHERE login = session_user), session_user::text)
    $$
    """,
    """
    CREATE FUNCTION team_refuse(what text) RETURNS void LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
    BEGIN
      RAISE EXCEPTION '% (you are %)', what, team_actor() USING ERRCODE = '42501';
    END $$
    """,
    """
    CREATE FUNCTION events_actor() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
    DECLARE me text;
    BEGIN
      IF team_trusted() THEN RETURN NEW; END IF;
      me := team_actor();
      IF NEW.actor = session_user::text THEN
        NEW.actor := me;
      ELSIF NEW.actor IS DISTINCT FROM me AND NEW.actor NOT IN ('repute', 'policy') THEN
        PERFORM team_refuse(format('an event is recorded in the name of who writes it, not %s', NEW.actor));
      END IF;
      RETURN NEW;
    END $$
    """,
    // The schema's owner's inserts (a `repute migrate` of a million events) skip the function: the
    // trigger's own condition, with the owner as it is when `repute init` runs, costs nothing.
    """
    CREATE FUNCTION events_actor_trigger() RETURNS void LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
    BEGIN
      DROP TRIGGER IF EXISTS events_actor ON events;
      EXECUTE format('CREATE TRIGGER events_actor BEFORE INSERT ON events FOR EACH ROW '
        || 'WHEN (NOT pg_has_role(session_user, %s::oid, ''MEMBER'')) EXECUTE FUNCTION events_actor()',
        (SELECT nspowner FROM pg_namespace WHERE nspname = current_schema()));
    END $$
    """,
    "SELECT events_actor_trigger()",
    """
    CREATE FUNCTION outbox_review() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        IF NEW.reviewed_by IS NOT NULL AND NOT team_supervisor() THEN
          PERFORM team_refuse('only a supervisor reviews a reply');
        END IF;
        RETURN NEW;
      END IF;
      IF NEW.status IS DISTINCT FROM OLD.status AND OLD.status IN ('awaiting_approval', 'returned')
        AND NEW.status IN ('queued', 'returned')
      THEN
        IF NOT team_supervisor() THEN
          PERFORM team_refuse('only a supervisor approves or sends back a reply');
        END IF;
        IF NOT team_trusted() THEN NEW.reviewed_by := team_actor(); END IF;
        IF lower(coalesce(NEW.reviewed_by, '')) = lower(OLD.responder) THEN
          PERFORM team_refuse('nobody approves or sends back their own reply');
        END IF;
      ELSIF NEW.reviewed_by IS DISTINCT FROM OLD.reviewed_by AND NOT team_supervisor() THEN
        PERFORM team_refuse('only a supervisor reviews a reply');
      END IF;
      RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER outbox_review BEFORE INSERT OR UPDATE ON outbox FOR EACH ROW EXECUTE FUNCTION outbox_review()
    """,
    """
    CREATE FUNCTION escalations_rights() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
    BEGIN
      IF team_supervisor() THEN RETURN NEW; END IF;
      IF NEW.owner IS DISTINCT FROM OLD.owner THEN
        PERFORM team_refuse('only a supervisor takes on or reassigns an escalation');
      END IF;
      IF NEW.state = 'resolved' AND OLD.state <> 'resolved' AND NOT (OLD.reason = 'overdue' AND NOT EXISTS (
        SELECT 1 FROM mentions m WHERE m.id = OLD.mention_id AND m.due_at IS NOT NULL
          AND m.due_at <= coalesce(NEW.resolved_at, NEW.updated_at) AND NOT m.muted
          AND m.status IN ('open', 'holding', 'replied', 'snoozed')))
      THEN
        PERFORM team_refuse('only a supervisor resolves an escalation');
      END IF;
      RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER escalations_rights BEFORE UPDATE ON escalations FOR EACH ROW EXECUTE FUNCTION escalations_rights()
    """,
    """
    CREATE FUNCTION forgotten_among(keys text[]) RETURNS SETOF text LANGUAGE sql STABLE SECURITY DEFINER
      SET search_path FROM CURRENT AS $$
      SELECT key FROM tombstones WHERE key = ANY(keys)
    $$
    """,
    """
    CREATE FUNCTION team_sync() RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
    DECLARE
      responder text := team_group('responder');
      supervisor text := team_group('supervisor');
      r record;
    BEGIN
      IF NOT team_supervisor() THEN PERFORM team_refuse('only a supervisor changes the team'); END IF;
      FOR r IN
        SELECT m.rolname AS login, g.rolname AS grp
        FROM pg_auth_members am JOIN pg_roles g ON g.oid = am.roleid JOIN pg_roles m ON m.oid = am.member
        WHERE g.rolname IN (responder, supervisor) AND m.rolname <> supervisor AND NOT am.admin_option
          AND NOT EXISTS (SELECT 1 FROM team t WHERE t.login = m.rolname
            AND CASE t.role WHEN 'supervisor' THEN supervisor ELSE responder END = g.rolname)
      LOOP
        EXECUTE format('REVOKE %I FROM %I', r.grp, r.login);
      END LOOP;
      FOR r IN
        SELECT t.login, CASE t.role WHEN 'supervisor' THEN supervisor ELSE responder END AS grp
        FROM team t JOIN pg_roles p ON p.rolname = t.login
        WHERE t.login NOT IN (responder, supervisor) AND NOT EXISTS (
          SELECT 1 FROM pg_auth_members am JOIN pg_roles g ON g.oid = am.roleid
          WHERE am.member = p.oid AND g.rolname = CASE t.role WHEN 'supervisor' THEN supervisor ELSE responder END)
      LOOP
        EXECUTE format('GRANT %I TO %I', r.grp, r.login);
      END LOOP;
    END $$
    """,
    """
    CREATE FUNCTION team_grants() RETURNS void LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
    DECLARE
      s text := current_schema();
      responder text := team_group('responder');
      supervisor text := team_group('supervisor');
    BEGIN
      EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', s, responder);
      EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO %I', s, responder);
      EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO %I', s, responder);
      EXECUTE format('REVOKE ALL ON tombstones FROM %I', responder);
      EXECUTE format('REVOKE UPDATE, DELETE ON events FROM %I', responder);
      EXECUTE format('REVOKE INSERT, UPDATE, DELETE ON policies, team, team_groups, schema_migrations FROM %I', responder);
      EXECUTE format('REVOKE DELETE ON mentions, authors, mention_revisions, escalations FROM %I', responder);
      EXECUTE format('GRANT %I TO %I', responder, supervisor);
      EXECUTE format('GRANT SELECT, INSERT ON tombstones TO %I', supervisor);
      EXECUTE format('GRANT UPDATE (detail) ON events TO %I', supervisor);
      EXECUTE format('GRANT INSERT ON policies TO %I', supervisor);
      EXECUTE format('GRANT INSERT, UPDATE, DELETE ON team TO %I', supervisor);
      EXECUTE format('GRANT DELETE ON mentions, authors, mention_revisions, escalations TO %I', supervisor);
      EXECUTE format('REVOKE ALL ON FUNCTION forgotten_among(text[]), team_sync() FROM PUBLIC');
      EXECUTE format('GRANT EXECUTE ON FUNCTION forgotten_among(text[]) TO %I', responder);
      EXECUTE format('GRANT EXECUTE ON FUNCTION team_sync() TO %I', supervisor);
      IF to_regnamespace('repute_ext') IS NOT NULL THEN
        EXECUTE format('GRANT USAGE ON SCHEMA repute_ext TO %I', responder);
      END IF;
    END $$
    """,
    """
    DO $$
    BEGIN
      EXECUTE format('ALTER FUNCTION forgotten_among(text[]) SET search_path = %I, pg_temp', current_schema());
      EXECUTE format('ALTER FUNCTION team_sync() SET search_path = %I, pg_temp', current_schema());
    END $$
    """,
    """
    CREATE FUNCTION team_rehome() RETURNS boolean LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
    DECLARE
      base text := current_database() || '_' || current_schema();
      r text;
      old text;
    BEGIN
      IF length(base) > 48 THEN base := left(base, 39) || '_' || left(md5(base), 8); END IF;
      IF team_trusted() THEN PERFORM events_actor_trigger(); END IF;
      IF (SELECT count(*) FROM team_groups WHERE name = base || '_' || role) = 2 THEN RETURN false; END IF;
      FOREACH r IN ARRAY ARRAY['responder', 'supervisor'] LOOP
        old := team_group(r);
        IF old IS NOT NULL AND EXISTS (SELECT FROM pg_roles WHERE rolname = old) THEN
          EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA %I FROM %I', current_schema(), old);
          EXECUTE format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA %I FROM %I', current_schema(), old);
          EXECUTE format('REVOKE ALL ON ALL FUNCTIONS IN SCHEMA %I FROM %I', current_schema(), old);
          EXECUTE format('REVOKE ALL ON SCHEMA %I FROM %I', current_schema(), old);
        END IF;
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = base || '_' || r) THEN
          BEGIN
            EXECUTE format('CREATE ROLE %I NOLOGIN', base || '_' || r);
          EXCEPTION WHEN insufficient_privilege THEN
            RAISE EXCEPTION 'repute init makes the team''s group roles %_responder and %_supervisor, and % may not create roles: as the server''s superuser, ALTER ROLE % CREATEROLE, or make the two and GRANT them TO % WITH ADMIN OPTION (docs/guide/team-server.md)',
              base, base, current_user, quote_ident(current_user), quote_ident(current_user) USING ERRCODE = '42501';
          END;
        END IF;
        INSERT INTO team_groups (role, name) VALUES (r, base || '_' || r)
          ON CONFLICT (role) DO UPDATE SET name = excluded.name;
      END LOOP;
      PERFORM team_grants();
      PERFORM team_sync();
      RETURN true;
    END $$
    """,
    "SELECT team_rehome()",
  ]
}

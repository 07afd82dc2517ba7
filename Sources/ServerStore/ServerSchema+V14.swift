/// Migration 14 on the server: the columns that name a person are signed by the server (issue 19,
/// "anyone signing as anyone"). See docs/DECISIONS.md, "Rights on the server store: who signs".
///
/// For a writer who is not the store's administrator (`team_trusted()`), a column that says who
/// wrote a row holds the writer's roster name, as an event's actor does (migration 13): a client
/// sending its login gets it replaced by the name, one sending anybody else's name is refused
/// (42501, saying why). By what the column means:
/// - a reply's responder, a note's and an escalation note's author, an escalation's creator, who
///   watches an author, who made a view or a snippet: the writer, never changed afterwards; the
///   program's own labels (`repute`, `policy`) pass where it writes them (notes, escalations);
/// - a draft's author: the writer (a supervisor sending a reply back writes its responder's);
///   a person note's, a snippet review's: the writer, each time it changes;
/// - a mention's claim: a responder claims it for themselves (taking it over included) and
///   releases only their own; only a supervisor assigns a mention or claims it for someone else,
///   or gives a new escalation an owner.
/// And four eyes at the source: a reply inserted by someone who is not a supervisor waits for
/// approval (`awaiting_approval`) when the policy in force says its mention's replies do —
/// `approval_rules`, the policy's `approval_categories` and `approval_reasons`, rewritten with
/// every revision as `team` is (`ServerStore.writeTeam`); `reply_needs_approval(mention)` is the
/// server's copy of `EscalationRules.needsApproval` over the mention's category and every reason it
/// was ever escalated for; an escalation's reason and mention are therefore never changed.
extension ServerSchema {
  static let version14: [String] = [
    """
    CREATE TABLE approval_rules (
      one boolean PRIMARY KEY DEFAULT true CHECK (one),
      categories text[] NOT NULL DEFAULT '{}', reasons text[] NOT NULL DEFAULT '{}')
    """,
    """
    CREATE FUNCTION reply_needs_approval(mention bigint) RETURNS boolean LANGUAGE sql STABLE
      SET search_path FROM CURRENT AS $$
      SELECT coalesce((
        SELECT m.category = ANY(a.categories) OR EXISTS (
          SELECT 1 FROM escalations e WHERE e.mention_id = m.id AND e.reason = ANY(a.reasons))
        FROM approval_rules a, mentions m WHERE m.id = mention), false)
    $$
    """,
    // The name a non-trusted writer may put in a column that says who wrote the row: their own
    // (their login becomes it), the program's labels where `labels`, else refused.
    """
    CREATE FUNCTION team_signed(given text, what text, labels boolean) RETURNS text LANGUAGE plpgsql
      SET search_path FROM CURRENT AS $$
    DECLARE me text := team_actor();
    BEGIN
      IF given IS NULL OR given = me OR (labels AND given IN ('repute', 'policy')) THEN RETURN given; END IF;
      IF given = session_user::text THEN RETURN me; END IF;
      PERFORM team_refuse(format('%s is who writes it, not %s', what, given));
      RETURN NULL;
    END $$
    """,
    // One row trigger for the plain columns: TG_ARGV is the column, what it holds (for the
    // message) and its flags: `labels` (the program's own pass), `kept` (an update may not change
    // it), `supervisor` (a supervisor may name anyone).
    """
    CREATE FUNCTION team_signed_row() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
    DECLARE
      col text := TG_ARGV[0];
      flags text := TG_ARGV[2];
      given text := to_jsonb(NEW) ->> col;
      signed text;
    BEGIN
      IF team_trusted() THEN RETURN NEW; END IF;
      IF TG_OP = 'UPDATE' THEN
        IF given IS NOT DISTINCT FROM to_jsonb(OLD) ->> col THEN RETURN NEW; END IF;
        IF flags LIKE '%kept%' THEN
          PERFORM team_refuse(format('%s does not change (%s)', TG_ARGV[1], to_jsonb(OLD) ->> col));
        END IF;
      END IF;
      IF flags LIKE '%supervisor%' AND team_supervisor() AND given IS DISTINCT FROM session_user::text THEN
        RETURN NEW;
      END IF;
      signed := team_signed(given, TG_ARGV[1], flags LIKE '%labels%');
      IF signed IS DISTINCT FROM given THEN
        NEW := jsonb_populate_record(NEW, jsonb_build_object(col, signed));
      END IF;
      RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER notes_signed BEFORE INSERT OR UPDATE OF author ON notes FOR EACH ROW
      EXECUTE FUNCTION team_signed_row('author', 'a note''s author', 'labels kept')
    """,
    """
    CREATE TRIGGER escalation_notes_signed BEFORE INSERT OR UPDATE OF author ON escalation_notes FOR EACH ROW
      EXECUTE FUNCTION team_signed_row('author', 'an escalation note''s author', 'labels kept')
    """,
    """
    CREATE TRIGGER escalations_signed BEFORE INSERT OR UPDATE OF created_by ON escalations FOR EACH ROW
      EXECUTE FUNCTION team_signed_row('created_by', 'who escalates', 'labels kept')
    """,
    """
    CREATE TRIGGER drafts_signed BEFORE INSERT OR UPDATE OF author ON drafts FOR EACH ROW
      EXECUTE FUNCTION team_signed_row('author', 'a draft''s author', 'supervisor')
    """,
    """
    CREATE TRIGGER person_notes_signed BEFORE INSERT OR UPDATE OF updated_by ON person_notes FOR EACH ROW
      EXECUTE FUNCTION team_signed_row('updated_by', 'a person note''s author', '')
    """,
    """
    CREATE TRIGGER watched_authors_signed BEFORE INSERT OR UPDATE OF watched_by ON watched_authors FOR EACH ROW
      EXECUTE FUNCTION team_signed_row('watched_by', 'who watches an author', 'kept')
    """,
    """
    CREATE TRIGGER views_signed BEFORE INSERT OR UPDATE OF created_by ON views FOR EACH ROW
      EXECUTE FUNCTION team_signed_row('created_by', 'a view''s owner', 'kept')
    """,
    """
    CREATE TRIGGER snippets_signed BEFORE INSERT OR UPDATE OF created_by ON snippets FOR EACH ROW
      EXECUTE FUNCTION team_signed_row('created_by', 'a snippet''s author', 'kept')
    """,
    """
    CREATE TRIGGER snippets_approved_signed BEFORE INSERT OR UPDATE OF approved_by ON snippets FOR EACH ROW
      EXECUTE FUNCTION team_signed_row('approved_by', 'who approves a snippet', '')
    """,
    """
    CREATE TRIGGER snippets_reviewed_signed BEFORE INSERT OR UPDATE OF reviewed_by ON snippets FOR EACH ROW
      EXECUTE FUNCTION team_signed_row('reviewed_by', 'who reviews a snippet', '')
    """,
    """
    CREATE TRIGGER mentions_category_signed BEFORE UPDATE OF category_by ON mentions FOR EACH ROW
      WHEN (NEW.category_by IS DISTINCT FROM OLD.category_by)
      EXECUTE FUNCTION team_signed_row('category_by', 'who sets a category', 'labels')
    """,
    // An escalation's owner is a supervisor's to give (migration 13 holds the change), also
    // when the row is new: `repute` inserts escalations without one.
    """
    CREATE FUNCTION escalations_owner_given() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
    BEGIN
      IF NOT team_supervisor() THEN
        PERFORM team_refuse('only a supervisor takes on or reassigns an escalation');
      END IF;
      RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER escalations_owner_given BEFORE INSERT ON escalations FOR EACH ROW
      WHEN (NEW.owner IS NOT NULL) EXECUTE FUNCTION escalations_owner_given()
    """,
    // Four eyes reads every reason a mention was escalated for: an escalation keeps its mention
    // and reason (`repute` never changes either), or a responder could word an approval away.
    """
    CREATE FUNCTION escalations_reason_kept() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
    BEGIN
      IF NOT team_trusted() THEN
        PERFORM team_refuse(format('an escalation keeps its mention and reason (%s, %s)', OLD.mention_id, OLD.reason));
      END IF;
      RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER escalations_reason_kept BEFORE UPDATE OF reason, mention_id ON escalations FOR EACH ROW
      WHEN (NEW.reason IS DISTINCT FROM OLD.reason OR NEW.mention_id IS DISTINCT FROM OLD.mention_id)
      EXECUTE FUNCTION escalations_reason_kept()
    """,
    // A reply: sent in its writer's name, kept; and by someone who is not a supervisor, held for
    // approval when its mention's replies need it.
    """
    CREATE FUNCTION outbox_signed() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
    BEGIN
      IF team_trusted() THEN RETURN NEW; END IF;
      IF TG_OP = 'UPDATE' THEN
        PERFORM team_refuse(format('a reply''s responder does not change (%s)', OLD.responder));
      END IF;
      NEW.responder := team_signed(NEW.responder, 'a reply''s responder', false);
      IF NEW.status <> 'awaiting_approval' AND NOT team_supervisor() AND reply_needs_approval(NEW.mention_id) THEN
        PERFORM team_refuse(format(
          'a reply to mention %s waits for a supervisor''s approval (status awaiting_approval, not %s): '
          || 'the policy''s approval categories or reasons name it', NEW.mention_id, NEW.status));
      END IF;
      RETURN NEW;
    END $$
    """,
    "CREATE TRIGGER outbox_signed BEFORE INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION outbox_signed()",
    """
    CREATE TRIGGER outbox_responder_kept BEFORE UPDATE OF responder ON outbox FOR EACH ROW
      WHEN (NEW.responder IS DISTINCT FROM OLD.responder) EXECUTE FUNCTION outbox_signed()
    """,
    // A claim and an assignment. Ingest inserts mentions with neither: the condition skips them.
    """
    CREATE FUNCTION mentions_signed() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
    DECLARE
      me text;
      claimed text;
      assigned text;
    BEGIN
      IF team_trusted() THEN RETURN NEW; END IF;
      me := team_actor();
      IF TG_OP = 'UPDATE' THEN claimed := OLD.claimed_by; assigned := OLD.assigned_to; END IF;
      IF NEW.claimed_by = session_user::text THEN NEW.claimed_by := me; END IF;
      IF NEW.assigned_to = session_user::text THEN NEW.assigned_to := me; END IF;
      IF team_supervisor() THEN RETURN NEW; END IF;
      IF NEW.assigned_to IS DISTINCT FROM assigned THEN
        PERFORM team_refuse('only a supervisor assigns a mention');
      END IF;
      IF NEW.claimed_by IS NOT DISTINCT FROM claimed THEN RETURN NEW; END IF;
      IF NEW.claimed_by IS NULL AND claimed IS DISTINCT FROM me AND claimed IS DISTINCT FROM session_user::text THEN
        PERFORM team_refuse(format('a claim is released by who holds it (%s)', claimed));
      ELSIF NEW.claimed_by IS DISTINCT FROM me AND NEW.claimed_by IS NOT NULL THEN
        PERFORM team_refuse(format('a claim is in the name of who claims it, not %s', NEW.claimed_by));
      END IF;
      RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER mentions_signed BEFORE INSERT ON mentions FOR EACH ROW
      WHEN (NEW.claimed_by IS NOT NULL OR NEW.assigned_to IS NOT NULL) EXECUTE FUNCTION mentions_signed()
    """,
    """
    CREATE TRIGGER mentions_claim_signed BEFORE UPDATE OF claimed_by, assigned_to ON mentions FOR EACH ROW
      WHEN (NEW.claimed_by IS DISTINCT FROM OLD.claimed_by OR NEW.assigned_to IS DISTINCT FROM OLD.assigned_to)
      EXECUTE FUNCTION mentions_signed()
    """,
    // The rules are the policy's: a responder reads them, a supervisor's policy revision writes
    // them. Migration 13's grants, then these (run again after every later migration too).
    "ALTER FUNCTION team_grants() RENAME TO team_grants_13",
    """
    CREATE FUNCTION team_grants() RETURNS void LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
    BEGIN
      PERFORM team_grants_13();
      EXECUTE format('REVOKE INSERT, UPDATE, DELETE ON approval_rules FROM %I', team_group('responder'));
      EXECUTE format('GRANT INSERT, UPDATE, DELETE ON approval_rules TO %I', team_group('supervisor'));
    END $$
    """,
  ]
}

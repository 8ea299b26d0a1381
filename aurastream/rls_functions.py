"""The SQL row-level security rests on (``aurastream.rls``): the signing key's home, the
functions that verify the acting-user marker, and the trigger that keeps an account's rights to
system work. Assembled from nothing but these constants."""

# Everything the policies rest on. Idempotent: a later migration may run it again.
IDENTITY_SQL = [
    "CREATE EXTENSION IF NOT EXISTS pgcrypto",
    # Nobody but the owner creates anything in public (PostgreSQL 15's default; older clusters
    # let everyone), and nobody but the owner may use app_private: the signing key lives there.
    "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
    "CREATE SCHEMA IF NOT EXISTS app_private",
    "REVOKE ALL ON SCHEMA app_private FROM PUBLIC",
    """
    CREATE TABLE IF NOT EXISTS app_private.rls_key (
        id smallint PRIMARY KEY CHECK (id = 1),
        key bytea NOT NULL
    )
    """,
    # The verified subject of this transaction's marker, or NULL. SECURITY DEFINER: it runs as
    # the owner, who may read the key; a search_path of the catalogue alone (temporary objects
    # last) and qualified names, so no caller can shadow what it reads or calls.
    #
    # PL/pgSQL, and the marker split on its colons, for speed: every policy calls these once a
    # query (or more: one per protected table it reads), and the SQL version cost about 0.35 ms
    # a call, as much as the query it guarded. A SQL function that can't be inlined (SECURITY
    # DEFINER) is planned again at every call, and its `[0-9a-f]{64}` regular expression took
    # most of that; PL/pgSQL keeps its plans for the session, and the signature needs no
    # pattern of its own, as it must equal the HMAC's hex digest exactly. About 20 µs a call.
    """
    CREATE OR REPLACE FUNCTION app_acting_subject() RETURNS text
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    DECLARE
        marker text := current_setting('app.user_id', true);
        subject text := split_part(marker, ':', 1);
        txid text := split_part(marker, ':', 2);
        signature text := split_part(marker, ':', 3);
        signing_key bytea;
    BEGIN
        -- Exactly <system or digits>:<this transaction's id>:<signature>, nothing around it.
        IF marker IS NULL
                OR marker <> subject || ':' || txid || ':' || signature
                OR NOT (subject = 'system' OR subject ~ '^[0-9]+$')
                OR txid IS DISTINCT FROM txid_current_if_assigned()::text THEN
            RETURN NULL;
        END IF;
        SELECT k.key INTO signing_key FROM app_private.rls_key AS k WHERE k.id = 1;
        IF signing_key IS NULL OR signature IS DISTINCT FROM encode(
                public.hmac(convert_to(subject || ':' || txid, 'UTF8'::name), signing_key, 'sha256'), 'hex'
            ) THEN
            RETURN NULL;
        END IF;
        RETURN subject;
    END
    $$
    """,
    # The creator the transaction acts for (0: signed out), or NULL.
    """
    CREATE OR REPLACE FUNCTION app_acting_user() RETURNS bigint
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    DECLARE
        subject text := public.app_acting_subject();
    BEGIN
        RETURN CASE WHEN subject ~ '^[0-9]+$' THEN subject::bigint END;
    END
    $$
    """,
    # System work: a verified system marker, or a session connected as the database's owner.
    """
    CREATE OR REPLACE FUNCTION app_system() RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    BEGIN
        RETURN coalesce(public.app_acting_subject() = 'system', false)
            OR session_user = (
                SELECT pg_get_userbyid(d.datdba) FROM pg_catalog.pg_database AS d
                WHERE d.datname = current_database()
            );
    END
    $$
    """,
]

# Only system work (staff in the admin) makes an account staff, superuser or inactive: a
# creator's own row is theirs to change, these three columns are not.
ACCOUNT_GUARD_SQL = [
    """
    CREATE OR REPLACE FUNCTION app_guard_account_rights() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    BEGIN
        IF public.app_system() THEN
            RETURN NEW;
        END IF;
        IF TG_OP = 'INSERT' AND (NEW.is_staff OR NEW.is_superuser) THEN
            RAISE EXCEPTION 'only system work makes an account staff'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF TG_OP = 'UPDATE' AND (NEW.is_staff, NEW.is_superuser, NEW.is_active)
                IS DISTINCT FROM (OLD.is_staff, OLD.is_superuser, OLD.is_active) THEN
            RAISE EXCEPTION 'only system work changes an account''s rights'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
    END
    $$
    """,
    "DROP TRIGGER IF EXISTS guard_account_rights ON accounts_user",
    """
    CREATE TRIGGER guard_account_rights BEFORE INSERT OR UPDATE ON accounts_user
    FOR EACH ROW EXECUTE FUNCTION app_guard_account_rights()
    """,
]

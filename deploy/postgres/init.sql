-- The application's database role. Mounted into /docker-entrypoint-initdb.d, so the postgres
-- image runs it once, when it initialises an empty data volume, in POSTGRES_DB as
-- POSTGRES_USER: the role that owns the database, that `migrate` connects as, and so the owner
-- of every table the migrations create.
--
-- The app (web, ws, workers, beat) connects as aurastream_app instead: it may read and write
-- rows, but it is no superuser, cannot bypass row-level security and owns no table, so RLS
-- policies apply to it. Its password comes from AURASTREAM_APP_DB_PASSWORD (psql 15+ reads
-- the environment with \getenv).
--
-- An existing volume is never re-initialised: to apply this to one (it is idempotent), run
--   docker compose exec -T postgres sh -c 'psql -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d "$POSTGRES_DB"' < deploy/postgres/init.sql

\set ON_ERROR_STOP on

\getenv app_password AURASTREAM_APP_DB_PASSWORD
\if :{?app_password}
\else
\set app_password ''
\endif
SELECT length(:'app_password') = 0 AS app_password_missing \gset
\if :app_password_missing
DO $$ BEGIN RAISE EXCEPTION 'AURASTREAM_APP_DB_PASSWORD is not set: the aurastream_app role needs a password'; END $$;
\endif

SELECT current_database() AS db_name \gset

-- Idempotent, so it can also be run by hand on an existing volume (see above).
SELECT NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'aurastream_app') AS app_role_missing \gset
\if :app_role_missing
CREATE ROLE aurastream_app;
\endif
ALTER ROLE aurastream_app
    LOGIN PASSWORD :'app_password'
    NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION INHERIT;

GRANT CONNECT, TEMPORARY ON DATABASE :"db_name" TO aurastream_app;
-- Use the schema, never create in it: only migrations change the schema.
GRANT USAGE ON SCHEMA public TO aurastream_app;

-- Rows only (DML), on what exists now and on what the owner creates from now on. ALTER DEFAULT
-- PRIVILEGES without FOR ROLE covers objects created by the role running this script, which
-- is the owner that `migrate` connects as.
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO aurastream_app;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO aurastream_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO aurastream_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public
    GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO aurastream_app;

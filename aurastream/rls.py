"""PostgreSQL row-level security on every table that holds creators' data: the second wall.

Selectors scope every read to its owner; these policies hold even where a query forgets to,
and they fail closed: a query that names nobody sees no private row.

Who a query acts for is the transaction's ``app.user_id`` setting, which
``aurastream.db.acting_user`` writes for every unit of work. The setting is a signed marker,
``<subject>:<transaction id>:<HMAC-SHA256>``, and the policies believe it only when
``app_acting_subject()`` verifies it:

- the key lives in ``app_private.rls_key``, a schema only the owner role (the one migrations
  run as) can reach; the app's role can call the verifying functions (SECURITY DEFINER) but
  never read the key, so SQL run as the app role can't sign a marker of its own;
- the marker names the transaction it was signed for, so one copied from another session
  (``pg_stat_activity`` shows the app role its own sessions' queries) is worthless elsewhere.

Subjects: a creator's id sees that creator's rows (plus publicly shared assets and their
files, to read); ``0`` (``db.ANONYMOUS``, a signed-out request) only what is shared;
``system`` (staff in the admin, sign-in and sign-up, webhooks, scheduled clean-ups) every row.
A session connected as the database's owner role is system work too: that role owns the tables
and could switch the policies off anyway. No marker, a forged one, or one from another
transaction: no private rows at all.

The app's role owns no table (migrations run as the owner), is neither superuser nor
BYPASSRLS, and the policies are FORCEd so they bind the owner's own queries as well. Each
app's migration calls ``enable`` for its own tables; on other databases (SQLite) the
operations do nothing. ``sync`` (after every ``migrate``) writes the key derived from
SECRET_KEY and grants the app role its rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .rls_functions import ACCOUNT_GUARD_SQL, IDENTITY_SQL

# The SQL below is assembled from table and column names written in migrations, never from input.

# Wrapped in a sub-select so PostgreSQL verifies the marker once per query, not once per row.
SYSTEM = "(SELECT app_system())"
ACTING_USER = "(SELECT app_acting_user())"

# A library asset anyone may see: shared by its owner, not deleted, not taken down.
PUBLIC_ASSET = (
    "visibility = 'public' AND share_token IS NOT NULL AND deleted_at IS NULL AND taken_down_at IS NULL"
)


@dataclass(frozen=True)
class Owned:
    """A table whose rows belong to the user in ``column``."""

    table: str
    column: str


@dataclass(frozen=True)
class Through:
    """A table whose rows belong to whoever owns the parent row ``column`` points at."""

    table: str
    column: str
    parent: str
    parent_owner: str
    public_parent: str = ""  # a condition on the parent that makes the child readable to anyone
    parent_key: str = "id"  # the parent's column that ``column`` refers to


@dataclass(frozen=True)
class OwnedReadOnly:
    """A table whose rows the user in ``column`` may read but only system work may write (plan
    grants, group and permission memberships: rights, not content)."""

    table: str
    column: str


@dataclass(frozen=True)
class InWorkspace:
    """A table whose rows belong to the workspace ``column`` points at: its members with at
    least ``read`` may read them, with at least ``write`` may write them (roles from
    ``workspaces.models.Role``)."""

    table: str
    column: str = "workspace_id"
    write: str = "editor"
    read: str = "viewer"


@dataclass(frozen=True)
class ThroughWorkspace:
    """A table whose rows belong to the workspace of the parent row ``column`` points at (a
    rendition through its asset): roles as in ``InWorkspace``."""

    table: str
    column: str
    parent: str
    write: str = "editor"
    read: str = "viewer"
    public_parent: str = ""  # a condition on the parent that makes the child readable to anyone
    parent_key: str = "id"

    def rows(self, role: str) -> str:
        parents = f"SELECT {self.parent_key} FROM {self.parent} WHERE {in_workspaces('workspace_id', role)}"  # noqa: S608 - names from our own rules, no input
        return f"{self.column} IN ({parents})"


@dataclass(frozen=True)
class OwnedInWorkspace:
    """A table whose rows belong to the user in ``column`` and also answer to a workspace
    (``workspace_column``): only their user writes them; the workspace's members with at
    least ``read`` may read them too (API keys: their maker's; the admins of the workspace
    they act in see them, and revoke one as system work once the service has checked the
    role, so nobody else can ever write a key's hash or whose it is)."""

    table: str
    column: str
    workspace_column: str = "workspace_id"
    read: str = "admin"


@dataclass(frozen=True)
class SystemOnly:
    """A table only system work may touch (sessions, webhook logs, signing secrets)."""

    table: str


Protected = Owned | Through | OwnedReadOnly | InWorkspace | ThroughWorkspace | OwnedInWorkspace | SystemOnly

# A role's rank, as ``app_workspaces`` compares them.
ROLE_RANKS = {"viewer": 1, "editor": 2, "admin": 3, "owner": 4}


def in_workspaces(column: str, role: str) -> str:
    """``column`` names a workspace where the acting user's role is ``role`` or above (the
    array is computed once per query)."""
    return f"{column} = ANY((SELECT app_workspaces({ROLE_RANKS[role]}))::bigint[])"


# The workspaces the acting user belongs to with at least a rank, read from the memberships
# table as its owner (that table's policies don't bind its owner, so this never recurses).
WORKSPACE_SQL = [
    # PL/pgSQL for the same reason as app_acting_subject: its plan is kept for the session.
    """
    CREATE OR REPLACE FUNCTION app_workspaces(min_rank integer) RETURNS bigint[]
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    DECLARE
        acting bigint := public.app_acting_user();
    BEGIN
        IF acting IS NULL THEN
            RETURN '{}';
        END IF;
        RETURN (
            SELECT coalesce(array_agg(m.workspace_id), '{}')
            FROM public.workspaces_membership AS m
            WHERE m.user_id = acting
              AND CASE m.role
                      WHEN 'owner' THEN 4 WHEN 'admin' THEN 3 WHEN 'editor' THEN 2 WHEN 'viewer' THEN 1
                      ELSE 0
                  END >= min_rank
        );
    END
    $$
    """,
]
Migrate = Callable[[Any, Any], None]  # a RunPython function: (apps, schema_editor)


def _owner_condition(rule: Owned | Through | OwnedReadOnly | OwnedInWorkspace) -> str:
    if isinstance(rule, Owned | OwnedReadOnly | OwnedInWorkspace):
        return f"{rule.column} = {ACTING_USER}"
    parents = f"SELECT {rule.parent_key} FROM {rule.parent} WHERE {rule.parent_owner} = {ACTING_USER}"  # noqa: S608 - names from our own rules, no input
    return f"{rule.column} IN ({parents})"


def enable_sql(rule: Protected, *, public: str = "") -> list[str]:
    """Statements that protect ``rule.table`` (replacing any policies it had); ``public``: a
    condition under which anyone may read a row (for a ``Through`` table, its
    ``public_parent`` is used)."""
    # System-only and read-only rules: only the system writes (an owner reads through own_rows).
    if isinstance(rule, InWorkspace):
        condition = f"{SYSTEM} OR {in_workspaces(rule.column, rule.write)}"
    elif isinstance(rule, ThroughWorkspace):
        condition = f"{SYSTEM} OR {rule.rows(rule.write)}"
    elif isinstance(rule, SystemOnly | OwnedReadOnly):
        condition = SYSTEM
    else:
        condition = f"{SYSTEM} OR {_owner_condition(rule)}"
    statements = [
        *_drop_policies(rule.table),
        f"ALTER TABLE {rule.table} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {rule.table} FORCE ROW LEVEL SECURITY",
        f"CREATE POLICY acting_user_rows ON {rule.table} USING ({condition}) WITH CHECK ({condition})",
    ]
    if isinstance(rule, OwnedReadOnly):
        statements.append(
            f"CREATE POLICY own_rows ON {rule.table} FOR SELECT USING ({_owner_condition(rule)})"
        )
    if isinstance(rule, InWorkspace) and rule.read != rule.write:
        readers = in_workspaces(rule.column, rule.read)
        statements.append(f"CREATE POLICY own_rows ON {rule.table} FOR SELECT USING ({readers})")
    if isinstance(rule, ThroughWorkspace) and rule.read != rule.write:
        statements.append(f"CREATE POLICY own_rows ON {rule.table} FOR SELECT USING ({rule.rows(rule.read)})")
    if isinstance(rule, OwnedInWorkspace):
        readers = in_workspaces(rule.workspace_column, rule.read)
        statements.append(f"CREATE POLICY own_rows ON {rule.table} FOR SELECT USING ({readers})")
    if isinstance(rule, Through | ThroughWorkspace) and rule.public_parent:
        public = f"{rule.column} IN (SELECT {rule.parent_key} FROM {rule.parent} WHERE {rule.public_parent})"  # noqa: S608 - names from our own rules, no input
    if public:
        statements.append(f"CREATE POLICY public_rows ON {rule.table} FOR SELECT USING ({public})")
    return statements


def _drop_policies(table: str) -> list[str]:
    return [
        f"DROP POLICY IF EXISTS {name} ON {table}" for name in ("public_rows", "own_rows", "acting_user_rows")
    ]


def drop_policies_where_present(*tables: str) -> tuple[Migrate, Migrate]:
    """(forwards, backwards): drop the policies of those of ``tables`` that exist. RLS stays on
    and forced, so until a later migration writes new policies nobody sees their rows."""

    def statements() -> list[str]:
        names = ", ".join(f"'{table}'" for table in tables)
        return [
            f"""
            DO $$
            DECLARE t text;
            BEGIN
                FOREACH t IN ARRAY ARRAY[{names}] LOOP
                    IF to_regclass(t) IS NOT NULL THEN
                        EXECUTE format('DROP POLICY IF EXISTS public_rows ON %%I', t);
                        EXECUTE format('DROP POLICY IF EXISTS acting_user_rows ON %%I', t);
                    END IF;
                END LOOP;
            END
            $$
            """
        ]

    return _on_postgresql(statements), _on_postgresql(list)


def disable_sql(rule: Protected) -> list[str]:
    return [
        *_drop_policies(rule.table),
        f"ALTER TABLE {rule.table} NO FORCE ROW LEVEL SECURITY",
        f"ALTER TABLE {rule.table} DISABLE ROW LEVEL SECURITY",
    ]


def _on_postgresql(statements: Callable[[], list[str]]) -> Migrate:
    def run(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements():
            schema_editor.execute(statement)

    return run


def enable(*rules: Protected, public: dict[str, str] | None = None) -> tuple[Migrate, Migrate]:
    """A migration's (forwards, backwards) pair for ``RunPython``: protect ``rules``' tables.
    ``public`` maps a table to the condition under which anyone may read its rows."""
    readable = public or {}

    def forwards() -> list[str]:
        return [s for rule in rules for s in enable_sql(rule, public=readable.get(rule.table, ""))]

    def backwards() -> list[str]:
        return [s for rule in reversed(rules) for s in disable_sql(rule)]

    return _on_postgresql(forwards), _on_postgresql(backwards)


def function() -> tuple[Migrate, Migrate]:
    """(forwards, backwards) creating the signing key's home and the functions the policies
    call. Backwards keeps them: policies of later migrations may still name them."""
    return _on_postgresql(lambda: IDENTITY_SQL), _on_postgresql(list)


def functions_again() -> tuple[Migrate, Migrate]:
    """(forwards, backwards) writing every function the policies call again, as ``function``
    and ``workspace_tables`` write them now: for a migration that changes how they work, never
    what they allow. Backwards keeps them (the earlier versions answered alike)."""
    return _on_postgresql(lambda: [*IDENTITY_SQL, *WORKSPACE_SQL]), _on_postgresql(list)


MEMBERSHIP_GUARD_SQL = [
    # A membership never moves to another account or workspace outside system work: an admin
    # changes roles, never whose row it is.
    """
    CREATE OR REPLACE FUNCTION app_guard_membership() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    BEGIN
        IF NOT public.app_system()
                AND (NEW.user_id, NEW.workspace_id) IS DISTINCT FROM (OLD.user_id, OLD.workspace_id) THEN
            RAISE EXCEPTION 'only system work moves a membership'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
    END
    $$
    """,
    "DROP TRIGGER IF EXISTS guard_membership ON workspaces_membership",
    """
    CREATE TRIGGER guard_membership BEFORE UPDATE ON workspaces_membership
    FOR EACH ROW EXECUTE FUNCTION app_guard_membership()
    """,
]


def workspace_tables() -> tuple[Migrate, Migrate]:
    """(forwards, backwards) for the workspaces' own tables and ``app_workspaces``.

    - A workspace: its members read it; its owner writes it (creating a team names the
      creator as its owner before any membership exists).
    - Memberships: members see their workspace's members. Only system work adds one
      (accepting an invitation), except the owner's own row as they make their team; admins
      change roles and remove members but never the owner's row (nor make anyone owner);
      everyone but the owner may leave; the owner's row goes with the team. A trigger keeps
      a row's account and workspace fixed outside system work. RLS is enabled but not FORCEd
      here, so ``app_workspaces`` (run as the owner role) reads memberships without recursing
      through these policies; the app's role is bound.
    - Invitations: the workspace's admins and owner only; accepting one is system work,
      after the link's token is checked.

    Members' account rows stay their own: member lists are read as system work once the
    reader's membership is checked.
    """
    workspace, membership, invitation = (
        "workspaces_workspace",
        "workspaces_membership",
        "workspaces_invitation",
    )
    owns = f"owner_id = {ACTING_USER}"
    owned_workspace = f"workspace_id IN (SELECT id FROM {workspace} WHERE {owns})"  # noqa: S608 - our names
    manage = f"{in_workspaces('workspace_id', 'admin')} AND role <> 'owner'"
    found = f"user_id = {ACTING_USER} AND role = 'owner' AND {owned_workspace}"
    owner = f"{SYSTEM} OR {owns}"
    leaving = f"user_id = {ACTING_USER} AND role <> 'owner'"
    policies = {
        "acting_user_rows": f"USING ({SYSTEM}) WITH CHECK ({SYSTEM})",
        "own_rows": f"FOR SELECT USING ({in_workspaces('workspace_id', 'viewer')})",
        "self_rows": f"FOR SELECT USING (user_id = {ACTING_USER})",
        "found_rows": f"FOR INSERT WITH CHECK ({found})",
        "manage_rows": f"FOR UPDATE USING ({manage}) WITH CHECK ({manage})",
        "remove_rows": f"FOR DELETE USING (({manage}) OR {owned_workspace})",
        "leave_rows": f"FOR DELETE USING ({leaving})",
    }

    def forwards() -> list[str]:
        return [
            *WORKSPACE_SQL,
            *_drop_policies(workspace),
            f"ALTER TABLE {workspace} ENABLE ROW LEVEL SECURITY",
            f"ALTER TABLE {workspace} FORCE ROW LEVEL SECURITY",
            f"CREATE POLICY acting_user_rows ON {workspace} USING ({owner}) WITH CHECK ({owner})",
            f"CREATE POLICY own_rows ON {workspace} FOR SELECT USING ({in_workspaces('id', 'viewer')})",
            *(f"DROP POLICY IF EXISTS {name} ON {membership}" for name in policies),
            f"ALTER TABLE {membership} ENABLE ROW LEVEL SECURITY",
            f"ALTER TABLE {membership} NO FORCE ROW LEVEL SECURITY",
            *(f"CREATE POLICY {name} ON {membership} {rule}" for name, rule in policies.items()),
            *MEMBERSHIP_GUARD_SQL,
            *enable_sql(InWorkspace(invitation, write="admin", read="admin")),
        ]

    def backwards() -> list[str]:
        return [
            *disable_sql(SystemOnly(invitation)),
            "DROP TRIGGER IF EXISTS guard_membership ON workspaces_membership",
            *(f"DROP POLICY IF EXISTS {name} ON {membership}" for name in policies),
            *disable_sql(SystemOnly(membership)),
            *disable_sql(SystemOnly(workspace)),
        ]

    return _on_postgresql(forwards), _on_postgresql(backwards)


def account_guard() -> tuple[Migrate, Migrate]:
    """(forwards, backwards) for the trigger that keeps accounts' rights to system work."""
    return _on_postgresql(lambda: ACCOUNT_GUARD_SQL), _on_postgresql(
        lambda: ["DROP TRIGGER IF EXISTS guard_account_rights ON accounts_user"]
    )


# -- after every migrate --------------------------------------------------------------------


def sync(using: str, app_role: str, signing_key: bytes) -> None:
    """Write the signing key and grant ``app_role`` (if any) its rows and sequences.

    Runs after every ``migrate``, as whoever ran it: the owner writes the key the app signs
    with (derived from SECRET_KEY, so a new secret takes effect at the next migrate) and makes
    sure the app's role may read and write rows of every table, including ones just created.
    A role that can't reach ``app_private`` (the app's own, flushing a test database) skips.
    """
    from django.db import connections

    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT to_regnamespace('app_private') IS NOT NULL"
            " AND has_schema_privilege('app_private', 'USAGE')"
        )
        (owner,) = cursor.fetchone()
        if not owner:
            return
        cursor.execute(
            "INSERT INTO app_private.rls_key (id, key) VALUES (1, %s)"
            " ON CONFLICT (id) DO UPDATE SET key = EXCLUDED.key",
            [signing_key],
        )
        if app_role:
            cursor.execute(
                "SELECT 1 FROM pg_roles WHERE rolname = %s AND rolname <> current_user", [app_role]
            )
            if cursor.fetchone():
                role = quote(app_role)
                cursor.execute(f"GRANT USAGE ON SCHEMA public TO {role}")
                cursor.execute(
                    f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}"
                )
                cursor.execute(f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {role}")

"""PostgreSQL row-level security on the tables that hold creators' work: the second wall.

Selectors scope every read to its owner; these policies hold even where a query forgets to.
They key on ``app.user_id``, which ``aurastream.db.acting_user`` sets for every unit of work:

- a creator's id: only their own rows (plus publicly shared assets and their files, to read);
- ``0`` (``db.ANONYMOUS``, a signed-out request): only publicly shared assets and their files;
- empty or unset (system work: staff in the admin, webhooks, scheduled clean-ups, management
  commands, migrations): every row.

The app's database role owns the tables, so the policies are FORCEd onto the owner too; the
role is neither superuser nor BYPASSRLS. Each app's migration calls ``enable`` for its own
tables; on other databases (SQLite) the operations do nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# The acting user as a bigint, or NULL for system work. STABLE: one value per statement.
FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION app_acting_user() RETURNS bigint
LANGUAGE sql STABLE AS $$
    SELECT NULLIF(current_setting('app.user_id', true), '')::bigint
$$;
"""
DROP_FUNCTION_SQL = "DROP FUNCTION IF EXISTS app_acting_user();"

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


Protected = Owned | Through
Migrate = Callable[[Any, Any], None]  # a RunPython function: (apps, schema_editor)


# The SQL below is assembled from table and column names written in migrations, never from input.


def _owner_condition(rule: Protected) -> str:
    if isinstance(rule, Owned):
        return f"{rule.column} = app_acting_user()"
    return f"{rule.column} IN (SELECT id FROM {rule.parent} WHERE {rule.parent_owner} = app_acting_user())"  # noqa: S608


def enable_sql(rule: Protected, *, public: str = "") -> list[str]:
    """Statements that protect ``rule.table``; ``public``: a condition under which anyone may
    read a row (for a ``Through`` table, its ``public_parent`` is used)."""
    condition = f"app_acting_user() IS NULL OR {_owner_condition(rule)}"
    statements = [
        f"ALTER TABLE {rule.table} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {rule.table} FORCE ROW LEVEL SECURITY",
        f"CREATE POLICY acting_user_rows ON {rule.table} USING ({condition}) WITH CHECK ({condition})",
    ]
    if isinstance(rule, Through) and rule.public_parent:
        public = f"{rule.column} IN (SELECT id FROM {rule.parent} WHERE {rule.public_parent})"  # noqa: S608
    if public:
        statements.append(f"CREATE POLICY public_rows ON {rule.table} FOR SELECT USING ({public})")
    return statements


def disable_sql(rule: Protected) -> list[str]:
    return [
        f"DROP POLICY IF EXISTS public_rows ON {rule.table}",
        f"DROP POLICY IF EXISTS acting_user_rows ON {rule.table}",
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
    """(forwards, backwards) creating the ``app_acting_user()`` function the policies use."""
    return _on_postgresql(lambda: [FUNCTION_SQL]), _on_postgresql(lambda: [DROP_FUNCTION_SQL])

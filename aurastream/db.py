"""The acting user on the database connection.

Every request, websocket message handler and Celery task runs its queries inside
``acting_user(user_id)``: a transaction in which PostgreSQL's ``app.user_id`` setting names the
creator the work is for (``SET LOCAL`` semantics, through ``set_config(..., true)``).
Row-level security policies (``aurastream.rls``) key on it: a creator's id sees that creator's
rows, ``ANONYMOUS`` (a signed-out request) only what is publicly shared, and ``None`` (system
work: staff in the admin, webhooks, scheduled clean-ups) every row. On SQLite there is no such
setting; the transaction and the context variable still apply, so code behaves alike.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import DEFAULT_DB_ALIAS, connections, transaction

# The acting "user" of a signed-out request: no account has id 0, so it owns no rows.
ANONYMOUS = 0

_acting_user_id: ContextVar[int | None] = ContextVar("acting_user_id", default=None)


def current_acting_user_id() -> int | None:
    """The user the current unit of work acts for (``ANONYMOUS``: a signed-out request; None:
    system work)."""
    return _acting_user_id.get()


def _apply(user_id: int | None, using: str) -> None:
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        # `true` makes it local to the transaction, exactly like SET LOCAL (which cannot take
        # a bound parameter).
        cursor.execute(
            "SELECT set_config('app.user_id', %s, true)",
            ["" if user_id is None else str(user_id)],
        )


@contextmanager
def acting_user(user_id: int | None, *, using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Run the block in a transaction whose queries act for ``user_id``.

    Nested use (a task run eagerly inside a request, say) restores the outer user on exit,
    because a setting made in a savepoint outlives the savepoint.
    """
    previous = _acting_user_id.get()
    connection = connections[using]
    nested = connection.in_atomic_block
    token = _acting_user_id.set(user_id)
    try:
        with transaction.atomic(using=using):
            _apply(user_id, using)
            yield
        # A savepoint that rolled back took its setting with it; one that was released left
        # it on the outer transaction, which still acts for the outer user.
        if nested and previous != user_id and not connection.needs_rollback:
            _apply(previous, using)
    finally:
        _acting_user_id.reset(token)


def set_acting_user(user_id: int | None, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Switch the acting user of the current transaction, once authentication knows it.

    API token authentication runs inside the view, after the request's transaction began.
    """
    _acting_user_id.set(user_id)
    if connections[using].in_atomic_block:
        _apply(user_id, using)

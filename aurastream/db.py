"""The acting user on the database connection.

Every request, websocket message handler and Celery task runs its queries inside
``acting_user(user_id)``: a transaction in which PostgreSQL's ``app.user_id`` setting names the
creator the work is for (``SET LOCAL`` semantics, through ``set_config(..., true)``), signed
with a key only the app and the database's owner know and bound to the transaction's id, so
SQL run as the app's role can neither forge nor replay it. Row-level security policies
(``aurastream.rls``) key on it: a creator's id sees that creator's rows, ``ANONYMOUS`` (a
signed-out request) only what is publicly shared, and ``None`` (system work: staff in the
admin, sign-in, webhooks, scheduled clean-ups) every row. A query outside any ``acting_user``
sees no private row. On SQLite there is no such setting; the transaction and the context
variable still apply, so code behaves alike.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils.crypto import salted_hmac

# The acting "user" of a signed-out request: no account has id 0, so it owns no rows.
ANONYMOUS = 0

_acting_user_id: ContextVar[int | None] = ContextVar("acting_user_id", default=None)
# Whether an ``acting_user`` block (or ``set_acting_user``) named anyone at all.
_in_scope: ContextVar[bool] = ContextVar("acting_user_in_scope", default=False)
# The id of the transaction the outermost ``acting_user`` block opened, while it is open.
_transaction_id: ContextVar[int | None] = ContextVar("acting_transaction_id", default=None)


def current_acting_user_id() -> int | None:
    """The user the current unit of work acts for (``ANONYMOUS``: a signed-out request; None:
    system work)."""
    return _acting_user_id.get()


def signing_key() -> bytes:
    """The key acting-user markers are signed with; ``aurastream.rls.sync`` gives the
    database the same one at every migrate."""
    return _signing_key(settings.SECRET_KEY)


@cache
def _signing_key(secret: str) -> bytes:
    return salted_hmac(
        "aurastream.db.acting_user", "row-level security", secret=secret, algorithm="sha256"
    ).digest()


def marker(user_id: int | None, transaction_id: int) -> str:
    """The signed ``app.user_id`` value naming ``user_id`` (None: the system) for one
    transaction."""
    message = f"{'system' if user_id is None else int(user_id)}:{transaction_id}"
    signature = hmac.new(signing_key(), message.encode(), hashlib.sha256).hexdigest()
    return f"{message}:{signature}"


def _apply(user_id: int | None, using: str) -> int | None:
    """Write the marker for ``user_id``; the transaction id it names (None off PostgreSQL)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        transaction_id = _transaction_id.get()
        if transaction_id is None:
            cursor.execute("SELECT txid_current()")
            (transaction_id,) = cursor.fetchone()
        # `true` makes it local to the transaction, exactly like SET LOCAL (which cannot take
        # a bound parameter).
        cursor.execute("SELECT set_config('app.user_id', %s, true)", [marker(user_id, transaction_id)])
    return int(transaction_id)


@contextmanager
def acting_user(user_id: int | None, *, using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Run the block in a transaction whose queries act for ``user_id``.

    Nested use (a task run eagerly inside a request, say) restores the outer user on exit,
    because a setting made in a savepoint outlives the savepoint; a transaction that acted for
    nobody goes back to nobody. Nesting for the identity already acting writes no marker.
    """
    previous = _acting_user_id.get()
    outer_in_scope = _in_scope.get()
    connection = connections[using]
    nested = connection.in_atomic_block
    same = nested and outer_in_scope and previous == user_id
    token = _acting_user_id.set(user_id)
    scope_token = _in_scope.set(True)
    # A transaction begun here keeps its id for every marker written inside it.
    transaction_token = None if nested else _transaction_id.set(None)
    try:
        with transaction.atomic(using=using):
            if not same:
                transaction_id = _apply(user_id, using)
                if not nested:
                    _transaction_id.set(transaction_id)
            yield
            # set_acting_user may have switched the transaction inside the block.
            switched = _acting_user_id.get() != user_id
        # A savepoint that rolled back took its setting with it; one that was released left
        # it on the outer transaction, which still acts for the outer user.
        if nested and (switched or not same) and not connection.needs_rollback:
            if outer_in_scope:
                _apply(previous, using)
            else:
                _clear(using)
    finally:
        if transaction_token is not None:
            _transaction_id.reset(transaction_token)
        _in_scope.reset(scope_token)
        _acting_user_id.reset(token)


@contextmanager
def system_work(*, using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """``acting_user(None)``, or nothing at all when the transaction already acts as the
    system: for lookups made on the way in (a session, its account), which need no savepoint
    of their own."""
    if connections[using].in_atomic_block and _in_scope.get() and _acting_user_id.get() is None:
        yield
        return
    with acting_user(None, using=using):
        yield


def _clear(using: str) -> None:
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('app.user_id', '', true)")


def set_acting_user(user_id: int | None, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Switch the acting user of the current transaction, once authentication knows it.

    API token authentication runs inside the view, after the request's transaction began.
    """
    _acting_user_id.set(user_id)
    _in_scope.set(True)
    if connections[using].in_atomic_block:
        _apply(user_id, using)

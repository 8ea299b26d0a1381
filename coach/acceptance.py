"""Accepting a creator's message: find the session, count the message, claim the session for one
streaming reply, read the history, and store the message with an empty reply row.

Every reply of a burst waits for this before its first token, on a daphne process's few database
threads, so it is made cheap. On PostgreSQL it is one statement (data-modifying CTEs), one round
trip beside the acting user's marker, and no ORM query to build: in a burst each round trip is a
release and re-take of the GIL, which the busy event loop hands back only every few ms. It runs
as the app's role inside the caller's ``acting_user`` transaction, so row-level security binds
each of its reads and writes as it would the ORM's. Elsewhere (SQLite: development and tests)
the ORM does the same in four queries.

Either way the order of the rules is the same: a session that is not the creator's (or not
editable by them) raises ``CoachSession.DoesNotExist``, then the message is counted against the
rate limit, then a session still streaming raises ``CoachBusy``; a raise rolls the caller's
transaction back, so nothing is stored.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
import weakref
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.utils import timezone

from aurastream.text import without_direction_controls
from brandkits.models import BrandKit, BrandLogo
from workspaces.access import member_workspaces
from workspaces.models import Membership, Role, Workspace

from .limits import rate_limit_hit
from .models import CoachMessage, CoachSession

HISTORY_MESSAGES = 30  # earlier messages a provider sees


class CoachBusy(Exception):
    """The session is still streaming a reply; one at a time."""

    message = "The coach is still answering your last message. Wait for it to finish."


@dataclass(frozen=True)
class Accepted:
    """What accepting stored and read: the session as it stands, its kit, the history."""

    session_id: uuid.UUID
    title: str  # "" while untitled (an untitled session is named after its first message)
    brief: dict[str, Any]
    seed: int
    owner_id: int  # the workspace's owner, whose plan pays
    brand_kit: BrandKit | None
    kit_has_logo: bool
    history: tuple[tuple[str, str], ...]  # (role, content), oldest first
    user_message: CoachMessage
    reply_id: int


def message_accept(
    *, user_id: int, session_id: uuid.UUID | str, text: str, title: str, provider: str, model: str
) -> Accepted:
    """Accept ``text`` into the session (call inside the creator's ``acting_user``); an
    untitled session is named ``title``."""
    if connection.vendor == "postgresql":
        return _accept_in_one_statement(user_id, session_id, text, title, provider, model)
    return _accept_through_the_orm(user_id, session_id, text, title, provider, model)


# --- PostgreSQL: one statement ------------------------------------------------------------


STATEMENT = "coach_message_accept"
# The connections (psycopg's, one per database thread) on which the statement is prepared.
_prepared_on: weakref.WeakSet[Any] = weakref.WeakSet()


def _prepare(cursor: Any) -> None:
    """Prepare the statement once per connection: planning it with every table's row-level
    security policies costs PostgreSQL about three times what running it does, and a prepared
    statement is planned once (a generic plan, after PostgreSQL's first five). Django never
    prepares on its own. Prepared statements outlive the transaction, even a rolled-back one,
    and go with the connection."""
    if connection.connection in _prepared_on:
        return
    types = "uuid, bigint, text[], timestamptz, timestamptz, text, text, text, text"
    cursor.execute(f"PREPARE {STATEMENT} ({types}) AS {_statement()}")
    _prepared_on.add(connection.connection)


@cache
def _statement() -> str:
    """The statement, with the kit's columns spelled out (``_kit_from`` reads them back):
    $1 the session, $2 the creator, $3 the roles that may talk, $4 now, $5 when a claim is
    stale, $6 the title for an untitled session, $7 the message, $8 the provider, $9 its model."""
    kit_columns = ", ".join(f'k."{field.column}"' for field in BrandKit._meta.concrete_fields)
    session, message = CoachSession._meta.db_table, CoachMessage._meta.db_table
    return f"""
WITH found AS (
    SELECT s.id, s.title, s.brief, s.seed, s.brand_kit_id, s.reply_started_at, w.owner_id
    FROM {session} s JOIN {Workspace._meta.db_table} w ON w.id = s.workspace_id
    WHERE s.id = $1 AND s.deleted_at IS NULL AND s.workspace_id IN (
        SELECT workspace_id FROM {Membership._meta.db_table}
        WHERE user_id = $2 AND role = ANY($3)
    )
), claimed AS (
    UPDATE {session} c
    SET reply_started_at = $4, updated_at = $4,
        title = CASE WHEN c.title = '' THEN $6 ELSE c.title END
    FROM found
    WHERE c.id = found.id AND (c.reply_started_at IS NULL OR c.reply_started_at < $5)
    RETURNING c.id, c.title, found.reply_started_at IS NOT NULL AS took_over
), cut_off AS (
    UPDATE {message} m SET status = 'interrupted'
    FROM claimed
    WHERE m.session_id = claimed.id AND claimed.took_over AND m.status = 'streaming'
), stored AS (
    INSERT INTO {message}
        (session_id, role, content, status, tokens, error, suggestions, sources, provider, model,
         created_at)
    SELECT claimed.id, v.role, v.content, v.status, 0, '', '[]'::jsonb, '[]'::jsonb, v.provider,
           v.model, $4
    FROM claimed CROSS JOIN (VALUES
        (1, 'user', $7, 'complete', '', ''),
        (2, 'coach', '', 'streaming', $8, $9)
    ) AS v (n, role, content, status, provider, model)
    ORDER BY v.n
    RETURNING id, role
)
SELECT found.id, claimed.title, found.brief, found.seed, found.owner_id,
    (SELECT id FROM stored WHERE role = 'user'), (SELECT id FROM stored WHERE role = 'coach'),
    EXISTS (SELECT 1 FROM {BrandLogo._meta.db_table} l WHERE l.kit_id = found.brand_kit_id),
    (SELECT coalesce(json_agg(json_build_array(h.role, h.content) ORDER BY h.created_at, h.id), '[]')
     FROM (
        SELECT role, content, created_at, id FROM {message}
        WHERE session_id = found.id AND content <> ''
          AND (status IN ('complete', 'interrupted') OR (status = 'streaming' AND claimed.took_over))
        ORDER BY created_at DESC, id DESC LIMIT {HISTORY_MESSAGES}
     ) h),
    k.id IS NOT NULL, {kit_columns}
FROM found
LEFT JOIN claimed ON claimed.id = found.id
LEFT JOIN {BrandKit._meta.db_table} k ON k.id = found.brand_kit_id
"""  # noqa: S608 - the names are our models' own tables and columns; every value is bound


def _accept_in_one_statement(
    user_id: int, session_id: uuid.UUID | str, text: str, title: str, provider: str, model: str
) -> Accepted:
    now = timezone.now()
    params: list[Any] = [
        str(session_id),
        user_id,
        Role.at_least(Role.EDITOR),
        now,
        now - timedelta(seconds=settings.COACH_REPLY_TIMEOUT_S),
        without_direction_controls(title),
        text,
        provider,
        model,
    ]
    with connection.cursor() as cursor:
        _prepare(cursor)
        cursor.execute(f"EXECUTE {STATEMENT} (%s, %s, %s, %s, %s, %s, %s, %s, %s)", params)
        row = cursor.fetchone()
    if row is None:
        raise CoachSession.DoesNotExist("No such session for this creator.")
    # Counted only for a session that is the creator's; a refusal below rolls the claim back.
    rate_limit_hit(user_id=user_id)
    found_id, claimed_title, brief, seed, owner_id, message_id, reply_id, has_logo, history = row[:9]
    if message_id is None:
        raise CoachBusy
    has_kit, kit_values = row[9], row[10:]
    message = CoachMessage(
        id=message_id,
        session_id=found_id,
        role=CoachMessage.Role.USER,
        content=text,
        status=CoachMessage.Status.COMPLETE,
        created_at=now,
    )
    return Accepted(
        session_id=found_id,
        title=claimed_title,
        brief=_json(brief),
        seed=seed,
        owner_id=owner_id,
        brand_kit=_kit_from(kit_values) if has_kit else None,
        kit_has_logo=has_logo,
        history=tuple((role, content) for role, content in _json(history)),
        user_message=message,
        reply_id=reply_id,
    )


def _json(value: Any) -> Any:
    # Django reads jsonb as text (its JSONField decodes it); plain json may come decoded.
    return json.loads(value) if isinstance(value, str | bytes) else value


def _kit_from(values: tuple[Any, ...]) -> BrandKit:
    """A ``BrandKit`` from its columns in the statement, converted as the ORM would."""
    fields = BrandKit._meta.concrete_fields
    converted = [
        field.from_db_value(value, None, connection) if hasattr(field, "from_db_value") else value
        for field, value in zip(fields, values, strict=True)
    ]
    return BrandKit.from_db(connection.alias, [field.attname for field in fields], converted)


# --- Elsewhere: the ORM -------------------------------------------------------------------


def _accept_through_the_orm(
    user_id: int, session_id: uuid.UUID | str, text: str, title: str, provider: str, model: str
) -> Accepted:
    # Anyone who may edit the session's workspace may talk in it (a viewer reads only).
    session = (
        CoachSession.objects.select_related("brand_kit", "workspace")
        .annotate(kit_has_logo=Exists(BrandLogo.objects.filter(kit_id=OuterRef("brand_kit_id"))))
        .get(pk=session_id, workspace__in=member_workspaces(user_id, Role.EDITOR))
    )
    rate_limit_hit(user_id=user_id)
    _claim(session, title=title)
    history = _history(session)
    user_message, reply = CoachMessage.objects.bulk_create(
        [
            CoachMessage(session=session, role=CoachMessage.Role.USER, content=text),
            CoachMessage(
                session=session,
                role=CoachMessage.Role.COACH,
                status=CoachMessage.Status.STREAMING,
                provider=provider,
                model=model,
            ),
        ]
    )
    return Accepted(
        session_id=session.pk,
        title=session.title,
        brief=session.brief,
        seed=session.seed,
        owner_id=session.workspace.owner_id,
        brand_kit=session.brand_kit,
        kit_has_logo=session.kit_has_logo,
        history=history,
        user_message=user_message,
        reply_id=reply.pk,
    )


def _claim(session: CoachSession, *, title: str) -> None:
    """Claim the session for one streaming reply, or raise CoachBusy while another streams;
    an untitled session is named ``title`` in the same update.

    A claim older than the reply timeout belonged to a reply whose process died: it is taken
    over, and that reply is marked as cut off rather than left "streaming".
    """
    now = timezone.now()
    stale: dt.datetime = now - timedelta(seconds=settings.COACH_REPLY_TIMEOUT_S)
    if not session.title:
        session.title = without_direction_controls(title)
    claimed = (
        CoachSession.objects.filter(pk=session.pk)
        .filter(Q(reply_started_at__isnull=True) | Q(reply_started_at__lt=stale))
        .update(
            reply_started_at=now,
            updated_at=now,
            title=Case(When(title="", then=Value(session.title)), default=F("title")),
        )
    )
    if not claimed:
        raise CoachBusy
    if session.reply_started_at is not None:
        CoachMessage.objects.filter(session=session, status=CoachMessage.Status.STREAMING).update(
            status=CoachMessage.Status.INTERRUPTED
        )


def _history(session: CoachSession) -> tuple[tuple[str, str], ...]:
    """The last HISTORY_MESSAGES finished messages with words in them, oldest first."""
    said = session.messages.filter(
        status__in=[CoachMessage.Status.COMPLETE, CoachMessage.Status.INTERRUPTED]
    ).exclude(content="")
    latest = said.order_by("-created_at", "-id")[:HISTORY_MESSAGES]
    return tuple((m.role, m.content) for m in reversed(latest))

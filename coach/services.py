"""Every write the Prompt Coach makes: sessions, messages, the brief, and the hand-off to a job.

The websocket consumer and the SSE view call these from async code through
``database_sync_to_async``; each function that takes a ``user_id`` runs in its own
``acting_user`` transaction, so the creator it acts for is named however it is called.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from aurastream import events
from aurastream.db import acting_user
from aurastream.text import text_problem
from aurastream.undo import undo_purge, undo_window_start
from billing.entitlements import coach_grounding
from billing.services import coach_session_record
from brandkits.models import BrandKit
from brandkits.selectors import brand_kit_default, brand_kit_get
from generation.engine.reading import LAYOUTS, style_keys
from generation.models import GenerationJob
from generation.services import JobRequest, job_create
from workspaces.access import require_acting
from workspaces.current import billing_account_id, workspace_id_for

from .acceptance import CoachBusy as CoachBusy  # re-exported: callers catch it here
from .acceptance import message_accept
from .engine.types import BrandContext, Brief, CoachRequest, Reply, Turn
from .limits import CoachRateLimited as CoachRateLimited  # re-exported: callers catch it here
from .models import CoachMessage, CoachSession, display_title
from .payloads import message_payload
from .providers import coach_provider, coach_targets

TITLE_CHARS = 60


# --- Sessions ---------------------------------------------------------------------------


def _kit_for(user: User, brand_kit_id: int | str | None) -> BrandKit | None:
    if brand_kit_id is None or brand_kit_id == "":
        return brand_kit_default(user=user)
    return brand_kit_get(user=user, kit_id=brand_kit_id)


@transaction.atomic
def session_create(
    *, user: User, brand_kit_id: int | str | None = None, spec_key: str = "", title: str = ""
) -> CoachSession:
    """Start a session, counted against the plan (Free: one trial).

    Raises billing.services.CoachLimitReached when the plan has no room, Http404 for someone
    else's kit; either way nothing is stored.
    """
    workspace_id = workspace_id_for(user.pk)
    require_acting(workspace_id)
    kit = _kit_for(user, brand_kit_id)
    if kit is not None and kit.workspace_id != workspace_id:
        raise ValidationError({"brand_kit": "Pick a brand kit of the workspace you're working in."})
    brief = Brief()
    if spec_key:
        target = next((t for t in coach_targets() if t.key == spec_key), None)
        if target is None:
            raise ValidationError({"spec_key": "Pick a platform and asset type from the list."})
        brief = Brief(platform=target.platform, asset_type=target.asset_type)
    session = CoachSession(
        id=uuid.uuid4(),
        user=user,
        workspace_id=workspace_id,
        title=" ".join(title.split())[:TITLE_CHARS],
        brand_kit=kit,
        brief=brief.to_json(),
        seed=secrets.randbelow(2**31),
    )
    allowance = coach_session_record(
        user=billing_account_id(user.pk, workspace_id),
        workspace_id=workspace_id,
        reference=f"coach:{session.pk}",
    )
    session.save(force_insert=True)
    events.record(events.COACH_SESSION, user=user, plan=allowance.plan.code)
    return session


def session_update(
    *, session: CoachSession, title: str | None = None, brand_kit_id: int | str | None = None
) -> CoachSession:
    """Rename a session or point it at another kit of its workspace."""
    require_acting(session.workspace_id)
    fields = ["updated_at"]
    if title is not None:
        title = " ".join(title.split())
        if not title:
            raise ValidationError({"title": "Give the session a name."})
        if len(title) > TITLE_CHARS:
            raise ValidationError({"title": f"Keep the name under {TITLE_CHARS} characters."})
        session.title = title
        fields.append("title")
    if brand_kit_id is not None and brand_kit_id != "":
        kit = brand_kit_get(user=session.user, kit_id=brand_kit_id)
        if kit.workspace_id != session.workspace_id:
            raise ValidationError({"brand_kit": "Pick a brand kit of the session's workspace."})
        session.brand_kit = kit
        fields.append("brand_kit")
    session.save(update_fields=fields)
    return session


@transaction.atomic
def session_delete(*, session: CoachSession) -> None:
    """Delete a session: it and its messages are gone from every list and page at once,
    restorable during the undo window (``session_restore``), then purged. A reply still
    streaming into it finishes and is saved (undo brings it back whole). The trial it used
    stays used."""
    require_acting(session.workspace_id)
    session.deleted_at = timezone.now()
    session.save(update_fields=["deleted_at"])


@transaction.atomic
def session_restore(*, session: CoachSession) -> CoachSession | None:
    """Undo a delete within the undo window: the session comes back with its conversation and
    brief. None when it is too late."""
    require_acting(session.workspace_id)
    session = CoachSession.all_objects.select_for_update().get(
        pk=session.pk, workspace_id=session.workspace_id
    )
    if session.deleted_at is None:
        return session  # restored already (a second click on Undo)
    if session.deleted_at < undo_window_start():
        return None
    session.deleted_at = None
    session.save(update_fields=["deleted_at"])
    return session


def sessions_purge(*, now: dt.datetime | None = None) -> int:
    """Remove sessions deleted longer ago than the undo window, with their messages."""
    return undo_purge(CoachSession.all_objects, now=now)


# --- Messages and replies -----------------------------------------------------------------


def message_clean(text: str) -> str:
    """The message as the coach will read it, or ValidationError with what is wrong."""
    text = text.strip() if isinstance(text, str) else ""
    if not text:
        raise ValidationError({"text": "Type a message for the coach."})
    if problem := text_problem(text):
        raise ValidationError({"text": f"This message {problem}: paste it again as plain text."})
    limit = settings.COACH_MAX_MESSAGE_CHARS
    if len(text) > limit:
        raise ValidationError(
            {"text": f"Keep messages under {limit:,} characters (this one has {len(text):,})."}
        )
    return text


def brand_context(kit: BrandKit | None, *, has_logo: bool | None = None) -> BrandContext:
    """The kit as the coach reads it (``has_logo``: already known, so not looked up)."""
    if kit is None:
        return BrandContext()
    return BrandContext(
        name=kit.name,
        channel_name=kit.channel_name,
        colors={**kit.palette, **{f"extra {i + 1}": c for i, c in enumerate(kit.extra_colors or [])}},
        headline_font=kit.heading_font_name,
        body_font=kit.body_font_name,
        style=", ".join(part for part in (kit.art_style, kit.mood, *(kit.keywords or [])) if part),
        has_logo=kit.logos.exists() if has_logo is None else has_logo,
    )


@dataclass(frozen=True)
class PreparedReply:
    """A message accepted and the (still empty) reply row stored: what the streamer needs."""

    session_id: uuid.UUID
    user_id: int
    reply_id: int
    request: CoachRequest
    user_message: dict[str, Any]
    title: str  # the session's title (named after its first message)
    provider: str
    model: str


def _title_from(text: str) -> str:
    words = " ".join(text.split())
    if len(words) <= TITLE_CHARS:
        return words
    return words[: TITLE_CHARS - 1].rsplit(" ", 1)[0] + "…"


def reply_prepare(*, user_id: int, session_id: uuid.UUID | str, text: str) -> PreparedReply:
    """Accept the creator's message and claim the session for one streaming reply.

    Raises ValidationError (bad message), CoachRateLimited, CoachBusy (a reply is streaming)
    or CoachSession.DoesNotExist (not the creator's session). Nothing is stored on any of them.

    Every reply of a burst waits for this before its first token: on PostgreSQL it is one
    statement beside the acting user's marker (``coach.acceptance``), and the rate limit one
    round trip to Redis.
    """
    text = message_clean(text)
    provider = coach_provider()
    with acting_user(user_id):
        accepted = message_accept(
            user_id=user_id,
            session_id=session_id,
            text=text,
            title=_title_from(text),
            provider=provider.name,
            model=provider.model,
        )
        request = CoachRequest(
            history=tuple(
                Turn(role="user" if role == CoachMessage.Role.USER else "coach", content=content)
                for role, content in accepted.history
            ),
            message=text,
            brief=Brief.from_json(accepted.brief),
            brand=brand_context(accepted.brand_kit, has_logo=accepted.kit_has_logo),
            targets=coach_targets(),
            # The plan is read only for a provider that can search at all.
            grounding=provider.searches_web and coach_grounding(accepted.owner_id),
            seed=accepted.seed,
        )
        return PreparedReply(
            session_id=accepted.session_id,
            user_id=user_id,
            reply_id=accepted.reply_id,
            request=request,
            user_message=message_payload(accepted.user_message),
            title=display_title(accepted.title),
            provider=provider.name,
            model=provider.model,
        )


def reply_progress(*, prepared: PreparedReply, content: str, tokens: int, brief: Brief | None = None) -> None:
    """Save a streaming reply so far (a page that reconnects shows it), and the brief the
    reply has announced since the last save, if any: the coach's brief update comes before
    its first token, and is saved here, after that token went out, not before it."""
    with acting_user(prepared.user_id):
        CoachMessage.objects.filter(pk=prepared.reply_id, status=CoachMessage.Status.STREAMING).update(
            content=content, tokens=tokens
        )
        if brief is not None:
            # Whether it is ready to generate is decided with the whole reply.
            CoachSession.all_objects.filter(pk=prepared.session_id).update(
                brief=brief.to_json(), brief_ready=False
            )


def _reply_row(prepared: PreparedReply) -> tuple[CoachMessage, bool]:
    """The streaming reply's row and whether it is still stored. The session may have been
    deleted meanwhile (the row is still there, for undo) or even purged: then a stand-in, never
    saved, so the stream still ends cleanly for whoever listens."""
    message = CoachMessage.objects.filter(pk=prepared.reply_id).first()
    if message is not None:
        return message, True
    return CoachMessage(pk=prepared.reply_id, role=CoachMessage.Role.COACH, created_at=timezone.now()), False


def reply_finish(*, prepared: PreparedReply, reply: Reply, tokens: int) -> dict[str, Any]:
    """Store the whole reply and the brief, and free the session for the next message."""
    with acting_user(prepared.user_id):
        message, stored = _reply_row(prepared)
        message.content = reply.text
        message.tokens = tokens
        message.status = CoachMessage.Status.COMPLETE
        message.suggestions = list(reply.suggestions)
        message.sources = list(reply.sources)
        if stored:
            message.save(update_fields=["content", "tokens", "status", "suggestions", "sources"])
        CoachSession.all_objects.filter(pk=prepared.session_id).update(
            brief=reply.brief.to_json(),
            brief_ready=reply.ready,
            reply_started_at=None,
            updated_at=timezone.now(),
        )
        return message_payload(message)


def reply_fail(
    *,
    prepared: PreparedReply,
    content: str,
    tokens: int,
    error: str,
    interrupted: bool = False,
    brief: Brief | None = None,
) -> dict[str, Any]:
    """Keep what streamed before the failure (and the brief it announced, not yet saved),
    say why, and free the session."""
    with acting_user(prepared.user_id):
        message, stored = _reply_row(prepared)
        message.content = content
        message.tokens = tokens
        message.status = CoachMessage.Status.INTERRUPTED if interrupted else CoachMessage.Status.FAILED
        message.error = error[:300]
        if stored:
            message.save(update_fields=["content", "tokens", "status", "error"])
        freed: dict[str, Any] = {"reply_started_at": None, "updated_at": timezone.now()}
        if brief is not None:
            freed.update(brief=brief.to_json(), brief_ready=False)
        CoachSession.all_objects.filter(pk=prepared.session_id).update(**freed)
        return message_payload(message)


# --- Hand-off to generation ---------------------------------------------------------------


def brief_prompt(brief: Brief) -> str:
    """The words a brief hands the generator: what the image shows, then its mood and any style
    the engine has no key for ("cinematic"). Colours, the engine's style, the layout and the
    on-image text go as fields of their own, so nothing is parsed back out of a sentence."""
    looks = [*_parts(brief.mood), *(part for part in _parts(brief.style) if not style_keys(part))]
    return ", ".join(dict.fromkeys(part for part in (brief.subject, *looks) if part))


def brief_style(brief: Brief) -> str:
    """The engine's style key the brief leads with ("neon"), or "" when it names none."""
    return next((key for part in _parts(brief.style) for key in style_keys(part)), "")


def _parts(field: str) -> list[str]:
    return [part.strip() for part in field.split(",") if part.strip()]


def brief_request(brief: Brief, *, brand_kit_id: int | None) -> JobRequest:
    """The generation request a ready brief stands for, field by field."""
    target = next((t for t in coach_targets() if t.key == brief.spec_key), None)
    layouts = LAYOUTS.get(target.family, ()) if target is not None else ()
    return JobRequest(
        spec_key=brief.spec_key,
        prompt=brief_prompt(brief),
        text=brief.text,
        negative_prompt=brief.avoid,
        brand_kit_id=brand_kit_id,
        layout=brief.layout if brief.layout in layouts else "",
        style=brief_style(brief),
        colours=brief.colors,
    )


def job_from_brief(*, user: User, session: CoachSession, idempotency_key: str = "") -> GenerationJob:
    """Start a generation job from the session's brief.

    Raises ValidationError when the brief is not ready (naming what is missing) or the job is
    refused, and billing.services.QuotaExceeded when the plan has no generations left.
    """
    brief = Brief.from_json(session.brief)
    missing = [name for name in ("platform", "asset_type", "subject") if not getattr(brief, name)]
    if missing or not session.brief_ready:
        what = "what to make and for which platform" if not brief.spec_key else "the subject"
        raise ValidationError(f"The brief isn't ready yet: tell the coach {what} first.")
    job, _ = job_create(
        user=user,
        request=brief_request(brief, brand_kit_id=session.brand_kit_id),
        idempotency_key=idempotency_key,
        workspace_id=session.workspace_id,
    )
    return job

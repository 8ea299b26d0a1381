"""The Prompt Coach pages: the creator's sessions, the chat, and the hand-off to a generation job.

The chat itself runs over the websocket (coach.consumers); these views render the pages, keep
the session list, and start a job from a finished brief.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User
from aurastream.types import AuthenticatedHttpRequest
from aurastream.undo import restore_view, undo_offer
from billing.entitlements import CoachAllowance, coach_allowance
from billing.plans import Plan
from billing.services import CoachLimitReached, QuotaExceeded
from brandkits.selectors import brand_kit_list
from workspaces.access import may
from workspaces.current import billing_account_id

from . import selectors, services
from .engine.types import TargetOption
from .forms import SessionCreateForm
from .models import CoachSession
from .payloads import brief_payload, session_brief
from .providers import coach_targets


@dataclass(frozen=True)
class SessionRow:
    session: CoachSession
    target: TargetOption | None  # the platform asset its brief is aiming for, once known


def _targets() -> dict[str, TargetOption]:
    return {target.key: target for target in coach_targets()}


def _render_list(
    request: AuthenticatedHttpRequest,
    form: SessionCreateForm,
    *,
    allowance: CoachAllowance | None = None,
    status: int = 200,
) -> HttpResponse:
    targets = _targets()
    rows = [
        SessionRow(session=session, target=targets.get(session_brief(session).spec_key))
        for session in selectors.session_list(user=request.user)
    ]
    context = {
        "rows": rows,
        "form": form,
        "allowance": allowance or coach_allowance(billing_account_id(request.user.pk)),
        "title_chars": services.TITLE_CHARS,
    }
    return render(request, "coach/list.html", context, status=status)


@require_GET
@login_required
def session_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _render_list(request, SessionCreateForm(brand_kits=brand_kit_list(user=request.user)))


@require_POST
@login_required
def session_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = SessionCreateForm(request.POST, brand_kits=brand_kit_list(user=request.user))
    if not form.is_valid():
        return _render_list(request, form, status=400)
    kit = form.cleaned_data["brand_kit"]
    try:
        session = services.session_create(
            user=request.user,
            brand_kit_id=kit.pk if kit else None,
            spec_key=form.cleaned_data["spec_key"],
        )
    except CoachLimitReached as limit:
        return _render_list(request, form, allowance=limit.allowance, status=403)
    except ValidationError as error:
        for field, field_errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
        return _render_list(request, form, status=400)
    return redirect("coach:session", session_id=session.pk)


def _brief_fields(payload: dict[str, Any]) -> list[dict[str, Any]]:
    """The brief's fields as the panel shows them: platform and asset by their names (the
    layout's name comes with the payload)."""
    targets = _targets()
    spec_key = payload["spec_key"]
    fields = []
    for field in payload["fields"]:
        value = field["value"]
        text = field.get("text") or (value if isinstance(value, str) else "")
        if field["name"] == "platform" and value:
            text = next((t.platform_label for t in targets.values() if t.platform == value), value)
        elif field["name"] == "asset_type" and value and spec_key in targets:
            text = targets[spec_key].label
        fields.append({**field, "text": text})
    return fields


def _target_labels() -> dict[str, dict[str, str]]:
    """What the page's script needs to name platforms and assets as the brief fills in."""
    targets = coach_targets()
    return {
        "platforms": {t.platform: t.platform_label for t in targets},
        "assets": {t.key: t.label for t in targets},
    }


def _render_session(
    request: AuthenticatedHttpRequest,
    session: CoachSession,
    *,
    generate_error: str = "",
    upgrade: Plan | None = None,
    status: int = 200,
) -> HttpResponse:
    brief = brief_payload(session_brief(session), ready=session.brief_ready)
    context = {
        "session": session,
        "conversation": selectors.session_messages(session=session),
        "brief": brief,
        "brief_fields": _brief_fields(brief),
        "target_labels": _target_labels(),
        "max_chars": settings.COACH_MAX_MESSAGE_CHARS,
        # One per page load: a double-clicked "Generate" starts one job, not two.
        "idempotency_key": secrets.token_urlsafe(16),
        "generate_error": generate_error,
        "upgrade": upgrade,
        # A viewer of the session's workspace reads the conversation; writing needs an editor.
        "can_edit": may(request.user, session.workspace_id),
    }
    return render(request, "coach/session.html", context, status=status)


@require_GET
@login_required
def session_detail(request: AuthenticatedHttpRequest, session_id: uuid.UUID) -> HttpResponse:
    return _render_session(request, selectors.session_get(user=request.user, session_id=session_id))


@require_POST
@login_required
def session_generate(request: AuthenticatedHttpRequest, session_id: uuid.UUID) -> HttpResponse:
    session = selectors.session_get(user=request.user, session_id=session_id)
    try:
        job = services.job_from_brief(
            user=request.user,
            session=session,
            idempotency_key=request.POST.get("idempotency_key", ""),
        )
    except ValidationError as error:
        return _render_session(request, session, generate_error=" ".join(error.messages), status=400)
    except QuotaExceeded as exceeded:
        return _render_session(
            request, session, generate_error=exceeded.message, upgrade=exceeded.allowance.upgrade, status=403
        )
    return redirect("generation:job", job_id=job.pk)


@require_POST
@login_required
def session_rename(request: AuthenticatedHttpRequest, session_id: uuid.UUID) -> HttpResponse:
    session = selectors.session_get(user=request.user, session_id=session_id)
    try:
        services.session_update(session=session, title=request.POST.get("title", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Renamed to “{session.title}”.")
    return redirect("coach:list")


@require_POST
@login_required
def session_delete(request: AuthenticatedHttpRequest, session_id: uuid.UUID) -> HttpResponse:
    session = selectors.session_get(user=request.user, session_id=session_id)
    services.session_delete(session=session)
    undo_offer(
        request,
        text=f"Deleted “{session.display_title}”.",
        url=reverse("coach:restore", args=[session.pk]),
        fields={},
    )
    return redirect("coach:list")


def _session_restore(*, user: User, session_id: uuid.UUID) -> CoachSession | None:
    return services.session_restore(session=selectors.session_get_for_undo(user=user, session_id=session_id))


# Undo a session's delete while the undo window is open: back with its conversation.
session_restore = restore_view(
    restore=_session_restore,
    what="that session",
    done=lambda session: f"Restored “{session.display_title}”.",
    back="coach:list",
)

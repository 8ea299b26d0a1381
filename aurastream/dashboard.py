"""The dashboard: the creator's recent work, what is still running, plan usage and a
getting-started checklist computed from what they have really done.

It gathers across apps, so it lives in the shared kernel. Every read goes through its app's
selectors, scoped to the creator asking, and the page costs the same few queries however much
they have made (slices, prefetches and one ``exists`` per fact).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts import selectors as account_selectors
from accounts.signals import FIRST_VISIT_SESSION_KEY
from aurastream.types import AuthenticatedHttpRequest
from brandkits import selectors as brandkit_selectors
from coach import selectors as coach_selectors
from generation import selectors as generation_selectors
from generation.models import GenerationJob
from library import selectors as library_selectors
from library.forms import asset_type_label
from library.models import Asset, Rendition
from platforms import platform_label

RECENT_ASSETS = 8
RECENT_JOBS = 5
RUNNING_JOBS = 3
# A coach session touched this recently is still "where you left off".
OPEN_SESSION_DAYS = 14


@dataclass(frozen=True)
class Step:
    """One getting-started step: done or not, and where to do it."""

    done: bool
    done_label: str  # "Brand kit made"
    todo_label: str  # "Make your first brand kit"
    url: str
    hint: str  # what it gives the creator, shown while it is to do


@dataclass(frozen=True)
class RecentAsset:
    asset: Asset
    thumbnail: Rendition | None
    type_name: str


def _kind(spec_key: str) -> str:
    """ "Twitch emote" for ``twitch.emote``."""
    platform, _, asset_type = spec_key.partition(".")
    return f"{platform_label(platform)} {asset_type_label(asset_type).lower()}"


def _greeting(request: AuthenticatedHttpRequest) -> str:
    """ "Welcome" on the first visit after signing up, "Welcome back" after that; with the
    creator's display name when they have one, never anything of their email address."""
    first_visit = request.session.pop(FIRST_VISIT_SESSION_KEY, False)
    words = "Welcome" if first_visit else "Welcome back"
    name = request.user.display_name.strip()
    return f"{words}, {name}" if name else words


def _steps(
    *, email_verified: bool, display_name: str, has_kit: bool, has_logo: bool, has_asset: bool
) -> list[Step]:
    return [
        Step(
            email_verified,
            "Email verified",
            "Verify your email address",
            reverse("account_email"),
            "so you can always get back in.",
        ),
        Step(
            bool(display_name.strip()),
            "Channel name added",
            "Add your channel name",
            reverse("profile"),
            "and an avatar, if you like: it credits you on shared assets.",
        ),
        Step(
            has_kit,
            "Brand kit made",
            "Make your first brand kit",
            reverse("brandkits:create"),
            "your colours and fonts on every asset.",
        ),
        Step(
            has_logo,
            "Logo added",
            "Add your logo",
            reverse("brandkits:list"),
            "to your brand kit, and it goes on your thumbnails and banners.",
        ),
        Step(
            has_asset,
            "First asset generated",
            "Generate your first asset",
            reverse("generation:generate"),
            "an emote, a thumbnail, a banner…",
        ),
    ]


@require_GET
@login_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    kits = list(brandkit_selectors.brand_kit_list(user=user))  # default first, logos prefetched
    kit = kits[0] if kits else None
    kit_has_logo = bool(kit and list(kit.logos.all()))

    recent = [
        RecentAsset(
            asset=asset,
            thumbnail=library_selectors.asset_thumbnail(asset),
            type_name=asset_type_label(asset.asset_type),
        )
        for asset in library_selectors.recent_assets(user=user, count=RECENT_ASSETS)
    ]
    asset_count = library_selectors.asset_list(user=user).count() if recent else 0

    jobs = list(generation_selectors.job_summaries(user=user)[:RECENT_JOBS])
    running = list(
        generation_selectors.job_summaries(user=user).filter(
            status__in=(GenerationJob.Status.QUEUED, GenerationJob.Status.RUNNING)
        )[:RUNNING_JOBS]
    )
    thumbnails = generation_selectors.job_thumbnails(jobs=jobs)
    # An asset made, even one deleted since, ticks the step for good.
    has_asset = (
        bool(recent)
        or generation_selectors.job_list(user=user).filter(status=GenerationJob.Status.SUCCEEDED).exists()
    )

    since = timezone.now() - dt.timedelta(days=OPEN_SESSION_DAYS)
    session = coach_selectors.session_list(user=user).filter(updated_at__gte=since).first()

    email_verified = account_selectors.user_email_verified(user=user)
    steps = _steps(
        email_verified=email_verified,
        display_name=user.display_name,
        has_kit=kit is not None,
        has_logo=kit_has_logo,
        has_asset=has_asset,
    )
    context: dict[str, Any] = {
        "greeting": _greeting(request),
        "email_verified": email_verified,
        "brand_kit": kit,
        "brand_kit_count": len(kits),
        "brand_kit_has_logo": kit_has_logo,
        "recent_assets": recent,
        "asset_count": asset_count,
        "jobs": [
            {
                "job": job,
                # Its words, else what it is: a template's prompt stays on the server.
                "title": job.text or _kind(job.spec_key),
                "thumbnail": thumbnails.get(job.pk),
            }
            for job in jobs
        ],
        "running": running,
        "coach_session": session,
        "steps": steps,
        "steps_done": sum(step.done for step in steps),
        "checklist_complete": all(step.done for step in steps),
    }
    return render(request, "accounts/dashboard.html", context)

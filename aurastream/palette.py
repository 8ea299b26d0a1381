"""The command palette's entries (static/js/palette.js asks for them as JSON).

It gathers across apps, so it lives in the shared kernel. Every object comes through its app's
selectors, scoped to the creator asking: another creator's kits, assets, collections or coach
sessions never appear.

``GET /palette/``: pages, actions, the creator's kits, collections, coach sessions, Quick Create
templates and recent assets (what the palette shows before a word is typed, and ranks as one
types). ``GET /palette/?q=words``: the creator's assets, kits, collections and sessions whose
names hold every word, for work older than the recent few.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from aurastream.types import AuthenticatedHttpRequest
from brandkits import selectors as brandkit_selectors
from coach import selectors as coach_selectors
from generation.models import GenerationJob
from generation.quick.templates import catalog
from library import selectors as library_selectors
from platforms import registry

RECENT_ASSETS = 8
RECENT_SESSIONS = 5
SEARCH_LIMIT = 8
MAX_QUERY_WORDS = 6

PAGES = (
    ("Dashboard", "dashboard", "home start"),
    ("Create", "generation:generate", "new generate make"),
    ("Quick Create", "generation:quick_gallery", "templates fast"),
    ("Library", "library:list", "assets files downloads"),
    ("Brand kits", "brandkits:list", "colours fonts logo brand"),
    ("New brand kit", "brandkits:create", "add brand kit"),
    ("Your images", "brandkits:media", "uploads photos media creator images"),
    ("Prompt Coach", "coach:list", "chat ideas brief"),
    ("Billing", "billing:billing", "plan usage invoices subscription"),
    ("Pricing", "billing:pricing", "plans upgrade"),
    ("Profile", "profile", "account settings shortcuts milestones"),
)


def _entry(
    kind: str, title: str, url: str = "", hint: str = "", words: str = "", **extra: Any
) -> dict[str, Any]:
    return {"kind": kind, "title": title, "url": url, "hint": hint, "words": words, **extra}


def _pages() -> list[dict[str, Any]]:
    return [_entry("Page", title, reverse(name), words=words) for title, name, words in PAGES]


def _for_platform(label: str) -> str:
    """ " for YouTube"; nothing for a type any platform takes ("New clip cover")."""
    return "" if label.startswith("Any") else f" for {label}"


def _actions(kits: list[Any]) -> list[dict[str, Any]]:
    create = reverse("generation:generate")
    actions = [
        _entry(
            "Action",
            f"New {spec.label.lower()}{_for_platform(spec.platform_label)}",
            f"{create}?{urlencode({'spec': spec.key})}",
            words=f"create make {spec.asset_type} {spec.family}",
        )
        for spec in registry()
    ]
    actions += [
        _entry(
            "Action",
            "New emote pack",
            f"{create}?{urlencode({'spec': 'twitch.emote', 'pack': GenerationJob.Pack.EMOTE_PACK})}",
            words="create make emotes set",
        ),
        _entry("Action", "Open Prompt Coach", reverse("coach:list"), words="chat ideas"),
        _entry("Action", "Toggle theme", action="theme", hint="Dark or light", words="dark light mode"),
        _entry("Action", "Keyboard shortcuts", action="shortcuts", hint="?", words="keys help"),
        _entry(
            "Action",
            "Take the tour",
            reverse("tour"),
            method="post",
            fields={"action": "resume"},
            words="help onboarding getting started",
        ),
    ]
    actions += [
        _entry(
            "Action",
            f"Switch brand kit to {kit.name}",
            reverse("brandkits:set_default", args=[kit.pk]),
            method="post",
            hint="Make it your default",
            words="default use kit",
        )
        for kit in kits
        if not kit.is_default
    ]
    return actions


def _kit(kit: Any) -> dict[str, Any]:
    return _entry(
        "Brand kit",
        kit.name,
        reverse("brandkits:edit", args=[kit.pk]),
        hint="Default" if kit.is_default else "",
    )


def _asset(asset: Any) -> dict[str, Any]:
    return _entry(
        "Asset",
        asset.title,
        reverse("library:asset", args=[asset.pk]),
        hint=f"{asset.platform} {asset.asset_type}".strip(),
    )


def _collection(collection: Any) -> dict[str, Any]:
    return _entry(
        "Collection", collection.name, f"{reverse('library:list')}?{urlencode({'collection': collection.pk})}"
    )


def _session(session: Any) -> dict[str, Any]:
    return _entry("Coach", session.display_title, reverse("coach:session", args=[session.pk]))


def _matches(name: str, words: list[str]) -> bool:
    lowered = name.lower()
    return all(word in lowered for word in words)


@require_GET
@login_required
def palette(request: AuthenticatedHttpRequest) -> JsonResponse:
    user = request.user
    words = request.GET.get("q", "").lower().split()[:MAX_QUERY_WORDS]
    kits = list(brandkit_selectors.brand_kit_list(user=user).prefetch_related(None))
    if words:
        search = " ".join(words)
        assets = library_selectors.asset_list(
            user=user, filters=library_selectors.LibraryFilters(search=search)
        ).prefetch_related(None)[:SEARCH_LIMIT]
        sessions = coach_selectors.session_list(user=user)
        collections = library_selectors.collection_list(user=user)
        for word in words:
            sessions = sessions.filter(title__icontains=word)
            collections = collections.filter(name__icontains=word)
        items = [
            *(_kit(kit) for kit in kits if _matches(kit.name, words)),
            *(_asset(asset) for asset in assets),
            *(_collection(c) for c in collections[:SEARCH_LIMIT]),
            *(_session(s) for s in sessions[:SEARCH_LIMIT]),
        ]
        return JsonResponse({"query": search, "items": items})

    recent = library_selectors.asset_list(user=user).prefetch_related(None)[:RECENT_ASSETS]
    items = [
        *_pages(),
        *_actions(kits),
        *(_kit(kit) for kit in kits),
        *(_asset(asset) for asset in recent),
        *(_collection(c) for c in library_selectors.collection_list(user=user)),
        *(_session(s) for s in coach_selectors.session_list(user=user)[:RECENT_SESSIONS]),
        *(
            _entry(
                "Template",
                template.name,
                reverse("generation:quick_create", args=[template.key]),
                hint=template.category,
                words="quick create",
            )
            for template in catalog().templates
        ),
    ]
    return JsonResponse({"query": "", "items": items})

"""Page views, as the collection middleware sees them: which requests count, and what of
them is kept (nothing that identifies a person).

A request counts when it is a page someone looked at: a GET answered 200 with HTML, not an
htmx fragment, a prefetch, the admin, the API or a health probe, from a browser that didn't
ask us not to track it (``DNT: 1``, ``Sec-GPC: 1``) and doesn't say it is a robot.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils import timezone

from aurastream import events
from aurastream.types import client_ip

from .models import Device

TABLET = re.compile(r"ipad|tablet|kindle|silk/|playbook|(android(?!.*mobile))", re.IGNORECASE)
MOBILE = re.compile(r"mobi|iphone|ipod|android|blackberry|opera mini|iemobile|windows phone", re.IGNORECASE)
# Term and content are left out: mail tools put the subscriber's address there.
UTM_FIELDS = ("utm_source", "utm_medium", "utm_campaign")
# Control characters (a NUL can't be stored in PostgreSQL text) and spreadsheet-formula leads.
UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f]")
# Not pages: the admin (staff), the API, Stripe's webhooks, health probes, files.
SKIPPED_PREFIXES = ("/admin/", "/api/", "/stripe/", "/healthz", "/readyz", "/static/", "/media/")


def is_bot(user_agent: str) -> bool:
    """A robot, or a client that doesn't say what it is."""
    return not user_agent or events.is_robot(user_agent)


def printable(value: str, limit: int) -> str:
    return UNPRINTABLE.sub("", value).strip()[:limit]


def device_of(user_agent: str) -> str:
    if TABLET.search(user_agent):
        return Device.TABLET
    if MOBILE.search(user_agent):
        return Device.MOBILE
    return Device.DESKTOP


def opted_out(request: HttpRequest) -> bool:
    """The browser asked not to be tracked (Do Not Track or Global Privacy Control)."""
    return request.headers.get("DNT", "").strip() == "1" or request.headers.get("Sec-GPC", "").strip() == "1"


def counts(request: HttpRequest, response: HttpResponseBase) -> bool:
    """Whether this request is a page view we may count."""
    if request.method != "GET" or response.status_code != 200:
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    headers = request.headers
    if "HX-Request" in headers or "prefetch" in headers.get("Sec-Purpose", headers.get("Purpose", "")):
        return False
    if request.path.startswith(SKIPPED_PREFIXES) or getattr(request, "resolver_match", None) is None:
        return False
    return not opted_out(request) and not is_bot(headers.get("User-Agent", ""))


def route_of(request: HttpRequest) -> str:
    """The page's route template (``/library/<uuid:pk>/``): never ids, tokens or queries."""
    match = request.resolver_match
    route = getattr(match, "route", "") or ""
    return ("/" + route.lstrip("^").rstrip("$"))[:200]


def referrer_host(request: HttpRequest) -> str:
    """The referring site's host, or "" for direct visits and our own pages."""
    referer = request.headers.get("Referer", "")
    if not referer:
        return ""
    try:
        host = (urlsplit(referer).hostname or "").lower()
    except ValueError:
        return ""
    if not host or host == request.get_host().split(":")[0].lower():
        return ""
    # A host name's characters only (what's left of anything else is no referrer).
    host = host.removeprefix("www.")[:120]
    return host if re.fullmatch(r"[a-z0-9.-]+", host) else ""


def page_view(request: HttpRequest) -> events.Line | None:
    """The buffered line for this page view (None when today's salt can't be had)."""
    now = timezone.now()
    salt = events.daily_salt(now.date())
    # Kept to the hour: the figures are daily, and a page view's exact time could tie it to
    # a product event (and so the day's visitor to an account).
    hour = now.replace(minute=0, second=0, microsecond=0)
    if not salt:
        return None
    user_agent = request.headers.get("User-Agent", "")
    visitor = hashlib.sha256(
        f"{salt}|{request.get_host()}|{client_ip(request)}|{user_agent}".encode()
    ).hexdigest()[:16]
    user = getattr(request, "user", None)
    signed_in = bool(user is not None and user.is_authenticated)
    line = events.new_line(
        events.PAGE_VIEW,
        at=hour,
        v=visitor,
        path=route_of(request),
        ref=referrer_host(request),
        dev=device_of(user_agent),
        si=signed_in,
    )
    # The account id only marks the creator active that day (analytics.models.ActiveDay); the
    # page view itself is stored without it.
    if signed_in:
        line["u"] = user.pk  # type: ignore[union-attr]  # signed_in: a User
    for field in UTM_FIELDS:
        value = printable(request.GET.get(field, ""), 100)
        if value:
            line[field] = value
    if settings.ANALYTICS_COUNTRY_HEADER:
        country = request.headers.get(settings.ANALYTICS_COUNTRY_HEADER, "").strip().upper()
        if re.fullmatch(r"[A-Z]{2}", country) and country != "XX":
            line["c"] = country
    return line

"""Undo for what a creator deletes, everywhere the library's pattern applies (brand kits and the
rest): the service marks the row deleted (gone from every read at once), the creator has
``UNDO_SECONDS`` to restore it, and a beat task purges it afterwards.

A view that deleted something offers the undo here; the next full page shows it as a toast with
an Undo button posting to the app's own restore view (accounts' shell draws it,
static/js/palette.js keeps it until the window closes).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

SESSION_KEY = "undo_offer"


def undo_seconds() -> int:
    """One undo window for everything a creator deletes: the library's."""
    return int(settings.LIBRARY_UNDO_SECONDS)


def undo_window_start(now: dt.datetime | None = None) -> dt.datetime:
    """Rows deleted at or after this moment may still be restored."""
    return (now or timezone.now()) - dt.timedelta(seconds=undo_seconds())


def undo_offer(request: HttpRequest, *, text: str, url: str, fields: dict[str, str]) -> None:
    """Show "``text`` · Undo" on the next page; Undo posts ``fields`` to ``url``."""
    request.session[SESSION_KEY] = {
        "text": text,
        "url": url,
        "fields": fields,
        "at": timezone.now().isoformat(),
    }


def undo_toast(*, text: str, url: str, fields: dict[str, str]) -> dict[str, Any]:
    """The same offer for a page that htmx updates in place: the view draws the toast
    (``partials/_undo_toast.html``) into #toasts itself, with the whole window left."""
    return {"text": text, "url": url, "fields": fields, "seconds_left": undo_seconds()}


def undo_take(request: HttpRequest) -> dict[str, Any] | None:
    """The pending undo offer (once), with the seconds left; None when there is none or its
    window has closed."""
    offer = request.session.pop(SESSION_KEY, None) if hasattr(request, "session") else None
    if not isinstance(offer, dict):
        return None
    try:
        at = dt.datetime.fromisoformat(offer["at"])
    except (KeyError, TypeError, ValueError):
        return None
    left = int((at + dt.timedelta(seconds=undo_seconds()) - timezone.now()).total_seconds())
    if left <= 0:
        return None
    return {**offer, "seconds_left": left}

"""Undo for what a creator deletes, everywhere the library's pattern applies (brand kits and the
rest): the service marks the row deleted (gone from every read at once), the creator has
``UNDO_SECONDS`` to restore it, and a beat task purges it afterwards (``undo_purge``).

A view that deleted something offers the undo here; the next full page shows it as a toast with
an Undo button posting to the app's own restore view (accounts' shell draws it,
static/js/palette.js keeps it until the window closes). Each app's restore view is made by
``restore_view`` below.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Manager, Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from .db import system_work
from .types import AuthenticatedHttpRequest

SESSION_KEY = "undo_offer"

Row = TypeVar("Row", bound=Model)


class LiveManager(Manager[Row]):
    """A model's default manager when its rows are deleted with undo: rows not deleted. A
    deleted row waits out the undo window invisible to every read and choice; the model's
    ``all_objects`` (a plain ``Manager``) reaches it, for undo and the purge."""

    def get_queryset(self) -> QuerySet[Row]:
        return super().get_queryset().filter(deleted_at__isnull=True)


def undo_seconds() -> int:
    """One undo window for everything a creator deletes: the library's."""
    return int(settings.LIBRARY_UNDO_SECONDS)


def undo_window_start(now: dt.datetime | None = None) -> dt.datetime:
    """Rows deleted at or after this moment may still be restored."""
    return (now or timezone.now()) - dt.timedelta(seconds=undo_seconds())


def undo_purge(rows: Manager[Any] | QuerySet[Any], *, now: dt.datetime | None = None) -> int:
    """Remove the ``rows`` deleted before the undo window opened, as system work (every
    workspace's rows; their makers may since have left them). How many of the model's rows went
    (cascades and the files they leave, removed on commit by each app's signals, are not
    counted)."""
    deleted = rows.filter(deleted_at__lt=undo_window_start(now))
    with system_work():
        return int(deleted.delete()[1].get(deleted.model._meta.label, 0))


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


Restored = TypeVar("Restored")


def _refusal(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return error.messages[0] if error.messages else "That did not work."
    return str(getattr(error, "message", error))


def restore_view(
    *,
    restore: Callable[..., Restored | None],
    what: str,
    done: Callable[[Restored], str],
    back: str,
    back_to_restored: Callable[[Restored], str] | None = None,
    refused: tuple[type[Exception], ...] = (),
) -> Callable[..., HttpResponse]:
    """The view behind a toast's Undo (POST): ``restore(user=..., **url_kwargs)`` brings the row
    back and returns it, or None once the window has closed and the row is gone for good.

    ``what`` names it in the messages ("that kit"), ``done`` is the success message; ``back`` is
    the URL (or URL name) to return to, ``back_to_restored`` where to go once it is back. A
    restore the plan refuses raises one of ``refused``; its message says why.
    """

    @require_POST
    @login_required
    def view(request: AuthenticatedHttpRequest, **url_kwargs: Any) -> HttpResponse:
        try:
            restored = restore(user=request.user, **url_kwargs)
        except refused as error:
            messages.error(request, f"Can't restore {what}: {_refusal(error)}")
            return redirect(back)
        if restored is None:
            messages.error(request, f"Too late to undo: {what} has been removed for good.")
            return redirect(back)
        messages.success(request, done(restored))
        return redirect(back_to_restored(restored) if back_to_restored else back)

    return view
